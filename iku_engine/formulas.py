"""Indicator formulas, registered by key.

A workbook's ``Rumus`` column names one of these keys; the text is looked up,
never evaluated. Each formula reads the aggregates that :mod:`.compute`
builds from the inputs and returns the realisasi (or None).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

LKK = "persen_lkk_difasilitasi"
IKM = "ikm"
PMKS = "persen_perubahan_pmks"
SIJINGGO = "rata_rata_sijinggo"


@dataclass
class Agregat:
    """Totals over the whole kecamatan, built once per computation."""

    lkk_jumlah: float = 0.0
    lkk_difasilitasi: float = 0.0
    pmks_tahun_lalu: float = 0.0
    pmks_tahun_ini: float = 0.0
    sijinggo: list[float] = field(default_factory=list)
    ikm: float | None = None


def persen(bagian: float, total: float) -> float | None:
    """``bagian / total x 100``; None when the total is 0."""
    return bagian * 100 / total if total else None


def persen_perubahan(sekarang: float, sebelumnya: float) -> float | None:
    """``(sekarang - sebelumnya) / sebelumnya x 100``; None when sebelumnya is 0."""
    return (sekarang - sebelumnya) * 100 / sebelumnya if sebelumnya else None


def rata_rata(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class Rumus:
    kunci: str
    nama: str
    penjelasan: str
    hitung: Callable[[Agregat], float | None]


RUMUS: dict[str, Rumus] = {
    r.kunci: r
    for r in [
        Rumus(
            LKK,
            "% Kelompok dan Lembaga Kemasyarakatan yang difasilitasi",
            "Σ kelompok dan lembaga yang difasilitasi / Σ kelompok dan lembaga x 100%",
            lambda a: persen(a.lkk_difasilitasi, a.lkk_jumlah),
        ),
        Rumus(
            IKM,
            "Indeks Kepuasan Masyarakat",
            "IKM = Σ (NRR per unsur x 1/jumlah unsur) x 25 (PermenPAN-RB 14/2017)",
            lambda a: a.ikm,
        ),
        Rumus(
            PMKS,
            "% perubahan jumlah PMKS",
            "(Σ PMKS tahun n - Σ PMKS tahun n-1) / Σ PMKS tahun n-1 x 100%",
            lambda a: persen_perubahan(a.pmks_tahun_ini, a.pmks_tahun_lalu),
        ),
        Rumus(
            SIJINGGO,
            "Rata-rata nilai tata kelola (SIJINGGO)",
            "rata-rata nilai SIJINGGO kantor kecamatan dan seluruh kelurahan",
            lambda a: rata_rata(a.sijinggo),
        ),
    ]
}
