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


ADDIN = ENGINE.parent / "addin"
# docs/architecture.md, "Who may import whom".
DOORS = {"xlsx", "excel_book", "excel_entry", "server", "hitung", "batch", "cli"}
SHARED = {"a1", "errors", "tables", "cell_values", "contract"}
FORBIDDEN_IMPORTS = {
    **{m: DOORS | {"inputs", "outputs", "pipeline"} for m in SHARED},
    "inputs": DOORS,
    "outputs": DOORS,
    "pipeline": DOORS,
    "xlsx": {"inputs", "pipeline"} | (DOORS - {"xlsx"}),
    "excel_book": DOORS - {"excel_book"},
    "hitung": {"excel_book", "excel_entry", "server", "cli", "batch"},
}
# Modules that run inside Excel's Python on Windows and macOS.
IN_EXCEL = [
    "laporan",
    "excel_entry",
    "excel_book",
    "cell_values",
    "installation",
    "udf",
    "pipeline",
    "inputs",
    "outputs",
]


def _addin_imports(path: Path) -> set[str]:
    """First-level ``addin`` modules a file imports (``from ..x``, ``from .x``, ``addin.x``)."""
    found = set()
    package = path.relative_to(ADDIN).parts[:-1]
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - (node.level - 1)])
                parts = base + (node.module.split(".") if node.module else [a.name for a in node.names][:1])
                if parts:
                    found.add(parts[0])
            elif node.module and node.module.startswith("addin."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("addin.")}
    return found


def test_modules_import_only_what_the_architecture_allows():
    offenders = []
    for path in ADDIN.rglob("*.py"):
        rel = path.relative_to(ADDIN)
        module = rel.parts[0] if len(rel.parts) > 1 else rel.stem
        banned = FORBIDDEN_IMPORTS.get(module, set())
        offenders += [f"{rel}: {m}" for m in _addin_imports(path) & banned if m != module]
    assert offenders == []


def test_code_that_runs_inside_excel_uses_no_os_specific_api():
    offenders = []
    for name in IN_EXCEL:
        text = (ADDIN / f"{name}.py").read_text("utf-8")
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                mods = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                offenders += [
                    f"{name}: {m}"
                    for m in mods
                    if m.split(".")[0] in {"fcntl", "signal", "pwd", "grp", "termios", "resource"}
                ]
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value.startswith(("/tmp", "/home", "/usr", "/etc"))
            ):
                offenders.append(f"{name}: {node.value}")
    assert offenders == []
