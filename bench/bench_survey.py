"""``iku hitung`` on a workbook with 100,000 SKM respondents against
python-calamine (a Rust reader) reading every sheet of the same file, in one
run, whole processes, paired.

Goal: ``iku hitung`` within 2x the time and 2x the peak memory of the read.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import machine, median, write_section

ROOT = Path(__file__).resolve().parents[1]
RESPONDENTS = 100_000
REPEAT = 5
CALAMINE = """
import sys
from python_calamine import CalamineWorkbook
book = CalamineWorkbook.from_path(sys.argv[1])
cells = sum(len(row) for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python())
"""


def measured(cmd: list[str]) -> tuple[float, float]:
    """Wall time (s) and peak memory (MiB, max RSS) of one whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # 1: warnings only
        raise SystemExit(f"{cmd[:3]} failed")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    iku = str(Path(sys.executable).with_name("iku"))
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp, "survey.xlsm")
        # Built in another process: a child's peak memory counts from its parent's
        # size at fork, so this process stays small.
        build = (
            "import sys; from pathlib import Path; from tests.workbooks import copy_shipped, grow_survey; "
        )
        build += f"grow_survey(copy_shipped(Path(sys.argv[1]), 'survey.xlsm'), {RESPONDENTS})"
        subprocess.run([sys.executable, "-c", build, tmp], check=True, cwd=ROOT)
        size_mb = source.stat().st_size / 1e6
        work = Path(tmp, "work.xlsm")
        runs: dict[str, list[tuple[float, float]]] = {"calamine": [], "iku": []}
        for _ in range(REPEAT):  # interleaved, so both see the same machine state
            runs["calamine"].append(measured([sys.executable, "-c", CALAMINE, str(source)]))
            shutil.copyfile(source, work)
            runs["iku"].append(measured([iku, "hitung", str(work)]))
    t_base, m_base = median([t for t, _ in runs["calamine"]]), median([m for _, m in runs["calamine"]])
    t_iku, m_iku = median([t for t, _ in runs["iku"]]), median([m for _, m in runs["iku"]])
    time_ratio, memory_ratio = t_iku / t_base, m_iku / m_base
    met = time_ratio <= 2 and memory_ratio <= 2
    body = f"""## `iku hitung` on {RESPONDENTS:,} SKM respondents (`bench/bench_survey.py`)

Measured in one run on {machine()}; medians of {REPEAT} whole processes,
interleaved. The workbook is the shipped one with tblSKM grown to
{RESPONDENTS:,} respondents as Excel stores them ({size_mb:.1f} MB). Baseline:
python-calamine (Rust) reading every sheet of the same file into Python
values, which computes and writes nothing.

| what | time | peak memory | time ratio | memory ratio |
|---|---|---|---|---|
| baseline: python-calamine reads every sheet | {t_base:.2f} s | {m_base:.0f} MiB | 1 | 1 |
| `iku hitung` (read, compute, write, atomic replace) | {t_iku:.2f} s | {m_iku:.0f} MiB | {time_ratio:.2f} | {memory_ratio:.2f} |

Goal: within 2x the time and 2x the peak memory of the baseline —
**{"met" if met else "NOT met"}**. The cells Excel writes in its usual form are
tokenised with numpy over the sheet's bytes (`addin/xlsx/cells.py`); any other
cell is parsed by the tolerant per-cell reader, and the sheet's bytes are
dropped once its cells are read.
"""
    write_section("survey", body)
    print(body)


if __name__ == "__main__":
    main()
