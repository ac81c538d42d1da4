"""Shared builders for small, hand-checkable inputs."""

from __future__ import annotations

import os

# xlwings' remote engine (PolyForm Noncommercial; see the README) registers at import time.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import pytest

from iku_engine.catalog import katalog_kanigaran
from iku_engine.models import (
    IkuInput,
    KelurahanInput,
    LkkRow,
    Lokasi,
    Pengaturan,
    PmksRow,
    SkmInput,
    TableLocator,
)

# Three respondents x nine unsur; U3 of the second respondent is blank.
# NRR: 10/3, 10/3, 3, 4, 3, 8/3, 11/3, 8/3, 10/3 -> sum 29 -> IKM 29/9 x 25 = 80.555...
JAWABAN_TIGA = [
    [4, 3, 3, 4, 3, 3, 4, 3, 3],
    [3, 3, None, 4, 3, 2, 4, 3, 3],
    [3, 4, 3, 4, 3, 3, 3, 2, 4],
]


def kelurahan(nama: str, lkk: list[tuple[int, int]], pmks: list[tuple[int, int]], sijinggo: object = 250):
    sheet = nama
    return KelurahanInput(
        nama=nama,
        lkk=[LkkRow(jenis_lembaga=f"L{i}", jumlah=j, difasilitasi=f) for i, (j, f) in enumerate(lkk)],
        lkk_lokasi=TableLocator(
            lembar=sheet, kolom={"jumlah": "C", "difasilitasi": "D"}, baris=[7 + i for i in range(len(lkk))]
        ),
        pmks=[PmksRow(jenis_pmks=f"P{i}", tahun_lalu=a, tahun_ini=b) for i, (a, b) in enumerate(pmks)],
        pmks_lokasi=TableLocator(
            lembar=sheet, kolom={"tahun_lalu": "H", "tahun_ini": "I"}, baris=[7 + i for i in range(len(pmks))]
        ),
        sijinggo=sijinggo,
        sijinggo_lokasi=Lokasi(lembar=sheet, sel="C3"),
    )


def build_input(**overrides) -> IkuInput:
    katalog = katalog_kanigaran()
    data = dict(
        pengaturan=Pengaturan(tahun=2021, kecamatan="Kanigaran", kota="Kota Probolinggo"),
        indikator=katalog.indikator,
        indikator_lokasi=TableLocator(
            lembar="IKU",
            kolom={"rumus": "H", "polaritas": "G", "2020": "I", "2021": "J"},
            baris=[5, 6, 7, 8, 9],
        ),
        kelurahan=[
            kelurahan("Kanigaran", [(10, 3), (20, 6)], [(10, 9), (30, 27)], 240),
            kelurahan("Kebonsari Kulon", [(5, 5), (15, 0)], [(40, 40), (20, 14)], 260),
        ],
        sijinggo_kecamatan=270,
        sijinggo_kecamatan_lokasi=Lokasi(lembar="Kecamatan", sel="C4"),
        skm=SkmInput(
            unit_layanan=["Kecamatan", "Kanigaran", "kebonsari  kulon"],
            jawaban=[list(r) for r in JAWABAN_TIGA],
            lokasi=TableLocator(
                lembar="SKM",
                kolom={"unit_layanan": "C", **{f"U{i}": chr(ord("H") + i) for i in range(1, 10)}},
                baris=[5, 6, 7],
            ),
        ),
        unsur=katalog.unsur_skm,
    )
    data.update(overrides)
    return IkuInput(**data)


@pytest.fixture
def data() -> IkuInput:
    return build_input()
