"""Excel Tables as plain rows: what every table source gives the reader.

A door (file, live book, JSON book) implements :class:`TableSource`; the
reader (``addin.inputs``) and the result planning (``addin.outputs``) only
see :class:`TableData`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from iku_engine.numbers import CellValue
from iku_engine.problems import Lokasi


@dataclass
class TableData:
    """One Excel Table as plain rows. Columns are 1-based sheet columns."""

    name: str
    sheet: str
    headers: list[str]
    first_col: int
    rows: list[list[CellValue]]
    row_numbers: list[int]
    # (row index, column index within the table) of formulas with no stored value
    uncached: set[tuple[int, int]] = field(default_factory=set)
    # The sheet row of the table's last data row. ``rows`` may leave out rows
    # that hold no cell at all (a table stretched to row 1048576 is read as the
    # rows it really has); ``row_numbers`` says where each row is.
    first_row: int | None = None
    last_row: int | None = None


# Which headers a reader will look at; a source may leave the other columns' values out (None).
Wanted = Callable[[str], bool]


class TableSource(Protocol):
    file_name: str

    def table(self, name: str, wanted: Wanted | None = None) -> TableData | None: ...

    def named_cell(self, name: str) -> tuple[CellValue, Lokasi, bool] | None:
        """Value, location and whether it is a formula without a stored value."""
        ...

    def has_sheet(self, name: str) -> bool: ...


# Headers renamed to the official terms (docs/istilah.md); workbooks made
# before keep working: the old header reads as the new one.
HEADER_ALIASES = {
    "unit layanan": "unit pelayanan",
    "jumlah lkk": "jumlah kelompok dan lembaga",
    "lkk difasilitasi": "kelompok dan lembaga difasilitasi",
    "mutu": "mutu pelayanan",
    "kinerja": "kinerja unit pelayanan",
}


def normal_header(text: object) -> str:
    """Header text for matching: spacing and case ignored, old names mapped to current ones."""
    normal = re.sub(r"\s+", " ", str(text or "")).strip().casefold()
    return HEADER_ALIASES.get(normal, normal)
