"""The file door's :class:`addin.inputs.TableSource`: tables read from the package XML."""

from __future__ import annotations

from iku_engine.numbers import CellValue
from iku_engine.problems import Lokasi

from ..cell_values import excel_serial_to_iso
from ..tables import TableData
from .book import Cell, WorkbookFile, split_ref


class FileTableSource:
    def __init__(self, book: WorkbookFile) -> None:
        self.book = book
        self.file_name = book.package.name

    def has_sheet(self, name: str) -> bool:
        return name in self.book.sheets

    def _value(self, cell: Cell | None) -> CellValue:
        """The cell rule of every door (docs/workbook.md, "Cell values"): the stored
        value, whatever the number format; dates as ISO text; errors as their text."""
        if cell is None:
            return None
        value = cell.value
        if isinstance(value, float) and cell.style in self.book.date_styles:
            return excel_serial_to_iso(value)
        if isinstance(value, str | float | bool):
            return value
        return None

    def table(self, name: str) -> TableData | None:
        tdef = self.book.table(name)
        if tdef is None:
            return None
        r1, c1, r2, c2 = tdef.bounds
        cells = self.book.cells(tdef.sheet)
        first = r1 + tdef.header_rows
        last = r2 - tdef.totals_rows
        rows: list[list[CellValue]] = []
        numbers: list[int] = []
        uncached: set[tuple[int, int]] = set()
        # Rows that hold at least one cell: work and memory follow the cells, not the declared ref.
        present = sorted({r for (r, col) in cells if first <= r <= last and c1 <= col <= c2})
        if len(present) == last - first + 1 or last - first < 100_000:
            present = list(range(first, last + 1))
        for r in present:
            row: list[CellValue] = []
            for j, col in enumerate(range(c1, c2 + 1)):
                cell = cells.get((r, col))
                if cell is not None and not cell.cached:
                    uncached.add((len(rows), j))
                row.append(self._value(cell))
            rows.append(row)
            numbers.append(r)
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
        cell = self.book.cells(sheet).get(split_ref(ref))
        uncached = cell is not None and not cell.cached
        return self._value(cell), Lokasi(lembar=sheet, sel=ref), uncached
