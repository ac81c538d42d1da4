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


def survey_answers(respondents: int, seed: int = 2024) -> tuple[list[str], list[list[int | None]]]:
    """A deterministic survey: unit per respondent and nine answers (None = blank).

    Every 37th respondent leaves U9 blank, so blank answers are exercised too.
    """
    import random

    rng = random.Random(seed)
    units = ["Kecamatan", "Tisnonegaran", "Sukoharjo", "Kanigaran", "Kebonsari Wetan", "Curahgrinting"]
    unit_of = [units[i % len(units)] for i in range(respondents)]
    answers: list[list[int | None]] = []
    for i in range(respondents):
        row: list[int | None] = [rng.choice((2, 3, 3, 4, 4)) for _ in range(9)]
        if i % 37 == 0:
            row[8] = None
        answers.append(row)
    return unit_of, answers


def grow_survey(path: Path, respondents: int, seed: int = 2024) -> tuple[list[str], list[list[int | None]]]:
    """Replace tblSKM's rows by ``respondents`` rows as Excel writes them
    (shared strings for text, the sheet's own styles); returns what was written."""
    unit_of, answers = survey_answers(respondents, seed)
    p = parts(path)
    part = sheet_part(path, "SKM")
    xml = p[part].decode()
    shared = re.findall(r"<si>(.*?)</si>", p["xl/sharedStrings.xml"].decode(), re.S)
    texts = [re.sub(r"<[^>]+>", "", s) for s in shared]
    index = {t: i for i, t in enumerate(texts)}
    new_strings = [u for u in dict.fromkeys(unit_of) if u not in index]
    for text in new_strings:
        index[text] = len(texts)
        texts.append(text)
    letters = "IJKLMNOPQ"
    rows = []
    for i in range(respondents):
        r = 6 + i
        cells = [
            f'<c r="A{r}" s="9"><v>{i + 1}</v></c>',
            f'<c r="B{r}" s="8"><v>{44197 + i % 365}</v></c>',
            f'<c r="C{r}" s="7" t="s"><v>{index[unit_of[i]]}</v></c>',
        ]
        for j, answer in enumerate(answers[i]):
            if answer is not None:
                cells.append(f'<c r="{letters[j]}{r}" s="9"><v>{answer}</v></c>')
        rows.append(f'<row r="{r}" spans="1:17">{"".join(cells)}</row>')
    start = xml.index('<row r="6"')
    end = xml.index("</sheetData>")
    last = 5 + respondents
    xml = xml[:start] + "".join(rows) + xml[end:]
    xml = re.sub(r'<dimension ref="[^"]+"/>', f'<dimension ref="A1:Q{last}"/>', xml)
    rels = p[re.sub(r"worksheets/", "worksheets/_rels/", part) + ".rels"].decode()
    table = "xl/" + re.search(r'Target="\.\./(tables/table\d+\.xml)"', rels).group(1)
    table_xml = re.sub(r'ref="A5:Q\d+"', f'ref="A5:Q{last}"', p[table].decode())
    strings = p["xl/sharedStrings.xml"].decode()
    if new_strings:
        extra = "".join(f"<si><t>{t}</t></si>" for t in new_strings)
        strings = strings.replace("</sst>", extra + "</sst>")
        strings = re.sub(r'uniqueCount="\d+"', f'uniqueCount="{len(texts)}"', strings)
    rewrite_parts(
        path, {part: xml.encode(), table: table_xml.encode(), "xl/sharedStrings.xml": strings.encode()}
    )
    return unit_of, answers
