"""Terminal output in Bahasa Indonesia (rich)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from iku_engine.models import HasilIKU


def angka(value: float | None, decimals: int = 2) -> str:
    """``82.44`` -> ``82,44``; thousands with dots; ``-`` when missing."""
    if value is None:
        return "-"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def tampilkan_hasil(hasil: HasilIKU, console: Console) -> None:
    from rich.table import Table

    judul = f"IKU Kecamatan {hasil.kecamatan} tahun {hasil.tahun if hasil.tahun else '?'}"
    from rich.text import Text

    table = Table(title=Text(judul), show_lines=False)
    if not console.is_terminal:
        console.width = max(console.width, 150)
    for name, justify in [
        ("Kode", "left"),
        ("Indikator", "left"),
        ("Satuan", "left"),
        ("Target", "right"),
        ("Realisasi", "right"),
        ("Capaian (%)", "right"),
        ("Predikat", "left"),
    ]:
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for h in hasil.indikator:
        table.add_row(  # Text, not str: user text is never rich markup
            Text(h.kode),
            Text(h.indikator),
            Text(h.satuan),
            angka(h.target),
            angka(h.realisasi),
            angka(h.capaian),
            Text(h.predikat or "-"),
        )
    console.print(table)
    galat = sum(1 for m in hasil.masalah if m.tingkat == "Galat")
    peringatan = len(hasil.masalah) - galat
    if hasil.masalah:
        console.print(f"Masalah data: {galat} galat, {peringatan} peringatan.", markup=False)
        for m in hasil.masalah[:30]:
            tempat = f"{m.lembar}!{m.sel}" if m.sel else m.lembar or "(seluruh buku kerja)"
            console.print(f"  [{m.tingkat.value}] {tempat}: {m.pesan}", markup=False)
        if len(hasil.masalah) > 30:
            console.print(f"  ... dan {len(hasil.masalah) - 30} masalah lain.")
    else:
        console.print("Tidak ada masalah data.")
