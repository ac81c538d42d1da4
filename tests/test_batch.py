"""``iku batch`` on a folder: local process pool and a real Dask scheduler and worker."""

from __future__ import annotations

import csv
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from addin import contract as c
from tests.workbooks import copy_shipped, parts, run_cli, set_cell_xml, sheet_part

DASK = Path(sys.executable).with_name("dask")


def make_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    copy_shipped(folder, "IKU_Kanigaran_2021.xlsm")
    galat = copy_shipped(folder, "IKU_Galat.xlsm")
    set_cell_xml(galat, c.SKM, "J8", '<c r="J8"><v>5</v></c>')
    year = copy_shipped(folder, "IKU_2022.xlsm")
    set_cell_xml(year, c.PENGATURAN, "B5", '<c r="B5"><v>2022</v></c>')
    (folder / "rusak.xlsm").write_bytes(b"PK\x03\x04 potongan berkas")
    (folder / "~$IKU_Kanigaran_2021.xlsm").write_bytes(b"kunci Excel")  # ignored
    return folder


def rekap_rows(out: Path) -> list[dict[str, str]]:
    with (out / "rekap.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def without_time(path: Path) -> dict[str, bytes]:
    p = parts(path)
    hasil = sheet_part(path, c.HASIL)
    p[hasil] = re.sub(rb'<c r="B3"[^>]*>.*?</c>', b"", p[hasil], flags=re.S)
    return p


def check_outputs(src: Path, out: Path, tmp: Path) -> None:
    for name in ("IKU_Kanigaran_2021.xlsm", "IKU_Galat.xlsm", "IKU_2022.xlsm"):
        single = tmp / f"single-{name}"
        run = run_cli("hitung", str(src / name), "--output", str(single))
        assert run.returncode in (0, 2)
        assert without_time(out / name) == without_time(single), name
    wb = openpyxl.load_workbook(out / "rekap.xlsx")
    gagal = [[cell.value for cell in row] for row in wb["Gagal"].iter_rows(min_row=2)]
    assert [g[0] for g in gagal] == ["rusak.xlsm"] and "rusak" in gagal[0][1]
    rows = rekap_rows(out)
    assert {r["Berkas"] for r in rows} == {"IKU_Kanigaran_2021.xlsm", "IKU_Galat.xlsm", "IKU_2022.xlsm"}
    iku2 = {r["Berkas"]: r for r in rows if r["Kode"] == "IKU-2"}
    assert (
        iku2["IKU_Galat.xlsm"]["Realisasi"] == "" and iku2["IKU_Kanigaran_2021.xlsm"]["Realisasi"] == "82.44"
    )
    assert iku2["IKU_2022.xlsm"]["Tahun"] == "2022" and iku2["IKU_2022.xlsm"]["Target"] == "83.5"


def test_local_pool_processes_the_folder_and_never_touches_inputs(tmp_path):
    src = make_folder(tmp_path / "masuk")
    before = {p.name: p.read_bytes() for p in src.iterdir()}
    out = tmp_path / "keluar"
    run = run_cli("batch", str(src), "--output", str(out), "--workers", "2")
    assert run.returncode == 2, run.stderr
    assert "rusak.xlsm" in run.stdout and "1 tidak dapat dipakai" in " ".join(run.stdout.split())
    assert {p.name: p.read_bytes() for p in src.iterdir()} == before
    check_outputs(src, out, tmp_path)

    again = run_cli("batch", str(src), "--output", str(out), "--workers", "2")
    summary = " ".join(again.stdout.split())
    assert "Dihitung sekarang 1:" in summary and "Dilewati karena sudah mutakhir: 3." in summary
    assert rekap_rows(out) and again.returncode == 2
    forced = run_cli("batch", str(src), "--output", str(out), "--ulang")
    assert "Dilewati karena sudah mutakhir: 0." in " ".join(forced.stdout.split())


def test_all_clean_gives_exit_0_and_recursive_finds_subfolders(tmp_path):
    src = tmp_path / "masuk"
    (src / "sub").mkdir(parents=True)
    copy_shipped(src, "a.xlsm")
    copy_shipped(src / "sub", "b.xlsm")
    out = tmp_path / "keluar"
    assert run_cli("batch", str(src), "--output", str(out), "--workers", "1").returncode == 0
    assert not (out / "sub" / "b.xlsm").exists()
    assert run_cli("batch", str(src), "--output", str(out), "--recursive").returncode == 0
    assert (out / "sub" / "b.xlsm").exists()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dask_cluster(tmp_path):
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    # The project on the path, so the cluster can import the crash tests' tasks (tests.batch_poison).
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    common = {"cwd": tmp_path, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env}
    scheduler = subprocess.Popen(
        [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"], **common
    )
    worker = subprocess.Popen(
        [
            str(DASK),
            "worker",
            address,
            "--nworkers",
            "1",
            "--nthreads",
            "1",
            "--no-dashboard",
            "--host",
            "127.0.0.1",
        ],
        **common,
    )
    deadline = time.time() + 60
    from distributed import Client

    while True:
        try:
            with Client(address, timeout="5s") as client:
                if client.scheduler_info()["workers"]:
                    break
        except OSError:
            pass
        if time.time() > deadline:
            pytest.fail("Dask scheduler/worker did not start")
        time.sleep(0.5)
    yield address
    for proc in (worker, scheduler):
        proc.terminate()
    for proc in (worker, scheduler):
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.mark.slow
def test_dask_cluster_processes_the_folder_like_iku_hitung(tmp_path, dask_cluster):
    src = make_folder(tmp_path / "masuk")
    out = tmp_path / "keluar"
    run = run_cli("batch", str(src), "--output", str(out), "--scheduler", dask_cluster)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "rusak.xlsm" in run.stdout
    check_outputs(src, out, tmp_path)


@pytest.mark.slow
def test_unreachable_scheduler_is_a_clear_error(tmp_path):
    src = tmp_path / "masuk"
    src.mkdir()
    copy_shipped(src, "a.xlsm")
    run = run_cli(
        "batch",
        str(src),
        "--output",
        str(tmp_path / "keluar"),
        "--scheduler",
        f"tcp://127.0.0.1:{free_port()}",
    )
    assert run.returncode == 1 and "penjadwal Dask" in run.stderr and "Traceback" not in run.stderr


def _tasks(folder: Path, names: list[str]) -> list[tuple[str, bytes]]:
    data = copy_shipped(folder, "contoh.xlsm").read_bytes()
    return [(name, data) for name in names]


@pytest.mark.slow
@pytest.mark.parametrize("files", [5, 40])  # 40: several files travel to a worker together
def test_a_worker_that_dies_fails_only_its_file_and_the_rest_go_on(tmp_path, files):
    from addin.batch import PEKERJA_BERHENTI, _run_local
    from tests.batch_poison import POISON, crash_on_poison

    names = [f"IKU_{i}.xlsm" for i in range(files)] + [POISON]
    results = {r.berkas: r for r in _run_local(_tasks(tmp_path, names), 2, crash_on_poison)}
    assert set(results) == set(names)
    assert results[POISON].status == "gagal" and results[POISON].pesan == PEKERJA_BERHENTI
    assert all(results[n].status == "ok" and results[n].data for n in names if n != POISON)


@pytest.mark.slow
def test_a_lost_dask_worker_fails_its_files_with_a_reason(tmp_path, dask_cluster):
    import tests.batch_poison as poison
    from addin.batch import DaskRunner

    runner = DaskRunner(dask_cluster)
    try:
        names = [f"IKU_{i}.xlsm" for i in range(3)] + [poison.POISON]
        results = {r.berkas: r for r in runner.run(_tasks(tmp_path, names), poison.crash_group_on_poison)}
    finally:
        runner.close()
    assert set(results) == set(names)
    assert results[poison.POISON].status == "gagal" and "pekerja Dask" in results[poison.POISON].pesan
    assert [(results[n].status, results[n].pesan) for n in names[:3]] == [("ok", "")] * 3


@pytest.mark.slow
def test_pool_workers_end_when_the_coordinator_is_killed(tmp_path):
    import os
    import signal

    import psutil

    src = tmp_path / "masuk"
    src.mkdir()
    for i in range(40):
        copy_shipped(src, f"IKU_{i}.xlsm")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "addin.cli",
            "batch",
            str(src),
            "--output",
            str(tmp_path / "keluar"),
            "--workers",
            "2",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    coordinator = psutil.Process(proc.pid)
    deadline = time.time() + 30
    while len(coordinator.children(recursive=True)) < 2 and time.time() < deadline:
        time.sleep(0.05)
    workers = coordinator.children(recursive=True)
    assert workers, "the pool did not start"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    _gone, alive = psutil.wait_procs(workers, timeout=10)
    assert alive == [], f"orphaned workers: {[p.pid for p in alive]}"


@pytest.mark.parametrize("where", ["same", "inside", "parent"])
def test_an_output_folder_overlapping_the_input_is_refused(tmp_path, where):
    src = tmp_path / "masuk"
    src.mkdir()
    copy_shipped(src, "a.xlsm")
    out = {"same": src, "inside": src / "hasil", "parent": tmp_path}[where]
    run = run_cli("batch", str(src), "--output", str(out))
    assert run.returncode == 1 and "folder hasil" in run.stderr and "Traceback" not in run.stderr
    assert not (out / "rekap.csv").exists()


def test_rekap_csv_cells_are_data_never_formulas(tmp_path):
    src = tmp_path / "masuk"
    src.mkdir()
    book = copy_shipped(src, "=HYPERLINK(1).xlsm")
    wb = openpyxl.load_workbook(book, keep_vba=True)
    wb[c.PENGATURAN]["B6"].value = '=HYPERLINK("http://contoh.invalid","klik")'
    wb[c.PENGATURAN]["B6"].data_type = "s"
    wb[c.IKU]["E8"].value = "+1+1"
    wb[c.IKU]["E9"].value = "-IKM"
    wb[c.IKU]["E10"].value = "@SUM(A1)"
    wb.save(book)
    out = tmp_path / "keluar"
    run = run_cli("batch", str(src), "--output", str(out), "--workers", "1")
    assert run.returncode in (0, 2), run.stderr
    with (out / "rekap.csv").open(encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]

    def is_number(cell: str) -> bool:
        try:
            float(cell)
        except ValueError:
            return False
        return True

    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@") and not is_number(cell)], (
        "a cell a spreadsheet reads as a formula"
    )
    assert "'=HYPERLINK(1).xlsm" in cells and "'+1+1" in cells and "'-IKM" in cells and "'@SUM(A1)" in cells
    rows = rekap_rows(out)
    tj1 = next(r for r in rows if r["Kode"] == "TJ-1")
    assert tj1["Realisasi"].startswith("-2.39")  # a negative number stays a number
