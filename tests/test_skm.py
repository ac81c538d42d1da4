"""SKM/IKM per PermenPAN-RB 14/2017: hand cases, boundaries, the sample table."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from iku_engine import skm
from tests.conftest import JAWABAN_TIGA


def _array(rows):
    return np.array([[np.nan if v is None else v for v in r] for r in rows], dtype=float)


def test_ikm_hand_computed_blank_not_counted():
    inti = skm.hitung_ikm(_array(JAWABAN_TIGA))
    expected_nrr = [10 / 3, 10 / 3, 3, 4, 3, 8 / 3, 11 / 3, 8 / 3, 10 / 3]
    assert inti.nrr == pytest.approx(expected_nrr, rel=1e-12)
    assert list(inti.jawaban) == [3, 3, 2, 3, 3, 3, 3, 3, 3]
    assert inti.ikm_nilai == pytest.approx(29 / 9, rel=1e-12)
    assert inti.ikm_mentah == pytest.approx(29 / 9 * 25, rel=1e-12)
    assert inti.ikm == 80.56
    assert skm.mutu(inti.ikm).mutu == "B"


@pytest.mark.parametrize(("bobot", "expected"), [("1/n", 80.56), ("0.111", 80.48), ("0.11", 79.75)])
def test_legacy_weights_are_reproducible(bobot, expected):
    # sum of NRR = 29: 29 x 0.111 x 25 = 80.475 -> 80.48; 29 x 0.11 x 25 = 79.75
    assert skm.hitung_ikm(_array(JAWABAN_TIGA), bobot).ikm == expected


def test_fourteen_element_survey_with_2004_weight_and_bands():
    # KepmenPAN 25/2004 worked example: sum(NRR x 0.071) = 3.059 -> 76.475 -> B (band 62.51-81.25)
    sums = np.full(14, 3.059 / 0.071 / 14 * 10)
    inti = skm.ikm_dari_jumlah(sums, np.full(14, 10.0), "0.071")
    assert inti.ikm_nilai == pytest.approx(3.059)
    assert inti.ikm == 76.48
    assert skm.mutu(inti.ikm, "2004").mutu == "B"
    assert skm.mutu(82.0, "2004").mutu == "A"
    assert skm.mutu(82.0, "2017").mutu == "B"


def test_converted_ikm_between_76_605_and_76_61_rounds_into_band_b():
    # every NRR = 15321/5000 = 3.0642 -> IKM = 3.0642 x 25 = 76.605 exactly on paper
    inti = skm.ikm_dari_jumlah(np.full(9, 15321.0), np.full(9, 5000.0))
    assert inti.ikm_mentah == pytest.approx(76.605)
    assert inti.ikm == 76.61
    assert skm.mutu(inti.ikm).mutu == "B"
    # 3.06418 -> 76.6045 -> 76.60 -> C
    below = skm.ikm_dari_jumlah(np.full(9, 153209.0), np.full(9, 50000.0))
    assert below.ikm == 76.60
    assert skm.mutu(below.ikm).mutu == "C"


@pytest.mark.parametrize(
    ("ikm", "mutu", "kinerja"),
    [
        (100.0, "A", "Sangat Baik"),
        (88.31, "A", "Sangat Baik"),
        (88.30, "B", "Baik"),
        (76.61, "B", "Baik"),
        (76.60, "C", "Kurang Baik"),
        (65.00, "C", "Kurang Baik"),
        (64.99, "D", "Tidak Baik"),
        (25.0, "D", "Tidak Baik"),
    ],
)
def test_mutu_bands_permenpan_14_2017(ikm, mutu, kinerja):
    band = skm.mutu(ikm)
    assert (band.mutu, band.kinerja) == (mutu, kinerja)


# Krejcie & Morgan table as published (population -> minimum sample).
KREJCIE_MORGAN = {
    10: 10, 15: 14, 20: 19, 25: 24, 30: 28, 35: 32, 40: 36, 45: 40, 50: 44, 55: 48,
    60: 52, 65: 56, 70: 59, 75: 63, 80: 66, 85: 70, 90: 73, 95: 76, 100: 80, 110: 86,
    120: 92, 130: 97, 140: 103, 150: 108, 160: 113, 170: 118, 180: 123, 190: 127, 200: 132,
    210: 136, 220: 140, 230: 144, 240: 148, 250: 152, 260: 155, 270: 159, 280: 162, 290: 165,
    300: 169, 320: 175, 340: 181, 360: 186, 380: 191, 400: 196, 420: 201, 440: 205, 460: 210,
    480: 214, 500: 217, 550: 226, 600: 234, 650: 242, 700: 248, 750: 254, 800: 260, 850: 265,
    900: 269, 950: 274, 1000: 278, 1100: 285, 1200: 291, 1300: 297, 1400: 302, 1500: 306,
    1600: 310, 1700: 313, 1800: 317, 1900: 320, 2000: 322, 2200: 327, 2400: 331, 2600: 335,
    2800: 338, 3000: 341, 3500: 346, 4000: 351, 4500: 354, 5000: 357, 6000: 361, 7000: 364,
    8000: 367, 9000: 368, 10000: 370, 15000: 375, 20000: 377, 30000: 379, 40000: 380,
    50000: 381, 75000: 382, 1000000: 384,
}  # fmt: skip


def test_krejcie_morgan_formula_equals_every_row_of_the_table():
    assert {n: skm.sampel_minimum(n) for n in KREJCIE_MORGAN} == KREJCIE_MORGAN


@pytest.mark.parametrize(
    ("nama", "index"),
    [
        ("Persyaratan", 0),
        ("prosedur", 1),
        ("Sistem Mekanisme dan Prosedur", 1),
        ("Biaya / Tarif", 3),
        ("Sarana dan Prasarana", 8),
        ("Penanganan Pengaduan", 7),
        ("Maklumat Pelayanan", None),
    ],
)
def test_elements_are_matched_by_name(nama, index):
    assert skm.cocokkan_unsur(nama) == index


answers_strategy = arrays(
    float,
    st.tuples(st.integers(1, 40), st.just(9)),
    elements=st.sampled_from([1.0, 2.0, 3.0, 4.0, np.nan]),
)


@given(answers_strategy)
def test_ikm_stays_within_25_and_100(answers):
    inti = skm.hitung_ikm(answers)
    if inti.ikm is not None:
        assert 25 <= inti.ikm <= 100
        assert 25 <= inti.ikm_mentah <= 100 + 1e-9


@settings(max_examples=60)
@given(answers_strategy, st.randoms())
def test_pooled_ikm_does_not_depend_on_row_order(answers, rnd):
    order = list(range(len(answers)))
    rnd.shuffle(order)
    assert skm.hitung_ikm(answers).ikm == skm.hitung_ikm(answers[order]).ikm


@given(answers_strategy, st.integers(1, 4))
def test_group_frequencies_add_up_to_the_pooled_ones(answers, n_groups):
    groups = np.arange(len(answers)) % n_groups
    kode = skm.kodekan(answers)
    per_group = skm.frekuensi_per_kelompok(kode, groups, n_groups)
    assert (per_group.sum(axis=0) == skm.frekuensi(kode)).all()
    assert skm.frekuensi(kode).sum(axis=1).tolist() == (~np.isnan(answers)).sum(axis=0).tolist()


def test_compact_and_float_forms_give_the_same_ikm():
    floats = _array(JAWABAN_TIGA)
    assert skm.hitung_ikm(skm.kodekan(floats)).ikm == skm.hitung_ikm(floats).ikm == 80.56
