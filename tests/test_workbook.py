"""The shipped workbook against its contract, read by independent readers."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
import zipfile
from pathlib import Path

import openpyxl
import pytest
from oletools.olevba import VBA_Parser

from addin import contract as c
from addin.vba.udf_wrappers import udf_wrapper_module
from addin.workbook_builder import VBA_DIR, build_workbook, code_name, default_spec, vba_modules
from iku_engine.catalog import katalog_kanigaran

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "workbook" / "IKU_Kanigaran.xlsm"


@pytest.fixture(scope="module")
def built() -> bytes:
    return build_workbook(default_spec())


@pytest.fixture(scope="module")
def book():
    return openpyxl.load_workbook(SHIPPED, keep_vba=True)


def test_build_is_reproducible_and_equals_the_committed_file(built):
    assert build_workbook(default_spec()) == built
    assert SHIPPED.read_bytes() == built, (
        "workbook/IKU_Kanigaran.xlsm is stale: run `make workbook` and commit it"
    )


def expected_sheets() -> list[str]:
    kel = [k.nama for k in katalog_kanigaran().kelurahan]
    return [
        c.PETUNJUK,
        c.PANDUAN,
        c.PENGATURAN,
        c.IKU,
        c.KECAMATAN,
        *kel,
        c.SKM,
        c.RIWAYAT,
        *c.RESULT_SHEETS,
        c.CONF,
    ]


def tables_of(book) -> dict[str, tuple[str, list[str]]]:
    found = {}
    for ws in book.worksheets:
        for table in ws.tables.values():
            found[table.name] = (ws.title, [cell.value for cell in ws[table.ref][0]])
    return found


def test_every_sheet_table_and_header_of_the_contract(book):
    assert book.sheetnames == expected_sheets()
    tables = tables_of(book)
    years = [str(y) for y in range(2020, 2025)]
    expect = {
        c.T_KELURAHAN: (c.PENGATURAN, list(c.H_KELURAHAN)),
        c.T_UNSUR: (c.PENGATURAN, list(c.H_UNSUR)),
        c.T_IKU: (c.IKU, [*c.H_IKU_HEAD, *years, *c.H_IKU_TAIL]),
        c.T_SKM: (c.SKM, [*c.H_SKM_HEAD, *[f"U{i}" for i in range(1, 10)]]),
        c.T_RIWAYAT: (c.RIWAYAT, list(c.H_RIWAYAT)),
        c.T_HASIL: (c.HASIL, list(c.H_HASIL)),
        c.T_REKAP_KELURAHAN: (c.REKAP_KELURAHAN, list(c.H_REKAP_KELURAHAN)),
        c.T_REKAP_UNSUR: (c.REKAP_SKM, list(c.H_REKAP_UNSUR)),
        c.T_REKAP_UNIT: (c.REKAP_SKM, list(c.H_REKAP_UNIT)),
        c.T_VALIDASI: (c.VALIDASI, list(c.H_VALIDASI)),
    }
    for kel in katalog_kanigaran().kelurahan:
        expect[c.table_lkk(kel.nama)] = (kel.nama, list(c.H_LKK))
        expect[c.table_pmks(kel.nama)] = (kel.nama, list(c.H_PMKS))
    for name, value in expect.items():
        assert tables[name] == value, name
    assert tables["tblLKK_KebonsariKulon"][0] == "Kebonsari Kulon"


def test_defined_names(book):
    names = {n: d.attr_text for n, d in book.defined_names.items()}
    assert names[c.TAHUN] == "'Pengaturan'!$B$5"
    assert book["Pengaturan"]["B5"].value == 2021
    assert book["Pengaturan"]["B6"].value == "Kanigaran"
    assert book["Pengaturan"]["B7"].value == "Kota Probolinggo"
    for name in (
        c.NAMA_KECAMATAN,
        c.NAMA_KOTA,
        c.VERSI_SKM,
        c.BOBOT_IKM,
        c.POPULASI_SKM,
        c.SIJINGGO_KECAMATAN,
        c.DIHITUNG_PADA,
    ):
        assert name in names
    for kel in katalog_kanigaran().kelurahan:
        assert names[c.name_sijinggo(kel.nama)] == f"'{kel.nama}'!$B$5"
        assert isinstance(book[kel.nama]["B5"].value, int)


def test_iku_sheet_holds_the_catalog(book):
    ws = book[c.IKU]
    table = ws.tables[c.T_IKU]
    rows = list(ws[table.ref])
    header = [cell.value for cell in rows[0]]
    values = {r[0].value: dict(zip(header, [cell.value for cell in r], strict=True)) for r in rows[1:]}
    for d in katalog_kanigaran().indikator:
        row = values[d.kode]
        assert (row["Indikator"], row["Polaritas"], row["Rumus"], row["Satuan"]) == (
            d.indikator,
            d.polaritas,
            d.rumus,
            d.satuan,
        )
        assert [row[str(y)] for y in range(2020, 2025)] == [d.target.get(y) for y in range(2020, 2025)]


def test_sample_data_is_marked_on_every_input_sheet(book):
    for sheet in [
        c.PENGATURAN,
        c.KECAMATAN,
        c.SKM,
        c.RIWAYAT,
        *[k.nama for k in katalog_kanigaran().kelurahan],
    ]:
        assert str(book[sheet]["A3"].value).startswith(c.DATA_CONTOH), sheet
    assert any(str(cell.value or "").startswith(c.DATA_CONTOH) for cell in book[c.PETUNJUK]["A"])


def test_validations_protection_and_hidden_config(book):
    def rules(sheet):
        return [(dv.type, dv.formula1, str(dv.sqref)) for dv in book[sheet].data_validations.dataValidation]

    assert ("list", '"Naik,Turun"', "G6:G60") in rules(c.IKU)
    skm_rules = rules(c.SKM)
    assert any(t == "whole" and f == "1" and ref.startswith("I6:Q") for t, f, ref in skm_rules)
    assert any(t == "list" and f == c.DAFTAR_UNIT for t, f, _ in skm_rules)
    assert any(t == "whole" and ref.startswith("B9:C") for t, _, ref in rules("Kanigaran"))
    for sheet in c.RESULT_SHEETS:
        assert book[sheet].protection.sheet, sheet
        assert not book[sheet].protection.password
    for sheet in (c.PENGATURAN, c.SKM, "Kanigaran"):
        assert not book[sheet].protection.sheet
    conf = book[c.CONF]
    assert conf.sheet_state == "hidden"
    settings = {conf.cell(r, 1).value: conf.cell(r, 2).value for r in range(1, conf.max_row + 1)}
    assert settings["UDF Modules"] == c.UDF_MODULE
    # On the Mac xlwings runs only the bare words python/pythonw as a command (xlwings.bas, ExecuteMac).
    assert (settings["Interpreter_Win"], settings["Interpreter_Mac"]) == ("pythonw", "python")
    assert all(key for key in settings)  # no empty rows in column A (xlwings issue 1584)
    assert not settings["SERVER_URL"]  # filled by the IT office; the server button says so
    assert "SKM" in settings["INCLUDE"].split(",") and c.PETUNJUK not in settings["INCLUDE"].split(",")


def test_conditional_formats_and_chart():
    with zipfile.ZipFile(SHIPPED) as z:
        names = z.namelist()
        charts = [n for n in names if n.startswith("xl/charts/chart")]
        assert len(charts) == len(katalog_kanigaran().indikator)
        chart = z.read(charts[0]).decode()
        assert "Grafik" in chart and "<c:barChart>" in chart
        hasil = sheet_xml(z, c.HASIL)
        assert hasil.count("<cfRule") == 5 and "Sangat Tinggi" in hasil


def sheet_xml(z: zipfile.ZipFile, sheet: str) -> str:
    return z.read(sheet_part(z, sheet)).decode()


def sheet_part(z: zipfile.ZipFile, sheet: str) -> str:
    workbook = z.read("xl/workbook.xml").decode()
    rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(
        rf'<sheet name="{re.escape(sheet)}" sheetId="\d+" (?:state="\w+" )?r:id="(rId\d+)"', workbook
    ).group(1)
    target = re.search(rf'Id="{rid}" Type="[^"]+" Target="([^"]+)"', rels).group(1)
    return "xl/" + target


def test_buttons_are_bound_to_the_macros():
    with zipfile.ZipFile(SHIPPED) as z:
        for sheet in (c.PENGATURAN, c.HASIL):
            part = sheet_part(z, sheet)
            rels = z.read(part.replace("worksheets/", "worksheets/_rels/") + ".rels").decode()
            vml = re.search(r'Target="\.\./drawings/(vmlDrawing\d+\.vml)"', rels).group(1)
            text = z.read(f"xl/drawings/{vml}").decode()
            macros = re.findall(r"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>", text)
            extra = {c.PENGATURAN: [c.MACRO_PERIKSA], c.HASIL: [c.MACRO_LAPORAN]}[sheet]
            wanted = [c.MACRO_HITUNG, c.MACRO_SERVER, *extra]
            assert macros == wanted, sheet
            assert c.BUTTON_HITUNG in text and c.BUTTON_SERVER in text


def extracted_vba() -> dict[str, str]:
    parser = VBA_Parser(str(SHIPPED))
    return {vba_filename.rsplit(".", 1)[0]: code for _, _, vba_filename, code in parser.extract_macros()}


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def test_vba_read_by_oletools_equals_the_sources():
    code = extracted_vba()
    assert code["IKU"] == crlf((VBA_DIR / "IKU.bas").read_text("utf-8"))
    # The UDF wrappers are what xlwings' own "Import Functions" would write.
    assert code["xlwings_udfs"] == crlf(udf_wrapper_module())
    assert '#Const App = "Microsoft Excel"' in code["xlwings_udfs"]
    assert "Function IKU_CAPAIAN(realisasi, target, Optional polaritas)" in code["xlwings_udfs"]
    assert code["ThisWorkbook"].endswith(crlf((VBA_DIR / "ThisWorkbook.cls").read_text("utf-8")))
    xlwings_dir = Path(importlib.metadata.distribution("xlwings").locate_file("xlwings"))
    assert code["xlwings"] == crlf((xlwings_dir / "xlwings.bas").read_text("utf-8"))
    assert code["Remote"] == crlf((xlwings_dir / "addin" / "Remote.bas").read_text("utf-8"))
    dictionary = crlf((xlwings_dir / "addin" / "Dictionary.cls").read_text("utf-8"))
    body = dictionary.split("Attribute VB_Description", 1)[1].split("\r\n", 1)[1]
    assert code["Dictionary"].endswith(body)
    assert set(code) == {m.name for m in vba_modules(expected_sheets())}


def test_macros_use_a_fixed_python_entry_point():
    iku = extracted_vba()["IKU"]
    assert f'RunPython "{c.PYTHON_ENTRY}"' in iku
    assert "ThisWorkbook.Name" not in iku and "Module1" not in extracted_vba()
    assert "Sub HitungIKUServer()" in iku and "RunRemotePython url" in iku


def test_code_names_match_the_document_modules():
    with zipfile.ZipFile(SHIPPED) as z:
        assert 'codeName="ThisWorkbook"' in z.read("xl/workbook.xml").decode()
        for sheet in expected_sheets():
            match = re.search(r'<sheetPr[^>]*codeName="(\w+)"', sheet_xml(z, sheet))
            assert match and match.group(1) == code_name(sheet)
    code = extracted_vba()
    for sheet in expected_sheets():
        assert 'Attribute VB_Base = "0{00020820-0000-0000-C000-000000000046}"' in code[code_name(sheet)]


def test_xlwings_version_in_the_vba_equals_the_pinned_one():
    pinned = next(
        d.split("==")[1]
        for d in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
        if d.startswith("xlwings==")
    )
    assert importlib.metadata.version("xlwings") == pinned
    vba = extracted_vba()["xlwings"]
    assert f"'Version: {pinned}" in vba
    assert f'"xlwings64-{pinned}.dll"' in vba and f'"xlwings32-{pinned}.dll"' in vba


@pytest.mark.slow
def test_libreoffice_converts_every_sheet_and_reads_the_catalog():
    from tests.libreoffice import all_sheet_rows

    sheets = all_sheet_rows(SHIPPED)
    assert set(sheets) == set(expected_sheets())
    assert sheets[c.PENGATURAN][4][:2] == ["Tahun Laporan", "2021"]
    assert sheets[c.SKM][4][:3] == ["No", "Tanggal", "Unit Pelayanan"] and len(sheets[c.SKM]) >= 5 + 240
    rows = sheets[c.IKU]
    header_index = next(i for i, r in enumerate(rows) if r[:2] == ["Kode", "Jenis"])
    header = rows[header_index]
    data = {r[0]: dict(zip(header, r, strict=False)) for r in rows[header_index + 1 :] if r and r[0]}
    assert list(data) == [d.kode for d in katalog_kanigaran().indikator]
    for d in katalog_kanigaran().indikator:
        row = data[d.kode]
        assert (row["Indikator"], row["Satuan"], row["Polaritas"], row["Rumus"]) == (
            d.indikator,
            d.satuan,
            d.polaritas,
            d.rumus,
        )
        for year in range(2020, 2025):
            expected = d.target.get(year)
            assert (float(row[str(year)]) if row[str(year)] else None) == expected


def test_iku_baru_builds_the_same_contract_for_another_kecamatan(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "IKU_Kademangan_2022.xlsm"
    args = [
        "--kecamatan",
        "Kademangan",
        "--kelurahan",
        "Kademangan",
        "--kelurahan",
        "Triwung Kidul",
        "--tahun",
        "2022",
    ]
    run = subprocess.run(
        [sys.executable, "-m", "addin.cli", "baru", *args, "--output", str(out)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    wb = openpyxl.load_workbook(out, keep_vba=True)
    assert wb.sheetnames[5:7] == ["Kademangan", "Triwung Kidul"]
    tables = tables_of(wb)
    assert tables["tblLKK_TriwungKidul"] == ("Triwung Kidul", list(c.H_LKK))
    # Another kecamatan: target columns for a Renstra period of five years from --tahun.
    assert tables[c.T_IKU][1][8:14] == ["2022", "2023", "2024", "2025", "2026", "Sumber Data"]
    assert wb["Pengaturan"]["B5"].value == 2022 and wb["Pengaturan"]["B6"].value == "Kademangan"
    assert wb["Triwung Kidul"]["B9"].value is None  # empty: no sample numbers
    assert wb["Triwung Kidul"]["A9"].value == "Rukun Tetangga (RT)"
    assert "DATA CONTOH" not in str(wb["Pengaturan"]["A3"].value)
    code = {n.rsplit(".", 1)[0]: src for _, _, n, src in VBA_Parser(str(out)).extract_macros()}
    assert code_name("Triwung Kidul") in code and "HitungIKU" in code["IKU"]


def test_an_empty_new_workbook_is_computed_with_galat_not_a_crash(tmp_path):
    import json
    import subprocess
    import sys

    out = tmp_path / "IKU_Pilang.xlsm"
    args = [
        "baru",
        "--kecamatan",
        "Kademangan",
        "--kelurahan",
        "Pilang",
        "Ketapang",
        "--tahun",
        "2023",
        "--output",
        str(out),
    ]
    assert subprocess.run([sys.executable, "-m", "addin.cli", *args], capture_output=True).returncode == 0
    run = subprocess.run(
        [sys.executable, "-m", "addin.cli", "hitung", str(out), "--json"], capture_output=True, text=True
    )
    assert run.returncode == 2 and "Traceback" not in run.stderr
    doc = json.loads(run.stdout)
    assert doc["tahun"] == 2023 and doc["kecamatan"] == "Kademangan"
    assert {"tanpa-responden", "sijinggo-kosong", "lkk-total-nol", "pmks-tahun-lalu-nol"} <= {
        m["kode"] for m in doc["masalah"]
    }
    # No target is carried over from Kanigaran: each kecamatan's come from its own Renstra.
    assert [i["target"] for i in doc["indikator"]] == [None] * 5
    assert "target-kosong" in {m["kode"] for m in doc["masalah"]}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kelurahan", "A/B"], "tidak dapat menjadi nama lembar"),
        (["--kelurahan", "Hasil IKU"], "nama lembar bawaan"),
        (["--kelurahan", "Pilang", "--kelurahan", "pilang"], "ganda"),
        (["--kelurahan", "Pilang", "--katalog", "tidak-ada.json"], "tidak dapat dibaca"),
    ],
)
def test_iku_baru_refuses_bad_input_in_indonesian(tmp_path, args, message):
    import subprocess
    import sys

    out = tmp_path / "x.xlsm"
    run = subprocess.run(
        [sys.executable, "-m", "addin.cli", "baru", "--kecamatan", "X", *args, "--output", str(out)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert run.returncode == 1
    assert message in " ".join(run.stderr.split())
    assert "Traceback" not in run.stderr
    assert not out.exists()


def test_old_header_names_still_read_and_write(tmp_path):
    """Workbooks made before the official terms (Unit Layanan, Jumlah LKK, Mutu) keep working."""
    import json

    from tests.workbooks import copy_shipped, run_cli

    path = copy_shipped(tmp_path)
    wb = openpyxl.load_workbook(path, keep_vba=True)
    renames = {
        (c.SKM, c.T_SKM, "Unit Pelayanan"): "Unit Layanan",
        (c.REKAP_KELURAHAN, c.T_REKAP_KELURAHAN, "Jumlah Kelompok dan Lembaga"): "Jumlah LKK",
        (c.REKAP_SKM, c.T_REKAP_UNIT, "Mutu Pelayanan"): "Mutu",
    }
    for (sheet, table_name, new), old in renames.items():
        ws = wb[sheet]
        table = ws.tables[table_name]
        for cell in ws[table.ref][0]:
            if cell.value == new:
                cell.value = old
        for column in table.tableColumns:
            if column.name == new:
                column.name = old
    wb.save(path)
    run = run_cli("hitung", str(path), "--json")
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert {u["unit"] for u in doc["skm"]["per_unit"]} >= {"Kecamatan", "Kanigaran"}
    after = openpyxl.load_workbook(path)
    ws = after[c.REKAP_KELURAHAN]
    header = [cell.value for cell in ws[ws.tables[c.T_REKAP_KELURAHAN].ref][0]]
    assert "Jumlah LKK" in header and ws.cell(6, header.index("Jumlah LKK") + 1).value is not None
