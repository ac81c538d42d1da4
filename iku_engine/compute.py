"""``hitung``: one kecamatan-year of inputs in, results and problems out."""

from __future__ import annotations

import itertools
import math
import re

import numpy as np

from . import formulas, skm
from .capaian import NAIK, POLARITAS, hitung_capaian, predikat
from .models import (
    HasilIKU,
    HasilIndikator,
    HasilSkm,
    IkuInput,
    KelurahanInput,
    RekapKelurahan,
    RekapSkm,
    RekapUnsur,
    RiwayatRow,
    SkmInput,
    TableLocator,
)
from .numbers import CellValue, NotANumber, error_shown, is_excel_error, is_whole, parse_number
from .problems import Lokasi, Masalah, Tingkat, masalah

UNIT_KECAMATAN = "Kecamatan"
BARIS_KANTOR = "Kantor Kecamatan"
BARIS_JUMLAH = "Kecamatan (gabungan)"  # sums of counts, means of scores, the pooled IKM
SUMBER_HITUNG = "Hitung IKU"
# A survey can hold thousands of wrong answers; list the first ones only.
BATAS_MASALAH_JAWABAN = 20
# Product decision (no rule): a capaian outside this range is almost always a
# unit mistake (a percentage typed as a fraction), so it is flagged, not changed.
CAPAIAN_WAJAR = (-200.0, 300.0)
# Product decisions (docs/regulasi.md): bounds that no real value reaches, so a
# value beyond them is a typing slip, named instead of computed.
BATAS_JUMLAH = 10_000_000  # a count of groups or PMKS: more than any city's population
BATAS_SIJINGGO = (0.0, 10_000.0)  # SIJINGGO scores (targets 250-270)
BATAS_TARGET = 1e9  # |target|; a target closer to 0 than 1e-9 (but not 0) is refused too


class _Collector:
    def __init__(self) -> None:
        self.items: list[Masalah] = []

    def add(self, item: Masalah) -> None:
        self.items.append(item)

    def at(self, lokasi: Lokasi) -> bool:
        """Whether a problem was already reported for this cell."""
        return bool(lokasi.sel) and any(m.lembar == lokasi.lembar and m.sel == lokasi.sel for m in self.items)

    def blocks(self, rumus: str) -> bool:
        return any(m.rumus == rumus and m.tingkat == Tingkat.GALAT for m in self.items)


def _not_a_number(value: CellValue, lokasi: Lokasi, rumus: str | None, kolom: str) -> Masalah:
    """``bukan-angka``, or ``nilai-galat-excel`` naming the cell when it holds #DIV/0!, #N/A, ..."""
    if is_excel_error(value):
        sel = f"{lokasi.lembar}!{lokasi.sel}" if lokasi.sel else lokasi.lembar
        return masalah("nilai-galat-excel", lokasi, rumus, nilai=error_shown(value), kolom=kolom, sel=sel)
    return masalah("bukan-angka", lokasi, rumus, nilai=value, kolom=kolom)


def _count(value: CellValue, lokasi: Lokasi, kolom: str, rumus: str, out: _Collector) -> float | None:
    """A whole, non-negative count; blank is None; bad values become problems."""
    try:
        number = parse_number(value)
    except NotANumber:
        out.add(_not_a_number(value, lokasi, rumus, kolom))
        return None
    if number is None:
        return None
    if number < 0:
        out.add(masalah("angka-negatif", lokasi, rumus, nilai=_fmt(number), kolom=kolom))
        return None
    if number > BATAS_JUMLAH:
        batas = f"lebih dari {_fmt(BATAS_JUMLAH)}"
        out.add(masalah("angka-tidak-wajar", lokasi, rumus, nilai=_fmt(number), kolom=kolom, batas=batas))
        return None
    if not is_whole(number):
        out.add(masalah("bukan-bilangan-bulat", lokasi, rumus, nilai=_fmt(number), kolom=kolom))
        return None
    return number


def _fmt(number: float) -> str:
    text = f"{number:.10g}"
    return text.replace(".", ",")


def _text(value: CellValue) -> str:
    return "" if value is None else str(value).strip()


# --- kelurahan tables ------------------------------------------------------


def _lkk(kel: KelurahanInput, out: _Collector) -> tuple[float, float] | None:
    jumlah_total = difasilitasi_total = 0.0
    rows = 0
    loc = kel.lkk_lokasi
    for i, row in enumerate(kel.lkk):
        jumlah = _count(row.jumlah, loc.at(i, "jumlah"), "Jumlah", formulas.LKK, out)
        difasilitasi = _count(row.difasilitasi, loc.at(i, "difasilitasi"), "Difasilitasi", formulas.LKK, out)
        if jumlah is None and difasilitasi is None:
            continue
        rows += 1
        if out.at(loc.at(i, "jumlah")) or out.at(loc.at(i, "difasilitasi")):
            continue  # already reported; comparing an unreadable cell says nothing more
        if (difasilitasi or 0) > (jumlah or 0):
            out.add(
                masalah(
                    "difasilitasi-melebihi-jumlah",
                    loc.at(i, "difasilitasi"),
                    formulas.LKK,
                    difasilitasi=_fmt(difasilitasi or 0),
                    jumlah=_fmt(jumlah or 0),
                    lembaga=_text(row.jenis_lembaga),
                )
            )
            continue
        jumlah_total += jumlah or 0
        difasilitasi_total += difasilitasi or 0
    if rows == 0:
        out.add(masalah("lkk-kosong", Lokasi(lembar=loc.lembar), kelurahan=kel.nama))
        return None
    return jumlah_total, difasilitasi_total


def _pmks(kel: KelurahanInput, out: _Collector) -> tuple[float, float]:
    lalu_total = ini_total = 0.0
    loc = kel.pmks_lokasi
    for i, row in enumerate(kel.pmks):
        lalu = _count(row.tahun_lalu, loc.at(i, "tahun_lalu"), "Tahun Lalu", formulas.PMKS, out)
        ini = _count(row.tahun_ini, loc.at(i, "tahun_ini"), "Tahun Ini", formulas.PMKS, out)
        # A blank beside a count is missing data, not zero (it would move the
        # change by the whole other count): named, and TJ-1 waits for it.
        for blank, other, key, kolom in (
            (lalu, ini, "tahun_lalu", "Tahun Lalu"),
            (ini, lalu, "tahun_ini", "Tahun Ini"),
        ):
            raw = row.tahun_lalu if key == "tahun_lalu" else row.tahun_ini
            if blank is None and other is not None and (raw is None or str(raw).strip() == ""):
                out.add(
                    masalah(
                        "pmks-tidak-lengkap",
                        loc.at(i, key),
                        formulas.PMKS,
                        kolom=kolom,
                        jenis=_text(row.jenis_pmks),
                        nilai=_fmt(other),
                    )
                )
        lalu_total += lalu or 0
        ini_total += ini or 0
    return lalu_total, ini_total


def _sijinggo(value: CellValue, lokasi: Lokasi, unit: str, out: _Collector) -> float | None:
    try:
        number = parse_number(value)
    except NotANumber:
        out.add(_not_a_number(value, lokasi, formulas.SIJINGGO, "Nilai SIJINGGO"))
        return None
    if number is None:
        out.add(masalah("sijinggo-kosong", lokasi, formulas.SIJINGGO, unit=unit))
        return None
    low, high = BATAS_SIJINGGO
    if not low <= number <= high:
        batas = f"di luar {_fmt(low)} sampai {_fmt(high)}"
        item = masalah(
            "angka-tidak-wajar",
            lokasi,
            formulas.SIJINGGO,
            nilai=_fmt(number),
            kolom="Nilai SIJINGGO",
            batas=batas,
        )
        out.add(item)
        return None
    return number


# --- survey -----------------------------------------------------------------


def _skm_answers(data: SkmInput, out: _Collector) -> np.ndarray:
    """Answers as floats (NaN = blank); wrong cells become problems and NaN."""
    width = len(data.kolom_unsur)
    rows = data.jawaban
    if not rows:
        return np.empty((0, width))
    kinds = set(map(type, itertools.chain.from_iterable(rows)))
    if kinds <= {int, float, type(None)} and set(map(len, rows)) == {width}:
        answers = np.array(rows, dtype=float)
        bad_text: list[tuple[int, int, CellValue]] = []
    else:
        answers = np.full((len(rows), width), np.nan)
        bad_text = []
        for i, row in enumerate(rows):
            for j, value in enumerate(row[:width]):
                try:
                    number = parse_number(value)
                except NotANumber:
                    bad_text.append((i, j, value))
                    continue
                if number is not None:
                    answers[i, j] = number
    valid = ~np.isnan(answers)
    out_of_scale = valid & ((answers < 1) | (answers > 4) | (answers != np.floor(answers)))
    bad = [(int(i), int(j), answers[i, j]) for i, j in zip(*np.nonzero(out_of_scale), strict=True)]
    bad_all = sorted(bad + [(i, j, v) for i, j, v in bad_text])
    for i, j, value in bad_all[:BATAS_MASALAH_JAWABAN]:
        shown = _fmt(value) if isinstance(value, float) else value
        kolom = data.kolom_unsur[j]
        lokasi = data.lokasi.at(i, kolom)
        if is_excel_error(value):
            out.add(_not_a_number(value, lokasi, formulas.IKM, f"jawaban {kolom}"))
            continue
        out.add(masalah("jawaban-di-luar-skala", lokasi, formulas.IKM, nilai=shown, kolom=kolom))
    if len(bad_all) > BATAS_MASALAH_JAWABAN:
        out.add(
            masalah(
                "jawaban-lain",
                Lokasi(lembar=data.lokasi.lembar),
                formulas.IKM,
                jumlah=len(bad_all) - BATAS_MASALAH_JAWABAN,
                ditampilkan=BATAS_MASALAH_JAWABAN,
            )
        )
    answers[out_of_scale] = np.nan
    return answers


def _normal_unit(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def _rekap_unsur(kode: list[str], nama: list[str], inti: skm.IkmInti) -> list[RekapUnsur]:
    result = []
    for j, code in enumerate(kode):
        nrr = float(inti.nrr[j]) if inti.jawaban[j] else None
        weight = float(inti.bobot[j])
        result.append(
            RekapUnsur(
                kode=code,
                nama=nama[j],
                jawaban=int(inti.jawaban[j]),
                nrr=nrr,
                bobot=weight,
                nrr_tertimbang=nrr * weight if nrr is not None else None,
            )
        )
    return result


def _rekap(
    unit: str,
    responden: int,
    inti: skm.IkmInti,
    kode: list[str],
    nama: list[str],
    versi: str,
    blocked: bool,
    minimum: int | None,
) -> RekapSkm:
    ikm = None if blocked else inti.ikm
    band = skm.mutu(ikm, versi) if ikm is not None else None
    return RekapSkm(
        unit=unit,
        responden=responden,
        sampel_minimum=minimum,
        ikm_nilai=None if blocked else inti.ikm_nilai,
        ikm_mentah=None if blocked else inti.ikm_mentah,
        ikm=ikm,
        mutu=band.mutu if band else None,
        kinerja=band.kinerja if band else None,
        unsur=_rekap_unsur(kode, nama, inti),
    )


def _skm(data: IkuInput, versi: str, bobot: str, populasi: int | None, out: _Collector) -> HasilSkm:
    survey = data.skm
    kode = list(survey.kolom_unsur)
    names = {u.kode.strip().upper(): u.nama for u in data.unsur}
    baku = skm.VERSI_SKM[versi]
    nama: list[str] = []
    for j, code in enumerate(kode):
        given = names.get(code.strip().upper())
        if given is None:
            nama.append(baku.unsur[j].nama if j < len(baku.unsur) else code)
            continue
        index = skm.cocokkan_unsur(given, versi)
        if index is None:
            out.add(masalah("unsur-tidak-dikenal", None, nama=given, unsur=code, peraturan=baku.peraturan))
            nama.append(given)
        else:
            nama.append(baku.unsur[index].nama)
    if len(kode) != len(baku.unsur):
        out.add(
            masalah(
                "unsur-tidak-lengkap",
                Lokasi(lembar=survey.lokasi.lembar),
                jumlah=len(kode),
                peraturan=baku.peraturan,
                baku=len(baku.unsur),
            )
        )

    answers = _skm_answers(survey, out)
    answered_rows = ~np.isnan(answers).all(axis=1) if answers.size else np.zeros(len(answers), bool)
    n_resp = int(answered_rows.sum())
    if n_resp == 0:
        out.add(masalah("tanpa-responden", Lokasi(lembar=survey.lokasi.lembar), formulas.IKM))
    for j, code in enumerate(kode):
        if n_resp and not (~np.isnan(answers[:, j])).any():
            out.add(
                masalah(
                    "unsur-tanpa-jawaban",
                    Lokasi(lembar=survey.lokasi.lembar),
                    unsur=code,
                    nama=nama[j],
                    kolom=code,
                )
            )

    # Group respondents by unit layanan: the kecamatan office, then each kelurahan.
    units = [UNIT_KECAMATAN] + [k.nama for k in data.kelurahan]
    index_of = {_normal_unit(u): i for i, u in enumerate(units)}
    unknown = len(units)
    groups = np.full(len(answers), unknown, dtype=np.int64)
    # A survey repeats a handful of unit names thousands of times: each distinct cell once.
    raw_units = survey.unit_layanan[: len(answers)]
    keys = list(zip(map(type, raw_units), raw_units, strict=True))
    found_for = {key: index_of.get(_normal_unit(_text(key[1])), unknown) for key in set(keys)}
    groups[: len(keys)] = np.fromiter(map(found_for.__getitem__, keys), dtype=np.int64, count=len(keys))
    reported: set[str] = set()
    for i in np.flatnonzero((groups[: len(keys)] == unknown) & answered_rows[: len(keys)]).tolist():
        name = _text(raw_units[i])
        if name.casefold() not in reported:
            reported.add(name.casefold())
            out.add(masalah("unit-layanan-tidak-dikenal", survey.lokasi.at(i, "unit_layanan"), nilai=name))

    unanswered = [j for j in range(len(kode)) if n_resp and not (~np.isnan(answers[:, j])).any()]
    if bobot != "1/n":
        lokasi_bobot = data.pengaturan.lokasi.get("bobot_ikm", Lokasi())
        shown = bobot.replace(".", ",")
        baku_n = skm.UNSUR_BOBOT_LAMA[bobot]
        if len(kode) != baku_n:
            out.add(
                masalah(
                    "bobot-tidak-sesuai",
                    lokasi_bobot,
                    formulas.IKM,
                    bobot=shown,
                    baku=baku_n,
                    jumlah=len(kode),
                )
            )
        elif unanswered:
            out.add(
                masalah(
                    "bobot-lama-unsur-kosong",
                    lokasi_bobot,
                    formulas.IKM,
                    bobot=shown,
                    jumlah=len(kode),
                    unsur=", ".join(kode[j] for j in unanswered),
                )
            )

    blocked = out.blocks(formulas.IKM)
    minimum = skm.sampel_minimum(populasi) if populasi else None
    kode_jawaban = skm.kodekan(answers[answered_rows])
    overall = skm.ikm_dari_frekuensi(skm.frekuensi(kode_jawaban), bobot)
    if minimum is not None and n_resp and n_resp < minimum:
        out.add(
            masalah(
                "sampel-kurang",
                Lokasi(lembar=survey.lokasi.lembar),
                unit="seluruh unit pelayanan",
                responden=n_resp,
                minimum=minimum,
                populasi=populasi,
            )
        )
    rekap = _rekap("Gabungan", n_resp, overall, kode, nama, versi, blocked, minimum)

    n_groups = len(units) + 1
    per_group = skm.frekuensi_per_kelompok(kode_jawaban, groups[answered_rows], n_groups)
    respondents = np.bincount(groups[answered_rows], minlength=n_groups)
    per_unit = []
    for g, unit in enumerate(units):
        counts = per_group[g].sum(axis=1) if len(kode_jawaban) else np.zeros(len(kode), dtype=np.int64)
        missing = [j for j in range(len(kode)) if counts[j] == 0 and j not in unanswered]
        unit_blocked = blocked
        if respondents[g] and missing:
            answered_here = len(kode) - len(missing) - len(unanswered)
            if bobot == "1/n":
                akibat = f"IKM unit ini dihitung dari {answered_here} unsur (bobot 1/{answered_here})."
            else:
                akibat = "IKM unit ini tidak dihitung, karena bobot lama mengandaikan semua unsur dijawab."
                unit_blocked = True
            for j in missing:
                out.add(
                    masalah(
                        "unsur-tanpa-jawaban-unit",
                        Lokasi(lembar=survey.lokasi.lembar),
                        unit=unit,
                        unsur=f"{kode[j]} ({nama[j]})",
                        akibat=akibat,
                    )
                )
        inti = skm.ikm_dari_frekuensi(per_group[g], bobot)
        per_unit.append(_rekap(unit, int(respondents[g]), inti, kode, nama, versi, unit_blocked, None))

    return HasilSkm(**rekap.model_dump(), populasi=populasi, versi=versi, bobot=bobot, per_unit=per_unit)


# --- settings -----------------------------------------------------------------


def _choice(
    value: str, pilihan: tuple[str, ...], nama: str, default: str, lokasi: Lokasi, out: _Collector
) -> str:
    text = _text(value).replace(",", ".")
    if text in pilihan:
        return text
    if text == "":
        return default
    out.add(
        masalah(
            "pengaturan-tidak-valid", lokasi, formulas.IKM, nama=nama, nilai=value, pilihan=", ".join(pilihan)
        )
    )
    return default


def _tahun(value: CellValue, lokasi: Lokasi, out: _Collector) -> int | None:
    try:
        number = parse_number(value)
    except NotANumber:
        number = None
    if number is None or not is_whole(number) or not 1900 <= number <= 2200:
        shown = f"'{_text(value)}'" if _text(value) else "(kosong)"  # a blank cell is named as blank
        out.add(masalah("tahun-tidak-valid", lokasi, nilai=shown))
        return None
    return int(number)


# --- the computation ---------------------------------------------------------------


def hitung(data: IkuInput) -> HasilIKU:
    """Compute every indicator of ``data`` for its reporting year."""
    out = _Collector()
    for item in data.masalah_pembacaan:
        out.add(item.model_copy())
    peng = data.pengaturan
    tahun = _tahun(peng.tahun, peng.lokasi.get("tahun", Lokasi()), out)
    versi = _choice(
        peng.versi_skm, tuple(skm.VERSI_SKM), "Versi SKM", "2017", peng.lokasi.get("versi_skm", Lokasi()), out
    )
    bobot = _choice(
        peng.bobot_ikm, skm.PILIHAN_BOBOT, "Bobot IKM", "1/n", peng.lokasi.get("bobot_ikm", Lokasi()), out
    )
    populasi_value = _count(
        peng.populasi_skm, peng.lokasi.get("populasi_skm", Lokasi()), "Populasi SKM", formulas.IKM, out
    )
    populasi = int(populasi_value) if populasi_value else None

    agregat = formulas.Agregat()
    rekap_kel: list[RekapKelurahan] = []
    for kel in data.kelurahan:
        before = len(out.items)
        lkk = _lkk(kel, out)
        lkk_galat = _galat_since(out, before, formulas.LKK)
        before = len(out.items)
        lalu, ini = _pmks(kel, out)
        pmks_galat = _galat_since(out, before, formulas.PMKS)
        score = _sijinggo(kel.sijinggo, kel.sijinggo_lokasi, f"Kelurahan {kel.nama}", out)
        incomplete = [
            name
            for name, bad in (("kelompok dan lembaga kemasyarakatan", lkk_galat), ("PMKS", pmks_galat))
            if bad
        ]
        if lkk is not None:
            agregat.lkk_jumlah += lkk[0]
            agregat.lkk_difasilitasi += lkk[1]
        agregat.pmks_tahun_lalu += lalu
        agregat.pmks_tahun_ini += ini
        if score is not None:
            agregat.sijinggo.append(score)
        rekap_kel.append(
            RekapKelurahan(
                kelurahan=kel.nama,
                lkk_jumlah=lkk[0] if lkk else None,
                lkk_difasilitasi=lkk[1] if lkk else None,
                lkk_persen=formulas.persen(lkk[1], lkk[0]) if lkk and not lkk_galat else None,
                pmks_tahun_lalu=lalu,
                pmks_tahun_ini=ini,
                pmks_perubahan=None if pmks_galat else formulas.persen_perubahan(ini, lalu),
                sijinggo=score,
                keterangan=(
                    f"Data {' dan '.join(incomplete)} belum lengkap (ada galat, lihat lembar Validasi); "
                    "jumlah di baris ini tanpa baris yang bergalat."
                    if incomplete
                    else None
                ),
            )
        )
    office = _sijinggo(data.sijinggo_kecamatan, data.sijinggo_kecamatan_lokasi, "kantor kecamatan", out)
    if office is not None:
        agregat.sijinggo.insert(0, office)
    if agregat.lkk_jumlah == 0 and not out.blocks(formulas.LKK):
        out.add(masalah("lkk-total-nol", None, formulas.LKK))
    if agregat.pmks_tahun_lalu == 0:
        out.add(masalah("pmks-tahun-lalu-nol", None, formulas.PMKS))

    hasil_skm = _skm(data, versi, bobot, populasi, out)
    agregat.ikm = hasil_skm.ikm

    for row, unit in zip(rekap_kel, hasil_skm.per_unit[1:], strict=True):
        row.skm_responden, row.ikm, row.mutu = unit.responden, unit.ikm, unit.mutu
    kantor = hasil_skm.per_unit[0]
    rekap_kel.append(
        RekapKelurahan(
            kelurahan=BARIS_KANTOR,
            sijinggo=office,
            skm_responden=kantor.responden,
            ikm=kantor.ikm,
            mutu=kantor.mutu,
        )
    )
    rekap_kel.append(
        RekapKelurahan(
            kelurahan=BARIS_JUMLAH,
            lkk_jumlah=agregat.lkk_jumlah,
            lkk_difasilitasi=agregat.lkk_difasilitasi,
            lkk_persen=None
            if out.blocks(formulas.LKK)
            else formulas.persen(agregat.lkk_difasilitasi, agregat.lkk_jumlah),
            pmks_tahun_lalu=agregat.pmks_tahun_lalu,
            pmks_tahun_ini=agregat.pmks_tahun_ini,
            pmks_perubahan=None
            if out.blocks(formulas.PMKS)
            else formulas.persen_perubahan(agregat.pmks_tahun_ini, agregat.pmks_tahun_lalu),
            sijinggo=None if out.blocks(formulas.SIJINGGO) else formulas.rata_rata(agregat.sijinggo),
            skm_responden=hasil_skm.responden,
            ikm=hasil_skm.ikm,
            mutu=hasil_skm.mutu,
        )
    )

    indikator = [_indikator(d_index, data, tahun, agregat, out) for d_index in range(len(data.indikator))]

    kodes_by_rumus: dict[str, list[str]] = {}
    for d in data.indikator:
        kodes_by_rumus.setdefault(d.rumus.strip(), []).append(d.kode)
    for m in out.items:
        if m.rumus and not m.indikator:
            m.indikator = kodes_by_rumus.get(m.rumus, [])

    return HasilIKU(
        tahun=tahun,
        kecamatan=peng.kecamatan,
        kota=peng.kota,
        indikator=indikator,
        kelurahan=rekap_kel,
        skm=hasil_skm,
        riwayat=_riwayat(data, tahun, indikator),
        masalah=out.items,
    )


def _indikator(
    index: int, data: IkuInput, tahun: int | None, agregat: formulas.Agregat, out: _Collector
) -> HasilIndikator:
    d = data.indikator[index]
    loc: TableLocator = data.indikator_lokasi
    rumus_key = d.rumus.strip()
    polaritas = d.polaritas.strip().capitalize()
    notes: list[str] = []
    ok = True
    rumus = formulas.RUMUS.get(rumus_key)
    if rumus is None:
        item = masalah(
            "rumus-tidak-dikenal",
            loc.at(index, "rumus"),
            None,
            kunci=d.rumus,
            indikator=d.kode,
            pilihan=", ".join(formulas.RUMUS),
        )
        item.indikator = [d.kode]
        out.add(item)
        ok = False
    if polaritas not in POLARITAS:
        item = masalah(
            "polaritas-tidak-dikenal", loc.at(index, "polaritas"), None, nilai=d.polaritas, indikator=d.kode
        )
        item.indikator = [d.kode]
        out.add(item)
        ok = False

    target: float | None = None
    if tahun is not None:
        raw = d.target.get(tahun)
        lokasi = loc.at(index, str(tahun))
        try:
            target = parse_number(raw)
        except NotANumber:
            item = _not_a_number(raw, lokasi, None, f"target {tahun}")
            item.indikator = [d.kode]
            out.add(item)
            ok = False
        else:
            if target is None:
                item = masalah("target-kosong", lokasi, None, tahun=tahun, indikator=d.kode)
                item.indikator = [d.kode]
                out.add(item)
                notes.append(f"Target {tahun} belum diisi.")
            elif not (target == 0 or 1e-9 <= abs(target) <= BATAS_TARGET):
                batas = f"di luar ±{_fmt(BATAS_TARGET)} atau terlalu dekat ke 0"
                item = masalah(
                    "angka-tidak-wajar",
                    lokasi,
                    None,
                    nilai=_fmt(target),
                    kolom=f"target {tahun}",
                    batas=batas,
                )
                item.indikator = [d.kode]
                out.add(item)
                target = None
                ok = False
            elif target == 0:
                item = masalah("target-nol", lokasi, None, tahun=tahun, indikator=d.kode)
                item.indikator = [d.kode]
                out.add(item)
                notes.append("Target 0: capaian tidak dapat dihitung.")

    realisasi = None
    if rumus is not None and tahun is not None:
        if out.blocks(rumus.kunci):
            notes.insert(0, "Tidak dihitung: ada galat pada data, lihat lembar Validasi.")
        else:
            realisasi = rumus.hitung(agregat)
            if realisasi is None:
                notes.insert(0, "Tidak dapat dihitung, lihat lembar Validasi.")

    capaian = pred = None
    if ok and realisasi is not None and target is not None and target != 0:
        capaian = hitung_capaian(realisasi, target, polaritas)
        if capaian is not None and not math.isfinite(capaian):
            capaian = None  # cannot happen within the bounds above; never write inf
        wajar = capaian is not None and CAPAIAN_WAJAR[0] <= capaian <= CAPAIAN_WAJAR[1]
        if capaian is not None and not wajar and _persen(d.satuan) and 0 < abs(target) <= 1:
            # Excel stores a target typed as 30% as 0.3. Every door reads the stored
            # value (the server door cannot see number formats), so the engine names it.
            item = masalah(
                "target-pecahan",
                loc.at(index, str(tahun)),
                None,
                tahun=tahun,
                indikator=d.kode,
                nilai=_fmt(target),
                persen=_fmt(round(target * 100, 6)),
            )
            item.indikator = [d.kode]
            out.add(item)
            notes.append("Tidak dihitung: target tersimpan sebagai pecahan, lihat lembar Validasi.")
            capaian = None
        if capaian is not None:
            pred = predikat(capaian, data.pengaturan.skala_predikat)
            if not wajar:
                item = masalah(
                    "capaian-tidak-wajar",
                    loc.at(index, str(tahun)),
                    None,
                    indikator=d.kode,
                    capaian=_fmt(round(capaian, 1)),
                )
                item.indikator = [d.kode]
                out.add(item)
            direct = (polaritas == NAIK) == (target > 0)
            notes.append(
                "Capaian = realisasi / target x 100%."
                if direct
                else "Capaian = (2 x target - realisasi) / target x 100%."
            )
    return HasilIndikator(
        kode=d.kode,
        jenis=d.jenis,
        indikator=d.indikator,
        satuan=d.satuan,
        polaritas=polaritas if polaritas in POLARITAS else d.polaritas,
        rumus=rumus_key,
        tahun=tahun,
        target=target,
        realisasi=realisasi,
        capaian=capaian,
        predikat=pred,
        keterangan=" ".join(notes),
    )


def _galat_since(out: _Collector, start: int, rumus: str) -> bool:
    return any(m.tingkat == Tingkat.GALAT and m.rumus == rumus for m in out.items[start:])


def _persen(satuan: str) -> bool:
    return satuan.strip().casefold() in ("%", "persen", "persentase")


def _riwayat(data: IkuInput, tahun: int | None, hasil: list[HasilIndikator]) -> list[RiwayatRow]:
    """Earlier years' realisasi with this year's results replacing their rows."""
    rows = {(r.kode, r.tahun): r for r in data.riwayat}
    if tahun is not None:
        for h in hasil:
            if h.realisasi is not None:
                rows[(h.kode, tahun)] = RiwayatRow(
                    kode=h.kode, tahun=tahun, realisasi=h.realisasi, sumber=SUMBER_HITUNG
                )
    order = {d.kode: i for i, d in enumerate(data.indikator)}
    return sorted(rows.values(), key=lambda r: (order.get(r.kode, len(order)), r.kode, r.tahun))
