"""README and CLI stay in step: every command and every check id is documented."""
from __future__ import annotations

from pathlib import Path

from govaudit.checks import registry
from govaudit.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_command_is_documented():
    for name in main.commands:
        assert f"govaudit {name}" in README, name


def test_every_check_is_documented():
    for check_id in registry():
        assert f"`{check_id}`" in README, check_id
