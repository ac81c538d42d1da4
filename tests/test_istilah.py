"""One term per thing (docs/istilah.md): no user-facing text uses an avoided term.

User-facing text: the problem messages and the Panduan sheet's table, every
Indonesian string constant of the code (docstrings and comments are English
and excluded), the VBA message boxes, the staff guide, and the cells of the
shipped workbook and of a workbook made by ``iku baru``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import openpyxl
import pytest

from addin.tables import HEADER_ALIASES
from iku_engine.problems import JENIS_MASALAH, PANDUAN_MASALAH
from tests.workbooks import ROOT, SHIPPED, run_cli


def avoided_terms() -> list[str]:
    table = (ROOT / "docs" / "istilah.md").read_text("utf-8")
    terms = []
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        if len(cells) > 3 and cells[2] and not set(cells[2]) <= set("-"):
            terms += re.findall(r"`([^`]+)`", cells[2])
    return terms


def pattern(term: str) -> re.Pattern[str]:
    # Abbreviations are matched in capitals only (tblLKK_ and lkk keys are identifiers).
    flags = 0 if term.isupper() else re.IGNORECASE
    return re.compile(rf"(?<![\w/]){re.escape(term)}(?![\w/])", flags)


def code_strings() -> list[tuple[str, str]]:
    found = []
    for folder in ("addin", "iku_engine"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text("utf-8"))
            docstrings = {
                id(node.body[0].value)
                for node in ast.walk(tree)
                if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                and node.body
                and isinstance(node.body[0], ast.Expr)
                and isinstance(node.body[0].value, ast.Constant)
            }
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                    continue
                if id(node) in docstrings or node.value in HEADER_ALIASES:  # old headers: compatibility only
                    continue
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node.value))
    return found


def workbook_texts(path: Path) -> list[tuple[str, str]]:
    wb = openpyxl.load_workbook(path)
    return [
        (f"{path.name}!{ws.title}!{cell.coordinate}", cell.value)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]


@pytest.fixture(scope="module")
def user_texts(tmp_path_factory) -> list[tuple[str, str]]:
    texts = [(f"masalah {k}", j.template) for k, j in JENIS_MASALAH.items()]
    texts += [(f"panduan {k}", " ".join(v)) for k, v in PANDUAN_MASALAH.items()]
    texts += code_strings()
    texts += [("IKU.bas", (ROOT / "workbook" / "vba" / "IKU.bas").read_text("utf-8"))]
    guide = (ROOT / "docs" / "PANDUAN.md").read_text("utf-8")
    texts += [("PANDUAN.md", re.sub(r"`[a-z0-9-]+`", "", guide))]  # problem codes are identifiers
    texts += workbook_texts(SHIPPED)
    new = tmp_path_factory.mktemp("baru") / "IKU_Mayangan.xlsm"
    run = run_cli("baru", "--kecamatan", "Mayangan", "--kelurahan", "Mangunharjo", "--output", str(new))
    assert run.returncode == 0, run.stderr
    texts += workbook_texts(new)
    return texts


def test_the_glossary_lists_avoided_terms():
    assert {"LKK", "unit layanan", "survey", "sintetis", "rekaan", "punya", "bisa"} <= set(avoided_terms())


def test_no_user_facing_text_uses_an_avoided_term(user_texts):
    offenders = [
        f"{where}: '{term}'"
        for term in avoided_terms()
        for where, text in user_texts
        if pattern(term).search(text)
    ]
    assert offenders == []


def test_the_panduan_sheet_and_the_guide_explain_every_problem_the_same_way():
    guide = (ROOT / "docs" / "PANDUAN.md").read_text("utf-8")
    rows = dict(
        (code, (arti.replace("`", ""), tindakan.replace("`", "")))
        for code, arti, tindakan in re.findall(r"^\| `([a-z0-9-]+)` \| (.+?) \| (.+?) \|$", guide, re.M)
    )
    assert rows == PANDUAN_MASALAH
    assert set(PANDUAN_MASALAH) == set(JENIS_MASALAH)
