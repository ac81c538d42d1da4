""" "Periksa Instalasi": what a kecamatan PC needs for the buttons, in one message.

Runs inside Excel's Python (Windows and macOS): standard library and the
installed packages only, paths through ``pathlib``, no OS-specific calls.
"""

from __future__ import annotations

import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import contract as c

HEALTH_TIMEOUT_SECONDS = 5


@dataclass
class Pemeriksaan:
    baik: bool
    teks: str


def _config(book: Any) -> dict[str, str]:
    """The keys and values of the hidden xlwings.conf sheet."""
    try:
        rows = book.sheets[c.CONF].range("A1:B30").options(ndim=2).value
    except Exception:  # the sheet was deleted: every setting is empty
        return {}
    return {str(k).strip(): ("" if v is None else str(v).strip()) for k, v in rows if k}


def _health_url(server_url: str) -> str:
    parts = urllib.parse.urlsplit(server_url)
    path = parts.path.rsplit("/", 1)[0] + "/health"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def check(book: Any, xlwings_version: str) -> list[Pemeriksaan]:
    found: list[Pemeriksaan] = []
    version = ".".join(str(n) for n in sys.version_info[:3])
    found.append(Pemeriksaan(sys.version_info >= (3, 11), f"Python {version} di {sys.executable}"))
    if xlwings_version == c.XLWINGS_VERSION:
        found.append(Pemeriksaan(True, f"xlwings {xlwings_version}, sama dengan buku kerja"))
    else:
        found.append(
            Pemeriksaan(
                False,
                f"xlwings {xlwings_version} terpasang, padahal buku kerja dibuat untuk xlwings "
                f"{c.XLWINGS_VERSION}. Pasang versi itu: pip install xlwings=={c.XLWINGS_VERSION}",
            )
        )
    try:
        import iku_engine  # noqa: F401

        found.append(Pemeriksaan(True, "Paket perhitungan IKU (addin, iku_engine) dapat dimuat"))
    except Exception as exc:
        found.append(
            Pemeriksaan(
                False, f"Paket perhitungan IKU tidak dapat dimuat ({type(exc).__name__}); pasang ulang."
            )
        )
    fullname = str(book.fullname)
    folder = Path(fullname).parent
    if "://" in fullname:  # OneDrive/SharePoint: a web address, not a folder of this PC
        found.append(
            Pemeriksaan(
                False,
                "Buku kerja dibuka dari OneDrive/SharePoint. Simpan salinannya di folder komputer "
                "(File > Save As) agar Cetak Laporan dapat menulis laporan di sebelahnya.",
            )
        )
        return _server_check(book, found)
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".iku-periksa-"):
            pass
        found.append(Pemeriksaan(True, f"Folder buku kerja dapat ditulisi ({folder})"))
    except OSError:
        found.append(
            Pemeriksaan(
                False,
                f"Folder buku kerja tidak dapat ditulisi ({folder}). Simpan buku kerja di folder Dokumen Anda.",
            )
        )
    return _server_check(book, found)


def _server_check(book: Any, found: list[Pemeriksaan]) -> list[Pemeriksaan]:
    server_url = _config(book).get("SERVER_URL", "")
    if not server_url:
        found.append(
            Pemeriksaan(
                True,
                "Alamat server (SERVER_URL) belum diisi: tombol 'Hitung IKU (Server)' baru dapat dipakai "
                "setelah petugas TI mengisinya.",
            )
        )
    else:
        try:
            with urllib.request.urlopen(_health_url(server_url), timeout=HEALTH_TIMEOUT_SECONDS) as answer:
                ok = answer.status == 200
            found.append(Pemeriksaan(ok, f"Server {server_url} menjawab"))
        except (OSError, ValueError) as exc:
            reason = getattr(exc, "reason", None) or type(exc).__name__
            found.append(
                Pemeriksaan(
                    False,
                    f"Server {server_url} tidak menjawab ({reason}). Periksa SERVER_URL pada lembar "
                    "xlwings.conf atau tanyakan ke petugas TI.",
                )
            )
    return found


def message(found: list[Pemeriksaan]) -> str:
    lines = [("BAIK: " if p.baik else "PERLU DIPERBAIKI: ") + p.teks for p in found]
    summary = (
        "Semua pemeriksaan baik; tombol Hitung IKU siap dipakai."
        if all(p.baik for p in found)
        else "Perbaiki butir bertanda PERLU DIPERBAIKI, lalu periksa lagi."
    )
    return "\n".join([*lines, "", summary])


def periksa(book: Any, xlwings_version: str) -> str:
    """Run every check and show the result in one Indonesian message box."""
    try:
        found = check(book, xlwings_version)
    except Exception as exc:  # never a traceback window
        found = [
            Pemeriksaan(False, f"Pemeriksaan berhenti karena kesalahan tak terduga ({type(exc).__name__}).")
        ]
    text = message(found)
    mode = "info" if all(p.baik for p in found) else "critical"
    book.app.alert(text, title="Periksa Instalasi", mode=mode)
    return text
