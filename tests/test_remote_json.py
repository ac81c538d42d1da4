"""The server's JSON reader: the fast path (orjson) gives exactly what the
standard library gives, and every quirk of xlwings' VBA writer still reads."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addin import remote_json
from addin.remote_json import ClientJsonError, parse_client_json

cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(["35.74.04.1003.01", "2021-01-01T00:00:00.000Z", "#N/A", "", "081234567890123456"]),
)
documents = st.recursive(
    st.lists(cells, max_size=6),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=40,
)


def standard(body: bytes) -> object:
    """The reader with the fast path taken out."""
    text = body.decode("utf-8")
    try:
        return remote_json._loads(text, remote_json._scan(text))
    except json.JSONDecodeError:
        repaired = remote_json._repair(text)
        return remote_json._loads(repaired, remote_json._scan(repaired))


def same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


@settings(max_examples=400, deadline=None)
@given(documents, st.sampled_from([(",", ":"), (", ", ": ")]))
def test_the_fast_path_reads_what_the_standard_library_reads(document, separators):
    body = json.dumps(document, separators=separators, ensure_ascii=False).encode("utf-8")
    assert same(parse_client_json(body), standard(body))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"[1,,2]", [1, "#GALAT?", 2]),  # an error the client could not name
        (b"[35.74.04.1003.01]", ["35.74.04.1003.01"]),  # bare kode wilayah
        (b"[1234567890123456789]", ["1234567890123456789"]),  # 19 digits: text, not a rounded number
        (b"[-12345678901234567890123]", [-12345678901234567890123]),  # beyond 64 bits stays exact
        (b'["\\ud800"]', ["\ud800"]),  # a lone surrogate, as the standard library reads it
        (b"[1E400, -1e999]", ["1E400", "-1e999"]),  # no double holds it: text, named by the engine
    ],
)
def test_quirks_read_as_before(body, expected):
    assert parse_client_json(body) == expected


@pytest.mark.parametrize("body", [b"[NaN]", b"[Infinity]", b"[1,2", b"\xff"])
def test_bad_bodies_are_refused_in_indonesian(body):
    with pytest.raises(ClientJsonError, match="Permintaan"):
        parse_client_json(body)
