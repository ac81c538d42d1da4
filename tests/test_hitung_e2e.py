"""``iku hitung`` end to end: real files, real process, independent readers."""

from __future__ import annotations

import json
import re
import zipfile

import openpyxl
import pytest

from addin import contract as c
from iku_engine import hitung
from iku_engine.contoh import data_contoh
from tests.workbooks import copy_shipped, parts, run_cli, set_cell_xml, sheet_part

RESULT_SHEETS = [c.HASIL, c.REKAP_KELURAHAN, c.REKAP_SKM, c.VALIDASI, c.GRAFIK]


def hitung_json(path, *extra):
    run = run_cli("hitung", str(path), "--json", *extra)
    assert "Traceback" not in run.stderr
    return run, (json.loads(run.stdout) if run.stdout.strip() else None)


def by_kode(doc):
    return {i["kode"]: i for i in doc["indikator"]}


@pytest.fixture
def workbook(tmp_path):
    return copy_shipped(tmp_path)


def test_shipped_workbook_computes_the_sample_and_writes_the_results(workbook):
    run, doc = hitung_json(workbook)
    assert run.returncode == 0, run.stderr
    expected = hitung(data_contoh())
    assert doc["tahun"] == 2021 and doc["kecamatan"] == "Kanigaran"
    for h in expected.indikator:
        got = by_kode(doc)[h.kode]
        assert (got["target"], got["realisasi"], got["capaian"], got["predikat"]) == (
            h.target,
            h.realisasi,
            h.capaian,
            h.predikat,
        )
    assert doc["skm"]["ikm"] == expected.skm.ikm and doc["skm"]["responden"] == 240
    assert [m["kode"] for m in doc["masalah"]] == ["target-kosong", "target-kosong"]
    assert (doc["masalah"][0]["lembar"], doc["masalah"][0]["sel"]) == ("IKU", "J6")

    wb = openpyxl.load_workbook(workbook, data_only=True)
    ws = wb[c.HASIL]
    table = ws.tables[c.T_HASIL]
    rows = [[cell.value for cell in r] for r in ws[table.ref]]
    assert rows[0] == list(c.H_HASIL)
    written = {r[0]: r for r in rows[1:]}
    for h in expected.indikator:
        assert written[h.kode][5:9] == [h.target, h.realisasi, h.capaian, h.predikat]
    assert ws["B3"].value == doc["dihitung_pada"]
    validasi = wb[c.VALIDASI]
    assert [r[3].value for r in validasi[validasi.tables[c.T_VALIDASI].ref]][1:] == ["target-kosong"] * 2
    riwayat = wb[c.RIWAYAT]
    history = [[cell.value for cell in r] for r in riwayat[riwayat.tables[c.T_RIWAYAT].ref]][1:]
    assert ["IKU-2", 2021, expected.skm.ikm, "Hitung IKU"] in history
    assert ["IKU-2", 2020, 82.48, "DATA CONTOH"] in history


def test_only_result_parts_change(workbook, tmp_path):
    before = parts(workbook)
    assert run_cli("hitung", str(workbook)).returncode == 0
    after = parts(workbook)
    assert list(before) == list(after)
    changed = {n for n in before if before[n] != after[n]}
    allowed_sheets = {sheet_part(workbook, s) for s in [*RESULT_SHEETS, c.RIWAYAT]}
    assert {n for n in changed if n.startswith("xl/worksheets/")} <= allowed_sheets
    assert {n for n in changed if not n.startswith(("xl/worksheets/", "xl/tables/"))} == set()
    for name in changed & allowed_sheets:
        outside = [
            re.sub(rb"<sheetData>.*</sheetData>", b"", x, flags=re.S) for x in (before[name], after[name])
        ]
        assert (
            outside[0].replace(b'ref="', b"").split(b"<dimension")[0]
            == outside[1].replace(b'ref="', b"").split(b"<dimension")[0]
        )
    assert "xl/vbaProject.bin" not in changed


def test_running_twice_changes_nothing_but_the_time(workbook):
    assert run_cli("hitung", str(workbook)).returncode == 0
    first = parts(workbook)
    assert run_cli("hitung", str(workbook)).returncode == 0
    second = parts(workbook)
    changed = [n for n in first if first[n] != second[n]]
    hasil = sheet_part(workbook, c.HASIL)
    assert set(changed) <= {hasil}
    strip = re.compile(rb'<c r="B3"[^>]*>.*?</c>', re.S)
    assert strip.sub(b"", first[hasil]) == strip.sub(b"", second[hasil])


def test_output_option_leaves_the_input_untouched(workbook, tmp_path):
    original = workbook.read_bytes()
    out = tmp_path / "hasil" / "IKU_hasil.xlsm"
    run = run_cli("hitung", str(workbook), "--output", str(out))
    assert run.returncode == 0, run.stderr
    assert workbook.read_bytes() == original
    assert openpyxl.load_workbook(out)[c.HASIL]["A6"].value == "TJ-1"


def test_galat_gives_exit_2_and_the_cell(workbook):
    set_cell_xml(workbook, c.SKM, "J8", '<c r="J8"><v>5</v></c>')
    set_cell_xml(workbook, "Kebonsari Kulon", "C9", '<c r="C9" t="inlineStr"><is><t>dua</t></is></c>')
    run, doc = hitung_json(workbook)
    assert run.returncode == 2
    problems = {(m["kode"], m["lembar"], m["sel"]) for m in doc["masalah"] if m["tingkat"] == "Galat"}
    assert problems == {("jawaban-di-luar-skala", "SKM", "J8"), ("bukan-angka", "Kebonsari Kulon", "C9")}
    indicators = by_kode(doc)
    assert indicators["IKU-2"]["realisasi"] is None and indicators["IKU-1"]["realisasi"] is None
    assert indicators["IKU-3"]["realisasi"] is not None
    ws = openpyxl.load_workbook(workbook)[c.VALIDASI]
    cells = [(r[0].value, r[1].value, r[2].value) for r in ws[ws.tables[c.T_VALIDASI].ref]]
    assert ("Galat", "SKM", "J8") in cells and ("Galat", "Kebonsari Kulon", "C9") in cells


def test_formula_inputs_use_the_cached_value_or_say_to_save_in_excel(workbook):
    original = json.loads(
        run_cli("hitung", str(workbook), "--json", "--output", str(workbook.with_name("a.xlsm"))).stdout
    )
    set_cell_xml(workbook, "Kanigaran", "B9", '<c r="B9"><f>SUM(20,1)</f><v>21</v></c>')
    run, doc = hitung_json(workbook, "--output", str(workbook.with_name("b.xlsm")))
    assert run.returncode == 0
    set_cell_xml(workbook, "Kanigaran", "B9", '<c r="B9"><f>SUM(20,1)</f></c>')
    run, doc2 = hitung_json(workbook)
    assert run.returncode == 2
    assert [(m["kode"], m["lembar"], m["sel"]) for m in doc2["masalah"] if m["tingkat"] == "Galat"] == [
        ("rumus-tanpa-nilai", "Kanigaran", "B9")
    ]
    assert "simpan" in doc2["masalah"][0]["pesan"] or "simpan" in doc2["masalah"][-1]["pesan"]
    assert by_kode(doc2)["IKU-1"]["realisasi"] is None
    assert by_kode(original)["IKU-2"]["realisasi"] == by_kode(doc)["IKU-2"]["realisasi"]


def test_text_that_looks_like_a_formula_is_written_as_text(workbook):
    set_cell_xml(workbook, c.IKU, "E8", '<c r="E8" t="inlineStr"><is><t>=SUM(A1:A9)</t></is></c>')
    assert run_cli("hitung", str(workbook)).returncode == 0
    xml = parts(workbook)[sheet_part(workbook, c.HASIL)].decode()
    cell = re.search(r'<c r="B8"[^>]*>.*?</c>', xml).group(0)
    assert "<f>" not in cell and 't="inlineStr"' in cell and "=SUM(A1:A9)" in cell
    assert openpyxl.load_workbook(workbook)[c.HASIL]["B8"].value == "=SUM(A1:A9)"


def test_result_tables_grow_and_shrink_with_their_definitions(workbook):
    # Many problems make tblValidasi grow; a clean run makes it shrink again.
    for ref in ("I6", "I7", "I8", "I9"):
        set_cell_xml(workbook, c.SKM, ref, f'<c r="{ref}"><v>9</v></c>')
    assert run_cli("hitung", str(workbook)).returncode == 2
    wb = openpyxl.load_workbook(workbook)
    grown = wb[c.VALIDASI].tables[c.T_VALIDASI].ref
    assert grown == "A5:F11"
    read_only = openpyxl.load_workbook(workbook, read_only=True)[c.VALIDASI]
    assert read_only.calculate_dimension().endswith("11")  # the sheet's dimension covers the new rows
    assert [r[3] for r in read_only.iter_rows(min_row=6, max_row=11, values_only=True)].count(
        "jawaban-di-luar-skala"
    ) == 4
    for ref in ("I6", "I7", "I8", "I9"):
        set_cell_xml(workbook, c.SKM, ref, f'<c r="{ref}"><v>3</v></c>')
    assert run_cli("hitung", str(workbook)).returncode == 0
    wb = openpyxl.load_workbook(workbook)
    ws = wb[c.VALIDASI]
    assert ws.tables[c.T_VALIDASI].ref == "A5:F7"
    assert ws["A8"].value is None and ws["E11"].value is None


def test_excel_lock_file_refuses_in_place_and_suggests_output(workbook, tmp_path):
    lock = workbook.with_name("~$" + workbook.name)
    lock.write_bytes(b"owner")
    original = workbook.read_bytes()
    run = run_cli("hitung", str(workbook))
    assert run.returncode == 1
    assert "--output" in run.stderr and "Excel" in run.stderr
    assert workbook.read_bytes() == original
    assert run_cli("hitung", str(workbook), "--output", str(tmp_path / "out.xlsm")).returncode == 0


def test_two_runs_on_one_file_never_interleave(workbook):
    import subprocess
    import sys

    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "addin.cli", "hitung", str(workbook)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(3)
    ]
    codes = [p.wait(timeout=120) for p in procs]
    assert codes == [0, 0, 0]
    with zipfile.ZipFile(workbook) as z:
        assert z.testzip() is None
    assert openpyxl.load_workbook(workbook)[c.HASIL]["A6"].value == "TJ-1"
    assert not list(workbook.parent.glob(".*iku-lock")) and not list(workbook.parent.glob(".~iku-*"))


@pytest.mark.slow
def test_libreoffice_reads_the_written_results_equal_to_the_json(workbook):
    from tests.libreoffice import sheet_rows

    run, doc = hitung_json(workbook)
    assert run.returncode == 0
    sheets = openpyxl.load_workbook(workbook, read_only=True).sheetnames
    rows = sheet_rows(workbook, sheets.index(c.HASIL) + 1)
    # The table's columns (the signature block stands beside them, from column L).
    header = next(i for i, r in enumerate(rows) if r[: len(c.H_HASIL)] == list(c.H_HASIL))
    by_row = {r[0]: r for r in rows[header + 1 :] if r and r[0]}
    for kode, item in by_kode(doc).items():
        row = by_row[kode]
        for column, key in (("Target", "target"), ("Realisasi", "realisasi"), ("Capaian (%)", "capaian")):
            text = row[c.H_HASIL.index(column)]
            expected = item[key]
            if expected is None:
                assert text == ""
            else:
                assert float(text) == pytest.approx(expected, rel=1e-12)
        assert row[c.H_HASIL.index("Predikat")] == (item["predikat"] or "")


def test_tahun_option_computes_another_year(workbook):
    run, doc = hitung_json(workbook, "--tahun", "2022")
    assert run.returncode == 0
    assert doc["tahun"] == 2022
    assert by_kode(doc)["IKU-1"]["target"] == 35 and by_kode(doc)["IKU-3"]["target"] == 260
    assert all(i["tahun"] == 2022 for i in doc["indikator"])
