"""One workbook, one answer, whatever the door.

The file door (``iku hitung``), the server door (a real ``iku serve`` driven
by an emulation of xlwings' VBA client, ``tests/vba_client.py``) and the
live button (``tests/live_book.py``, xlwings' COM value semantics) must
leave the same values in every result table, cell for cell, and no text may
become a formula in Excel.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

from addin import contract as c
from addin.excel_book import jalankan
from tests import vba_client
from tests.live_book import LiveBook
from tests.serve import KEY, running_server
from tests.test_server import post
from tests.workbooks import copy_shipped, run_cli, set_cell_xml

TABLES = [
    (c.HASIL, c.T_HASIL),
    (c.REKAP_KELURAHAN, c.T_REKAP_KELURAHAN),
    (c.REKAP_SKM, c.T_REKAP_UNSUR),
    (c.REKAP_SKM, c.T_REKAP_UNIT),
    (c.VALIDASI, c.T_VALIDASI),
    (c.GRAFIK, c.T_GRAFIK),
    (c.RIWAYAT, c.T_RIWAYAT),
]
FORMULA_LIKE = {
    ("IKU", "E8"): "=1+1",
    ("IKU", "F10"): "+Nilai",
    ("IKU", "E9"): "@SUM(A1)",
    ("IKU", "A9"): "-IKU-2",
    ("SKM", "C6"): "-Kecamatan",
    ("Kanigaran", "A9"): '=HYPERLINK("http://contoh.invalid","klik")',
}


def _edit(
    path: Path, cells: dict[tuple[str, str], object], formats: dict[tuple[str, str], str] | None = None
):
    wb = openpyxl.load_workbook(path, keep_vba=True)
    for (sheet, ref), value in cells.items():
        cell = wb[sheet][ref]
        cell.value = value
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # text that looks like a formula, as staff could type it after a '
    for (sheet, ref), fmt in (formats or {}).items():
        wb[sheet][ref].number_format = fmt
    wb.save(path)


def make_variant(folder: Path, name: str) -> Path:
    path = copy_shipped(folder, "IKU_Kademangan_2022 (1).xlsm" if name == "nama-lain" else f"IKU_{name}.xlsm")
    if name == "persen":
        _edit(path, {("IKU", "J8"): 0.3}, {("IKU", "J8"): "0%"})
    elif name == "galat-excel":
        set_cell_xml(path, "Sukoharjo", "H10", '<c r="H10" t="e"><v>#SPILL!</v></c>')
        _edit(
            path, {("Kanigaran", "B9"): "#DIV/0!", ("SKM", "J8"): "#N/A", ("Tisnonegaran", "B10"): "#VALUE!"}
        )
    elif name == "baris-kosong":
        _edit(path, {("Tisnonegaran", f"{col}10"): None for col in "ABCD"} | {("SKM", "I7"): None})
    elif name == "teks-rumus":
        _edit(path, FORMULA_LIKE)
    elif name == "teks-angka-panjang":
        _edit(path, {("Pengaturan", "C14"): "35.74.04.1003.01", ("Kanigaran", "D9"): "1234567890123456"})
    return path


VARIANTS = [
    "contoh",
    "persen",
    "galat-excel",
    "baris-kosong",
    "teks-rumus",
    "teks-angka-panjang",
    "nama-lain",
]


@pytest.fixture(scope="module")
def server():
    with running_server({"IKU_API_KEY": KEY}) as (base, _):
        yield base


def file_tables(path: Path) -> dict[str, list[list[object]]]:
    wb = openpyxl.load_workbook(path, data_only=True)
    out = {}
    for sheet, table in TABLES:
        ws = wb[sheet]
        c1, r1, c2, r2 = range_boundaries(ws.tables[table].ref)
        out[table] = [[ws.cell(r, col).value for col in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]
    return out


def model_tables(book: vba_client.ExcelBook) -> dict[str, list[list[object]]]:
    return {table: vba_client.table_values(book, sheet, table) for sheet, table in TABLES}


@pytest.mark.slow
@pytest.mark.parametrize("variant", VARIANTS)
def test_file_server_and_live_button_write_the_same_tables(tmp_path, server, variant):
    path = make_variant(tmp_path, variant)

    out = tmp_path / "hasil.xlsm"
    run = run_cli("hitung", str(path), "--output", str(out))
    assert run.returncode in (0, 2), run.stderr
    expected = file_tables(out)

    remote = vba_client.open_book(path)
    status, answer = post(server, vba_client.request_body(remote))
    assert status == 200, answer.decode()
    vba_client.replay(remote, vba_client.loads_answer(answer))

    live = LiveBook(vba_client.open_book(path))
    assert jalankan(live, live=True) is not None, live.app.alerts

    for book in (remote, live.model):
        assert model_tables(book) == expected
        assert book.formulas == [], "text became a formula in Excel"
        assert book.converted == [], "text became a number or date in Excel"
    assert remote.alerts[-1][0].startswith("IKU 2021 selesai dihitung")
    assert live.app.alerts[-1][0] == remote.alerts[-1][0]
    # The live button opens the result sheets and locks them again after writing.
    assert live.macros_run == ["BukaLembarHasil", "KunciLembarHasil"]
    assert all(s.protected for s in live.sheets if s.name in c.RESULT_SHEETS)

    hasil = {row[0]: row for row in expected[c.T_HASIL][1:]}
    validasi = [(row[0], row[1], row[2], row[3]) for row in expected[c.T_VALIDASI][1:]]
    if variant == "persen":
        assert hasil["IKU-1"][5] == 0.3 and hasil["IKU-1"][7] is None and hasil["IKU-1"][8] is None
        assert ("Galat", "IKU", "J8", "target-pecahan") in validasi
    if variant == "galat-excel":
        assert ("Galat", "Kanigaran", "B9", "nilai-galat-excel") in validasi
        assert ("Galat", "SKM", "J8", "nilai-galat-excel") in validasi
        assert ("Galat", "Sukoharjo", "H10", "nilai-galat-excel") in validasi
        message = next(r[4] for r in expected[c.T_VALIDASI][1:] if r[2] == "B9")
        assert "Kanigaran!B9" in message and "#DIV/0!" in message
    if variant == "teks-rumus":
        assert hasil["IKU-1"][1] == "=1+1" and hasil["IKU-3"][2] == "+Nilai"
    if variant in ("contoh", "nama-lain"):
        assert hasil["IKU-1"][7] == pytest.approx(84.29561200923789)


def test_live_button_writes_each_table_in_one_round_trip(tmp_path):
    live = LiveBook(vba_client.open_book(copy_shipped(tmp_path)))
    jalankan(live, live=True)
    small = live.round_trips
    # a value assignment and at most a clear or a resize per table, then the single cells by name
    # (the time, five titles, four lines of the signature block)
    assert small <= 2 * 8 + 1 + 5 + 4


def test_live_button_locks_the_result_sheets_again_after_a_failure_and_says_what_was_written(tmp_path):
    live = LiveBook(vba_client.open_book(copy_shipped(tmp_path)))
    grafik = live.sheets[c.GRAFIK]
    original = grafik.check_writable

    def refuse() -> None:  # Excel refuses the last table's write (e.g. the sheet was deleted meanwhile)
        original()
        raise RuntimeError("COM error")

    grafik.check_writable = refuse
    assert jalankan(live, live=True) is None
    message, _title, mode = live.app.alerts[-1]
    assert mode == "critical" and "kesalahan tak terduga (RuntimeError)" in message
    assert "Sebagian hasil mungkin sudah tertulis" in message
    assert live.macros_run == ["BukaLembarHasil", "KunciLembarHasil"]
    assert all(s.protected for s in live.sheets if s.name in c.RESULT_SHEETS)


def test_live_button_writes_nothing_when_a_table_is_missing(tmp_path):
    model = vba_client.open_book(copy_shipped(tmp_path))
    model.sheet(c.SKM).tables.clear()
    live = LiveBook(model)
    assert jalankan(live, live=True) is None
    message, _, mode = live.app.alerts[-1]
    assert mode == "critical" and "tblSKM" in message and "Hasil tidak ditulis" in message
    assert live.round_trips == 0 and live.macros_run == ["KunciLembarHasil"]
