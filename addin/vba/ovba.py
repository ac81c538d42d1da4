"""MS-OVBA algorithms: RLE-style compression (2.4.1) and data encryption (2.4.3)."""

from __future__ import annotations

import struct

CHUNK = 4096
_MAX_CANDIDATES = 256  # bounded search keeps the build fast and deterministic


def _copy_token_layout(difference: int) -> tuple[int, int, int]:
    """(bit count, length mask, maximum length) at ``difference`` bytes into a chunk (2.4.1.3.19.1)."""
    bit_count = max((difference - 1).bit_length(), 4)
    length_mask = 0xFFFF >> bit_count
    return bit_count, length_mask, length_mask + 3


def _compress_chunk(data: bytes) -> bytes:
    out = bytearray()
    heads: dict[bytes, list[int]] = {}
    pos = 0
    n = len(data)
    while pos < n:
        flag_index = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= n:
                break
            best_len = best_off = 0
            if pos > 0 and pos + 3 <= n:
                bit_count, _, max_len = _copy_token_layout(pos)
                limit = min(max_len, n - pos)
                for cand in reversed(heads.get(data[pos : pos + 3], [])[-_MAX_CANDIDATES:]):
                    length = 0
                    while length < limit and data[cand + length] == data[pos + length]:
                        length += 1
                    if length > best_len:
                        best_len, best_off = length, pos - cand
                        if length == limit:
                            break
            if best_len >= 3:
                bit_count, _, _ = _copy_token_layout(pos)
                token = ((best_off - 1) << (16 - bit_count)) | (best_len - 3)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                step = best_len
            else:
                out.append(data[pos])
                step = 1
            for p in range(pos, pos + step):
                if p + 3 <= n:
                    heads.setdefault(data[p : p + 3], []).append(p)
            pos += step
        out[flag_index] = flags
    return bytes(out)


def compress(data: bytes) -> bytes:
    """Compressed container: signature byte 0x01, then one chunk per 4096 bytes."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), CHUNK):
        raw = data[start : start + CHUNK]
        body = _compress_chunk(raw)
        if len(body) > CHUNK and len(raw) == CHUNK:
            # Incompressible: an uncompressed chunk holds exactly 4096 bytes.
            out += struct.pack("<H", (CHUNK + 2 - 3) | 0x3000) + raw
        else:
            out += struct.pack("<H", (len(body) + 2 - 3) | 0x3000 | 0x8000) + body
    return bytes(out)


def decompress(container: bytes) -> bytes:
    if not container or container[0] != 1:
        raise ValueError("bukan kontainer terkompresi MS-OVBA")
    out = bytearray()
    pos = 1
    while pos < len(container):
        (header,) = struct.unpack_from("<H", container, pos)
        size = (header & 0x0FFF) + 3
        if (header >> 12) & 0b111 != 0b011:
            raise ValueError("tanda chunk MS-OVBA salah")
        chunk = container[pos + 2 : pos + size]
        pos += size
        start = len(out)
        if not header & 0x8000:
            out += chunk
            continue
        i = 0
        while i < len(chunk):
            flags = chunk[i]
            i += 1
            for bit in range(8):
                if i >= len(chunk):
                    break
                if flags & (1 << bit):
                    (token,) = struct.unpack_from("<H", chunk, i)
                    i += 2
                    bit_count, length_mask, _ = _copy_token_layout(len(out) - start)
                    offset = (token >> (16 - bit_count)) + 1
                    length = (token & length_mask) + 3
                    for _ in range(length):
                        out.append(out[-offset])
                else:
                    out.append(chunk[i])
                    i += 1
    return bytes(out)


def project_key(project_id: str) -> int:
    return sum(project_id.encode("ascii")) & 0xFF


def encrypt(data: bytes, project_id: str, seed: int) -> str:
    """Data encryption of 2.4.3.2, as uppercase hex; ``seed`` fixed for reproducible builds."""
    version = 2
    key = project_key(project_id)
    version_enc = seed ^ version
    key_enc = seed ^ key
    out = [seed, version_enc, key_enc]
    unenc1, enc1, enc2 = key, key_enc, version_enc

    def push(byte: int) -> None:
        nonlocal unenc1, enc1, enc2
        byte_enc = byte ^ ((enc2 + unenc1) & 0xFF)
        out.append(byte_enc)
        enc2, enc1, unenc1 = enc1, byte_enc, byte

    for _ in range((seed & 6) // 2):
        push(0)  # ignored bytes; any value is allowed
    for byte in struct.pack("<I", len(data)):
        push(byte)
    for byte in data:
        push(byte)
    return bytes(out).hex().upper()


def decrypt(text: str) -> tuple[int, bytes]:
    """Inverse of :func:`encrypt`: (project key, data)."""
    raw = bytes.fromhex(text)
    seed, version_enc, key_enc = raw[0], raw[1], raw[2]
    if seed ^ version_enc != 2:
        raise ValueError("versi enkripsi bukan 2")
    key = seed ^ key_enc
    unenc1, enc1, enc2 = key, key_enc, version_enc
    plain = []
    for byte_enc in raw[3:]:
        byte = byte_enc ^ ((enc2 + unenc1) & 0xFF)
        plain.append(byte)
        enc2, enc1, unenc1 = enc1, byte_enc, byte
    ignored = (seed & 6) // 2
    length = struct.unpack("<I", bytes(plain[ignored : ignored + 4]))[0]
    return key, bytes(plain[ignored + 4 : ignored + 4 + length])
