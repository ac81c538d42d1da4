"""The engine is pure: no Excel library, no file or network access."""

import ast
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[1] / "iku_engine"
FORBIDDEN_MODULES = {
    "xlwings",
    "openpyxl",
    "xlsxwriter",
    "python_calamine",
    "zipfile",
    "socket",
    "os",
    "pathlib",
}


def test_importing_the_engine_loads_no_excel_library():
    code = (
        "import sys, iku_engine, iku_engine.compute, iku_engine.contoh; "
        "bad = [m for m in ('xlwings', 'openpyxl', 'xlsxwriter', 'python_calamine') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_engine_source_imports_nothing_that_touches_files_or_excel():
    offenders = []
    for path in ENGINE.rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module.split(".")[0]]
            elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "open":
                names = ["open()"]
            offenders += [f"{path.name}: {n}" for n in names if n in FORBIDDEN_MODULES | {"open()"}]
    assert offenders == []
