"""The shape of the code that keeps ipnav growable (docs/architecture.md): layers import only downward,
the domain packages form no import cycle, no module or function grows past its bound, public names
are documented, and the picture in docs/architecture.md is the one the code draws."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ipnav"
sys.path.insert(0, str(ROOT / "scripts"))

from layers import import_graph, layer_of, package_of  # noqa: E402

MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_package_has_a_layer() -> None:
    packages = {package_of(path) for path in _modules()}
    assert not {p for p in packages if layer_of(p) is None}, "add the new package to scripts/layers.py LAYERS"


def test_modules_import_only_their_own_layer_or_below() -> None:
    upward = [
        f"{module} (layer {layer_of(source)}) imports {target} (layer {layer_of(target)})"
        for (source, target), modules in import_graph().items()
        for module in modules
        if layer_of(target) > layer_of(source)  # type: ignore[operator]
    ]
    assert not upward, "\n".join(upward)


def test_packages_form_no_import_cycle() -> None:
    edges: dict[str, set[str]] = {}
    for source, target in import_graph():
        edges.setdefault(source, set()).add(target)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(n == goal or (n not in seen and reaches(n, goal, seen | {n})) for n in edges.get(start, ()))

    cycles = sorted(f"{a} -> {b} -> ... -> {a}" for a, targets in edges.items() for b in targets if reaches(b, a, {b}))
    assert not cycles, "\n".join(cycles)


def test_modules_and_functions_stay_small() -> None:
    too_big = []
    for path in _modules():
        source = path.read_text(encoding="utf-8")
        if source.count("\n") > MAX_MODULE_LINES:
            too_big.append(f"{path.relative_to(ROOT)}: {source.count(chr(10))} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_big.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {length} lines")
    assert not too_big, "\n".join(too_big)


def test_public_functions_and_classes_are_documented() -> None:
    public, missing = 0, []

    def visit(body: list[ast.stmt], path: Path, prefix: str = "") -> None:
        nonlocal public
        for node in body:
            named = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            if named and not node.name.startswith("_"):
                public += 1
                if not ast.get_docstring(node):
                    missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {prefix}{node.name}")
                if isinstance(node, ast.ClassDef):
                    visit(node.body, path, f"{node.name}.")

    for path in _modules():
        visit(ast.parse(path.read_text(encoding="utf-8")).body, path)
    assert public and len(missing) / public <= 0.10, f"{len(missing)} of {public} undocumented:\n" + "\n".join(missing)


def test_architecture_picture_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "layers.py"), "--check"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_record_kinds_declare_their_parts() -> None:
    from ipnav.application import Ipnav
    from ipnav.store.schema import DDL

    kinds = {k["name"]: k for k in Ipnav.kinds()}
    assert set(kinds) >= {"patent", "transaction"}
    for kind in kinds.values():
        missing = [t for t in kind["tables"] if f"CREATE TABLE IF NOT EXISTS {t} " not in DDL]
        assert not missing, f"{kind['name']}: tables not in the schema: {missing}"
        module, _, name = kind["model"].rpartition(".")
        assert hasattr(__import__(module, fromlist=[name]), name)
    patent = kinds["patent"]
    assert {"uspto_v4", "google_patents_csv", "csv"} <= set(patent["formats"])
    assert "trends" in patent["analyses"] and "high_value_invention_per_10k" in patent["indicators"]
    assert kinds["transaction"]["formats"] == ["uspto_assignment"]
