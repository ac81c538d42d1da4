"""The terminal: Indonesian text where user text is always data.

Every console here has rich markup off, so a name such as
``Persentase LKK [/] difasilitasi`` or a file ``IKU [final].xlsm`` prints as
it is; only the styles this module adds (``Gagal:``) are styled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, markup=False, highlight=False, emoji=False)


def fail(out: Console, message: str, label: str = "Gagal:") -> None:
    """``Gagal: <message>`` with the label in bold red and the message as plain text."""
    from rich.text import Text

    out.print(Text.assemble((label, "bold red"), " ", message))


# argparse's own texts (Python 3.11 ``argparse``, which looks each up with
# ``gettext``) in Bahasa Indonesia.
ARGPARSE_ID = {
    "usage: ": "cara pakai: ",
    "options": "pilihan",
    "positional arguments": "argumen",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "show program's version number and exit": "tampilkan versi program lalu keluar",
    "the following arguments are required: %s": "argumen berikut wajib diisi: %s",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "pilihan %(value)r tidak dikenal (pilih dari %(choices)s)",
    "expected one argument": "perlu satu nilai",
    "expected at most one argument": "paling banyak satu nilai",
    "expected at least one argument": "perlu sedikitnya satu nilai",
    "expected %s argument": "perlu %s nilai",
    "expected %s arguments": "perlu %s nilai",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "nilai %(value)r bukan %(type)s yang sah",
    "ambiguous option: %(option)s could match %(matches)s": "pilihan %(option)s ambigu, dapat berarti %(matches)s",
    "not allowed with argument %s": "tidak boleh bersama argumen %s",
    "one of the arguments %s is required": "salah satu argumen %s wajib diisi",
    "%(prog)s: error: %(message)s\n": "%(prog)s: galat: %(message)s\n",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "perintah %(parser_name)r tidak dikenal (pilih dari %(choices)s)",
}


def indonesian_argparse() -> None:
    """Make argparse speak Bahasa Indonesia (its texts go through module-level
    ``_`` and ``ngettext``, which are looked up at each use)."""
    import argparse

    def translate(text: str) -> str:
        return ARGPARSE_ID.get(text, text)

    def translate_plural(singular: str, plural: str, n: int) -> str:
        return translate(singular if n == 1 else plural)

    argparse._ = translate  # type: ignore[attr-defined]
    argparse.ngettext = translate_plural  # type: ignore[attr-defined]
