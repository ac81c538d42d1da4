"""A minimal MS-CFB (compound file, version 3) writer.

Enough for a VBA project: storages and streams, small streams in the mini
stream, no DIFAT sectors (up to about 7 MB). Deterministic: no timestamps,
no random CLSIDs, so a build is byte-identical every time.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF
SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")


@dataclass
class _Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    data: bytes = b""
    children: list[_Entry] = field(default_factory=list)
    index: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    start: int = ENDOFCHAIN
    size: int = 0
    color: int = 1  # MS-CFB 2.6.4: 0 red, 1 black


def _sort_key(entry: _Entry) -> tuple[int, str]:
    # MS-CFB 2.6.4: shorter names first, then by upper-case code points.
    return len(entry.name), entry.name.upper()


def _tree(entries: list[_Entry]) -> int:
    """Link siblings into a red-black tree (MS-CFB 2.6.4); return the root index.

    Splitting at the middle gives a tree whose empty children all lie at depth
    ``m`` or ``m + 1`` (``m`` = the shallowest). Nodes above depth ``m`` are
    black and nodes at depth ``m`` red: the root is black, no red node has a
    red child, and every path to an empty child passes ``m`` black nodes.
    """
    depths: dict[int, int] = {}
    shallowest = [len(entries) + 1]

    def link(part: list[_Entry], depth: int) -> int:
        if not part:
            shallowest[0] = min(shallowest[0], depth)
            return NOSTREAM
        mid = len(part) // 2
        node = part[mid]
        depths[node.index] = depth
        node.left = link(part[:mid], depth + 1)
        node.right = link(part[mid + 1 :], depth + 1)
        return node.index

    root = link(entries, 0)
    for entry in entries:
        entry.color = 1 if depths[entry.index] < shallowest[0] else 0
    return root


def _chain(fat: list[int], first: int, count: int) -> None:
    for i in range(count):
        fat[first + i] = first + i + 1 if i < count - 1 else ENDOFCHAIN


def write_cfb(streams: dict[str, bytes]) -> bytes:
    """Compound file holding ``streams`` (paths like ``"VBA/dir"``)."""
    root = _Entry("Root Entry", 5)
    for path, data in streams.items():
        parent = root
        *folders, leaf = path.split("/")
        for folder in folders:
            found = next((c for c in parent.children if c.name == folder and c.kind == 1), None)
            if found is None:
                found = _Entry(folder, 1)
                parent.children.append(found)
            parent = found
        parent.children.append(_Entry(leaf, 2, data=data))

    order: list[_Entry] = []

    def number(entry: _Entry) -> None:
        entry.index = len(order)
        order.append(entry)
        for child in sorted(entry.children, key=_sort_key):
            number(child)

    number(root)
    for entry in order:
        entry.child = _tree(sorted(entry.children, key=_sort_key))

    # Mini stream: every stream under the cutoff, in 64-byte mini sectors.
    mini = bytearray()
    minifat: list[int] = []
    for entry in order:
        if entry.kind == 2 and len(entry.data) < MINI_CUTOFF:
            entry.size = len(entry.data)
            if not entry.data:
                entry.start = ENDOFCHAIN
                continue
            count = -(-len(entry.data) // MINI_SECTOR)
            entry.start = len(minifat)
            minifat += [0] * count
            _chain(minifat, entry.start, count)
            mini += entry.data.ljust(count * MINI_SECTOR, b"\0")

    big = [e for e in order if e.kind == 2 and len(e.data) >= MINI_CUTOFF]
    n_dir = -(-len(order) // 4)
    n_minifat = -(-len(minifat) * 4 // SECTOR)
    n_mini = -(-len(mini) // SECTOR)
    n_big = sum(-(-len(e.data) // SECTOR) for e in big)
    n_fat = 1
    while n_fat * (SECTOR // 4) < n_fat + n_dir + n_minifat + n_mini + n_big:
        n_fat += 1
    if n_fat > 109:
        raise ValueError("compound file too large for a header-only DIFAT")

    total = n_fat + n_dir + n_minifat + n_mini + n_big
    fat = [FREESECT] * (n_fat * SECTOR // 4)
    for i in range(n_fat):
        fat[i] = FATSECT
    next_sector = n_fat
    dir_start = next_sector
    _chain(fat, dir_start, n_dir)
    next_sector += n_dir
    minifat_start = next_sector if n_minifat else ENDOFCHAIN
    _chain(fat, next_sector, n_minifat)
    next_sector += n_minifat
    root.start = next_sector if n_mini else ENDOFCHAIN
    root.size = len(mini)
    _chain(fat, next_sector, n_mini)
    next_sector += n_mini
    for entry in big:
        count = -(-len(entry.data) // SECTOR)
        entry.start, entry.size = next_sector, len(entry.data)
        _chain(fat, next_sector, count)
        next_sector += count
    assert next_sector == total

    header = bytearray(SECTOR)
    struct.pack_into(
        "<8s16sHHHHH6sIIIIIIIII",
        header,
        0,
        SIGNATURE,
        b"\0" * 16,
        0x003E,
        0x0003,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        n_fat,
        dir_start,
        0,
        MINI_CUTOFF,
        minifat_start,
        n_minifat,
        ENDOFCHAIN,
        0,
    )
    difat = [i if i < n_fat else FREESECT for i in range(109)]
    struct.pack_into("<109I", header, 76, *difat)

    directory = bytearray()
    for entry in order:
        name = entry.name.encode("utf-16-le")
        if len(name) > 62:
            raise ValueError(f"name too long: {entry.name}")
        directory += struct.pack(
            "<64sHBBIII16sIQQIQ",
            name,
            len(name) + 2,
            entry.kind,
            entry.color,
            entry.left,
            entry.right,
            entry.child,
            b"\0" * 16,
            0,
            0,
            0,
            entry.start if entry.kind != 1 else 0,
            entry.size,
        )
    empty = struct.pack(
        "<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, b"\0" * 16, 0, 0, 0, 0, 0
    )
    while len(directory) < n_dir * SECTOR:
        directory += empty

    minifat_bytes = struct.pack(f"<{len(minifat)}I", *minifat)
    minifat_bytes += b"\xff" * (n_minifat * SECTOR - len(minifat_bytes))

    body = bytearray(header)
    body += struct.pack(f"<{len(fat)}I", *fat)
    body += directory
    body += minifat_bytes
    body += bytes(mini).ljust(n_mini * SECTOR, b"\0")
    for entry in big:
        body += entry.data.ljust(-(-len(entry.data) // SECTOR) * SECTOR, b"\0")
    return bytes(body)
