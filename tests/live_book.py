"""A stand-in for a live Excel book behind xlwings on Windows (COM), for the
"Hitung IKU" button's door (``addin.excel_book.jalankan(book, live=True)``).

It offers the part of xlwings' Book API the door uses, over the stored
values of a real workbook file (``tests.vba_client.open_book``), with the
value semantics of xlwings 0.37.8's COM engine (``xlwings/_xlwindows.py``):

- reading (``_clean_value_data_element``, lines 455-477): empty cells are
  None; dates are datetimes; numbers are floats whatever their number format;
  the seven errors in ``cell_errors`` (lines 445-453) are None, or their text
  with ``err_to_str=True``; other error values (#SPILL!, #CALC!) arrive as
  the COM integer pywin32 gives (0x800A0000 + Excel's error number);
- ``options(ndim=2)`` always gives rows (conversion/standard.py, Ensure2DStage);
- writing (``prepare_xl_data_element``, lines 517-531, then COM
  ``Range.Value = ...``): None becomes an empty cell, text is parsed by Excel
  as if typed (``tests.vba_client.excel_assign``);
- a protected sheet refuses writes (Excel raises a COM error), and the
  workbook's macros ``BukaLembarHasil``/``KunciLembarHasil`` are run through
  ``book.macro(name)()`` as xlwings does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from openpyxl.utils import get_column_letter, range_boundaries

from addin.contract import RESULT_SHEETS
from tests.vba_client import _EMPTY, KNOWN_ERRORS, ExcelBook, Sheet, VbaError, excel_assign

XL_ERROR_NUMBERS = {
    "#NULL!": 2000,
    "#DIV/0!": 2007,
    "#VALUE!": 2015,
    "#REF!": 2023,
    "#NAME?": 2029,
    "#NUM!": 2036,
    "#N/A": 2042,
    "#SPILL!": 2045,
    "#CALC!": 2050,
}


class ComError(Exception):
    """What pywin32 raises when Excel refuses (e.g. a write to a protected sheet)."""


def _com_read(value: Any, err_to_str: bool) -> Any:
    if value is _EMPTY or value is None or value == "":
        return None
    if isinstance(value, VbaError):
        if value.text in KNOWN_ERRORS:
            return value.text if err_to_str else None
        return -2146828288 + XL_ERROR_NUMBERS[value.text]
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


class LiveRange:
    def __init__(
        self, sheet: LiveSheet, r1: int, c1: int, r2: int, c2: int, options: dict[str, Any] | None = None
    ):
        self.sheet, self.r1, self.c1, self.r2, self.c2 = sheet, r1, c1, r2, c2
        self._options = options or {}

    @property
    def row(self) -> int:
        return self.r1

    @property
    def column(self) -> int:
        return self.c1

    @property
    def address(self) -> str:
        return f"${get_column_letter(self.c1)}${self.r1}:${get_column_letter(self.c2)}${self.r2}"

    def __getitem__(self, key: tuple[int, int]) -> LiveRange:
        i, j = key
        return LiveRange(self.sheet, self.r1 + i, self.c1 + j, self.r1 + i, self.c1 + j)

    def options(self, **options: Any) -> LiveRange:
        return LiveRange(self.sheet, self.r1, self.c1, self.r2, self.c2, options)

    @property
    def value(self) -> Any:
        grid = self.sheet.model.grid
        err_to_str = self._options.get("err_to_str", False)
        rows = []
        for r in range(self.r1, self.r2 + 1):
            line = grid[r - 1] if r - 1 < len(grid) else []
            rows.append(
                [
                    _com_read(line[c - 1] if c - 1 < len(line) else _EMPTY, err_to_str)
                    for c in range(self.c1, self.c2 + 1)
                ]
            )
        if self._options.get("ndim") == 2:
            return rows
        if len(rows) == 1 and len(rows[0]) == 1:
            return rows[0][0]
        if len(rows) == 1:
            return rows[0]
        if all(len(r) == 1 for r in rows):
            return [r[0] for r in rows]
        return rows

    @value.setter
    def value(self, data: Any) -> None:
        self.sheet.check_writable()
        self.sheet.book.round_trips += 1
        rows = data if isinstance(data, list) and data and isinstance(data[0], list) else [[data]]
        assert len(rows) == self.r2 - self.r1 + 1 and len(rows[0]) == self.c2 - self.c1 + 1, "shape"
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                where = f"{self.sheet.name}!{get_column_letter(self.c1 + j)}{self.r1 + i}"
                self.sheet.put(self.r1 + i, self.c1 + j, excel_assign(self.sheet.book.model, where, value))

    def clear_contents(self) -> None:
        self.sheet.check_writable()
        self.sheet.book.round_trips += 1
        for r in range(self.r1, self.r2 + 1):
            for c in range(self.c1, self.c2 + 1):
                self.sheet.put(r, c, _EMPTY)


class LiveTable:
    def __init__(self, sheet: LiveSheet, index: int) -> None:
        self.sheet, self.index = sheet, index

    @property
    def _model(self) -> Any:
        return self.sheet.model.tables[self.index]

    @property
    def name(self) -> str:
        return str(self._model.name)

    def _bounds(self) -> tuple[int, int, int, int]:
        c1, r1, c2, r2 = range_boundaries(self._model.ref)
        return r1, c1, r2, c2

    @property
    def range(self) -> LiveRange:
        r1, c1, r2, c2 = self._bounds()
        return LiveRange(self.sheet, r1, c1, r2, c2)

    @property
    def header_row_range(self) -> LiveRange:
        r1, c1, _, c2 = self._bounds()
        return LiveRange(self.sheet, r1, c1, r1, c2)

    @property
    def data_body_range(self) -> LiveRange | None:
        r1, c1, r2, c2 = self._bounds()
        return LiveRange(self.sheet, r1 + 1, c1, r2, c2) if r2 > r1 else None

    def resize(self, rng: LiveRange) -> None:
        self.sheet.check_writable()
        self.sheet.book.round_trips += 1
        self._model.ref = rng.address.replace("$", "")


class LiveSheet:
    def __init__(self, book: LiveBook, model: Sheet) -> None:
        self.book, self.model = book, model
        self.protected = model.name in RESULT_SHEETS

    @property
    def name(self) -> str:
        return self.model.name

    @property
    def tables(self) -> list[LiveTable]:
        return [LiveTable(self, i) for i in range(len(self.model.tables))]

    def range(self, first: Any, last: Any = None) -> LiveRange:
        if isinstance(first, str):
            c1, r1, c2, r2 = range_boundaries(first)
            return LiveRange(self, r1, c1, r2, c2)
        (r1, c1), (r2, c2) = first, last or first
        return LiveRange(self, r1, c1, r2, c2)

    def put(self, row: int, col: int, value: Any) -> None:
        grid = self.model.grid
        while len(grid) < row:
            grid.append([])
        line = grid[row - 1]
        while len(line) < col:
            line.append(_EMPTY)
        line[col - 1] = value

    def check_writable(self) -> None:
        if self.protected:
            raise ComError(
                f"The cell or chart you're trying to change is on a protected sheet ({self.name})."
            )


class LiveName:
    def __init__(self, book: LiveBook, sheet: str, ref: str) -> None:
        self.book, self.sheet, self.ref = book, sheet, ref

    @property
    def refers_to_range(self) -> LiveRange:
        return self.book.sheets[self.sheet].range(self.ref)


class LiveNames:
    def __init__(self, book: LiveBook) -> None:
        self.book = book

    def __getitem__(self, name: str) -> LiveName:
        for defined, sheet, ref in self.book.model.names:
            if defined.casefold() == name.casefold():
                return LiveName(self.book, sheet, ref)
        raise KeyError(name)  # pywin32 raises a com_error here; the door catches any exception


class LiveSheets(list[LiveSheet]):
    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return next(s for s in self if s.name == key)
        return super().__getitem__(key)


class LiveApp:
    def __init__(self) -> None:
        self.alerts: list[tuple[str, str, str]] = []
        self.screen_updating = True
        self.status_bar: Any = False

    def alert(self, prompt: str, title: str = "", mode: str = "") -> None:
        self.alerts.append((prompt, title, mode))


class LiveBook:
    def __init__(self, model: ExcelBook) -> None:
        self.model = model
        self.name = model.name
        self.app = LiveApp()
        self.sheets = LiveSheets(LiveSheet(self, s) for s in model.sheets)
        self.names = LiveNames(self)
        self.round_trips = 0
        self.macros_run: list[str] = []
        self.written_at: dt.datetime | None = None

    def macro(self, name: str) -> Any:
        def run() -> None:
            self.macros_run.append(name)
            for sheet in self.sheets:
                if sheet.name in RESULT_SHEETS:
                    sheet.protected = name == "KunciLembarHasil"

        return run
