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
            "Bobot lama {bobot} mengandaikan semua {jumlah} unsur dijawab, padahal unsur {unsur} tidak punya "
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
            "Kelurahan {kelurahan} belum punya data kelompok/lembaga kemasyarakatan. "
            "Isi tabel LKK bila memang ada lembaga di kelurahan ini.",
        ),
        JenisMasalah(
            "lkk-total-nol",
            _G,
            "Jumlah seluruh kelompok dan lembaga kemasyarakatan adalah 0, sehingga "
            "persentase tidak dapat dihitung. Isi kolom Jumlah pada tabel LKK "
            "setiap kelurahan.",
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
            "{ditampilkan} pertama yang ditampilkan). Periksa kolom U pada lembar SKM.",
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
            "Unsur {unsur} ({nama}) tidak punya satu pun jawaban; unsur ini tidak ikut "
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
            "Periksa kolom U pada tabel SKM dan tabel unsur.",
        ),
        JenisMasalah(
            "unit-layanan-tidak-dikenal",
            _P,
            "Unit layanan '{nilai}' tidak dikenal. Pilih 'Kecamatan' atau salah satu "
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
            "Capaian indikator {indikator} adalah {capaian}%, jauh dari target. Periksa satuan target dan "
            "realisasi (misalnya target 30% yang tersimpan sebagai 0,3: ketik 30).",
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
            "Tahun laporan '{nilai}' tidak valid. Ketik tahun empat angka, misalnya 2021.",
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
