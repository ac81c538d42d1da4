"""IKU engine: the pure computation of a kecamatan's Indikator Kinerja Utama.

No Excel library, no files: plain data in (:class:`IkuInput`), plain results
out (:class:`HasilIKU`). Every door (the Excel button, the server, the CLI)
calls :func:`hitung`.
"""

from typing import TYPE_CHECKING, Any

from .capaian import hitung_capaian, predikat
from .compute import hitung
from .models import HasilIKU, IkuInput
from .problems import Masalah, Tingkat

if TYPE_CHECKING:
    from .catalog import Katalog, katalog_dari_json, katalog_kanigaran

_CATALOG = ("Katalog", "katalog_dari_json", "katalog_kanigaran")


def __getattr__(name: str) -> Any:
    # The catalog (its models and data file) is for building workbooks; a run
    # of the engine does not load it.
    if name in _CATALOG:
        from . import catalog

        return getattr(catalog, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "HasilIKU",
    "IkuInput",
    "Katalog",
    "Masalah",
    "Tingkat",
    "hitung",
    "hitung_capaian",
    "katalog_dari_json",
    "katalog_kanigaran",
    "predikat",
]
