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
