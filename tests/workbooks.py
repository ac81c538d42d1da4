"""Making workbook variants for the end-to-end tests (messy input, extensions, bad files)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "workbook" / "IKU_Kanigaran.xlsm"


def copy_shipped(folder: Path, name: str = "IKU_Kanigaran.xlsm") -> Path:
    target = folder / name
    shutil.copyfile(SHIPPED, target)
    return target


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def rewrite_parts(path: Path, changes: dict[str, bytes | None]) -> None:
    """Replace (or add, or with None remove) zip parts, keeping the others."""
    original = parts(path)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in original.items():
            if name in changes:
                if changes[name] is not None:
                    z.writestr(name, changes[name])
            else:
                z.writestr(name, data)
        for name, data in changes.items():
            if name not in original and data is not None:
                z.writestr(name, data)
    path.write_bytes(out.getvalue())


def sheet_part(path: Path, sheet: str) -> str:
    p = parts(path)
    workbook = p["xl/workbook.xml"].decode()
    rels = p["xl/_rels/workbook.xml.rels"].decode()
    rid = re.search(
        rf'<sheet name="{re.escape(sheet)}" sheetId="\d+" (?:state="\w+" )?r:id="(rId\d+)"', workbook
    ).group(1)
    return "xl/" + re.search(rf'Id="{rid}" Type="[^"]+" Target="([^"]+)"', rels).group(1)


def set_cell_xml(path: Path, sheet: str, ref: str, new_cell: str) -> None:
    """Replace one existing cell element of a sheet by ``new_cell`` (raw XML)."""
    part = sheet_part(path, sheet)
    xml = parts(path)[part].decode()
    pattern = re.compile(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', re.S)
    assert pattern.search(xml), f"{sheet}!{ref} not found"
    rewrite_parts(path, {part: pattern.sub(new_cell, xml, count=1).encode()})


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "addin.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=300,
    )
