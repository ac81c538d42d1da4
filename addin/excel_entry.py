"""What the workbook's buttons run (``RunPython`` in ``workbook/vba/IKU.bas``).

Fixed imports, independent of the workbook's file name. This runs inside
Excel's Python on Windows and macOS: keep it free of OS-specific calls.
"""

from __future__ import annotations


def hitung_iku() -> None:
    """The "Hitung IKU" button."""
    import xlwings as xw

    from .excel_book import jalankan

    jalankan(xw.Book.caller(), live=True)


def cetak_laporan() -> None:
    """The "Cetak Laporan" button: the LKjIP chapter as Word, beside the workbook."""
    import xlwings as xw

    from .laporan import cetak

    cetak(xw.Book.caller())


def periksa_instalasi() -> None:
    """The "Periksa Instalasi" button."""
    import xlwings as xw

    from .installation import periksa

    periksa(xw.Book.caller(), xw.__version__)
