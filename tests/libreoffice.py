"""LibreOffice headless as an independent reader (never as a writer)."""

from __future__ import annotations

import csv
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _convert(workbook: Path, sheet_number: int) -> dict[str, list[list[str]]]:
    """CSV of one sheet (1-based position) or of every sheet (-1), by file stem."""
    if SOFFICE is None:
        pytest.fail("LibreOffice (soffice) is not installed; .ci/run installs it")
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp, "profile").as_uri()  # a throw-away profile per call
        # field sep, text delimiter, UTF-8, first line, ..., sheet number
        options = (
            f"csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,false,false,false,{sheet_number}"
        )
        subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                options,
                "--outdir",
                tmp,
                str(workbook),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        result = {}
        for produced in Path(tmp).glob("*.csv"):
            with produced.open(encoding="utf-8", newline="") as handle:
                result[produced.stem] = list(csv.reader(handle))
        return result


def sheet_rows(workbook: Path, sheet_number: int) -> list[list[str]]:
    """Rows of one sheet (1-based position) as LibreOffice reads them."""
    produced = _convert(workbook, sheet_number)
    assert len(produced) == 1, list(produced)
    return next(iter(produced.values()))


def all_sheet_rows(workbook: Path) -> dict[str, list[list[str]]]:
    """Every sheet as LibreOffice reads it (one CSV per sheet), by sheet name."""
    return {stem[len(workbook.stem) + 1 :]: rows for stem, rows in _convert(workbook, -1).items()}
