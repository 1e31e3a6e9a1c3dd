"""Configuration: defaults shipped in defaults.yaml, overridden by a user's YAML file.

Every threshold the checks use lives in defaults.yaml with the 2019 indicator values, so a
province with stricter local rules changes a number, not the code.
"""
from __future__ import annotations

import copy
from importlib import resources
from pathlib import Path
from typing import Any

import yaml


class ConfigError(ValueError):
    """A configuration problem, said in words that name the file, key and line."""


def defaults() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("defaults.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text) or {}


def merge(base: dict, override: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in (override or {}).items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def read_yaml(path: str | Path) -> tuple[dict, yaml.Node | None]:
    """Parse a YAML file; errors name the file and line."""
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"配置文件不存在：{p}")
    text = p.read_text(encoding="utf-8-sig")
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark else ""
        raise ConfigError(f"配置文件 {p} {where}格式错误：{getattr(exc, 'problem', exc)}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"配置文件 {p} 的顶层应为键值对（YAML 映射）")
    return data, node


def key_line(node: yaml.Node | None, *path: str | int) -> int | None:
    """The 1-based line of a key in a composed YAML document, for error messages."""
    cur = node
    line = None
    for part in path:
        if isinstance(cur, yaml.MappingNode):
            for k, v in cur.value:
                if k.value == part:
                    line = k.start_mark.line + 1
                    cur = v
                    break
            else:
                return line
        elif isinstance(cur, yaml.SequenceNode) and isinstance(part, int) and part < len(cur.value):
            cur = cur.value[part]
            line = cur.start_mark.line + 1
        else:
            return line
    return line


def load(path: str | Path | None = None) -> dict[str, Any]:
    """Defaults merged with the user's file (when given)."""
    base = defaults()
    if not path:
        return base
    data, _ = read_yaml(path)
    return merge(base, data)
