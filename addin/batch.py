"""``iku batch``: every workbook of a folder, on a local process pool or a Dask cluster.

The task (:func:`proses_berkas`) is a pure function of a file's bytes: it
returns the processed workbook's bytes and a summary, so workers need no
shared disk. The coordinator reads inputs, writes outputs atomically, keeps
a manifest for skipping up-to-date files, and writes ``rekap.xlsx`` and
``rekap.csv``. One unusable file is reported and the rest go on.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .errors import BerkasTidakDapatDipakai
from .files import os_reason, write_atomic

SUFFIXES = (".xlsm", ".xlsx")
MANIFEST = ".iku-batch.json"
REKAP_XLSX = "rekap.xlsx"
REKAP_CSV = "rekap.csv"
GAGAL_CSV = "rekap-gagal.csv"
REKAP_HEADERS = [
    "Berkas",
    "Kecamatan",
    "Tahun",
    "Kode",
    "Indikator",
    "Target",
    "Realisasi",
    "Capaian (%)",
    "Predikat",
    "Jumlah Masalah",
]


@dataclass
class HasilTugas:
    """What a worker sends back for one file."""

    berkas: str
    status: str  # "ok", "galat" or "gagal"
    pesan: str = ""
    kecamatan: str = ""
    tahun: int | None = None
    masalah: int = 0
    indikator: list[dict[str, object]] = field(default_factory=list)
    data: bytes | None = None
    detik: float = 0.0


def proses_berkas(berkas: str, data: bytes) -> HasilTugas:
    """The task: one workbook's bytes in, the processed bytes and a summary out."""
    from .hitung import compute_file
    from .xlsx.package import BerkasTidakDapatDipakai

    start = time.perf_counter()
    try:
        result = compute_file(Path(berkas), data=data)
    except BerkasTidakDapatDipakai as exc:
        return HasilTugas(berkas, "gagal", pesan=str(exc), detik=time.perf_counter() - start)
    except Exception as exc:  # one broken file must not stop the batch
        return HasilTugas(
            berkas,
            "gagal",
            pesan=f"kesalahan tak terduga ({type(exc).__name__})",
            detik=time.perf_counter() - start,
        )
    hasil = result.hasil
    return HasilTugas(
        berkas,
        "galat" if hasil.ada_galat else "ok",
        kecamatan=hasil.kecamatan,
        tahun=hasil.tahun,
        masalah=len(hasil.masalah),
        indikator=[
            {
                "kode": h.kode,
                "indikator": h.indikator,
                "target": h.target,
                "realisasi": h.realisasi,
                "capaian": h.capaian,
                "predikat": h.predikat,
            }
            for h in hasil.indikator
        ],
        data=result.data,
        detik=time.perf_counter() - start,
    )


def _in_turn(task: Callable[[str, bytes], HasilTugas], items: list[tuple[str, bytes]]) -> list[HasilTugas]:
    return [task(name, data) for name, data in items]


def proses_kelompok(items: list[tuple[str, bytes]]) -> list[HasilTugas]:
    """Several files in one task: fewer round trips through a cluster's scheduler."""
    return [proses_berkas(name, data) for name, data in items]


def cari_berkas(folder: Path, recursive: bool, exclude: Path | None) -> list[Path]:
    pattern = folder.rglob("*") if recursive else folder.glob("*")
    found = []
    for path in pattern:
        if not path.is_file() or path.suffix.lower() not in SUFFIXES or path.name.startswith(("~$", ".")):
            continue
        if exclude is not None and exclude in path.resolve().parents:
            continue
        found.append(path)
    return sorted(found)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Manifest:
    """Which input (by content hash) produced which output, with its summary."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / MANIFEST
        try:
            self.entries: dict[str, dict[str, object]] = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            self.entries = {}

    def up_to_date(self, relative: str, digest: str, output: Path) -> HasilTugas | None:
        entry = self.entries.get(relative)
        if not entry or entry.get("sha256") != digest or not output.exists():
            return None
        if entry.get("keluaran_sha256") != _sha256(output.read_bytes()):
            return None
        summary = {k: v for k, v in entry.items() if k in HasilTugas.__dataclass_fields__}
        return HasilTugas(**summary)  # type: ignore[arg-type]

    def record(self, relative: str, digest: str, result: HasilTugas, output_digest: str) -> None:
        summary = {k: v for k, v in asdict(result).items() if k != "data"}
        self.entries[relative] = {**summary, "sha256": digest, "keluaran_sha256": output_digest}

    def save(self) -> None:
        write_atomic(self.path, json.dumps(self.entries, ensure_ascii=False, indent=1).encode("utf-8"))


PEKERJA_BERHENTI = (
    "proses pekerja berhenti mendadak saat menghitung berkas ini (kehabisan memori atau dihentikan); "
    "berkas lain tetap diproses. Jalankan lagi berkas ini sendiri, atau laporkan ke petugas TI."
)
WATCH_PARENT_SECONDS = 1.0


def _watch_parent(parent: int) -> None:
    """A pool worker ends itself when the coordinator is gone (killed or closed):
    no orphaned processes holding memory."""
    while True:
        time.sleep(WATCH_PARENT_SECONDS)
        if os.getppid() != parent:
            os._exit(1)


def _start_worker(parent: int) -> None:
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def start_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers start importing the engine at once, while
    the coordinator is still reading the files."""
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(os.getpid(),))
    for _ in range(workers):
        pool.submit(_warm)
    return pool


def _run_local(
    tasks: list[tuple[str, bytes]],
    workers: int,
    task: Callable[[str, bytes], HasilTugas] = proses_berkas,
    pool: ProcessPoolExecutor | None = None,
) -> Iterator[HasilTugas]:
    """The tasks on a process pool. A worker that dies (out of memory, killed)
    breaks the pool: the files it left unfinished are retried one process
    each, so only the file that kills its process fails, with a reason."""
    from concurrent.futures import Future, as_completed
    from concurrent.futures.process import BrokenProcessPool

    if workers <= 1:
        for name, data in tasks:
            yield task(name, data)
        return
    # A few files per call: the pool's queue then always holds work for every
    # worker, and results come back in fewer round trips.
    size = max(1, min(4, len(tasks) // (workers * 8)))
    unfinished: list[tuple[str, bytes]] = []
    with pool or start_pool(workers) as running:
        futures: dict[Future[list[HasilTugas]], list[tuple[str, bytes]]] = {}
        for start in range(0, len(tasks), size):
            group = tasks[start : start + size]
            futures[running.submit(_in_turn, task, group)] = group
        for future in as_completed(futures):
            try:
                yield from future.result()
            except BrokenProcessPool:
                unfinished.extend(futures[future])
    for name, data in sorted(unfinished):
        with ProcessPoolExecutor(max_workers=1, initializer=_start_worker, initargs=(os.getpid(),)) as alone:
            try:
                yield alone.submit(task, name, data).result()
            except BrokenProcessPool:
                yield HasilTugas(name, "gagal", pesan=PEKERJA_BERHENTI)


def _warm() -> None:
    """Import the engine on a worker ahead of the first task."""
    import addin.hitung  # noqa: F401


DASK_WAIT_SECONDS = 60
DASK_GAGAL = (
    "pekerja Dask yang menghitung berkas ini berhenti ({jenis}); berkas lain tetap diproses. "
    "Periksa pekerja klaster, lalu jalankan lagi (berkas yang sudah selesai dilewati)."
)


class DaskRunner:
    """The task on an existing Dask cluster. Importing ``distributed``,
    connecting and warming the workers happen in the background while the
    coordinator reads the files."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.client: Any = None
        self.error: BaseException | None = None
        self._ready = threading.Thread(target=self._connect, daemon=True)
        self._ready.start()

    def _connect(self) -> None:
        try:
            from distributed import Client

            self.client = Client(self.address, timeout="10s")
        except BaseException as exc:  # reported by run(), in the main thread
            self.error = exc
            return
        # Only a head start: the first task imports the engine anyway.
        with contextlib.suppress(Exception):
            self.client.run(_warm)

    def wait(self) -> Any:
        self._ready.join()
        if self.error is not None:
            raise OSError(str(self.error)) from self.error
        return self.client

    def run(
        self,
        tasks: list[tuple[str, bytes]],
        task: Callable[[list[tuple[str, bytes]]], list[HasilTugas]] = proses_kelompok,
    ) -> Iterator[HasilTugas]:
        from distributed import as_completed

        client = self.wait()
        workers = max(1, sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values()))
        # About four groups per worker thread: balanced load, few scheduler round trips.
        size = max(1, min(8, len(tasks) // (workers * 4)))
        groups: dict[Any, list[tuple[str, bytes]]] = {}
        for start in range(0, len(tasks), size):
            # Data straight to a worker, not through the scheduler.
            group = tasks[start : start + size]
            [stored] = client.scatter([group], direct=True, hash=False)
            groups[client.submit(task, stored, pure=False)] = group
        lost: list[list[tuple[str, bytes]]] = []
        for future in as_completed(list(groups)):
            try:
                # Results (the written workbooks) straight from the worker, not through the scheduler.
                yield from client.gather(future, direct=True)
            except Exception:  # a lost worker (KilledWorker, FutureCancelledError) takes its data along
                lost.append(groups[future])
        # Lost groups again, one at a time: only a group that brings its worker
        # down a second time fails, with a reason.
        for group in sorted(lost):
            try:
                client.wait_for_workers(1, timeout=DASK_WAIT_SECONDS)
                [stored] = client.scatter([group], direct=True, hash=False)
                yield from client.submit(task, stored, pure=False).result()
            except Exception as exc:
                for name, _ in group:
                    yield HasilTugas(name, "gagal", pesan=DASK_GAGAL.format(jenis=type(exc).__name__))

    def close(self) -> None:
        self._ready.join()
        if self.client is not None:
            self.client.close()


# OWASP "CSV injection": a text cell starting with one of these is read as a
# formula by Excel and LibreOffice; a leading apostrophe keeps it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value: object) -> object:
    """A CSV cell that a spreadsheet opens as data: numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def tulis_rekap(folder: Path, results: list[HasilTugas]) -> None:
    import xlsxwriter

    rows = []
    failed: list[list[str | None]] = []
    for r in sorted(results, key=lambda r: r.berkas):
        if r.status == "gagal":
            failed.append([r.berkas, r.pesan])
            continue
        for i in r.indikator:
            rows.append(
                [
                    r.berkas,
                    r.kecamatan,
                    r.tahun,
                    i["kode"],
                    i["indikator"],
                    i["target"],
                    i["realisasi"],
                    i["capaian"],
                    i["predikat"],
                    r.masalah,
                ]
            )
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
    )
    number = wb.add_format({"num_format": "#,##0.00"})
    ws = wb.add_worksheet("Rekap")
    ws.add_table(
        0,
        0,
        max(len(rows), 1),
        len(REKAP_HEADERS) - 1,
        {
            "name": "tblRekap",
            "columns": [
                {"header": h, **({"format": number} if h in ("Target", "Realisasi", "Capaian (%)") else {})}
                for h in REKAP_HEADERS
            ],
            "data": rows or [[None] * len(REKAP_HEADERS)],
        },
    )
    ws.set_column(0, 0, 36)
    ws.set_column(4, 4, 50)
    ws.set_column(5, 9, 13)
    ws.freeze_panes(1, 0)
    ws = wb.add_worksheet("Gagal")
    ws.add_table(
        0,
        0,
        max(len(failed), 1),
        1,
        {
            "name": "tblGagal",
            "columns": [{"header": "Berkas"}, {"header": "Alasan"}],
            "data": failed or [[None, None]],
        },
    )
    ws.set_column(0, 0, 36)
    ws.set_column(1, 1, 120)
    wb.close()
    write_atomic(folder / REKAP_XLSX, buffer.getvalue())
    for name, header, data in ((REKAP_CSV, REKAP_HEADERS, rows), (GAGAL_CSV, ["Berkas", "Alasan"], failed)):
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(header)
        writer.writerows([[csv_cell(v) for v in row] for row in data])
        write_atomic(folder / name, text.getvalue().encode("utf-8-sig"))


def run(
    input_dir: Path,
    output_dir: Path,
    workers: int | None,
    scheduler: str | None,
    recursive: bool,
    ulang: bool,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, list[HasilTugas]]:
    """Process the folder; returns the exit code and every file's summary."""
    count = workers or os.cpu_count() or 1
    # Started before anything else (and before any thread): the workers import
    # the engine while this process loads the rest and reads the files.
    pool = start_pool(count) if not scheduler and count > 1 and input_dir.is_dir() else None
    try:
        return _run(input_dir, output_dir, count, scheduler, recursive, ulang, progress, pool)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _run(
    input_dir: Path,
    output_dir: Path,
    workers: int,
    scheduler: str | None,
    recursive: bool,
    ulang: bool,
    progress: Callable[[int, int], None] | None,
    pool: ProcessPoolExecutor | None,
) -> tuple[int, list[HasilTugas]]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from .terminal import console, fail

    err = console(stderr=True)
    if not input_dir.is_dir():
        fail(err, f"folder '{input_dir}' tidak ditemukan.")
        return 1, []
    source, target_dir = input_dir.resolve(), output_dir.resolve()
    if target_dir == source or source in target_dir.parents or target_dir in source.parents:
        fail(
            err,
            f"folder hasil '{output_dir}' sama dengan, di dalam, atau memuat folder masukan '{input_dir}'. "
            "Pilih folder hasil di tempat lain, misalnya di sebelah folder masukan.",
        )
        return 1, []
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(err, f"folder hasil '{output_dir}' tidak dapat dibuat ({os_reason(exc)}).")
        return 1, []
    dask = None
    if scheduler:
        try:
            dask = DaskRunner(scheduler)
        except (OSError, ValueError) as exc:
            fail(err, f"penjadwal Dask '{scheduler}' tidak dapat dihubungi ({exc}).")
            return 1, []
    files = cari_berkas(input_dir, recursive, output_dir.resolve())
    manifest = Manifest(output_dir)
    results: list[HasilTugas] = []
    tasks: list[tuple[str, bytes]] = []
    digests: dict[str, str] = {}
    up_to_date: set[str] = set()
    for path in files:
        relative = path.relative_to(input_dir).as_posix()
        try:
            data = path.read_bytes()
        except OSError as exc:
            results.append(HasilTugas(relative, "gagal", pesan=f"tidak dapat dibaca ({os_reason(exc)})"))
            continue
        digests[relative] = _sha256(data)
        cached = None if ulang else manifest.up_to_date(relative, digests[relative], output_dir / relative)
        if cached is not None:
            results.append(cached)
            up_to_date.add(relative)
        else:
            tasks.append((relative, data))
    skipped = len(up_to_date)

    runner = dask.run(tasks) if dask else _run_local(tasks, workers, pool=pool)
    with Progress(
        TextColumn("Memproses"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("sisa waktu"),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    ) as bar:
        job = bar.add_task("berkas", total=len(tasks))
        try:
            for result in runner:
                if result.data is not None:
                    data, target = result.data, output_dir / result.berkas
                    result.data = None
                    try:
                        write_atomic(target, data)
                    except OSError as exc:
                        why = f"hasil tidak dapat ditulis ke '{target}' ({os_reason(exc)})."
                        result = HasilTugas(result.berkas, "gagal", pesan=why)
                    except BerkasTidakDapatDipakai as exc:
                        result = HasilTugas(result.berkas, "gagal", pesan=str(exc))
                    else:
                        manifest.record(result.berkas, digests[result.berkas], result, _sha256(data))
                results.append(result)
                bar.advance(job)
                if progress:
                    progress(len(results), len(files))
        except OSError as exc:  # only the Dask connection raises here
            fail(err, f"penjadwal Dask '{scheduler}' tidak dapat dihubungi ({exc}).")
            return 1, results
        finally:
            if dask is not None:
                dask.close()
    manifest.save()
    tulis_rekap(output_dir, results)

    fresh = [r for r in results if r.berkas not in up_to_date]
    ok = sum(1 for r in fresh if r.status == "ok")
    galat = sum(1 for r in fresh if r.status == "galat")
    gagal = [r for r in results if r.status == "gagal"]
    out = console()
    out.print(
        f"Selesai: {len(results)} berkas. Dihitung sekarang {len(fresh)}: {ok} tanpa galat, "
        f"{galat} dengan masalah data (lihat lembar Validasi), "
        f"{sum(1 for r in fresh if r.status == 'gagal')} tidak dapat dipakai. "
        f"Dilewati karena sudah mutakhir: {skipped}."
    )
    for r in gagal:
        out.print(f"  Tidak dapat dipakai: {r.berkas}: {r.pesan}")
    out.print(f"Rekap: {output_dir / REKAP_XLSX} dan {output_dir / REKAP_CSV}")
    all_ok = all(r.status == "ok" for r in results)
    return (0 if all_ok else 2), results
