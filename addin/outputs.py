"""The engine's results as plain rows for the result tables, whatever the door.

Every writer (file, live Excel, remote JSON book) writes exactly these rows,
so the three doors cannot drift apart. Values only, never formulas.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from iku_engine.compute import SUMBER_HITUNG
from iku_engine.models import HasilIKU, IkuInput, RiwayatRow
from iku_engine.numbers import NotANumber, parse_number

from . import contract as c
from .errors import BerkasTidakDapatDipakai
from .tables import TableData, normal_header

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
class RowUpdate:
    """Cells to set in one row of a table; ``row`` is the sheet row (past the table's end: appended)."""

    row: int
    values: dict[str, Value]  # normalised header -> value


@dataclass
class ResultTables:
    """Rows per result table (in the order of ``headers``), single cells by defined
    name, and the cells of tblRiwayat to update (an input table: merged, not replaced)."""

    tables: dict[str, list[list[Value]]]
    headers: dict[str, Sequence[str]]
    names: dict[str, Value]
    riwayat: list[RiwayatRow]
    riwayat_updates: list[RowUpdate] = field(default_factory=list)
    # Cells by defined name that older workbooks may lack: written where present.
    optional_names: dict[str, Value] = field(default_factory=dict)


def match_columns(table: str, sheet: str, present: Sequence[object], wanted: Sequence[str]) -> list[int]:
    """Positions (0-based, within the table) of ``wanted`` headers, found by header text."""
    position: dict[str, int] = {}
    for j, header in enumerate(present):
        position.setdefault(normal_header(header), j)
    columns = []
    for header in wanted:
        found = position.get(normal_header(header))
        if found is None:
            raise BerkasTidakDapatDipakai(
                f"Tabel hasil '{table}' di lembar '{sheet}' tidak memiliki kolom '{header}'. "
                "Kembalikan judul kolom itu (lihat buku kerja contoh)."
            )
        columns.append(found)
    return columns


def no_room(table: str, sheet: str, cell: str, needed: int) -> BerkasTidakDapatDipakai:
    """A growing table would cover a cell that holds something: refuse, write nothing."""
    return BerkasTidakDapatDipakai(
        f"Tabel '{table}' perlu {needed} baris lagi, tetapi sel {sheet}!{cell} di bawahnya berisi data "
        "(atau baris total tabel). Pindahkan isi sel itu atau sisipkan baris kosong di bawah tabel, lalu ulangi. "
        "Tidak ada yang ditulis."
    )


def rows_needed(results: ResultTables, name: str) -> int:
    """How many data rows a result table needs after this run."""
    return max(1, len(results.tables[name]))


def last_row_needed(results: ResultTables, name: str, first: int) -> int:
    """The sheet row a result table (first data row ``first``) or tblRiwayat ends on after this run."""
    if name in results.tables:
        return first + rows_needed(results, name) - 1
    return max((u.row for u in results.riwayat_updates), default=first - 1)


def _year(value: object) -> int | None:
    try:
        number = parse_number(value)  # type: ignore[arg-type]
    except NotANumber:
        return None
    return int(number) if number is not None and float(number).is_integer() else None


def plan_riwayat(table: TableData | None, items: list[RiwayatRow]) -> list[RowUpdate]:
    """This year's rows of tblRiwayat: update the row of the same Kode and Tahun,
    else fill the first blank row, else append. Other rows and columns stay as typed."""
    if table is None or not items:
        return []
    position = {normal_header(h): j for j, h in reversed(list(enumerate(table.headers)))}
    if not {"kode", "tahun", "realisasi"} <= set(position):
        return []
    existing: dict[tuple[str, int], int] = {}
    blanks: list[int] = []
    for i, row in enumerate(table.rows):
        kode = row[position["kode"]] if position["kode"] < len(row) else None
        tahun = row[position["tahun"]] if position["tahun"] < len(row) else None
        kode_text = "" if kode is None else str(kode).strip()
        year = _year(tahun)
        if kode_text and year is not None:
            existing.setdefault((kode_text, year), table.row_numbers[i])
        elif not kode_text and (tahun is None or str(tahun).strip() == ""):
            blanks.append(table.row_numbers[i])
    updates = []
    first = table.first_row if table.first_row is not None else min(table.row_numbers, default=1)
    last = table.last_row if table.last_row is not None else max(table.row_numbers, default=first - 1)
    # Every row read: blank ones are in ``blanks``, append below the table. Rows
    # without any cell left out (a stretched table): the row after the last one
    # read is inside the table and empty.
    dense = len(table.rows) == last - first + 1
    end = last if dense else max(table.row_numbers, default=first - 1)
    for item in items:
        values: dict[str, Value] = {"realisasi": item.realisasi}
        if "sumber" in position:
            values["sumber"] = item.sumber
        target = existing.get((item.kode, item.tahun))
        if target is None:
            if blanks:
                target = blanks.pop(0)
            else:
                end += 1
                target = end
            values = {"kode": item.kode, "tahun": item.tahun, **values}
        updates.append(RowUpdate(target, values))
    return updates


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
            r.keterangan,
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
    headers: dict[str, Sequence[str]] = dict(RESULT_HEADERS)
    tables = {
        c.T_HASIL: _hasil(hasil),
        c.T_REKAP_KELURAHAN: _kelurahan(hasil),
        c.T_REKAP_UNSUR: _unsur(hasil),
        c.T_REKAP_UNIT: _unit(hasil),
        c.T_VALIDASI: _validasi(hasil),
    }
    if grafik_headers:
        tables[c.T_GRAFIK] = grafik_rows(data, hasil, grafik_headers)
        headers[c.T_GRAFIK] = grafik_headers
    this_year = [r for r in hasil.riwayat if r.tahun == hasil.tahun and r.sumber == SUMBER_HITUNG]
    return ResultTables(
        tables=tables,
        headers=headers,
        names={c.DIHITUNG_PADA: dihitung_pada},
        riwayat=this_year,
        optional_names={**titles(hasil), **signature(data, hasil)},
    )


BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
TITIK = "...................."


def tanggal_indonesia(value: object) -> str | None:
    """``2026-11-28`` (a date cell) -> ``28 November 2026``; text is kept as typed."""
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    return f"{moment.day} {BULAN[moment.month - 1]} {moment.year}"


def titles(hasil: HasilIKU) -> dict[str, Value]:
    """Each result sheet's title names the kecamatan and the year."""
    kecamatan = f" Kecamatan {hasil.kecamatan}" if hasil.kecamatan else ""
    tahun = f" Tahun {hasil.tahun}" if hasil.tahun else ""
    return {name: f"{title}{kecamatan}{tahun}" for name, (_, title) in c.JUDUL.items()}


def signature(data: IkuInput, hasil: HasilIKU) -> dict[str, Value]:
    """The signature block under Hasil IKU; blanks print as dotted lines to sign by hand."""
    p = data.pengaturan
    tempat = p.tempat_ttd.strip() or TITIK
    tanggal = tanggal_indonesia(p.tanggal_ttd) or TITIK
    return {
        c.TTD_TEMPAT_TANGGAL: f"{tempat}, {tanggal}",
        c.TTD_JABATAN: f"CAMAT {hasil.kecamatan.upper()}" if hasil.kecamatan else f"CAMAT {TITIK}",
        c.TTD_NAMA: p.nama_camat.strip() or TITIK + TITIK,
        c.TTD_NIP: f"NIP {p.nip_camat.strip() or TITIK + TITIK}",
    }
