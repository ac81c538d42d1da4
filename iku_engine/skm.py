"""Survei Kepuasan Masyarakat (SKM) and the Indeks Kepuasan Masyarakat (IKM).

PermenPAN-RB No. 14 Tahun 2017 (Pedoman Penyusunan SKM), lampiran:
- NRR per unsur = sum of answers / number of answers given (a blank answer
  is not a zero and is not counted);
- weighted NRR = NRR x bobot, bobot = 1 / number of unsur (exactly 1/9);
- IKM = sum of weighted NRR (scale 1-4); IKM unit pelayanan = IKM x 25;
- mutu from the interval table (converted scale): 25.00-64.99 D Tidak Baik,
  65.00-76.60 C Kurang Baik, 76.61-88.30 B Baik, 88.31-100.00 A Sangat Baik.
Only the final converted IKM is rounded (2 decimals, half up), exactly (the
answers are whole numbers, so the IKM is a rational number), and then
classified with lower bounds, which closes the table's gaps.

KepmenPAN No. KEP/25/M.PAN/2/2004 (14 unsur, bobot 0.071) and its bands
(81.26 A, 62.51 B, 43.76 C, else D) and the legacy weights 0.111 and 0.11
are options, only so that old workbooks can be reproduced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .numbers import round_fraction_half_up

SKALA_KONVERSI = 25  # PermenPAN-RB 14/2017: IKM unit pelayanan = IKM x 25


@dataclass(frozen=True)
class Unsur:
    nama: str
    alias: tuple[str, ...] = ()


@dataclass(frozen=True)
class BandMutu:
    batas_bawah: float
    mutu: str
    kinerja: str


@dataclass(frozen=True)
class VersiSkm:
    kode: str
    peraturan: str
    unsur: tuple[Unsur, ...]
    bobot_legacy: float
    band: tuple[BandMutu, ...]


# PermenPAN-RB 14/2017, the nine unsur in the regulation's order.
UNSUR_2017 = (
    Unsur("Persyaratan", ("persyaratan pelayanan",)),
    Unsur("Sistem, Mekanisme, dan Prosedur", ("prosedur", "prosedur pelayanan", "sistem mekanisme prosedur")),
    Unsur("Waktu Penyelesaian", ("waktu pelayanan", "waktu")),
    Unsur("Biaya/Tarif", ("biaya", "tarif", "biaya tarif")),
    Unsur("Produk Spesifikasi Jenis Pelayanan", ("produk", "produk layanan", "produk pelayanan")),
    Unsur("Kompetensi Pelaksana", ("kompetensi", "kompetensi petugas")),
    Unsur("Perilaku Pelaksana", ("perilaku", "perilaku petugas")),
    Unsur(
        "Penanganan Pengaduan, Saran dan Masukan",
        ("penanganan pengaduan", "pengaduan", "penanganan pengaduan saran masukan"),
    ),
    Unsur("Sarana dan Prasarana", ("sarana prasarana", "sarana")),
)

# KepmenPAN 25/2004, the fourteen unsur.
UNSUR_2004 = tuple(
    Unsur(n)
    for n in (
        "Prosedur pelayanan",
        "Persyaratan pelayanan",
        "Kejelasan petugas pelayanan",
        "Kedisiplinan petugas pelayanan",
        "Tanggung jawab petugas pelayanan",
        "Kemampuan petugas pelayanan",
        "Kecepatan pelayanan",
        "Keadilan mendapatkan pelayanan",
        "Kesopanan dan keramahan petugas",
        "Kewajaran biaya pelayanan",
        "Kepastian biaya pelayanan",
        "Kepastian jadwal pelayanan",
        "Kenyamanan lingkungan",
        "Keamanan pelayanan",
    )
)

VERSI_SKM: dict[str, VersiSkm] = {
    "2017": VersiSkm(
        "2017",
        "PermenPAN-RB 14/2017",
        UNSUR_2017,
        bobot_legacy=0.111,
        band=(
            BandMutu(88.31, "A", "Sangat Baik"),
            BandMutu(76.61, "B", "Baik"),
            BandMutu(65.00, "C", "Kurang Baik"),
            BandMutu(float("-inf"), "D", "Tidak Baik"),
        ),
    ),
    "2004": VersiSkm(
        "2004",
        "KepmenPAN 25/2004",
        UNSUR_2004,
        bobot_legacy=0.071,
        band=(
            BandMutu(81.26, "A", "Sangat Baik"),
            BandMutu(62.51, "B", "Baik"),
            BandMutu(43.76, "C", "Kurang Baik"),
            BandMutu(float("-inf"), "D", "Tidak Baik"),
        ),
    ),
}

# "1/n" is the rule; the numbers are weights found in legacy workbooks
# (0.111 and 0.11 with nine unsur, 0.071 with the fourteen of 2004).
PILIHAN_BOBOT = ("1/n", "0.111", "0.11", "0.071")
# The number of unsur each legacy weight belongs to (1/9 written short, 1/14 in 2004).
UNSUR_BOBOT_LAMA = {"0.111": 9, "0.11": 9, "0.071": 14}


def _normal(name: str) -> str:
    words = re.sub(r"[^0-9a-z]+", " ", name.casefold()).split()
    return " ".join(w for w in words if w != "dan")


def cocokkan_unsur(nama: str, versi: str = "2017") -> int | None:
    """Index of the regulation's unsur that ``nama`` names, or None."""
    wanted = _normal(nama)
    for index, unsur in enumerate(VERSI_SKM[versi].unsur):
        if wanted == _normal(unsur.nama) or wanted in (_normal(a) for a in unsur.alias):
            return index
    return None


def mutu(ikm_konversi: float, versi: str = "2017") -> BandMutu:
    """Mutu pelayanan of a converted IKM already rounded to 2 decimals."""
    for band in VERSI_SKM[versi].band:
        if ikm_konversi >= band.batas_bawah:
            return band
    return VERSI_SKM[versi].band[-1]


def sampel_minimum(populasi: int) -> int:
    """Krejcie & Morgan (1970) minimum sample, as used by PermenPAN-RB 14/2017.

    S = X^2 N P(1-P) / (d^2 (N-1) + X^2 P(1-P)), X^2 = 3.841, P = 0.5, d = 0.05,
    rounded half up: this reproduces every row of the published table.
    """
    if populasi <= 0:
        return 0
    n = Fraction(populasi)
    chi2pq = Fraction(3841, 1000) * Fraction(1, 4)
    s = chi2pq * n / (Fraction(1, 400) * (n - 1) + chi2pq)
    whole = s.numerator // s.denominator
    return whole + (1 if s - whole >= Fraction(1, 2) else 0)


@dataclass(frozen=True)
class IkmInti:
    """The IKM of one set of answers."""

    jawaban: np.ndarray  # answers given per unsur
    nrr: np.ndarray  # NaN where an unsur has no answer
    bobot: np.ndarray
    ikm_nilai: float | None  # scale 1-4
    ikm_mentah: float | None  # x 25, unrounded
    ikm: float | None  # x 25, rounded to 2 decimals (the official figure)


NILAI = np.array([1.0, 2.0, 3.0, 4.0])


def kodekan(answers: np.ndarray) -> np.ndarray:
    """Respondents x unsur floats (NaN = blank, values already checked to be
    1-4) -> the compact form: unsur x respondents uint8, 0 = blank."""
    return np.ascontiguousarray(np.nan_to_num(answers, nan=0.0).astype(np.uint8).T)


def frekuensi(kode: np.ndarray) -> np.ndarray:
    """How many respondents gave 1, 2, 3 and 4 to each unsur (unsur x 4)."""
    return np.array([[np.count_nonzero(row == v) for v in (1, 2, 3, 4)] for row in kode], dtype=np.int64)


def frekuensi_per_kelompok(kode: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Frequencies per group: groups x unsur x 4."""
    keys = groups.astype(np.int64) * 5
    table = np.stack(
        [np.bincount(keys + row, minlength=n_groups * 5).reshape(n_groups, 5) for row in kode], axis=1
    )
    return table[:, :, 1:] if len(kode) else np.zeros((n_groups, 0, 4), dtype=np.int64)


def bobot_unsur(bobot: str, answered: np.ndarray) -> np.ndarray:
    """Weight per unsur; unsur without any answer get weight 0."""
    if bobot == "1/n":
        count = int(answered.sum())
        return np.where(answered, 1.0 / count if count else 0.0, 0.0)
    return np.where(answered, float(bobot), 0.0)


def bobot_pecahan(bobot: str, answered: int) -> Fraction:
    """The weight as an exact number: 1/n of the unsur answered, or a legacy weight as written."""
    return Fraction(1, answered) if bobot == "1/n" else Fraction(bobot)


def ikm_tepat(sums: np.ndarray, counts: np.ndarray, bobot: str = "1/n") -> Fraction | None:
    """The converted IKM (x 25) as an exact rational number, unrounded.

    Answers are whole numbers, so every NRR is a fraction sum/count; the band
    edges (76,605 and the like) are decided on this exact value, never on a
    binary float.
    """
    # Sums of whole answers are whole numbers; Fraction(float) is exact either way.
    pairs = [(Fraction(float(s)), int(c)) for s, c in zip(sums, counts, strict=True) if c > 0]
    if not pairs:
        return None
    total = sum((s / c for s, c in pairs), Fraction(0))
    return total * bobot_pecahan(bobot, len(pairs)) * SKALA_KONVERSI


def ikm_dari_jumlah(sums: np.ndarray, counts: np.ndarray, bobot: str = "1/n") -> IkmInti:
    """IKM from per-unsur sums of answers and answer counts."""
    answered = counts > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        nrr = np.where(answered, sums / np.where(answered, counts, 1), np.nan)
    weights = bobot_unsur(bobot, answered)
    exact = ikm_tepat(sums, counts, bobot)
    if exact is None:
        return IkmInti(counts.astype(int), nrr, weights, None, None, None)
    rounded = round_fraction_half_up(exact, 2)
    return IkmInti(
        counts.astype(int), nrr, weights, float(exact / SKALA_KONVERSI), float(exact), float(rounded)
    )


def ikm_dari_frekuensi(freq: np.ndarray, bobot: str = "1/n") -> IkmInti:
    return ikm_dari_jumlah(freq @ NILAI, freq.sum(axis=1).astype(float), bobot)


def hitung_ikm(answers: np.ndarray, bobot: str = "1/n") -> IkmInti:
    """IKM of a survey: either respondents x unsur floats (NaN = blank) or the
    compact unsur x respondents uint8 form of :func:`kodekan`."""
    kode = answers if answers.dtype == np.uint8 else kodekan(answers)
    return ikm_dari_frekuensi(frekuensi(kode), bobot)
