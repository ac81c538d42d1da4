"""Build the JSON that VBA's ``RunRemotePython`` posts, from a real workbook file.

Mirrors ``xlwings/addin/Remote.bas``: book, names (sheet index and relative
address), and per sheet its tables (absolute addresses) and the values of
``A1`` to the end of the used range. Values come from the file's stored
results, as Excel's ``Range.Value`` gives them (dates as ISO text).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import xlwings as xw
from openpyxl.utils import get_column_letter, range_boundaries


def _value(v):
    # VBA's JSON converter sends dates as UTC ISO text with a "Z".
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(v, dt.date):
        return v.strftime("%Y-%m-%dT00:00:00.000Z")
    return v


def _destinations(wb, definition):
    """Like openpyxl's, plus structured references (``tblX[Col]``), which VBA's
    ``RefersToRange`` resolves to the column's data cells."""
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
    return list(definition.destinations)


def _abs(c1: int, r1: int, c2: int, r2: int) -> str:
    return f"${get_column_letter(c1)}${r1}:${get_column_letter(c2)}${r2}"


def payload_from_file(path: Path, include: list[str] | None = None, version: str | None = None) -> dict:
    wb = openpyxl.load_workbook(path, data_only=True)
    names = []
    for name, definition in wb.defined_names.items():
        for sheet, ref in _destinations(wb, definition):
            names.append(
                {
                    "name": name,
                    "sheet_index": wb.sheetnames.index(sheet),
                    "address": ref.replace("$", ""),
                    "book_scope": True,
                    "scope_sheet_name": None,
                    "scope_sheet_index": None,
                }
            )
    sheets = []
    for ws in wb.worksheets:
        excluded = include is not None and ws.title not in include
        tables = []
        if not excluded:
            for table in ws.tables.values():
                c1, r1, c2, r2 = range_boundaries(table.ref)
                tables.append(
                    {
                        "name": table.name,
                        "range_address": _abs(c1, r1, c2, r2),
                        "header_row_range_address": _abs(c1, r1, c2, r1),
                        "data_body_range_address": _abs(c1, r1 + 1, c2, r2) if r2 > r1 else None,
                        "total_row_range_address": None,
                        "show_headers": True,
                        "show_totals": False,
                        "table_style": "TableStyleMedium2",
                        "show_autofilter": True,
                    }
                )
        if excluded or ws.max_row == 0:
            values = [[]]
        else:
            values = [
                [_value(v) for v in row]
                for row in ws.iter_rows(
                    min_row=1, max_row=ws.max_row, max_col=ws.max_column, values_only=True
                )
            ]
        sheets.append({"name": ws.title, "values": values, "pictures": [], "tables": tables})
    return {
        "client": "VBA",
        "version": version or xw.__version__,
        "book": {"name": path.name, "active_sheet_index": 1, "selection": "A1"},
        "names": names,
        "sheets": sheets,
    }


def apply_actions(payload: dict, actions: list[dict]) -> dict[str, list[list]]:
    """Replay setValues/rangeClearContents on the payload's values, like Remote.bas does in Excel."""
    grids = {s["name"]: [list(r) for r in s["values"]] for s in payload["sheets"]}
    order = [s["name"] for s in payload["sheets"]]
    for action in actions:
        if action["func"] not in ("setValues", "rangeClearContents"):
            continue
        grid = grids[order[action["sheet_position"]]]
        r0, c0 = action["start_row"], action["start_column"]
        values = (
            action["values"]
            if action["func"] == "setValues"
            else [[None] * action["column_count"]] * action["row_count"]
        )
        for i, row in enumerate(values):
            while len(grid) <= r0 + i:
                grid.append([])
            line = grid[r0 + i]
            for j, v in enumerate(row):
                while len(line) <= c0 + j:
                    line.append(None)
                line[c0 + j] = v
    return grids
