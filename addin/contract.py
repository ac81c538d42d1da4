"""The workbook contract: sheet names, Excel Table names, headers, defined names.

One place for every name that the builder writes and the readers and writers
look for. Changing a name here changes the public contract of the workbook:
document it in docs/workbook.md and the CHANGELOG.
"""

from __future__ import annotations

import re
import unicodedata

# --- sheets ------------------------------------------------------------------
PETUNJUK = "Petunjuk"
PANDUAN = "Panduan"
PENGATURAN = "Pengaturan"
IKU = "IKU"
KECAMATAN = "Kecamatan"
SKM = "SKM"
RIWAYAT = "Riwayat"
HASIL = "Hasil IKU"
REKAP_KELURAHAN = "Rekap Kelurahan"
REKAP_SKM = "Rekap SKM"
VALIDASI = "Validasi"
GRAFIK = "Grafik"
CONF = "xlwings.conf"
RESULT_SHEETS = (HASIL, REKAP_KELURAHAN, REKAP_SKM, VALIDASI, GRAFIK)

# --- defined names -------------------------------------------------------------
TAHUN = "TahunLaporan"
NAMA_KECAMATAN = "NamaKecamatan"
NAMA_KOTA = "NamaKota"
VERSI_SKM = "VersiSKM"
BOBOT_IKM = "BobotIKM"
POPULASI_SKM = "PopulasiSKM"
DAFTAR_UNIT = "DaftarUnitLayanan"
SIJINGGO_KECAMATAN = "Sijinggo_Kecamatan"
DIHITUNG_PADA = "DihitungPada"
PENANDA_CONTOH = "PenandaContoh"  # Pengaturan!A3: "DATA CONTOH …" while the sample data is in
# Signature settings (Pengaturan) and the signature block they fill (Hasil IKU).
TEMPAT_TTD = "TempatTandaTangan"
TANGGAL_TTD = "TanggalTandaTangan"
NAMA_CAMAT = "NamaCamat"
NIP_CAMAT = "NipCamat"
TTD_TEMPAT_TANGGAL = "TtdTempatTanggal"
TTD_JABATAN = "TtdJabatan"
TTD_NAMA = "TtdNama"
TTD_NIP = "TtdNip"
# Titles of the result sheets, refreshed by every computation (kecamatan and year).
JUDUL = {
    "JudulHasil": ("Hasil IKU", "Hasil IKU"),
    "JudulRekapKelurahan": ("Rekap Kelurahan", "Rekap per Kelurahan"),
    "JudulRekapSKM": ("Rekap SKM", "Rekap SKM per Unsur dan Unit Pelayanan"),
    "JudulValidasi": ("Validasi", "Masalah Data"),
    "JudulGrafik": ("Grafik", "Target dan Realisasi per Tahun"),
}

# --- tables and their headers -------------------------------------------------------
T_KELURAHAN = "tblKelurahan"
H_KELURAHAN = ("Kelurahan", "Lembar", "Kode Wilayah")
T_UNSUR = "tblUnsurSKM"
H_UNSUR = ("Kode", "Unsur")
T_PREDIKAT = "tblPredikat"
H_PREDIKAT = ("Batas Bawah", "Predikat")
T_UNIT = "tblUnitLayanan"
H_UNIT = ("Unit Pelayanan",)
T_IKU = "tblIKU"
H_IKU_HEAD = ("Kode", "Jenis", "Tujuan", "Sasaran", "Indikator", "Satuan", "Polaritas", "Rumus")
H_IKU_TAIL = ("Sumber Data", "Penanggung Jawab", "Analisis")
H_LKK = ("Jenis Lembaga", "Jumlah", "Difasilitasi", "Keterangan")
H_PMKS = ("Jenis PMKS", "Tahun Lalu", "Tahun Ini")
T_SKM = "tblSKM"
H_SKM_HEAD = (
    "No",
    "Tanggal",
    "Unit Pelayanan",
    "Jenis Layanan",
    "Jenis Kelamin",
    "Umur",
    "Pendidikan",
    "Pekerjaan",
)
T_RIWAYAT = "tblRiwayat"
H_RIWAYAT = ("Kode", "Tahun", "Realisasi", "Sumber")

T_HASIL = "tblHasil"
H_HASIL = (
    "Kode",
    "Indikator",
    "Satuan",
    "Polaritas",
    "Tahun",
    "Target",
    "Realisasi",
    "Capaian (%)",
    "Predikat",
    "Keterangan",
)
T_REKAP_KELURAHAN = "tblRekapKelurahan"
H_REKAP_KELURAHAN = (
    "Kelurahan",
    "Jumlah Kelompok dan Lembaga",
    "Kelompok dan Lembaga Difasilitasi",
    "% Difasilitasi",
    "PMKS Tahun Lalu",
    "PMKS Tahun Ini",
    "% Perubahan PMKS",
    "Nilai SIJINGGO",
    "Responden SKM",
    "IKM",
    "Mutu Pelayanan",
    "Keterangan",
)
T_REKAP_UNSUR = "tblRekapUnsur"
H_REKAP_UNSUR = ("Kode", "Unsur", "Jumlah Jawaban", "NRR", "Bobot", "NRR Tertimbang")
T_REKAP_UNIT = "tblRekapUnit"
H_REKAP_UNIT = (
    "Unit Pelayanan",
    "Responden",
    "Sampel Minimum",
    "IKM (1-4)",
    "IKM",
    "Mutu Pelayanan",
    "Kinerja Unit Pelayanan",
)
T_VALIDASI = "tblValidasi"
H_VALIDASI = ("Tingkat", "Lembar", "Sel", "Kode", "Pesan", "Indikator")
T_GRAFIK = "tblGrafik"

# --- macros ---------------------------------------------------------------------
# The xlwings version the workbook's VBA is built for (pinned in pyproject.toml).
XLWINGS_VERSION = "0.37.8"
MACRO_HITUNG = "HitungIKU"
MACRO_SERVER = "HitungIKUServer"
BUTTON_HITUNG = "Hitung IKU"
BUTTON_SERVER = "Hitung IKU (Server)"
MACRO_PERIKSA = "PeriksaInstalasi"
MACRO_LAPORAN = "CetakLaporan"
BUTTON_LAPORAN = "Cetak Laporan"
BUTTON_PERIKSA = "Periksa Instalasi"
PYTHON_ENTRY = "import addin.excel_entry as iku; iku.hitung_iku()"
UDF_MODULE = "addin.udf"

DATA_CONTOH = "DATA CONTOH"


def sheet_order(kelurahan: list[str]) -> list[str]:
    """Every sheet of the workbook, in order, with one sheet per kelurahan."""
    return [PETUNJUK, PANDUAN, PENGATURAN, IKU, KECAMATAN, *kelurahan, SKM, RIWAYAT, *RESULT_SHEETS, CONF]


def slug(name: str) -> str:
    """``Kebonsari Kulon`` -> ``KebonsariKulon``: letters and digits only."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9A-Za-z]", "", ascii_name)


def table_lkk(kelurahan: str) -> str:
    return f"tblLKK_{slug(kelurahan)}"


def table_pmks(kelurahan: str) -> str:
    return f"tblPMKS_{slug(kelurahan)}"


def name_sijinggo(kelurahan: str) -> str:
    return f"Sijinggo_{slug(kelurahan)}"


def grafik_headers(kodes: list[str]) -> list[str]:
    headers = ["Tahun"]
    for kode in kodes:
        headers += [f"{kode} Target", f"{kode} Realisasi"]
    return headers
