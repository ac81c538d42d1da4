"""``iku serve``: the server behind the "Hitung IKU (Server)" button.

``POST /hitung-iku`` takes the JSON that VBA's ``RunRemotePython`` posts,
runs the same reading, engine and writing as the other doors on
``xw.Book(json=payload)``, and answers the actions VBA replays
(``book.json()``). ``GET /health`` answers 200.

Security: the ``Authorization`` header must equal ``IKU_API_KEY``
(constant-time comparison); request bodies are limited in size; workbook
content is never logged, only sizes and durations.
"""

from __future__ import annotations

import asyncio
import gc
import hmac
import logging
import math
import os
import time
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from starlette.requests import ClientDisconnect

from .excel_book import jalankan
from .pipeline import PESAN_TAK_TERDUGA
from .remote_json import ClientJsonError, parse_client_json

log = logging.getLogger("iku.server")
DEFAULT_MAX_BODY = 20 * 1024 * 1024
DEFAULT_BODY_SECONDS = 60.0
DEFAULT_HEADER_SECONDS = 10.0
ENV_KEY = "IKU_API_KEY"
ENV_MAX_BODY = "IKU_MAX_BODY_MB"
ENV_BODY_TIMEOUT = "IKU_BODY_TIMEOUT_S"
ENV_HEADER_TIMEOUT = "IKU_HEADER_TIMEOUT_S"


def _text(status: int, message: str) -> PlainTextResponse:
    # VBA shows a non-200 answer's body in a message box: plain Indonesian text.
    return PlainTextResponse(message, status_code=status)


def create_app(api_key: str | None, max_body: int = DEFAULT_MAX_BODY, body_seconds: float = 30.0) -> FastAPI:
    """The ASGI app. ``api_key`` None means no key is required (local development only)."""
    # xlwings' remote engine is licensed PolyForm Noncommercial 1.0.0 (which names
    # government institutions as a permitted use) or commercially; see the README.
    # It registers when xlwings is first imported, so the key must be set before.
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    import xlwings as xw

    app = FastAPI(title="IKU Kecamatan", docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok", "xlwings": xw.__version__}

    @app.post("/hitung-iku")
    async def hitung_iku(request: Request) -> Any:
        started = time.perf_counter()
        if api_key is not None:
            given = request.headers.get("authorization")
            if not given:
                return _text(
                    401,
                    "Kunci API belum diisi. Isi AUTH pada lembar xlwings.conf dengan kunci dari Diskominfo.",
                )
            if not hmac.compare_digest(given.encode("utf-8"), api_key.encode("utf-8")):
                return _text(403, "Kunci API salah. Periksa AUTH pada lembar xlwings.conf.")
        body = bytearray()
        too_big = False
        try:
            async with asyncio.timeout(body_seconds):
                async for chunk in request.stream():
                    if too_big:
                        continue  # read the rest, so the client gets the answer instead of a broken pipe
                    body += chunk
                    if len(body) > max_body:
                        too_big = True
                        body = bytearray()
        except ClientDisconnect:
            log.info("hitung-iku: client disconnected before the body was complete")
            return _text(400, "Permintaan terputus sebelum lengkap.")
        except TimeoutError:
            log.info("hitung-iku: body not complete within %g s", body_seconds)
            return _text(
                408,
                f"Isi permintaan tidak selesai terkirim dalam {body_seconds:g} detik. Periksa jaringan, lalu coba lagi.",
            )
        if too_big:
            return _text(413, _too_big(max_body))
        try:
            payload = parse_client_json(bytes(body))
        except ClientJsonError as exc:
            log.info("hitung-iku: 400, %s (%d bytes)", exc, len(body))
            return _text(
                400,
                f"{exc} Tombol 'Hitung IKU (Server)' harus dijalankan dari buku kerja IKU; "
                "bila masalah berulang, hubungi petugas TI.",
            )
        problem = _check_payload(payload, xw.__version__)
        if problem:
            log.info("hitung-iku: 400, payload incomplete (%d bytes)", len(body))
            return _text(400, problem)
        from starlette.concurrency import run_in_threadpool

        try:
            actions = await run_in_threadpool(_compute, payload)
        except Exception as exc:  # logged in one line; the workbook content never is
            log.warning("hitung-iku: unexpected %s", type(exc).__name__)
            actions = {"actions": [_alert(PESAN_TAK_TERDUGA.format(jenis=type(exc).__name__))]}
        log.info(
            "hitung-iku: %d bytes in, %d actions, %.0f ms",
            len(body),
            len(actions["actions"]),
            (time.perf_counter() - started) * 1000,
        )
        return JSONResponse(actions)

    return app


def _too_big(limit: int) -> str:
    return (
        f"Isi buku kerja yang dikirim lebih dari {limit // (1024 * 1024)} MB. Pastikan INCLUDE pada lembar "
        "xlwings.conf hanya menyebut lembar yang diperlukan, atau hubungi petugas TI."
    )


def _check_payload(payload: Any, version: str) -> str | None:
    if not isinstance(payload, dict) or not isinstance(payload.get("sheets"), list) or "book" not in payload:
        return "Permintaan tidak berisi buku kerja (bagian 'book' dan 'sheets'). Jalankan tombol dari buku kerja IKU."
    client_version = payload.get("version")
    if client_version != version:
        return (
            f"Versi xlwings di buku kerja ({client_version}) berbeda dengan server ({version}). "
            f"Pakai buku kerja IKU yang dibuat untuk xlwings {version}, atau minta petugas TI menyamakan versinya."
        )
    for sheet in payload["sheets"]:
        if (
            not isinstance(sheet, dict)
            or not isinstance(sheet.get("name"), str)
            or not isinstance(sheet.get("values"), list)
        ):
            return "Bagian 'sheets' pada permintaan tidak lengkap. Jalankan tombol dari buku kerja IKU."
    return None


def _compute(payload: dict[str, Any]) -> dict[str, Any]:
    """One request on its own JSON book, closed afterwards (xlwings keeps every
    open book in a process-wide list)."""
    import xlwings as xw

    try:
        book = xw.Book(json=payload)
    except Exception as exc:  # a payload xlwings cannot build a book from
        log.info("hitung-iku: book not built (%s)", type(exc).__name__)
        return {
            "actions": [
                _alert("Isi buku kerja tidak dapat dibaca server. Jalankan tombol dari buku kerja IKU.")
            ]
        }
    # Reading a survey allocates many small lists at once; the cyclic collector
    # has nothing to find in them (the book is closed below), so it waits.
    collecting = gc.isenabled()
    gc.disable()
    try:
        jalankan(book, live=False)
        result: dict[str, Any] = book.json()
    finally:
        book.close()
        if collecting:
            gc.enable()
    return result


def _alert(message: str) -> dict[str, Any]:
    return {
        "func": "alert",
        "args": [message, "Hitung IKU", "", "critical", ""],
        "values": None,
        "sheet_position": None,
        "start_row": None,
        "start_column": None,
        "row_count": None,
        "column_count": None,
    }


class SettingError(ValueError):
    """A server setting (environment variable) that cannot be used; the message is Indonesian."""


def _setting(name: str, default: float, low: float, high: float) -> float:
    """A positive number from the environment, checked at start."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw.strip().replace(",", "."))
    except ValueError:
        raise SettingError(f"{name}={raw!r} bukan angka. Isi angka antara {low:g} dan {high:g}.") from None
    if not (math.isfinite(value) and low <= value <= high):
        raise SettingError(f"{name}={raw!r} di luar batas. Isi angka antara {low:g} dan {high:g}.")
    return value


def _timed_protocol(header_seconds: float) -> type:
    """uvicorn's h11 protocol, closing a connection whose request headers do not
    arrive in time (a slow or stalled client would otherwise hold it forever)."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HeaderTimeoutH11(H11Protocol):
        _deadline: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._deadline = self.loop.call_later(header_seconds, self._too_slow)

        def handle_events(self) -> None:
            super().handle_events()
            if self.cycle is not None and self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def connection_lost(self, exc: Exception | None) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
            super().connection_lost(exc)

        def _too_slow(self) -> None:
            self._deadline = None
            if self.cycle is None:
                log.info("connection closed: request headers not complete within %g s", header_seconds)
                self.transport.close()

    return HeaderTimeoutH11


def serve(host: str, port: int, dev: bool) -> int:
    """Start uvicorn; refuse to run without a key unless told it is local development."""
    import uvicorn

    key = os.environ.get(ENV_KEY) or None
    if key is None and not dev:
        print(
            f"Server tidak dijalankan: variabel lingkungan {ENV_KEY} belum diisi. Isi dengan kunci rahasia "
            "(sama dengan AUTH di lembar xlwings.conf), atau pakai --tanpa-kunci hanya untuk percobaan lokal."
        )
        return 1
    try:
        max_body = int(_setting(ENV_MAX_BODY, DEFAULT_MAX_BODY / (1024 * 1024), 0.01, 1024) * 1024 * 1024)
        body_seconds = _setting(ENV_BODY_TIMEOUT, DEFAULT_BODY_SECONDS, 0.1, 3600)
        header_seconds = _setting(ENV_HEADER_TIMEOUT, DEFAULT_HEADER_SECONDS, 0.1, 3600)
    except SettingError as exc:
        print(f"Server tidak dijalankan: {exc}")
        return 1
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    uvicorn.run(
        create_app(key, max_body, body_seconds),
        host=host,
        port=port,
        log_level="info",
        access_log=True,
        http=_timed_protocol(header_seconds),
        timeout_keep_alive=5,
    )
    return 0
