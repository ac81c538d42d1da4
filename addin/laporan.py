"""``iku laporan``: the LKjIP chapter "Capaian Kinerja Organisasi" as Word (or PDF).

PermenPAN-RB 53/2014 (SAKIP) puts the performance measurement in Bab III of
the LKjIP: target against realisasi this year, against earlier years and
against the end of the Renstra period, then the analysis of causes. This
module writes that chapter from one computation of the engine (the same
``pipeline.compute`` as every door); it holds no formula of an indicator.
The sentences are fixed templates filled with the numbers, so the same
workbook always gives the same text; the analysis of causes is the staff's
own, from the ``Analisis`` column of ``tblIKU``.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from iku_engine.capaian import NAIK, SKALA_PERMENDAGRI_86_2017
from iku_engine.models import HasilIKU, HasilIndikator, IkuInput
from iku_engine.numbers import NotANumber, parse_number

from .errors import BerkasTidakDapatDipakai
from .outputs import BULAN, TITIK, signature

MINUS = "\u2212"
PLACEHOLDER_ANALISIS = (
    "[Analisis penyebab keberhasilan atau kegagalan dan langkah perbaikan: isi kolom Analisis pada tabel "
    "IKU (lembar IKU) untuk indikator ini, lalu buat laporan lagi.]"
)
TEMPLATE = "templat_laporan.docx"


def angka(value: float | None, decimals: int = 2) -> str:
    """``-1234.5`` -> ``−1.234,50`` (Indonesian separators, a true minus sign)."""
    if value is None:
        return "–"
    text = f"{abs(value):,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{MINUS}{text}" if value < 0 and text.strip("0,.") else text


def _satuan(value: float | None, satuan: str) -> str:
    if value is None:
        return "–"
    if satuan.strip() == "%":
        return f"{angka(value)}%"
    return (
        f"{angka(value)} {satuan}".strip()
        if satuan and satuan.casefold() not in ("nilai", "indeks")
        else angka(value)
    )


@dataclass
class Laporan:
    """What the chapter says, before it becomes a document (tests read this too)."""

    judul: str
    draft: list[str]
    pengukuran: list[list[str]]
    kalimat: dict[str, list[str]]
    analisis: dict[str, str]
    grafik: dict[str, list[tuple[int, float | None, float | None]]]
    skm: list[str]
    unsur: list[list[str]]
    tanda_tangan: list[str]
    lampiran: list[list[str]]


def _targets(inputs: IkuInput) -> dict[str, dict[int, float | None]]:
    result: dict[str, dict[int, float | None]] = {}
    for d in inputs.indikator:
        years: dict[int, float | None] = {}
        for year, raw in d.target.items():
            try:
                years[year] = parse_number(raw)
            except NotANumber:
                years[year] = None
        result[d.kode] = years
    return result


def _trend(h: HasilIndikator, earlier: list[tuple[int, float]]) -> str:
    if h.realisasi is None or not earlier:
        return "Belum ada realisasi tahun sebelumnya di lembar Riwayat untuk dibandingkan."
    year, value = earlier[-1]
    change = h.realisasi - value
    if abs(change) < 0.005:
        return f"Realisasi sama dengan tahun {year} ({_satuan(value, h.satuan)})."
    arah = "naik" if change > 0 else "turun"
    better = (change > 0) == (h.polaritas == NAIK)
    nilai = "membaik" if better else "memburuk"
    return (
        f"Dibandingkan tahun {year} ({_satuan(value, h.satuan)}), realisasi {arah} {angka(abs(change))} "
        f"{'poin' if h.satuan.strip() == '%' else 'satuan'}; kinerja {nilai}."
    )


def _renstra(h: HasilIndikator, targets: dict[int, float | None]) -> str:
    known = {y: t for y, t in targets.items() if t is not None}
    if not known:
        return "Target akhir periode Renstra belum diisi di tabel IKU."
    last = max(known)
    target = known[last]
    if h.realisasi is None:
        return f"Target akhir periode Renstra ({last}) adalah {_satuan(target, h.satuan)}."
    gap = target - h.realisasi if h.polaritas == NAIK else h.realisasi - target
    if gap <= 0:
        return (
            f"Target akhir periode Renstra ({last}) sebesar {_satuan(target, h.satuan)} sudah tercapai "
            f"dengan realisasi {_satuan(h.realisasi, h.satuan)}."
        )
    arah = "kenaikan" if h.polaritas == NAIK else "penurunan"
    return (
        f"Target akhir periode Renstra ({last}) adalah {_satuan(target, h.satuan)}; untuk mencapainya masih "
        f"diperlukan {arah} {angka(gap)} {'poin' if h.satuan.strip() == '%' else 'satuan'} dari realisasi "
        f"tahun {h.tahun}."
    )


def _this_year(h: HasilIndikator) -> str:
    if h.realisasi is None:
        return (
            f"Realisasi tahun {h.tahun} belum dapat dihitung karena data belum lengkap "
            "(lihat lampiran Masalah Data)."
        )
    text = f"Realisasi tahun {h.tahun} sebesar {_satuan(h.realisasi, h.satuan)}"
    if h.target is None:
        return text + "; target tahun ini belum ditetapkan, sehingga capaian belum dapat dihitung."
    text += f" dari target {_satuan(h.target, h.satuan)}"
    if h.capaian is None:
        return text + "; capaian tidak dapat dihitung (target 0)."
    arah = "makin tinggi makin baik" if h.polaritas == NAIK else "makin rendah makin baik"
    return f"{text} ({arah}), sehingga capaian {angka(h.capaian)}% dengan predikat {h.predikat}."


def susun(hasil: HasilIKU, inputs: IkuInput, dihitung_pada: str) -> Laporan:
    """The chapter's content from one computation."""
    kecamatan = hasil.kecamatan or TITIK
    draft = []
    if hasil.ada_galat:
        draft.append("masih ada galat data (lihat lampiran Masalah Data)")
    if inputs.pengaturan.data_contoh:
        draft.append("buku kerja masih berisi DATA CONTOH")
    definisi = {d.kode: d for d in inputs.indikator}
    targets = _targets(inputs)
    pengukuran, kalimat, analisis, grafik = [], {}, {}, {}
    for no, h in enumerate(hasil.indikator, start=1):
        d = definisi.get(h.kode)
        sasaran = (d.sasaran or d.tujuan) if d else ""
        pengukuran.append(
            [
                str(no),
                sasaran,
                f"{h.kode} {h.indikator}",
                h.satuan,
                angka(h.target),
                angka(h.realisasi),
                angka(h.capaian),
                h.predikat or "–",
            ]
        )
        earlier = sorted(
            (r.tahun, r.realisasi)
            for r in hasil.riwayat
            if r.kode == h.kode and h.tahun is not None and r.tahun < h.tahun and r.realisasi is not None
        )
        kalimat[h.kode] = [_this_year(h), _trend(h, earlier), _renstra(h, targets.get(h.kode, {}))]
        analisis[h.kode] = (d.analisis if d else "") or PLACEHOLDER_ANALISIS
        years = sorted(set(targets.get(h.kode, {})) | {r.tahun for r in hasil.riwayat if r.kode == h.kode})
        realisasi = {r.tahun: r.realisasi for r in hasil.riwayat if r.kode == h.kode}
        grafik[h.kode] = [(y, targets.get(h.kode, {}).get(y), realisasi.get(y)) for y in years]
    s = hasil.skm
    skm = [
        (
            f"Survei Kepuasan Masyarakat tahun {hasil.tahun} dijawab {s.responden} responden"
            + (
                f"; sampel minimum menurut tabel Krejcie & Morgan untuk populasi {s.populasi} adalah "
                f"{s.sampel_minimum} responden, sehingga jumlah responden "
                f"{'memenuhi' if s.responden >= s.sampel_minimum else 'belum memenuhi'} sampel minimum."
                if s.sampel_minimum
                else "; populasi penerima layanan belum diisi, sehingga sampel minimum tidak dihitung."
            )
        ),
        (
            f"Indeks Kepuasan Masyarakat (IKM) sebesar {angka(s.ikm)}, mutu pelayanan {s.mutu} "
            f"(kinerja unit pelayanan {s.kinerja}), dihitung menurut PermenPAN-RB 14/2017."
            if s.ikm is not None
            else "IKM belum dapat dihitung karena data survei belum lengkap (lihat lampiran Masalah Data)."
        ),
    ]
    answered = [u for u in s.unsur if u.nrr is not None]
    lowest = sorted(answered, key=lambda u: u.nrr or 0)[:3]
    if lowest:
        skm.append(
            "Tiga unsur dengan nilai rata-rata (NRR) terendah: "
            + "; ".join(f"{u.kode} {u.nama} ({angka(u.nrr, 3)})" for u in lowest)
            + ". Unsur ini menjadi prioritas perbaikan pelayanan."
        )
    unsur = [[u.kode, u.nama, str(u.jawaban), angka(u.nrr, 3), angka(u.nrr_tertimbang, 3)] for u in s.unsur]
    ttd = signature(inputs, hasil)
    tanda_tangan = [str(v) for v in ttd.values()]
    # The problems go into an appendix while a Galat remains (the report is then a DRAFT).
    lampiran = (
        [[m.tingkat.value, m.lembar, m.sel, m.kode, m.pesan] for m in hasil.masalah]
        if hasil.ada_galat
        else []
    )
    tanggal = _tanggal(dihitung_pada)
    judul = f"Capaian Kinerja Organisasi Kecamatan {kecamatan} Tahun {hasil.tahun or TITIK}"
    kalimat["_dihitung"] = [f"Angka dalam bab ini dihitung dari buku kerja IKU pada {tanggal}."]
    return Laporan(judul, draft, pengukuran, kalimat, analisis, grafik, skm, unsur, tanda_tangan, lampiran)


def _tanggal(dihitung_pada: str) -> str:
    """``28/11/2026 14.30.12`` -> ``28 November 2026 pukul 14.30``."""
    try:
        date, _, time = dihitung_pada.partition(" ")
        day, month, year = (int(x) for x in date.split("/"))
        return f"{day} {BULAN[month - 1]} {year} pukul {time[:5]}"
    except (ValueError, IndexError):
        return dihitung_pada


def _chart(kode: str, judul: str, points: list[tuple[int, float | None, float | None]], satuan: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    years = [str(y) for y, _, _ in points]
    figure, axes = plt.subplots(figsize=(6.2, 2.6), dpi=150)
    width = 0.38
    xs = range(len(years))
    axes.bar(
        [x - width / 2 for x in xs], [t or 0 for _, t, _ in points], width, label="Target", color="#A6A6A6"
    )
    axes.bar(
        [x + width / 2 for x in xs], [r or 0 for _, _, r in points], width, label="Realisasi", color="#2E75B6"
    )
    axes.set_xticks(list(xs), years)
    values = [v for _, t, r in points for v in (t, r) if v is not None]
    if values and min(values) >= 0:
        axes.set_ylim(bottom=0)  # percentages and scores start at 0: small gaps are not exaggerated
    axes.axhline(0, color="#404040", linewidth=0.6)
    axes.set_ylabel(satuan)
    axes.set_title(f"{kode}: {judul}", fontsize=8, wrap=True)
    axes.legend(fontsize=7, loc="lower right")
    axes.tick_params(labelsize=7)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return buffer.getvalue()


def _table(document: Any, header: list[str], rows: list[list[str]], widths_cm: list[float]) -> None:
    from docx.shared import Cm, Pt

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)  # the grid LibreOffice and Word lay out by
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(8)


def dokumen(laporan: Laporan, hasil: HasilIKU, templat: Path | None = None) -> bytes:
    """The chapter as a .docx, on the shipped template or on the staff's own."""
    from docx import Document
    from docx.shared import Cm

    if templat is not None:
        try:
            document = Document(str(templat))
        except Exception:  # python-docx raises several kinds for a file that is not a .docx
            raise BerkasTidakDapatDipakai(
                f"Templat '{templat}' bukan dokumen Word (.docx) yang dapat dibaca."
            ) from None
    else:
        document = Document(io.BytesIO(resources.files("addin.data").joinpath(TEMPLATE).read_bytes()))
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("sectPr"):
            body.remove(child)  # the template's letterhead lives in the page header and stays
    if laporan.draft:
        for section in document.sections:
            section.header.add_paragraph(f"DRAFT: {'; '.join(laporan.draft)}").runs[0].bold = True
    document.add_heading("BAB III AKUNTABILITAS KINERJA", level=1)
    document.add_heading(f"A. {laporan.judul}", level=2)
    document.add_paragraph(
        "Pengukuran kinerja membandingkan realisasi setiap Indikator Kinerja Utama dengan target dalam "
        "Perjanjian Kinerja dan Renstra (PermenPAN-RB 53/2014). " + laporan.kalimat["_dihitung"][0]
    )
    document.add_heading("Tabel Pengukuran Kinerja", level=3)
    _table(
        document,
        ["No", "Sasaran", "Indikator", "Satuan", "Target", "Realisasi", "Capaian (%)", "Predikat"],
        laporan.pengukuran,
        [0.7, 3.4, 4.2, 1.4, 1.7, 1.9, 1.9, 1.8],
    )
    document.add_paragraph(
        "Skala predikat capaian (Permendagri 86/2017): "
        + "; ".join(
            f"{'≥ ' + angka(b.batas_bawah, 0) if b.batas_bawah > -1e9 else 'di bawahnya'} {b.predikat}"
            for b in SKALA_PERMENDAGRI_86_2017
        )
        + "."
    )
    for no, h in enumerate(hasil.indikator, start=1):
        document.add_heading(f"{no}. {h.kode} {h.indikator}", level=3)
        for sentence in laporan.kalimat[h.kode]:
            document.add_paragraph(sentence)
        if any(t is not None or r is not None for _, t, r in laporan.grafik[h.kode]):
            png = _chart(h.kode, h.indikator, laporan.grafik[h.kode], h.satuan)
            document.add_picture(io.BytesIO(png), width=Cm(15))
        document.add_paragraph("Analisis: " + laporan.analisis[h.kode])
    document.add_heading("Survei Kepuasan Masyarakat", level=3)
    for sentence in laporan.skm:
        document.add_paragraph(sentence)
    _table(
        document,
        ["Kode", "Unsur", "Jawaban", "NRR", "NRR tertimbang"],
        laporan.unsur,
        [1.2, 8.0, 1.8, 2.0, 2.4],
    )
    document.add_paragraph()
    for line in laporan.tanda_tangan[:2]:
        document.add_paragraph(line)
    document.add_paragraph()
    document.add_paragraph()
    for line in laporan.tanda_tangan[2:]:
        document.add_paragraph(line)
    if laporan.lampiran:
        document.add_page_break()  # type: ignore[no-untyped-call]
        document.add_heading("Lampiran: Masalah Data", level=2)
        document.add_paragraph(
            "Masalah di lembar Validasi saat laporan dibuat; perbaiki lalu buat laporan lagi."
        )
        _table(
            document,
            ["Tingkat", "Lembar", "Sel", "Kode", "Pesan"],
            laporan.lampiran,
            [1.6, 2.4, 1.2, 3.0, 8.3],
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def ke_pdf(docx: bytes) -> bytes:
    """The document through LibreOffice (headless); an Indonesian message without it."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise BerkasTidakDapatDipakai(
            "Untuk PDF diperlukan LibreOffice (perintah 'soffice'), yang tidak ditemukan di komputer ini. "
            "Buat laporan .docx saja, atau minta petugas TI memasang LibreOffice."
        )
    with tempfile.TemporaryDirectory(prefix="iku-laporan-") as folder:
        source = Path(folder) / "laporan.docx"
        source.write_bytes(docx)
        profile = Path(folder) / "profil"
        run = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                folder,
                str(source),
            ],
            capture_output=True,
            timeout=180,
        )
        pdf = Path(folder) / "laporan.pdf"
        if run.returncode != 0 or not pdf.exists():
            raise BerkasTidakDapatDipakai("LibreOffice gagal membuat PDF dari laporan; coba buat .docx saja.")
        return pdf.read_bytes()


def free_name(folder: Path, stem: str, suffix: str) -> Path:
    """``stem.docx``, or ``stem (2).docx`` and so on: never over a report staff may have edited."""
    candidate = folder / f"{stem}{suffix}"
    number = 2
    while candidate.exists() or candidate.is_symlink():
        candidate = folder / f"{stem} ({number}){suffix}"
        number += 1
    return candidate


def cetak(book: Any) -> Path | None:
    """The "Cetak Laporan" button: the report of the live book, written beside it."""
    from . import pipeline
    from .excel_book import XlwingsTableSource
    from .files import write_atomic

    try:
        computed = pipeline.compute(XlwingsTableSource(book))
        laporan = susun(computed.hasil, computed.inputs, computed.dihitung_pada)
        data = dokumen(laporan, computed.hasil)
        fullname = str(book.fullname)
        if "://" in fullname:  # OneDrive/SharePoint: Excel gives a web address, not a folder
            raise BerkasTidakDapatDipakai(
                "Buku kerja ini dibuka dari OneDrive/SharePoint, jadi laporan tidak dapat ditulis di sebelahnya. "
                "Simpan salinan buku kerja di folder komputer (File > Save As), lalu klik Cetak Laporan lagi."
            )
        folder = Path(fullname).parent
        stem = f"Laporan Capaian Kinerja {computed.hasil.kecamatan or 'Kecamatan'} {computed.hasil.tahun or ''}".strip()
        target = free_name(folder, stem, ".docx")
        write_atomic(target, data)
    except BerkasTidakDapatDipakai as exc:
        book.app.alert(f"{exc} Laporan tidak dibuat.", title="Cetak Laporan", mode="critical")
        return None
    except Exception as exc:  # never a traceback window
        from .pipeline import PESAN_TAK_TERDUGA

        book.app.alert(
            f"{PESAN_TAK_TERDUGA.format(jenis=type(exc).__name__)} Laporan tidak dibuat.",
            title="Cetak Laporan",
            mode="critical",
        )
        return None
    draft = f" Ditandai DRAFT: {'; '.join(laporan.draft)}." if laporan.draft else ""
    book.app.alert(f"Laporan ditulis ke {target}.{draft}", title="Cetak Laporan", mode="info")
    return target


def run(path: Path, output: Path, tahun: int | None, templat: Path | None, timpa: bool) -> int:
    """``iku laporan``: read, compute (nothing is written into the workbook), write the report."""
    from . import pipeline
    from .files import os_reason, write_atomic
    from .terminal import console, fail
    from .xlsx.book import WorkbookFile
    from .xlsx.package import open_package
    from .xlsx.source import FileTableSource

    err = console(stderr=True)
    try:
        suffix = output.suffix.lower()
        if suffix not in (".docx", ".pdf"):
            raise BerkasTidakDapatDipakai(f"--output '{output.name}' harus berakhiran .docx atau .pdf.")
        if (output.exists() or output.is_symlink()) and not timpa:
            raise BerkasTidakDapatDipakai(
                f"'{output}' sudah ada dan tidak ditimpa (mungkin sudah disunting). Pilih nama lain, atau "
                "tambahkan --timpa."
            )
        if tahun is not None and not 1000 <= tahun <= 9999:
            raise BerkasTidakDapatDipakai(
                f"--tahun {tahun} tidak valid (diketik di perintah): tulis empat angka."
            )
        computed = pipeline.compute(FileTableSource(WorkbookFile(open_package(path))), tahun)
        laporan = susun(computed.hasil, computed.inputs, computed.dihitung_pada)
        data = dokumen(laporan, computed.hasil, templat)
        if suffix == ".pdf":
            data = ke_pdf(data)
        try:
            write_atomic(output, data)
        except OSError as exc:
            raise BerkasTidakDapatDipakai(f"'{output}' tidak dapat ditulis ({os_reason(exc)}).") from None
    except BerkasTidakDapatDipakai as exc:
        fail(err, str(exc))
        return 1
    out = console()
    out.print(f"Laporan ditulis ke {output}.")
    if laporan.draft:
        out.print(f"Ditandai DRAFT: {'; '.join(laporan.draft)}.")
    return 2 if computed.hasil.ada_galat else 0
