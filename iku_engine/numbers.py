"""Turning what people type into spreadsheet cells into numbers.

Every door (the Excel button, the remote server, the file reader) hands the
engine raw cell values; coercing them here, once, is what makes the three
doors give identical numbers.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

CellValue = float | int | str | bool | None

_SPACES = re.compile(r"[\s\u00a0\u202f\u2007\u2009]+")
# Minus signs as Word, phones and PDFs type them: U+2212 minus, en and em dash, figure dash.
_MINUS = str.maketrans(
    {"\u2212": "-", "\u2013": "-", "\u2014": "-", "\u2012": "-", "\ufe63": "-", "\uff0d": "-"}
)
_THOUSANDS_DOTS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")


# Excel's error values as every door hands them over (the file stores them as
# text with t="e", xlwings gives the same text with ``err_to_str``). ``#GALAT?``
# stands for an error the client could not name (xlwings' VBA JSON writer
# drops #SPILL!, #CALC! and newer errors; see addin/remote_json.py).
EXCEL_ERRORS = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CONNECT!",
        "#BLOCKED!",
        "#UNKNOWN!",
        "#FIELD!",
        "#CALC!",
        "#BUSY!",
        "#DATA!",
        "#GALAT?",
    }
)


class NotANumber(ValueError):
    """The cell holds text that is not a number (e.g. "dua", "12a")."""


class ExcelErrorValue(NotANumber):
    """The cell holds an Excel error value (``#DIV/0!``, ``#N/A``, ...)."""


# The seven classic errors every door can name; newer ones (#SPILL!, #CALC!, ...)
# cannot cross the server door by name, so every door shows them alike.
CLASSIC_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})


def error_shown(value: object) -> str:
    """How a problem message names an error value, identical in every door."""
    text = str(value).strip().upper()
    return text if text in CLASSIC_ERRORS else "(misalnya #SPILL! atau #CALC!)"


def is_excel_error(value: object) -> bool:
    return isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS


def parse_number(value: CellValue) -> float | None:
    """Return the number in a cell, ``None`` when it is blank.

    Accepts Indonesian writing: decimal comma (``82,5``), thousands dots
    (``1.234``, ``1.234,5``), spaces (also non-breaking), a trailing ``%``
    (``25 %`` is 25: the engine works in percent units), the minus signs of
    word processors and phones (``−5``) and accounting brackets (``(5)`` is
    −5). Raises :class:`NotANumber` otherwise.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise NotANumber(str(value))
    if isinstance(value, int | float):
        number = float(value)
        if math.isnan(number):
            return None
        if math.isinf(number):
            raise NotANumber(str(value))
        return number
    if is_excel_error(value):
        raise ExcelErrorValue(str(value).strip())
    text = _SPACES.sub("", str(value)).translate(_MINUS)
    if text in ("", "-"):
        return None
    if text.endswith("%"):
        text = text[:-1]
    if text.startswith("(") and text.endswith(")") and len(text) > 2:
        # Accounting notation, as Excel itself reads a typed (5): minus five.
        text = "-" + text[1:-1]
    if "," in text and "." in text:
        # Whichever separator comes last is the decimal one.
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        if text.count(",") > 1:
            raise NotANumber(str(value))
        text = text.replace(",", ".")
    elif _THOUSANDS_DOTS.match(text):
        # "1.234" and "12.345.678" are Indonesian thousands separators.
        text = text.replace(".", "")
    try:
        number = float(text)
    except ValueError as exc:
        raise NotANumber(str(value)) from exc
    if math.isnan(number) or math.isinf(number):
        raise NotANumber(str(value))
    return number


def round_half_up(value: float, decimals: int) -> float:
    """Round the way a person does on paper (76.605 -> 76.61).

    A float is taken as the shortest decimal that reads back as it (``repr``):
    the number a person typed or sees, so 76.605 (stored as 76.60499999...)
    is rounded as 76.605. Values computed from whole numbers (the IKM) are
    rounded exactly instead, see :func:`round_fraction_half_up`.
    """
    if not math.isfinite(value) or abs(value) >= 1e15:
        return value  # no decimals left to round (and Decimal's quantize would overflow)
    step = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_UP))


def round_fraction_half_up(value: Fraction, decimals: int) -> Fraction:
    """Exact half-up rounding (away from zero on a tie) of a rational number."""
    scale = 10**decimals
    scaled = abs(value) * scale
    rounded = Fraction(math.floor(scaled + Fraction(1, 2)), scale)
    return rounded if value >= 0 else -rounded


def is_whole(number: float) -> bool:
    return float(number).is_integer()
