"""The one cell-value rule of every door (see docs/workbook.md, "Cell values").

A door hands the reader what Excel stores in a cell, never what a number
format shows: a target typed as ``30%`` arrives as ``0.3`` through the file,
the live book and the server alike (the server door cannot see number
formats, so no door may use them); the engine names such a target
(``target-pecahan``). Dates arrive as ISO text, Excel errors as their text
(``#DIV/0!``), booleans as booleans, and text as text.

This module runs inside Excel's Python too: standard library only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from iku_engine.numbers import CellValue

# Excel's 1900 date system counts days from 1899-12-30 (the 1900 leap-year bug
# makes serials before March 1900 ambiguous; no input of this product is that old).
_EPOCH = dt.datetime(1899, 12, 30)

# Error values as pywin32 hands them over from COM: 0x800A0000 + Excel's
# XlCVError number (Microsoft's XlCVError enumeration), e.g. xlErrDiv0 2007.
# xlwings 0.37.8 (_xlwindows.py, ``cell_errors``) names only the first seven
# and passes the others through as plain integers.
_COM_ERROR_BASE = -2146828288
_XL_ERRORS = {
    2000: "#NULL!",
    2007: "#DIV/0!",
    2015: "#VALUE!",
    2023: "#REF!",
    2029: "#NAME?",
    2036: "#NUM!",
    2042: "#N/A",
    2043: "#GETTING_DATA",
    2045: "#SPILL!",
    2046: "#CONNECT!",
    2047: "#BLOCKED!",
    2048: "#UNKNOWN!",
    2049: "#FIELD!",
    2050: "#CALC!",
    2051: "#BUSY!",
}
COM_ERRORS = {_COM_ERROR_BASE + number: text for number, text in _XL_ERRORS.items()}


# The last day Excel can show, 9999-12-31, is serial 2958465.
_LAST_SERIAL = 2958466


def excel_serial_to_iso(serial: float) -> str | float:
    """A number in a date-formatted cell as ISO text; a number no date can
    have (negative, beyond 9999, not finite: Excel shows ####) stays a number."""
    if not 0 <= serial < _LAST_SERIAL:  # also False for NaN
        return serial
    moment = _EPOCH + dt.timedelta(days=serial)
    return moment.replace(microsecond=0).isoformat()


def from_xlwings(value: Any) -> CellValue:
    """A value as xlwings reads it (``err_to_str=True``) -> the cell rule."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        # COM gives numbers as floats; an int in this range is an error value.
        return COM_ERRORS.get(value, float(value))
    if isinstance(value, float):
        return value
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0, tzinfo=None).isoformat()
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day).isoformat()
    return str(value)


def excel_text(value: object) -> object:
    """A value to write through xlwings that Excel stores as it is.

    Excel parses text assigned to ``Range.Value`` as if typed: ``=1+1`` becomes
    a formula, ``-x`` an error, ``35.74.04`` perhaps a date. A leading
    apostrophe (Excel's quote prefix) keeps any text as text and is not part
    of the cell's value.
    """
    if isinstance(value, str) and value:
        return "'" + value
    return value
