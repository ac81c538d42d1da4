"""A real ``iku serve`` (uvicorn) on 127.0.0.1 for the tests that need one."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from typing import IO

import pytest

from tests.workbooks import ROOT

KEY = "rahasia-uji-123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_refused(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``iku serve`` with exactly ``env``, expected to refuse to start (it returns at once)."""
    return subprocess.run(
        [sys.executable, "-m", "addin.cli", "serve", "--port", str(free_port())],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )


@contextlib.contextmanager
def running_server(
    env: dict[str, str], output: IO[bytes] | int | None = subprocess.DEVNULL
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Start ``iku serve`` with ``env`` added to the environment; wait until /health answers."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "addin.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(base + "/health", timeout=1) as answer:
                if answer.status == 200:
                    break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("iku serve did not start")
    try:
        yield base, proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)
