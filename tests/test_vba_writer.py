"""The VBA project writer: MS-OVBA compression/encryption and the MS-CFB container."""

import io
import zipfile
from pathlib import Path

import olefile
import pytest
import xlwings
from hypothesis import given, settings
from hypothesis import strategies as st

from addin.vba import ovba
from addin.vba.cfb import write_cfb
from addin.vba.project import class_module

TEMPLATE = zipfile.ZipFile(Path(xlwings.__path__[0], "quickstart_standalone.xlsm"))


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=20000) | st.text(alphabet="ab \r\nDim x As Long", max_size=20000).map(str.encode))
def test_compression_round_trip(data):
    assert ovba.decompress(ovba.compress(data)) == data


def test_compression_shrinks_source_text():
    text = b"Option Explicit\r\n" + b"    Dim value As Variant\r\n" * 500
    packed = ovba.compress(text)
    assert len(packed) < len(text) / 10
    assert ovba.decompress(packed) == text


def test_incompressible_chunk_is_stored_raw():
    import random

    rng = random.Random(1)
    data = bytes(rng.getrandbits(8) for _ in range(4096 * 2))
    packed = ovba.compress(data)
    assert packed[1:3] == bytes.fromhex("FF3F")  # size 4095, signature 011, flag 0 (raw)
    assert ovba.decompress(packed) == data


def test_decompressor_reads_a_project_written_by_excel():
    ole = olefile.OleFileIO(io.BytesIO(TEMPLATE.read("xl/vbaProject.bin")))
    directory = ovba.decompress(ole.openstream("VBA/dir").read())
    assert directory[:6] == bytes.fromhex("010004000000")  # PROJECTSYSKIND record
    assert b"VBAProject" in directory


def test_encryption_matches_excel_and_round_trips():
    project = olefile.OleFileIO(io.BytesIO(TEMPLATE.read("xl/vbaProject.bin")))
    text = project.openstream("PROJECT").read().decode("latin-1")
    project_id = text.split('ID="', 1)[1].split('"', 1)[0]
    cmg = text.split('CMG="', 1)[1].split('"', 1)[0]
    assert ovba.decrypt(cmg) == (ovba.project_key(project_id), bytes(4))
    for seed in (0, 0x8D, 0xFF):
        encrypted = ovba.encrypt(b"\xff", project_id, seed)
        assert ovba.decrypt(encrypted) == (ovba.project_key(project_id), b"\xff")


@settings(max_examples=25, deadline=None)
@given(
    st.dictionaries(
        st.text(alphabet="abcdefXYZ_", min_size=1, max_size=12),
        st.binary(max_size=9000),
        min_size=1,
        max_size=12,
    )
)
def test_compound_file_is_read_back_by_olefile(streams):
    named = {f"VBA/{k}": v for k, v in streams.items()}
    named["PROJECT"] = b"ID="
    ole = olefile.OleFileIO(io.BytesIO(write_cfb(named)))
    for path, data in named.items():
        assert ole.openstream(path).read() == data


def test_class_module_keeps_member_attributes_in_place():
    source = (
        "VERSION 1.0 CLASS\nBEGIN\n  MultiUse = -1  'True\nEND\n"
        'Attribute VB_Name = "Kelas"\nAttribute VB_Exposed = True\n'
        "Public Property Get Item()\nAttribute Item.VB_UserMemId = 0\nEnd Property\n"
    )
    module = class_module(source)
    lines = module.source.split("\r\n")
    assert lines[0] == 'Attribute VB_Name = "Kelas"'
    assert "Attribute VB_Exposed = True" in lines[:8]
    assert lines.index("Attribute Item.VB_UserMemId = 0") == lines.index("Public Property Get Item()") + 1


def test_duplicate_module_names_are_refused():
    from addin.vba.project import build_vba_project, standard_module

    module = standard_module('Attribute VB_Name = "A"\n')
    with pytest.raises(ValueError):
        build_vba_project([module, module], "{00000000-0000-0000-0000-000000000000}")


def _directory(data: bytes) -> list[dict]:
    """The directory entries of a compound file, read from the bytes (MS-CFB 2.6.1)."""
    import struct

    shift = struct.unpack_from("<H", data, 30)[0]
    sector = 1 << shift
    first_dir = struct.unpack_from("<I", data, 48)[0]
    n_fat = struct.unpack_from("<I", data, 44)[0]
    difat = struct.unpack_from("<109I", data, 76)[:n_fat]
    fat = []
    for s in difat:
        fat += struct.unpack_from(f"<{sector // 4}I", data, (s + 1) * sector)
    entries, s = [], first_dir
    while s < 0xFFFFFFFA:
        chunk = data[(s + 1) * sector : (s + 2) * sector]
        for k in range(0, sector, 128):
            raw = chunk[k : k + 128]
            name_len = struct.unpack_from("<H", raw, 64)[0]
            kind, color = raw[66], raw[67]
            left, right, child = struct.unpack_from("<III", raw, 68)
            name = raw[: max(0, name_len - 2)].decode("utf-16-le")
            entries.append(dict(name=name, kind=kind, color=color, left=left, right=right, child=child))
        s = fat[s]
    return entries


def _check_red_black(entries: list[dict], root: int) -> int:
    """Checks one sibling tree against MS-CFB 2.6.4; returns its size."""
    nil = 0xFFFFFFFF
    assert entries[root]["color"] == 1, "the root of a sibling tree is black"

    def key(i):
        return (len(entries[i]["name"]), entries[i]["name"].upper())

    def walk(i, low, high) -> tuple[int, int]:  # (black height, size)
        if i == nil:
            return 1, 0
        node = entries[i]
        assert node["color"] in (0, 1)
        assert (low is None or key(low) < key(i)) and (high is None or key(i) < key(high)), "search order"
        if node["color"] == 0:
            for c in (node["left"], node["right"]):
                assert c == nil or entries[c]["color"] == 1, "a red node has a red child"
        bl, nl = walk(node["left"], low, i)
        br, nr = walk(node["right"], i, high)
        assert bl == br, "black heights differ"
        return bl + node["color"], nl + nr + 1

    return walk(root, None, None)[1]


@pytest.mark.parametrize("modules", range(1, 41))
def test_directory_is_a_valid_red_black_tree_for_any_number_of_modules(modules):
    streams = {"PROJECT": b"x", "PROJECTwm": b"y", "VBA/_VBA_PROJECT": b"z", "VBA/dir": b"d"}
    streams |= {f"VBA/Module{i}": bytes([i]) * (i * 200) for i in range(modules)}
    entries = _directory(write_cfb(streams))
    root = entries[0]
    assert root["name"] == "Root Entry" and root["color"] == 1
    seen = 0
    for entry in entries:
        if entry["kind"] in (1, 5) and entry["child"] != 0xFFFFFFFF:
            seen += _check_red_black(entries, entry["child"])
    assert seen == len(streams) + 1  # every stream plus the VBA storage
    ole = olefile.OleFileIO(io.BytesIO(write_cfb(streams)))
    assert sorted("/".join(p) for p in ole.listdir()) == sorted(streams)
