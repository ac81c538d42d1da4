""" "Periksa Instalasi" on the live-book stand-in: each check, and the message staff see."""

from __future__ import annotations

import http.server
import threading

import pytest

from addin import contract as c
from addin.installation import check, message, periksa
from tests import vba_client
from tests.live_book import LiveBook
from tests.workbooks import copy_shipped


def live_book(path, server_url=None):
    model = vba_client.open_book(path)
    if server_url is not None:
        conf = model.sheet(c.CONF)
        row = next(i for i, line in enumerate(conf.grid) if line and line[0] == "SERVER_URL")
        conf.grid[row][1] = server_url
    book = LiveBook(model)
    book.fullname = str(path)
    return book


@pytest.fixture
def health_server():
    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path == "/health" else 404)
            self.end_headers()
            self.wfile.write(b'{"status": "ok"}')

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hitung-iku"
    server.shutdown()


def test_a_good_installation_says_so_in_one_message_box(tmp_path, health_server):
    book = live_book(copy_shipped(tmp_path), health_server)
    text = periksa(book, c.XLWINGS_VERSION)
    assert [a[1:] for a in book.app.alerts] == [("Periksa Instalasi", "info")]
    assert "PERLU DIPERBAIKI" not in text
    assert f"xlwings {c.XLWINGS_VERSION}, sama dengan buku kerja" in text
    assert f"Server {health_server} menjawab" in text
    assert text.endswith("Semua pemeriksaan baik; tombol Hitung IKU siap dipakai.")


def test_the_shipped_workbook_says_the_server_address_is_not_filled_in(tmp_path):
    found = check(live_book(copy_shipped(tmp_path)), c.XLWINGS_VERSION)
    server_line = found[-1]
    assert server_line.baik and "SERVER_URL) belum diisi" in server_line.teks


def test_each_problem_is_named_with_what_to_do(tmp_path):
    path = copy_shipped(tmp_path)
    book = live_book(path, "http://127.0.0.1:9/hitung-iku")  # nothing listens on port 9
    book.fullname = str(tmp_path / "folder-yang-sudah-dihapus" / path.name)
    found = check(book, "0.30.0")
    bad = [p.teks for p in found if not p.baik]
    assert any("pip install xlwings==0.37.8" in t for t in bad)
    assert any("Server http://127.0.0.1:9/hitung-iku tidak menjawab" in t for t in bad)
    assert any("tidak dapat ditulisi" in t and "folder Dokumen" in t for t in bad)
    text = message(found)
    assert text.endswith("Perbaiki butir bertanda PERLU DIPERBAIKI, lalu periksa lagi.")


def test_a_workbook_opened_from_onedrive_is_named_not_a_crash(tmp_path):
    book = live_book(copy_shipped(tmp_path))
    book.fullname = "https://contoh-my.sharepoint.com/personal/staf/Documents/IKU_Kanigaran.xlsm"
    found = check(book, c.XLWINGS_VERSION)
    assert any(not p.baik and "OneDrive/SharePoint" in p.teks for p in found)
    assert "SERVER_URL" in found[-1].teks  # the server is still checked

    from addin.laporan import cetak

    assert cetak(book) is None
    message, _, mode = book.app.alerts[-1]
    assert mode == "critical" and "OneDrive/SharePoint" in message and "tak terduga" not in message
