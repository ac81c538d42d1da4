"""Results staff can print, sign and put into the LKjIP.

The report (``iku laporan``, the "Cetak Laporan" button) is checked against
the engine's JSON of the same workbook, for the shipped workbook and
variants; the printed workbook and the report go through LibreOffice and
``pdftoppm``.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest

from addin import contract as c
from addin.laporan import MINUS, PLACEHOLDER_ANALISIS, angka, cetak
from tests import vba_client
from tests.live_book import LiveBook
from tests.workbooks import copy_shipped, run_cli, set_cell_xml


def engine_json(path: Path, tmp_path: Path) -> dict:
    run = run_cli("hitung", str(path), "--json", "--output", str(tmp_path / "json.xlsm"))
    assert run.returncode in (0, 2), run.stderr
    return json.loads(run.stdout)


def report(path: Path, tmp_path: Path, name: str = "laporan.docx", *extra: str):
    out = tmp_path / name
    run = run_cli("laporan", str(path), "--output", str(out), *extra)
    return run, out


def table_rows(document: docx.document.Document, index: int) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in document.tables[index].rows]


def variant(tmp_path: Path, name: str) -> Path:
    path = copy_shipped(tmp_path, f"IKU_{name}.xlsm")
    if name == "target-negatif":
        set_cell_xml(path, c.IKU, "J6", '<c r="J6"><v>-2</v></c>')  # TJ-1 2021: a fall of 2 %
    elif name == "galat":
        set_cell_xml(path, "Kebonsari Kulon", "C9", '<c r="C9" t="inlineStr"><is><t>dua</t></is></c>')
    elif name == "analisis":
        wb = openpyxl.load_workbook(path, keep_vba=True)
        ws = wb[c.IKU]
        col = [cell.value for cell in ws[5]].index("Analisis") + 1
        ws.cell(8, col).value = "Fasilitasi dilakukan bersama PKK; dua kelurahan belum menyerahkan data."
        wb.save(path)
    return path


@pytest.mark.parametrize("name", ["contoh", "target-negatif", "galat", "analisis"])
def test_the_report_says_what_the_engine_computed(tmp_path, name):
    path = variant(tmp_path, name)
    doc = engine_json(path, tmp_path)
    run, out = report(path, tmp_path)
    assert run.returncode == (2 if name == "galat" else 0), run.stderr
    document = docx.Document(str(out))
    rows = table_rows(document, 0)
    assert rows[0] == [
        "No",
        "Sasaran",
        "Indikator",
        "Satuan",
        "Target",
        "Realisasi",
        "Capaian (%)",
        "Predikat",
    ]
    assert [r[2].split(" ")[0] for r in rows[1:]] == [i["kode"] for i in doc["indikator"]]
    for row, ind in zip(rows[1:], doc["indikator"], strict=True):
        assert row[4:8] == [
            angka(ind["target"]),
            angka(ind["realisasi"]),
            angka(ind["capaian"]),
            ind["predikat"] or "–",
        ]
    text = "\n".join(p.text for p in document.paragraphs)
    header = " ".join(p.text for s in document.sections for p in s.header.paragraphs)
    assert "DRAFT" in header and "DATA CONTOH" in header  # the shipped workbook still holds the sample
    iku1 = next(i for i in doc["indikator"] if i["kode"] == "IKU-1")
    if iku1["realisasi"] is not None:
        assert f"sebesar {angka(iku1['realisasi'])}% dari target {angka(iku1['target'])}%" in text
        assert f"capaian {angka(iku1['capaian'])}% dengan predikat {iku1['predikat']}" in text
    assert (
        f"Indeks Kepuasan Masyarakat (IKM) sebesar {angka(doc['skm']['ikm'])}" in text
        or doc["skm"]["ikm"] is None
    )
    assert "CAMAT KANIGARAN" in text and "Probolinggo, " in text
    if name == "target-negatif":
        tj1 = next(i for i in doc["indikator"] if i["kode"] == "TJ-1")
        assert tj1["target"] == -2.0 and rows[1][4] == f"{MINUS}2,00"
        assert f"dari target {MINUS}2,00%" in text and angka(tj1["capaian"]) in rows[1][6]
    if name == "contoh":
        assert "target tahun ini belum ditetapkan" in text  # TJ-1 and TJ-2 have no target in the IKU document
        assert text.count(PLACEHOLDER_ANALISIS) == 5
    if name == "galat":
        assert "masih ada galat data" in header
        lampiran = table_rows(document, len(document.tables) - 1)
        assert lampiran[1][:4] == ["Galat", "Kebonsari Kulon", "C9", "bukan-angka"]
    else:
        assert "Lampiran: Masalah Data" not in text or any(m["tingkat"] == "Galat" for m in doc["masalah"])
    if name == "analisis":
        assert "Analisis: Fasilitasi dilakukan bersama PKK" in text and text.count(PLACEHOLDER_ANALISIS) == 4


def test_a_report_for_another_kecamatan_and_year_from_iku_baru(tmp_path):
    book = tmp_path / "IKU_Mayangan.xlsm"
    made = run_cli(
        "baru",
        "--kecamatan",
        "Mayangan",
        "--kelurahan",
        "Mangunharjo",
        "--tahun",
        "2026",
        "--output",
        str(book),
    )
    assert made.returncode == 0, made.stderr
    run, out = report(book, tmp_path)
    assert run.returncode == 2, run.stderr  # an empty workbook: galat until data is typed
    document = docx.Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Capaian Kinerja Organisasi Kecamatan Mayangan Tahun 2026" in text
    assert "Kanigaran" not in text and "CAMAT MAYANGAN" in text
    assert "NIP ......" in text  # blank signature fields print as dotted lines


def test_the_report_never_replaces_a_file_and_refuses_other_types(tmp_path):
    path = copy_shipped(tmp_path)
    run, out = report(path, tmp_path)
    assert run.returncode == 0
    edited = out.read_bytes()
    again, _ = report(path, tmp_path)
    assert again.returncode == 1 and "--timpa" in again.stderr and out.read_bytes() == edited
    wrong, _ = report(path, tmp_path, "laporan.txt")
    assert wrong.returncode == 1 and ".docx atau .pdf" in " ".join(wrong.stderr.split())


def test_a_template_of_the_staff_keeps_its_letterhead(tmp_path):
    template = tmp_path / "kop.docx"
    own = docx.Document()
    own.sections[0].header.paragraphs[0].text = "PEMERINTAH KOTA PROBOLINGGO - KECAMATAN KANIGARAN"
    own.add_paragraph("teks lama yang diganti")
    own.save(str(template))
    run, out = report(copy_shipped(tmp_path), tmp_path, "laporan.docx", "--templat", str(template))
    assert run.returncode == 0, run.stderr
    document = docx.Document(str(out))
    header = " ".join(p.text for p in document.sections[0].header.paragraphs)
    assert "PEMERINTAH KOTA PROBOLINGGO" in header and "DRAFT" in header
    assert "teks lama yang diganti" not in "\n".join(p.text for p in document.paragraphs)


def test_the_cetak_laporan_button_writes_beside_the_workbook_and_never_over_a_report(tmp_path):
    path = copy_shipped(tmp_path)
    live = LiveBook(vba_client.open_book(path))
    live.fullname = str(path)
    first = cetak(live)
    second = cetak(live)
    assert first == tmp_path / "Laporan Capaian Kinerja Kanigaran 2021.docx" and first.exists()
    assert second == tmp_path / "Laporan Capaian Kinerja Kanigaran 2021 (2).docx"
    assert [a[2] for a in live.app.alerts] == ["info", "info"] and str(first) in live.app.alerts[0][0]
    assert live.round_trips == 0  # nothing is written into the workbook


def test_titles_and_the_signature_are_refreshed_by_every_computation(tmp_path):
    path = copy_shipped(tmp_path)
    set_cell_xml(path, c.PENGATURAN, "B5", '<c r="B5"><v>2022</v></c>')
    wb = openpyxl.load_workbook(path, keep_vba=True)
    wb[c.PENGATURAN]["K7"].value = "Drs. Contoh Camat"
    wb.save(path)
    assert run_cli("hitung", str(path)).returncode in (0, 2)
    after = openpyxl.load_workbook(path)
    assert after[c.HASIL]["A1"].value == "Hasil IKU Kecamatan Kanigaran Tahun 2022"
    assert after[c.REKAP_SKM]["A1"].value.endswith("Kecamatan Kanigaran Tahun 2022")
    assert (
        after[c.HASIL]["L6"].value == "CAMAT KANIGARAN" and after[c.HASIL]["L10"].value == "Drs. Contoh Camat"
    )
    live = LiveBook(vba_client.open_book(path))
    from addin.excel_book import jalankan

    jalankan(live, live=True)
    hasil = live.model.sheet(c.HASIL)
    assert hasil.grid[0][0] == "Hasil IKU Kecamatan Kanigaran Tahun 2022"


def _pages(pdf: Path) -> list[str]:
    count = int(
        next(
            line.split()[-1]
            for line in subprocess.run(
                ["pdfinfo", str(pdf)], capture_output=True, text=True
            ).stdout.splitlines()
            if line.startswith("Pages:")
        )
    )
    return [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(p), "-l", str(p), str(pdf), "-"],
            capture_output=True,
            text=True,
        ).stdout
        for p in range(1, count + 1)
    ]


def _libreoffice_pdf(path: Path, folder: Path) -> Path:
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(folder / 'profil').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(path),
        ],
        capture_output=True,
        timeout=240,
        check=True,
    )
    return folder / (path.stem + ".pdf")


@pytest.mark.slow
def test_printed_results_are_one_page_wide_and_the_report_is_not_cut(tmp_path):
    path = copy_shipped(tmp_path)
    assert run_cli("hitung", str(path)).returncode == 0
    pages = _pages(_libreoffice_pdf(path, tmp_path))
    assert len(pages) <= 30
    for sheet, first, last in (
        (c.HASIL, "Kode", "Keterangan"),
        (c.REKAP_KELURAHAN, "Kelurahan", "Keterangan"),
        (c.REKAP_SKM, "NRR Tertimbang", "Kinerja Unit Pelayanan"),
    ):
        own = [p for p in pages if p.rstrip().splitlines() and sheet in p.rstrip().splitlines()[-1]]
        assert own, sheet
        for page in own:  # every page of the sheet carries its first and last column: one page wide
            assert first in page and last in page, sheet
    run, pdf = report(path, tmp_path, "laporan.pdf")
    assert run.returncode == 0, run.stderr
    assert 2 <= len(_pages(pdf)) <= 12
    subprocess.run(["pdftoppm", "-r", "40", "-gray", str(pdf), str(tmp_path / "hal")], check=True)
    from PIL import Image

    for image in sorted(tmp_path.glob("hal-*.pgm")):
        page = Image.open(image)
        width, height = page.size
        strip = [page.getpixel((x, y)) for x in range(width - 12, width) for y in range(height)]
        assert min(strip) > 200, f"{image.name}: something reaches the right edge of the page"


def test_pdf_without_libreoffice_is_a_clear_message(tmp_path):
    import os
    import sys

    path = copy_shipped(tmp_path)
    bare = tmp_path / "bin"
    bare.mkdir()
    (bare / "python").symlink_to(sys.executable)
    env = {**os.environ, "PATH": str(bare)}  # no soffice on this PATH
    run = subprocess.run(
        [sys.executable, "-m", "addin.cli", "laporan", str(path), "--output", str(tmp_path / "l.pdf")],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert run.returncode == 1 and "LibreOffice" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "l.pdf").exists()
