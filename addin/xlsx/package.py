"""Opening an .xlsx/.xlsm package safely: every refusal is an Indonesian message.

Guards: not a zip, truncated, the old binary .xls, a password-protected
(encrypted) workbook, zip bombs (limits on declared and actual sizes) and
XML with a DTD (entity expansion). Parts are kept as raw bytes so that a
writer can put every untouched part back unchanged.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

MAX_PARTS = 5000
MAX_PART_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200  # declared uncompressed / compressed, for parts over 1 MiB
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")


class BerkasTidakDapatDipakai(Exception):
    """The file cannot be used at all; nothing is written. The message is for staff."""


@dataclass
class Part:
    info: zipfile.ZipInfo
    data: bytes


class Package:
    """The parts of one workbook, in their original order."""

    def __init__(self, name: str, parts: list[Part]) -> None:
        self.name = name
        self.parts = parts
        self._by_name = {p.info.filename: p for p in parts}

    def __contains__(self, name: str) -> bool:
        return name in self._by_name

    def read(self, name: str) -> bytes:
        try:
            return self._by_name[name].data
        except KeyError:
            raise BerkasTidakDapatDipakai(
                f"Berkas '{self.name}' tidak lengkap: bagian '{name}' tidak ada. Buka dan simpan ulang di Excel."
            ) from None

    def xml(self, name: str) -> bytes:
        data = self.read(name)
        check_xml(data, self.name, name)
        return data

    def names(self) -> list[str]:
        return [p.info.filename for p in self.parts]


def check_xml(data: bytes, file_name: str, part: str) -> None:
    # OOXML never carries a DTD; one here can only be an entity-expansion attack.
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise BerkasTidakDapatDipakai(
            f"Berkas '{file_name}' ditolak: bagian '{part}' berisi deklarasi XML (DOCTYPE/ENTITY) yang "
            "tidak pernah dibuat Excel. Berkas ini mungkin rusak atau berbahaya; minta salinan asli."
        )


def _is_encrypted_ole(data: bytes) -> bool:
    # An encrypted OOXML file is an OLE container with these streams (MS-OFFCRYPTO).
    return b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o" in data


def open_package(path: Path | str, data: bytes | None = None) -> Package:
    path = Path(path)
    name = path.name
    if data is None:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise BerkasTidakDapatDipakai(
                f"Berkas '{path}' tidak ditemukan. Periksa nama dan foldernya."
            ) from None
        except IsADirectoryError:
            raise BerkasTidakDapatDipakai(f"'{path}' adalah folder, bukan berkas buku kerja.") from None
        except OSError as exc:
            raise BerkasTidakDapatDipakai(f"Berkas '{path}' tidak dapat dibaca ({exc.strerror}).") from None
    if data.startswith(OLE_SIGNATURE):
        if _is_encrypted_ole(data):
            raise BerkasTidakDapatDipakai(
                f"Berkas '{name}' dilindungi kata sandi. Buka di Excel, hapus kata sandinya "
                "(File > Info > Protect Workbook > Encrypt with Password, kosongkan), simpan, lalu ulangi."
            )
        raise BerkasTidakDapatDipakai(
            f"Berkas '{name}' berformat Excel lama (.xls). Buka di Excel dan simpan sebagai "
            "'Excel Macro-Enabled Workbook (*.xlsm)', lalu ulangi."
        )
    if not data.startswith(b"PK"):
        raise BerkasTidakDapatDipakai(
            f"Berkas '{name}' bukan buku kerja Excel (.xlsx/.xlsm). Periksa bahwa berkas yang dipilih benar."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError):
        raise BerkasTidakDapatDipakai(
            f"Berkas '{name}' rusak atau terpotong (mungkin unduhan/salinan belum selesai). Salin ulang berkasnya."
        ) from None
    if len(infos) > MAX_PARTS:
        raise _bomb(name, "terlalu banyak bagian")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES:
            raise _bomb(name, "ukuran isi terlalu besar")
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _bomb(name, "rasio pemampatan tidak wajar")
    parts = []
    for info in infos:
        try:
            with archive.open(info) as handle:
                content = handle.read(info.file_size + 1)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, RuntimeError):
            raise BerkasTidakDapatDipakai(
                f"Berkas '{name}' rusak atau terpotong (bagian '{info.filename}' tidak terbaca). Salin ulang berkasnya."
            ) from None
        if len(content) != info.file_size:
            raise _bomb(name, "ukuran isi tidak sesuai dengan yang dinyatakan")
        parts.append(Part(info, content))
    if "[Content_Types].xml" not in archive.namelist() or "xl/workbook.xml" not in archive.namelist():
        raise BerkasTidakDapatDipakai(f"Berkas '{name}' adalah arsip zip, tetapi bukan buku kerja Excel.")
    return Package(name, parts)


def _bomb(name: str, why: str) -> BerkasTidakDapatDipakai:
    return BerkasTidakDapatDipakai(
        f"Berkas '{name}' ditolak: {why} (batas keamanan terhadap 'zip bomb'). "
        "Buku kerja IKU yang wajar jauh lebih kecil; periksa asal berkas ini."
    )


def write_package(package: Package, replaced: dict[str, bytes], removed: set[str] = frozenset()) -> bytes:  # type: ignore[assignment]
    """A new zip: every part as it was, except those replaced or removed."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for part in package.parts:
            name = part.info.filename
            if name in removed:
                continue
            data = replaced.get(name, part.data)
            info = zipfile.ZipInfo(name, date_time=part.info.date_time)
            info.compress_type = part.info.compress_type
            info.external_attr = part.info.external_attr
            info.create_system = part.info.create_system
            archive.writestr(info, data)
    return out.getvalue()
