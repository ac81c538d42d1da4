"""Capaian and predikat: hand cases from the guidance, boundaries, properties."""

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from iku_engine.capaian import hitung_capaian, predikat
from iku_engine.models import PredikatBand


@pytest.mark.parametrize(
    ("realisasi", "target", "polaritas", "expected"),
    [
        (25.288683602771364, 30, "Naik", 84.29561200923788),
        (30, 30, "Naik", 100.0),
        # PermenPAN-RB SMK "kondisi khusus" example: T = 7 months, R = 6.5 -> 107.14 %
        (6.5, 7, "Turun", 107.14285714285714),
        (8, 7, "Turun", 85.71428571428571),
        # PMKS change with a negative target (domain notes section 2):
        (-3, -2, "Turun", 150.0),
        (1, -2, "Turun", -50.0),
        # Higher is better with a negative target: -1 beats -2.
        (-1, -2, "Naik", 150.0),
        (-3, -2, "Naik", 50.0),
    ],
)
def test_capaian_hand_cases(realisasi, target, polaritas, expected):
    assert hitung_capaian(realisasi, target, polaritas) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("polaritas", ["Naik", "Turun"])
def test_capaian_is_undefined_for_zero_target(polaritas):
    assert hitung_capaian(5, 0, polaritas) is None


def test_capaian_rejects_unknown_polarity():
    with pytest.raises(ValueError):
        hitung_capaian(1, 1, "Tetap")


@pytest.mark.parametrize(
    ("capaian", "expected"),
    [
        (120.0, "Sangat Tinggi"),
        (100.0, "Sangat Tinggi"),
        (91.0, "Sangat Tinggi"),
        (90.99, "Tinggi"),
        (76.0, "Tinggi"),
        (75.999, "Tinggi"),  # shown as 76,00: the predikat of the number shown
        (75.994, "Sedang"),  # shown as 75,99
        (90.996, "Sangat Tinggi"),  # shown as 91,00
        (66.0, "Sedang"),
        (65.9, "Rendah"),
        (51.0, "Rendah"),
        (50.99, "Sangat Rendah"),
        (0.0, "Sangat Rendah"),
        (-50.0, "Sangat Rendah"),
    ],
)
def test_predikat_permendagri_86_2017_lower_bounds(capaian, expected):
    assert predikat(capaian) == expected


@pytest.mark.parametrize(("realisasi", "target"), [(45.5, 50), (27.3, 30), (0.91, 1), (9.1, 10)])
def test_predikat_is_not_moved_by_float_noise_at_91(realisasi, target):
    assert predikat(hitung_capaian(realisasi, target, "Naik")) == "Sangat Tinggi"


def test_predikat_with_custom_scale():
    scale = [
        PredikatBand(batas_bawah=80, predikat="Hijau"),
        PredikatBand(batas_bawah=-math.inf, predikat="Merah"),
    ]
    assert predikat(80, scale) == "Hijau"
    assert predikat(79.9, scale) == "Merah"


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
targets = finite.filter(lambda t: abs(t) > 1e-3)


@given(target=targets, polaritas=st.sampled_from(["Naik", "Turun"]))
def test_capaian_is_100_when_realisasi_equals_target(target, polaritas):
    assert hitung_capaian(target, target, polaritas) == pytest.approx(100.0, rel=1e-12)


@given(r1=finite, r2=finite, target=targets, polaritas=st.sampled_from(["Naik", "Turun"]))
def test_capaian_moves_the_right_way(r1, r2, target, polaritas):
    assume(r1 < r2)
    c1 = hitung_capaian(r1, target, polaritas)
    c2 = hitung_capaian(r2, target, polaritas)
    if polaritas == "Naik":
        assert c1 <= c2  # a higher realisasi is better
    else:
        assert c1 >= c2  # a lower realisasi is better


@given(c1=st.floats(-1e4, 1e4), c2=st.floats(-1e4, 1e4))
def test_predikat_is_monotone(c1, c2):
    order = ["Sangat Rendah", "Rendah", "Sedang", "Tinggi", "Sangat Tinggi"]
    lo, hi = sorted([c1, c2])
    assert order.index(predikat(lo)) <= order.index(predikat(hi))
