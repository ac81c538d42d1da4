"""Plain data in and out of the engine (pydantic models).

Input models are lenient: cells arrive raw (``CellValue``) and the engine
turns them into numbers or problems. Locations are opaque strings supplied by
the adapter; the engine never invents a cell address.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from .numbers import CellValue
from .problems import Lokasi, Masalah

Polaritas = Literal["Naik", "Turun"]
JenisIndikator = Literal["Tujuan", "IKU"]


class TableLocator(BaseModel):
    """Where a table's rows sit, so that a problem can name its cell.

    ``kolom`` maps a field name to the column letter the adapter found for its
    header; ``baris`` holds the sheet row of each record, in record order.
    """

    lembar: str = ""
    kolom: dict[str, str] = {}
    baris: list[int] = []

    def at(self, index: int, field: str) -> Lokasi:
        column = self.kolom.get(field, "")
        row = self.baris[index] if index < len(self.baris) else None
        return Lokasi(lembar=self.lembar, sel=f"{column}{row}" if column and row else "")


# --- definitions -----------------------------------------------------------


class IndikatorDef(BaseModel):
    """One indicator of the IKU document (a row of ``tblIKU``)."""

    kode: str
    jenis: str = "IKU"
    tujuan: str = ""
    sasaran: str = ""
    indikator: str
    satuan: str = ""
    polaritas: str = "Naik"
    rumus: str
    target: dict[int, CellValue] = {}
    sumber_data: str = ""
    penanggung_jawab: str = ""
    analisis: str = ""  # the staff's analysis of causes, for the LKjIP chapter


class PredikatBand(BaseModel):
    batas_bawah: float
    predikat: str


class UnsurDef(BaseModel):
    """A survey column code and the element name it stands for."""

    kode: str
    nama: str


# --- inputs ----------------------------------------------------------------


class LkkRow(BaseModel):
    jenis_lembaga: CellValue = None
    jumlah: CellValue = None
    difasilitasi: CellValue = None
    keterangan: CellValue = None


class PmksRow(BaseModel):
    jenis_pmks: CellValue = None
    tahun_lalu: CellValue = None
    tahun_ini: CellValue = None


class KelurahanInput(BaseModel):
    nama: str
    kode_wilayah: str = ""
    lkk: list[LkkRow] = []
    lkk_lokasi: TableLocator = TableLocator()
    pmks: list[PmksRow] = []
    pmks_lokasi: TableLocator = TableLocator()
    sijinggo: CellValue = None
    sijinggo_lokasi: Lokasi = Lokasi()


class SkmInput(BaseModel):
    """The survey: one row per respondent, answers in columns ``kolom_unsur``."""

    kolom_unsur: list[str] = [f"U{i}" for i in range(1, 10)]
    unit_layanan: list[CellValue] = []
    jawaban: list[list[CellValue]] = []
    lokasi: TableLocator = TableLocator()


class RiwayatRow(BaseModel):
    kode: str
    tahun: int
    realisasi: float | None
    sumber: str = ""


class Pengaturan(BaseModel):
    """Settings from the ``Pengaturan`` sheet; defaults follow the regulations."""

    tahun: CellValue
    kecamatan: str = ""
    kota: str = ""
    # "1/n" is the exact weight of PermenPAN-RB 14/2017; the others only
    # reproduce legacy workbooks (domain notes, section 1.3).
    bobot_ikm: str = "1/n"
    # "2017": 9 elements and bands of PermenPAN-RB 14/2017;
    # "2004": 14 elements and bands of KepmenPAN 25/2004.
    versi_skm: str = "2017"
    populasi_skm: CellValue = None
    skala_predikat: list[PredikatBand] | None = None
    # Who signs the results (Pengaturan); blank prints as a dotted line to sign by hand.
    tempat_ttd: str = ""
    tanggal_ttd: CellValue = None
    nama_camat: str = ""
    nip_camat: str = ""
    data_contoh: bool = False  # the workbook still holds the DATA CONTOH sample
    lokasi: dict[str, Lokasi] = {}


class IkuInput(BaseModel):
    """Everything one kecamatan-year computation needs."""

    pengaturan: Pengaturan
    indikator: list[IndikatorDef]
    indikator_lokasi: TableLocator = TableLocator()
    kelurahan: list[KelurahanInput] = []
    sijinggo_kecamatan: CellValue = None
    sijinggo_kecamatan_lokasi: Lokasi = Lokasi()
    skm: SkmInput = SkmInput()
    unsur: list[UnsurDef] = []
    riwayat: list[RiwayatRow] = []
    # Problems the adapter met while reading (e.g. a formula with no stored
    # value); they block indicators exactly like the engine's own.
    masalah_pembacaan: list[Masalah] = []


# --- results ---------------------------------------------------------------


class HasilIndikator(BaseModel):
    kode: str
    jenis: str
    indikator: str
    satuan: str
    polaritas: str
    rumus: str
    tahun: int | None
    target: float | None
    realisasi: float | None
    capaian: float | None
    predikat: str | None
    keterangan: str = ""


class RekapKelurahan(BaseModel):
    kelurahan: str
    lkk_jumlah: float | None = None
    lkk_difasilitasi: float | None = None
    lkk_persen: float | None = None
    pmks_tahun_lalu: float | None = None
    pmks_tahun_ini: float | None = None
    pmks_perubahan: float | None = None
    sijinggo: float | None = None
    skm_responden: int = 0
    ikm: float | None = None
    mutu: str | None = None
    keterangan: str | None = None  # why a figure of this row is missing


class RekapUnsur(BaseModel):
    kode: str
    nama: str
    jawaban: int
    nrr: float | None
    bobot: float
    nrr_tertimbang: float | None


class RekapSkm(BaseModel):
    unit: str
    responden: int
    sampel_minimum: int | None = None
    ikm_nilai: float | None = None
    ikm_mentah: float | None = None
    ikm: float | None = None
    mutu: str | None = None
    kinerja: str | None = None
    unsur: list[RekapUnsur] = []


class HasilSkm(RekapSkm):
    populasi: int | None = None
    versi: str = "2017"
    bobot: str = "1/n"
    per_unit: list[RekapSkm] = []


class HasilIKU(BaseModel):
    tahun: int | None
    kecamatan: str
    kota: str
    indikator: list[HasilIndikator]
    kelurahan: list[RekapKelurahan]
    skm: HasilSkm
    riwayat: list[RiwayatRow] = Field(default_factory=list)
    masalah: list[Masalah] = Field(default_factory=list)

    @property
    def ada_galat(self) -> bool:
        return any(m.tingkat == "Galat" for m in self.masalah)
