"""The one orchestration behind every door.

table source -> cell rule -> reader -> ``iku_engine.hitung`` -> result tables
-> result sink. The file door (``iku hitung``, ``iku batch``), the live
button and the server differ only in the source and sink they build and in
how they tell the user the summary; everything between happens here, once.

Import rule (docs/architecture.md): this module and ``inputs``/``outputs``
import no door; doors import this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from iku_engine import hitung
from iku_engine.models import HasilIKU, IkuInput

from . import contract as c
from .errors import BerkasTidakDapatDipakai
from .inputs import read_input
from .outputs import ResultTables, RowUpdate, Value, plan_riwayat, result_tables
from .tables import TableSource

# The one "unexpected error" text of every door; ``{jenis}`` is the exception's class name.
PESAN_TAK_TERDUGA = (
    "Terjadi kesalahan tak terduga ({jenis}). Laporkan ke petugas TI beserta berkasnya dan pesan ini."
)


class ResultSink(Protocol):
    """Where result tables go: the zip writer, a live book, a JSON book."""

    def prepare(self, results: ResultTables) -> None:
        """Before any write: every table exists with its headers, and a table that
        grows finds empty cells below it; else ``BerkasTidakDapatDipakai``."""
        ...

    def write_table(self, name: str, headers: Sequence[str], rows: list[list[Value]]) -> None: ...

    def write_name(self, name: str, value: Value) -> None: ...

    def has_name(self, name: str) -> bool:
        """Whether the workbook defines this cell name (older workbooks lack the newer ones)."""
        ...

    def update_rows(self, name: str, updates: list[RowUpdate]) -> None:
        """Set cells of an input table by header (tblRiwayat), growing it when needed."""
        ...


@dataclass
class Computed:
    inputs: IkuInput
    hasil: HasilIKU
    results: ResultTables
    dihitung_pada: str


def timestamp(now: dt.datetime | None = None) -> str:
    """The "dihitung pada" text: date and time as EYD V writes them (28/11/2026 14.30.12)."""
    return (now or dt.datetime.now()).strftime("%d/%m/%Y %H.%M.%S")  # EYD V: 14.30.12


def compute(source: TableSource, tahun: int | None = None, now: dt.datetime | None = None) -> Computed:
    """``tahun`` is a year asked for on the command line (None: the workbook's TahunLaporan)."""
    inputs = read_input(source, tahun)
    if tahun is not None:
        years = sorted({year for d in inputs.indikator for year in d.target})
        if tahun not in years:
            shown = ", ".join(str(y) for y in years) or "tidak ada"
            raise BerkasTidakDapatDipakai(
                f"--tahun {tahun} (diketik di perintah): tabel IKU pada lembar IKU tidak memiliki kolom {tahun} "
                f"(kolom tahun yang ada: {shown}). Tambahkan kolom tahun itu dengan targetnya, atau pilih "
                "tahun lain. Tidak ada yang ditulis."
            )
    hasil = hitung(inputs)
    stamp = timestamp(now)
    grafik = source.table(c.T_GRAFIK)
    results = result_tables(inputs, hasil, stamp, grafik.headers if grafik else None)
    results.riwayat_updates = plan_riwayat(source.table(c.T_RIWAYAT), results.riwayat)
    return Computed(inputs, hasil, results, stamp)


def write(sink: ResultSink, computed: Computed) -> None:
    results = computed.results
    sink.prepare(results)
    for name, rows in results.tables.items():
        sink.write_table(name, results.headers[name], rows)
    for name, value in results.names.items():
        sink.write_name(name, value)
    for name, value in results.optional_names.items():
        if sink.has_name(name):
            sink.write_name(name, value)
    if results.riwayat_updates:
        sink.update_rows(c.T_RIWAYAT, results.riwayat_updates)


def run(
    source: TableSource, sink: ResultSink, tahun: int | None = None, now: dt.datetime | None = None
) -> Computed:
    computed = compute(source, tahun, now)
    write(sink, computed)
    return computed
