"""Build ``vbaProject.bin`` (MS-OVBA) from module sources.

The project holds source only (``_VBA_PROJECT`` with no compiled cache), so
Excel compiles it from the text on first open, as it does for a project
written by the xlwings tooling.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Literal

from .cfb import write_cfb
from .ovba import compress, encrypt

Kind = Literal["standard", "class", "document"]

# VB_Base of Excel's document modules and of class modules (as Excel stores them).
BASE_WORKBOOK = "0{00020819-0000-0000-C000-000000000046}"
BASE_WORKSHEET = "0{00020820-0000-0000-C000-000000000046}"
BASE_CLASS = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"
CODEPAGE = 1252
# "no compiled cache, compile from source" (MS-OVBA 2.3.4.1)
VBA_PROJECT_STREAM = bytes.fromhex("CC61FFFF000100")
# Fixed seeds keep the build byte-identical (the spec allows any seed).
SEEDS = {"CMG": 0x8D, "DPB": 0x6B, "GC": 0x2E}


@dataclass(frozen=True)
class Module:
    name: str
    kind: Kind
    source: str  # as stored: Attribute lines first, CRLF line ends

    @property
    def encoded(self) -> bytes:
        return self.source.encode("cp1252")


def _crlf(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return "".join(line + "\r\n" for line in lines)


def _name_of(source: str) -> str:
    for line in source.splitlines():
        if line.startswith("Attribute VB_Name"):
            return line.split("=", 1)[1].strip().strip('"')
    raise ValueError("modul VBA tanpa 'Attribute VB_Name'")


def standard_module(text: str) -> Module:
    """A ``.bas`` export, stored as it is."""
    source = _crlf(text)
    return Module(_name_of(source), "standard", source)


def class_module(text: str) -> Module:
    """A ``.cls`` export: drop the VERSION/BEGIN..END header, add the
    attributes Excel keeps in the stored source (VB_Base and the rest)."""
    lines = _crlf(text).split("\r\n")
    if lines and lines[0].startswith("VERSION"):
        end = lines.index("END")
        lines = lines[end + 1 :]
    name = _name_of("\n".join(lines))
    count = 0
    while count < len(lines) and lines[count].startswith("Attribute "):
        count += 1
    attributes, body = lines[:count], lines[count:]
    wanted = {
        "VB_Name": f'"{name}"',
        "VB_Base": f'"{BASE_CLASS}"',
        "VB_GlobalNameSpace": "False",
        "VB_Creatable": "False",
        "VB_PredeclaredId": "False",
        "VB_Exposed": "False",
        "VB_TemplateDerived": "False",
        "VB_Customizable": "False",
    }
    given = {a.split()[1]: a.split("=", 1)[1].strip() for a in attributes}
    header = [f"Attribute {key} = {given.get(key, value)}" for key, value in wanted.items()]
    header += [a for a in attributes if a.split()[1] not in wanted]
    return Module(name, "class", "\r\n".join(header + body))


def document_module(name: str, base: str, code: str = "") -> Module:
    header = [
        f'Attribute VB_Name = "{name}"',
        f'Attribute VB_Base = "{base}"',
        "Attribute VB_GlobalNameSpace = False",
        "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = True",
        "Attribute VB_Exposed = True",
        "Attribute VB_TemplateDerived = False",
        "Attribute VB_Customizable = True",
    ]
    return Module(name, "document", "\r\n".join(header) + "\r\n" + _crlf(code))


def _record(record_id: int, data: bytes) -> bytes:
    return struct.pack("<HI", record_id, len(data)) + data


def _mbcs(text: str) -> bytes:
    return text.encode("cp1252")


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def _reference(name: str, libid: str) -> bytes:
    libid_bytes = _mbcs(libid)
    registered = struct.pack("<I", len(libid_bytes)) + libid_bytes + struct.pack("<IH", 0, 0)
    return _record(0x0016, _mbcs(name)) + _record(0x003E, _utf16(name)) + _record(0x000D, registered)


REFERENCES = [
    (
        "stdole",
        "*\\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\\Windows\\System32\\stdole2.tlb#OLE Automation",
    ),
    (
        "Office",
        "*\\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#"
        "C:\\Program Files\\Common Files\\Microsoft Shared\\OFFICE16\\MSO.DLL"
        "#Microsoft Office 16.0 Object Library",
    ),
]


def _dir_stream(modules: list[Module], project_name: str) -> bytes:
    out = bytearray()
    out += _record(0x0001, struct.pack("<I", 1))  # SysKind: Win32; Excel adapts on load
    out += _record(0x0002, struct.pack("<I", 0x0409))  # LCID
    out += _record(0x0014, struct.pack("<I", 0x0409))  # LCID invoke
    out += _record(0x0003, struct.pack("<H", CODEPAGE))
    out += _record(0x0004, _mbcs(project_name))
    out += _record(0x0005, b"") + _record(0x0040, b"")  # docstring
    out += _record(0x0006, b"") + _record(0x003D, b"")  # help file
    out += _record(0x0007, struct.pack("<I", 0))  # help context
    out += _record(0x0008, struct.pack("<I", 0))  # lib flags
    out += struct.pack("<HIIH", 0x0009, 4, 1, 0)  # version: reserved 4, major 1, minor 0
    out += _record(0x000C, b"") + _record(0x003C, b"")  # constants
    for name, libid in REFERENCES:
        out += _reference(name, libid)
    out += _record(0x000F, struct.pack("<H", len(modules)))
    out += _record(0x0013, struct.pack("<H", 0xFFFF))
    for module in modules:
        out += _record(0x0019, _mbcs(module.name))
        out += _record(0x0047, _utf16(module.name))
        out += _record(0x001A, _mbcs(module.name))
        out += _record(0x0032, _utf16(module.name))
        out += _record(0x001C, b"") + _record(0x0048, b"")
        out += _record(0x0031, struct.pack("<I", 0))  # source starts at offset 0
        out += _record(0x001E, struct.pack("<I", 0))
        out += _record(0x002C, struct.pack("<H", 0xFFFF))
        out += _record(0x0021 if module.kind == "standard" else 0x0022, b"")
        out += _record(0x002B, b"")
    out += _record(0x0010, b"")
    return bytes(out)


def _project_stream(modules: list[Module], project_id: str, project_name: str) -> bytes:
    lines = [f'ID="{project_id}"']
    for module in modules:
        if module.kind == "document":
            lines.append(f"Document={module.name}/&H00000000")
        elif module.kind == "class":
            lines.append(f"Class={module.name}")
        else:
            lines.append(f"Module={module.name}")
    lines += [
        f'Name="{project_name}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        f'CMG="{encrypt(bytes(4), project_id, SEEDS["CMG"])}"',  # not protected
        f'DPB="{encrypt(bytes(1), project_id, SEEDS["DPB"])}"',  # no password
        f'GC="{encrypt(bytes([0xFF]), project_id, SEEDS["GC"])}"',  # visible
        "",
        "[Host Extender Info]",
        "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
        "",
        "[Workspace]",
    ]
    lines += [f"{m.name}=0, 0, 0, 0, C" for m in modules]
    return _mbcs("\r\n".join(lines) + "\r\n")


def _projectwm(modules: list[Module]) -> bytes:
    out = bytearray()
    for module in modules:
        out += _mbcs(module.name) + b"\0" + _utf16(module.name) + b"\0\0"
    return bytes(out + b"\0\0")


def build_vba_project(modules: list[Module], project_id: str, project_name: str = "VBAProject") -> bytes:
    names = [m.name for m in modules]
    if len(set(n.casefold() for n in names)) != len(names):
        raise ValueError(f"nama modul VBA ganda: {names}")
    streams = {
        "PROJECT": _project_stream(modules, project_id, project_name),
        "PROJECTwm": _projectwm(modules),
        "VBA/_VBA_PROJECT": VBA_PROJECT_STREAM,
        "VBA/dir": compress(_dir_stream(modules, project_name)),
    }
    for module in modules:
        streams[f"VBA/{module.name}"] = compress(module.encoded)
    return write_cfb(streams)
