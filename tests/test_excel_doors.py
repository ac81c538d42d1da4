"""The Excel doors (live and remote book) on the same engine as ``iku hitung``."""

from __future__ import annotations

import copy
import json

import pytest
import xlwings as xw

from addin import contract as c
from addin.excel_book import jalankan
from iku_engine import hitung
from iku_engine.contoh import data_contoh
from tests.remote_payload import apply_actions, payload_from_file
from tests.workbooks import copy_shipped, run_cli, set_cell_xml


def remote_run(payload):
    book = xw.Book(json=copy.deepcopy(payload))
    jalankan(book, live=False)
    return book.json()["actions"]


def written_table(payload, actions, sheet, table_name):
    grids = apply_actions(payload, actions)
    spec = next(
        t for s in payload["sheets"] if s["name"] == sheet for t in s["tables"] if t["name"] == table_name
    )
    start_col = ord(spec["range_address"].split("$")[1]) - ord("A")
    end_col = ord(spec["range_address"].split("$")[3]) - ord("A")
    header_row = int(spec["range_address"].split("$")[2].rstrip(":")) - 1
    resize = [
        a
        for a in actions
        if a["func"] == "resizeTable"
        and a["sheet_position"] == [s["name"] for s in payload["sheets"]].index(sheet)
    ]
    last = (
        int(resize[-1]["args"][1].rsplit("$", 1)[1])
        if resize
        else int(spec["range_address"].rsplit("$", 1)[1])
    )
    rows = [r[start_col : end_col + 1] for r in grids[sheet][header_row:last]]
    return rows


def blank(v):
    return None if v == "" else v


VARIANTS = ["contoh", "galat", "tahun-2022", "kelurahan-diubah"]


def make_variant(tmp_path, name):
    path = copy_shipped(tmp_path, f"IKU_{name}.xlsm")
    if name == "galat":
        set_cell_xml(path, c.SKM, "J8", '<c r="J8"><v>5</v></c>')
        set_cell_xml(path, "Kebonsari Kulon", "C9", '<c r="C9" t="inlineStr"><is><t>dua</t></is></c>')
    elif name == "tahun-2022":
        set_cell_xml(path, c.PENGATURAN, "B5", '<c r="B5"><v>2022</v></c>')
    elif name == "kelurahan-diubah":
        set_cell_xml(path, "Kanigaran", "B9", '<c r="B9" t="inlineStr"><is><t> 1.234 </t></is></c>')
        set_cell_xml(path, "Kanigaran", "C9", '<c r="C9" t="inlineStr"><is><t>100</t></is></c>')
        set_cell_xml(path, "Sukoharjo", "B5", '<c r="B5" t="inlineStr"><is><t>241,5</t></is></c>')
    return path


@pytest.mark.parametrize("variant", VARIANTS)
def test_remote_door_writes_what_iku_hitung_computes(tmp_path, variant):
    path = make_variant(tmp_path, variant)
    payload = payload_from_file(path)
    run = run_cli("hitung", str(path), "--json", "--output", str(tmp_path / "hasil.xlsm"))
    assert run.returncode in (0, 2), run.stderr
    doc = json.loads(run.stdout)
    actions = remote_run(payload)
    rows = written_table(payload, actions, c.HASIL, c.T_HASIL)
    assert rows[0][:9] == list(c.H_HASIL)[:9]
    remote = {r[0]: [blank(v) for v in r[4:9]] for r in rows[1:]}
    cli = {
        i["kode"]: [i["tahun"], i["target"], i["realisasi"], i["capaian"], i["predikat"]]
        for i in doc["indikator"]
    }
    assert remote == cli
    validasi = written_table(payload, actions, c.VALIDASI, c.T_VALIDASI)
    assert [(r[0], r[1], r[2], r[3]) for r in validasi[1:] if r[3]] == [
        (m["tingkat"], m["lembar"], m["sel"], m["kode"]) for m in doc["masalah"]
    ]
    rekap = written_table(payload, actions, c.REKAP_KELURAHAN, c.T_REKAP_KELURAHAN)
    assert [blank(v) for v in rekap[-1][:11]] == [
        doc["kelurahan"][-1][k]
        for k in (
            "kelurahan",
            "lkk_jumlah",
            "lkk_difasilitasi",
            "lkk_persen",
            "pmks_tahun_lalu",
            "pmks_tahun_ini",
            "pmks_perubahan",
            "sijinggo",
            "skm_responden",
            "ikm",
            "mutu",
        )
    ]
    alert = actions[-1]
    assert alert["func"] == "alert" and alert["args"][0].startswith(f"IKU {doc['tahun']} selesai dihitung")
    if variant == "contoh":
        engine = {
            h.kode: [h.tahun, h.target, h.realisasi, h.capaian, h.predikat]
            for h in hitung(data_contoh()).indikator
        }
        assert remote == engine


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


def test_write_actions_do_not_grow_with_the_number_of_respondents(tmp_path):
    payload = payload_from_file(copy_shipped(tmp_path))
    small, large = remote_run(with_respondents(payload, 100)), remote_run(with_respondents(payload, 10_000))
    count = lambda actions: sum(1 for a in actions if a["func"] != "alert")  # noqa: E731
    assert count(small) == count(large) <= 2 * 7 + 1
    written = lambda actions: [a["func"] for a in actions]  # noqa: E731
    assert written(small) == written(large)


def test_a_missing_table_gives_a_message_box_and_writes_nothing(tmp_path):
    payload = payload_from_file(copy_shipped(tmp_path))
    for sheet in payload["sheets"]:
        sheet["tables"] = [t for t in sheet["tables"] if t["name"] != c.T_SKM]
    actions = remote_run(payload)
    assert [a["func"] for a in actions] == ["alert"]
    assert "tblSKM" in actions[0]["args"][0] and actions[0]["args"][3] == "critical"


def test_include_setting_sends_the_sheets_the_computation_needs():
    import openpyxl

    from addin.workbook_builder import build_workbook, default_spec  # noqa: F401
    from tests.workbooks import SHIPPED

    conf = openpyxl.load_workbook(SHIPPED)[c.CONF]
    settings = {conf.cell(r, 1).value: conf.cell(r, 2).value for r in range(1, conf.max_row + 1)}
    include = settings["INCLUDE"].split(",")
    payload = payload_from_file(SHIPPED, include=include)
    actions = remote_run(payload)
    assert actions[-1]["args"][3] == "info"
    assert c.PETUNJUK not in include
