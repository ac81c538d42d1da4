"""The ``iku`` command (argparse: it starts in a few milliseconds; every heavy
import waits inside the command that needs it)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(1, f"Perintah tidak lengkap atau salah: {message}\nLihat 'iku --help'.\n")


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' bukan bilangan bulat") from None


_whole_number.__name__ = "bilangan bulat"


def _contoh(args: argparse.Namespace) -> int:
    from iku_engine import hitung
    from iku_engine.contoh import data_contoh

    hasil = hitung(data_contoh(tahun=args.tahun))
    if args.json:
        print(hasil.model_dump_json(indent=1))
    else:
        from .display import tampilkan_hasil
        from .terminal import console

        tampilkan_hasil(hasil, console())
    return 0


def _hitung(args: argparse.Namespace) -> int:
    from .hitung import run

    return run(args.berkas, args.output, args.tahun, args.json)


def _baru(args: argparse.Namespace) -> int:
    import datetime as dt

    from .new_workbook import buat_buku_kerja_baru

    return buat_buku_kerja_baru(
        args.kecamatan,
        args.kelurahan,
        args.output,
        args.tahun or dt.date.today().year,
        args.kota,
        args.katalog,
        args.periode,
        args.timpa,
    )


def _laporan(args: argparse.Namespace) -> int:
    from .laporan import run

    return run(args.berkas, args.output, args.tahun, args.templat, args.timpa)


def _batch(args: argparse.Namespace) -> int:
    from .batch import run

    code, _ = run(args.folder, args.output, args.workers, args.scheduler, args.recursive, args.ulang)
    return code


def _serve(args: argparse.Namespace) -> int:
    from .server import serve

    return serve(args.host, args.port, args.tanpa_kunci)


def parser() -> argparse.ArgumentParser:
    from .terminal import indonesian_argparse

    indonesian_argparse()
    root = _Parser(
        prog="iku",
        description="Menghitung Indikator Kinerja Utama (IKU) kecamatan dari buku kerja Excel.",
        epilog="Kode keluar: 0 = dihitung tanpa galat; 2 = dihitung, ada galat di lembar Validasi; "
        "1 = berkas tidak dapat dipakai (tidak ada yang ditulis).",
    )
    root.add_argument(
        "--versi", action="version", version="iku-kanigaran 0.1.0", help="tampilkan versi program lalu keluar"
    )
    commands = root.add_subparsers(dest="perintah", metavar="PERINTAH", parser_class=_Parser)

    p = commands.add_parser(
        "hitung", help="hitung IKU dari buku kerja dan tulis lembar hasilnya (tanpa Excel)"
    )
    p.add_argument("berkas", type=Path, help="buku kerja IKU (.xlsm/.xlsx)")
    p.add_argument("--output", "-o", type=Path, help="tulis hasil ke berkas ini (bawaan: berkas itu sendiri)")
    p.add_argument(
        "--tahun",
        type=_whole_number,
        help="hitung untuk tahun laporan ini (empat angka), bukan TahunLaporan di buku kerja",
    )
    p.add_argument("--json", action="store_true", help="cetak hasil sebagai JSON")
    p.set_defaults(func=_hitung)

    p = commands.add_parser(
        "laporan", help="buat bab Capaian Kinerja Organisasi untuk LKjIP (.docx atau .pdf) dari buku kerja"
    )
    p.add_argument("berkas", type=Path, help="buku kerja IKU (.xlsm/.xlsx); tidak diubah")
    p.add_argument("--output", "-o", type=Path, required=True, help="laporan.docx atau laporan.pdf")
    p.add_argument("--tahun", type=_whole_number, help="tahun laporan (empat angka), bukan TahunLaporan")
    p.add_argument("--templat", type=Path, help="templat Word (.docx) sendiri, mis. dengan kop surat")
    p.add_argument("--timpa", action="store_true", help="ganti berkas --output yang sudah ada")
    p.set_defaults(func=_laporan)

    p = commands.add_parser("baru", help="buat buku kerja IKU kosong untuk kecamatan mana pun")
    p.add_argument("--kecamatan", required=True, help="nama kecamatan, mis. Kademangan")
    p.add_argument("--kelurahan", required=True, nargs="+", action="extend", help="nama-nama kelurahan")
    p.add_argument("--output", required=True, type=Path, help="berkas .xlsm yang dibuat")
    p.add_argument("--tahun", type=_whole_number, help="tahun laporan (bawaan: tahun ini)")
    p.add_argument("--kota", help="nama kota/kabupaten (bawaan: dari katalog)")
    p.add_argument("--katalog", type=Path, help="berkas katalog IKU (JSON); bawaan: katalog Kanigaran")
    p.add_argument(
        "--periode",
        help="periode Renstra untuk kolom target, mis. 2025-2029 (bawaan: lima tahun dari --tahun)",
    )
    p.add_argument("--timpa", action="store_true", help="ganti berkas --output yang sudah ada")
    p.set_defaults(func=_baru)

    p = commands.add_parser(
        "batch", help="hitung semua buku kerja dalam satu folder (proses lokal atau klaster Dask)"
    )
    p.add_argument("folder", type=Path, help="folder berisi berkas .xlsm/.xlsx (tidak diubah)")
    p.add_argument(
        "--output", "-o", type=Path, required=True, help="folder hasil: salinan yang sudah dihitung dan rekap"
    )
    p.add_argument("--workers", type=_whole_number, help="jumlah proses lokal (bawaan: jumlah CPU)")
    p.add_argument("--scheduler", help="alamat penjadwal Dask, mis. tcp://10.0.0.5:8786")
    p.add_argument("--recursive", action="store_true", help="ikut memproses subfolder")
    p.add_argument("--ulang", action="store_true", help="hitung ulang walau hasilnya sudah mutakhir")
    p.set_defaults(func=_batch)

    p = commands.add_parser("serve", help="jalankan server untuk tombol 'Hitung IKU (Server)'")
    p.add_argument("--host", default="127.0.0.1", help="alamat yang didengarkan (bawaan 127.0.0.1)")
    p.add_argument("--port", type=_whole_number, default=8000, help="port (bawaan 8000)")
    p.add_argument(
        "--tanpa-kunci", action="store_true", help="izinkan tanpa IKU_API_KEY (hanya untuk percobaan lokal)"
    )
    p.set_defaults(func=_serve)

    p = commands.add_parser("contoh", help="hitung IKU dari DATA CONTOH bawaan (tanpa buku kerja)")
    p.add_argument("--tahun", type=_whole_number, default=2021, help="tahun laporan data contoh")
    p.add_argument("--json", action="store_true", help="cetak hasil sebagai JSON")
    p.set_defaults(func=_contoh)
    return root


def _stop_cleanly_on_signals() -> None:
    """SIGTERM (kill, systemd) and SIGHUP (a closed terminal) unwind like Ctrl+C:
    locks and temporary files are removed on the way out."""
    import signal

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, stop)


def main(argv: Sequence[str] | None = None) -> int:
    # The engine uses no pydantic plugins; skipping their discovery (a scan of
    # every installed package's metadata) shortens every start.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
    args = parser().parse_args(argv)
    if not getattr(args, "func", None):
        parser().print_help()
        return 1
    _stop_cleanly_on_signals()
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print(
            "Dihentikan. Berkas tetap utuh: isinya yang lama, atau hasil baru bila sempat selesai ditulis.",
            file=sys.stderr,
        )
        return 1
    except Exception as exc:  # the last net: a user never sees a traceback
        if os.environ.get("IKU_DEBUG"):
            raise
        print(
            f"Gagal: terjadi kesalahan tak terduga ({type(exc).__name__}: {str(exc)[:200]}). "
            "Berkas masukan tidak diubah. Jalankan lagi dengan IKU_DEBUG=1 untuk rincian dan laporkan ke petugas TI.",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
