"""LibreOffice headless as an independent reader (never as a writer)."""

from __future__ import annotations

import csv
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def sheet_rows(workbook: Path, sheet_number: int) -> list[list[str]]:
    """Rows of one sheet (1-based position) as LibreOffice reads them, via CSV."""
    if SOFFICE is None:
        pytest.fail("LibreOffice (soffice) is not installed; .ci/run installs it")
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp, "profile").as_uri()
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
        produced = [p for p in Path(tmp).glob("*.csv")]
        assert len(produced) == 1, produced
        with produced[0].open(encoding="utf-8", newline="") as handle:
            return list(csv.reader(handle))


def all_sheet_rows(workbook: Path) -> dict[str, list[list[str]]]:
    """Every sheet as LibreOffice reads it (one CSV per sheet), by sheet name."""
    if SOFFICE is None:
        pytest.fail("LibreOffice (soffice) is not installed; .ci/run installs it")
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp, "profile").as_uri()
        options = "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,false,false,false,-1"
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
            sheet = produced.stem[len(workbook.stem) + 1 :]
            with produced.open(encoding="utf-8", newline="") as handle:
                result[sheet] = list(csv.reader(handle))
        return result
