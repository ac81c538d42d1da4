"""The file door's :class:`addin.inputs.TableSource`: tables read from the package XML."""

from __future__ import annotations

from iku_engine.numbers import CellValue
from iku_engine.problems import Lokasi

from ..tables import TableData, Wanted
from .book import WorkbookFile, split_ref
from .cells import Cell


class FileTableSource:
    def __init__(self, book: WorkbookFile) -> None:
        self.book = book
        self.file_name = book.package.name

    def has_sheet(self, name: str) -> bool:
        return name in self.book.sheets

    @staticmethod
    def _value(cell: Cell | None) -> CellValue:
        """The cell rule of every door (docs/workbook.md, "Cell values"): the stored
        value, whatever the number format; dates as ISO text; errors as their text."""
        if cell is None:
            return None
        value = cell.value
        return value if isinstance(value, str | float | bool) else None

    def table(self, name: str, wanted: Wanted | None = None) -> TableData | None:
        """Every column is read: the bulk reader costs the same either way."""
        tdef = self.book.table(name)
        if tdef is None:
            return None
        r1, c1, r2, c2 = tdef.bounds
        first = r1 + tdef.header_rows
        last = r2 - tdef.totals_rows
        numbers, rows, uncached = self.book.cells(tdef.sheet).block(first, last, c1, c2)
        return TableData(
            name=tdef.name,
            sheet=tdef.sheet,
            headers=list(tdef.columns),
            first_col=c1,
            rows=rows,
            row_numbers=numbers,
            uncached=uncached,
            first_row=first,
            last_row=last,
        )

    def named_cell(self, name: str) -> tuple[CellValue, Lokasi, bool] | None:
        target = self.book.name_target(name)
        if target is None or target[0] not in self.book.sheets:
            return None
        sheet, ref = target
        cell = self.book.cells(sheet).get(*split_ref(ref))
        uncached = cell is not None and not cell.cached
        return self._value(cell), Lokasi(lembar=sheet, sel=ref), uncached
