"""The remote door's book (``xw.Book(json=...)``, xlwings' remote engine) on
payloads built as xlwings' VBA client builds them (``tests/vba_client.py``)."""

from __future__ import annotations

import copy

import xlwings as xw

from addin import contract as c
from addin.excel_book import jalankan
from addin.remote_json import parse_client_json
from tests import vba_client
from tests.workbooks import SHIPPED, copy_shipped


def remote_run(payload):
    book = xw.Book(json=copy.deepcopy(payload))
    try:
        jalankan(book, live=False)
        return book.json()["actions"]
    finally:
        book.close()


def shipped_payload(**kwargs):
    return parse_client_json(vba_client.request_body(vba_client.open_book(SHIPPED), **kwargs))


def with_respondents(payload, n):
    """The payload with the survey table holding ``n`` respondents."""
    payload = copy.deepcopy(payload)
    sheet = next(s for s in payload["sheets"] if s["name"] == c.SKM)
    table = sheet["tables"][0]
    header_row = int(table["range_address"].split("$")[2].rstrip(":"))
    body = sheet["values"][header_row : header_row + 1]
    sheet["values"] = sheet["values"][:header_row] + [list(body[0]) for _ in range(n)]
    for i in range(n):
        sheet["values"][header_row + i][0] = i + 1
        sheet["values"][header_row + i][8 + (i % 9)] = 1 + i % 4
    last = header_row + n
    table["range_address"] = f"$A${header_row}:$Q${last}"
    table["data_body_range_address"] = f"$A${header_row + 1}:$Q${last}"
    return payload


def test_write_actions_do_not_grow_with_the_number_of_respondents():
    payload = shipped_payload()
    small, large = remote_run(with_respondents(payload, 100)), remote_run(with_respondents(payload, 10_000))
    count = lambda actions: sum(1 for a in actions if a["func"] != "alert")  # noqa: E731
    assert count(small) == count(large) <= 2 * 8 + 1 + 5 + 4  # tables, then the time, titles, signature
    written = lambda actions: [a["func"] for a in actions]  # noqa: E731
    assert written(small) == written(large)


def test_a_missing_table_gives_a_message_box_and_writes_nothing():
    payload = shipped_payload()
    for sheet in payload["sheets"]:
        sheet["tables"] = [t for t in sheet["tables"] if t["name"] != c.T_SKM]
    actions = remote_run(payload)
    assert [a["func"] for a in actions] == ["alert"]
    assert "tblSKM" in actions[0]["args"][0] and actions[0]["args"][3] == "critical"
    assert "Hasil tidak ditulis" in actions[0]["args"][0]


def test_a_missing_result_table_is_found_before_anything_is_written():
    payload = shipped_payload()
    for sheet in payload["sheets"]:
        sheet["tables"] = [t for t in sheet["tables"] if t["name"] != c.T_GRAFIK]
    grafik_less = remote_run(payload)
    assert [a["func"] for a in grafik_less][-1] == "alert"
    payload = shipped_payload()
    for sheet in payload["sheets"]:
        sheet["tables"] = [t for t in sheet["tables"] if t["name"] != c.T_VALIDASI]
    actions = remote_run(payload)
    assert [a["func"] for a in actions] == ["alert"] and c.T_VALIDASI in actions[0]["args"][0]


def test_include_setting_sends_the_sheets_the_computation_needs():
    import openpyxl

    conf = openpyxl.load_workbook(SHIPPED)[c.CONF]
    settings = {conf.cell(r, 1).value: conf.cell(r, 2).value for r in range(1, conf.max_row + 1)}
    include = settings["INCLUDE"].split(",")
    actions = remote_run(shipped_payload(include=include))
    assert actions[-1]["args"][3] == "info"
    assert c.PETUNJUK not in include


def test_every_request_book_is_closed(tmp_path):
    payload = parse_client_json(vba_client.request_body(vba_client.open_book(copy_shipped(tmp_path))))
    from addin.server import _compute

    books = xw.engines["remote"].apps.active.books  # xlwings keeps every open JSON book here
    before = len(books)
    for _ in range(3):
        _compute(copy.deepcopy(payload))
    assert len(books) == before
