"""``iku hitung`` on files as people and Excel really make them, and on bad files."""

from __future__ import annotations

import json
import re

import openpyxl
import pytest

from addin import contract as c
from addin.vba.cfb import write_cfb
from tests.workbooks import SHIPPED, copy_shipped, parts, rewrite_parts, run_cli, sheet_part


def run_json(path, *extra):
    run = run_cli("hitung", str(path), "--json", *extra)
    assert "Traceback" not in run.stderr, run.stderr
    return run, json.loads(run.stdout) if run.stdout.strip() else None


def indicator_values(doc):
    return {i["kode"]: (i["target"], i["realisasi"], i["capaian"], i["predikat"]) for i in doc["indikator"]}


@pytest.fixture(scope="module")
def clean_doc(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clean")
    run, doc = run_json(copy_shipped(folder))
    assert run.returncode == 0
    return doc


def make_messy(path):
    """The same data as the sample, typed the way people type it."""
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ws = wb["Kebonsari Kulon"]
    table = ws.tables["tblLKK_KebonsariKulon"]
    first, last = 9, 17
    rows = [[ws.cell(r, col).value for col in range(1, 5)] for r in range(first, last + 1)]
    rows.reverse()  # sorted differently
    rows.insert(3, [None, None, None, None])  # a blank row inside the table
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            ws.cell(first + i, j + 1).value = value
    ws.cell(first, 2).value = f" {rows[0][1]} "  # number as text with spaces
    ws.cell(first + 1, 3).value = f"{rows[1][2]},0"  # decimal comma
    ws.cell(8, 3).value = "  DIFASILITASI "  # header case and spacing
    table.tableColumns[2].name = "  DIFASILITASI "
    ws.cell(8, 5).value = "Catatan Tambahan"  # an extra column on the right
    table.tableColumns.append(openpyxl.worksheet.table.TableColumn(id=5, name="Catatan Tambahan"))
    ws.cell(9, 5).value = "ditambahkan staf"
    table.ref = f"A8:E{last + 1}"
    table.autoFilter.ref = table.ref
    score = ws["B5"].value
    ws["B5"].value = f"{score},0"  # SIJINGGO with a decimal comma
    iku = wb[c.IKU]
    iku["J8"].value = "30,0"  # a target typed as text with a decimal comma
    wb.save(path)


def test_messy_but_equivalent_input_gives_the_same_numbers(tmp_path, clean_doc):
    path = copy_shipped(tmp_path)
    make_messy(path)
    run, doc = run_json(path)
    assert run.returncode == 0, run.stderr
    assert indicator_values(doc) == indicator_values(clean_doc)
    assert [m["kode"] for m in doc["masalah"]] == [m["kode"] for m in clean_doc["masalah"]]


def test_problem_locations_follow_inserted_and_sorted_rows(tmp_path):
    path = copy_shipped(tmp_path)
    make_messy(path)
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ws = wb["Kebonsari Kulon"]
    ws["B15"].value, ws["C15"].value = 1, 7  # row 15, after the inserted blank row
    wb.save(path)
    run, doc = run_json(path)
    assert run.returncode == 2
    galat = [(m["kode"], m["lembar"], m["sel"]) for m in doc["masalah"] if m["tingkat"] == "Galat"]
    assert galat == [("difasilitasi-melebihi-jumlah", "Kebonsari Kulon", "C15")]


EXT_NS = 'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"'
SPARKLINES = (
    f'<extLst><ext uri="{{05C60535-1F16-4fd2-B633-F4F36F0B64E0}}" {EXT_NS}>'
    '<x14:sparklineGroups xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    '<x14:sparklineGroup displayEmptyCellsAs="gap"><x14:colorSeries rgb="FF376092"/><x14:sparklines>'
    "<x14:sparkline><xm:f>Kecamatan!B5:B5</xm:f><xm:sqref>D5</xm:sqref></x14:sparkline>"
    "</x14:sparklines></x14:sparklineGroup></x14:sparklineGroups></ext></extLst>"
)
CONTROLS = (
    '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
    '<mc:Choice Requires="x14"><controls><mc:AlternateContent><mc:Choice Requires="x14">'
    '<control shapeId="1025" r:id="rIdCtrl1" name="Button 1"><controlPr defaultSize="0" print="0" '
    'autoFill="0" autoPict="0" macro="[0]!HitungIKU"><anchor moveWithCells="1"><from><xdr:col>11</xdr:col>'
    "</from></anchor></controlPr></control></mc:Choice></mc:AlternateContent></controls></mc:Choice>"
    "</mc:AlternateContent>"
)


def add_excel_extensions(path):
    """Markup that Excel writes and common libraries drop (see the project's notes)."""
    p = parts(path)
    kecamatan = sheet_part(path, c.KECAMATAN)
    hasil = sheet_part(path, c.HASIL)
    rels = lambda part: part.replace("worksheets/", "worksheets/_rels/") + ".rels"  # noqa: E731
    changes = {
        kecamatan: p[kecamatan].replace(
            b"</worksheet>", b'<legacyDrawing r:id="rIdVml10"/>' + SPARKLINES.encode() + b"</worksheet>"
        ),
        rels(kecamatan): (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rIdVml10" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing" Target="../drawings/vmlDrawing10.vml"/></Relationships>'
        ),
        "xl/drawings/vmlDrawing10.vml": b'<xml xmlns:v="urn:schemas-microsoft-com:vml"><v:shape id="_x0000_s9999"/></xml>',
        hasil: p[hasil].replace(
            b"</worksheet>",
            CONTROLS.encode()
            + SPARKLINES.replace("Kecamatan!B5:B5", "'Hasil IKU'!G6:G10").encode()
            + b"</worksheet>",
        ),
        rels(hasil): p[rels(hasil)].replace(
            b"</Relationships>",
            b'<Relationship Id="rIdCtrl1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/ctrlProp" Target="../ctrlProps/ctrlProp1.xml"/></Relationships>',
        ),
        "xl/ctrlProps/ctrlProp1.xml": b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<formControlPr xmlns="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" objectType="Button" lockText="1"/>',
        "customUI/customUI.xml": b'<customUI xmlns="http://schemas.microsoft.com/office/2006/01/customui"><ribbon/></customUI>',
        "_rels/.rels": p["_rels/.rels"].replace(
            b"</Relationships>",
            b'<Relationship Id="rIdUI" Type="http://schemas.microsoft.com/office/2006/relationships/ui/extensibility" Target="customUI/customUI.xml"/></Relationships>',
        ),
        "[Content_Types].xml": p["[Content_Types].xml"].replace(
            b"</Types>",
            b'<Override PartName="/xl/ctrlProps/ctrlProp1.xml" ContentType="application/vnd.ms-excel.controlproperties+xml"/></Types>',
        ),
    }
    rewrite_parts(path, changes)


def test_every_non_result_part_survives_byte_for_byte(tmp_path):
    path = copy_shipped(tmp_path)
    add_excel_extensions(path)
    before = parts(path)
    run = run_cli("hitung", str(path))
    assert run.returncode == 0, run.stderr
    after = parts(path)
    assert list(after) == list(before)
    results = {
        sheet_part(path, s)
        for s in (c.HASIL, c.REKAP_KELURAHAN, c.REKAP_SKM, c.VALIDASI, c.GRAFIK, c.RIWAYAT)
    }
    changed = {n for n in before if before[n] != after[n]}
    assert {n for n in changed if not n.startswith("xl/tables/")} <= results
    for name in changed & results:
        # Outside the cell data only the sheet's dimension may change (it must cover new rows).
        outside = [
            re.sub(
                rb'<dimension ref="[^"]*"',
                b"<dimension",
                re.sub(rb"<sheetData>.*</sheetData>", b"", x, flags=re.S),
            )
            for x in (before[name], after[name])
        ]
        assert outside[0] == outside[1], name
    for kept in (
        "xl/vbaProject.bin",
        "xl/drawings/vmlDrawing10.vml",
        "xl/ctrlProps/ctrlProp1.xml",
        "customUI/customUI.xml",
        "_rels/.rels",
    ):
        assert after[kept] == before[kept]
    assert (
        b"x14:sparklineGroups" in after[sheet_part(path, c.HASIL)]
        and b"<controls>" in after[sheet_part(path, c.HASIL)]
    )


def ole_file(streams):
    return write_cfb(streams)


BAD_FILES = {
    "bukan-zip": (lambda p: p.write_bytes(b"ini bukan buku kerja\n" * 20), "bukan buku kerja Excel"),
    "terpotong": (
        lambda p: p.write_bytes(SHIPPED.read_bytes()[: SHIPPED.stat().st_size // 2]),
        "rusak atau terpotong",
    ),
    "xls-lama": (
        lambda p: p.write_bytes(ole_file({"Workbook": b"\x09\x08" * 3000})),
        "format Excel lama (.xls)",
    ),
    "berkata-sandi": (
        lambda p: p.write_bytes(
            ole_file({"EncryptionInfo": b"\x04\x00\x04\x00" * 40, "EncryptedPackage": b"\x00" * 5000})
        ),
        "dilindungi kata sandi",
    ),
    "zip-bomb": (lambda p: rewrite_parts(p, {"xl/media/isian.bin": bytes(3 * 1024 * 1024)}), "membengkak"),
    "entitas-xml": (
        lambda p: rewrite_parts(
            p,
            {
                "xl/workbook.xml": b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
                + parts(p)["xl/workbook.xml"].split(b"?>", 1)[1]
            },
        ),
        "DOCTYPE/ENTITY",
    ),
    "lembar-hilang": (
        lambda p: rewrite_parts(
            p,
            {"xl/workbook.xml": re.sub(rb'<sheet name="Sukoharjo"[^>]*/>', b"", parts(p)["xl/workbook.xml"])},
        ),
        "Lembar 'Sukoharjo'",
    ),
    "tabel-hilang": (
        lambda p: rewrite_parts(
            p,
            {
                t: parts(p)[t].replace(b'"tblSKM"', b'"tblSurvei"')
                for t in parts(p)
                if t.startswith("xl/tables/") and b'"tblSKM"' in parts(p)[t]
            },
        ),
        "Tabel Excel 'tblSKM'",
    ),
    "kolom-hilang": (
        lambda p: rewrite_parts(
            p,
            {
                t: parts(p)[t].replace(b'name="Jumlah"', b'name="Banyaknya"')
                for t in parts(p)
                if t.startswith("xl/tables/") and b"tblLKK_Kanigaran" in parts(p)[t]
            },
        ),
        "tidak memiliki kolom 'Jumlah'",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_unusable_files_are_refused_with_a_message_and_left_untouched(tmp_path, case):
    path = copy_shipped(tmp_path, "IKU_Kanigaran.xlsm")
    make, message = BAD_FILES[case]
    make(path)
    original = path.read_bytes()
    run = run_cli("hitung", str(path))
    assert run.returncode == 1
    assert message in " ".join(run.stderr.split()), run.stderr
    assert "Traceback" not in run.stderr and run.stdout == ""
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["IKU_Kanigaran.xlsm"]


def test_a_missing_file_is_named(tmp_path):
    run = run_cli("hitung", str(tmp_path / "tidak-ada.xlsm"))
    assert run.returncode == 1 and "tidak ditemukan" in run.stderr
