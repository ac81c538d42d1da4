"""A survey of tens of thousands of respondents, as Excel stores it, through
``iku hitung``: the IKM equals one computed by hand from the same answers."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from iku_engine.numbers import round_fraction_half_up

from .workbooks import copy_shipped, grow_survey, run_cli

RESPONDENTS = 30_000


def ikm_by_hand(answers: list[list[int | None]]) -> tuple[Fraction, Fraction]:
    """PermenPAN-RB 14/2017: NRR per unsur = sum / answers given; IKM = mean NRR x 25."""
    nrr = []
    for j in range(9):
        given = [row[j] for row in answers if row[j] is not None]
        nrr.append(Fraction(sum(given), len(given)))
    exact = sum(nrr, Fraction(0)) / 9 * 25
    return exact, round_fraction_half_up(exact, 2)


@pytest.mark.slow
def test_a_large_survey_gives_the_ikm_computed_by_hand(tmp_path):
    path = copy_shipped(tmp_path)
    units, answers = grow_survey(path, RESPONDENTS)
    done = run_cli("hitung", str(path), "--json")
    assert done.returncode == 0, done.stderr
    skm = json.loads(done.stdout)["skm"]
    exact, rounded = ikm_by_hand(answers)
    assert skm["responden"] == RESPONDENTS
    assert skm["ikm"] == float(rounded)
    assert skm["ikm_mentah"] == pytest.approx(float(exact), abs=1e-9)
    # Per unit: the kelurahan Sukoharjo's respondents alone.
    own = [a for u, a in zip(units, answers, strict=True) if u == "Sukoharjo"]
    unit = next(u for u in skm["per_unit"] if u["unit"] == "Sukoharjo")
    assert unit["responden"] == len(own) == RESPONDENTS // 6
    assert unit["ikm"] == float(ikm_by_hand(own)[1])
    # Every 37th respondent left U9 blank: the blank is not counted as an answer.
    u9 = next(u for u in skm["unsur"] if u["kode"] == "U9")
    assert u9["jawaban"] == RESPONDENTS - len(range(0, RESPONDENTS, 37))
