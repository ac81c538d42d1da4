"""Capaian (achievement against target) and predikat.

Capaian, in percent:
- R/T x 100 when higher is better and T > 0, or lower is better and T < 0;
- (2 - R/T) x 100 when lower is better and T > 0, or higher is better and
  T < 0 (the "kondisi khusus" formula of the PermenPAN-RB SMK guidance,
  extended so that it still rewards improvement when the target is negative,
  as for a PMKS year-on-year change of -2 %);
- undefined when T = 0.
It equals 100 exactly at R = T and rises as R improves, for either sign of T.
"""

from __future__ import annotations

import math

from .models import PredikatBand
from .numbers import round_half_up

NAIK = "Naik"
TURUN = "Turun"
POLARITAS = (NAIK, TURUN)

# Predikat scale attributed to Permendagri 86/2017 (evaluasi RKPD/Renja,
# skala interpretasi capaian kinerja): 91-100 Sangat Tinggi, 76-90 Tinggi,
# 66-75 Sedang, 51-65 Rendah, <= 50 Sangat Rendah. The integer gaps are
# closed with lower bounds; above 100 stays Sangat Tinggi.
SKALA_PERMENDAGRI_86_2017: tuple[PredikatBand, ...] = (
    PredikatBand(batas_bawah=91, predikat="Sangat Tinggi"),
    PredikatBand(batas_bawah=76, predikat="Tinggi"),
    PredikatBand(batas_bawah=66, predikat="Sedang"),
    PredikatBand(batas_bawah=51, predikat="Rendah"),
    PredikatBand(batas_bawah=-math.inf, predikat="Sangat Rendah"),
)


def hitung_capaian(realisasi: float, target: float, polaritas: str) -> float | None:
    """Capaian in percent, or ``None`` when the target is 0."""
    if polaritas not in POLARITAS:
        raise ValueError(f"polaritas tidak dikenal: {polaritas!r}")
    if target == 0:
        return None
    direct = (polaritas == NAIK) == (target > 0)
    if direct:
        return realisasi * 100 / target
    return (2 * target - realisasi) * 100 / target


# Capaian is shown with two decimals; the predikat is that of the number shown.
DESIMAL_CAPAIAN = 2


def predikat(capaian: float, skala: tuple[PredikatBand, ...] | list[PredikatBand] | None = None) -> str:
    """Classify a capaian with lower bounds (highest band first), as shown:
    rounded half up to two decimals, so 90,996 (shown 91,00) is Sangat Tinggi."""
    bands = sorted(skala or SKALA_PERMENDAGRI_86_2017, key=lambda b: b.batas_bawah, reverse=True)
    value = round_half_up(capaian, DESIMAL_CAPAIAN)
    for band in bands:
        if value >= band.batas_bawah:
            return band.predikat
    return bands[-1].predikat
