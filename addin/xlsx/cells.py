"""The cells of one worksheet, read in bulk and kept as columns.

A survey sheet of 100,000 respondents holds over a million cells. Building a
Python object per cell costs seconds and hundreds of megabytes, so the cells
Excel writes in its usual form (``<c r="B7" s="3" t="s"><v>12</v></c>``) are
tokenised with numpy over the raw bytes: positions, references, styles and
values become arrays, and Python objects are made only for the values a
table hands on. Any cell in another form (a formula, an inline string, an
entity, an unknown attribute) is parsed whole by the tolerant per-cell
parser, so both routes give the same values by construction; a sheet whose
structure is not Excel's usual one (namespace prefixes, rows without
numbers, cells out of order) is read entirely by the tolerant reader.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from iku_engine.numbers import CellValue

from ..cell_values import excel_serial_to_iso


@dataclass
class Cell:
    value: object  # str, float, bool or None; dates already ISO text
    style: int = 0
    formula: bool = False
    cached: bool = True  # False: a formula without a stored result


# A parser of one cell: (attributes after "<c", body between the tags) -> Cell.
CellParser = Callable[[bytes, bytes], Cell]

_SHEET_DATA_OPEN = re.compile(rb"<sheetData\b[^>]*?(/?)>")
_CELL_REF = re.compile(rb"""\br\s*=\s*["']\$?([A-Za-z]{1,3})\$?\d+["']""")
_CHUNK = 4 * 1024 * 1024
_PAD = 64
EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384  # XFD
_COLUMN_SHIFT = 15  # keys: row << 15 | column (columns up to 16,384 need 15 bits)
# Whole numbers Excel stores as short digit strings (answers, counts) share
# their float objects: a million answers of 1-4 are four objects, not a million.
_SMALL = np.array([float(i) for i in range(4096)], dtype=object)


class NotBulk(Exception):
    """The sheet is not in Excel's usual form: read it with the tolerant reader."""


class SheetCells:
    """Every cell of a sheet, sorted by (row, column)."""

    def __init__(
        self,
        rows: np.ndarray,
        cols: np.ndarray,
        styles: np.ndarray,
        values: np.ndarray,
        whole: dict[int, Cell],
    ) -> None:
        self.rows = rows
        self.cols = cols
        self.styles = styles
        self.values = values
        self.whole = whole  # index -> the cells parsed one by one (formulas among them)
        self.keys = (rows.astype(np.int64) << _COLUMN_SHIFT) | cols.astype(np.int64)

    @classmethod
    def from_dict(cls, cells: dict[tuple[int, int], Cell]) -> SheetCells:
        keys = sorted(cells)
        n = len(keys)
        rows = np.fromiter((k[0] for k in keys), dtype=np.int64, count=n)
        cols = np.fromiter((k[1] for k in keys), dtype=np.int64, count=n)
        styles = np.fromiter((cells[k].style for k in keys), dtype=np.int64, count=n)
        values = np.empty(n, dtype=object)
        values[:] = [cells[k].value for k in keys]
        whole = {i: cells[k] for i, k in enumerate(keys) if cells[k].formula}
        return cls(rows, cols, styles, values, whole)

    def __len__(self) -> int:
        return len(self.rows)

    def _index(self, row: int, col: int) -> int | None:
        key = (row << _COLUMN_SHIFT) | col
        i = int(np.searchsorted(self.keys, key))
        return i if i < len(self.keys) and self.keys[i] == key else None

    def get(self, row: int, col: int) -> Cell | None:
        i = self._index(row, col)
        if i is None:
            return None
        if i in self.whole:
            return self.whole[i]
        return Cell(self.values[i], int(self.styles[i]))

    def filled_in(
        self, first_row: int, last_row: int, first_col: int, last_col: int
    ) -> list[tuple[int, int]]:
        """(row, col) of cells in the range that hold a value or a formula."""
        lo = int(np.searchsorted(self.keys, first_row << _COLUMN_SHIFT))
        hi = int(np.searchsorted(self.keys, (last_row + 1) << _COLUMN_SHIFT))
        found = []
        for i in range(lo, hi):
            col = int(self.cols[i])
            if not first_col <= col <= last_col:
                continue
            cell = self.whole.get(i)
            if (cell is not None and cell.formula) or self.values[i] not in (None, ""):
                found.append((int(self.rows[i]), col))
        return found

    def block(
        self, first_row: int, last_row: int, first_col: int, last_col: int
    ) -> tuple[list[int], list[list[CellValue]], set[tuple[int, int]]]:
        """A rectangle as rows of values: (sheet row numbers, rows, uncached).

        Rows that hold no cell are left out when the rectangle is much larger
        than the cells in it (a table stretched to row 1048576); ``uncached``
        holds (row index, column index) of formulas without a stored result.
        """
        lo = int(np.searchsorted(self.keys, first_row << _COLUMN_SHIFT))
        hi = int(np.searchsorted(self.keys, (last_row + 1) << _COLUMN_SHIFT))
        rows, cols = self.rows[lo:hi], self.cols[lo:hi]
        inside = (cols >= first_col) & (cols <= last_col)
        index = np.flatnonzero(inside) + lo
        rows, cols = rows[inside], cols[inside]
        present = _distinct(rows)
        span = last_row - first_row + 1
        if len(present) == span or span - 1 < 100_000:
            numbers = np.arange(first_row, last_row + 1, dtype=np.int64)
            position = rows - first_row
        else:
            numbers = present
            position = np.searchsorted(present, rows)
        width = last_col - first_col + 1
        dense = np.full((len(numbers), width), None, dtype=object)
        dense[position, cols - first_col] = self.values[index]
        uncached = set()
        for i, cell in self.whole.items():
            col = int(self.cols[i])
            if cell.cached or not lo <= i < hi or not first_col <= col <= last_col:
                continue
            row = int(self.rows[i])
            at = row - first_row if len(numbers) == span else int(np.searchsorted(numbers, row))
            uncached.add((at, col - first_col))
        return numbers.tolist(), dense.tolist(), uncached


# np.unique and np.isin import numpy.ma on first use (tens of milliseconds of
# start-up); these two cases need neither.
def _distinct(ordered: np.ndarray) -> np.ndarray:
    """The distinct values of a sorted array."""
    if len(ordered) == 0:
        return ordered
    first: np.ndarray = ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]
    return first


def _tag_end(byte: np.ndarray) -> np.ndarray:
    """A byte that can follow an element name: space, '>' or '/'."""
    follows: np.ndarray = (byte == 32) | (byte == 62) | (byte == 47)
    return follows


def _is_digit(byte: np.ndarray) -> np.ndarray:
    return (byte >= 48) & (byte <= 57)


def _run(
    data: np.ndarray, start: np.ndarray, accept: Callable[[np.ndarray], np.ndarray], most: int
) -> np.ndarray:
    """How many bytes from each start (at most ``most``) ``accept`` takes in a row."""
    count = np.zeros(len(start), dtype=np.int64)
    going = np.ones(len(start), dtype=bool)
    for k in range(most + 1):
        going &= accept(data[start + k])
        if not going.any():
            break
        count += going
    return count


def _number(data: np.ndarray, start: np.ndarray, count: np.ndarray) -> np.ndarray:
    """The whole number written by ``count`` digits from each start (count <= 15)."""
    value = np.zeros(len(start), dtype=np.int64)
    for k in range(int(count.max()) if len(count) else 0):
        use = k < count
        value = np.where(use, value * 10 + (data[start + k].astype(np.int64) - 48), value)
    return value


def _bytes_equal(data: np.ndarray, start: np.ndarray, expected: bytes) -> np.ndarray:
    match = np.ones(len(start), dtype=bool)
    for k, byte in enumerate(expected):
        match &= data[start + k] == byte
    return match


def read_bulk(
    xml: bytes,
    shared_strings: list[str],
    date_styles: set[int],
    parse_cell: CellParser,
    chunk_bytes: int = _CHUNK,
) -> SheetCells:
    """Every cell of a sheet part; raises :class:`NotBulk` for an unusual sheet.

    The sheet is cut after a ``</row>`` every ``chunk_bytes`` so that the
    arrays of one pass stay small."""
    opening = _SHEET_DATA_OPEN.search(xml)
    if opening is None:
        raise NotBulk
    nothing = np.empty(0, dtype=np.int32)
    empty = SheetCells(nothing, nothing, nothing, np.empty(0, dtype=object), {})
    if opening.group(1):
        return empty
    start = opening.end()
    end = xml.find(b"</sheetData>", start)
    if end < 0:
        raise NotBulk
    strings = np.empty(len(shared_strings), dtype=object)
    strings[:] = shared_strings
    dates = np.array(sorted(date_styles), dtype=np.int64)
    parts = []
    while start < end:
        stop = xml.find(b"</row>", min(start + chunk_bytes, end))
        stop = end if stop < 0 or stop >= end else stop + len(b"</row>")
        rows, cols, styles, values, found = _chunk(xml[start:stop], strings, dates, parse_cell)
        # Rows (7 digits) and columns (3 letters) fit 32 bits; styles stay 64.
        parts.append((rows.astype(np.int32), cols.astype(np.int32), styles, values, found))
        start = stop
    if not parts:
        return empty
    rows = np.concatenate([p[0] for p in parts])
    cols = np.concatenate([p[1] for p in parts])
    styles = np.concatenate([p[2] for p in parts])
    values = np.concatenate([p[3] for p in parts])
    whole: dict[int, Cell] = {}
    offset = 0
    for p in parts:
        whole.update({offset + i: cell for i, cell in p[4].items()})
        offset += len(p[0])
    if len(cols) and (int(cols.max()) > EXCEL_COLUMNS or int(rows.max()) > EXCEL_ROWS):
        raise NotBulk  # a cell outside Excel's grid: the tolerant reader leaves it out
    sheet = SheetCells(rows, cols, styles, values, whole)
    keys = sheet.keys
    if len(keys) > 1 and not bool(np.all(keys[1:] > keys[:-1])):
        raise NotBulk  # cells out of order or repeated: the tolerant reader decides
    return sheet


def _chunk(
    text: bytes, strings: np.ndarray, dates: np.ndarray, parse_cell: CellParser
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict[int, Cell]]:
    data = np.frombuffer(text + b"\0" * _PAD, dtype=np.uint8)
    size = len(text)
    lt = np.flatnonzero(data[:size] == 60)  # '<'
    next1, next2 = data[lt + 1], data[lt + 2]

    # Rows: every <row must be '<row r="N"'.
    row_tag = (next1 == 114) & (next2 == 111) & (data[lt + 3] == 119) & _tag_end(data[lt + 4])
    row_starts = lt[row_tag]
    if not bool(_bytes_equal(data, row_starts + 4, b' r="').all()):
        raise NotBulk
    row_digits = _run(data, row_starts + 8, _is_digit, 8)
    if bool(((row_digits < 1) | (row_digits > 7)).any()) or bool(
        (data[row_starts + 8 + row_digits] != 34).any()
    ):
        raise NotBulk
    row_numbers = _number(data, row_starts + 8, row_digits)

    # Cells: every <c must be '<c r="'.
    starts = lt[(next1 == 99) & _tag_end(next2)]
    n = len(starts)
    if n == 0:
        none = np.empty(0, dtype=np.int64)
        return none, none, none, np.empty(0, dtype=object), {}
    if not bool(_bytes_equal(data, starts + 2, b' r="').all()):
        raise NotBulk
    owner = np.searchsorted(row_starts, starts) - 1
    if bool((owner < 0).any()):
        raise NotBulk
    rows = row_numbers[owner]

    gt = np.flatnonzero(data[:size] == 62)  # '>'
    closes = lt[(next1 == 47) & (next2 == 99) & (data[lt + 3] == 62)]  # '</c>'
    tag_at = np.searchsorted(gt, starts)
    if bool((tag_at >= len(gt)).any()):
        raise NotBulk
    tag_end = gt[tag_at]
    self_closing = data[tag_end - 1] == 47
    close_at = np.searchsorted(closes, starts)
    if bool((~self_closing & (close_at >= len(closes))).any()):
        raise NotBulk
    own_close = closes[np.minimum(close_at, len(closes) - 1)] if len(closes) else tag_end
    close = np.where(self_closing, tag_end, own_close)
    ends = np.where(self_closing, tag_end + 1, close + 4)
    if bool((ends[:-1] > starts[1:]).any()):
        raise NotBulk

    # Reference: 1-3 capital letters, 1-7 digits, a quote. Others go one by one.
    letters = _run(data, starts + 6, lambda b: (b >= 65) & (b <= 90), 3)
    digits = _run(data, starts + 6 + letters, _is_digit, 7)
    quote = letters + digits
    usual = (letters >= 1) & (letters <= 3) & (digits >= 1) & (digits <= 7) & (data[starts + 6 + quote] == 34)
    cols = np.zeros(n, dtype=np.int64)
    for k in range(3):
        cols = np.where(k < letters, cols * 26 + (data[starts + 6 + k].astype(np.int64) - 64), cols)

    # Attributes after the reference: nothing, s="N", t="s"/t="n", in Excel's order.
    attr_start = starts + 6 + quote + 1
    attr_len = tag_end - self_closing - attr_start
    has_s = (attr_len >= 6) & _bytes_equal(data, attr_start, b' s="')
    style_digits = _run(data, attr_start + 4, _is_digit, 9)
    has_s &= (style_digits >= 1) & (style_digits <= 9) & (data[attr_start + 4 + style_digits] == 34)
    styles = _number(data, attr_start + 4, np.where(has_s, style_digits, 0))
    after_s = attr_start + np.where(has_s, 4 + style_digits + 1, 0)
    has_t = _bytes_equal(data, after_s, b' t="') & (data[after_s + 5] == 34)
    kind = data[after_s + 4]
    has_t &= (kind == 115) | (kind == 110)
    shared = has_t & (kind == 115)
    usual &= np.where(has_t, after_s + 6, after_s) == attr_start + attr_len

    # Body: nothing, or exactly <v>text</v> without markup.
    body_start = tag_end + 1
    body_len = np.where(self_closing, 0, close - body_start)
    has_v = (body_len >= 7) & _bytes_equal(data, body_start, b"<v>")
    has_v &= _bytes_equal(data, np.maximum(close - 4, 0), b"</v>")
    markup = np.searchsorted(lt, close) - np.searchsorted(lt, body_start)
    usual &= self_closing | (body_len == 0) | (has_v & (markup == 2))
    value_start = body_start + 3
    value_len = np.where(has_v, body_len - 7, 0)
    whole_number = has_v & (value_len >= 1) & (value_len <= 15)
    whole_number &= _run(data, value_start, _is_digit, 15) == value_len
    numbers = _number(data, value_start, np.where(whole_number, value_len, 0))
    usual &= ~(shared & has_v & ~whole_number)
    string_index = whole_number & shared & usual
    usual &= ~(whole_number & shared & (numbers >= len(strings)))
    string_index &= usual
    if len(dates):
        date_style = np.zeros(int(dates.max()) + 1, dtype=bool)
        date_style[dates] = True
        is_date = has_s & (styles < len(date_style)) & date_style[np.minimum(styles, len(date_style) - 1)]
    else:
        is_date = np.zeros(n, dtype=bool)

    values = np.full(n, None, dtype=object)
    number = whole_number & ~shared & ~is_date
    small = number & (numbers < len(_SMALL))
    values[small] = _SMALL[numbers[small]]
    large = number & ~small
    values[large] = numbers[large].astype(np.float64).astype(object)
    values[string_index] = strings[numbers[string_index]]
    whole_dates = whole_number & ~shared & is_date & usual
    if whole_dates.any():
        serials = numbers[whole_dates]
        days = _distinct(np.sort(serials))
        where = np.searchsorted(days, serials)
        shown = np.empty(len(days), dtype=object)
        shown[:] = [excel_serial_to_iso(float(d)) for d in days.tolist()]
        values[whole_dates] = shown[where]

    # Numbers written otherwise (decimals, exponents, signs): per distinct text.
    other = usual & has_v & ~shared & ~whole_number
    parsed: dict[tuple[bytes, bool], object] = {}
    for i in np.flatnonzero(other).tolist():
        raw = text[value_start[i] : value_start[i] + value_len[i]]
        if b"&" in raw:  # an entity: the per-cell parser decodes it
            usual[i] = False
            continue
        key = (raw, bool(is_date[i]))
        if key not in parsed:
            decoded = raw.decode("utf-8")
            try:
                number_value: object = float(decoded)
            except ValueError:
                number_value = decoded
            if key[1] and isinstance(number_value, float):
                number_value = excel_serial_to_iso(number_value)
            parsed[key] = number_value
        values[i] = parsed[key]

    whole: dict[int, Cell] = {}
    for i in np.flatnonzero(~usual).tolist():
        cell_attrs = text[starts[i] + 2 : tag_end[i] - int(self_closing[i])]
        body = b"" if self_closing[i] else text[body_start[i] : close[i]]
        cell = parse_cell(cell_attrs, body)
        found = _CELL_REF.search(cell_attrs)
        if found is None:
            raise NotBulk
        cols[i] = _column(found.group(1))
        styles[i] = cell.style
        values[i] = cell.value
        if cell.formula or not cell.cached:
            whole[i] = cell
    return rows, cols, styles, values, whole


def _column(letters: bytes) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number
