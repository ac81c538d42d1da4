"""An emulation of xlwings 0.37.8's VBA client, written from its installed sources.

``RunRemotePython`` (``xlwings/addin/Remote.bas``) reads a workbook through
Excel's object model, turns it into JSON with ``WebHelpers.ConvertToJson``
(``xlwings/addin/WebHelpers.bas``), posts it, and replays the answer's
actions in Excel. This module does the same on a real ``.xlsm`` file, with
the same quirks, so that the server door is tested through what Excel would
really send and do. Line numbers refer to the files of xlwings 0.37.8.

Excel's side is modelled as ``Range.Value`` gives and takes values:
numbers as doubles whatever their number format (a 30% cell is 0.3),
date-formatted cells as dates, errors as VBA error values, and a string
assigned to ``Range.Value`` parsed as if typed (a leading apostrophe keeps
it text; ``=...`` becomes a formula).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter, range_boundaries

VERSION = "0.37.8"  # Remote.bas line 92: XLWINGS_VERSION of the workbook's xlwings module


@dataclass(frozen=True)
class VbaError:
    """A cell's error value as VBA sees it (``CVErr``), e.g. ``#DIV/0!``."""

    text: str


# WebHelpers.bas lines 2119-2135: the only error values ConvertToJson names.
KNOWN_ERRORS = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"}


# --- ConvertToJson (WebHelpers.bas lines 2069-2341) -------------------------------


def _cstr(number: float) -> str:
    """VBA's implicit CStr of a Double: 15 significant digits, signed exponent
    (lines 2332-2334 then replace a locale's decimal comma with a dot)."""
    if float(number).is_integer() and abs(number) < 1e15:
        return str(int(number))
    text = format(float(number), ".15g")
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa}E{exponent[0]}{int(exponent[1:]):02d}"
    return text


def _large_number(text: str) -> bool:
    """json_StringIsLargeNumber (lines 2639-2665)."""
    return 16 <= len(text) <= 100 and all(ch in ".0123456789Ee" for ch in text)


def _encode(text: str) -> str:
    """json_Encode (lines 2565-2624): escapes, and every non-ASCII char as \\uXXXX."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif code == 8:
            out.append("\\b")
        elif code == 12:
            out.append("\\f")
        elif code == 10:
            out.append("\\n")
        elif code == 13:
            out.append("\\r")
        elif code == 9:
            out.append("\\t")
        elif code < 32 or code >= 127:
            units = ch.encode("utf-16-be")
            for k in range(0, len(units), 2):
                out.append("\\u" + units[k : k + 2].hex().upper())
        else:
            out.append(ch)
    return "".join(out)


_EMPTY = object()  # VBA Empty


def convert_to_json(value: Any) -> str:
    if value is None:  # vbNull (line 2099)
        return "null"
    if value is _EMPTY:
        return ""
    if isinstance(value, bool):  # line 2113
        return "true" if value else "false"
    if isinstance(value, dt.datetime):  # lines 2101-2105, ConvertToIso line 2924
        return '"' + value.strftime("%Y-%m-%dT%H:%M:%S.000Z") + '"'
    if isinstance(value, str):  # lines 2106-2112
        return value if _large_number(value) else '"' + _encode(value) + '"'
    if isinstance(value, VbaError):  # lines 2119-2135: unknown errors give ""
        return '"' + value.text + '"' if value.text in KNOWN_ERRORS else ""
    if isinstance(value, int | float):  # lines 2332-2334
        return _cstr(value)
    if isinstance(value, dict):  # Dictionary, lines 2251-2283: undefined values skipped
        items = []
        for key, item in value.items():
            converted = convert_to_json(item)
            if converted == "" and item is _EMPTY:
                continue
            items.append(f'"{key}":{converted}')
        return "{" + ",".join(items) + "}"
    if isinstance(value, list):  # arrays, lines 2136-2230: Empty -> null, errors stay ""
        parts = []
        for item in value:
            converted = convert_to_json(item)
            if converted == "" and item is _EMPTY:
                converted = "null"
            parts.append(converted)
        return "[" + ",".join(parts) + "]"
    raise TypeError(type(value))


# --- The workbook as Excel's object model shows it ------------------------------


@dataclass
class Table:
    name: str
    ref: str  # A1:D9


@dataclass
class Sheet:
    name: str
    grid: list[list[Any]]  # Range.Value of A1:<end of the used range>; _EMPTY for empty cells
    tables: list[Table]
    formats: dict[tuple[int, int], str] = field(default_factory=dict)


@dataclass
class ExcelBook:
    name: str
    sheets: list[Sheet]
    names: list[tuple[str, str, str]]  # (name, sheet, address without $)
    formulas: list[str] = field(default_factory=list)  # cells that became formulas on replay
    converted: list[str] = field(default_factory=list)  # text that Excel turned into another type
    alerts: list[list[Any]] = field(default_factory=list)

    def sheet(self, name: str) -> Sheet:
        return next(s for s in self.sheets if s.name == name)


def _excel_value(cell: Any) -> Any:
    if cell.value is None:
        return _EMPTY
    if cell.data_type == "e":
        return VbaError(str(cell.value))
    if isinstance(cell.value, dt.datetime):
        return cell.value
    if isinstance(cell.value, dt.date):
        return dt.datetime(cell.value.year, cell.value.month, cell.value.day)
    if isinstance(cell.value, dt.time | dt.timedelta):
        return str(cell.value)
    if isinstance(cell.value, int) and not isinstance(cell.value, bool):
        return float(cell.value)  # Excel holds every number as a Double
    return cell.value


def _name_targets(wb: Any, definition: Any) -> list[tuple[str, str]]:
    """RefersToRange of a defined name, structured references (tblX[Col]) included."""
    text = definition.attr_text
    if "[" in text and "!" not in text:
        table_name, column = text.rstrip("]").split("[", 1)
        for ws in wb.worksheets:
            if table_name in ws.tables:
                c1, r1, _, r2 = range_boundaries(ws.tables[table_name].ref)
                headers = [cell.value for cell in ws[ws.tables[table_name].ref][0]]
                col = get_column_letter(c1 + headers.index(column))
                return [(ws.title, f"{col}{r1 + 1}:{col}{r2}")]
        return []
    return [(sheet, ref.replace("$", "")) for sheet, ref in definition.destinations]


def _sheet_scoped_names(path: Path) -> list[tuple[str, str, str]]:
    """Print areas and print titles: Excel lists them in ``Workbook.Names`` as
    ``'Hasil IKU'!Print_Area`` with a whole-column or whole-row RefersToRange."""
    import xml.etree.ElementTree as ET
    import zipfile

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    root = ET.fromstring(zipfile.ZipFile(path).read("xl/workbook.xml"))
    sheets = [s.get("name", "") for s in root.iter(f"{main}sheet")]
    found = []
    for defined in root.iter(f"{main}definedName"):
        index = defined.get("localSheetId")
        if index is None or not defined.text:
            continue
        sheet = sheets[int(index)]
        quoted = f"'{sheet}'" if " " in sheet else sheet
        for part in defined.text.split(","):
            ref = part.rpartition("!")[2].replace("$", "")
            found.append((f"{quoted}!{defined.get('name', '').replace('_xlnm.', '')}", sheet, ref))
    return found


def open_book(path: Path, name: str | None = None) -> ExcelBook:
    """The stored values of a workbook file, as Excel's ``Range.Value`` gives them."""
    wb = openpyxl.load_workbook(path, data_only=True)
    names = []
    for defined, definition in wb.defined_names.items():
        for sheet, ref in _name_targets(wb, definition):
            names.append((defined, sheet, ref))
    names += _sheet_scoped_names(path)
    sheets = []
    for ws in wb.worksheets:
        grid = [
            [_excel_value(cell) for cell in row]
            for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column)
        ]
        formats = {
            (cell.row, cell.column): cell.number_format
            for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column)
            for cell in row
        }
        tables = [Table(t.name, t.ref) for t in ws.tables.values()]
        sheets.append(Sheet(ws.title, grid, tables, formats))
    return ExcelBook(name or path.name, sheets, names)


def _abs(ref: str) -> str:
    c1, r1, c2, r2 = range_boundaries(ref)
    return f"${get_column_letter(c1)}${r1}:${get_column_letter(c2)}${r2}"


def build_payload(book: ExcelBook, include: list[str] | None = None) -> dict[str, Any]:
    """The request body's content as Remote.bas lines 89-258 assemble it."""
    excluded = {s.name for s in book.sheets} - set(include) if include else set()
    payload: dict[str, Any] = {"client": "VBA", "version": VERSION}  # lines 90-92
    payload["book"] = {"name": book.name, "active_sheet_index": 0, "selection": "A1"}  # lines 94-102
    names = []
    for defined, sheet, ref in book.names:  # lines 104-152: names with a RefersToRange
        index = [s.name for s in book.sheets].index(sheet)
        local = "!" in defined  # a sheet's own name (Print_Area, Print_Titles): Parent is the sheet
        names.append(
            {
                "name": defined,
                "sheet_index": index,
                "address": ref,
                "book_scope": not local,
                "scope_sheet_name": sheet if local else None,
                "scope_sheet_index": index if local else None,
            }
        )
    payload["names"] = names
    sheets = []
    for sheet in book.sheets:  # lines 154-257
        entry: dict[str, Any] = {"name": sheet.name, "pictures": []}  # buttons are not msoPicture
        tables = []
        if sheet.name not in excluded:
            for table in sheet.tables:  # lines 188-222
                c1, r1, c2, r2 = range_boundaries(table.ref)
                tables.append(
                    {
                        "name": table.name,
                        "range_address": _abs(table.ref),
                        "header_row_range_address": _abs(
                            f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r1}"
                        ),
                        "data_body_range_address": _abs(
                            f"{get_column_letter(c1)}{r1 + 1}:{get_column_letter(c2)}{r2}"
                        )
                        if r2 > r1
                        else None,
                        "total_row_range_address": None,
                        "show_headers": True,
                        "show_totals": False,
                        "table_style": "TableStyleMedium2",
                        "show_autofilter": True,
                    }
                )
        entry["tables"] = tables
        if sheet.name in excluded or not sheet.grid:  # lines 230-233
            entry["values"] = [[]]
        else:
            if len(sheet.grid) > 32767:  # line 235: row counts are 16-bit Integers
                raise OverflowError("Run-time error 6: Overflow")
            entry["values"] = [list(row) for row in sheet.grid]
        sheets.append(entry)
    payload["sheets"] = sheets
    return payload


def request_body(book: ExcelBook, include: list[str] | None = None) -> bytes:
    """``myRequest.Body = payload`` (line 261): ConvertToJson of the Dictionary."""
    return convert_to_json(build_payload(book, include)).encode("ascii")


# --- Replaying the answer (Remote.bas lines 328-339 and the subs from line 541) -----


_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?%?$")
_DATE_LIKE = re.compile(r"^\d{1,4}[-/.]\d{1,2}([-/.]\d{1,4})?$")


def _parse_iso(value: Any) -> dt.datetime | None:
    """WebHelpers.ParseIso (lines 2839-2908), called on every value by setValues
    (line 555); it raises for anything that is not yyyy-mm-dd[Thh:mm:ss]."""
    if value is None or isinstance(value, bool):
        return None
    text = _cstr(value) if isinstance(value, int | float) else str(value)
    date_part, _, time_part = text.partition("T")
    parts = date_part.split("-")
    try:
        year, month, day = (int(p) for p in parts[:3])
        if len(parts) < 3:
            return None
        moment = dt.datetime(year, month, day)
    except ValueError:
        return None
    if time_part:
        pieces = time_part.replace("Z", "").split(":")
        try:
            moment += dt.timedelta(hours=int(pieces[0]))
        except ValueError:
            return None
    return moment


def excel_assign(book: ExcelBook, where: str, value: Any) -> Any:
    """What a cell holds after ``Range.Value = value`` (Excel parses text as typed)."""
    if not isinstance(value, str):
        return _EMPTY if value is None else value
    if value == "":
        return _EMPTY  # assigning "" empties the cell
    if value.startswith("'"):
        return value[1:]  # the quote prefix: stored as text, not part of the value
    if value.startswith("=") or (value[:1] in "+-@" and len(value) > 1 and not _NUMBER.match(value)):
        book.formulas.append(f"{where}: {value}")
        return VbaError("#NAME?")
    if _NUMBER.match(value.strip()) or _DATE_LIKE.match(value.strip()) or value.upper() in ("TRUE", "FALSE"):
        book.converted.append(f"{where}: {value}")
    return value


def _range(action: dict[str, Any]) -> tuple[int, int, int, int]:
    """GetRange (lines 364-381): 0-based start, counts."""
    return action["start_row"], action["start_column"], action["row_count"], action["column_count"]


def _put(sheet: Sheet, row: int, col: int, value: Any) -> None:
    while len(sheet.grid) <= row:
        sheet.grid.append([])
    line = sheet.grid[row]
    while len(line) <= col:
        line.append(_EMPTY)
    line[col] = value


def replay(book: ExcelBook, answer: dict[str, Any]) -> None:
    """``Application.Run action("func"), wb, action`` for every action (lines 330-332)."""
    for action in answer["actions"]:
        func = action["func"]
        if func == "setValues":  # lines 542-571
            sheet = book.sheets[action["sheet_position"]]
            r0, c0, _, _ = _range(action)
            for i, row in enumerate(action["values"]):
                for j, value in enumerate(row):
                    date = _parse_iso(value)
                    where = f"{sheet.name}!{get_column_letter(c0 + j + 1)}{r0 + i + 1}"
                    _put(sheet, r0 + i, c0 + j, date if date else excel_assign(book, where, value))
        elif func == "rangeClearContents":  # lines 573-575
            sheet = book.sheets[action["sheet_position"]]
            r0, c0, rows, cols = _range(action)
            for i in range(rows):
                for j in range(cols):
                    _put(sheet, r0 + i, c0 + j, _EMPTY)
        elif func == "resizeTable":  # lines 831-833
            sheet = book.sheets[action["sheet_position"]]
            sheet.tables[action["args"][0]].ref = action["args"][1].replace("$", "")
        elif func == "alert":  # lines 688-734
            book.alerts.append(action["args"])
        else:
            raise AssertionError(f"action {func} is not expected from the IKU server")


def table_values(book: ExcelBook, sheet: str, table: str) -> list[list[Any]]:
    """A table's cells after the replay (header row first), empty cells as None."""
    s = book.sheet(sheet)
    ref = next(t.ref for t in s.tables if t.name == table)
    c1, r1, c2, r2 = range_boundaries(ref)
    rows = []
    for r in range(r1 - 1, r2):
        line = s.grid[r] if r < len(s.grid) else []
        rows.append([None if (c >= len(line) or line[c] is _EMPTY) else line[c] for c in range(c1 - 1, c2)])
    return rows


def loads_answer(body: bytes) -> dict[str, Any]:
    """The VBA JSON parser reads the server's answer (plain JSON; Python's is equivalent)."""
    return json.loads(body)
