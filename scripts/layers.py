"""The layers of ipnav and the picture of them that docs/architecture.md shows, drawn from the code.

    python scripts/layers.py            # rewrite the picture in docs/architecture.md
    python scripts/layers.py --check    # exit 1 when the picture is not the one the code draws

A package may import only from its own layer or a lower one (tests/test_architecture.py checks it,
and that the packages form no import cycle).
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ipnav"
DOC = ROOT / "docs" / "architecture.md"
BEGIN, END = "<!-- layers:begin (scripts/layers.py writes this) -->", "<!-- layers:end -->"

# lowest first; "ipnav" is the package's own __init__ (its version)
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("vocabulary", ("ipnav", "model", "errors", "config", "kinds", "vocabulary")),
    ("rules", ("normalize", "reference")),
    ("warehouse", ("store", "lake")),
    (
        "domains",
        (
            "ingest",
            "trademarks",
            "registers",
            "search",
            "analytics",
            "value",
            "kpi",
            "plan",
            "reports",
            "accounts",
            "alerts",
            "semantic",
            "matching",
        ),
    ),
    ("application", ("application",)),
    ("adapters", ("cli", "web")),
)


def layer_of(package: str) -> int | None:
    """The layer number of a top-level package of ipnav (None: not placed yet)."""
    for number, (_, packages) in enumerate(LAYERS):
        if package in packages:
            return number
    return None


def package_of(path: Path) -> str:
    """`ipnav/store/rows.py` -> `store`; `ipnav/model.py` -> `model`; `ipnav/__init__.py` -> `ipnav`."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return "ipnav" if parts == ("__init__",) else parts[0]


def _targets(node: ast.AST) -> list[str]:
    """Top-level ipnav packages an import statement names."""
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        parts = node.module.split(".")
        if parts[0] != "ipnav":
            return []
        if len(parts) > 1:
            return [parts[1]]
        return [alias.name if (PACKAGE / alias.name).exists() or (PACKAGE / f"{alias.name}.py").exists()
                else "ipnav" for alias in node.names]  # fmt: skip
    if isinstance(node, ast.Import):
        return [a.name.split(".")[1] for a in node.names if a.name.startswith("ipnav.")]
    return []


def import_graph() -> dict[tuple[str, str], list[str]]:
    """(importing package, imported package) -> the modules that import it, lazy imports included."""
    graph: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(PACKAGE.rglob("*.py")):
        source = package_of(path)
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for target in _targets(node):
                if target != source and module not in graph[(source, target)]:
                    graph[(source, target)].append(module)
    return dict(graph)


def picture() -> str:
    """A Mermaid flowchart: one box per layer, one arrow per package import (drawn from the code)."""
    lines = ["```mermaid", "flowchart BT"]
    for number, (name, packages) in enumerate(LAYERS):
        lines.append(f'  subgraph L{number}["{number} {name}"]')
        lines += [f"    {p}" for p in packages]
        lines.append("  end")
    for source, target in sorted(import_graph()):
        lines.append(f"  {source} --> {target}")
    lines.append("```")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Write (or with --check, compare) the picture in docs/architecture.md."""
    text = DOC.read_text(encoding="utf-8")
    start, stop = text.index(BEGIN) + len(BEGIN), text.index(END)
    wanted = text[:start] + "\n" + picture() + "\n" + text[stop:]
    if "--check" in argv:
        if wanted != text:
            print("docs/architecture.md: the layer picture is out of date; run python scripts/layers.py")
            return 1
        return 0
    DOC.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
