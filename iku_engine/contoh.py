"""Synthetic sample data ("DATA CONTOH") for the shipped workbook and the demo.

Deterministic (fixed seed) so that the built workbook is reproducible. The
numbers are invented; they only make "Hitung IKU" give results out of the box.
"""

from __future__ import annotations

import random

from .catalog import Katalog, katalog_kanigaran
from .models import (
    IkuInput,
    KelurahanInput,
    LkkRow,
    Pengaturan,
    PmksRow,
    RiwayatRow,
    SkmInput,
)

TAHUN_CONTOH = 2021
RESPONDEN_CONTOH = 240
POPULASI_CONTOH = 600
PENANDA = "DATA CONTOH"


def data_contoh(katalog: Katalog | None = None, tahun: int = TAHUN_CONTOH, seed: int = 2021) -> IkuInput:
    katalog = katalog or katalog_kanigaran()
    rng = random.Random(seed)
    kelurahan = []
    for kel in katalog.kelurahan:
        lkk = []
        for jenis in katalog.jenis_lkk:
            jumlah = rng.randint(2, 40)
            lkk.append(
                LkkRow(jenis_lembaga=jenis.nama, jumlah=jumlah, difasilitasi=rng.randint(0, jumlah // 2))
            )
        for nama in katalog.kelompok_masyarakat_contoh[:3]:
            jumlah = rng.randint(1, 6)
            lkk.append(LkkRow(jenis_lembaga=nama, jumlah=jumlah, difasilitasi=rng.randint(0, jumlah)))
        pmks = []
        for nama in katalog.jenis_pmks:
            lalu = rng.choice([0, 0, 0, 1, 2, 3, 5, 8, 13, 40])
            ini = max(0, lalu + rng.randint(-3, 2)) if lalu else rng.choice([0, 0, 0, 1])
            pmks.append(PmksRow(jenis_pmks=nama, tahun_lalu=lalu, tahun_ini=ini))
        kelurahan.append(
            KelurahanInput(
                nama=kel.nama,
                kode_wilayah=kel.kode,
                lkk=lkk,
                pmks=pmks,
                sijinggo=rng.randint(235, 275),
            )
        )
    units = ["Kecamatan"] + [k.nama for k in katalog.kelurahan]
    weights = [4] + [1] * len(katalog.kelurahan)
    jawaban: list[list[float | int | str | bool | None]] = []
    unit_layanan: list[float | int | str | bool | None] = []
    for _ in range(RESPONDEN_CONTOH):
        unit_layanan.append(rng.choices(units, weights)[0])
        jawaban.append([rng.choices([1, 2, 3, 4], [1, 6, 55, 38])[0] for _ in katalog.unsur_skm])
    riwayat = []
    for d in katalog.indikator:
        target = d.target.get(tahun - 1)
        if isinstance(target, int | float):
            riwayat.append(
                RiwayatRow(
                    kode=d.kode,
                    tahun=tahun - 1,
                    realisasi=round(target * rng.uniform(0.93, 1.06), 2),
                    sumber=PENANDA,
                )
            )
    return IkuInput(
        pengaturan=Pengaturan(
            tahun=tahun, kecamatan=katalog.kecamatan, kota=katalog.kota, populasi_skm=POPULASI_CONTOH
        ),
        indikator=katalog.indikator,
        kelurahan=kelurahan,
        sijinggo_kecamatan=rng.randint(245, 275),
        skm=SkmInput(
            kolom_unsur=[u.kode for u in katalog.unsur_skm], unit_layanan=unit_layanan, jawaban=jawaban
        ),
        unsur=katalog.unsur_skm,
        riwayat=riwayat,
    )
