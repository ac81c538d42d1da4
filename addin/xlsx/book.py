"""An index of a workbook package: sheets, defined names, Excel Tables, cells.

Read-only and tolerant; it never re-serialises XML. Cells are read per sheet
with ElementTree from the raw part bytes.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import defusedxml.ElementTree as defused
from defusedxml import DefusedXmlException

from ..a1 import column_index, column_letters, split_range, split_ref
from ..cell_values import excel_serial_to_iso
from .cells import EXCEL_COLUMNS, EXCEL_ROWS, Cell, NotBulk, SheetCells, read_bulk
from .package import BerkasTidakDapatDipakai, Package

__all__ = ["column_index", "column_letters", "split_range", "split_ref"]

M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
TABLE_REL = "/table"
# Below this size a sheet is read cell by cell: the bulk reader's fixed cost
# (a few dozen array passes) is more than a few hundred cells cost one by one.
BULK_FROM_BYTES = 32 * 1024
BUILTIN_PERCENT = {9, 10}
# Elements of sheet XML, with or without a namespace prefix (x:c), attributes in
# either quote style: any valid serialisation of the same cells reads the same.
_P = rb"(?P<p>(?:[A-Za-z_][\w.-]*:)?)"
_SHEET_DATA = re.compile(rb"<" + _P + rb"sheetData\b[^>]*?(?:/>|>(?P<body>.*?)</(?P=p)sheetData\s*>)", re.S)
_ROW = re.compile(rb"<" + _P + rb"row\b(?P<attrs>[^>]*?)(?:/>|>(?P<body>.*?)</(?P=p)row\s*>)", re.S)
_ROW_NUMBER = re.compile(rb"""\br\s*=\s*["'](\d+)["']""")
_CELL = re.compile(rb"<" + _P + rb"c\b(?P<attrs>[^>]*?)(?:/>|>(?P<body>.*?)</(?P=p)c\s*>)", re.S)
_CELL_REF = re.compile(rb"""\br\s*=\s*["']\$?([A-Za-z]{1,3})\$?\d+["']""")
_CELL_T = re.compile(rb"""\bt\s*=\s*["'](\w+)["']""")
_CELL_S = re.compile(rb"""\bs\s*=\s*["'](\d+)["']""")
_V = re.compile(rb"<" + _P + rb"v(?:\s[^>]*)?>(?P<body>.*?)</(?P=p)v\s*>", re.S)
_T_TEXT = re.compile(rb"<" + _P + rb"t(?:\s[^>]*)?>(?P<body>.*?)</(?P=p)t\s*>", re.S)
_F = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f\b")
_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name.startswith("#"):
        code = int(name[2:], 16) if name.startswith("#x") else int(name[1:])
        if not (0 < code < 0x110000):
            raise BerkasTidakDapatDipakai(
                f"Berkas berisi kode karakter yang tidak sah ({match.group(0)}): bagian XML-nya rusak. "
                "Buka berkas di Excel dan simpan ulang, atau pakai salinan cadangan."
            )
        return chr(code)
    return _NAMED[name]


def _unescape(text: str) -> str:
    return _ENTITY.sub(_entity, text) if "&" in text else text


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
        return defused.fromstring(package.xml(part))  # type: ignore[no-any-return]
    except (DefusedXmlException, ValueError):
        raise BerkasTidakDapatDipakai(
            f"Berkas '{package.name}' ditolak: bagian '{part}' berisi deklarasi XML yang tidak pernah dibuat "
            "Excel. Berkas ini mungkin rusak atau berbahaya; minta salinan asli."
        ) from None
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
        for sheet_def in self.sheets.values():
            for rel_type, target in _targets(package, sheet_def.part).values():
                if rel_type.endswith(TABLE_REL) and target in package:
                    table = self._table(sheet_def.name, target)
                    sheet_def.tables.append(table)
                    self.tables[table.name.casefold()] = table
        self._cells: dict[str, SheetCells] = {}

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
        name = root.get("name") or root.get("displayName") or ""
        ref = root.get("ref", "A1")
        try:
            split_range(ref)
            header_rows = int(root.get("headerRowCount", "1"))
            totals_rows = int(root.get("totalsRowCount", "0"))
        except ValueError:
            raise BerkasTidakDapatDipakai(
                f"Tabel Excel '{name}' di lembar '{sheet}' memiliki rujukan rentang yang rusak ('{ref}'). "
                "Buka berkas di Excel dan simpan ulang (Excel memperbaikinya), atau pakai salinan cadangan."
            ) from None
        return TableDef(
            name=name,
            sheet=sheet,
            part=part,
            ref=ref,
            columns=columns,
            header_rows=header_rows,
            totals_rows=totals_rows,
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

    def cells(self, sheet: str) -> SheetCells:
        if sheet not in self._cells:
            part = self.sheets[sheet].part
            xml = self.package.xml(part)
            try:
                if len(xml) < BULK_FROM_BYTES:
                    raise NotBulk
                found = read_bulk(
                    xml, self.shared_strings, self.date_styles, lambda a, b: self.cell_from(a, b, part)
                )
            except NotBulk:
                found = SheetCells.from_dict(self.read_cells_tolerant(xml, part))
            del xml
            self.package.forget(part)
            self._cells[sheet] = found
        return self._cells[sheet]

    def read_cells_tolerant(self, xml: bytes, part: str) -> dict[tuple[int, int], Cell]:
        """All cells of a sheet, tolerant of any valid serialisation (prefixes,
        quotes, missing references); the bulk reader covers Excel's usual form."""
        match = _SHEET_DATA.search(xml)
        cells: dict[tuple[int, int], Cell] = {}
        if match is None or not match.group("body"):
            return cells
        last_row = 0
        for row in _ROW.finditer(match.group("body")):
            number = _ROW_NUMBER.search(row.group("attrs"))
            row_number = int(number.group(1)) if number else last_row + 1
            last_row = row_number
            last_col = 0
            for c in _CELL.finditer(row.group("body") or b""):
                attrs = c.group("attrs")
                ref = _CELL_REF.search(attrs)
                col = column_index(ref.group(1).decode().upper()) if ref else last_col + 1
                last_col = col
                if row_number > EXCEL_ROWS or col > EXCEL_COLUMNS:
                    continue  # outside Excel's grid: no table or name can point there
                cells[(row_number, col)] = self.cell_from(attrs, c.group("body") or b"", part)
        return cells

    def cell_from(self, attrs: bytes, body: bytes, part: str) -> Cell:
        kind_match = _CELL_T.search(attrs)
        kind = kind_match.group(1).decode() if kind_match else "n"
        style_match = _CELL_S.search(attrs)
        style = int(style_match.group(1)) if style_match else 0
        if style >= 2**31:  # no workbook has that many styles: a broken attribute, no style
            style = -1
        formula = _F.search(body) is not None
        if kind == "inlineStr":
            text = "".join(_unescape(t.group("body").decode("utf-8")) for t in _T_TEXT.finditer(body))
            return Cell(text, style, formula)
        v = _V.search(body)
        if v is None:
            return Cell(None, style, formula, cached=not formula)
        text = _unescape(v.group("body").decode("utf-8"))
        value: object
        if kind == "s":
            try:
                index = int(text)
            except ValueError:
                index = -1
            if not 0 <= index < len(self.shared_strings):
                raise BerkasTidakDapatDipakai(
                    f"Berkas '{self.package.name}' rusak: bagian '{part}' merujuk teks bersama nomor "
                    f"'{text}' yang tidak ada. Buka dan simpan ulang di Excel, atau pakai salinan cadangan."
                )
            value = self.shared_strings[index]
        elif kind == "b":
            value = text.strip() == "1"
        elif kind in ("str", "e", "d"):
            value = text
        else:
            try:
                value = float(text)
            except ValueError:
                value = text
            if style in self.date_styles:  # the cell rule: dates as ISO text
                value = excel_serial_to_iso(value) if isinstance(value, float) else value
        return Cell(value, style, formula)
