"""``hitung`` on small hand-computed kecamatan data, and every problem type."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iku_engine import hitung
from iku_engine.models import IndikatorDef, LkkRow, Pengaturan, RiwayatRow, SkmInput
from tests.conftest import build_input, kelurahan


def by_kode(hasil):
    return {h.kode: h for h in hasil.indikator}


def codes(hasil):
    return [(m.tingkat.value, m.kode, m.lembar, m.sel) for m in hasil.masalah]


def test_hand_computed_kecamatan(data):
    hasil = hitung(data)
    h = by_kode(hasil)
    # LKK: (3 + 6 + 5 + 0) / (10 + 20 + 5 + 15) = 14 / 50
    assert h["IKU-1"].realisasi == pytest.approx(28.0)
    assert h["IKU-1"].capaian == pytest.approx(28 / 30 * 100)
    assert h["IKU-1"].predikat == "Sangat Tinggi"
    # IKM of the three respondents: 29 / 9 x 25 = 80.555... -> 80.56
    assert h["IKU-2"].realisasi == 80.56
    assert h["IKU-2"].capaian == pytest.approx(80.56 / 83 * 100)
    assert h["TJ-2"].realisasi == 80.56
    # PMKS: (36 + 54 - (40 + 60)) / 100 = -10 %
    assert h["TJ-1"].realisasi == pytest.approx(-10.0)
    assert h["TJ-1"].capaian is None
    # SIJINGGO: mean of the office (270) and the two kelurahan (240, 260)
    assert h["IKU-3"].realisasi == pytest.approx(770 / 3)
    assert h["IKU-3"].capaian == pytest.approx(770 / 3 / 255 * 100)
    assert codes(hasil) == [
        # The Kanigaran respondent left U3 blank: that unit's IKM uses eight unsur.
        ("Peringatan", "unsur-tanpa-jawaban-unit", "SKM", ""),
        ("Peringatan", "target-kosong", "IKU", "J5"),
        ("Peringatan", "target-kosong", "IKU", "J6"),
    ]
    warning = hasil.masalah[0].pesan
    assert "Kanigaran" in warning and "U3" in warning and "8 unsur (bobot 1/8)" in warning


def test_kelurahan_recap_and_units(data):
    hasil = hitung(data)
    rows = {r.kelurahan: r for r in hasil.kelurahan}
    assert list(rows) == ["Kanigaran", "Kebonsari Kulon", "Kantor Kecamatan", "Kecamatan (gabungan)"]
    assert rows["Kanigaran"].lkk_persen == pytest.approx(30.0)
    assert rows["Kebonsari Kulon"].pmks_perubahan == pytest.approx(-10.0)
    # one respondent each; unit names matched ignoring case and double spaces
    assert [rows[k].skm_responden for k in rows] == [1, 1, 1, 3]
    assert rows["Kantor Kecamatan"].ikm == 83.33  # 30 / 9 x 25
    assert rows["Kecamatan (gabungan)"].ikm == 80.56
    assert rows["Kecamatan (gabungan)"].sijinggo == pytest.approx(770 / 3)
    assert hasil.skm.unsur[2].jawaban == 2
    assert hasil.skm.unsur[2].nama == "Waktu Penyelesaian"


def test_facilitated_greater_than_total_blocks_only_lkk():
    data = build_input()
    data.kelurahan[0].lkk[1] = LkkRow(jenis_lembaga="Karang Taruna", jumlah=2, difasilitasi=6)
    hasil = hitung(data)
    h = by_kode(hasil)
    assert h["IKU-1"].realisasi is None
    assert "Validasi" in h["IKU-1"].keterangan
    assert h["IKU-2"].realisasi == 80.56
    problem = next(m for m in hasil.masalah if m.kode == "difasilitasi-melebihi-jumlah")
    assert (problem.tingkat.value, problem.lembar, problem.sel) == ("Galat", "Kanigaran", "D8")
    assert "Karang Taruna" in problem.pesan and "(6)" in problem.pesan
    assert problem.indikator == ["IKU-1"]


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("dua", "bukan-angka"),
        (-3, "angka-negatif"),
        (2.5, "bukan-bilangan-bulat"),
        ("2,5", "bukan-bilangan-bulat"),
    ],
)
def test_bad_counts_are_galat_with_their_cell(value, code):
    data = build_input()
    data.kelurahan[1].lkk[0] = LkkRow(jenis_lembaga="RT", jumlah=value, difasilitasi=0)
    hasil = hitung(data)
    assert ("Galat", code, "Kebonsari Kulon", "C7") in codes(hasil)
    assert by_kode(hasil)["IKU-1"].realisasi is None


def test_an_unreadable_count_is_reported_once():
    data = build_input()
    data.kelurahan[0].lkk[0] = LkkRow(jenis_lembaga="RT", jumlah="sepuluh", difasilitasi=3)
    assert [m.kode for m in hitung(data).masalah if m.tingkat == "Galat"] == ["bukan-angka"]


def test_counts_typed_as_text_are_read():
    data = build_input()
    data.kelurahan[0].lkk[0] = LkkRow(jenis_lembaga="RT", jumlah="10", difasilitasi=" 3 ")
    assert by_kode(hitung(data))["IKU-1"].realisasi == pytest.approx(28.0)


def test_answer_outside_1_to_4_blocks_the_ikm_indicators_only():
    data = build_input()
    data.skm.jawaban[1][2] = 5
    data.skm.jawaban[2][0] = "tiga"
    hasil = hitung(data)
    h = by_kode(hasil)
    assert h["IKU-2"].realisasi is None and h["TJ-2"].realisasi is None
    assert h["IKU-1"].realisasi == pytest.approx(28.0)
    found = [(m.kode, m.sel, m.indikator) for m in hasil.masalah if m.kode == "jawaban-di-luar-skala"]
    assert found == [
        ("jawaban-di-luar-skala", "K6", ["TJ-2", "IKU-2"]),
        ("jawaban-di-luar-skala", "I7", ["TJ-2", "IKU-2"]),
    ]
    assert hasil.skm.ikm is None


def test_many_wrong_answers_are_summarised():
    data = build_input()
    data.skm.jawaban = [[7] * 9 for _ in range(10)]
    data.skm.unit_layanan = ["Kecamatan"] * 10
    hasil = hitung(data)
    wrong = [m for m in hasil.masalah if m.kode == "jawaban-di-luar-skala"]
    assert len(wrong) == 20
    summary = next(m for m in hasil.masalah if m.kode == "jawaban-lain")
    assert "70" in summary.pesan


def test_no_respondents():
    hasil = hitung(build_input(skm=SkmInput()))
    assert ("Galat", "tanpa-responden") in [(m.tingkat.value, m.kode) for m in hasil.masalah]
    assert by_kode(hasil)["IKU-2"].realisasi is None
    assert by_kode(hasil)["IKU-3"].realisasi is not None


def test_last_year_pmks_total_zero():
    data = build_input(
        kelurahan=[
            kelurahan("Kanigaran", [(10, 3)], [(0, 4), (0, 0)]),
            kelurahan("Sukoharjo", [(4, 1)], [(0, 1)]),
        ]
    )
    hasil = hitung(data)
    assert by_kode(hasil)["TJ-1"].realisasi is None
    assert "pmks-tahun-lalu-nol" in [m.kode for m in hasil.masalah]


def test_missing_sijinggo_score_names_its_cell():
    data = build_input()
    data.kelurahan[1].sijinggo = None
    hasil = hitung(data)
    assert ("Galat", "sijinggo-kosong", "Kebonsari Kulon", "C3") in codes(hasil)
    assert by_kode(hasil)["IKU-3"].realisasi is None


def test_no_target_for_the_year():
    data = build_input(pengaturan=Pengaturan(tahun=2025, kecamatan="Kanigaran"))
    hasil = hitung(data)
    assert all(h.capaian is None for h in hasil.indikator)
    assert all(h.realisasi is not None for h in hasil.indikator)
    assert [m.kode for m in hasil.masalah].count("target-kosong") == 5


def test_negative_and_zero_targets():
    indikator = build_input().indikator
    indikator[0] = indikator[0].model_copy(update={"target": {2021: "-2"}})
    indikator[2] = indikator[2].model_copy(update={"target": {2021: 0}})
    hasil = hitung(build_input(indikator=indikator))
    h = by_kode(hasil)
    # PMKS fell 10 % against a target of -2 %: R/T = 500 %
    assert h["TJ-1"].capaian == pytest.approx(500.0)
    assert h["TJ-1"].predikat == "Sangat Tinggi"
    assert h["IKU-1"].capaian is None
    assert ("Peringatan", "target-nol", "IKU", "J7") in codes(hasil)


def test_a_percentage_typed_as_a_fraction_is_a_galat_naming_the_target_cell():
    indikator = build_input().indikator
    indikator[2] = indikator[2].model_copy(update={"target": {2021: 0.3}})  # 30 % stored as 0.3
    hasil = hitung(build_input(indikator=indikator))
    iku1 = by_kode(hasil)["IKU-1"]
    assert iku1.realisasi == pytest.approx(28.0) and iku1.capaian is None and iku1.predikat is None
    flagged = [m for m in hasil.masalah if m.kode == "target-pecahan"]
    assert [(m.tingkat.value, m.sel, m.indikator) for m in flagged] == [("Galat", "J7", ["IKU-1"])]
    assert "0,3" in flagged[0].pesan and "Ketik 30 tanpa tanda %" in flagged[0].pesan


def test_an_implausible_capaian_of_a_non_percent_indicator_is_only_a_warning():
    indikator = build_input().indikator
    indikator[4] = indikator[4].model_copy(update={"target": {2021: 0.5}})  # IKU-3, satuan Nilai
    hasil = hitung(build_input(indikator=indikator))
    flagged = [m for m in hasil.masalah if m.kode == "capaian-tidak-wajar"]
    assert [(m.tingkat.value, m.indikator) for m in flagged] == [("Peringatan", ["IKU-3"])]
    assert by_kode(hasil)["IKU-3"].capaian == pytest.approx(770 / 3 / 0.5 * 100)


def test_unknown_formula_key_and_polarity():
    extra = IndikatorDef(
        kode="X-1", indikator="Contoh", rumus="eval(1+1)", polaritas="Tetap", target={2021: 1}
    )
    data = build_input(indikator=[*build_input().indikator, extra])
    data.indikator_lokasi.baris.append(10)
    hasil = hitung(data)
    assert ("Galat", "rumus-tidak-dikenal", "IKU", "H10") in codes(hasil)
    assert ("Galat", "polaritas-tidak-dikenal", "IKU", "G10") in codes(hasil)
    assert by_kode(hasil)["X-1"].realisasi is None
    assert by_kode(hasil)["IKU-1"].realisasi == pytest.approx(28.0)


def test_unknown_unit_layanan_is_a_warning_and_still_pooled():
    data = build_input()
    data.skm.unit_layanan[1] = "Mayangan"
    hasil = hitung(data)
    assert ("Peringatan", "unit-layanan-tidak-dikenal", "SKM", "C6") in codes(hasil)
    assert hasil.skm.responden == 3
    assert by_kode(hasil)["IKU-2"].realisasi == 80.56


def test_each_unknown_unit_is_named_once_at_its_first_answered_row():
    data = build_input()
    data.skm.unit_layanan = ["Mayangan", "mayangan ", 12.0]
    data.skm.jawaban = [[None] * 9, *data.skm.jawaban[1:]]  # the first row has no answer
    hasil = hitung(data)
    unknown = [(m.sel, m.pesan) for m in hasil.masalah if m.kode == "unit-layanan-tidak-dikenal"]
    assert [sel for sel, _ in unknown] == ["C6", "C7"]
    assert "mayangan" in unknown[0][1] and "12" in unknown[1][1]
    assert hasil.skm.responden == 2


def test_kelurahan_without_lkk_is_a_warning():
    data = build_input(
        kelurahan=[kelurahan("Kanigaran", [(10, 3)], [(1, 1)]), kelurahan("Sukoharjo", [], [(1, 1)])]
    )
    hasil = hitung(data)
    assert ("Peringatan", "lkk-kosong", "Sukoharjo", "") in codes(hasil)
    assert by_kode(hasil)["IKU-1"].realisasi == pytest.approx(30.0)
    sukoharjo = next(r for r in hasil.kelurahan if r.kelurahan == "Sukoharjo")
    assert sukoharjo.lkk_persen is None


def test_sample_below_krejcie_morgan_minimum_warns():
    data = build_input(pengaturan=Pengaturan(tahun=2021, populasi_skm=100))
    hasil = hitung(data)
    warning = next(m for m in hasil.masalah if m.kode == "sampel-kurang")
    assert warning.tingkat.value == "Peringatan"
    assert "80" in warning.pesan
    assert hasil.skm.sampel_minimum == 80


def test_invalid_settings():
    data = build_input(pengaturan=Pengaturan(tahun="dua ribu", bobot_ikm="0,2"))
    hasil = hitung(data)
    assert {"tahun-tidak-valid", "pengaturan-tidak-valid"} <= {m.kode for m in hasil.masalah}
    assert all(h.realisasi is None for h in hasil.indikator)


def test_legacy_weight_setting_reaches_the_indicator():
    data = build_input(pengaturan=Pengaturan(tahun=2021, bobot_ikm="0,111"))
    assert by_kode(hitung(data))["IKU-2"].realisasi == 80.48


def test_riwayat_keeps_earlier_years_and_replaces_this_year():
    data = build_input(
        riwayat=[
            RiwayatRow(kode="IKU-1", tahun=2020, realisasi=24.0, sumber="manual"),
            RiwayatRow(kode="IKU-1", tahun=2021, realisasi=1.0, sumber="lama"),
        ]
    )
    rows = [(r.kode, r.tahun, r.realisasi, r.sumber) for r in hitung(data).riwayat]
    assert rows[:3] == [
        ("TJ-1", 2021, pytest.approx(-10.0), "Hitung IKU"),
        ("TJ-2", 2021, 80.56, "Hitung IKU"),
        ("IKU-1", 2020, 24.0, "manual"),
    ]
    assert ("IKU-1", 2021, pytest.approx(28.0), "Hitung IKU") in rows


def test_json_document_has_the_contract_keys(data):
    doc = hitung(data).model_dump(mode="json")
    assert {"tahun", "kecamatan", "indikator", "kelurahan", "skm", "masalah"} <= set(doc)
    assert {"kode", "satuan", "polaritas", "target", "realisasi", "capaian", "predikat"} <= set(
        doc["indikator"][0]
    )
    assert {"ikm", "mutu", "responden"} <= set(doc["skm"]) and "nrr" in doc["skm"]["unsur"][0]
    assert {"tingkat", "lembar", "sel", "kode", "pesan"} <= set(doc["masalah"][0])


counts = st.integers(0, 500)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(counts, counts), min_size=1, max_size=8))
def test_lkk_percentage_within_0_and_100_for_valid_input(pairs):
    lkk = [(max(a, b), min(a, b)) for a, b in pairs]
    hasil = hitung(build_input(kelurahan=[kelurahan("Kanigaran", lkk, [(1, 1)])]))
    value = by_kode(hasil)["IKU-1"].realisasi
    if sum(j for j, _ in lkk) == 0:
        assert value is None
    else:
        assert 0 <= value <= 100
