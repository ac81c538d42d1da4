"""Tasks that kill the process running them for one file, as a worker that runs
out of memory or is killed would: for the batch's crash tests."""

from __future__ import annotations

import os

from addin.batch import HasilTugas, proses_berkas, proses_kelompok

POISON = "racun.xlsm"


def crash_on_poison(name: str, data: bytes) -> HasilTugas:
    if name == POISON:
        os._exit(9)
    return proses_berkas(name, data)


def crash_group_on_poison(items: list[tuple[str, bytes]]) -> list[HasilTugas]:
    if any(name == POISON for name, _ in items):
        os._exit(9)
    return proses_kelompok(items)
