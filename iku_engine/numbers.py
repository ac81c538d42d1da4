"""Turning what people type into spreadsheet cells into numbers.

Every door (the Excel button, the remote server, the file reader) hands the
engine raw cell values; coercing them here, once, is what makes the three
doors give identical numbers.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

CellValue = float | int | str | bool | None

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_THOUSANDS_DOTS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")


class NotANumber(ValueError):
    """The cell holds text that is not a number (e.g. "dua", "12a")."""


def parse_number(value: CellValue) -> float | None:
    """Return the number in a cell, ``None`` when it is blank.

    Accepts Indonesian writing: decimal comma (``82,5``), thousands dots
    (``1.234``, ``1.234,5``), spaces and a trailing ``%`` (``25 %`` is 25:
    the engine works in percent units). Raises :class:`NotANumber` otherwise.
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
    text = _SPACES.sub("", str(value))
    if text in ("", "-"):
        return None
    if text.endswith("%"):
        text = text[:-1]
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

    Binary floats carry noise (76.605 is stored as 76.60499999...), so the
    value is first fixed at 9 decimals, then rounded half up.
    """
    fixed = Decimal(value).quantize(Decimal("1e-9"), rounding=ROUND_HALF_UP)
    step = Decimal(1).scaleb(-decimals)
    return float(fixed.quantize(step, rounding=ROUND_HALF_UP))


def is_whole(number: float) -> bool:
    return float(number).is_integer()
