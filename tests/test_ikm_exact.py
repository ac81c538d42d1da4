"""The IKM is exact to the last digit, at every band edge.

Answers are whole numbers, so the IKM is a rational number; the engine rounds
it exactly (half up, 2 decimals) and takes the band of that. These tests
compare it with an independent implementation in decimal arithmetic on
10,000 random surveys, and drive surveys constructed to lie within 1e-9 of
every rounding tie of the 2017 and 2004 bands through the engine, the UDFs
and ``iku hitung``.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import openpyxl
import pytest

from addin import contract as c
from iku_engine import skm
from tests.workbooks import copy_shipped, run_cli
from tests.xlwings_windows import call_udf, load_udf_module

# (answers per unsur, sum of answers per unsur) found by a search for exact
# IKM values just below and just above each tie (76,605 rounds to 76,61).
EDGES = {
    ("2017", "76,60", "C"): (
        [239, 237, 236, 234, 234, 232, 232, 232, 233],
        [791, 793, 668, 648, 717, 711, 711, 711, 714],
    ),
    ("2017", "76,61", "B"): (
        [235, 239, 233, 237, 238, 239, 236, 235, 234],
        [616, 712, 784, 781, 729, 732, 723, 720, 717],
    ),
    ("2017", "88,30", "B"): (
        [239, 237, 240, 236, 237, 240, 238, 237, 236],
        [730, 888, 806, 936, 837, 848, 841, 837, 834],
    ),
    ("2017", "88,31", "A"): (
        [239, 237, 236, 234, 234, 232, 232, 232, 233],
        [909, 912, 748, 775, 827, 819, 819, 819, 823],
    ),
    ("2017", "64,99", "D"): (
        [239, 237, 240, 236, 237, 240, 238, 237, 236],
        [676, 590, 495, 712, 616, 624, 619, 616, 614],
    ),
    ("2017", "65,00", "C"): (
        [235, 239, 233, 237, 238, 239, 236, 235, 234],
        [624, 666, 573, 592, 619, 621, 614, 611, 608],
    ),
    ("2004", "81,25", "B"): (
        [239, 237, 236, 234, 234, 232, 232, 232, 233, 239, 237, 240, 236, 237],
        [835, 886, 668, 688, 761, 754, 754, 754, 757, 777, 770, 780, 767, 770],
    ),
    ("2004", "81,26", "A"): (
        [238, 237, 236, 235, 238, 235, 234, 240, 234, 234, 238, 237, 232, 232],
        [843, 711, 758, 761, 774, 764, 761, 780, 761, 761, 774, 770, 754, 754],
    ),
    ("2004", "62,50", "C"): (
        [239, 237, 236, 234, 234, 232, 232, 232, 233, 239, 237, 240, 236, 237],
        [608, 665, 494, 597, 585, 580, 580, 580, 583, 598, 593, 600, 590, 593],
    ),
    ("2004", "62,51", "B"): (
        [240, 238, 237, 236, 237, 240, 234, 239, 238, 232, 235, 239, 236, 232],
        [699, 670, 485, 524, 593, 600, 585, 598, 595, 580, 588, 598, 590, 580],
    ),
    ("2004", "43,75", "D"): (
        [239, 237, 236, 234, 234, 232, 232, 232, 233, 239, 237, 240, 236, 237],
        [525, 528, 316, 289, 410, 406, 406, 406, 408, 418, 415, 420, 413, 415],
    ),
    ("2004", "43,76", "C"): (
        [235, 234, 235, 236, 238, 240, 232, 240, 236, 235, 238, 237, 234, 234],
        [413, 439, 271, 521, 417, 420, 406, 420, 413, 411, 417, 415, 410, 410],
    ),
}


def survey(counts: list[int], sums: list[int]) -> np.ndarray:
    """Respondents x unsur answers (NaN blank) with the given counts and sums."""
    rows = max(counts)
    answers = np.full((rows, len(counts)), np.nan)
    for j, (n, s) in enumerate(zip(counts, sums, strict=True)):
        base, extra = divmod(s, n)
        answers[:n, j] = base
        answers[:extra, j] = base + 1
    return answers


# --- an independent implementation: whole numbers only ---------------------------


def reference_ikm(answers: np.ndarray, bobot: str) -> Decimal | None:
    """Σ (sum_j / n_j) x weight x 25 as one integer ratio over the common
    denominator of the counts, rounded half up to hundredths by integer division."""
    pairs = []
    for column in answers.T:
        given = [int(v) for v in column if not np.isnan(v)]
        if given:
            pairs.append((sum(given), len(given)))
    if not pairs:
        return None
    common = math.lcm(*(n for _, n in pairs))
    if bobot == "1/n":
        w_num, w_den = 1, len(pairs)
    else:
        digits = bobot.split(".")[1]
        w_num, w_den = int(digits), 10 ** len(digits)
    numerator = 25 * w_num * sum(s * (common // n) for s, n in pairs)
    denominator = w_den * common
    hundredths = (200 * numerator + denominator) // (2 * denominator)
    return Decimal(hundredths) / 100


BANDS = {
    "2017": [(Decimal("88.31"), "A"), (Decimal("76.61"), "B"), (Decimal("65.00"), "C")],
    "2004": [(Decimal("81.26"), "A"), (Decimal("62.51"), "B"), (Decimal("43.76"), "C")],
}


def reference_mutu(ikm: Decimal, versi: str) -> str:
    return next((mutu for bound, mutu in BANDS[versi] if ikm >= bound), "D")


@pytest.mark.parametrize(("key"), list(EDGES), ids=lambda k: f"{k[0]}-{k[1]}")
def test_surveys_beside_every_band_edge_get_the_exact_band(key):
    versi, shown, expected_mutu = key
    counts, sums = EDGES[key]
    exact = sum(Fraction(s, n) for s, n in zip(sums, counts, strict=True)) / len(counts) * 25
    answers = survey(counts, sums)
    inti = skm.hitung_ikm(answers)
    assert f"{inti.ikm:.2f}".replace(".", ",") == shown
    assert skm.mutu(inti.ikm, versi).mutu == expected_mutu
    assert reference_ikm(answers, "1/n") == Decimal(shown.replace(",", "."))
    # The tie is within 1e-9: a float computation rounded at 9 decimals can get these wrong.
    value = Decimal(shown.replace(",", "."))
    ties = [Fraction(value + d) for d in (Decimal("-0.005"), Decimal("0.005"))]
    assert min(abs(t - exact) for t in ties) < Fraction(1, 10**9)


@pytest.fixture(scope="module")
def udfs():
    return load_udf_module()


@pytest.mark.parametrize(("key"), list(EDGES), ids=lambda k: f"{k[0]}-{k[1]}")
def test_the_udfs_agree_at_every_band_edge(udfs, key):
    versi, shown, expected_mutu = key
    answers = survey(*EDGES[key])
    rows = tuple(
        tuple(None if np.isnan(v) else float(v) for v in row) for row in answers
    )  # as COM passes a range
    ikm = call_udf(udfs, "IKU_IKM", rows)[0][0]
    assert f"{ikm:.2f}".replace(".", ",") == shown
    if versi == "2017":
        assert call_udf(udfs, "IKU_MUTU", ikm)[0][0] == expected_mutu


def test_ten_thousand_random_surveys_agree_with_decimal_arithmetic():
    rng = np.random.default_rng(20261130)
    weights = {9: ["1/n", "0.111", "0.11"], 14: ["1/n", "0.071"]}
    mismatches = []
    for case in range(10_000):
        k = 9 if case % 3 else 14
        versi = "2017" if k == 9 else "2004"
        respondents = int(rng.integers(1, 60))
        answers = rng.integers(1, 5, size=(respondents, k)).astype(float)
        answers[rng.random(answers.shape) < rng.choice([0.0, 0.05, 0.3])] = np.nan
        bobot = weights[k][case % len(weights[k])]
        inti = skm.hitung_ikm(answers, bobot)
        expected = reference_ikm(answers, bobot)
        got = None if inti.ikm is None else Decimal(repr(inti.ikm))
        if expected is None or got is None:
            if expected != got:
                mismatches.append((case, expected, got))
            continue
        if got != expected or skm.mutu(inti.ikm, versi).mutu != reference_mutu(expected, versi):
            mismatches.append((case, expected, got))
        if case % 10 == 0:  # per unit pelayanan, as the engine groups respondents
            groups = rng.integers(0, 4, size=respondents)
            kode = skm.kodekan(answers)
            table = skm.frekuensi_per_kelompok(kode, groups, 4)
            for g in range(4):
                unit = skm.ikm_dari_frekuensi(table[g], bobot).ikm
                ref = reference_ikm(answers[groups == g], bobot)
                if (None if unit is None else Decimal(repr(unit))) != ref:
                    mismatches.append((case, g, ref, unit))
    assert mismatches == []


@pytest.mark.slow
@pytest.mark.parametrize(("key"), [k for k in EDGES if k[0] == "2017"], ids=lambda k: k[1])
def test_iku_hitung_reports_the_exact_band(tmp_path, key):
    _, shown, expected_mutu = key
    answers = survey(*EDGES[key])
    path = copy_shipped(tmp_path)
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ws = wb[c.SKM]
    table = ws.tables[c.T_SKM]
    first = 6
    template = [ws.cell(first, col).value for col in range(1, 9)]
    for i, row in enumerate(answers):
        for col in range(1, 9):
            ws.cell(first + i, col).value = template[col - 1] if col != 1 else i + 1
        ws.cell(first + i, 3).value = "Kecamatan"
        for j, value in enumerate(row):
            ws.cell(first + i, 9 + j).value = None if np.isnan(value) else int(value)
    last = first + len(answers) - 1
    for r in range(last + 1, ws.max_row + 1):
        for col in range(1, 18):
            ws.cell(r, col).value = None
    table.ref = f"A5:Q{last}"
    table.autoFilter.ref = table.ref
    wb.save(path)
    run = run_cli("hitung", str(path), "--json", "--output", str(tmp_path / "hasil.xlsm"))
    assert run.returncode in (0, 2), run.stderr
    doc = json.loads(run.stdout)
    assert f"{doc['skm']['ikm']:.2f}".replace(".", ",") == shown
    assert doc["skm"]["mutu"] == expected_mutu
