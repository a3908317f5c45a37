"""The package layout is the architecture: these rules keep it true.

- ``core`` is pure: the standard library's non-I/O modules only, and nothing else of ours.
- ``files`` (a file replaced whole, for every layer above the core) builds on the core only.
- ``config`` (the way in) builds on the core and ``files`` only.
- Each adapter (``xlsx``, ``google``, ``mail``, ``report``, ``history``) builds on the core and
  config, never on a sibling adapter, and is the only importer of its outside library.
- ``workflows`` may combine adapters; only the ``cli`` package (and ``__main__``) sit above it,
  and only the ``cli`` package imports click. The ``cli`` only wires: it imports no adapter,
  but calls a ``workflows`` (or config, core) function.
- No module imports itself through others (an import cycle), not even from inside a function.

The imports are read with ``ast`` from the source, so a rule broken anywhere (even inside a
function) fails here with the module, the line and the rule.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = "ladder_sheets"
SRC = Path(__file__).resolve().parents[1] / "src" / PACKAGE

ADAPTERS = ("xlsx", "google", "mail", "report", "history")
# Layer of each top-level part of the package: a module may import its own part and lower layers.
LAYER = {"core": 0, "files": 1, "config": 2, **{a: 3 for a in ADAPTERS}, "workflows": 4,
         "cli": 5, "__main__": 5, "__init__": 5}

# Standard-library modules the pure core may use: no files, processes, network or clocks of the OS.
CORE_STDLIB = {"__future__", "collections", "dataclasses", "datetime", "decimal", "enum", "fractions", "functools",
               "itertools", "math", "operator", "re", "statistics", "string", "sys", "textwrap", "typing", "unicodedata"}

# Who alone may import each outside library (and the standard library's I/O modules that belong to one system).
OWNER = {
    "openpyxl": "xlsx", "xlsxwriter": "xlsx", "python_calamine": "xlsx", "olefile": "xlsx", "zipfile": "xlsx",
    "xml": "xlsx",
    "gspread": "google", "google": "google", "google_auth_oauthlib": "google", "requests": "google",
    "urllib3": "google",
    "smtplib": "mail", "email": "mail", "mailbox": "mail", "ssl": "mail",
    "jinja2": "report", "markupsafe": "report", "weasyprint": "report",
    "sqlite3": "history",
    "yaml": "config",
    "click": "cli",
}
CLI_PARTS = {"cli", "__main__"}


@dataclass(frozen=True)
class Import:
    module: str  # e.g. ladder_sheets.xlsx.writer
    line: int
    target: str  # absolute dotted name imported


def part_of(module: str) -> str:
    """The top-level part of the package a module belongs to (``ladder_sheets.xlsx.writer`` -> ``xlsx``)."""
    return module.split(".")[1] if module.count(".") >= 1 else "__init__"


def module_name(path: Path, src: Path) -> str:
    rel = path.relative_to(src.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__" and len(parts) > 2:
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(path: Path, src: Path) -> list[Import]:
    module = module_name(path, src)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [Import(module, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            if prefix == PACKAGE or (node.level and not node.module):
                # "from . import x" / "from ..core import layout": each name may be a module
                found += [Import(module, node.lineno, f"{prefix}.{alias.name}") for alias in node.names]
            else:
                found.append(Import(module, node.lineno, prefix))
    return found


def violations(src: Path) -> list[str]:
    """Every broken rule in the package at ``src``, as 'module:line: what'."""
    stdlib = set(sys.stdlib_module_names)
    broken = []
    for path in sorted(src.rglob("*.py")):
        for imp in imports_of(path, src):
            mine, top = part_of(imp.module), imp.target.split(".")[0]
            where = f"{imp.module}:{imp.line}: imports {imp.target}"
            if top == PACKAGE:
                theirs = part_of(imp.target)
                if theirs not in LAYER:
                    continue  # ladder_sheets.__version__ and the like
                if LAYER[theirs] > LAYER[mine]:
                    broken.append(f"{where}: {mine} may not import the layer above it ({theirs})")
                elif LAYER[theirs] == LAYER[mine] and theirs != mine and mine in ADAPTERS:
                    broken.append(f"{where}: adapter {mine} may not import its sibling adapter {theirs}")
                elif mine in CLI_PARTS and theirs in ADAPTERS:
                    broken.append(f"{where}: cli only wires: call a workflows function, not adapter {theirs}")
                continue
            owner = OWNER.get(top)
            if mine == "core" and top not in CORE_STDLIB:
                broken.append(f"{where}: the core is pure (no I/O, no outside library)")
            elif owner is not None and owner != mine and not (owner == "cli" and mine in CLI_PARTS):
                broken.append(f"{where}: only {owner} may import {top}")
            elif owner is None and top not in stdlib and mine != "core":
                broken.append(f"{where}: an outside library without an owning adapter (add it to OWNER)")
    return broken


def test_the_package_keeps_its_architecture() -> None:
    assert violations(SRC) == []


def test_every_part_of_the_package_has_a_layer() -> None:
    parts = {p.stem if p.is_file() else p.name for p in SRC.iterdir()
             if (p.suffix == ".py") or (p.is_dir() and (p / "__init__.py").exists())}
    assert parts <= set(LAYER), f"parts without a layer: {sorted(parts - set(LAYER))}"


def import_cycles(src: Path) -> list[list[str]]:
    """Every import cycle among the package's modules, each as the modules along it."""
    paths = sorted(src.rglob("*.py"))
    modules = {module_name(p, src) for p in paths}
    graph: dict[str, set[str]] = {}
    for path in paths:
        module, targets = module_name(path, src), set()
        for imp in imports_of(path, src):
            target = imp.target
            while target and target not in modules:  # a name imported from a module: that module
                target = target.rpartition(".")[0]
            if target and target != module:
                targets.add(target)
        graph[module] = targets
    found: list[list[str]] = []
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        for target in sorted(graph[module]):
            if target in path:
                found.append(path[path.index(target):] + [target])
            elif target not in done:
                visit(target, path + [target])
        done.add(module)

    for module in sorted(graph):
        if module not in done:
            visit(module, [module])
    return found


def test_no_import_cycle() -> None:
    assert import_cycles(SRC) == []


def test_an_import_cycle_is_caught(tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / PACKAGE
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "core" / "a.py").write_text("from . import b\n", encoding="utf-8")
    (copy / "core" / "b.py").write_text("def f():\n    from .a import x\n", encoding="utf-8")
    assert import_cycles(copy) == [[f"{PACKAGE}.core.a", f"{PACKAGE}.core.b", f"{PACKAGE}.core.a"]]


@pytest.mark.parametrize(("where", "code", "expected"), [
    ("core/bad.py", "import os\n", "the core is pure"),
    ("core/bad.py", "from ..xlsx import writer\n", "core may not import the layer above it (xlsx)"),
    ("core/bad.py", "def f():\n    import openpyxl\n", "the core is pure"),
    ("xlsx/bad.py", "from ..google.client import Sheets\n", "adapter xlsx may not import its sibling adapter google"),
    ("xlsx/bad.py", "from ladder_sheets.mail import smtp\n", "adapter xlsx may not import its sibling adapter mail"),
    ("report/bad.py", "import openpyxl\n", "only xlsx may import openpyxl"),
    ("mail/bad.py", "from ..workflows import report\n", "mail may not import the layer above it (workflows)"),
    ("workflows/bad.py", "import click\n", "only cli may import click"),
    ("workflows/bad.py", "from ..cli.options import team_option\n", "workflows may not import the layer above it (cli)"),
    ("google/bad.py", "import httpx\n", "an outside library without an owning adapter"),
    ("config/bad.py", "from .. import cli\n", "config may not import the layer above it (cli)"),
    ("cli/bad.py", "from ..xlsx.collect import collect\n", "cli only wires: call a workflows function, not adapter xlsx"),
    ("cli/bad.py", "def f():\n    from ..history import store\n", "not adapter history"),
    ("cli/bad.py", "from ladder_sheets.google.client import connect\n", "not adapter google"),
    ("cli/bad.py", "from .. import report\n", "not adapter report"),
    ("__main__.py", "from .mail import smtp\n", "not adapter mail"),
    ("files.py", "from .workflows import report\n", "files may not import the layer above it (workflows)"),
    ("files.py", "import zipfile\n", "only xlsx may import zipfile"),
    ("core/bad.py", "from .. import files\n", "core may not import the layer above it (files)"),
])
def test_a_broken_rule_is_caught(tmp_path: Path, where: str, code: str, expected: str) -> None:
    """The rules are not vacuous: plant one bad import in a copy of the package and it is named."""
    import shutil

    copy = tmp_path / PACKAGE
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / where).write_text(code, encoding="utf-8")
    found = violations(copy)
    assert len(found) == 1 and expected in found[0] and found[0].startswith(
        f"{PACKAGE}.{where[:-3].replace('/', '.')}:"), found
