"""Generated docs and help texts are checked (style.md habit 10)."""
from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner

from compliance.cli import main
from compliance.rules import load_pack
from compliance.rulesdoc import render_markdown

REPO = Path(__file__).resolve().parent.parent


def test_rule_catalogue_page_is_current():
    page = (REPO / "docs" / "rules.md").read_text("utf-8")
    assert page == render_markdown(load_pack()), \
        "docs/rules.md is stale: run `python -m compliance rules --markdown > docs/rules.md`"


def _commands(group: click.Group, prefix=()):
    for name, cmd in group.commands.items():
        yield prefix + (name,), cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, prefix + (name,))


def test_every_command_has_help_with_an_example():
    runner = CliRunner()
    seen = []
    for path, _ in _commands(main):
        result = runner.invoke(main, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "例" in result.output and "python -m compliance" in result.output, path
        seen.append(" ".join(path))
    assert {"check", "rules", "rules show", "rules test", "eval", "scan"} <= set(seen)
