"""``iku hitung``: the headless "Hitung IKU" on a workbook file.

Read the contract tables, compute with the engine, write the result tables
back (atomically, losing nothing), report. Exit codes: 0 computed without
``Galat``; 2 computed with ``Galat`` rows in ``Validasi``; 1 the file could
not be used (nothing written).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from iku_engine.models import HasilIKU

from . import pipeline
from .errors import BerkasTidakDapatDipakai
from .files import os_reason, write_atomic
from .xlsx.book import WorkbookFile
from .xlsx.package import open_package
from .xlsx.source import FileTableSource
from .xlsx.writer import ResultWriter

EXIT_OK, EXIT_UNUSABLE, EXIT_GALAT = 0, 1, 2
LOCK_WAIT_SECONDS = 120
LOCK_STALE_SECONDS = 600


@dataclass
class HasilBerkas:
    hasil: HasilIKU
    dihitung_pada: str
    data: bytes


def excel_lock_files(path: Path) -> list[Path]:
    """Excel's owner file beside an open workbook (``~$NAME``; long names lose two characters)."""
    names = {f"~${path.name}", f"~${path.name[2:]}"}
    return [path.with_name(n) for n in sorted(names) if path.with_name(n).exists()]


def _process_alive(pid: int) -> bool:
    if os.name != "posix":
        return True  # no portable check here: the age of the lock decides
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class RunLock:
    """Keeps two runs on the same file from interleaving (a lock file created
    exclusively beside it; works on every OS). A lock whose run is gone (a dead
    process on this host, or older than any run) is taken over at once."""

    def __init__(self, target: Path) -> None:
        self.path = target.with_name(f".{target.name}.iku-lock")
        self.held = False

    def __enter__(self) -> RunLock:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                if self._owner_gone():
                    self.path.unlink(missing_ok=True)  # left by a run that was killed
                    continue
                if time.monotonic() > deadline:
                    raise BerkasTidakDapatDipakai(
                        f"Berkas '{self.path.name[1:-9]}' sedang diproses oleh perintah lain. Tunggu sampai "
                        f"selesai; bila tidak ada yang berjalan, hapus berkas kunci '{self.path.name}'."
                    ) from None
                time.sleep(0.1)
                continue
            except OSError as exc:
                raise BerkasTidakDapatDipakai(
                    f"Folder '{self.path.parent}' tidak dapat ditulisi ({os_reason(exc)}). "
                    "Tulis hasil ke folder lain dengan --output."
                ) from None
            try:
                with os.fdopen(fd, "w") as handle:
                    handle.write(f"{os.getpid()} {socket.gethostname()}\n")
            except BaseException:  # e.g. SIGTERM right now: the with-block never starts, so clean up here
                self.path.unlink(missing_ok=True)
                raise
            self.held = True
            return self

    def _owner_gone(self) -> bool:
        """The lock's run has ended without removing it: a dead process on this
        host, or a lock older than any run can take."""
        try:
            age = time.time() - self.path.stat().st_mtime
            pid_text, _, host = self.path.read_text("utf-8").strip().partition(" ")
        except (OSError, UnicodeDecodeError):
            return False  # removed meanwhile, or being written: look again
        if age > LOCK_STALE_SECONDS:
            return True
        if host == socket.gethostname() and pid_text.isdigit():
            return not _process_alive(int(pid_text))
        return False

    def __exit__(self, *exc: object) -> None:
        if self.held:
            self.path.unlink(missing_ok=True)


def compute_file(
    source: Path, data: bytes | None = None, tahun: int | None = None, now: dt.datetime | None = None
) -> HasilBerkas:
    """The whole computation on one workbook, in memory: bytes in, bytes out."""
    package = open_package(source, data)
    book = WorkbookFile(package)
    writer = ResultWriter(book)
    computed = pipeline.run(FileTableSource(book), writer, tahun, now)
    return HasilBerkas(computed.hasil, computed.dihitung_pada, writer.result())


def _finite(value: object) -> object:
    """Strict JSON: NaN and Infinity become null (the engine never makes them; this holds the line)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def json_document(hasil: HasilIKU, berkas: str, dihitung_pada: str) -> dict[str, object]:
    doc = hasil.model_dump(mode="python", exclude={"masalah": {"__all__": {"rumus"}}})
    return {"berkas": berkas, "dihitung_pada": dihitung_pada, **_finite(doc)}  # type: ignore[dict-item]


WORKBOOK_SUFFIXES = (".xlsm", ".xlsx")


def _check_request(path: Path, output: Path | None, tahun: int | None) -> None:
    """What the command line asks for, checked before anything is read or written."""
    if tahun is not None and not 1000 <= tahun <= 9999:
        raise BerkasTidakDapatDipakai(
            f"--tahun {tahun} tidak valid (diketik di perintah): tulis tahun empat angka, misalnya 2021."
        )
    if output is None:
        return
    if output.is_dir():
        raise BerkasTidakDapatDipakai(f"--output '{output}' adalah folder; sebutkan nama berkas .xlsm.")
    wanted = path.suffix.lower() if path.suffix.lower() in WORKBOOK_SUFFIXES else ".xlsm"
    if output.suffix.lower() != wanted:
        raise BerkasTidakDapatDipakai(
            f"--output '{output.name}' harus berakhiran {wanted}, sama dengan berkas masukan "
            f"(isi buku kerja{' bermakro' if wanted == '.xlsm' else ''} tidak boleh disimpan dengan jenis lain)."
        )
    if output.exists() and output.resolve() != path.resolve():
        with output.open("rb") as handle:
            looks_like_workbook = handle.read(2) == b"PK"
        if not looks_like_workbook:
            raise BerkasTidakDapatDipakai(
                f"--output '{output.name}' sudah ada dan bukan buku kerja Excel, jadi tidak ditimpa. "
                "Pilih nama berkas lain."
            )


def run(path: Path, output: Path | None, tahun: int | None, as_json: bool) -> int:
    from .terminal import console, fail

    err = console(stderr=True)
    target = output or path
    if target.is_symlink():
        target = Path(os.path.realpath(target))  # results go to the link's target; the link stays
    try:
        _check_request(path, output, tahun)
        if output is None and excel_lock_files(path):
            raise BerkasTidakDapatDipakai(
                f"Berkas '{path.name}' sedang dibuka di Excel (ada berkas kunci '~$…' di sebelahnya). "
                "Tutup berkas di Excel, atau tulis hasil ke berkas lain dengan --output."
            )
        if output is not None and output.resolve() != path.resolve() and excel_lock_files(output):
            raise BerkasTidakDapatDipakai(
                f"Berkas tujuan '{output.name}' sedang dibuka di Excel. Tutup dulu."
            )
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BerkasTidakDapatDipakai(
                f"Folder '{target.parent}' tidak dapat dibuat ({os_reason(exc)})."
            ) from None
        with RunLock(target):
            result = compute_file(path, tahun=tahun)
            try:
                write_atomic(target, result.data)
            except OSError as exc:
                raise BerkasTidakDapatDipakai(
                    f"Berkas '{target}' tidak dapat ditulis ({os_reason(exc)})."
                ) from None
    except BerkasTidakDapatDipakai as exc:
        fail(err, str(exc))
        return EXIT_UNUSABLE
    except Exception as exc:  # a user must never see a traceback
        if os.environ.get("IKU_DEBUG"):
            raise
        fail(
            err,
            f"{pipeline.PESAN_TAK_TERDUGA.format(jenis=type(exc).__name__)} "
            "Berkas tidak diubah (jalankan dengan IKU_DEBUG=1 untuk rincian).",
        )
        return EXIT_UNUSABLE

    if as_json:
        sys.stdout.write(
            json.dumps(
                json_document(result.hasil, str(target), result.dihitung_pada),
                ensure_ascii=False,
                indent=1,
                allow_nan=False,
                default=str,
            )
        )
        sys.stdout.write("\n")
    else:
        from .display import tampilkan_hasil

        out = console()
        out.print(f"Hasil ditulis ke {target} (dihitung pada {result.dihitung_pada}).")
        tampilkan_hasil(result.hasil, out)
    return EXIT_GALAT if result.hasil.ada_galat else EXIT_OK
