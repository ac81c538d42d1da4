"""A1 references: column letters and cell or range addresses, for every door."""

from __future__ import annotations

import functools
import re

_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


def column_index(letters: str) -> int:
    """``A`` -> 1, ``AB`` -> 28."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(index: int) -> str:
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@functools.lru_cache(maxsize=65536)
def split_ref(ref: str) -> tuple[int, int]:
    """``C7`` -> (row 7, column 3)."""
    match = _REF.match(ref.upper())
    if not match:
        raise ValueError(ref)
    return int(match.group(2)), column_index(match.group(1))


def split_range(ref: str) -> tuple[int, int, int, int]:
    """``A4:J9`` -> (first row, first col, last row, last col)."""
    first, _, last = ref.partition(":")
    r1, c1 = split_ref(first)
    r2, c2 = split_ref(last or first)
    return r1, c1, r2, c2
