"""``iku serve`` on a 5,000-respondent workbook, through HTTP on 127.0.0.1,
against the engine alone on the same data, measured in one run.

The payload is what xlwings' VBA client posts (``tests/vba_client.py``).
Goal: a median request under 50 ms.
"""

from __future__ import annotations

import os
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

from _report import machine, median_time, write_section

from tests import vba_client
from tests.serve import KEY, running_server
from tests.test_server import survey_book

REQUESTS = 60


def main() -> None:
    import xlwings as xw

    from addin.excel_book import JsonBookSource
    from addin.inputs import read_input
    from addin.remote_json import parse_client_json
    from iku_engine import hitung

    body = vba_client.request_body(survey_book(5000))
    inputs = read_input(JsonBookSource(xw.Book(json=parse_client_json(body))))
    engine = median_time(lambda: hitung(inputs), 21)
    times = []
    with running_server({"IKU_API_KEY": KEY}) as (base, _):
        for i in range(REQUESTS + 5):
            request = urllib.request.Request(base + "/hitung-iku", data=body, method="POST")
            request.add_header("Authorization", KEY)
            request.add_header("Content-Type", "application/json")
            start = time.perf_counter()
            with urllib.request.urlopen(request, timeout=60) as answer:
                answer.read()
            if i >= 5:  # the first requests warm the imports
                times.append(time.perf_counter() - start)
    times.sort()
    median = times[len(times) // 2]
    body_text = f"""## `iku serve`, 5,000 respondents (`bench/bench_serve.py`)

Measured in one run on {machine()}; median of {REQUESTS} requests over HTTP on
127.0.0.1 (uvicorn), each the {len(body) // 1024} KB that xlwings' VBA client posts for the
shipped workbook with 5,000 respondents. Baseline: the engine alone
(``hitung``) on the same data, in the same run.

| what | time | ratio to baseline |
|---|---|---|
| baseline: the engine on the same inputs | {engine * 1000:.1f} ms | 1 |
| a whole request (parse, read, compute, actions, HTTP) | {median * 1000:.1f} ms | {median / engine:.1f} |
| the slowest 10 % of requests, from | {times[int(len(times) * 0.9)] * 1000:.1f} ms | |

Goal: a median request under 50 ms — **{"met" if median < 0.05 else "not yet"}**.
"""
    write_section("serve", body_text)
    print(body_text)


if __name__ == "__main__":
    main()
