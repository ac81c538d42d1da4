"""Data problems: a stable code, a level and an Indonesian message.

Validation never raises on bad user data; it returns :class:`Masalah`
records. ``Galat`` blocks only the indicator it concerns, ``Peringatan``
blocks nothing. The location (sheet and cell) is supplied by the adapter
that read the workbook; the engine only passes it through.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel


class Tingkat(StrEnum):
    GALAT = "Galat"
    PERINGATAN = "Peringatan"


class Lokasi(BaseModel):
    """Where a value came from, as the adapter names it (``Kanigaran``, ``C7``)."""

    lembar: str = ""
    sel: str = ""


class Masalah(BaseModel):
    tingkat: Tingkat
    kode: str
    pesan: str
    lembar: str = ""
    sel: str = ""
    # Formula key whose indicators this problem blocks (None: blocks nothing
    # or concerns the whole workbook); ``indikator`` lists their codes.
    rumus: str | None = None
    indikator: list[str] = []


@dataclass(frozen=True)
class JenisMasalah:
    kode: str
    tingkat: Tingkat
    template: str


_G, _P = Tingkat.GALAT, Tingkat.PERINGATAN

JENIS_MASALAH: dict[str, JenisMasalah] = {
    j.kode: j
    for j in [
        JenisMasalah(
            "bukan-angka",
            _G,
            "Nilai '{nilai}' pada kolom {kolom} bukan angka. Ketik angka saja, misalnya 12 atau 82,5.",
        ),
        JenisMasalah(
            "nilai-galat-excel",
            _G,
            "Sel {sel} berisi galat Excel {nilai}, bukan angka ({kolom}). Perbaiki rumus di sel itu "
            "atau ketik angkanya langsung.",
        ),
        JenisMasalah(
            "angka-negatif",
            _G,
            "Nilai {nilai} pada kolom {kolom} negatif. Jumlah tidak boleh kurang dari 0; perbaiki angkanya.",
        ),
        JenisMasalah(
            "bukan-bilangan-bulat",
            _G,
            "Nilai {nilai} pada kolom {kolom} bukan bilangan bulat. Jumlah harus "
            "bilangan bulat (0, 1, 2, ...); perbaiki angkanya.",
        ),
        JenisMasalah(
            "angka-tidak-wajar",
            _G,
            "Nilai {nilai} pada kolom {kolom} tidak masuk akal ({batas}). Periksa angkanya; "
            "mungkin ada angka yang terketik berlebih.",
        ),
        JenisMasalah(
            "pmks-tidak-lengkap",
            _G,
            "Kolom {kolom} untuk '{jenis}' kosong, padahal kolom sebelahnya berisi {nilai}. Isi jumlahnya; "
            "ketik 0 bila memang tidak ada.",
        ),
        JenisMasalah(
            "bobot-tidak-sesuai",
            _G,
            "Bobot IKM {bobot} hanya dipakai untuk survei {baku} unsur, padahal survei ini memakai {jumlah} "
            "unsur; IKM-nya tidak akan sebanding. Pilih bobot 1/n (PermenPAN-RB 14/2017).",
        ),
        JenisMasalah(
            "bobot-lama-unsur-kosong",
            _G,
            "Bobot lama {bobot} mengandaikan semua {jumlah} unsur dijawab, padahal unsur {unsur} tidak memiliki "
            "jawaban; IKM akan terlalu rendah. Lengkapi jawabannya atau pilih bobot 1/n.",
        ),
        JenisMasalah(
            "unsur-tanpa-jawaban-unit",
            _P,
            "Di unit pelayanan {unit}, unsur {unsur} tidak dijawab satu responden pun; {akibat}",
        ),
        JenisMasalah(
            "difasilitasi-melebihi-jumlah",
            _G,
            "Jumlah difasilitasi ({difasilitasi}) untuk '{lembaga}' lebih besar dari "
            "jumlahnya ({jumlah}). Periksa kedua angka pada baris ini.",
        ),
        JenisMasalah(
            "lkk-kosong",
            _P,
            "Kelurahan {kelurahan} belum memiliki data kelompok dan lembaga kemasyarakatan. "
            "Isi tabel kelompok dan lembaga pada lembar kelurahan ini bila memang ada.",
        ),
        JenisMasalah(
            "lkk-total-nol",
            _G,
            "Jumlah seluruh kelompok dan lembaga kemasyarakatan adalah 0, sehingga "
            "persentase tidak dapat dihitung. Isi kolom Jumlah pada tabel kelompok dan lembaga "
            "di lembar setiap kelurahan.",
        ),
        JenisMasalah(
            "jawaban-di-luar-skala",
            _G,
            "Jawaban '{nilai}' pada kolom {kolom} di luar skala 1-4. Ketik 1, 2, 3 "
            "atau 4, atau kosongkan bila responden tidak menjawab.",
        ),
        JenisMasalah(
            "jawaban-lain",
            _G,
            "Masih ada {jumlah} jawaban lain yang salah pada tabel SKM (hanya "
            "{ditampilkan} pertama yang ditampilkan). Periksa kolom jawaban U1-U9 pada lembar SKM.",
        ),
        JenisMasalah(
            "tanpa-responden",
            _G,
            "Tabel SKM belum berisi responden dengan jawaban. Isi jawaban survei "
            "(1-4) satu baris per responden.",
        ),
        JenisMasalah(
            "unsur-tanpa-jawaban",
            _P,
            "Unsur {unsur} ({nama}) tidak memiliki satu pun jawaban; unsur ini tidak ikut "
            "dihitung. Periksa kolom {kolom} pada tabel SKM.",
        ),
        JenisMasalah(
            "unsur-tidak-dikenal",
            _P,
            "Nama unsur '{nama}' untuk kolom {unsur} tidak dikenal dalam "
            "{peraturan}. Periksa tabel unsur SKM pada lembar Pengaturan.",
        ),
        JenisMasalah(
            "unsur-tidak-lengkap",
            _P,
            "Survei memakai {jumlah} unsur, padahal {peraturan} menetapkan {baku} unsur. "
            "Periksa kolom jawaban (U1, U2, ...) pada tabel SKM dan tabel unsur di lembar Pengaturan.",
        ),
        JenisMasalah(
            "unit-layanan-tidak-dikenal",
            _P,
            "Unit pelayanan '{nilai}' tidak dikenal. Pilih 'Kecamatan' atau salah satu "
            "nama kelurahan. Responden ini tetap dihitung dalam IKM gabungan.",
        ),
        JenisMasalah(
            "sampel-kurang",
            _P,
            "Jumlah responden {unit} ({responden}) kurang dari sampel minimum "
            "{minimum} untuk populasi {populasi} (Krejcie & Morgan, PermenPAN-RB "
            "14/2017). Tambah responden atau jelaskan dalam laporan.",
        ),
        JenisMasalah(
            "pmks-tahun-lalu-nol",
            _G,
            "Jumlah PMKS tahun lalu di seluruh kelurahan adalah 0, sehingga "
            "persentase perubahan tidak dapat dihitung. Isi kolom 'Tahun Lalu' "
            "pada tabel PMKS.",
        ),
        JenisMasalah(
            "sijinggo-kosong",
            _G,
            "Nilai SIJINGGO {unit} belum diisi. Ketik nilai dari aplikasi SIJINGGO pada sel ini.",
        ),
        JenisMasalah(
            "target-kosong",
            _P,
            "Target tahun {tahun} untuk indikator {indikator} belum diisi, sehingga "
            "capaian tidak dihitung. Isi kolom {tahun} pada tabel IKU.",
        ),
        JenisMasalah(
            "target-nol",
            _P,
            "Target tahun {tahun} untuk indikator {indikator} adalah 0; capaian "
            "(realisasi dibagi target) tidak dapat dihitung.",
        ),
        JenisMasalah(
            "capaian-tidak-wajar",
            _P,
            "Capaian indikator {indikator} adalah {capaian}%, di luar kisaran wajar (-200% sampai 300%). "
            "Periksa satuan target dan realisasi; hasil tetap dihitung.",
        ),
        JenisMasalah(
            "target-pecahan",
            _G,
            "Target tahun {tahun} untuk indikator {indikator} tersimpan sebagai {nilai}, padahal "
            "satuannya %. Excel menyimpan angka yang diketik dengan tanda % sebagai pecahan "
            "({persen}% menjadi {nilai}). Ketik {persen} tanpa tanda %, dengan format sel Umum atau Angka.",
        ),
        JenisMasalah(
            "rumus-tidak-dikenal",
            _G,
            "Rumus '{kunci}' untuk indikator {indikator} tidak dikenal. Pilih salah satu: {pilihan}.",
        ),
        JenisMasalah(
            "polaritas-tidak-dikenal",
            _G,
            "Polaritas '{nilai}' untuk indikator {indikator} tidak dikenal. Pilih "
            "'Naik' (makin tinggi makin baik) atau 'Turun' (makin rendah makin baik).",
        ),
        JenisMasalah(
            "pengaturan-tidak-valid",
            _G,
            "Pengaturan '{nama}' berisi '{nilai}' yang tidak dikenal. Pilih salah satu: {pilihan}.",
        ),
        JenisMasalah(
            "rumus-tanpa-nilai",
            _G,
            "Sel ini berisi rumus Excel yang belum pernah dihitung (tidak ada nilai tersimpan). "
            "Buka berkas di Excel, simpan, lalu jalankan Hitung IKU lagi; atau ketik angkanya langsung.",
        ),
        JenisMasalah(
            "riwayat-tidak-terbaca",
            _P,
            "Baris riwayat ini berisi tahun atau realisasi yang bukan angka dan dilewati. Perbaiki angkanya.",
        ),
        JenisMasalah(
            "tahun-tidak-valid",
            _G,
            "Tahun laporan {nilai} tidak valid. Ketik tahun empat angka, misalnya 2021.",
        ),
    ]
}


def masalah(kode: str, lokasi: Lokasi | None = None, rumus: str | None = None, **params: object) -> Masalah:
    """Build a problem from its registered type; ``params`` fill the message."""
    jenis = JENIS_MASALAH[kode]
    lokasi = lokasi or Lokasi()
    return Masalah(
        tingkat=jenis.tingkat,
        kode=kode,
        pesan=jenis.template.format(**params),
        lembar=lokasi.lembar,
        sel=lokasi.sel,
        rumus=rumus,
    )


# What each problem means and what to do, for the Panduan sheet of the workbook
# (docs/PANDUAN.md section 5 says the same; a test keeps both complete and equal).
PANDUAN_MASALAH: dict[str, tuple[str, str]] = {
    "bukan-angka": (
        "sel berisi teks yang bukan angka",
        "ketik angka saja (12, 82,5)",
    ),
    "nilai-galat-excel": (
        "sel berisi galat Excel (#DIV/0!, #N/A, …), misalnya dari rumus yang salah",
        "perbaiki rumus di sel itu atau ketik angkanya",
    ),
    "rumus-tanpa-nilai": (
        "sel berisi rumus yang belum pernah dihitung Excel (berkas dibuat program lain)",
        "buka berkas di Excel, simpan, lalu hitung lagi; atau ketik angkanya",
    ),
    "riwayat-tidak-terbaca": (
        "baris di lembar Riwayat berisi tahun atau realisasi yang bukan angka; baris itu dilewati",
        "perbaiki angkanya",
    ),
    "angka-negatif": (
        "jumlah kurang dari 0",
        "perbaiki angkanya",
    ),
    "bukan-bilangan-bulat": (
        "jumlah berkoma (2,5)",
        "jumlah harus bilangan bulat",
    ),
    "angka-tidak-wajar": (
        "angka di luar rentang yang masuk akal (jumlah lebih dari 10 juta, nilai SIJINGGO di luar 0-10.000, target sangat besar atau sangat dekat ke 0)",
        "periksa angkanya; mungkin terketik berlebih",
    ),
    "pmks-tidak-lengkap": (
        "satu kolom PMKS (Tahun Lalu atau Tahun Ini) kosong, kolom sebelahnya berisi angka",
        "isi jumlahnya; ketik 0 bila memang tidak ada",
    ),
    "bobot-tidak-sesuai": (
        "bobot lama tidak cocok dengan jumlah unsur survei",
        "pilih bobot 1/n",
    ),
    "bobot-lama-unsur-kosong": (
        "bobot lama dipakai, padahal ada unsur yang tidak dijawab siapa pun",
        "lengkapi jawaban atau pilih bobot 1/n",
    ),
    "unsur-tanpa-jawaban-unit": (
        "di satu unit pelayanan ada unsur yang tidak dijawab",
        "IKM unit itu dihitung dari unsur yang dijawab; tambah responden bila perlu",
    ),
    "difasilitasi-melebihi-jumlah": (
        "yang difasilitasi lebih banyak dari jumlahnya",
        "periksa kedua angka di baris itu",
    ),
    "lkk-kosong": (
        "kelurahan belum memiliki data kelompok dan lembaga kemasyarakatan",
        "isi tabel kelompok dan lembaga di lembar kelurahan itu",
    ),
    "lkk-total-nol": (
        "jumlah seluruh kelompok dan lembaga kemasyarakatan 0",
        "isi kolom Jumlah",
    ),
    "jawaban-di-luar-skala": (
        "jawaban SKM bukan 1-4",
        "ketik 1, 2, 3 atau 4, atau kosongkan",
    ),
    "jawaban-lain": (
        "masih banyak jawaban salah lainnya",
        "periksa kolom jawaban U1-U9 pada lembar SKM",
    ),
    "tanpa-responden": (
        "tabel SKM kosong",
        "isi jawaban responden",
    ),
    "unsur-tanpa-jawaban": (
        "satu unsur tidak dijawab siapa pun",
        "periksa kolomnya",
    ),
    "unsur-tidak-dikenal": (
        "nama unsur di tabel unsur tidak dikenal",
        "perbaiki nama unsur di Pengaturan",
    ),
    "unsur-tidak-lengkap": (
        "jumlah kolom jawaban (U1, U2, ...) berbeda dari aturan",
        "periksa kolom jawaban dan Versi SKM",
    ),
    "unit-layanan-tidak-dikenal": (
        "unit pelayanan bukan Kecamatan atau nama kelurahan",
        "pilih dari daftar",
    ),
    "sampel-kurang": (
        "responden kurang dari sampel minimum Krejcie & Morgan",
        "tambah responden atau jelaskan di laporan",
    ),
    "pmks-tahun-lalu-nol": (
        "jumlah PMKS tahun lalu 0",
        "isi kolom Tahun Lalu",
    ),
    "sijinggo-kosong": (
        "nilai SIJINGGO belum diisi",
        "isi nilai dari aplikasi SIJINGGO",
    ),
    "target-kosong": (
        "target tahun laporan belum diisi",
        "isi target di lembar IKU",
    ),
    "target-nol": (
        "target 0, capaian tidak dapat dihitung",
        "periksa target",
    ),
    "target-pecahan": (
        "target indikator bersatuan % tersimpan sebagai pecahan (30% tersimpan 0,3), sehingga capaian tidak masuk akal; capaian tidak dihitung",
        "ketik 30 tanpa tanda %, format sel Umum atau Angka",
    ),
    "capaian-tidak-wajar": (
        "capaian di bawah -200% atau di atas 300%",
        "periksa satuan target dan realisasi",
    ),
    "rumus-tidak-dikenal": (
        "isi kolom Rumus tidak ada di daftar",
        "pilih rumus dari daftar",
    ),
    "polaritas-tidak-dikenal": (
        "polaritas bukan Naik/Turun",
        "pilih Naik atau Turun",
    ),
    "pengaturan-tidak-valid": (
        "pilihan di Pengaturan tidak dikenal",
        "pilih dari daftar",
    ),
    "tahun-tidak-valid": (
        "tahun laporan bukan empat angka",
        "ketik misalnya 2021",
    ),
}
