"""The worksheet functions as Excel on Windows calls them: through xlwings'
own decorators and conversion (``tests/xlwings_windows.py``), not as plain
Python. COM hands a range to ``conversion.read`` as a tuple of tuples and an
omitted optional argument as a marker; the result comes back as a 2-D list."""

from __future__ import annotations

import pytest

from tests.xlwings_windows import call_udf, load_udf_module


@pytest.fixture(scope="module")
def udfs():
    return load_udf_module()


def cell(udfs, name, *args):
    result = call_udf(udfs, name, *args)
    assert isinstance(result, list) and len(result) == 1 and len(result[0]) == 1, result
    return result[0][0]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((28.0, 30.0, "Naik"), 28 / 30 * 100),
        ((28.0, 30.0), 28 / 30 * 100),  # =IKU_CAPAIAN(r;t): polaritas is optional
        (("28", "30", "naik"), 28 / 30 * 100),
        (("6,5", 7.0, "Turun"), 107.14285714285714),
        ((-3.0, -2.0, "Turun"), 150.0),
    ],
)
def test_capaian(udfs, args, expected):
    assert cell(udfs, "IKU_CAPAIAN", *args) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((1.0, 0.0, "Naik"), "#DIV/0!"),
        (("dua", 1.0, "Naik"), "#NILAI! realisasi bukan angka"),
        ((1.0, None, "Naik"), "#NILAI! target kosong"),
        ((1.0, 2.0, "Tetap"), '#NILAI! polaritas harus "Naik" atau "Turun"'),
        (("#DIV/0!", 2.0), "#NILAI! realisasi bukan angka"),
        ((1e308, 1e-308), "#NILAI! hasil terlalu besar"),
    ],
)
def test_capaian_bad_input_returns_an_error_text(udfs, args, expected):
    assert cell(udfs, "IKU_CAPAIAN", *args) == expected


def test_predikat_mutu_persen_sampel(udfs):
    assert cell(udfs, "IKU_PREDIKAT", "91") == "Sangat Tinggi"
    assert cell(udfs, "IKU_PREDIKAT", 90.99) == "Tinggi"
    assert cell(udfs, "IKU_PREDIKAT", 1e308) == "Sangat Tinggi"
    assert cell(udfs, "IKU_PREDIKAT", "x") == "#NILAI! capaian bukan angka"
    assert cell(udfs, "IKU_MUTU", "76,61") == "B"
    assert cell(udfs, "IKU_MUTU", 76.605) == "B"  # rounded half up to 76.61 first
    assert cell(udfs, "IKU_MUTU", 76.6) == "C"
    assert cell(udfs, "IKU_MUTU", 120.0) == "#NILAI! IKM harus antara 25 dan 100"
    assert cell(udfs, "IKU_PERSEN", "14", "50") == pytest.approx(28.0)
    assert cell(udfs, "IKU_PERSEN", 1.0, 0.0) == "#DIV/0!"
    assert cell(udfs, "IKU_PERSEN", 1.7e308, 1.7e-308) == "#NILAI! hasil terlalu besar"
    assert cell(udfs, "IKU_SAMPEL_MINIMUM", 600.0) == 234
    assert cell(udfs, "IKU_SAMPEL_MINIMUM", "1.000") == 278
    assert cell(udfs, "IKU_SAMPEL_MINIMUM", 2.5) == "#NILAI! populasi harus bilangan bulat 1 atau lebih"


def test_ikm_from_a_range_with_blanks_and_legacy_weight(udfs):
    rows = (
        (4.0, 3.0, 3.0, 4.0, 3.0, 3.0, 4.0, 3.0, 3.0),
        (3.0, 3.0, None, 4.0, 3.0, 2.0, 4.0, 3.0, 3.0),
        (3.0, 4.0, 3.0, 4.0, 3.0, 3.0, 3.0, 2.0, 4.0),
    )
    assert cell(udfs, "IKU_IKM", rows) == 80.56
    assert cell(udfs, "IKU_IKM", rows, "0,111") == 80.48
    assert cell(udfs, "IKU_IKM", ((4.0, 3.0), (5.0, 1.0))) == "#NILAI! jawaban harus 1, 2, 3 atau 4"
    assert cell(udfs, "IKU_IKM", ((None, None),)) == "#NILAI! tidak ada jawaban"
    assert cell(udfs, "IKU_IKM", ((None, None), (None, None))) == "#NILAI! tidak ada jawaban"
    assert cell(udfs, "IKU_IKM", rows, "0.2") == "#NILAI! bobot harus 1/n, 0,111, 0,11 atau 0,071"
    assert cell(udfs, "IKU_IKM", (4.0, 3.0, 4.0)) == 91.67  # one row as a flat range


def test_every_udf_has_an_indonesian_docstring(udfs):
    names = [n for n in dir(udfs) if n.startswith("IKU_")]
    assert len(names) == 6
    for name in names:
        info = getattr(udfs, name).__xlfunc__
        doc = info["ret"]["doc"]
        assert any(w in doc for w in ("dari", "untuk", "terhadap", "sampai")), name
        assert all(not arg["doc"].startswith("Positional argument") for arg in info["args"]), name
