"""UDFs as plain Python (the xlwings decorators are transparent on Linux)."""

import pytest

from addin import udf


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((28, 30, "Naik"), 28 / 30 * 100),
        (("28", "30", "naik"), 28 / 30 * 100),
        (("6,5", 7, "Turun"), 107.14285714285714),
        ((-3, -2, "Turun"), 150.0),
    ],
)
def test_capaian(args, expected):
    assert udf.IKU_CAPAIAN(*args) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((1, 0, "Naik"), "#DIV/0!"),
        (("dua", 1, "Naik"), "#NILAI! realisasi bukan angka"),
        ((1, None, "Naik"), "#NILAI! target kosong"),
        ((1, 2, "Tetap"), '#NILAI! polaritas harus "Naik" atau "Turun"'),
    ],
)
def test_capaian_bad_input_returns_an_error_text(args, expected):
    assert udf.IKU_CAPAIAN(*args) == expected


def test_predikat_mutu_persen_sampel():
    assert udf.IKU_PREDIKAT("91") == "Sangat Tinggi"
    assert udf.IKU_PREDIKAT(90.99) == "Tinggi"
    assert udf.IKU_PREDIKAT("x") == "#NILAI! capaian bukan angka"
    assert udf.IKU_MUTU("76,61") == "B"
    assert udf.IKU_MUTU(76.605) == "B"  # rounded half up to 76.61 first
    assert udf.IKU_MUTU(76.6) == "C"
    assert udf.IKU_MUTU(120) == "#NILAI! IKM harus antara 25 dan 100"
    assert udf.IKU_PERSEN("14", "50") == pytest.approx(28.0)
    assert udf.IKU_PERSEN(1, 0) == "#DIV/0!"
    assert udf.IKU_SAMPEL_MINIMUM(600) == 234
    assert udf.IKU_SAMPEL_MINIMUM("1.000") == 278
    assert udf.IKU_SAMPEL_MINIMUM(2.5) == "#NILAI! populasi harus bilangan bulat 1 atau lebih"


def test_ikm_from_a_range_with_blanks_and_legacy_weight():
    rows = [
        [4, 3, 3, 4, 3, 3, 4, 3, 3],
        [3, 3, None, 4, 3, 2, 4, 3, 3],
        [3, 4, 3, 4, 3, 3, 3, 2, 4],
    ]
    assert udf.IKU_IKM(rows) == 80.56
    assert udf.IKU_IKM(rows, "0,111") == 80.48
    assert udf.IKU_IKM([[4, 3], [5, 1]]) == "#NILAI! jawaban harus 1, 2, 3 atau 4"
    assert udf.IKU_IKM([[None, ""]]) == "#NILAI! tidak ada jawaban"
    assert udf.IKU_IKM(rows, "0.2") == "#NILAI! bobot harus 1/n, 0,111, 0,11 atau 0,071"


def test_every_udf_has_an_indonesian_docstring_and_a_vba_wrapper():
    from addin.workbook_builder import VBA_DIR

    wrappers = (VBA_DIR / "xlwings_udfs.bas").read_text("utf-8")
    names = [n for n in dir(udf) if n.startswith("IKU_")]
    assert len(names) == 6
    for name in names:
        func = getattr(udf, name)
        assert func.__doc__ and any(w in func.__doc__ for w in ("dari", "untuk", "terhadap", "sampai"))
        params = list(func.__code__.co_varnames[: func.__code__.co_argcount])
        signature = f"Function {name}("
        line = next(line for line in wrappers.splitlines() if line.startswith(signature))
        assert [p.replace("Optional ", "").strip() for p in line[len(signature) : -1].split(",")] == params
        assert f'XLPy.CallUDF("addin.udf", "{name}"' in wrappers
