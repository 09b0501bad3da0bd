"""Lower layers never import upper ones (DESIGN.md: data flows one way)."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "reverie"

# What each top-level part of the package may import from Reverie. A new package must be added
# here on purpose: the test fails for a package it does not know.
ALLOWED: dict[str, set[str]] = {
    "record": {"record"},
    "errors": set(),
    "ingest": {"record", "errors", "ingest"},
    "analysis": {"record", "errors", "analysis"},
    "store": {"record", "errors", "analysis", "store"},
    "safety": {"record", "errors", "analysis", "safety"},
    # Insight reads the stored record and analysis across sessions.
    "insight": {"record", "errors", "analysis", "store", "insight"},
    # The companion is pure: present hands it the client's history and keeps what it returns.
    "companion": {"record", "errors", "analysis", "safety", "insight", "companion"},
    "present": {"record", "errors", "ingest", "analysis", "store", "safety", "insight", "companion", "present"},
}


def reverie_imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "reverie" and len(parts) > 1:
                found.add(parts[1])
    return found - {"__init__"}


MODULES = sorted(p for p in SRC.rglob("*.py") if p.parent != SRC or p.name != "__init__.py")


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(SRC)) for p in MODULES])
def test_imports_follow_the_data_flow(path: Path) -> None:
    layer = path.relative_to(SRC).parts[0].removesuffix(".py")
    assert layer in ALLOWED, f"{layer} is a new part of the package: add it to ALLOWED in {__file__}"
    imported = reverie_imports(path) - {"__version__"}
    if layer == "present":
        return
    assert imported <= ALLOWED[layer], f"{path.relative_to(SRC)} imports {sorted(imported - ALLOWED[layer])}, above its layer"


def test_record_has_no_io() -> None:
    forbidden = {"open(", "read_text", "write_text", "sqlalchemy", "requests", "httpx", "socket"}
    for path in (SRC / "record").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not [f for f in forbidden if f in text], path
