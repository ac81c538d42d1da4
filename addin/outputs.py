"""The engine's results as plain rows for the result tables, whatever the door.

Every writer (file, live Excel, remote JSON book) writes exactly these rows,
so the three doors cannot drift apart. Values only, never formulas.
"""

from __future__ import annotations

from dataclasses import dataclass

from iku_engine.compute import SUMBER_HITUNG
from iku_engine.models import HasilIKU, IkuInput, RiwayatRow
from iku_engine.numbers import NotANumber, parse_number

from . import contract as c

Value = str | float | int | None
TIDAK_ADA_MASALAH = "Tidak ada masalah data."

# Header order of each result table's rows (tblGrafik takes the table's own headers).
RESULT_HEADERS: dict[str, tuple[str, ...]] = {
    c.T_HASIL: c.H_HASIL,
    c.T_REKAP_KELURAHAN: c.H_REKAP_KELURAHAN,
    c.T_REKAP_UNSUR: c.H_REKAP_UNSUR,
    c.T_REKAP_UNIT: c.H_REKAP_UNIT,
    c.T_VALIDASI: c.H_VALIDASI,
}


@dataclass
class ResultTables:
    """Rows per result table (header order of the contract) and single cells by defined name."""

    tables: dict[str, list[list[Value]]]
    names: dict[str, Value]
    riwayat: list[RiwayatRow]  # merged into tblRiwayat row by row (an input table)


def _hasil(hasil: HasilIKU) -> list[list[Value]]:
    return [
        [
            h.kode,
            h.indikator,
            h.satuan,
            h.polaritas,
            h.tahun,
            h.target,
            h.realisasi,
            h.capaian,
            h.predikat,
            h.keterangan,
        ]
        for h in hasil.indikator
    ]


def _kelurahan(hasil: HasilIKU) -> list[list[Value]]:
    return [
        [
            r.kelurahan,
            r.lkk_jumlah,
            r.lkk_difasilitasi,
            r.lkk_persen,
            r.pmks_tahun_lalu,
            r.pmks_tahun_ini,
            r.pmks_perubahan,
            r.sijinggo,
            r.skm_responden,
            r.ikm,
            r.mutu,
        ]
        for r in hasil.kelurahan
    ]


def _unsur(hasil: HasilIKU) -> list[list[Value]]:
    return [[u.kode, u.nama, u.jawaban, u.nrr, u.bobot, u.nrr_tertimbang] for u in hasil.skm.unsur]


def _unit(hasil: HasilIKU) -> list[list[Value]]:
    rows: list[list[Value]] = []
    for r in [hasil.skm, *hasil.skm.per_unit]:
        rows.append([r.unit, r.responden, r.sampel_minimum, r.ikm_nilai, r.ikm, r.mutu, r.kinerja])
    return rows


def _validasi(hasil: HasilIKU) -> list[list[Value]]:
    if not hasil.masalah:
        return [[None, None, None, None, TIDAK_ADA_MASALAH, None]]
    return [
        [m.tingkat.value, m.lembar, m.sel, m.kode, m.pesan, ", ".join(m.indikator)] for m in hasil.masalah
    ]


def grafik_rows(data: IkuInput, hasil: HasilIKU, headers: list[str]) -> list[list[Value]]:
    """One row per target year: each indicator's target and realisasi (from the history)."""
    years = sorted({y for d in data.indikator for y in d.target} | ({hasil.tahun} if hasil.tahun else set()))
    realisasi = {(r.kode, r.tahun): r.realisasi for r in hasil.riwayat}
    targets = {}
    for d in data.indikator:
        for year, raw in d.target.items():
            try:
                targets[(d.kode, year)] = parse_number(raw)
            except NotANumber:
                targets[(d.kode, year)] = None
    rows = []
    for year in years:
        row: list[Value] = [year]
        for header in headers[1:]:
            kode, _, what = header.rpartition(" ")
            source = targets if what == "Target" else realisasi
            row.append(source.get((kode, year)))
        rows.append(row)
    return rows


def result_tables(
    data: IkuInput, hasil: HasilIKU, dihitung_pada: str, grafik_headers: list[str] | None
) -> ResultTables:
    tables = {
        c.T_HASIL: _hasil(hasil),
        c.T_REKAP_KELURAHAN: _kelurahan(hasil),
        c.T_REKAP_UNSUR: _unsur(hasil),
        c.T_REKAP_UNIT: _unit(hasil),
        c.T_VALIDASI: _validasi(hasil),
    }
    if grafik_headers:
        tables[c.T_GRAFIK] = grafik_rows(data, hasil, grafik_headers)
    this_year = [r for r in hasil.riwayat if r.tahun == hasil.tahun and r.sumber == SUMBER_HITUNG]
    return ResultTables(tables=tables, names={c.DIHITUNG_PADA: dihitung_pada}, riwayat=this_year)
