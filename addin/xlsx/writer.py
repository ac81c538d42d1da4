"""Writing result values into a workbook package without losing anything.

Only the sheet parts that hold result tables and those tables' own parts are
rewritten, and inside a sheet only the rows that change: every other byte of
the file (VBA, buttons, drawings, charts, validations, styles, extension
lists that Excel adds) is copied as it was. Text is written as inline
strings, so a value starting with ``=`` stays text and the shared string
table is untouched.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .. import contract as c
from ..outputs import ResultTables, RowUpdate, Value, last_row_needed, match_columns, no_room
from ..tables import normal_header
from .book import TableDef, WorkbookFile, column_letters, split_range, split_ref
from .package import BerkasTidakDapatDipakai, write_package

_SHEET_DATA = re.compile(rb"<sheetData\s*/>|<sheetData>(.*?)</sheetData>", re.S)
_ROW = re.compile(rb"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_ATTR_R = re.compile(rb"""\br=["']([A-Z]+)?(\d+)?["']""")
_ATTR_S = re.compile(rb"""\bs=["'](\d+)["']""")
_ROW_R = re.compile(rb"""\br=["'](\d+)["']""")
_PREFIXED_SHEET_DATA = re.compile(rb"<[A-Za-z_][\w.-]*:sheetData\b")
_SPANS = re.compile(rb"""\s+spans=["'][^"']*["']""")
_DIMENSION = re.compile(rb'<dimension\s+ref="([^"]+)"')
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _number(value: float | int) -> bytes:
    if isinstance(value, bool):
        return b"1" if value else b"0"
    if isinstance(value, int) or (float(value).is_integer() and abs(value) < 1e15):
        return str(int(value)).encode()
    return repr(float(value)).encode()


def cell_xml(ref: str, value: Value | bool, style: int) -> bytes:
    s = f' s="{style}"' if style else ""
    if isinstance(value, float) and not math.isfinite(value):
        value = None  # never NaN or Infinity in a cell
    if value is None or value == "":  # Excel keeps no empty text: an empty cell, as in every door
        return f'<c r="{ref}"{s}/>'.encode() if style else b""
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'.encode()
    if isinstance(value, int | float):
        return f'<c r="{ref}"{s}><v>'.encode() + _number(value) + b"</v></c>"
    text = escape(_ILLEGAL.sub("", str(value)))
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'.encode()


@dataclass
class _Row:
    attrs: bytes
    original: bytes
    cells: dict[int, bytes] | None = None  # parsed on first change

    def parsed(self, number: int) -> dict[int, bytes]:
        if self.cells is None:
            self.cells = {}
            body = _ROW.match(self.original)
            content = body.group(2) if body and body.group(2) else b""
            col = 0
            for match in _CELL.finditer(content):
                ref = _ATTR_R.search(match.group(1))
                if ref and ref.group(1):
                    col = split_ref(ref.group(1).decode() + str(number))[1]
                else:
                    col += 1
                self.cells[col] = match.group(0)
        return self.cells


@dataclass
class SheetEditor:
    """Cell-level edits of one sheet part; untouched rows keep their bytes."""

    xml: bytes
    rows: dict[int, _Row] = field(default_factory=dict)
    changed: bool = False
    removed_formula: bool = False
    max_row: int = 0
    max_col: int = 0

    def __post_init__(self) -> None:
        match = _SHEET_DATA.search(self.xml)
        if match is None and _PREFIXED_SHEET_DATA.search(self.xml):
            raise BerkasTidakDapatDipakai(
                "Lembar hasil disimpan dengan awalan ruang nama XML (bukan oleh Excel), sehingga hasil tidak "
                "dapat ditulis tanpa mengubah bentuknya. Buka dan simpan ulang berkas di Excel, lalu ulangi."
            )
        if match is None:
            raise BerkasTidakDapatDipakai(
                "Lembar hasil tidak memiliki bagian data sel; berkasnya rusak. Buka dan simpan ulang di Excel, "
                "atau salin lembar hasil dari buku kerja contoh."
            )
        self._span = match.span()
        content = match.group(1) or b""
        number = 0
        for row in _ROW.finditer(content):
            ref = _ROW_R.search(row.group(1))
            number = int(ref.group(1)) if ref else number + 1
            self.rows[number] = _Row(row.group(1), row.group(0))

    def style(self, row: int, col: int) -> int:
        entry = self.rows.get(row)
        if entry is None:
            return 0
        xml = entry.parsed(row).get(col)
        if xml is None:
            return 0
        match = _ATTR_S.search(_CELL.match(xml).group(1))  # type: ignore[union-attr]
        return int(match.group(1)) if match else 0

    def set(self, row: int, col: int, value: Value | bool, style: int) -> None:
        entry = self.rows.setdefault(row, _Row(f' r="{row}"'.encode(), b""))
        cells = entry.parsed(row)
        old = cells.get(col)
        if old is not None and b"<f" in old:
            self.removed_formula = True
        new = cell_xml(f"{column_letters(col)}{row}", value, style)
        if new:
            cells[col] = new
            self.max_row, self.max_col = max(self.max_row, row), max(self.max_col, col)
        else:
            cells.pop(col, None)
        self.changed = True

    def render(self) -> bytes:
        parts = []
        for number in sorted(self.rows):
            entry = self.rows[number]
            if entry.cells is None:
                parts.append(entry.original)
                continue
            attrs = _SPANS.sub(b"", entry.attrs)
            if not _ROW_R.search(attrs):
                attrs = f' r="{number}"'.encode() + attrs
            cells = b"".join(entry.cells[col] for col in sorted(entry.cells))
            if not cells and attrs.strip() == f'r="{number}"'.encode():
                continue
            parts.append(b"<row" + attrs + (b">" + cells + b"</row>" if cells else b"/>"))
        body = b"<sheetData>" + b"".join(parts) + b"</sheetData>"
        start, end = self._span
        return self._dimension(self.xml[:start]) + body + self.xml[end:]

    def _dimension(self, head: bytes) -> bytes:
        """Widen ``<dimension ref>`` over cells written beyond it (readers trust it)."""
        match = _DIMENSION.search(head)
        if match is None or not self.max_row:
            return head
        try:
            r1, c1, r2, c2 = split_range(match.group(1).decode())
        except ValueError:
            return head
        if self.max_row <= r2 and self.max_col <= c2:
            return head
        ref = f"{column_letters(c1)}{r1}:{column_letters(max(c2, self.max_col))}{max(r2, self.max_row)}"
        return head[: match.start(1)] + ref.encode() + head[match.end(1) :]


def _resize_table(xml: bytes, new_ref: str) -> bytes:
    def table_tag(match: re.Match[bytes]) -> bytes:
        return re.sub(rb'\bref="[^"]*"', f'ref="{new_ref}"'.encode(), match.group(0), count=1)

    xml = re.sub(rb"<table\b[^>]*>", table_tag, xml, count=1)
    return re.sub(
        rb'(<autoFilter\b[^>]*?\bref=")[^"]*(")', rb"\g<1>" + new_ref.encode() + rb"\g<2>", xml, count=1
    )


class ResultWriter:
    def __init__(self, book: WorkbookFile) -> None:
        self.book = book
        self.editors: dict[str, SheetEditor] = {}
        self.replaced: dict[str, bytes] = {}

    def editor(self, sheet: str) -> SheetEditor:
        if sheet not in self.editors:
            self.editors[sheet] = SheetEditor(self.book.package.read(self.book.sheets[sheet].part))
        return self.editors[sheet]

    def _table(self, name: str) -> TableDef:
        tdef = self.book.table(name)
        if tdef is None:
            raise BerkasTidakDapatDipakai(
                f"Tabel hasil '{name}' tidak ditemukan di '{self.book.package.name}'. "
                "Salin lembar hasil itu dari buku kerja contoh (tabel hasil hanya diisi oleh Hitung IKU)."
            )
        if tdef.totals_rows:
            raise BerkasTidakDapatDipakai(
                f"Tabel '{name}' memakai baris total; matikan 'Total Row' pada tabel itu."
            )
        return tdef

    def _set_ref(self, tdef: TableDef, last_row: int) -> None:
        r1, c1, r2, c2 = tdef.bounds
        if last_row == r2:
            return
        new_ref = f"{column_letters(c1)}{r1}:{column_letters(c2)}{last_row}"
        self.replaced[tdef.part] = _resize_table(
            self.replaced.get(tdef.part, self.book.package.read(tdef.part)), new_ref
        )

    def prepare(self, results: ResultTables) -> None:
        names = list(results.tables) + ([c.T_RIWAYAT] if results.riwayat_updates else [])
        for name in names:
            tdef = self._table(name)
            r1, c1, r2, c2 = tdef.bounds
            if name in results.tables:
                match_columns(name, tdef.sheet, tdef.columns, results.headers[name])
            first = r1 + tdef.header_rows
            new_last = last_row_needed(results, name, first)
            if new_last <= r2:
                continue
            filled = self.book.cells(tdef.sheet).filled_in(r2 + 1, new_last, c1, c2)
            if filled:
                row, col = filled[0]
                raise no_room(name, tdef.sheet, f"{column_letters(col)}{row}", new_last - r2)

    def write_table(self, name: str, headers: Sequence[str], rows: list[list[Value]]) -> None:
        tdef = self._table(name)
        r1, c1, r2, _ = tdef.bounds
        editor = self.editor(tdef.sheet)
        columns = [c1 + j for j in match_columns(name, tdef.sheet, tdef.columns, headers)]
        first = r1 + tdef.header_rows
        rows = rows or [[None] * len(headers)]
        styles = {col: editor.style(first, col) for col in columns}
        new_last = first + len(rows) - 1
        for i, values in enumerate(rows):
            for col, value in zip(columns, values, strict=True):
                editor.set(first + i, col, value, editor.style(first + i, col) or styles[col])
        # Only rows that exist: a table stretched to row 1048576 costs nothing more.
        for r in [r for r in editor.rows if new_last < r <= r2]:
            for col in columns:
                editor.set(r, col, None, 0)
        self._set_ref(tdef, new_last)

    def has_name(self, name: str) -> bool:
        target = self.book.name_target(name)
        return target is not None and target[0] in self.book.sheets

    def write_name(self, name: str, value: Value) -> None:
        target = self.book.name_target(name)
        if target is None or target[0] not in self.book.sheets:
            raise BerkasTidakDapatDipakai(f"Nama sel '{name}' tidak ditemukan di '{self.book.package.name}'.")
        sheet, ref = target
        row, col = split_ref(ref)
        editor = self.editor(sheet)
        editor.set(row, col, value, editor.style(row, col))

    def update_rows(self, name: str, updates: list[RowUpdate]) -> None:
        """Set cells of an input table by header; rows past its end extend it (styles of its last row)."""
        tdef = self._table(name)
        _, c1, r2, _ = tdef.bounds
        position = {normal_header(h): c1 + j for j, h in reversed(list(enumerate(tdef.columns)))}
        editor = self.editor(tdef.sheet)
        last = r2
        for update in updates:
            row = update.row
            last = max(last, row)
            for header, value in update.values.items():
                col = position[header]
                editor.set(row, col, value, editor.style(row, col) or editor.style(r2, col))
        self._set_ref(tdef, last)

    def result(self) -> bytes:
        replaced = dict(self.replaced)
        removed_formula = False
        for sheet, editor in self.editors.items():
            if editor.changed:
                replaced[self.book.sheets[sheet].part] = editor.render()
                removed_formula |= editor.removed_formula
        removed: set[str] = set()
        package = self.book.package
        if removed_formula and "xl/calcChain.xml" in package:
            # Excel rebuilds the calculation chain; a stale one makes it repair the file.
            removed.add("xl/calcChain.xml")
            rels = package.read("xl/_rels/workbook.xml.rels")
            replaced["xl/_rels/workbook.xml.rels"] = re.sub(
                rb"<Relationship\b[^>]*calcChain[^>]*/>", b"", rels
            )
            types = package.read("[Content_Types].xml")
            replaced["[Content_Types].xml"] = re.sub(rb"<Override\b[^>]*calcChain[^>]*/>", b"", types)
        return write_package(package, replaced, removed)


def table_headers(book: WorkbookFile, name: str) -> list[str] | None:
    tdef = book.table(name)
    return list(tdef.columns) if tdef else None
