"""``iku batch`` on a folder: local process pool and a real Dask scheduler and worker."""

from __future__ import annotations

import csv
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
    assert "3 dilewati karena sudah mutakhir" in " ".join(again.stdout.split())
    assert rekap_rows(out) and again.returncode == 2
    forced = run_cli("batch", str(src), "--output", str(out), "--ulang")
    assert "0 dilewati" in " ".join(forced.stdout.split())


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
    common = {"cwd": tmp_path, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
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
