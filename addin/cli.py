"""The ``iku`` command. Heavy imports stay inside the commands so that
``iku --help`` answers at once."""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(
    help="Menghitung Indikator Kinerja Utama (IKU) kecamatan dari buku kerja Excel.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    """Menghitung Indikator Kinerja Utama (IKU) kecamatan dari buku kerja Excel."""


@app.command()
def contoh(
    tahun: int = typer.Option(2021, help="Tahun laporan data contoh."),
    json_out: bool = typer.Option(False, "--json", help="Cetak hasil sebagai JSON."),
) -> None:
    """Hitung IKU dari DATA CONTOH bawaan (tanpa buku kerja)."""
    from rich.console import Console

    from iku_engine import hitung
    from iku_engine.contoh import data_contoh

    from .display import tampilkan_hasil

    hasil = hitung(data_contoh(tahun=tahun))
    if json_out:
        typer.echo(hasil.model_dump_json(indent=1))
    else:
        tampilkan_hasil(hasil, Console())


@app.command("hitung")
def hitung_cmd(
    berkas: Path = typer.Argument(..., help="Buku kerja IKU (.xlsm/.xlsx)."),
    output: Path = typer.Option(
        None, "--output", "-o", help="Tulis hasil ke berkas ini (bawaan: berkas itu sendiri)."
    ),
    tahun: int = typer.Option(
        None, "--tahun", help="Hitung untuk tahun ini, bukan TahunLaporan di buku kerja."
    ),
    json_out: bool = typer.Option(False, "--json", help="Cetak hasil sebagai JSON."),
) -> None:
    """Hitung IKU dari buku kerja dan tulis lembar hasilnya (tanpa Excel)."""
    from .hitung import run

    raise typer.Exit(run(berkas, output, tahun, json_out))


@app.command()
def baru(
    kecamatan: str = typer.Option(..., "--kecamatan", help="Nama kecamatan, mis. Kademangan."),
    kelurahan: list[str] = typer.Option(
        ..., "--kelurahan", help="Nama kelurahan (ulangi untuk setiap kelurahan)."
    ),
    output: Path = typer.Option(..., "--output", help="Berkas .xlsm yang dibuat."),
    tahun: int = typer.Option(None, "--tahun", help="Tahun laporan (bawaan: tahun ini)."),
    kota: str = typer.Option(None, "--kota", help="Nama kota/kabupaten (bawaan: dari katalog)."),
    katalog: Path = typer.Option(
        None, "--katalog", help="Berkas katalog IKU (JSON); bawaan: katalog Kanigaran."
    ),
) -> None:
    """Buat buku kerja IKU kosong untuk kecamatan mana pun."""
    import datetime as dt

    from .new_workbook import buat_buku_kerja_baru

    raise typer.Exit(
        buat_buku_kerja_baru(kecamatan, kelurahan, output, tahun or dt.date.today().year, kota, katalog)
    )


def main() -> None:
    app()


if __name__ == "__main__":
    main()
