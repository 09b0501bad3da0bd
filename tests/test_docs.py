"""The README documents every command; every command's help carries an example."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main

from reverie.present.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def commands(group: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    for name, sub in sorted(group.commands.items()):
        if getattr(sub, "commands", None):
            yield from commands(sub, (*prefix, name))
        else:
            yield (*prefix, name), sub


ALL = list(commands(typer.main.get_command(app)))


@pytest.mark.parametrize(("path", "command"), ALL, ids=[" ".join(p) for p, _ in ALL])
def test_command_is_documented_with_an_example(path: tuple[str, ...], command: Any) -> None:
    name = " ".join(path)
    assert f"### `reverie {name}" in README, f"README.md needs a '### `reverie {name} ...`' section"
    assert "Example:" in (command.help or ""), f"'reverie {name} --help' needs an Example"


def test_quick_start_is_exactly_two_commands() -> None:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = section.split("```", 2)[1]
    lines = [line for line in block.splitlines()[1:] if line.strip()]
    assert lines == ["make demo", "make test"]


def test_every_environment_variable_is_documented() -> None:
    root = Path(__file__).resolve().parents[1] / "src"
    import re

    used = set()
    for path in root.rglob("*.py"):
        used |= set(re.findall(r"\"(REVERIE_[A-Z_]+)\"", path.read_text(encoding="utf-8")))
    missing = sorted(v for v in used if v not in README)
    assert not missing, f"README.md does not document {missing}"
