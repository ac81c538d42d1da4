"""xlwings 0.37.8's Windows UDF machinery, run on Linux for tests.

In Excel on Windows a worksheet function reaches Python through
``xlwings.udfs.call_udf`` (``xlwings/udfs.py`` lines 474-590): the
decorators ``xlfunc``/``xlarg``/``xlret`` (lines 156-275, bound to
``xw.func``/``xw.arg``/``xw.ret`` by ``xlwings/__init__.py`` lines 355-363)
record each argument's and the result's converter from the type hints,
arguments go through ``conversion.read(None, value, options)`` (line 506),
the result through ``conversion.write(ret, None, options)`` (line 577), and
both conversions use the "excel" engine's value functions
(``xlwings/_xlwindows.py``: ``cell_errors`` lines 445-453,
``_clean_value_data_element`` lines 455-469, ``Engine`` lines 472-520).

This module runs that code, not a copy of it: it imports ``xlwings.udfs``
with empty stand-ins for the three pywin32 modules it imports, loads the
value functions from the installed ``_xlwindows.py`` source (the rest of that
module needs COM), registers them as the "excel" engine, and imports
``addin.udf`` afresh with the Windows decorators bound.
"""

from __future__ import annotations

import ast
import datetime as dt
import types
from pathlib import Path
from typing import Any

import xlwings

from addin.vba.udf_wrappers import udf_module_as_on_windows

XLWINGS_DIR = Path(xlwings.__file__).parent
MISSING = -2147352572  # udfs.py line 500: how COM passes an omitted optional argument


def _windows_value_engine() -> Any:
    """``Engine`` of _xlwindows.py with its value functions, from the installed source."""
    tree = ast.parse((XLWINGS_DIR / "_xlwindows.py").read_text("utf-8"))
    keep = {"cell_errors", "_clean_value_data_element", "Engine"}
    nodes = [
        node
        for node in tree.body
        if (isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name in keep)
        or (isinstance(node, ast.Assign) and any(getattr(t, "id", None) in keep for t in node.targets))
    ]
    namespace: dict[str, Any] = {
        "dt": dt,
        "pd": None,
        "np": None,
        "time_types": (dt.date, dt.datetime),
        "_com_time_to_datetime": lambda value, builder: value,
        "_datetime_to_com_time": lambda value: value,
        "Apps": None,
    }
    exec(compile(ast.Module(body=nodes, type_ignores=[]), "xlwings/_xlwindows.py", "exec"), namespace)
    return namespace["Engine"]()


def load_udf_module() -> types.ModuleType:
    """``addin.udf`` as Excel on Windows imports it, with the "excel" value engine registered."""
    if "excel" not in xlwings.engines.engines_by_name:
        xlwings.engines.engines_by_name["excel"] = xlwings.main.Engine(impl=_windows_value_engine())
    return udf_module_as_on_windows()


def call_udf(module: types.ModuleType, name: str, *args: Any) -> Any:
    """The conversion steps of ``xlwings.udfs.call_udf`` for a cell's call."""
    from xlwings import conversion

    func = getattr(module, name)
    info = func.__xlfunc__
    args_info, ret_info = info["args"], info["ret"]
    values = list(args) + [MISSING] * (len(args_info) - len(args))
    for i, arg in enumerate(values):
        arg_info = args_info[min(i, len(args_info) - 1)]
        if isinstance(arg, int) and arg == MISSING:
            values[i] = arg_info.get("optional", None)
        else:
            values[i] = conversion.read(None, arg, arg_info["options"])
    result = func(*values)
    return conversion.write(result, None, ret_info["options"])
