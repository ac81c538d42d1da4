"""Reading the JSON that xlwings' VBA client posts, quirks included.

``WebHelpers.ConvertToJson`` (xlwings 0.37.8, ``xlwings/addin/WebHelpers.bas``)
is not a strict JSON writer:

- text of 16 to 100 characters made only of digits, dots and ``E``/``e``
  (a kode wilayah ``35.74.04.1003.01``, a 16-digit phone number) is written
  without quotes (``json_StringIsLargeNumber``), so it arrives as an invalid
  token or as a number that is not the text typed;
- error values other than the seven it knows (``#SPILL!``, ``#CALC!``, ...)
  are written as nothing, leaving an empty array element (``[1,,2]``);
- numbers come from VBA's ``CStr``: at most 15 significant digits, an
  exponent always signed (``1E+15``).

This parser reads all of that back: such unquoted tokens become the text
they were, an empty element becomes ``#GALAT?`` (an Excel error the client
could not name, reported as one by the engine). Anything else that is not
JSON, too deep, or holds ``NaN``/``Infinity`` is refused with an Indonesian
message.
"""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any

import orjson

UNKNOWN_ERROR = "#GALAT?"
_LARGE_NUMBER_TEXT = re.compile(r"^[0-9.Ee]{16,100}$")
_JSON_NUMBER = re.compile(r"^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$")
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},:]|[^\s\[\]{},:"]+|\s+', re.S)


class ClientJsonError(ValueError):
    """The body cannot be read as the client's JSON; the message is for staff."""


def _significant_digits(token: str) -> int:
    mantissa = re.split(r"[eE]", token, maxsplit=1)[0]
    return len(mantissa.replace(".", "").replace("-", "").lstrip("0"))


def _was_text(token: str) -> bool:
    """A number token VBA's CStr cannot have written: it was unquoted text."""
    if not _LARGE_NUMBER_TEXT.match(token):
        return False
    has_unsigned_exponent = bool(re.search(r"[eE]\d", token))
    return has_unsigned_exponent or _significant_digits(token) > 15


def _int(token: str) -> int | str:
    return token if _was_text(token) else int(token)


def _float(token: str) -> float | str:
    if _was_text(token):
        return token
    number = float(token)
    if number in (float("inf"), float("-inf")):
        return token  # a number no cell can hold: kept as text, named by the engine
    return number


def _constant(name: str) -> Any:
    raise ClientJsonError(f"Permintaan berisi {name}, bukan nilai sel yang sah.")


# A bare token long enough to be unquoted text starts right after "[", "," or ":"
# (ConvertToJson writes no spaces). The scan maps those three bytes to "[" and
# the token's bytes to "0", then looks for "[" and sixteen "0": one C pass.
_OPENERS = b"[,:"
_TOKEN_BYTES = b"0123456789.Ee"
_SCAN = bytes(ord("[") if b in _OPENERS else ord("0") if b in _TOKEN_BYTES else ord(" ") for b in range(256))
_MAYBE_TEXT = b"[" + b"0" * 16


def _scan(text: str) -> bytes:
    return text.encode("utf-8").translate(_SCAN)


def _loads(text: str, scanned: bytes) -> Any:
    """``scanned``: the text through ``_SCAN``."""
    if _MAYBE_TEXT not in scanned:
        # No token could be unquoted text: integers by the C parser; a float
        # beyond a double (1E400) stays its text, as NaN and Infinity are refused.
        return json.loads(text, parse_float=_float, parse_constant=_constant)
    return json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)


def _repair(text: str) -> str:
    """Quote bare tokens that are not JSON values; fill empty array elements."""
    out: list[str] = []
    stack: list[str] = []
    expecting = False  # a value is due (after "[", "," in an array or ":")
    consumed = 0
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if match.start() != consumed:
            raise ClientJsonError("Permintaan bukan JSON yang sah.")
        consumed = match.end()
        if token.isspace():
            continue
        if token in "[{":
            out.append(token)
            stack.append(token)
            expecting = token == "["
            continue
        if token in ",]}:":
            if expecting and token in ",]}" and not (token == "]" and out and out[-1] == "["):
                out.append(json.dumps(UNKNOWN_ERROR))
            out.append(token)
            if token in "]}" and stack:
                stack.pop()
            expecting = token == ":" or (token == "," and bool(stack) and stack[-1] == "[")
            continue
        expecting = False
        if token.startswith('"') or token in ("true", "false", "null") or _JSON_NUMBER.match(token):
            out.append(token)
        else:
            out.append(json.dumps(token))
    if not out or consumed != len(text):
        raise ClientJsonError("Permintaan bukan JSON yang sah.")
    return "".join(out)


def parse_client_json(body: bytes) -> Any:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ClientJsonError("Permintaan bukan teks UTF-8.") from None
    scanned = body.translate(_SCAN)
    if b"0" * 16 not in scanned:
        # No run of sixteen number characters anywhere: no bare text, no integer
        # beyond 64 bits (orjson would make it a float). Whatever orjson refuses
        # (NaN, a gap [1,,2], a lone surrogate) goes the standard library's way.
        with contextlib.suppress(orjson.JSONDecodeError):
            return orjson.loads(body)
    try:
        try:
            return _loads(text, scanned)
        except json.JSONDecodeError:
            repaired = _repair(text)
            return _loads(repaired, _scan(repaired))
    except json.JSONDecodeError:
        raise ClientJsonError("Permintaan bukan JSON yang sah.") from None
    except RecursionError:
        raise ClientJsonError("Permintaan terlalu bertingkat untuk sebuah buku kerja.") from None
    except ValueError as exc:  # e.g. an integer over Python's digit limit
        if isinstance(exc, ClientJsonError):
            raise
        raise ClientJsonError("Permintaan berisi angka yang tidak dapat dibaca.") from None
