"""The file-level error every door reports the same way."""

from __future__ import annotations


class BerkasTidakDapatDipakai(Exception):
    """The workbook cannot be used at all; nothing is written. The message is for staff."""
