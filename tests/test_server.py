"""``iku serve`` as a real uvicorn process on 127.0.0.1."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from addin.remote_json import parse_client_json
from tests import vba_client
from tests.serve import KEY, running_server, start_refused
from tests.workbooks import SHIPPED


@pytest.fixture(scope="module")
def server():
    with running_server({"IKU_API_KEY": KEY, "IKU_MAX_BODY_MB": "4"}, subprocess.PIPE) as (base, proc):
        yield base, proc


def post(base: str, body: bytes, key: str | None = KEY) -> tuple[int, bytes]:
    request = urllib.request.Request(
        base + "/hitung-iku", data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    if key is not None:
        request.add_header("Authorization", key)
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture(scope="module")
def payload(tmp_path_factory):
    return parse_client_json(vba_client.request_body(vba_client.open_book(SHIPPED)))


@pytest.fixture(scope="module")
def expected_actions(payload):
    import xlwings as xw

    from addin.excel_book import jalankan

    book = xw.Book(json=copy.deepcopy(payload))
    jalankan(book, live=False)
    try:
        return book.json()["actions"]
    finally:
        book.close()


def values_only(actions):
    return [
        (a["func"], a.get("values"), a["args"] if a["func"] != "setValues" else None)
        for a in actions
        if a["func"] != "alert"
    ]


def stamp_free(actions):
    out = []
    for func, values, args in values_only(actions):
        if values and values[0] and isinstance(values[0][0], str) and values[0][0].count("/") == 2:
            values = "<dihitung pada>"
        out.append((func, values, args))
    return out


@pytest.mark.slow
def test_health(server):
    base, _ = server
    with urllib.request.urlopen(base + "/health") as r:
        assert r.status == 200 and json.loads(r.read())["status"] == "ok"


@pytest.mark.slow
def test_key_is_required(server, payload):
    base, _ = server
    body = json.dumps(payload).encode()
    status, text = post(base, body, key=None)
    assert status == 401 and "Kunci API" in text.decode()
    status, text = post(base, body, key="salah")
    assert status == 403 and "salah" in text.decode()


@pytest.mark.slow
def test_with_the_key_the_actions_are_the_direct_ones(server, payload, expected_actions):
    base, _ = server
    status, text = post(base, json.dumps(payload).encode())
    assert status == 200
    actions = json.loads(text)["actions"]
    assert stamp_free(actions) == stamp_free(expected_actions)
    assert actions[-1]["func"] == "alert" and "selesai dihitung" in actions[-1]["args"][0]


@pytest.mark.slow
def test_malformed_version_mismatch_and_oversized(server, payload):
    base, _ = server
    status, text = post(base, b"{bukan json")
    assert status == 400 and "JSON" in text.decode()
    status, text = post(base, json.dumps({"halo": 1}).encode())
    assert status == 400 and "buku kerja" in text.decode()
    old = dict(payload, version="0.30.0")
    status, text = post(base, json.dumps(old).encode())
    assert status == 400 and "0.30.0" in text.decode() and "Versi xlwings" in text.decode()
    status, text = post(base, b'{"x": "' + b"a" * (5 * 1024 * 1024) + b'"}')
    assert status == 413 and "MB" in text.decode()


@pytest.mark.slow
def test_twenty_concurrent_requests(server, payload, expected_actions):
    base, _ = server
    variants = []
    for i in range(20):
        p = copy.deepcopy(payload)
        p["book"]["name"] = f"IKU_{i}.xlsm"
        variants.append(json.dumps(p).encode())
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda body: post(base, body), variants))
    assert [status for status, _ in answers] == [200] * 20
    for _, text in answers:
        assert stamp_free(json.loads(text)["actions"]) == stamp_free(expected_actions)


def test_server_refuses_to_start_without_a_key():
    run = start_refused({k: v for k, v in os.environ.items() if k != "IKU_API_KEY"})
    assert run.returncode == 1 and "IKU_API_KEY" in run.stdout


@pytest.mark.slow
def test_hostile_json_gets_an_indonesian_400_and_no_traceback(server):
    base, _ = server
    for body in (
        b"[" * 50_000 + b"]" * 50_000,
        b'{"sheets": [' + b"9" * 5000 + b"]}",
        b'{"a": NaN}',
        b"\xff\xfe",
    ):
        status, text = post(base, body)
        assert status == 400, body[:20]
        assert "Permintaan" in text.decode()


@pytest.mark.slow
def test_the_vba_clients_quirks_are_read_back(server):
    """Unquoted long digit text and unnamed error values, as WebHelpers.ConvertToJson writes them."""
    base, _ = server
    book = vba_client.open_book(SHIPPED)
    book.sheet("Pengaturan").grid[13][2] = "35.74.04.1003.01"
    book.sheet("Kanigaran").grid[8][1] = vba_client.VbaError("#SPILL!")
    body = vba_client.request_body(book)
    assert b",35.74.04.1003.01," in body and b",," in body
    status, text = post(base, body)
    assert status == 200
    answer = json.loads(text)
    vba_client.replay(book, answer)
    validasi = vba_client.table_values(book, "Validasi", "tblValidasi")
    assert ("Galat", "Kanigaran", "B9", "nilai-galat-excel") in [tuple(r[:4]) for r in validasi]


def _rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        return int(next(line for line in status if line.startswith("VmRSS:")).split()[1])


def survey_book(respondents: int) -> vba_client.ExcelBook:
    """The shipped workbook with ``respondents`` rows in tblSKM."""
    book = vba_client.open_book(SHIPPED)
    skm = book.sheet("SKM")
    table = next(t for t in skm.tables if t.name == "tblSKM")
    template = skm.grid[5]
    skm.grid = skm.grid[:5]
    for i in range(respondents):
        row = list(template)
        row[0] = float(i + 1)
        for j in range(9):
            row[8 + j] = float(1 + (i + j) % 4)
        skm.grid.append(row)
    table.ref = f"A5:Q{5 + respondents}"
    return book


@pytest.mark.slow
def test_memory_stays_flat_over_200_requests(server):
    """Every request's JSON book is closed: memory after 200 requests of a
    5,000-respondent workbook stays within 20 MB of memory after the tenth."""
    base, proc = server
    body = vba_client.request_body(survey_book(5000))
    rss = []
    for i in range(200):
        status, _ = post(base, body)
        assert status == 200
        if i in (9, 199):
            rss.append(_rss_kib(proc.pid))
    assert rss[1] - rss[0] < 20 * 1024, rss


# Last: it stops the module's server to read its whole log.
def test_server_never_logs_workbook_content(server, payload):
    base, proc = server
    marker = "RAHASIA-ISI-SEL-123"
    p = copy.deepcopy(payload)
    p["sheets"][0]["values"][0][0] = marker
    assert post(base, json.dumps(p).encode())[0] == 200
    proc.terminate()
    log = proc.stdout.read().decode()
    assert "hitung-iku" in log and marker not in log
    assert "Traceback" not in log
