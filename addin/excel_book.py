"""The Excel doors: a live book (``RunPython``) or the JSON book of
``RunRemotePython``, both seen through xlwings' Book API.

Both are a table source and a result sink for :mod:`addin.pipeline`.
Reading finds tables by name and header text and applies the one cell rule
(:mod:`addin.cell_values`); writing puts each result table in place with one
range assignment (plus a resize or a clear when its length changes), so one
"Hitung IKU" costs a fixed number of Excel round trips whatever the number
of rows. Every text written gets Excel's quote prefix, so user text never
becomes a formula.

This module runs inside Excel's Python on Windows and macOS: no OS-specific calls.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from iku_engine.models import HasilIKU
from iku_engine.numbers import CellValue
from iku_engine.problems import Lokasi

from . import contract as c
from . import pipeline
from .a1 import column_letters, split_range
from .cell_values import excel_text, from_xlwings
from .errors import BerkasTidakDapatDipakai
from .outputs import ResultTables, RowUpdate, Value, last_row_needed, match_columns, no_room
from .tables import TableData, Wanted, normal_header


def _read(rng: Any) -> list[list[CellValue]]:
    """A range's values as rows: errors as text, the cell rule applied (xlwings
    turns errors into None unless ``err_to_str``; ``ndim=2`` keeps one-column
    and one-row ranges as rows)."""
    values = rng.options(ndim=2, err_to_str=True).value
    return [[from_xlwings(v) for v in row] for row in values or []]


def _address(address: str) -> tuple[int, int, int, int]:
    return split_range(address.replace("$", ""))


class XlwingsTableSource:
    """:class:`addin.tables.TableSource` over an xlwings Book (live or remote)."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.file_name = str(book.name)
        self._tables: dict[str, tuple[Any, Any]] | None = None

    def _index(self) -> dict[str, tuple[Any, Any]]:
        if self._tables is None:
            self._tables = {}
            for sheet in self.book.sheets:
                for table in sheet.tables:
                    self._tables[str(table.name).casefold()] = (sheet, table)
        return self._tables

    def find(self, name: str) -> tuple[Any, Any] | None:
        return self._index().get(name.casefold())

    def has_sheet(self, name: str) -> bool:
        return name in [s.name for s in self.book.sheets]

    def _values(self, sheet: Any, rng: Any, keep: list[bool] | None = None) -> list[list[CellValue]]:
        """A range's values under the cell rule (one read through xlwings, every column)."""
        return _read(rng)

    def table(self, name: str, wanted: Wanted | None = None) -> TableData | None:
        found = self.find(name)
        if found is None:
            return None
        sheet, table = found
        header_range = table.header_row_range
        headers = ["" if h is None else str(h) for h in self._values(sheet, header_range)[0]]
        body = table.data_body_range
        keep = None if wanted is None else [wanted(h) for h in headers]
        rows = [] if body is None else self._values(sheet, body, keep)
        first_row = header_range.row + 1
        return TableData(
            name=str(table.name),
            sheet=str(sheet.name),
            headers=headers,
            first_col=header_range.column,
            rows=rows,
            row_numbers=list(range(first_row, first_row + len(rows))),
            first_row=first_row,
            last_row=first_row + len(rows) - 1,
        )

    def named_cell(self, name: str) -> tuple[CellValue, Lokasi, bool] | None:
        try:
            target = self.book.names[name].refers_to_range
        except Exception:  # xlwings raises per engine: KeyError, COM or remote errors
            return None
        if target is None:
            return None
        ref = target.address.replace("$", "").split(":")[0]
        return (
            self._values(target.sheet, target[0, 0])[0][0],
            Lokasi(lembar=str(target.sheet.name), sel=ref),
            False,
        )


def _safe(rows: list[list[Value]]) -> list[list[object]]:
    """Text with Excel's quote prefix; never NaN or Infinity."""
    return [
        [None if isinstance(v, float) and not math.isfinite(v) else excel_text(v) for v in row]
        for row in rows
    ]


class JsonBookSource(XlwingsTableSource):
    """The server door's source: the tables and names as xlwings' remote engine
    parses them, the values straight from the posted JSON. Reading through
    ``Range.value`` would convert every cell of every table again; this applies
    the same conversion (``xlwings/pro/_xlremote.py``, ``_clean_value_data_element``
    with ``err_to_str``, then the cell rule) once, to the cells a table holds."""

    def __init__(self, book: Any) -> None:
        super().__init__(book)
        self._grids = {str(s["name"]): s["values"] for s in book.impl.api["sheets"]}

    def _values(self, sheet: Any, rng: Any, keep: list[bool] | None = None) -> list[list[CellValue]]:
        r1, c1, r2, c2 = _address(rng.address)
        grid = self._grids.get(str(sheet.name)) or []
        height = r2 - r1 + 1
        if height <= 0:
            return []
        rows = grid[r1 - 1 : r2]
        if not all(len(cells) >= c2 for cells in rows):
            rows = [cells[:c2] + [None] * (c2 - len(cells)) for cells in rows]
        # Column by column: a survey column holds one kind of value, so most
        # columns need one type check and no conversion. Columns nobody reads
        # (a survey's dates and profile) stay None; rows past the grid are blank.
        blank: list[CellValue] = [None] * height
        missing = [None] * (height - len(rows))
        columns = [
            _json_column([cells[col] for cells in rows] + missing) if keep is None or keep[j] else blank
            for j, col in enumerate(range(c1 - 1, c2))
        ]
        return [list(row) for row in zip(*columns, strict=True)]


def _json_column(column: list[Any]) -> list[CellValue]:
    """A column of the posted JSON under xlwings' remote conversion and the cell rule."""
    kinds = set(map(type, column))
    if kinds <= {float, type(None)}:
        return column
    if kinds <= {int, float, type(None)}:
        # JSON whole numbers are Excel's doubles; no COM error code comes this way.
        return [float(v) if v.__class__ is int else v for v in column]
    if kinds <= {str, type(None)}:
        return [None if v is None else _json_text(v) for v in column]
    return [_json_value(v) for v in column]


@functools.lru_cache(maxsize=4096)  # dates, units and codes repeat across a survey's rows
def _json_text(value: str) -> CellValue:
    """Text of the posted JSON: empty is empty, ISO text with a time is a date."""
    if value == "":
        return None
    if _REMOTE_DATETIME.match(value):
        return from_xlwings(dt.datetime.fromisoformat(value[:-1] if value.endswith("Z") else value))
    return value


def _json_value(value: Any) -> CellValue:
    """A value of the posted JSON as xlwings' remote engine reads it with
    ``err_to_str=True`` (empty text is empty, ISO text with a time is a date),
    then the cell rule."""
    if value == "" or value is None:
        return None
    if isinstance(value, str):
        return _json_text(value)
    return from_xlwings(value)


_REMOTE_DATETIME = re.compile(
    r"^(-?(?:[1-9][0-9]*)?[0-9]{4})-(1[0-2]|0[1-9])-(3[01]|0[1-9]|[12][0-9])T(2[0-3]|[01][0-9]):([0-5][0-9]):"
    r"([0-5][0-9])(\.[0-9]+)?(Z|[+-](?:2[0-3]|[01][0-9]):[0-5][0-9])?$"
)  # xlwings/pro/_xlremote.py ``datetime_pattern`` (0.37.8)


class XlwingsResultSink:
    """:class:`addin.pipeline.ResultSink` into an xlwings Book: one assignment per table."""

    def __init__(self, source: XlwingsTableSource) -> None:
        self.source = source
        self.book = source.book
        self.written = False  # whether any cell has been written (for an honest error message)

    def _table(self, name: str) -> tuple[Any, Any]:
        found = self.source.find(name)
        if found is None:
            raise BerkasTidakDapatDipakai(
                f"Tabel hasil '{name}' tidak ditemukan. Salin lembar hasil dari buku kerja contoh "
                "(tabel hasil hanya diisi oleh Hitung IKU)."
            )
        return found

    def prepare(self, results: ResultTables) -> None:
        """All checks before the first write: tables, headers, room to grow (one
        read of the cells below a table that grows)."""
        names = list(results.tables) + ([c.T_RIWAYAT] if results.riwayat_updates else [])
        for name in names:
            sheet, table = self._table(name)
            if getattr(table, "show_totals", False):
                raise BerkasTidakDapatDipakai(
                    f"Tabel '{name}' memakai baris total; matikan 'Total Row' pada tabel itu (Desain Tabel), "
                    "lalu ulangi. Tidak ada yang ditulis."
                )
            r1, c1, r2, c2 = _address(table.range.address)
            if name in results.tables:
                match_columns(name, str(sheet.name), _read(table.header_row_range)[0], results.headers[name])
            new_last = last_row_needed(results, name, r1 + 1)
            if new_last <= r2:
                continue
            below = _read(sheet.range((r2 + 1, c1), (new_last, c2)))
            for i, row in enumerate(below):
                for j, value in enumerate(row):
                    if value not in (None, ""):
                        raise no_room(
                            name, str(sheet.name), f"{column_letters(c1 + j)}{r2 + 1 + i}", new_last - r2
                        )

    def _resize(self, sheet: Any, table: Any, r1: int, c1: int, c2: int, last: int, r2: int) -> None:
        if last != r2:
            table.resize(sheet.range(f"{column_letters(c1)}{r1}:{column_letters(c2)}{last}"))

    def write_table(self, name: str, headers: Sequence[str], rows: list[list[Value]]) -> None:
        sheet, table = self._table(name)
        r1, c1, r2, c2 = _address(table.range.address)
        present = _read(table.header_row_range)[0]
        columns = match_columns(name, str(sheet.name), present, headers)
        left, right = min(columns), max(columns)
        rows = rows or [[None] * len(headers)]
        grid: list[list[Value]] = [[None] * (right - left + 1) for _ in rows]
        for i, row in enumerate(rows):
            for j, value in zip(columns, row, strict=True):
                grid[i][j - left] = value
        first = r1 + 1
        new_last = first + len(rows) - 1
        self.written = True
        sheet.range((first, c1 + left), (new_last, c1 + right)).value = _safe(grid)
        if new_last < r2:
            sheet.range((new_last + 1, c1 + left), (r2, c1 + right)).clear_contents()
        self._resize(sheet, table, r1, c1, c2, new_last, r2)

    def has_name(self, name: str) -> bool:
        return self.source.named_cell(name) is not None

    def write_name(self, name: str, value: Value) -> None:
        self.written = True
        self.book.names[name].refers_to_range.value = excel_text(value)

    def update_rows(self, name: str, updates: list[RowUpdate]) -> None:
        """The updated rows of an input table in one assignment (a block over the updated columns)."""
        data = self.source.table(name)
        if data is None or not updates:
            return
        sheet, table = self._table(name)
        r1, c1, r2, c2 = _address(table.range.address)
        position = {normal_header(h): j for j, h in reversed(list(enumerate(data.headers)))}
        columns = sorted({position[h] for u in updates for h in u.values})
        left, right = columns[0], columns[-1]
        low, high = min(u.row for u in updates), max(u.row for u in updates)
        by_row = dict(zip(data.row_numbers, data.rows, strict=True))
        grid: list[list[Value]] = []
        for r in range(low, high + 1):
            old = by_row.get(r, [])
            grid.append([old[j] if j < len(old) else None for j in range(left, right + 1)])
        for u in updates:
            for header, value in u.values.items():
                grid[u.row - low][position[header] - left] = value
        self.written = True
        sheet.range((low, c1 + left), (high, c1 + right)).value = _safe(grid)
        self._resize(sheet, table, r1, c1, c2, max(r2, high), r2)


@dataclass
class Ringkasan:
    hasil: HasilIKU
    dihitung_pada: str

    @property
    def pesan(self) -> str:
        total = len(self.hasil.indikator)
        done = sum(1 for h in self.hasil.indikator if h.realisasi is not None)
        n = len(self.hasil.masalah)
        tahun = self.hasil.tahun or "?"
        text = f"IKU {tahun} selesai dihitung: {done} dari {total} indikator"
        if n:
            galat = sum(1 for m in self.hasil.masalah if m.tingkat == "Galat")
            return f"{text}; {n} masalah data ({galat} galat), lihat lembar Validasi."
        return f"{text}; tidak ada masalah data."


# VBA macros of workbook/vba/IKU.bas that open and lock the protected result sheets.
MACRO_OPEN_SHEETS = "BukaLembarHasil"
MACRO_LOCK_SHEETS = "KunciLembarHasil"


def _alert(book: Any, live: bool, message: str, mode: str) -> None:
    if live:
        book.app.alert(message, title="Hitung IKU", mode=mode)
    else:
        # Straight onto this book's actions: App.alert would go to the "active"
        # book, which concurrent requests on a server share.
        book.impl.append_json_action(func="alert", args=[message, "Hitung IKU", "", mode, ""])


def _run_macro(book: Any, name: str) -> None:
    # An older copy of the workbook without the macro: nothing to open or lock.
    with contextlib.suppress(Exception):
        book.macro(name)()


def jalankan(book: Any, live: bool) -> Ringkasan | None:
    """The button's whole run on a book, with an Indonesian message box at the
    end and never a Python traceback window. Returns None when it failed.

    On the live book Python itself opens the protected result sheets and locks
    them again after writing: on the Mac ``RunPython`` returns to VBA before
    Python has finished, so VBA cannot do it after the call.
    """
    source = XlwingsTableSource(book) if live else JsonBookSource(book)
    sink = XlwingsResultSink(source)
    if live:
        book.app.screen_updating = False
        book.app.status_bar = "Menghitung IKU, mohon tunggu..."
    try:
        computed = pipeline.compute(source)
        if live:
            _run_macro(book, MACRO_OPEN_SHEETS)
        pipeline.write(sink, computed)
    except BerkasTidakDapatDipakai as exc:
        _alert(book, live, f"{exc} Hasil tidak ditulis.", "critical")
        return None
    except Exception as exc:  # a user must never see a traceback window
        akibat = (
            "Sebagian hasil mungkin sudah tertulis; jalankan Hitung IKU lagi setelah masalahnya diatasi."
            if sink.written
            else "Hasil tidak ditulis."
        )
        _alert(
            book, live, f"{pipeline.PESAN_TAK_TERDUGA.format(jenis=type(exc).__name__)} {akibat}", "critical"
        )
        return None
    finally:
        if live:
            _run_macro(book, MACRO_LOCK_SHEETS)
            book.app.status_bar = False
            book.app.screen_updating = True
    ringkasan = Ringkasan(computed.hasil, computed.dihitung_pada)
    _alert(book, live, ringkasan.pesan, "info")
    return ringkasan
