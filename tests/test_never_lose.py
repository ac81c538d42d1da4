"""Never lose what staff typed, never replace what was not ours: each case on
real files, checking the exit code, the message and that nothing else changed."""

from __future__ import annotations

import hashlib
import io
import random
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from addin import contract as c
from tests import vba_client
from tests.live_book import LiveBook
from tests.workbooks import ROOT, copy_shipped, parts, rewrite_parts, run_cli, set_cell_xml, sheet_part


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def words(text: str) -> str:
    return " ".join(text.split())


# --- iku baru ------------------------------------------------------------------------


def test_iku_baru_never_replaces_an_existing_file_unless_asked(tmp_path):
    filled = copy_shipped(tmp_path, "IKU_Mayangan.xlsm")
    before = digest(filled)
    args = ("baru", "--kecamatan", "Mayangan", "--kelurahan", "Mangunharjo", "--output", str(filled))
    run = run_cli(*args)
    assert (
        run.returncode == 1 and "sudah ada dan tidak ditimpa" in words(run.stderr) and "--timpa" in run.stderr
    )
    assert digest(filled) == before
    assert run_cli(*args, "--timpa").returncode == 0 and digest(filled) != before


def test_iku_baru_for_another_kecamatan_is_neutral_and_follows_the_period(tmp_path):
    out = tmp_path / "IKU_Mayangan.xlsm"
    run = run_cli(
        "baru", "--kecamatan", "Mayangan", "--kelurahan", "Mangunharjo", "Sukabumi",
        "--tahun", "2026", "--periode", "2025-2029", "--output", str(out),
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    wb = openpyxl.load_workbook(out)
    texts = [str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v]
    assert not [t for t in texts if "Kanigaran" in t]
    assert any("Kecamatan Mayangan" in t for t in texts)
    iku = wb[c.IKU]
    table = iku.tables[c.T_IKU]
    headers = [cell.value for cell in iku[table.ref][0]]
    assert [h for h in headers if str(h).isdigit()] == ["2025", "2026", "2027", "2028", "2029"]
    body = [[cell.value for cell in row] for row in iku[table.ref][1:]]
    year_cols = [i for i, h in enumerate(headers) if str(h).isdigit()]
    assert all(row[i] is None for row in body for i in year_cols)  # targets come from the Renstra
    hitung = run_cli("hitung", str(out), "--json")
    assert hitung.returncode == 2 and "tak terduga" not in hitung.stderr


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--kelurahan", "Kel\x07uar", "karakter kendali"),
        ("--kelurahan", "Kelurahan Yang Namanya Sangat Panjang Sekali", "maks. 31 huruf"),
        ("--kecamatan", "Maya\nngan", "karakter kendali"),
        ("--periode", "2025", "--periode"),
    ],
)
def test_iku_baru_checks_names_and_period(tmp_path, option, value, message):
    args = {"--kecamatan": "Mayangan", "--kelurahan": "Mangunharjo", "--periode": "2025-2029"}
    args[option] = value
    flat = [x for k, v in args.items() for x in (k, v)]
    run = run_cli("baru", *flat, "--tahun", "2025", "--output", str(tmp_path / "b.xlsm"))
    assert run.returncode == 1 and message in words(run.stderr) and "Traceback" not in run.stderr
    assert not (tmp_path / "b.xlsm").exists()


# --- growing tables never cover what is below them -------------------------------------


def with_note_below_riwayat(path: Path) -> None:
    wb = openpyxl.load_workbook(path, keep_vba=True)
    wb[c.RIWAYAT]["A11"].value = "Catatan: angka 2020 sudah diaudit"
    wb.save(path)


def test_a_note_below_a_growing_table_is_never_overwritten(tmp_path):
    path = copy_shipped(tmp_path)
    with_note_below_riwayat(path)
    before = digest(path)
    run = run_cli("hitung", str(path))
    assert run.returncode == 1
    assert "sel Riwayat!A11" in words(run.stderr) and "Tidak ada yang ditulis" in words(run.stderr)
    assert digest(path) == before
    # The server and the live button refuse the same way, before writing anything.
    import xlwings as xw

    from addin.excel_book import jalankan
    from addin.remote_json import parse_client_json

    book = xw.Book(json=parse_client_json(vba_client.request_body(vba_client.open_book(path))))
    try:
        jalankan(book, live=False)
        actions = book.json()["actions"]
    finally:
        book.close()
    assert [a["func"] for a in actions] == ["alert"] and "Riwayat!A11" in actions[0]["args"][0]
    live = LiveBook(vba_client.open_book(path))
    assert jalankan(live, live=True) is None and "Riwayat!A11" in live.app.alerts[-1][0]
    assert live.round_trips == 0


def test_a_totals_row_is_never_written_into(tmp_path):
    path = copy_shipped(tmp_path)
    table_part = next(
        n for n, d in parts(path).items() if n.startswith("xl/tables/") and b'name="tblRiwayat"' in d
    )
    xml = parts(path)[table_part]
    rewrite_parts(path, {table_part: xml.replace(b"<table ", b'<table totalsRowCount="1" ', 1)})
    before = digest(path)
    run = run_cli("hitung", str(path))
    assert run.returncode == 1 and "baris total" in words(run.stderr)
    assert digest(path) == before


# --- files that are not ours to replace ---------------------------------------------------


def test_a_symlinked_workbook_gets_the_results_through_the_link(tmp_path):
    real = copy_shipped(tmp_path, "asli.xlsm")
    link = tmp_path / "tautan.xlsm"
    link.symlink_to(real)
    before = digest(real)
    assert run_cli("hitung", str(link)).returncode == 0
    assert link.is_symlink() and digest(real) != before
    assert zipfile.ZipFile(real).testzip() is None


def test_a_read_only_workbook_is_refused(tmp_path):
    path = copy_shipped(tmp_path)
    path.chmod(0o444)
    before = digest(path)
    run = run_cli("hitung", str(path))
    assert run.returncode == 1 and "hanya-baca" in words(run.stderr)
    assert digest(path) == before and (path.stat().st_mode & 0o777) == 0o444


@pytest.mark.parametrize("name", ["notes.txt", "hasil.csv", "hasil.xlsx"])
def test_an_output_of_another_type_is_refused(tmp_path, name):
    path = copy_shipped(tmp_path)
    target = tmp_path / name
    target.write_text("catatan penting staf")
    run = run_cli("hitung", str(path), "--output", str(target))
    assert run.returncode == 1 and "harus berakhiran .xlsm" in words(run.stderr)
    assert target.read_text() == "catatan penting staf"


def test_an_existing_non_workbook_output_is_refused(tmp_path):
    path = copy_shipped(tmp_path)
    target = tmp_path / "salah.xlsm"
    target.write_text("bukan buku kerja")
    run = run_cli("hitung", str(path), "--output", str(target))
    assert run.returncode == 1 and "bukan buku kerja" in words(run.stderr)
    assert target.read_text() == "bukan buku kerja"


# --- --tahun says where the value came from ------------------------------------------


@pytest.mark.parametrize(("tahun", "message"), [("2030", "tidak memiliki kolom 2030"), ("21", "empat angka")])
def test_a_year_without_a_column_or_not_four_digits_is_refused(tmp_path, tahun, message):
    path = copy_shipped(tmp_path)
    before = digest(path)
    run = run_cli("hitung", str(path), "--tahun", tahun)
    text = words(run.stderr)
    assert (
        run.returncode == 1
        and message in text
        and f"--tahun {tahun}" in text
        and "diketik di perintah" in text
    )
    assert "Pengaturan!B5" not in text and digest(path) == before


# --- locks and interrupted runs --------------------------------------------------------------


def test_a_lock_left_by_a_dead_run_is_taken_over_at_once(tmp_path):
    path = copy_shipped(tmp_path)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    import socket

    (tmp_path / f".{path.name}.iku-lock").write_text(f"{dead.stdout.strip()} {socket.gethostname()}\n")
    started = time.monotonic()
    run = run_cli("hitung", str(path))
    assert run.returncode == 0, run.stderr
    assert time.monotonic() - started < 20
    assert not (tmp_path / f".{path.name}.iku-lock").exists()


@pytest.mark.slow
def test_sigterm_removes_the_lock_and_the_temporary_file(tmp_path):
    path = copy_shipped(tmp_path)
    before = digest(path)
    proc = subprocess.Popen([sys.executable, "-m", "addin.cli", "hitung", str(path)], cwd=ROOT)
    lock = tmp_path / f".{path.name}.iku-lock"
    deadline = time.time() + 20
    while not lock.exists() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=20)
    assert not lock.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~iku-")]
    assert digest(path) == before or zipfile.ZipFile(path).testzip() is None


@pytest.mark.slow
def test_kill_9_during_writes_leaves_the_old_or_the_new_file_and_the_next_run_starts_at_once(tmp_path):
    path = copy_shipped(tmp_path)
    old = path.read_bytes()
    rng = random.Random(11)
    for _ in range(12):
        proc = subprocess.Popen(
            [sys.executable, "-m", "addin.cli", "hitung", str(path)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.2, 0.9))
        proc.kill()
        proc.wait()
        data = path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert z.testzip() is None  # always a complete file: the old one or a new one
            if data != old:  # a new one: every part but the result sheets and tables is the old part
                with zipfile.ZipFile(io.BytesIO(old)) as o:
                    changed = {n for n in o.namelist() if z.read(n) != o.read(n)}
                assert changed and all(n.startswith(("xl/worksheets/sheet", "xl/tables/")) for n in changed)
    started = time.monotonic()
    run = run_cli("hitung", str(path))
    assert run.returncode == 0 and time.monotonic() - started < 20


# --- valid XML, read right; hostile XML, refused ------------------------------------------


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def json_numbers(path: Path, tmp_path: Path) -> dict[str, object]:
    import json

    run = run_cli("hitung", str(path), "--json", "--output", str(tmp_path / "o.xlsm"))
    assert run.returncode in (0, 2), run.stderr
    return {i["kode"]: (i["realisasi"], i["capaian"]) for i in json.loads(run.stdout)["indikator"]}


def test_single_quotes_and_namespace_prefixes_read_the_same_numbers(tmp_path):
    expected = json_numbers(copy_shipped(tmp_path, "asli.xlsm"), tmp_path)
    for sheet in ("Kanigaran", "Sukoharjo", c.SKM):
        for variant in ("kutip", "awalan"):
            path = copy_shipped(tmp_path, f"{variant}.xlsm")
            part = sheet_part(path, sheet)
            xml = parts(path)[part].decode()
            head, _, body = xml.partition("<sheetData")
            body = "<sheetData" + body
            if variant == "kutip":  # every attribute of the cell data in single quotes
                body = re.sub(r'(\s[\w:]+)="([^"]*)"', r"\1='\2'", body)
            else:  # the main namespace under a prefix
                body = re.sub(r"<(/?)(sheetData|row|c|v|f|is|t)\b", r"<\1x:\2", body)
                head = head.replace("<worksheet ", f'<worksheet xmlns:x="{MAIN_NS}" ', 1)
            xml = head + body
            rewrite_parts(path, {part: xml.encode()})
            assert json_numbers(path, tmp_path) == expected, (sheet, variant)


def test_a_negative_shared_string_index_is_refused(tmp_path):
    path = copy_shipped(tmp_path)
    set_cell_xml(path, "Kanigaran", "A9", '<c r="A9" t="s"><v>-1</v></c>')
    run = run_cli("hitung", str(path), "--output", str(tmp_path / "o.xlsm"))
    assert run.returncode == 1 and "teks bersama nomor '-1'" in words(run.stderr)


@pytest.mark.parametrize("where", ["utf16", "late"])
def test_a_dtd_is_refused_in_any_encoding_and_position(tmp_path, where):
    path = copy_shipped(tmp_path)
    part = sheet_part(path, "Kanigaran")
    xml = parts(path)[part].decode()
    dtd = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
    if where == "utf16":
        xml = xml.replace('encoding="UTF-8"', 'encoding="UTF-16"', 1).replace("?>", "?>" + dtd, 1)
        data = xml.encode("utf-16")
    else:
        data = (xml.replace("?>", "?>" + "<!-- " + "x" * 5000 + " -->" + dtd, 1)).encode()
    rewrite_parts(path, {part: data})
    run = run_cli("hitung", str(path), "--output", str(tmp_path / "o.xlsm"))
    assert run.returncode == 1 and "DOCTYPE" in run.stderr
    assert not (tmp_path / "o.xlsm").exists()


def test_a_utf16_sheet_reads_the_same_numbers(tmp_path):
    expected = json_numbers(copy_shipped(tmp_path, "asli.xlsm"), tmp_path)
    path = copy_shipped(tmp_path)
    part = sheet_part(path, "Kanigaran")
    xml = parts(path)[part].decode().replace('encoding="UTF-8"', 'encoding="UTF-16"', 1)
    rewrite_parts(path, {part: xml.encode("utf-16")})
    assert json_numbers(path, tmp_path) == expected


def test_many_small_parts_that_inflate_too_far_are_refused(tmp_path):
    path = tmp_path / "bom.xlsm"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(40):
            z.writestr(f"xl/media/p{i}.bin", b"\0" * (1024 * 1024 - 1))  # each under 1 MiB
    run = run_cli("hitung", str(path))
    assert run.returncode == 1 and "membengkak" in " ".join(run.stderr.split())


@pytest.mark.slow
def test_a_table_stretched_to_the_whole_sheet_is_cheap(tmp_path):
    path = copy_shipped(tmp_path)
    p = parts(path)
    for name in [n for n in p if n.startswith("xl/tables/")]:
        if b'name="tblRiwayat"' in p[name] or b'name="tblLKK_Kanigaran"' in p[name]:
            xml = p[name]
            ref = re.search(rb'ref="([A-Z]+)(\d+):', xml)
            rewrite_parts(
                path,
                {
                    name: re.sub(
                        rb'ref="[^"]*"', b'ref="' + ref.group(1) + ref.group(2) + b':XFD1048576"', xml
                    )
                },
            )
            p = parts(path)
    code = (
        "import resource, sys; from addin.cli import main; rc = main(sys.argv[1:]); "
        "print('MAXRSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(rc)"
    )
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-c", code, "hitung", str(path), "--output", str(tmp_path / "o.xlsm")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    seconds = time.monotonic() - started
    peak_mb = int(run.stderr.split("MAXRSS")[1].split()[0]) / 1024
    assert run.returncode in (0, 2), run.stderr
    print(f"whole-sheet table ref: {seconds:.2f} s, peak {peak_mb:.0f} MB")
    assert seconds < 10 and peak_mb < 300, (seconds, peak_mb)
