"""The Excel doors: a live book (``RunPython``) or the JSON book of
``RunRemotePython``, both seen through xlwings' Book API.

Reading finds tables by name and header text, like the file door; writing
puts each result table in place with one range assignment (plus a resize or
a clear when its length changes), so one "Hitung IKU" costs a fixed number of
Excel round trips whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from iku_engine import hitung
from iku_engine.models import HasilIKU
from iku_engine.numbers import CellValue
from iku_engine.problems import Lokasi

from . import contract as c
from .inputs import TableData, normal_header, read_input
from .outputs import RESULT_HEADERS, ResultTables, Value, result_tables
from .xlsx.book import column_letters, split_range
from .xlsx.package import BerkasTidakDapatDipakai


def _rows(value: Any) -> list[list[CellValue]]:
    """xlwings gives a scalar, a flat list or a list of lists; make it rows."""
    if value is None:
        return [[None]]
    if not isinstance(value, list):
        return [[value]]
    if value and not isinstance(value[0], list):
        return [value]
    return value


def _cell(value: Any) -> CellValue:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _address(address: str) -> tuple[int, int, int, int]:
    return split_range(address.replace("$", ""))


class XlwingsTableSource:
    """:class:`addin.inputs.TableSource` over an xlwings Book (live or remote)."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.file_name = str(book.name)
        self._tables: dict[str, tuple[Any, Any]] | None = None

    def _index(self) -> dict[str, tuple[Any, Any]]:
        if self._tables is None:
            self._tables = {}
            for sheet in self.book.sheets:
                for table in sheet.tables:
                    self._tables[str(table.name).casefold()] = (sheet, table)
        return self._tables

    def find(self, name: str) -> tuple[Any, Any] | None:
        return self._index().get(name.casefold())

    def has_sheet(self, name: str) -> bool:
        return name in [s.name for s in self.book.sheets]

    def table(self, name: str) -> TableData | None:
        found = self.find(name)
        if found is None:
            return None
        sheet, table = found
        header_range = table.header_row_range
        headers = [str(h) if h is not None else "" for h in _rows(header_range.value)[0]]
        body = table.data_body_range
        if body is None:
            rows: list[list[CellValue]] = []
            first_row = header_range.row + 1
        else:
            rows = [[_cell(v) for v in r] for r in _rows(body.value)]
            first_row = body.row
        return TableData(
            name=str(table.name),
            sheet=str(sheet.name),
            headers=headers,
            first_col=header_range.column,
            rows=rows,
            row_numbers=list(range(first_row, first_row + len(rows))),
        )

    def named_cell(self, name: str) -> tuple[CellValue, Lokasi, bool] | None:
        try:
            target = self.book.names[name].refers_to_range
        except Exception:
            return None
        if target is None:
            return None
        ref = target.address.replace("$", "").split(":")[0]
        return (
            _cell(target.value if target.shape == (1, 1) else _rows(target.value)[0][0]),
            Lokasi(lembar=str(target.sheet.name), sel=ref),
            False,
        )


class XlwingsResultWriter:
    """Writes the result tables into an xlwings Book: one assignment per table."""

    def __init__(self, source: XlwingsTableSource) -> None:
        self.source = source
        self.book = source.book

    def _table(self, name: str) -> tuple[Any, Any]:
        found = self.source.find(name)
        if found is None:
            raise BerkasTidakDapatDipakai(
                f"Tabel hasil '{name}' tidak ditemukan. Jangan menghapus tabel hasil."
            )
        return found

    def write_table(self, name: str, headers: list[str] | tuple[str, ...], rows: list[list[Value]]) -> None:
        sheet, table = self._table(name)
        r1, c1, r2, c2 = _address(table.range.address)
        current = [normal_header(h) for h in _rows(table.header_row_range.value)[0]]
        wanted = [normal_header(h) for h in headers]
        if current[: len(wanted)] != wanted:
            raise BerkasTidakDapatDipakai(
                f"Judul kolom tabel hasil '{name}' di lembar '{sheet.name}' berubah. Kembalikan urutan: {', '.join(headers)}."
            )
        rows = rows or [[None] * len(headers)]
        first = r1 + 1
        new_last = first + len(rows) - 1
        last_col = c1 + len(headers) - 1
        sheet.range((first, c1), (new_last, last_col)).value = rows
        if new_last < r2:
            sheet.range((new_last + 1, c1), (r2, c2)).clear_contents()
        if new_last != r2:
            table.resize(sheet.range(f"{column_letters(c1)}{r1}:{column_letters(c2)}{new_last}"))

    def write_name(self, name: str, value: Value) -> None:
        self.book.names[name].refers_to_range.value = value

    def merge_riwayat(self, results: ResultTables) -> None:
        """Rewrite the history table in one assignment: this year's rows updated or appended."""
        found = self.source.find(c.T_RIWAYAT)
        if found is None or not results.riwayat:
            return
        data = self.source.table(c.T_RIWAYAT)
        assert data is not None
        position = {normal_header(h): j for j, h in enumerate(data.headers)}
        if not {"kode", "tahun", "realisasi"} <= set(position):
            return
        rows = [list(r) for r in data.rows]
        index = {}
        for i, r in enumerate(rows):
            kode, tahun = r[position["kode"]], r[position["tahun"]]
            try:
                index[(str(kode).strip(), int(float(tahun)))] = i  # type: ignore[arg-type]
            except (TypeError, ValueError):
                continue
        blanks = [i for i, r in enumerate(rows) if all(v in (None, "") for v in r)]
        for item in results.riwayat:
            i = index.get((item.kode, item.tahun))
            if i is None:
                if blanks:
                    i = blanks.pop(0)
                else:
                    rows.append([None] * len(data.headers))
                    i = len(rows) - 1
                rows[i][position["kode"]] = item.kode
                rows[i][position["tahun"]] = item.tahun
            rows[i][position["realisasi"]] = item.realisasi
            if "sumber" in position:
                rows[i][position["sumber"]] = item.sumber
        sheet, table = found
        r1, c1, r2, c2 = _address(table.range.address)
        first = r1 + 1
        sheet.range((first, c1), (first + len(rows) - 1, c2)).value = rows
        if first + len(rows) - 1 != r2:
            table.resize(sheet.range(f"{column_letters(c1)}{r1}:{column_letters(c2)}{first + len(rows) - 1}"))


@dataclass
class Ringkasan:
    hasil: HasilIKU
    dihitung_pada: str

    @property
    def pesan(self) -> str:
        total = len(self.hasil.indikator)
        done = sum(1 for h in self.hasil.indikator if h.realisasi is not None)
        n = len(self.hasil.masalah)
        tahun = self.hasil.tahun or "?"
        text = f"IKU {tahun} selesai dihitung: {done} dari {total} indikator"
        if n:
            galat = sum(1 for m in self.hasil.masalah if m.tingkat == "Galat")
            return f"{text}; {n} masalah data ({galat} galat), lihat lembar Validasi."
        return f"{text}; tidak ada masalah data."


def hitung_book(book: Any, now: dt.datetime | None = None) -> Ringkasan:
    """Read, compute and write one xlwings Book (the same steps as ``iku hitung``)."""
    source = XlwingsTableSource(book)
    inputs = read_input(source)
    hasil = hitung(inputs)
    stamp = (now or dt.datetime.now()).strftime("%d/%m/%Y %H:%M:%S")
    grafik = source.table(c.T_GRAFIK)
    results = result_tables(inputs, hasil, stamp, grafik.headers if grafik else None)
    writer = XlwingsResultWriter(source)
    for name in results.tables:  # all present before anything is written
        writer._table(name)
    for name, rows in results.tables.items():
        headers = RESULT_HEADERS.get(name) or (grafik.headers if grafik else [])
        writer.write_table(name, headers, rows)
    for name, value in results.names.items():
        writer.write_name(name, value)
    writer.merge_riwayat(results)
    return Ringkasan(hasil, stamp)


PESAN_TAK_TERDUGA = (
    "Terjadi kesalahan tak terduga ({jenis}). Hasil tidak ditulis. Laporkan ke petugas TI beserta berkasnya."
)


def _alert(book: Any, live: bool, message: str, mode: str) -> None:
    if live:
        book.app.alert(message, title="Hitung IKU", mode=mode)
    else:
        # Straight onto this book's actions: App.alert would go to the "active"
        # book, which concurrent requests on a server share.
        book.impl.append_json_action(func="alert", args=[message, "Hitung IKU", "", mode, ""])


def jalankan(book: Any, live: bool) -> Ringkasan | None:
    """The button's whole run on a book, with an Indonesian message box at the
    end and never a Python traceback window. Returns None when nothing was written."""
    app = book.app
    if live:
        app.screen_updating = False
        app.status_bar = "Menghitung IKU, mohon tunggu..."
    try:
        ringkasan = hitung_book(book)
    except BerkasTidakDapatDipakai as exc:
        _alert(book, live, str(exc), "critical")
        return None
    except Exception as exc:  # a user must never see a traceback window
        _alert(book, live, PESAN_TAK_TERDUGA.format(jenis=type(exc).__name__), "critical")
        return None
    finally:
        if live:
            app.status_bar = False
            app.screen_updating = True
    _alert(book, live, ringkasan.pesan, "info")
    return ringkasan
