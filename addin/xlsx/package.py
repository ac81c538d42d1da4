"""Opening an .xlsx/.xlsm package safely: every refusal is an Indonesian message.

Guards: not a zip, truncated, the old binary .xls, a password-protected
(encrypted) workbook, zip bombs (limits on declared and actual sizes) and
XML with a DTD (entity expansion). Parts are kept as raw bytes so that a
writer can put every untouched part back unchanged.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

from ..errors import BerkasTidakDapatDipakai
from ..files import os_reason

__all__ = ["BerkasTidakDapatDipakai", "Package", "open_package", "write_package"]

MAX_PARTS = 5000
MAX_PART_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200  # declared uncompressed / compressed, for parts over 1 MiB and for the whole file
RATIO_FROM_BYTES = 1024 * 1024
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")


class Package:
    """The parts of one workbook, read on demand, in their original order."""

    def __init__(self, name: str, raw: bytes, archive: zipfile.ZipFile) -> None:
        self.name = name
        self.raw = raw
        self.archive = archive
        self.infos = archive.infolist()
        self._by_name = {i.filename: i for i in self.infos}
        self._cache: dict[str, bytes] = {}
        self._xml: dict[str, bytes] = {}

    def __contains__(self, name: str) -> bool:
        return name in self._by_name

    def read(self, name: str) -> bytes:
        if name in self._cache:
            return self._cache[name]
        info = self._by_name.get(name)
        if info is None:
            raise BerkasTidakDapatDipakai(
                f"Berkas '{self.name}' tidak lengkap: bagian '{name}' tidak ada. Buka dan simpan ulang di Excel."
            )
        try:
            with self.archive.open(info) as handle:
                content = handle.read(info.file_size + 1)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, RuntimeError):
            raise BerkasTidakDapatDipakai(
                f"Berkas '{self.name}' rusak atau terpotong (bagian '{name}' tidak terbaca). Salin ulang berkasnya."
            ) from None
        if len(content) != info.file_size:
            raise _bomb(self.name, "ukuran isi tidak sesuai dengan yang dinyatakan")
        self._cache[name] = content
        return content

    def xml(self, name: str) -> bytes:
        """An XML part as checked UTF-8 bytes."""
        if name in self._xml:
            return self._xml[name]
        data = as_utf8(self.read(name), self.name, name)
        check_xml(data, self.name, name)
        self._xml[name] = data
        return data

    def forget(self, name: str) -> None:
        """Drop a part's decompressed bytes (read again if asked for): a large
        sheet, once its cells are read, need not stay in memory twice."""
        self._cache.pop(name, None)
        self._xml.pop(name, None)

    def names(self) -> list[str]:
        return [i.filename for i in self.infos]

    def raw_entry(self, info: zipfile.ZipInfo) -> bytes:
        """The compressed bytes of a part exactly as stored."""
        offset = info.header_offset
        if self.raw[offset : offset + 4] != b"PK\x03\x04":
            raise BerkasTidakDapatDipakai(
                f"Berkas '{self.name}' rusak: struktur arsipnya tidak utuh. Salin ulang berkasnya atau pakai "
                "salinan cadangan."
            )
        name_len, extra_len = struct.unpack_from("<HH", self.raw, offset + 26)
        start = offset + 30 + name_len + extra_len
        return self.raw[start : start + info.compress_size]


_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def as_utf8(data: bytes, file_name: str, part: str) -> bytes:
    """An XML part in UTF-8, whatever encoding it declares (UTF-16 with a BOM, or a
    declaration): the readers work on UTF-8 bytes."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif data.startswith(b"\xef\xbb\xbf"):
        return data[3:]
    else:
        declared = _DECLARED_ENCODING.match(data)
        encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
        if encoding.replace("-", "").replace("_", "") in ("utf8", "ascii", "usascii"):
            return data
    try:
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        raise BerkasTidakDapatDipakai(
            f"Berkas '{file_name}' rusak: bagian '{part}' tidak dapat dibaca sebagai teks ({encoding}). "
            "Buka dan simpan ulang di Excel."
        ) from None
    text = re.sub(
        r"""^(<\?xml[^>]*?encoding\s*=\s*["'])[^"']+(["'])""", r"\g<1>UTF-8\g<2>", text.lstrip("\ufeff")
    )
    return text.encode("utf-8")


def check_xml(data: bytes, file_name: str, part: str) -> None:
    """OOXML never carries a DTD: one anywhere in a part (after the transcoding
    to UTF-8, so in any encoding) can only be an entity-expansion attack."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
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
            raise BerkasTidakDapatDipakai(f"Berkas '{path}' tidak dapat dibaca ({os_reason(exc)}).") from None
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
    total = compressed = 0
    for info in infos:
        total += info.file_size
        compressed += info.compress_size
        if info.file_size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES:
            raise _bomb(name, "ukuran isi terlalu besar")
        if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _bomb(name, "rasio pemampatan tidak wajar")
    # Many small parts add up: the whole file's ratio is bounded too.
    if total > RATIO_FROM_BYTES and total > MAX_RATIO * max(compressed, 1):
        raise _bomb(name, "rasio pemampatan seluruh berkas tidak wajar")
    if "[Content_Types].xml" not in archive.namelist() or "xl/workbook.xml" not in archive.namelist():
        raise BerkasTidakDapatDipakai(f"Berkas '{name}' adalah arsip zip, tetapi bukan buku kerja Excel.")
    package = Package(name, data, archive)
    for info in infos:
        if info.flag_bits & 0x1:
            raise BerkasTidakDapatDipakai(
                f"Berkas '{name}' berisi bagian terenkripsi; simpan ulang tanpa kata sandi."
            )
    return package


def _bomb(name: str, why: str) -> BerkasTidakDapatDipakai:
    return BerkasTidakDapatDipakai(
        f"Berkas '{name}' ditolak: {why}; isinya akan membengkak jauh melebihi buku kerja yang wajar saat "
        "dibuka (batas keamanan). Periksa asal berkas ini dan minta salinan aslinya."
    )


def _dos_time(date_time: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time
    return (hour << 11) | (minute << 5) | (second // 2), ((max(year, 1980) - 1980) << 9) | (month << 5) | day


def write_package(
    package: Package, replaced: dict[str, bytes], removed: frozenset[str] | set[str] = frozenset()
) -> bytes:
    """A new zip: unchanged parts copied as stored (compressed bytes and all),
    replaced parts deflated anew, removed parts left out."""
    out = bytearray()
    central = bytearray()
    count = 0
    for info in package.infos:
        name = info.filename
        if name in removed:
            continue
        encoded = name.encode("utf-8")
        flags = 0x800 if info.flag_bits & 0x800 else 0
        if name in replaced:
            data = replaced[name]
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            body = compressor.compress(data) + compressor.flush()
            method, crc, size = zipfile.ZIP_DEFLATED, zlib.crc32(data), len(data)
        else:
            body = package.raw_entry(info)
            method, crc, size = info.compress_type, info.CRC, info.file_size
            flags |= info.flag_bits & 0x6  # keep the deflate option bits
        mtime, mdate = _dos_time(info.date_time)
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, flags, method, mtime, mdate, crc, len(body), size, len(encoded), 0
        )
        out += encoded + body
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            (info.create_system << 8) | info.create_version,
            20,
            flags,
            method,
            mtime,
            mdate,
            crc,
            len(body),
            size,
            len(encoded),
            0,
            0,
            0,
            0,
            info.external_attr,
            offset,
        )
        central += encoded
        count += 1
    cd_offset = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), cd_offset, 0)
    return bytes(out)
