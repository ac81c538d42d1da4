"""An index of a workbook package: sheets, defined names, Excel Tables, cells.

Read-only and tolerant; it never re-serialises XML. Cells are read per sheet
with ElementTree from the raw part bytes.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from .package import BerkasTidakDapatDipakai, Package

M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
TABLE_REL = "/table"
BUILTIN_PERCENT = {9, 10}
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


def column_index(letters: str) -> int:
    """``A`` -> 1, ``AB`` -> 28."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(index: int) -> str:
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def split_ref(ref: str) -> tuple[int, int]:
    """``C7`` -> (row 7, column 3)."""
    match = _REF.match(ref.upper())
    if not match:
        raise ValueError(ref)
    return int(match.group(2)), column_index(match.group(1))


def split_range(ref: str) -> tuple[int, int, int, int]:
    """``A4:J9`` -> (first row, first col, last row, last col)."""
    first, _, last = ref.partition(":")
    r1, c1 = split_ref(first)
    r2, c2 = split_ref(last or first)
    return r1, c1, r2, c2


@dataclass
class Cell:
    value: object  # str, float, bool or None
    style: int = 0
    formula: bool = False
    cached: bool = True  # False: a formula without a stored result


@dataclass
class TableDef:
    name: str
    sheet: str
    part: str
    ref: str
    columns: list[str]
    header_rows: int = 1
    totals_rows: int = 0

    @property
    def bounds(self) -> tuple[int, int, int, int]:
        return split_range(self.ref)


@dataclass
class SheetDef:
    name: str
    part: str
    tables: list[TableDef] = field(default_factory=list)


def _parse(package: Package, part: str) -> ET.Element:
    try:
        return ET.fromstring(package.xml(part))
    except ET.ParseError:
        raise BerkasTidakDapatDipakai(
            f"Berkas '{package.name}' rusak: bagian '{part}' bukan XML yang sah. Buka dan simpan ulang di Excel."
        ) from None


def rels_part(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _targets(package: Package, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, absolute part name)."""
    rels = rels_part(part)
    if rels not in package:
        return {}
    root = _parse(package, rels)
    folder = posixpath.dirname(part)
    out = {}
    for rel in root.iter(f"{PR}Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        absolute = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        out[rel.get("Id", "")] = (rel.get("Type", ""), absolute)
    return out


class WorkbookFile:
    def __init__(self, package: Package) -> None:
        self.package = package
        root = _parse(package, "xl/workbook.xml")
        rels = _targets(package, "xl/workbook.xml")
        self.sheets: dict[str, SheetDef] = {}
        for sheet in root.iter(f"{M}sheet"):
            rel = rels.get(sheet.get(R_ID, ""))
            if rel and rel[0].endswith("/worksheet"):
                name = sheet.get("name", "")
                self.sheets[name] = SheetDef(name, rel[1])
        self.defined_names: dict[str, str] = {}
        for dn in root.iter(f"{M}definedName"):
            if dn.get("localSheetId") is None and dn.text:
                self.defined_names[dn.get("name", "")] = dn.text
        self.shared_strings = self._shared_strings(rels)
        self.percent_styles, self.date_styles = self._styles(rels)
        self.tables: dict[str, TableDef] = {}
        for sheet in self.sheets.values():
            for rel_type, target in _targets(package, sheet.part).values():
                if rel_type.endswith(TABLE_REL) and target in package:
                    table = self._table(sheet.name, target)
                    sheet.tables.append(table)
                    self.tables[table.name.casefold()] = table
        self._cells: dict[str, dict[tuple[int, int], Cell]] = {}

    def _shared_strings(self, rels: dict[str, tuple[str, str]]) -> list[str]:
        part = next((t for kind, t in rels.values() if kind.endswith("/sharedStrings")), None)
        if part is None or part not in self.package:
            return []
        root = _parse(self.package, part)
        return ["".join(t.text or "" for t in si.iter(f"{M}t")) for si in root.iter(f"{M}si")]

    def _styles(self, rels: dict[str, tuple[str, str]]) -> tuple[set[int], set[int]]:
        part = next((t for kind, t in rels.values() if kind.endswith("/styles")), None)
        if part is None or part not in self.package:
            return set(), set()
        root = _parse(self.package, part)
        percent_formats = set(BUILTIN_PERCENT)
        date_formats = set(range(14, 23)) | {45, 46, 47}
        for fmt in root.iter(f"{M}numFmt"):
            code = re.sub(r'"[^"]*"|\\.', "", fmt.get("formatCode", ""))
            if "%" in code:
                percent_formats.add(int(fmt.get("numFmtId", "0")))
            elif re.search(r"[dmy]", code.lower()) and "0" not in code:
                date_formats.add(int(fmt.get("numFmtId", "0")))
        percent, dates = set(), set()
        xfs = root.find(f"{M}cellXfs")
        for index, xf in enumerate(xfs if xfs is not None else []):
            num_fmt = int(xf.get("numFmtId", "0"))
            if num_fmt in percent_formats:
                percent.add(index)
            if num_fmt in date_formats:
                dates.add(index)
        return percent, dates

    def _table(self, sheet: str, part: str) -> TableDef:
        root = _parse(self.package, part)
        columns = [col.get("name", "") for col in root.iter(f"{M}tableColumn")]
        return TableDef(
            name=root.get("name") or root.get("displayName") or "",
            sheet=sheet,
            part=part,
            ref=root.get("ref", "A1"),
            columns=columns,
            header_rows=int(root.get("headerRowCount", "1")),
            totals_rows=int(root.get("totalsRowCount", "0")),
        )

    def table(self, name: str) -> TableDef | None:
        return self.tables.get(name.casefold())

    def name_target(self, name: str) -> tuple[str, str] | None:
        """A defined name that points at one cell -> (sheet, cell)."""
        text = self.defined_names.get(name)
        if text is None:
            lowered = {k.casefold(): v for k, v in self.defined_names.items()}
            text = lowered.get(name.casefold())
        if text is None or "!" not in text:
            return None
        sheet, _, ref = text.lstrip("=").rpartition("!")
        sheet = sheet.strip("'").replace("''", "'")
        ref = ref.split(":")[0].replace("$", "")
        try:
            split_ref(ref)
        except ValueError:
            return None
        return sheet, ref

    def cells(self, sheet: str) -> dict[tuple[int, int], Cell]:
        if sheet not in self._cells:
            self._cells[sheet] = self._read_cells(self.sheets[sheet].part)
        return self._cells[sheet]

    def _read_cells(self, part: str) -> dict[tuple[int, int], Cell]:
        root = _parse(self.package, part)
        data = root.find(f"{M}sheetData")
        cells: dict[tuple[int, int], Cell] = {}
        if data is None:
            return cells
        last_row = 0
        for row in data.iter(f"{M}row"):
            row_number = int(row.get("r", last_row + 1))
            last_row = row_number
            last_col = 0
            for c in row.iter(f"{M}c"):
                ref = c.get("r")
                if ref:
                    r, col = split_ref(ref)
                else:
                    r, col = row_number, last_col + 1
                last_col = col
                cells[(r, col)] = self._cell(c)
        return cells

    def _cell(self, c: ET.Element) -> Cell:
        kind = c.get("t", "n")
        style = int(c.get("s", "0"))
        formula = c.find(f"{M}f") is not None
        v = c.find(f"{M}v")
        text = v.text if v is not None else None
        if kind == "inlineStr":
            is_ = c.find(f"{M}is")
            value: object = "".join(t.text or "" for t in is_.iter(f"{M}t")) if is_ is not None else ""
            return Cell(value, style, formula)
        if text is None:
            return Cell(None, style, formula, cached=not formula)
        if kind == "s":
            index = int(text)
            value = self.shared_strings[index] if index < len(self.shared_strings) else ""
        elif kind == "b":
            value = text.strip() == "1"
        elif kind in ("str", "e", "d"):
            value = text
        else:
            try:
                value = float(text)
            except ValueError:
                value = text
        return Cell(value, style, formula)
