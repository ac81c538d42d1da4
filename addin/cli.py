"""The ``iku`` command. Heavy imports stay inside the commands so that
``iku --help`` answers at once."""

from __future__ import annotations

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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
