"""The Kanigaran catalog shipped with the engine, checked against the IKU document."""

from iku_engine import formulas
from iku_engine.catalog import katalog_kanigaran, tahun_target


def test_five_indicators_with_their_targets_2020_to_2024():
    k = katalog_kanigaran()
    assert [d.kode for d in k.indikator] == ["TJ-1", "TJ-2", "IKU-1", "IKU-2", "IKU-3"]
    targets = {d.kode: [d.target.get(y) for y in range(2020, 2025)] for d in k.indikator}
    assert targets["IKU-1"] == [25, 30, 35, 40, 45]
    assert targets["IKU-2"] == [82.5, 83, 83.5, 84, 84.5]
    assert targets["IKU-3"] == [250, 255, 260, 265, 270]
    assert targets["TJ-1"] == [None] * 5  # the document sets no target for goal indicators
    assert tahun_target(k) == [2020, 2021, 2022, 2023, 2024]


def test_indicator_definitions():
    d = {i.kode: i for i in katalog_kanigaran().indikator}
    assert (d["TJ-1"].jenis, d["TJ-1"].polaritas, d["TJ-1"].rumus) == ("Tujuan", "Turun", formulas.PMKS)
    assert (d["IKU-1"].satuan, d["IKU-1"].rumus) == ("%", formulas.LKK)
    assert d["IKU-1"].penanggung_jawab == "Kasi Pemberdayaan Masyarakat"
    assert (d["IKU-2"].rumus, d["IKU-2"].penanggung_jawab) == (formulas.IKM, "Kasi Pelayanan")
    assert (d["IKU-3"].rumus, d["IKU-3"].penanggung_jawab) == (formulas.SIJINGGO, "Kasi Pemerintahan")
    assert all(i.rumus in formulas.RUMUS for i in d.values())


def test_master_lists():
    k = katalog_kanigaran()
    assert [(x.kode, x.nama) for x in k.kelurahan] == [
        ("35.74.04.1001", "Tisnonegaran"),
        ("35.74.04.1002", "Sukoharjo"),
        ("35.74.04.1003", "Kanigaran"),
        ("35.74.04.1004", "Kebonsari Wetan"),
        ("35.74.04.1005", "Curahgrinting"),
        ("35.74.04.1006", "Kebonsari Kulon"),
    ]
    assert len(k.jenis_pmks) == 26 and len(set(k.jenis_pmks)) == 26
    assert k.jenis_pmks[0] == "Anak Balita Terlantar" and k.jenis_pmks[-1] == "Komunitas Adat Terpencil"
    assert len(k.jenis_lkk) == 6
    assert [u.kode for u in k.unsur_skm] == [f"U{i}" for i in range(1, 10)]
    assert k.unsur_skm[7].nama.startswith("Penanganan Pengaduan")


def test_every_problem_code_is_explained_in_the_staff_guide():
    from pathlib import Path

    from iku_engine.problems import JENIS_MASALAH

    guide = (Path(__file__).resolve().parents[1] / "docs" / "PANDUAN.md").read_text("utf-8")
    assert [kode for kode in JENIS_MASALAH if f"`{kode}`" not in guide] == []
