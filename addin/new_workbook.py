"""``iku baru``: an empty workbook with the same contract, for any kecamatan."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from iku_engine.catalog import KelurahanDef, katalog_dari_json, katalog_kanigaran

from . import contract as c
from . import terminal
from .files import os_reason, write_atomic
from .terminal import fail
from .workbook_builder import WorkbookSpec, build_workbook

FORBIDDEN_IN_SHEET_NAMES = set("[]:*?/\\'")


def _problem(out: Console, text: str) -> int:
    fail(out, text, "Tidak dapat membuat buku kerja:")
    return 1


def buat_buku_kerja_baru(
    kecamatan: str,
    kelurahan: list[str],
    output: Path,
    tahun: int,
    kota: str | None,
    katalog_path: Path | None,
) -> int:
    console = terminal.console(stderr=True)
    if output.suffix.lower() != ".xlsm":
        return _problem(console, f"nama berkas '{output.name}' harus berakhiran .xlsm (buku kerja bermakro).")
    names = [" ".join(k.split()) for k in kelurahan if k.strip()]
    if not names:
        return _problem(console, "sebutkan paling sedikit satu kelurahan dengan --kelurahan.")
    reserved = {
        s.casefold()
        for s in (c.PETUNJUK, c.PENGATURAN, c.IKU, c.KECAMATAN, c.SKM, c.RIWAYAT, c.CONF, *c.RESULT_SHEETS)
    }
    seen: set[str] = set()
    for name in names:
        if len(name) > 31 or FORBIDDEN_IN_SHEET_NAMES & set(name):
            return _problem(
                console,
                f"nama kelurahan '{name}' tidak bisa menjadi nama lembar (maks. 31 huruf, tanpa [ ] : * ? / \\ ').",
            )
        if name.casefold() in reserved:
            return _problem(
                console,
                f"nama kelurahan '{name}' sama dengan nama lembar bawaan; tambahkan kata 'Kelurahan'.",
            )
        if c.slug(name).casefold() in seen:
            return _problem(console, f"nama kelurahan '{name}' ganda (atau hanya berbeda tanda baca).")
        if not c.slug(name):
            return _problem(console, f"nama kelurahan '{name}' harus memuat huruf atau angka.")
        seen.add(c.slug(name).casefold())
    if not 2000 <= tahun <= 2100:
        return _problem(console, f"tahun {tahun} tidak valid; tulis empat angka, mis. 2025.")
    if katalog_path is not None:
        try:
            katalog = katalog_dari_json(katalog_path.read_text("utf-8"))
        except OSError as exc:
            return _problem(
                console, f"berkas katalog '{katalog_path}' tidak dapat dibaca ({os_reason(exc)})."
            )
        except ValueError as exc:
            return _problem(
                console,
                f"berkas katalog '{katalog_path}' bukan katalog IKU yang valid: {str(exc).splitlines()[0]}",
            )
    else:
        katalog = katalog_kanigaran()
    katalog = katalog.model_copy(
        update={
            "kecamatan": kecamatan.strip(),
            "kota": (kota or katalog.kota).strip(),
            "kelurahan": [KelurahanDef(nama=n) for n in names],
        }
    )
    spec = WorkbookSpec(katalog, list(katalog.kelurahan), tahun, None)
    try:
        write_atomic(output, build_workbook(spec))
    except OSError as exc:
        return _problem(console, f"berkas '{output}' tidak dapat ditulis ({os_reason(exc)}).")
    terminal.console().print(
        f"Buku kerja IKU Kecamatan {kecamatan} ({len(names)} kelurahan, tahun {tahun}) dibuat: {output}"
    )
    return 0
