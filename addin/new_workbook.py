"""``iku baru``: an empty workbook with the same contract, for any kecamatan."""

from __future__ import annotations

import re
from pathlib import Path

from rich.console import Console

from iku_engine.catalog import Katalog, KelurahanDef, katalog_dari_json, katalog_kanigaran

from . import contract as c
from . import terminal
from .errors import BerkasTidakDapatDipakai
from .files import os_reason, write_atomic
from .terminal import fail
from .workbook_builder import WorkbookSpec, build_workbook

FORBIDDEN_IN_SHEET_NAMES = set("[]:*?/\\'")


def _problem(out: Console, text: str) -> int:
    fail(out, text, "Tidak dapat membuat buku kerja:")
    return 1


CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MAX_NAME = 60  # a kecamatan or kota name in titles and document properties


def _periode(text: str | None, tahun: int) -> list[int] | None:
    """``2025-2029`` -> [2025 … 2029]; default: five years from ``tahun``. None when invalid."""
    if text is None:
        return list(range(tahun, tahun + 5))
    match = re.fullmatch(r"\s*(\d{4})\s*[-–/]\s*(\d{4})\s*", text)
    if not match:
        return None
    first, last = int(match.group(1)), int(match.group(2))
    if not (2000 <= first <= last <= 2100 and last - first <= 10):
        return None
    return list(range(first, last + 1))


def _neutral(katalog: Katalog, kecamatan: str, kota: str, periode: list[int]) -> Katalog:
    """The catalog's indicators for another kecamatan: its name in the texts, no
    targets (they come from that kecamatan's Renstra and Perjanjian Kinerja)."""
    old = katalog.kecamatan

    def rename(text: str) -> str:
        return text.replace(old, kecamatan) if old and old != kecamatan else text

    indikator = [
        d.model_copy(
            update={
                "tujuan": rename(d.tujuan),
                "sasaran": rename(d.sasaran),
                "indikator": rename(d.indikator),
                "target": {},
            }
        )
        for d in katalog.indikator
    ]
    return katalog.model_copy(
        update={
            "indikator": indikator,
            "sumber": f"Indikator Kinerja Utama Kecamatan {kecamatan}, {kota}, periode Renstra "
            f"{periode[0]}-{periode[-1]}",
            "catatan": "Isi target setiap tahun dari Renstra dan Perjanjian Kinerja kecamatan ini.",
        }
    )


def buat_buku_kerja_baru(
    kecamatan: str,
    kelurahan: list[str],
    output: Path,
    tahun: int,
    kota: str | None,
    katalog_path: Path | None,
    periode: str | None = None,
    timpa: bool = False,
) -> int:
    console = terminal.console(stderr=True)
    if output.suffix.lower() != ".xlsm":
        return _problem(console, f"nama berkas '{output.name}' harus berakhiran .xlsm (buku kerja bermakro).")
    if output.is_dir():
        return _problem(console, f"'{output}' adalah folder; sebutkan nama berkas .xlsm.")
    if (output.exists() or output.is_symlink()) and not timpa:
        return _problem(
            console,
            f"berkas '{output}' sudah ada dan tidak ditimpa (isinya dapat hilang). Pilih nama lain, "
            "atau tambahkan --timpa bila memang ingin menggantinya dengan buku kerja kosong.",
        )
    for label, value in (("kecamatan", kecamatan), ("kota", kota or "")):
        if CONTROL.search(value) or len(value.strip()) > MAX_NAME:
            return _problem(
                console,
                f"nama {label} '{CONTROL.sub('?', value)}' tidak dapat dipakai (paling banyak {MAX_NAME} huruf, "
                "tanpa karakter kendali seperti tab atau baris baru).",
            )
    if not kecamatan.strip():
        return _problem(console, "sebutkan nama kecamatan dengan --kecamatan.")
    names = [" ".join(k.split()) for k in kelurahan if k.strip()]
    if not names:
        return _problem(console, "sebutkan paling sedikit satu kelurahan dengan --kelurahan.")
    reserved = {s.casefold() for s in c.sheet_order([])}
    seen: set[str] = set()
    for name in names:
        if CONTROL.search(name):
            return _problem(
                console, f"nama kelurahan '{CONTROL.sub('?', name)}' berisi karakter kendali; ketik ulang."
            )
        if len(name) > 31 or FORBIDDEN_IN_SHEET_NAMES & set(name):
            return _problem(
                console,
                f"nama kelurahan '{name}' tidak dapat menjadi nama lembar (maks. 31 huruf, tanpa [ ] : * ? / \\ ').",
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
    years = _periode(periode, tahun)
    if years is None:
        return _problem(console, f"--periode '{periode}' tidak valid; tulis dua tahun, mis. 2025-2029.")
    if tahun not in years:
        return _problem(console, f"tahun laporan {tahun} di luar periode {years[0]}-{years[-1]}.")
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
    kota_name = (kota or katalog.kota).strip()
    katalog = _neutral(katalog, kecamatan.strip(), kota_name, years).model_copy(
        update={
            "kecamatan": kecamatan.strip(),
            "kota": kota_name,
            "kelurahan": [KelurahanDef(nama=n) for n in names],
        }
    )
    spec = WorkbookSpec(katalog, list(katalog.kelurahan), tahun, None, years)
    try:
        write_atomic(output, build_workbook(spec))
    except OSError as exc:
        return _problem(console, f"berkas '{output}' tidak dapat ditulis ({os_reason(exc)}).")
    except BerkasTidakDapatDipakai as exc:
        return _problem(console, str(exc))
    terminal.console().print(
        f"Buku kerja IKU Kecamatan {kecamatan} ({len(names)} kelurahan, tahun {tahun}) dibuat: {output}"
    )
    return 0
