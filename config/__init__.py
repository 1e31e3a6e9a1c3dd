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


#: PyYAML's problems in the words a person fixes them by (the English text is kept for anything else).
YAML_PROBLEMS = {
    "mapping values are not allowed here": "此处不能出现“键: 值”（多半是缩进不对，或值中含有未加引号的冒号）",
    "could not find expected ':'": "缺少冒号“:”（每个配置项应写成“键: 值”）",
    "found character '\\t' that cannot start any token": "含有制表符（Tab），请改用空格缩进",
    "found unexpected end of stream": "文件意外结束（引号或括号未闭合）",
    "expected ',' or ']', but got": "列表 [...] 未正确闭合或缺少逗号",
    "expected ',' or '}', but got": "键值对 {...} 未正确闭合或缺少逗号",
    "did not find expected key": "缺少配置项名称（多半是缩进不对）",
    "did not find expected '-' indicator": "列表项应以“- ”开头（多半是缩进不对）",
    "found undefined alias": "引用了未定义的别名（*名称）",
    "found duplicate anchor": "重复定义的锚点（&名称）",
    "while scanning a quoted scalar": "引号未闭合",
    "found unknown escape character": "双引号中含有无效的转义字符（Windows 路径请用单引号）",
}


def yaml_problem(exc: Exception) -> str:
    problem = str(getattr(exc, "problem", None) or exc)
    context = str(getattr(exc, "context", None) or "")
    for key, text in YAML_PROBLEMS.items():
        if problem.startswith(key) or context.startswith(key):
            return text
    return problem


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
        if str(getattr(exc, "problem", "")).startswith("found unexpected end of stream"):
            mark = getattr(exc, "context_mark", None) or mark  # where the unclosed quote or bracket opened
        where = f"第 {mark.line + 1} 行" if mark else ""
        raise ConfigError(f"配置文件 {p} {where}格式错误：{yaml_problem(exc)}") from None
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
