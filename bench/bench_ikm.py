"""IKM of 1,000,000 respondents x 9 unsur: the engine against a per-row Python loop.

Both run in this process on the same answers. Goal: the engine under
1 s and at least 50 times faster than the loop.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _report import machine, median_time, write_section

from iku_engine import skm

RESPONDEN = 1_000_000
UNSUR = 9


def per_row_loop(rows: list[list[int]]) -> float:
    """The baseline: what a spreadsheet macro or a naive script does."""
    sums = [0] * UNSUR
    counts = [0] * UNSUR
    for row in rows:
        for j, value in enumerate(row):
            if value:
                sums[j] += value
                counts[j] += 1
    answered = [j for j in range(UNSUR) if counts[j]]
    return sum(sums[j] / counts[j] for j in answered) / len(answered) * 25


def main() -> None:
    rng = np.random.default_rng(2021)
    answers = rng.integers(1, 5, size=(RESPONDEN, UNSUR)).astype(np.uint8)
    answers[rng.random(answers.shape) < 0.02] = 0  # 2 % blank answers
    compact = np.ascontiguousarray(answers.T)
    floats = np.where(answers == 0, np.nan, answers.astype(float))
    rows = answers.tolist()

    engine = skm.hitung_ikm(compact)
    baseline_value = per_row_loop(rows)
    assert abs(engine.ikm_mentah - baseline_value) < 1e-9, "engine and loop disagree"

    t_engine = median_time(lambda: skm.hitung_ikm(compact), 9)
    t_engine_float = median_time(lambda: skm.hitung_ikm(floats), 5)
    t_loop = median_time(lambda: per_row_loop(rows), 3)
    speedup = t_loop / t_engine
    ok = t_engine < 1.0 and speedup >= 50

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:.1f} ms"

    def ratio(seconds: float) -> str:
        return f"{seconds / t_loop:.4f} ({t_loop / seconds:.0f}x faster)"

    body = f"""## IKM of {RESPONDEN:,} respondents x {UNSUR} unsur (`make bench`, `bench/bench_ikm.py`)

Measured in one run on {machine()}; medians. Baseline: a per-row Python loop
over the same answers (as lists) in the same process.

| what | time | ratio to baseline |
|---|---|---|
| baseline: per-row Python loop | {t_loop * 1000:.0f} ms | 1 |
| engine, compact answers (uint8, unsur x respondents) | {ms(t_engine)} | {ratio(t_engine)} |
| engine, from floats with NaN blanks (incl. conversion) | {ms(t_engine_float)} | {ratio(t_engine_float)} |

Goal: under 1 s and at least 50x faster than the loop: **{"met" if ok else "NOT met"}**.
Both give IKM {engine.ikm} (unrounded {engine.ikm_mentah:.6f}).
"""
    write_section("ikm", body)
    print(body)
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
