"""The edges staff and the city's IT office meet: terminal output of user
text, specific Indonesian messages for known causes, the command line in
Bahasa Indonesia, and the server's settings and slow clients."""

from __future__ import annotations

import os
import socket
import time

import openpyxl
import pytest

from addin import contract as c
from tests.serve import running_server, start_refused
from tests.workbooks import copy_shipped, parts, rewrite_parts, run_cli, set_cell_xml

# --- user text in the terminal is data ------------------------------------------------


def test_square_brackets_in_names_print_as_they_are_and_the_exit_code_is_honest(tmp_path):
    path = copy_shipped(tmp_path, "IKU [final].xlsm")
    wb = openpyxl.load_workbook(path, keep_vba=True)
    wb[c.IKU]["E8"].value = "Persentase LKK [/] difasilitasi"
    wb[c.IKU]["F10"].value = "[bold]Nilai[/bold]"
    wb[c.SKM]["C6"].value = "Kel. Baru [/i]"
    wb.save(path)
    before = path.read_bytes()
    run = run_cli("hitung", str(path))
    assert run.returncode == 0, run.stderr
    out = " ".join(run.stdout.split())
    assert "Persentase LKK [/] difasilitasi" in out and "[bold]Nilai[/bold]" in out
    assert "Kel. Baru [/i]" in out and "IKU [final].xlsm" in out
    assert "tidak diubah" not in run.stdout + run.stderr and path.read_bytes() != before


def test_batch_summary_and_iku_baru_print_brackets_as_they_are(tmp_path):
    src = tmp_path / "masuk"
    src.mkdir()
    copy_shipped(src, "IKU [final].xlsm")
    (src / "rusak [1].xlsm").write_bytes(b"bukan zip")
    run = run_cli("batch", str(src), "--output", str(tmp_path / "keluar"), "--workers", "1")
    assert run.returncode == 2, run.stderr
    assert "rusak [1].xlsm" in run.stdout and "Traceback" not in run.stderr
    baru = run_cli("baru", "--kecamatan", "Baru", "--kelurahan", "[/]x", "--output", str(tmp_path / "b.xlsm"))
    assert baru.returncode == 1 and "[/]x" in " ".join(baru.stdout.split() + baru.stderr.split())
    assert "Traceback" not in baru.stderr


# --- known causes get their own message -------------------------------------------------


def test_a_folder_given_as_the_workbook_is_named(tmp_path):
    run = run_cli("hitung", str(tmp_path))
    assert run.returncode == 1 and "adalah folder, bukan berkas" in " ".join(run.stderr.split())


def test_a_folder_path_through_a_file_is_named(tmp_path):
    path = copy_shipped(tmp_path)
    (tmp_path / "catatan.txt").write_text("bukan folder")
    run = run_cli("hitung", str(path), "--output", str(tmp_path / "catatan.txt" / "hasil.xlsm"))
    message = " ".join(run.stderr.split())
    assert run.returncode == 1 and "tidak dapat dibuat" in message and "bukan folder" in message
    assert "galat sistem" not in message


def test_a_broken_table_reference_and_character_reference_are_named(tmp_path):
    path = copy_shipped(tmp_path, "ref.xlsm")
    p = parts(path)
    table = next(n for n in p if n.startswith("xl/tables/"))
    rewrite_parts(path, {table: p[table].replace(b'ref="A13:C19"', b'ref="ZZZ!!"', 1)})
    run = run_cli("hitung", str(path), "--output", str(tmp_path / "o.xlsm"))
    assert run.returncode == 1 and "rujukan rentang yang rusak" in " ".join(run.stderr.split())
    path = copy_shipped(tmp_path, "char.xlsm")
    set_cell_xml(path, "Kanigaran", "A9", '<c r="A9" t="inlineStr"><is><t>&#x110000;</t></is></c>')
    run = run_cli("hitung", str(path), "--output", str(tmp_path / "o.xlsm"))
    assert run.returncode == 1 and "kode karakter yang tidak sah" in " ".join(run.stderr.split())
    assert not (tmp_path / "o.xlsm").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into any folder")
def test_an_unwritable_folder_is_named_in_indonesian(tmp_path):
    path = copy_shipped(tmp_path)
    folder = tmp_path / "terkunci"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        run = run_cli("hitung", str(path), "--output", str(folder / "hasil.xlsm"))
    finally:
        folder.chmod(0o755)
    assert run.returncode == 1 and "izin ditolak" in run.stderr and "Permission" not in run.stderr


def test_os_errors_are_explained_in_indonesian():
    import errno

    from addin.files import os_reason

    assert os_reason(PermissionError(errno.EACCES, "Permission denied")).startswith("izin ditolak")
    assert os_reason(OSError(errno.ENOSPC, "No space left on device")) == "disk penuh"
    assert os_reason(OSError(errno.EROFS, "Read-only file system")) == "disk atau folder hanya dapat dibaca"


# --- the command line speaks Bahasa Indonesia ------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), "cara pakai: iku"),
        (("hitung",), "argumen berikut wajib diisi: berkas"),
        (("hitungx",), "pilihan 'hitungx' tidak dikenal"),
        (("hitung", "a.xlsm", "--tahun", "dua"), "'dua' bukan bilangan bulat"),
        (("hitung", "a.xlsm", "--tidak-ada"), "argumen tidak dikenal: --tidak-ada"),
    ],
)
def test_usage_and_argument_errors_are_in_indonesian(args, expected):
    run = run_cli(*args)
    text = " ".join((run.stdout + run.stderr).split())
    assert run.returncode == 1 and expected in text
    for english in ("usage:", "options:", "the following arguments", "invalid choice", "error:"):
        assert english not in text


def test_help_is_in_indonesian():
    text = run_cli("hitung", "--help").stdout
    assert "cara pakai:" in text and "pilihan:" in text and "tampilkan bantuan ini" in text
    assert "usage:" not in text and "show this help" not in text


# --- the server ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["abc", "nan", "inf", "0", "-1"])
def test_server_settings_are_checked_at_start(value):
    run = start_refused({**os.environ, "IKU_API_KEY": "k", "IKU_MAX_BODY_MB": value})
    assert run.returncode == 1 and "IKU_MAX_BODY_MB" in run.stdout and "Server tidak dijalankan" in run.stdout
    assert "Traceback" not in run.stderr


@pytest.fixture
def impatient_server(tmp_path):
    log = tmp_path / "server.log"
    env = {"IKU_API_KEY": "k", "IKU_BODY_TIMEOUT_S": "1", "IKU_HEADER_TIMEOUT_S": "1"}
    with log.open("wb") as sink, running_server(env, sink) as (base, proc):
        yield int(base.rsplit(":", 1)[1]), proc, log


def _receive_all(sock: socket.socket) -> bytes:
    sock.settimeout(10)
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


@pytest.mark.slow
def test_slow_clients_are_timed_out_and_disconnects_logged_in_one_line(impatient_server):
    port, proc, log = impatient_server
    with socket.create_connection(("127.0.0.1", port)) as slow_headers:
        slow_headers.sendall(b"POST /hitung-iku HTTP/1.1\r\nHost: x\r\n")
        assert _receive_all(slow_headers) == b""  # closed by the server
    with socket.create_connection(("127.0.0.1", port)) as slow_body:
        slow_body.sendall(
            b'POST /hitung-iku HTTP/1.1\r\nHost: x\r\nAuthorization: k\r\nContent-Length: 1000\r\n\r\n{"a":'
        )
        answer = _receive_all(slow_body)
    assert answer.startswith(b"HTTP/1.1 408") and b"tidak selesai terkirim" in answer
    with socket.create_connection(("127.0.0.1", port)) as gone:
        gone.sendall(
            b"POST /hitung-iku HTTP/1.1\r\nHost: x\r\nAuthorization: k\r\nContent-Length: 1000\r\n\r\n{"
        )
    time.sleep(1.5)
    proc.terminate()
    proc.wait(timeout=10)
    text = log.read_text()
    assert "Traceback" not in text
    assert text.count("request headers not complete") == 1
    assert text.count("disconnected before the body was complete") + text.count("body not complete") >= 2
