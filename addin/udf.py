"""Worksheet functions (xlwings UDFs) on the same engine as the button.

Each function accepts numbers typed as text with a decimal comma and returns
a readable Excel-style error text (``#NILAI! …``) for bad input instead of
raising. The wrappers that Excel calls are shipped in the workbook
(generated at build time), so nobody has to click "Import Functions".
The wrapper module in the workbook is generated at build time by xlwings'
own generator (``addin/vba/udf_wrappers.py``). xlwings converts a result by
its return type hint, and has no converter for a union such as
``float | str``: every function is therefore annotated ``-> Any`` and
returns a float or an Indonesian error text. Worksheet functions are an
xlwings feature of Excel on Windows; on the Mac they answer #NAME?.
"""

from __future__ import annotations

import math
from typing import Any

import xlwings as xw

from iku_engine import skm
from iku_engine.capaian import POLARITAS, hitung_capaian, predikat
from iku_engine.formulas import persen
from iku_engine.numbers import NotANumber, parse_number

NILAI = "#NILAI!"
BAGI_NOL = "#DIV/0!"


def _angka(value: Any, nama: str) -> Any:
    try:
        number = parse_number(value)
    except NotANumber:
        return f"{NILAI} {nama} bukan angka"
    if number is None:
        return f"{NILAI} {nama} kosong"
    return number


def _hasil(value: float | None) -> Any:
    """A result for the cell: the number, or an error text instead of inf or nothing."""
    if value is None:
        return BAGI_NOL
    if not math.isfinite(value):
        return f"{NILAI} hasil terlalu besar"
    return value


def _is_rows(value: Any) -> bool:
    """A 2-D range: xlwings gives lists of lists (COM hands tuples of tuples to ``conversion.read``)."""
    return isinstance(value, list | tuple) and bool(value) and isinstance(value[0], list | tuple)


def _flat(value: Any) -> list[Any]:
    if isinstance(value, list | tuple):
        return [v for item in value for v in _flat(item)]
    return [value]


@xw.func
@xw.arg("realisasi", doc="nilai realisasi")
@xw.arg("target", doc="nilai target (tidak boleh 0)")
@xw.arg("polaritas", doc='"Naik" bila makin tinggi makin baik, "Turun" bila makin rendah makin baik')
def IKU_CAPAIAN(realisasi: Any, target: Any, polaritas: Any = "Naik") -> Any:
    """Capaian kinerja (%) dari realisasi dan target, sesuai polaritas indikator."""
    r = _angka(realisasi, "realisasi")
    t = _angka(target, "target")
    for value in (r, t):
        if isinstance(value, str):
            return value
    arah = str(polaritas or "Naik").strip().capitalize()
    if arah not in POLARITAS:
        return f'{NILAI} polaritas harus "Naik" atau "Turun"'
    return _hasil(hitung_capaian(float(r), float(t), arah))


@xw.func
@xw.arg("capaian", doc="capaian kinerja dalam persen, mis. 93,5")
def IKU_PREDIKAT(capaian: Any) -> Any:
    """Predikat capaian (skala Permendagri 86/2017): Sangat Tinggi sampai Sangat Rendah."""
    value = _angka(capaian, "capaian")
    return value if isinstance(value, str) else predikat(value)


@xw.func
@xw.arg("jawaban", doc="rentang jawaban SKM (1-4), satu baris per responden, satu kolom per unsur")
@xw.arg("bobot", doc='opsional: "1/n" (bawaan, PermenPAN-RB 14/2017) atau bobot lama 0,111 / 0,11 / 0,071')
def IKU_IKM(jawaban: Any, bobot: Any = None) -> Any:
    """Indeks Kepuasan Masyarakat (skala 25-100) dari jawaban SKM; sel kosong tidak dihitung."""
    import numpy as np

    rows = [list(r) for r in jawaban] if _is_rows(jawaban) else [_flat(jawaban)]
    if not any(v not in (None, "") for row in rows for v in row):
        return f"{NILAI} tidak ada jawaban"
    choice = "1/n" if bobot in (None, "") else str(bobot).strip().replace(",", ".")
    if choice not in skm.PILIHAN_BOBOT:
        try:
            choice = f"{float(choice):g}"
        except ValueError:
            return f"{NILAI} bobot harus 1/n, 0,111, 0,11 atau 0,071"
        if choice not in skm.PILIHAN_BOBOT:
            return f"{NILAI} bobot harus 1/n, 0,111, 0,11 atau 0,071"
    answers = np.full((len(rows), max(len(r) for r in rows)), np.nan)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            number = _angka(value, "jawaban") if value not in (None, "") else None
            if isinstance(number, str):
                return number
            if number is not None:
                if number not in (1, 2, 3, 4):
                    return f"{NILAI} jawaban harus 1, 2, 3 atau 4"
                answers[i, j] = number
    if choice != "1/n" and answers.shape[1] != skm.UNSUR_BOBOT_LAMA[choice]:
        return f"{NILAI} bobot {str(bobot).strip()} hanya untuk survei {skm.UNSUR_BOBOT_LAMA[choice]} unsur"
    result = skm.hitung_ikm(answers, choice).ikm
    return f"{NILAI} tidak ada jawaban" if result is None else _hasil(result)


@xw.func
@xw.arg("ikm", doc="IKM pada skala 25-100")
def IKU_MUTU(ikm: Any) -> Any:
    """Mutu pelayanan (A, B, C, D) dari IKM, PermenPAN-RB 14/2017."""
    value = _angka(ikm, "IKM")
    if isinstance(value, str):
        return value
    if not 25 <= value <= 100:
        return f"{NILAI} IKM harus antara 25 dan 100"
    from iku_engine.numbers import round_half_up

    return skm.mutu(round_half_up(value, 2)).mutu


@xw.func
@xw.arg("bagian", doc="jumlah bagian, mis. lembaga yang difasilitasi")
@xw.arg("total", doc="jumlah seluruhnya")
def IKU_PERSEN(bagian: Any, total: Any) -> Any:
    """Persentase bagian terhadap total (bagian / total x 100)."""
    b = _angka(bagian, "bagian")
    t = _angka(total, "total")
    for value in (b, t):
        if isinstance(value, str):
            return value
    return _hasil(persen(float(b), float(t)))


@xw.func
@xw.arg("populasi", doc="jumlah populasi penerima layanan")
def IKU_SAMPEL_MINIMUM(populasi: Any) -> Any:
    """Jumlah responden minimum SKM (Krejcie & Morgan) untuk populasi tertentu."""
    value = _angka(populasi, "populasi")
    if isinstance(value, str):
        return value
    if value < 1 or not float(value).is_integer():
        return f"{NILAI} populasi harus bilangan bulat 1 atau lebih"
    return skm.sampel_minimum(int(value))
