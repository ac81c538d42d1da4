"""From a workbook's tables to the engine's plain input, whatever the door.

Every door (a file on disk, a live Excel book, the JSON book of the remote
door) offers the same small interface, :class:`TableSource`; this module
finds the contract's tables by name and columns by header text, and turns
rows into :class:`iku_engine.models.IkuInput`. Reading is tolerant (inserted,
sorted or blank rows, extra columns, header case and spacing); anything
structural that is missing makes the file unusable, with a message naming it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from operator import itemgetter

from iku_engine import formulas
from iku_engine.models import (
    IkuInput,
    IndikatorDef,
    KelurahanInput,
    LkkRow,
    Pengaturan,
    PmksRow,
    PredikatBand,
    RiwayatRow,
    SkmInput,
    TableLocator,
    UnsurDef,
)
from iku_engine.numbers import CellValue, NotANumber, parse_number
from iku_engine.problems import Lokasi, Masalah, masalah

from . import contract as c
from .a1 import column_letters
from .errors import BerkasTidakDapatDipakai
from .tables import TableData, TableSource, Wanted, normal_header

_YEAR = re.compile(r"^\d{4}$")
_ANSWER = re.compile(r"^U\d+$", re.IGNORECASE)


class _Table:
    """Column lookup by header text for one table."""

    def __init__(self, data: TableData, file_name: str) -> None:
        self.data = data
        self.file_name = file_name
        self.index: dict[str, int] = {}
        for i, header in enumerate(data.headers):
            self.index.setdefault(normal_header(header), i)

    def optional_col(self, header: str) -> int | None:
        return self.index.get(normal_header(header))

    def col(self, header: str) -> int:
        found = self.optional_col(header)
        if found is None:
            raise BerkasTidakDapatDipakai(
                f"Tabel '{self.data.name}' di lembar '{self.data.sheet}' tidak memiliki kolom '{header}'. "
                "Kembalikan judul kolom itu (lihat buku kerja contoh)."
            )
        return found

    def letter(self, index: int) -> str:
        return column_letters(self.data.first_col + index)

    def locator(self, fields: dict[str, int | None], rows: list[int]) -> TableLocator:
        return TableLocator(
            lembar=self.data.sheet,
            kolom={name: self.letter(i) for name, i in fields.items() if i is not None},
            baris=[self.data.row_numbers[i] for i in rows],
        )

    def value(self, row: int, col: int | None) -> CellValue:
        if col is None:
            return None
        values = self.data.rows[row]
        return values[col] if col < len(values) else None


def _require_table(source: TableSource, name: str, sheet_hint: str, wanted: Wanted | None = None) -> _Table:
    data = source.table(name, wanted)
    if data is None:
        raise BerkasTidakDapatDipakai(
            f"Tabel Excel '{name}' (lembar '{sheet_hint}') tidak ditemukan di '{source.file_name}'. "
            "Bila tabel itu terhapus atau berganti nama, salin lembarnya dari buku kerja contoh atau "
            "kembalikan namanya (Desain Tabel > Nama Tabel)."
        )
    return _Table(data, source.file_name)


def _survey_column(header: str) -> bool:
    """The survey columns the IKM needs: the unit and the answers U1, U2, ...."""
    return bool(_ANSWER.match(str(header).strip())) or normal_header(header) == normal_header(
        "Unit Pelayanan"
    )


def _picker(columns: list[int]) -> Callable[[list[CellValue]], tuple[CellValue, ...]]:
    """The values of ``columns`` of a row as a tuple, in one C call per row."""
    if len(columns) == 1:
        only = columns[0]
        return lambda row: (row[only],)
    return itemgetter(*columns)


def _padded(values: list[CellValue], columns: list[int]) -> tuple[CellValue, ...]:
    return tuple(values[j] if j < len(values) else None for j in columns)


def _blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class Reader:
    def __init__(self, source: TableSource) -> None:
        self.source = source
        self.problems: list[Masalah] = []

    def _uncached(self, table: _Table, rows: list[int], cols: dict[int, str | None]) -> None:
        """Formulas without a stored result: the value is unknown, so block the indicator."""
        if not table.data.uncached:
            return
        for i in rows:
            for j, rumus in cols.items():
                if (i, j) in table.data.uncached:
                    lokasi = Lokasi(
                        lembar=table.data.sheet, sel=f"{table.letter(j)}{table.data.row_numbers[i]}"
                    )
                    self.problems.append(masalah("rumus-tanpa-nilai", lokasi, rumus))

    def _name(self, name: str, rumus: str | None, required: bool = True) -> tuple[CellValue, Lokasi]:
        found = self.source.named_cell(name)
        if found is None:
            if required:
                raise BerkasTidakDapatDipakai(
                    f"Nama sel '{name}' tidak ditemukan di '{self.source.file_name}'. "
                    "Buat lagi nama sel itu (Formulas > Name Manager / Rumus > Pengelola Nama) menunjuk "
                    "ke selnya, atau salin lembarnya dari buku kerja contoh."
                )
            return None, Lokasi()
        value, lokasi, uncached = found
        if uncached:
            self.problems.append(masalah("rumus-tanpa-nilai", lokasi, rumus))
        return value, lokasi

    def read(self, tahun: int | None = None) -> IkuInput:
        tahun_value, tahun_lokasi = self._name(c.TAHUN, None)
        pengaturan = Pengaturan(
            tahun=tahun if tahun is not None else tahun_value,
            kecamatan=_text(self._name(c.NAMA_KECAMATAN, None, required=False)[0]),
            kota=_text(self._name(c.NAMA_KOTA, None, required=False)[0]),
        )
        pengaturan.lokasi["tahun"] = tahun_lokasi
        for field_name, name in (("versi_skm", c.VERSI_SKM), ("bobot_ikm", c.BOBOT_IKM)):
            value, lokasi = self._name(name, formulas.IKM, required=False)
            if not _blank(value):
                setattr(pengaturan, field_name, _text(value))
            pengaturan.lokasi[field_name] = lokasi
        value, lokasi = self._name(c.POPULASI_SKM, formulas.IKM, required=False)
        pengaturan.populasi_skm = value
        pengaturan.lokasi["populasi_skm"] = lokasi
        pengaturan.skala_predikat = self._predikat()
        for field_name, name in (
            ("tempat_ttd", c.TEMPAT_TTD),
            ("nama_camat", c.NAMA_CAMAT),
            ("nip_camat", c.NIP_CAMAT),
        ):
            setattr(pengaturan, field_name, _text(self._name(name, None, required=False)[0]))
        pengaturan.tanggal_ttd = self._name(c.TANGGAL_TTD, None, required=False)[0]
        penanda = _text(self._name(c.PENANDA_CONTOH, None, required=False)[0])
        pengaturan.data_contoh = penanda.upper().startswith(c.DATA_CONTOH)

        indikator, indikator_lokasi = self._indikator()
        kelurahan = self._kelurahan()
        sijinggo, sijinggo_lokasi = self._name(c.SIJINGGO_KECAMATAN, formulas.SIJINGGO)
        skm = self._skm()
        data = IkuInput(
            pengaturan=pengaturan,
            indikator=indikator,
            indikator_lokasi=indikator_lokasi,
            kelurahan=kelurahan,
            sijinggo_kecamatan=sijinggo,
            sijinggo_kecamatan_lokasi=sijinggo_lokasi,
            skm=skm,
            unsur=self._unsur(),
            riwayat=self._riwayat(),
        )
        data.masalah_pembacaan = self.problems
        return data

    def _predikat(self) -> list[PredikatBand] | None:
        data = self.source.table(c.T_PREDIKAT)
        if data is None:
            return None
        table = _Table(data, self.source.file_name)
        low, label = table.col("Batas Bawah"), table.col("Predikat")
        bands = []
        for i in range(len(data.rows)):
            name = _text(table.value(i, label))
            if not name:
                continue
            try:
                bound = parse_number(table.value(i, low))
            except NotANumber:
                bound = None
            bands.append(
                PredikatBand(batas_bawah=bound if bound is not None else float("-inf"), predikat=name)
            )
        return bands or None

    def _indikator(self) -> tuple[list[IndikatorDef], TableLocator]:
        table = _require_table(self.source, c.T_IKU, c.IKU)
        cols = {name: table.col(name) for name in ("Kode", "Indikator", "Polaritas", "Rumus")}
        optional = {
            name: table.optional_col(name)
            for name in (
                "Jenis",
                "Tujuan",
                "Sasaran",
                "Satuan",
                "Sumber Data",
                "Penanggung Jawab",
                "Analisis",
            )
        }
        years = {
            int(str(h).strip()): j for j, h in enumerate(table.data.headers) if _YEAR.match(str(h).strip())
        }
        result, rows = [], []
        for i in range(len(table.data.rows)):
            kode = _text(table.value(i, cols["Kode"]))
            if not kode:
                continue
            rows.append(i)
            result.append(
                IndikatorDef(
                    kode=kode,
                    jenis=_text(table.value(i, optional["Jenis"])) or "IKU",
                    tujuan=_text(table.value(i, optional["Tujuan"])),
                    sasaran=_text(table.value(i, optional["Sasaran"])),
                    indikator=_text(table.value(i, cols["Indikator"])),
                    satuan=_text(table.value(i, optional["Satuan"])),
                    polaritas=_text(table.value(i, cols["Polaritas"])),
                    rumus=_text(table.value(i, cols["Rumus"])),
                    target={year: table.value(i, j) for year, j in years.items()},
                    sumber_data=_text(table.value(i, optional["Sumber Data"])),
                    penanggung_jawab=_text(table.value(i, optional["Penanggung Jawab"])),
                    analisis=_text(table.value(i, optional["Analisis"])),
                )
            )
        self._uncached(table, rows, dict.fromkeys(years.values()))
        fields: dict[str, int | None] = {"rumus": cols["Rumus"], "polaritas": cols["Polaritas"]}
        fields.update({str(year): j for year, j in years.items()})
        return result, table.locator(fields, rows)

    def _kelurahan(self) -> list[KelurahanInput]:
        table = _require_table(self.source, c.T_KELURAHAN, c.PENGATURAN)
        name_col, sheet_col = table.col("Kelurahan"), table.col("Lembar")
        code_col = table.optional_col("Kode Wilayah")
        result = []
        for i in range(len(table.data.rows)):
            nama = _text(table.value(i, name_col))
            if not nama:
                continue
            sheet = _text(table.value(i, sheet_col)) or nama
            if not self.source.has_sheet(sheet):
                raise BerkasTidakDapatDipakai(
                    f"Lembar '{sheet}' untuk kelurahan {nama} (tabel {c.T_KELURAHAN}, lembar Pengaturan) tidak ada. "
                    "Perbaiki kolom Lembar atau kembalikan lembarnya."
                )
            result.append(self._one_kelurahan(nama, sheet, _text(table.value(i, code_col))))
        return result

    def _one_kelurahan(self, nama: str, sheet: str, kode: str) -> KelurahanInput:
        lkk = _require_table(self.source, c.table_lkk(nama), sheet)
        jenis, jumlah, fasil = lkk.col("Jenis Lembaga"), lkk.col("Jumlah"), lkk.col("Difasilitasi")
        ket = lkk.optional_col("Keterangan")
        lkk_rows, lkk_index = [], []
        for i in range(len(lkk.data.rows)):
            row = LkkRow(
                jenis_lembaga=lkk.value(i, jenis),
                jumlah=lkk.value(i, jumlah),
                difasilitasi=lkk.value(i, fasil),
                keterangan=lkk.value(i, ket),
            )
            if (
                _blank(row.jumlah)
                and _blank(row.difasilitasi)
                and (i, jumlah) not in lkk.data.uncached
                and (i, fasil) not in lkk.data.uncached
            ):
                continue
            lkk_rows.append(row)
            lkk_index.append(i)
        self._uncached(lkk, lkk_index, {jumlah: formulas.LKK, fasil: formulas.LKK})

        pmks = _require_table(self.source, c.table_pmks(nama), sheet)
        pjenis, lalu, ini = pmks.col("Jenis PMKS"), pmks.col("Tahun Lalu"), pmks.col("Tahun Ini")
        pmks_rows, pmks_index = [], []
        for i in range(len(pmks.data.rows)):
            prow = PmksRow(
                jenis_pmks=pmks.value(i, pjenis), tahun_lalu=pmks.value(i, lalu), tahun_ini=pmks.value(i, ini)
            )
            if _blank(prow.tahun_lalu) and _blank(prow.tahun_ini):
                continue
            pmks_rows.append(prow)
            pmks_index.append(i)
        self._uncached(pmks, pmks_index, {lalu: formulas.PMKS, ini: formulas.PMKS})
        sijinggo, sijinggo_lokasi = self._name(c.name_sijinggo(nama), formulas.SIJINGGO)
        return KelurahanInput(
            nama=nama,
            kode_wilayah=kode,
            lkk=lkk_rows,
            lkk_lokasi=lkk.locator({"jumlah": jumlah, "difasilitasi": fasil}, lkk_index),
            pmks=pmks_rows,
            pmks_lokasi=pmks.locator({"tahun_lalu": lalu, "tahun_ini": ini}, pmks_index),
            sijinggo=sijinggo,
            sijinggo_lokasi=sijinggo_lokasi,
        )

    def _skm(self) -> SkmInput:
        table = _require_table(self.source, c.T_SKM, c.SKM, _survey_column)
        unit = table.col("Unit Pelayanan")
        answers = [
            (str(h).strip().upper(), j)
            for j, h in enumerate(table.data.headers)
            if _ANSWER.match(str(h).strip())
        ]
        answers.sort(key=lambda a: int(a[0][1:]))
        if not answers:
            raise BerkasTidakDapatDipakai(
                f"Tabel '{c.T_SKM}' di lembar '{table.data.sheet}' tidak memiliki kolom jawaban U1, U2, .... "
                "Kembalikan judul kolom jawaban."
            )
        columns = [j for _, j in answers]
        width = len(table.data.headers)
        pick = _picker(columns)
        all_blank = (None,) * len(columns)
        uncached_rows = {i for i, j in table.data.uncached if j in columns}
        units, rows, index = [], [], []
        for i, values in enumerate(table.data.rows):
            answer_values = pick(values) if len(values) == width else _padded(values, columns)
            # A respondent row with no answer at all is an empty row (a survey table keeps spare rows).
            first = answer_values[0]
            if (
                (first is None or isinstance(first, str))
                and (answer_values == all_blank or all(map(_blank, answer_values)))
                and i not in uncached_rows
            ):
                continue
            units.append(values[unit] if unit < len(values) else None)
            rows.append(list(answer_values))
            index.append(i)
        self._uncached(table, index, {j: formulas.IKM for _, j in answers})
        fields: dict[str, int | None] = {"unit_layanan": unit}
        fields.update({code: j for code, j in answers})
        # Every value already follows the cell rule (CellValue): validating a
        # million answers one by one again would cost more than the IKM itself.
        return SkmInput.model_construct(
            kolom_unsur=[code for code, _ in answers],
            unit_layanan=units,
            jawaban=rows,
            lokasi=table.locator(fields, index),
        )

    def _unsur(self) -> list[UnsurDef]:
        data = self.source.table(c.T_UNSUR)
        if data is None:
            return []
        table = _Table(data, self.source.file_name)
        kode, nama = table.col("Kode"), table.col("Unsur")
        result = []
        for i in range(len(data.rows)):
            code, name = _text(table.value(i, kode)), _text(table.value(i, nama))
            if code and name:
                result.append(UnsurDef(kode=code, nama=name))
        return result

    def _riwayat(self) -> list[RiwayatRow]:
        data = self.source.table(c.T_RIWAYAT)
        if data is None:
            return []
        table = _Table(data, self.source.file_name)
        kode, tahun, realisasi = table.col("Kode"), table.col("Tahun"), table.col("Realisasi")
        sumber = table.optional_col("Sumber")
        result = []
        for i in range(len(data.rows)):
            code = _text(table.value(i, kode))
            if not code:
                continue
            try:
                year = parse_number(table.value(i, tahun))
                value = parse_number(table.value(i, realisasi))
            except NotANumber:
                lokasi = Lokasi(lembar=data.sheet, sel=f"{table.letter(realisasi)}{data.row_numbers[i]}")
                self.problems.append(masalah("riwayat-tidak-terbaca", lokasi))
                continue
            if year is None or not float(year).is_integer():
                continue
            result.append(
                RiwayatRow(kode=code, tahun=int(year), realisasi=value, sumber=_text(table.value(i, sumber)))
            )
        return result


def read_input(source: TableSource, tahun: int | None = None) -> IkuInput:
    return Reader(source).read(tahun)
