"""What the "Hitung IKU" button runs (``RunPython`` in ``workbook/vba/IKU.bas``).

A fixed import, independent of the workbook's file name. This runs inside
Excel's Python on Windows and macOS: keep it free of OS-specific calls.
"""

from __future__ import annotations


def hitung_iku() -> None:
    import xlwings as xw

    from .excel_book import jalankan

    jalankan(xw.Book.caller(), live=True)
