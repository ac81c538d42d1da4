"""Corners of the numbers: legacy weights, blank PMKS, absurd values, how
people type numbers, Rekap Kelurahan with a blocked row (the decisions are in
docs/regulasi.md)."""

from __future__ import annotations

import json
import math

import pytest

from iku_engine import hitung
from iku_engine.models import LkkRow, Lokasi, Pengaturan, SkmInput, TableLocator
from iku_engine.numbers import NotANumber, parse_number
from tests.conftest import JAWABAN_TIGA, build_input, kelurahan
from tests.workbooks import copy_shipped, run_cli, set_cell_xml
from tests.xlwings_windows import call_udf, load_udf_module


def by_kode(hasil):
    return {h.kode: h for h in hasil.indikator}


def found(hasil, kode):
    return [m for m in hasil.masalah if m.kode == kode]


def survey_of(width: int, rows: list[list[object]]) -> SkmInput:
    return SkmInput(
        kolom_unsur=[f"U{j + 1}" for j in range(width)],
        unit_layanan=["Kecamatan"] * len(rows),
        jawaban=rows,
        lokasi=TableLocator(
            lembar="SKM",
            kolom={"unit_layanan": "C", **{f"U{j + 1}": f"X{j}" for j in range(width)}},
            baris=list(range(6, 6 + len(rows))),
        ),
    )


# --- legacy weights -------------------------------------------------------------


@pytest.mark.parametrize(("bobot", "width"), [("0,111", 14), ("0,11", 14), ("0,071", 9)])
def test_a_legacy_weight_that_does_not_fit_the_survey_is_refused(bobot, width):
    peng = Pengaturan(tahun=2021, bobot_ikm=bobot, versi_skm="2004" if width == 14 else "2017")
    peng.lokasi["bobot_ikm"] = Lokasi(lembar="Pengaturan", sel="B9")
    data = build_input(pengaturan=peng, skm=survey_of(width, [[4] * width, [3] * width]), unsur=[])
    hasil = hitung(data)
    [item] = found(hasil, "bobot-tidak-sesuai")
    assert (item.tingkat.value, item.lembar, item.sel) == ("Galat", "Pengaturan", "B9")
    assert bobot in item.pesan and f"memakai {width} unsur" in item.pesan
    assert by_kode(hasil)["IKU-2"].realisasi is None and hasil.skm.ikm is None


def test_a_legacy_weight_with_an_unanswered_unsur_is_refused_and_1_per_n_is_not():
    rows = [list(r) for r in JAWABAN_TIGA]
    for r in rows:
        r[4] = None  # nobody answered U5
    legacy = build_input(pengaturan=Pengaturan(tahun=2021, bobot_ikm="0.111"), skm=survey_of(9, rows))
    hasil = hitung(legacy)
    assert [m.tingkat.value for m in found(hasil, "bobot-lama-unsur-kosong")] == ["Galat"]
    assert hasil.skm.ikm is None
    exact = hitung(build_input(skm=survey_of(9, rows)))
    assert not found(exact, "bobot-lama-unsur-kosong") and exact.skm.ikm is not None
    assert [m.tingkat.value for m in found(exact, "unsur-tanpa-jawaban")] == ["Peringatan"]


def test_the_udf_refuses_a_legacy_weight_on_the_wrong_number_of_unsur():
    udfs = load_udf_module()
    rows = ((4.0,) * 14, (3.0,) * 14)
    assert call_udf(udfs, "IKU_IKM", rows, "0,111")[0][0] == "#NILAI! bobot 0,111 hanya untuk survei 9 unsur"
    # 14 unsur of NRR 3,5: 49 x 0,071 x 25 = 86,975 -> 86,98 (KepmenPAN 25/2004 weight)
    assert call_udf(udfs, "IKU_IKM", rows, "0,071")[0][0] == 86.98


# --- PMKS with a blank beside a count ----------------------------------------------


def test_a_blank_pmks_count_beside_a_number_blocks_tj1_and_names_the_cell():
    kel = [
        kelurahan("Kanigaran", [(10, 3)], [(10, 9), (None, 50)], 240),
        kelurahan("Kebonsari Kulon", [(5, 5)], [(40, 40)], 260),
    ]
    hasil = hitung(build_input(kelurahan=kel))
    [item] = found(hasil, "pmks-tidak-lengkap")
    assert (item.tingkat.value, item.lembar, item.sel, item.indikator) == (
        "Galat",
        "Kanigaran",
        "H8",
        ["TJ-1"],
    )
    assert "Tahun Lalu" in item.pesan and "50" in item.pesan
    assert by_kode(hasil)["TJ-1"].realisasi is None
    assert by_kode(hasil)["IKU-1"].realisasi is not None
    row = next(r for r in hasil.kelurahan if r.kelurahan == "Kanigaran")
    assert row.pmks_perubahan is None and "PMKS belum lengkap" in row.keterangan


def test_a_row_blank_on_both_sides_is_skipped_and_zero_counts():
    kel = [kelurahan("Kanigaran", [(10, 3)], [(10, 9), (0, 0)], 240)]
    hasil = hitung(build_input(kelurahan=kel))
    assert not found(hasil, "pmks-tidak-lengkap")
    assert by_kode(hasil)["TJ-1"].realisasi == pytest.approx(-10.0)


# --- absurd values -------------------------------------------------------------------


def test_absurd_counts_scores_and_targets_are_named_never_inf_or_nan():
    kel = [kelurahan("Kanigaran", [(1.7e308, 3)], [(1.7e308, 9)], 1.7e308)]
    indikator = build_input().indikator
    indikator[2] = indikator[2].model_copy(update={"target": {2021: 1e-310}})
    indikator[3] = indikator[3].model_copy(update={"target": {2021: 1.7e308}})
    hasil = hitung(build_input(kelurahan=kel, indikator=indikator))
    cells = {(m.lembar, m.sel) for m in found(hasil, "angka-tidak-wajar")}
    assert {
        ("Kanigaran", "C7"),
        ("Kanigaran", "H7"),
        ("Kanigaran", "C3"),
        ("IKU", "J7"),
        ("IKU", "J8"),
    } <= cells
    text = json.dumps(hasil.model_dump(mode="python"), allow_nan=False, default=str)
    assert "Infinity" not in text and "NaN" not in text


def test_iku_hitung_json_is_strict_on_absurd_input(tmp_path):
    path = copy_shipped(tmp_path)
    set_cell_xml(path, "Kanigaran", "B9", '<c r="B9"><v>1.7E+308</v></c>')
    set_cell_xml(path, "Kanigaran", "G9", '<c r="G9"><v>1.7E+308</v></c>')
    set_cell_xml(path, "IKU", "J8", '<c r="J8"><v>1E-310</v></c>')
    run = run_cli("hitung", str(path), "--json", "--output", str(tmp_path / "hasil.xlsm"))
    assert run.returncode == 2, run.stderr
    doc = json.loads(run.stdout, parse_constant=lambda name: pytest.fail(f"{name} in --json"))
    kodes = {(m["lembar"], m["sel"], m["kode"]) for m in doc["masalah"]}
    assert ("Kanigaran", "B9", "angka-tidak-wajar") in kodes and ("IKU", "J8", "angka-tidak-wajar") in kodes
    assert "tak terduga" not in run.stderr


# --- how people type numbers -----------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("\u22125", -5.0),  # U+2212 minus, as Word and phones type it
        ("\u2013 2,4", -2.4),  # an en dash
        ("(5)", -5.0),  # accounting brackets
        ("(1.234,5)", -1234.5),
        ("5 %", 5.0),
        ("1\u00a0234", 1234.0),  # a non-breaking space between thousands
        ("\u202f82,5\u00a0", 82.5),
    ],
)
def test_numbers_as_people_type_them(typed, number):
    assert parse_number(typed) == number


@pytest.mark.parametrize("typed", ["()", "(5", "5)", "−", "--5", "1,2,3"])
def test_what_is_still_not_a_number(typed):
    with pytest.raises(NotANumber):
        value = parse_number(typed)
        if value is None:
            raise NotANumber(typed)


def test_a_target_typed_with_a_unicode_minus_is_read_in_the_file_door(tmp_path):
    path = copy_shipped(tmp_path)
    set_cell_xml(path, "IKU", "J6", '<c r="J6" t="inlineStr"><is><t>\u22125</t></is></c>')
    run = run_cli("hitung", str(path), "--json", "--output", str(tmp_path / "hasil.xlsm"))
    doc = json.loads(run.stdout)
    tj1 = next(i for i in doc["indikator"] if i["kode"] == "TJ-1")
    assert tj1["target"] == -5.0 and tj1["capaian"] is not None


# --- Rekap Kelurahan ---------------------------------------------------------------


def test_rekap_kelurahan_marks_a_row_whose_data_blocked_the_indicator():
    kel = [
        kelurahan("Kanigaran", [(10, 3), (20, 6)], [(10, 9)], 240),
        kelurahan("Kebonsari Kulon", [(5, 5), (15, 0)], [(40, 40)], 260),
    ]
    kel[0].lkk.append(LkkRow(jenis_lembaga="X", jumlah="dua", difasilitasi=1))
    kel[0].lkk_lokasi.baris.append(9)
    hasil = hitung(build_input(kelurahan=kel))
    rows = {r.kelurahan: r for r in hasil.kelurahan}
    assert rows["Kanigaran"].lkk_persen is None
    assert "kelompok dan lembaga kemasyarakatan belum lengkap" in rows["Kanigaran"].keterangan
    assert (
        rows["Kebonsari Kulon"].lkk_persen == pytest.approx(25.0)
        and rows["Kebonsari Kulon"].keterangan is None
    )
    assert math.isclose(rows["Kanigaran"].pmks_perubahan, -10.0)  # its PMKS side stays computed
