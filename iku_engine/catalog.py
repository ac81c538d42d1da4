"""The IKU catalog: indicator definitions and master lists shipped as data.

The default is Kecamatan Kanigaran's IKU document (2021); any other
kecamatan can supply its own file with the same shape.
"""

from __future__ import annotations

from importlib import resources

from pydantic import BaseModel

from .models import IndikatorDef, UnsurDef


class KelurahanDef(BaseModel):
    kode: str = ""
    nama: str


class JenisLkk(BaseModel):
    nama: str
    kelompok: str


class Katalog(BaseModel):
    sumber: str
    kecamatan: str
    kota: str
    kode_wilayah: str = ""
    catatan: str = ""
    indikator: list[IndikatorDef]
    kelurahan: list[KelurahanDef]
    kelurahan_sumber: str = ""
    jenis_pmks: list[str]
    jenis_pmks_sumber: str = ""
    jenis_lkk: list[JenisLkk]
    jenis_lkk_sumber: str = ""
    kelompok_masyarakat_contoh: list[str] = []
    unsur_skm: list[UnsurDef]
    unsur_skm_sumber: str = ""


def katalog_dari_json(text: str) -> Katalog:
    return Katalog.model_validate_json(text)


def katalog_kanigaran() -> Katalog:
    text = resources.files("iku_engine").joinpath("data/katalog_kanigaran.json").read_text("utf-8")
    return katalog_dari_json(text)


def tahun_target(katalog: Katalog) -> list[int]:
    """Every year that has a target in the catalog, sorted."""
    return sorted({int(y) for d in katalog.indikator for y in d.target})
