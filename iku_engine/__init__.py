"""IKU engine: the pure computation of a kecamatan's Indikator Kinerja Utama.

No Excel library, no files: plain data in (:class:`IkuInput`), plain results
out (:class:`HasilIKU`). Every door (the Excel button, the server, the CLI)
calls :func:`hitung`.
"""

from .capaian import hitung_capaian, predikat
from .catalog import Katalog, katalog_dari_json, katalog_kanigaran
from .compute import hitung
from .models import HasilIKU, IkuInput
from .problems import Masalah, Tingkat

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
