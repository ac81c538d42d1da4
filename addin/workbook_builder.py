"""Build the IKU workbook (``.xlsm``) from text sources, reproducibly.

Layout, styles, validations, defined names, the chart, the VBA project and
the buttons all come from this module, the catalog and ``workbook/vba``.
Building twice gives byte-identical files (fixed timestamps and seeds).
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from iku_engine import formulas, skm
from iku_engine.capaian import SKALA_PERMENDAGRI_86_2017
from iku_engine.catalog import Katalog, KelurahanDef, katalog_kanigaran, tahun_target
from iku_engine.compute import BARIS_JUMLAH, BARIS_KANTOR
from iku_engine.contoh import PENANDA, data_contoh
from iku_engine.models import IkuInput
from iku_engine.problems import JENIS_MASALAH, PANDUAN_MASALAH

from . import contract as c
from .files import write_atomic
from .vba.project import (
    BASE_WORKBOOK,
    BASE_WORKSHEET,
    Module,
    build_vba_project,
    class_module,
    document_module,
    standard_module,
)
from .vba.udf_wrappers import udf_wrapper_module

VBA_DIR = Path(__file__).resolve().parents[1] / "workbook" / "vba"
FIXED_TIME = dt.datetime(2021, 1, 1, 0, 0, 0)
SKM_VALIDATION_ROWS = 20000  # validation reaches beyond the table for new rows
GREEN, LIGHT_GREEN, YELLOW, ORANGE, RED = "#C6EFCE", "#E2F0D9", "#FFEB9C", "#F8CBAD", "#FFC7CE"
XLWINGS_VBA_MODULES = ["xlwings.bas", "addin/Remote.bas", "addin/WebHelpers.bas"]
XLWINGS_VBA_CLASSES = [
    "addin/Dictionary.cls",
    "addin/IWebAuthenticator.cls",
    "addin/WebClient.cls",
    "addin/WebRequest.cls",
    "addin/WebResponse.cls",
]


@dataclass
class WorkbookSpec:
    katalog: Katalog
    kelurahan: list[KelurahanDef]
    tahun: int
    contoh: IkuInput | None  # sample data, or None for an empty workbook
    periode: list[int] | None = None  # the target year columns (a Renstra period); None: the catalog's


def default_spec() -> WorkbookSpec:
    katalog = katalog_kanigaran()
    return WorkbookSpec(katalog, list(katalog.kelurahan), 2021, data_contoh(katalog))


# --- VBA -------------------------------------------------------------------------


def _xlwings_source(relative: str) -> str:
    return resources.files("xlwings").joinpath(relative).read_text("utf-8")


def code_name(sheet: str) -> str:
    return ("ws" + c.slug(sheet))[:31]


def vba_modules(sheets: list[str]) -> list[Module]:
    """Document modules for the workbook and every sheet, then the code modules."""
    this_workbook = (VBA_DIR / "ThisWorkbook.cls").read_text("utf-8")
    modules = [document_module("ThisWorkbook", BASE_WORKBOOK, this_workbook)]
    modules += [document_module(code_name(s), BASE_WORKSHEET) for s in sheets]
    modules += [standard_module(_xlwings_source(p)) for p in XLWINGS_VBA_MODULES]
    modules += [class_module(_xlwings_source(p)) for p in XLWINGS_VBA_CLASSES]
    modules.append(standard_module((VBA_DIR / "IKU.bas").read_text("utf-8")))
    modules.append(standard_module(udf_wrapper_module()))
    return modules


def project_id(kecamatan: str) -> str:
    """A stable project GUID per kecamatan (reproducible builds)."""
    return "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"iku-kecamatan:{kecamatan}")).upper() + "}"


# --- the workbook ------------------------------------------------------------------


class _Styles:
    def __init__(self, wb: Workbook) -> None:
        self.title = wb.add_format({"bold": True, "font_size": 14, "font_color": "#1F4E78"})
        self.subtitle = wb.add_format({"italic": True, "font_color": "#595959"})
        self.contoh = wb.add_format({"bold": True, "font_color": "#C00000"})
        self.label = wb.add_format({"bold": True})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.input_text = wb.add_format({"locked": False})
        self.wrap_input = wb.add_format({"locked": False, "text_wrap": True, "valign": "top"})
        self.input_int = wb.add_format({"locked": False, "num_format": "#,##0"})
        self.input_dec = wb.add_format({"locked": False, "num_format": "#,##0.00"})
        self.input_date = wb.add_format({"locked": False, "num_format": "dd/mm/yyyy"})
        self.input_year = wb.add_format({"locked": False, "num_format": "0"})
        self.int = wb.add_format({"num_format": "#,##0"})
        self.dec = wb.add_format({"num_format": "#,##0.00"})
        self.dec4 = wb.add_format({"num_format": "0.0000"})
        self.year = wb.add_format({"num_format": "0"})
        self.text_wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.fill = {
            color: wb.add_format({"bg_color": color}) for color in (GREEN, LIGHT_GREEN, YELLOW, ORANGE, RED)
        }


def _title(ws: Worksheet, st: _Styles, title: str, subtitle: str, contoh: bool) -> None:
    ws.write(0, 0, title, st.title)
    ws.write(1, 0, subtitle, st.subtitle)
    if contoh:
        ws.write(
            2, 0, f"{PENANDA}: angka di lembar ini hanya contoh. Ganti dengan data sebenarnya.", st.contoh
        )


def _table(
    ws: Worksheet,
    row: int,
    col: int,
    name: str,
    headers: list[str] | tuple[str, ...],
    data: Sequence[Sequence[object]],
    formats: list[object] | None = None,
) -> tuple[int, int, int, int]:
    """Add an Excel Table; returns (first data row, first col, last row, last col)."""
    rows = data or [[None] * len(headers)]
    last_row = row + len(rows)
    last_col = col + len(headers) - 1
    columns = []
    for i, header in enumerate(headers):
        column: dict[str, object] = {"header": header}
        if formats and formats[i] is not None:
            column["format"] = formats[i]
        columns.append(column)
    ws.add_table(
        row,
        col,
        last_row,
        last_col,
        {"name": name, "columns": columns, "data": rows, "style": "Table Style Medium 2"},
    )
    return row + 1, col, last_row, last_col


def _list_validation(
    ws: Worksheet, r1: int, c1: int, r2: int, c2: int, source: list[str] | str, pesan: str
) -> None:
    ws.data_validation(
        r1,
        c1,
        r2,
        c2,
        {
            "validate": "list",
            "source": source,
            "input_title": "Pilih dari daftar",
            "input_message": pesan[:255],
            "error_title": "Isian tidak dikenal",
            "error_message": f"{pesan} Pilih salah satu isian dari daftar."[:255],
        },
    )


def _whole_validation(
    ws: Worksheet, r1: int, c1: int, r2: int, c2: int, low: int, high: int, pesan: str
) -> None:
    ws.data_validation(
        r1,
        c1,
        r2,
        c2,
        {
            "validate": "integer",
            "criteria": "between",
            "minimum": low,
            "maximum": high,
            "ignore_blank": True,
            "error_title": "Angka tidak valid",
            "error_message": pesan[:255],
        },
    )


def _widths(ws: Worksheet, *spans: tuple[object, ...]) -> None:
    """Column widths: each span is (first column, last column, width[, format])."""
    for span in spans:
        ws.set_column(*span)


def _buttons(ws: Worksheet, row: int, col: int, periksa: bool = False) -> None:
    ws.insert_button(
        row, col, {"macro": c.MACRO_HITUNG, "caption": c.BUTTON_HITUNG, "width": 150, "height": 32}
    )
    ws.insert_button(
        row, col + 2, {"macro": c.MACRO_SERVER, "caption": c.BUTTON_SERVER, "width": 150, "height": 32}
    )
    if periksa:
        ws.insert_button(
            row + 3, col, {"macro": c.MACRO_PERIKSA, "caption": c.BUTTON_PERIKSA, "width": 150, "height": 24}
        )


def _petunjuk(ws: Worksheet, st: _Styles, spec: WorkbookSpec) -> None:
    contoh = spec.contoh is not None
    _title(ws, st, f"IKU Kecamatan {spec.katalog.kecamatan}", "Petunjuk pengisian buku kerja", contoh)
    lines = [
        "1. Isi lembar Pengaturan: tahun laporan, nama kecamatan dan kota, populasi penerima layanan (untuk "
        "sampel minimum SKM).",
        "2. Periksa lembar IKU: indikator, polaritas, rumus dan target per tahun. Target diambil dari Renstra "
        "dan Perjanjian Kinerja kecamatan. Kolom Rumus dipilih dari daftar; jangan ketik rumus Excel di sana.",
        "3. Isi satu lembar per kelurahan: tabel kelompok dan lembaga kemasyarakatan (jumlah dan yang "
        "difasilitasi), tabel PMKS (tahun lalu dan tahun ini) dan nilai SIJINGGO.",
        "4. Isi nilai SIJINGGO kantor kecamatan pada lembar Kecamatan.",
        "5. Isi lembar SKM: satu baris per responden, jawaban U1-U9 dengan angka 1 sampai 4. Kosongkan bila "
        "responden tidak menjawab.",
        "6. Klik tombol 'Hitung IKU' (lembar Pengaturan atau Hasil IKU). Tanpa Python di komputer ini, klik "
        "'Hitung IKU (Server)'.",
        "7. Baca hasil di lembar Hasil IKU, Rekap Kelurahan, Rekap SKM dan Grafik; angka ini bahan Bab III "
        "LKjIP. Lembar Validasi menyebut setiap masalah data beserta lembar dan selnya.",
        "",
        "Galat: indikator terkait tidak dihitung sampai datanya diperbaiki. Peringatan: perhitungan tetap "
        "berjalan, tetapi periksa datanya; bila target kosong atau 0, capaian dan predikat memang tidak dapat "
        "dihitung.",
        "Sisipkan baris di dalam tabel (klik kanan > Sisipkan > Baris Tabel di Atas) agar data tetap terbaca.",
        "Lembar hasil dikunci (tanpa kata sandi) agar tidak terketik tanpa sengaja; hasilnya ditulis ulang "
        "setiap kali Hitung IKU dijalankan.",
        "Arti setiap kode masalah dan cara memperbaikinya: lembar Panduan.",
    ]
    if contoh:
        lines.insert(
            0,
            f"{PENANDA}: buku kerja ini berisi data contoh tahun {spec.tahun} agar tombol Hitung IKU "
            "langsung memberi hasil. Ganti seluruh data contoh dengan data sebenarnya.",
        )
    for i, line in enumerate(lines):
        ws.write(4 + i, 0, line, st.contoh if line.startswith(PENANDA) else None)
    ws.set_column(0, 0, 130)


PANDUAN_LANGKAH = [
    "Memasang: tombol Hitung IKU memakai Python di komputer ini. Klik 'Periksa Instalasi' di lembar "
    "Pengaturan; kotak pesannya menyebut apa yang sudah baik dan apa yang perlu diperbaiki. Tanpa Python, "
    "pakai tombol 'Hitung IKU (Server)' setelah petugas TI mengisi alamat server.",
    "Mengisi: ketik data di dalam tabel; baris kosong, urutan baris dan kolom tambahan di kanan tidak "
    "masalah. Angka boleh memakai koma desimal (82,5) dan titik ribuan (1.234). Ketik persentase sebagai "
    "angka biasa (30, bukan 30%). Jawaban SKM yang kosong tidak dihitung sebagai 0.",
    "Menghitung: klik Hitung IKU. Hasil ditulis ke lembar Hasil IKU, Rekap Kelurahan, Rekap SKM, "
    "Validasi dan Grafik; catatan di bawah tabel hasil tidak pernah ditimpa.",
    "Galat menghentikan perhitungan indikator terkait sampai datanya diperbaiki; Peringatan tidak "
    "menghentikan perhitungan, tetapi datanya perlu diperiksa.",
]


def _panduan(ws: Worksheet, st: _Styles) -> None:
    """The guide inside the workbook: the steps, then every problem code of the Validasi sheet."""
    _title(ws, st, "Panduan", "Cara memakai buku kerja dan arti setiap masalah di lembar Validasi", False)
    for i, line in enumerate(PANDUAN_LANGKAH):
        ws.write(4 + i, 0, f"{i + 1}. {line}", st.wrap)
    top = 5 + len(PANDUAN_LANGKAH)
    for j, header in enumerate(("Kode", "Tingkat", "Artinya", "Yang dilakukan")):
        ws.write(top, j, header, st.label)
    for i, (kode, (arti, tindakan)) in enumerate(sorted(PANDUAN_MASALAH.items())):
        ws.write_string(top + 1 + i, 0, kode)
        ws.write_string(top + 1 + i, 1, JENIS_MASALAH[kode].tingkat.value)
        ws.write_string(top + 1 + i, 2, arti, st.wrap)
        ws.write_string(top + 1 + i, 3, tindakan, st.wrap)
    _widths(ws, (0, 0, 28), (1, 1, 12), (2, 2, 60), (3, 3, 60))


class _Builder:
    """Writes one workbook, a method per sheet, sharing the formats and the plan."""

    def __init__(
        self,
        spec: WorkbookSpec,
        wb: Workbook,
        sheets: dict[str, Worksheet],
        sheet_names: list[str],
        years: list[int],
    ) -> None:
        self.spec, self.wb, self.sheets, self.sheet_names, self.years = spec, wb, sheets, sheet_names, years
        self.katalog, self.contoh = spec.katalog, spec.contoh
        self.is_contoh = spec.contoh is not None
        self.kel_names = [k.nama for k in spec.kelurahan]
        self.units = ["Kecamatan", *self.kel_names]
        self.st = _Styles(wb)

    def _pengaturan(self) -> None:
        """The Pengaturan sheet."""
        ws = self.sheets[c.PENGATURAN]
        _title(
            ws,
            self.st,
            "Pengaturan",
            "Tahun laporan, identitas kecamatan, dan pilihan perhitungan",
            self.is_contoh,
        )
        # The DATA CONTOH marker, read back so that reports say DRAFT while sample data remains.
        if not self.is_contoh:
            ws.write_blank(2, 0, None)
        self.wb.define_name(c.PENANDA_CONTOH, f"='{c.PENGATURAN}'!$A$3")
        settings = [
            ("Tahun Laporan", c.TAHUN, self.spec.tahun, self.st.input_year),
            ("Nama Kecamatan", c.NAMA_KECAMATAN, self.katalog.kecamatan, self.st.input_text),
            ("Nama Kota", c.NAMA_KOTA, self.katalog.kota, self.st.input_text),
            ("Versi SKM", c.VERSI_SKM, "2017", self.st.input_text),
            ("Bobot IKM", c.BOBOT_IKM, "1/n", self.st.input_text),
            (
                "Populasi Penerima Layanan (SKM)",
                c.POPULASI_SKM,
                self.contoh.pengaturan.populasi_skm if self.contoh else None,
                self.st.input_int,
            ),
        ]
        for i, (label, name, value, fmt) in enumerate(settings):
            row = 4 + i
            ws.write(row, 0, label, self.st.label)
            ws.write(row, 1, value, fmt)
            self.wb.define_name(name, f"='{c.PENGATURAN}'!$B${row + 1}")
        ws.write(4, 2, "tahun empat angka, mis. 2021", self.st.subtitle)
        ws.write(
            7,
            2,
            "2017 = PermenPAN-RB 14/2017 (9 unsur); 2004 = KepmenPAN 25/2004 (14 unsur)",
            self.st.subtitle,
        )
        ws.write(
            8,
            2,
            "1/n sesuai aturan; bobot lama 0,111 atau 0,11 (9 unsur) dan 0,071 (14 unsur) hanya untuk mengulang "
            "hitungan lama",
            self.st.subtitle,
        )
        ws.write(9, 2, "untuk sampel minimum Krejcie & Morgan; boleh kosong", self.st.subtitle)
        _whole_validation(ws, 4, 1, 4, 1, 2000, 2100, "Tahun laporan harus empat angka, misalnya 2021.")
        _list_validation(ws, 7, 1, 7, 1, list(skm.VERSI_SKM), "Versi SKM: 2017 atau 2004.")
        _list_validation(ws, 8, 1, 8, 1, list(skm.PILIHAN_BOBOT), "Bobot IKM: 1/n (aturan) atau bobot lama.")
        _whole_validation(ws, 9, 1, 9, 1, 0, 100_000_000, "Populasi harus bilangan bulat 0 atau lebih.")
        _buttons(ws, 4, 4, periksa=True)
        ws.write(3, 9, "Penanda tangan hasil (kosong: garis titik untuk ditulis tangan)", self.st.label)
        signature = [
            (
                "Tempat",
                c.TEMPAT_TTD,
                self.katalog.kota.replace("Kota ", "").replace("Kabupaten ", ""),
                self.st.input_text,
            ),
            ("Tanggal", c.TANGGAL_TTD, None, self.st.input_date),
            ("Nama Camat", c.NAMA_CAMAT, None, self.st.input_text),
            ("NIP Camat", c.NIP_CAMAT, None, self.st.input_text),
        ]
        for i, (label, name, value, fmt) in enumerate(signature):
            ws.write(4 + i, 9, label, self.st.label)
            if value:
                ws.write_string(4 + i, 10, value, fmt)
            else:
                ws.write_blank(4 + i, 10, None, fmt)
            self.wb.define_name(name, f"='{c.PENGATURAN}'!$K${5 + i}")

        top = 12
        ws.write(top - 1, 0, "Kelurahan dan lembar datanya", self.st.label)
        _table(
            ws,
            top,
            0,
            c.T_KELURAHAN,
            c.H_KELURAHAN,
            [[k.nama, k.nama, k.kode] for k in self.spec.kelurahan],
            [self.st.input_text] * 3,
        )
        ws.write(top - 1, 4, "Unsur SKM (kode kolom dan nama unsur)", self.st.label)
        unsur = self.katalog.unsur_skm if self.spec.katalog.unsur_skm else []
        _table(ws, top, 4, c.T_UNSUR, c.H_UNSUR, [[u.kode, u.nama] for u in unsur], [self.st.input_text] * 2)
        ws.write(top - 1, 7, "Skala predikat capaian (Permendagri 86/2017)", self.st.label)
        bands = [
            [b.batas_bawah if b.batas_bawah > -1e9 else None, b.predikat] for b in SKALA_PERMENDAGRI_86_2017
        ]
        _table(ws, top, 7, c.T_PREDIKAT, c.H_PREDIKAT, bands, [self.st.input_dec, self.st.input_text])
        ws.write(top - 1, 10, "Unit pelayanan SKM", self.st.label)
        units = ["Kecamatan", *self.kel_names]
        _table(ws, top, 10, c.T_UNIT, c.H_UNIT, [[u] for u in units], [self.st.input_text])
        # A table column: the drop-down follows rows added to tblUnitLayanan.
        self.wb.define_name(c.DAFTAR_UNIT, f"={c.T_UNIT}[{c.H_UNIT[0]}]")
        _widths(
            ws,
            (0, 0, 32),
            (1, 1, 22),
            (2, 2, 14),
            (4, 4, 8),
            (5, 5, 40),
            (7, 7, 12),
            (8, 8, 16),
            (10, 10, 20),
        )

    def _iku(self) -> None:
        """The IKU sheet."""
        ws = self.sheets[c.IKU]
        _title(ws, self.st, "Indikator Kinerja Utama", self.katalog.sumber, False)
        if self.katalog.catatan:
            ws.write(2, 0, self.katalog.catatan, self.st.subtitle)
        headers = [*c.H_IKU_HEAD, *[str(y) for y in self.years], *c.H_IKU_TAIL]
        rows = []
        for d in self.katalog.indikator:
            rows.append(
                [
                    d.kode,
                    d.jenis,
                    d.tujuan,
                    d.sasaran,
                    d.indikator,
                    d.satuan,
                    d.polaritas,
                    d.rumus,
                    *[d.target.get(y) for y in self.years],
                    d.sumber_data,
                    d.penanggung_jawab,
                    d.analisis,
                ]
            )
        fmts = (
            [self.st.input_text] * len(c.H_IKU_HEAD)
            + [self.st.input_dec] * len(self.years)
            + [self.st.input_text] * 2
            + [self.st.wrap_input]
        )
        first, _, last, _ = _table(ws, 4, 0, c.T_IKU, headers, rows, fmts)
        _list_validation(ws, first, 1, last + 50, 1, ["Tujuan", "IKU"], "Jenis: Tujuan atau IKU.")
        _list_validation(
            ws,
            first,
            6,
            last + 50,
            6,
            ["Naik", "Turun"],
            "Polaritas: Naik (makin tinggi makin baik) atau Turun.",
        )
        _list_validation(
            ws, first, 7, last + 50, 7, list(formulas.RUMUS), "Rumus: pilih salah satu rumus yang tersedia."
        )
        ws.freeze_panes(5, 1)
        _widths(
            ws,
            (0, 1, 9),
            (2, 4, 38, self.st.wrap),
            (5, 6, 10),
            (7, 7, 24),
            (8, 7 + len(self.years), 9),
            (8 + len(self.years), 9 + len(self.years), 30, self.st.wrap),
            (10 + len(self.years), 10 + len(self.years), 60),
        )

    def _kecamatan(self) -> None:
        """The Kecamatan sheet."""
        ws = self.sheets[c.KECAMATAN]
        _title(
            ws,
            self.st,
            f"Kantor Kecamatan {self.katalog.kecamatan}",
            "Nilai tata kelola dari aplikasi SIJINGGO",
            self.is_contoh,
        )
        ws.write(4, 0, "Nilai SIJINGGO kantor kecamatan", self.st.label)
        ws.write(4, 1, self.contoh.sijinggo_kecamatan if self.contoh else None, self.st.input_dec)
        self.wb.define_name(c.SIJINGGO_KECAMATAN, f"='{c.KECAMATAN}'!$B$5")
        _widths(ws, (0, 0, 36), (1, 1, 14))

    def _kelurahan(self) -> None:
        """The one sheet per kelurahan sheet."""
        contoh_by_name = {k.nama: k for k in self.contoh.kelurahan} if self.contoh else {}
        for kel in self.spec.kelurahan:
            ws = self.sheets[kel.nama]
            sample = contoh_by_name.get(kel.nama)
            _title(
                ws, self.st, f"Kelurahan {kel.nama}", f"Kode wilayah {kel.kode}".strip(), sample is not None
            )
            ws.write(4, 0, "Nilai SIJINGGO kelurahan", self.st.label)
            ws.write(4, 1, sample.sijinggo if sample else None, self.st.input_dec)
            self.wb.define_name(c.name_sijinggo(kel.nama), f"='{kel.nama}'!$B$5")
            ws.write(
                6,
                0,
                "Kelompok dan lembaga kemasyarakatan (Permendagri 18/2018 dan kelompok masyarakat)",
                self.st.label,
            )
            if sample:
                lkk = [[r.jenis_lembaga, r.jumlah, r.difasilitasi, r.keterangan] for r in sample.lkk]
            else:
                lkk = [[j.nama, None, None, None] for j in self.katalog.jenis_lkk]
            first, _, last, _ = _table(
                ws,
                7,
                0,
                c.table_lkk(kel.nama),
                c.H_LKK,
                lkk,
                [self.st.input_text, self.st.input_int, self.st.input_int, self.st.input_text],
            )
            _whole_validation(
                ws, first, 1, last + 100, 2, 0, 1_000_000, "Jumlah harus bilangan bulat 0 atau lebih."
            )
            ws.write(6, 5, "PMKS (Permensos 8/2012, 26 jenis)", self.st.label)
            if sample:
                pmks = [[r.jenis_pmks, r.tahun_lalu, r.tahun_ini] for r in sample.pmks]
            else:
                pmks = [[j, None, None] for j in self.katalog.jenis_pmks]
            first, _, last, _ = _table(
                ws,
                7,
                5,
                c.table_pmks(kel.nama),
                c.H_PMKS,
                pmks,
                [self.st.input_text, self.st.input_int, self.st.input_int],
            )
            _whole_validation(
                ws, first, 6, last + 100, 7, 0, 1_000_000, "Jumlah PMKS harus bilangan bulat 0 atau lebih."
            )
            ws.freeze_panes(8, 0)
            _widths(ws, (0, 0, 46), (1, 2, 12), (3, 3, 24), (5, 5, 58), (6, 7, 12))

    def _skm(self) -> None:
        """The SKM sheet."""
        ws = self.sheets[c.SKM]
        _title(
            ws,
            self.st,
            "Survei Kepuasan Masyarakat (SKM)",
            "Satu baris per responden; jawaban 1-4 (PermenPAN-RB 14/2017)",
            self.is_contoh,
        )
        kolom = [u.kode for u in self.katalog.unsur_skm]
        headers = [*c.H_SKM_HEAD, *kolom]
        rows = []
        if self.contoh:
            for i, (unit, answers) in enumerate(
                zip(self.contoh.skm.unit_layanan, self.contoh.skm.jawaban, strict=True)
            ):
                date = dt.date(self.spec.tahun, 1 + (i * 12) // len(self.contoh.skm.jawaban), 1 + i % 28)
                rows.append(
                    [i + 1, date, unit, "Administrasi kependudukan", None, None, None, None, *answers]
                )
        fmts = [
            self.st.input_int,
            self.st.input_date,
            *[self.st.input_text] * 6,
            *[self.st.input_int] * len(kolom),
        ]
        first, _, _, _ = _table(ws, 4, 0, c.T_SKM, headers, rows, fmts)
        _list_validation(
            ws,
            first,
            2,
            first + SKM_VALIDATION_ROWS,
            2,
            f"={c.DAFTAR_UNIT}",
            "Unit pelayanan: Kecamatan atau nama kelurahan.",
        )
        end_col = len(c.H_SKM_HEAD) + len(kolom) - 1
        _whole_validation(
            ws,
            first,
            len(c.H_SKM_HEAD),
            first + SKM_VALIDATION_ROWS,
            end_col,
            1,
            4,
            "Jawaban harus 1, 2, 3 atau 4 (kosongkan bila tidak dijawab).",
        )
        ws.freeze_panes(5, 3)
        _widths(ws, (0, 0, 6), (1, 1, 11), (2, 3, 24), (4, 7, 12), (8, end_col, 5))

    def _riwayat(self) -> None:
        """The Riwayat sheet."""
        ws = self.sheets[c.RIWAYAT]
        _title(
            ws,
            self.st,
            "Riwayat realisasi",
            "Realisasi tahun-tahun sebelumnya; baris tahun laporan ditulis oleh Hitung IKU",
            self.is_contoh,
        )
        rows = [[r.kode, r.tahun, r.realisasi, r.sumber] for r in self.contoh.riwayat] if self.contoh else []
        _table(
            ws,
            4,
            0,
            c.T_RIWAYAT,
            c.H_RIWAYAT,
            rows,
            [self.st.input_text, self.st.input_year, self.st.input_dec, self.st.input_text],
        )
        ws.freeze_panes(5, 0)
        _widths(ws, (0, 1, 10), (2, 2, 14), (3, 3, 24))

    def _hasil(self) -> None:
        """The Hasil IKU sheet."""
        ws = self.sheets[c.HASIL]
        _title(
            ws, self.st, "Hasil IKU: target dan realisasi", "Ditulis oleh Hitung IKU; jangan diketik", False
        )
        ws.write(2, 0, "Dihitung pada:", self.st.label)
        ws.write(2, 1, "belum dihitung")
        self.wb.define_name(c.DIHITUNG_PADA, f"='{c.HASIL}'!$B$3")
        rows = [
            [d.kode, d.indikator, d.satuan, d.polaritas, None, None, None, None, None, None]
            for d in self.katalog.indikator
        ]
        fmts = [
            None,
            self.st.text_wrap,
            None,
            None,
            self.st.year,
            self.st.dec,
            self.st.dec,
            self.st.dec,
            None,
            self.st.text_wrap,
        ]
        first, _, last, _ = _table(ws, 4, 0, c.T_HASIL, c.H_HASIL, rows, fmts)
        _predikat_colors(ws, self.st, first, 8, last + 50)
        _buttons(ws, 1, 11)
        ws.insert_button(
            1, 15, {"macro": c.MACRO_LAPORAN, "caption": c.BUTTON_LAPORAN, "width": 130, "height": 32}
        )
        # The signature block beside the table (never below it: the table grows).
        for row, name, fmt in (
            (4, c.TTD_TEMPAT_TANGGAL, None),
            (5, c.TTD_JABATAN, self.st.label),
            (9, c.TTD_NAMA, self.st.label),
            (10, c.TTD_NIP, None),
        ):
            ws.write_blank(row, 11, None, fmt)
            self.wb.define_name(name, f"='{c.HASIL}'!$L${row + 1}")
        ws.freeze_panes(5, 1)
        _widths(
            ws,
            (0, 0, 14),
            (1, 1, 48),
            (2, 4, 10),
            (5, 7, 12),
            (8, 8, 14),
            (9, 9, 50),
            (10, 10, 3),
            (11, 11, 40),
        )

    def _rekap_kelurahan(self) -> None:
        """The Rekap Kelurahan sheet."""
        ws = self.sheets[c.REKAP_KELURAHAN]
        _title(ws, self.st, "Rekap per kelurahan", "Ditulis oleh Hitung IKU", False)
        rows = [[n] + [None] * 11 for n in [*self.kel_names, BARIS_KANTOR, BARIS_JUMLAH]]
        fmts = [
            None,
            self.st.int,
            self.st.int,
            self.st.dec,
            self.st.int,
            self.st.int,
            self.st.dec,
            self.st.dec,
            self.st.int,
            self.st.dec,
            None,
            self.st.wrap,
        ]
        first, _, last, _ = _table(ws, 4, 0, c.T_REKAP_KELURAHAN, c.H_REKAP_KELURAHAN, rows, fmts)
        _mutu_colors(ws, self.st, first, 10, last + 50)
        ws.freeze_panes(5, 1)
        _widths(ws, (0, 0, 22), (1, 10, 13), (11, 11, 40))

    def _rekap_skm(self) -> None:
        """The Rekap SKM sheet."""
        ws = self.sheets[c.REKAP_SKM]
        _title(
            ws,
            self.st,
            "Rekap SKM per unsur dan per unit pelayanan",
            "IKM = Σ (nilai rata-rata per unsur (NRR) x bobot) x 25; PermenPAN-RB 14/2017",
            False,
        )
        rows = [[u.kode, u.nama, None, None, None, None] for u in self.katalog.unsur_skm]
        _table(
            ws,
            4,
            0,
            c.T_REKAP_UNSUR,
            c.H_REKAP_UNSUR,
            rows,
            [None, None, self.st.int, self.st.dec4, self.st.dec4, self.st.dec4],
        )
        rows = [[u] + [None] * 6 for u in ["Gabungan", *self.units]]
        first, _, last, _ = _table(
            ws,
            4,
            7,
            c.T_REKAP_UNIT,
            c.H_REKAP_UNIT,
            rows,
            [None, self.st.int, self.st.int, self.st.dec4, self.st.dec, None, None],
        )
        _mutu_colors(ws, self.st, first, 12, last + 50)
        _widths(ws, (0, 0, 7), (1, 1, 40), (2, 5, 14), (7, 7, 20), (8, 13, 13))

    def _validasi(self) -> None:
        """The Validasi sheet."""
        ws = self.sheets[c.VALIDASI]
        _title(
            ws,
            self.st,
            "Validasi data",
            "Setiap masalah data dengan lembar dan selnya; ditulis oleh Hitung IKU",
            False,
        )
        first, _, last, _ = _table(
            ws, 4, 0, c.T_VALIDASI, c.H_VALIDASI, [], [None, None, None, None, self.st.text_wrap, None]
        )
        ws.conditional_format(
            first,
            0,
            last + 500,
            0,
            {"type": "cell", "criteria": "==", "value": '"Galat"', "format": self.st.fill[RED]},
        )
        ws.conditional_format(
            first,
            0,
            last + 500,
            0,
            {"type": "cell", "criteria": "==", "value": '"Peringatan"', "format": self.st.fill[YELLOW]},
        )
        ws.freeze_panes(5, 0)
        _widths(ws, (0, 0, 12), (1, 1, 18), (2, 2, 8), (3, 3, 28), (4, 4, 90), (5, 5, 14))

    def _grafik(self) -> None:
        """The Grafik sheet."""
        ws = self.sheets[c.GRAFIK]
        _title(
            ws,
            self.st,
            "Grafik target dan realisasi",
            "Per indikator dan tahun; ditulis oleh Hitung IKU",
            False,
        )
        kodes = [d.kode for d in self.katalog.indikator]
        rows = []
        for y in self.years:
            row: list[object] = [y]
            for d in self.katalog.indikator:
                row += [d.target.get(y), None]
            rows.append(row)
        headers = c.grafik_headers(kodes)
        first, _, last, _ = _table(
            ws, 4, 0, c.T_GRAFIK, headers, rows, [self.st.year] + [self.st.dec] * (len(headers) - 1)
        )
        for i, d in enumerate(self.katalog.indikator):
            chart = self.wb.add_chart({"type": "column"})
            for j, label in enumerate(("Target", "Realisasi")):
                col = 1 + 2 * i + j
                chart.add_series(
                    {
                        "name": label,
                        "categories": [c.GRAFIK, first, 0, last, 0],
                        "values": [c.GRAFIK, first, col, last, col],
                        "fill": {"color": "#A6A6A6" if j == 0 else "#2E75B6"},
                    }
                )
            chart.set_title({"name": f"{d.kode}: {d.indikator}", "name_font": {"size": 9}})
            axis: dict[str, object] = {"name": d.satuan}
            if d.rumus != formulas.PMKS:  # a change can be negative; every other value starts at 0
                axis["min"] = 0
            if d.rumus == formulas.IKM:
                axis["max"] = 100  # the IKM scale ends at 100
            chart.set_y_axis(axis)
            chart.set_legend({"position": "bottom"})
            chart.set_size({"width": 520, "height": 300})
            ws.insert_chart(last + 2 + (i // 2) * 16, (i % 2) * 6, chart)
        # A page break before every second row of charts: no chart is cut across pages.
        ws.set_h_pagebreaks([last + 1 + k * 32 for k in range(1, (len(self.katalog.indikator) + 3) // 4 + 1)])
        ws.set_column(0, len(headers) - 1, 12)

    def _conf(self) -> None:
        """The xlwings.conf (hidden) sheet."""
        ws = self.sheets[c.CONF]
        include = [s for s in self.sheet_names if s not in (c.PETUNJUK, c.PANDUAN, c.CONF)]
        conf = [
            # The Python that RunPython starts: pythonw (no console window) from PATH on
            # Windows; on macOS xlwings takes only the bare words python/pythonw as a
            # command (anything else is converted as a path, xlwings.bas ExecuteMac), so
            # "python" or a full path (PANDUAN bagian 1).
            ("Interpreter_Win", "pythonw"),
            ("Interpreter_Mac", "python"),
            ("UDF Modules", c.UDF_MODULE),
            # Empty until the city's IT office fills it: the server button says so.
            ("SERVER_URL", ""),
            ("AUTH", "ganti-dengan-kunci-api"),
            ("INCLUDE", ",".join(include)),
        ]
        for i, (key, value) in enumerate(conf):
            ws.write_string(i, 0, key)
            ws.write_string(i, 1, value)
        _widths(ws, (0, 0, 16), (1, 1, 60))
        ws.hide()


# Print layout: (landscape, last column printed, row of the table header repeated on every page).
PRINT = {
    c.PETUNJUK: (False, 0, None),
    c.PANDUAN: (True, 3, None),
    c.PENGATURAN: (True, 10, None),
    c.IKU: (True, 15, 4),
    c.KECAMATAN: (False, 3, None),
    c.SKM: (True, 16, 4),
    c.RIWAYAT: (False, 3, 4),
    c.HASIL: (True, 11, 4),
    c.REKAP_KELURAHAN: (True, 11, 4),
    c.REKAP_SKM: (True, 13, 4),
    c.VALIDASI: (True, 5, 4),
    c.GRAFIK: (True, 11, None),
}


def _print_setup(
    sheets: dict[str, Worksheet], names: list[str], kelurahan: list[str], kecamatan: str
) -> None:
    """A4, one page wide, header rows on every page, a footer with the kecamatan,
    the sheet and "Halaman X dari Y"."""
    footer = f"&L&8Kecamatan {kecamatan.replace('&', '&&')}&C&8&A&R&8Halaman &P dari &N"
    for name in names:
        if name == c.CONF:
            continue
        landscape, last_col, header_row = PRINT.get(name, (False, 7, 7 if name in kelurahan else None))
        ws = sheets[name]
        ws.set_paper(9)  # A4
        if landscape:
            ws.set_landscape()
        else:
            ws.set_portrait()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
        ws.set_footer(footer)
        ws.print_area(0, 0, 1_048_575, last_col)
        if header_row is not None:
            ws.repeat_rows(header_row)


def build_workbook(spec: WorkbookSpec) -> bytes:
    """The workbook as bytes (``.xlsm``)."""
    katalog = spec.katalog
    years = sorted(set(spec.periode or tahun_target(katalog)) | {spec.tahun})
    kel_names = [k.nama for k in spec.kelurahan]
    sheet_names = c.sheet_order(kel_names)
    if len(set(s.casefold() for s in sheet_names)) != len(sheet_names):
        raise ValueError("nama kelurahan sama dengan nama lembar lain")

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    wb.set_properties(
        {
            "title": f"IKU Kecamatan {katalog.kecamatan}",
            "subject": "Indikator Kinerja Utama",
            "company": f"Kecamatan {katalog.kecamatan}, {katalog.kota}",
            "created": FIXED_TIME,
        }
    )
    wb.set_vba_name("ThisWorkbook")
    sheets: dict[str, Worksheet] = {}
    for name in sheet_names:
        ws = wb.add_worksheet(name)
        ws.set_vba_name(code_name(name))
        sheets[name] = ws
    builder = _Builder(spec, wb, sheets, sheet_names, years)
    _petunjuk(sheets[c.PETUNJUK], builder.st, spec)
    _panduan(sheets[c.PANDUAN], builder.st)
    for step in (
        builder._pengaturan,
        builder._iku,
        builder._kecamatan,
        builder._kelurahan,
        builder._skm,
        builder._riwayat,
        builder._hasil,
        builder._rekap_kelurahan,
        builder._rekap_skm,
        builder._validasi,
        builder._grafik,
        builder._conf,
    ):
        step()
    for name, (sheet, title) in c.JUDUL.items():
        sheets[sheet].write(
            0, 0, f"{title} Kecamatan {katalog.kecamatan} Tahun {spec.tahun}", builder.st.title
        )
        wb.define_name(name, f"='{sheet}'!$A$1")
    _print_setup(sheets, sheet_names, kel_names, katalog.kecamatan)

    for name in c.RESULT_SHEETS:
        sheets[name].protect("", {"autofilter": True, "sort": True, "format_columns": True})
    sheets[c.PETUNJUK].activate()
    wb.add_vba_project(
        io.BytesIO(build_vba_project(vba_modules(sheet_names), project_id(katalog.kecamatan))), is_stream=True
    )
    wb.close()
    return buffer.getvalue()


def _predikat_colors(ws: Worksheet, st: _Styles, first: int, col: int, last: int) -> None:
    for label, color in [
        ("Sangat Tinggi", GREEN),
        ("Tinggi", LIGHT_GREEN),
        ("Sedang", YELLOW),
        ("Rendah", ORANGE),
        ("Sangat Rendah", RED),
    ]:
        ws.conditional_format(
            first,
            col,
            last,
            col,
            {"type": "cell", "criteria": "==", "value": f'"{label}"', "format": st.fill[color]},
        )


def _mutu_colors(ws: Worksheet, st: _Styles, first: int, col: int, last: int) -> None:
    for label, color in [("A", GREEN), ("B", LIGHT_GREEN), ("C", YELLOW), ("D", RED)]:
        ws.conditional_format(
            first,
            col,
            last,
            col,
            {"type": "cell", "criteria": "==", "value": f'"{label}"', "format": st.fill[color]},
        )


def main() -> None:
    target = Path(__file__).resolve().parents[1] / "workbook" / "IKU_Kanigaran.xlsm"
    write_atomic(target, build_workbook(default_spec()))
    print(f"Buku kerja ditulis: {target}")


if __name__ == "__main__":
    main()
