"""README and CLI stay in step: every command, option and check is documented (like sqlite-utils' test_docs)."""
from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from govaudit.checks import registry
from govaudit.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _check_table() -> dict[str, str]:
    """The 检查项 table of the README: check id → 名称."""
    section = README.split("### 检查项", 1)[1].split("\n\n", 2)[1]
    return {m.group(1): m.group(2).strip() for m in re.finditer(r"^\| `(\w+)` \| ([^|]+) \|", section, re.M)}


def _commands() -> list[tuple[str, click.Command]]:
    return sorted(main.commands.items())


def test_every_command_is_documented():
    for name in main.commands:
        assert f"govaudit {name}" in README, name


@pytest.mark.parametrize("check_id", list(registry()))
def test_every_check_has_a_row_with_its_title(check_id):
    rows = _check_table()
    assert check_id in rows, f"README 检查项表缺少 `{check_id}`"
    assert rows[check_id] == registry()[check_id].title


def test_the_check_table_lists_only_registered_checks():
    assert set(_check_table()) <= set(registry())


@pytest.mark.parametrize("name,command", _commands())
def test_every_command_has_help(name, command):
    assert (command.help or "").strip(), f"govaudit {name} 缺少说明"


@pytest.mark.parametrize("name,command", _commands())
def test_every_option_has_help(name, command):
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert (param.help or "").strip(), f"govaudit {name} {param.opts[0]} 缺少说明"


def test_the_code_map_names_every_layer():
    section = README.split("## 代码结构", 1)[1].split("\n## ", 1)[0]
    for part in ("config/", "crawler/", "govaudit/store.py", "checks/", "reports/"):
        assert part in section, part
