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
#: A configuration file is a page of settings: anything larger is a mistake or an attack.
MAX_YAML_BYTES = 1024 * 1024
#: Nodes of the document with every alias expanded (a "billion laughs" file is tiny but expands
#: to gigabytes); a sites.yaml of a thousand sites stays well below this.
MAX_YAML_NODES = 200_000

#: Sections of defaults.yaml whose keys are names the user chooses, not settings.
OPEN_MAPPINGS = {("columns", "types"), ("columns", "overrides"), ("crawl", "hosts"), ("crawl", "scrapy"),
                 ("site",)}
#: Keys a section accepts beside those in defaults.yaml (read by govaudit.audit.crawl_overrides).
EXTRA_KEYS = {"crawl": {"progress_interval", "scrapy"}}


def _expanded_size(node: yaml.Node, limit: int) -> int:
    """How many nodes the document has once aliases are expanded, counted without expanding
    (aliases share node objects in the composed graph, so each node is sized once)."""
    sizes: dict[int, int] = {}

    def size(n: yaml.Node, depth: int = 0) -> int:
        if id(n) in sizes:
            return sizes[id(n)]
        if depth > 500:
            raise ConfigError("配置文件嵌套层数过多（超过 500 层），拒绝读取")
        sizes[id(n)] = limit + 1  # a node reached again while being sized is a cycle: refuse
        if isinstance(n, yaml.MappingNode):
            total = 1 + sum(size(k, depth + 1) + size(v, depth + 1) for k, v in n.value)
        elif isinstance(n, yaml.SequenceNode):
            total = 1 + sum(size(v, depth + 1) for v in n.value)
        else:
            total = 1
        sizes[id(n)] = min(total, limit + 1)
        return sizes[id(n)]

    return size(node)


def read_yaml(path: str | Path) -> tuple[dict, yaml.Node | None]:
    """Parse a YAML file; errors name the file and line.

    The file is composed (aliases stay shared) and sized before anything is built from it, so
    a small file that expands to gigabytes is refused instead of exhausting memory."""
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"配置文件不存在：{p}")
    if p.stat().st_size > MAX_YAML_BYTES:
        raise ConfigError(f"配置文件 {p} 过大（{p.stat().st_size} 字节，上限 {MAX_YAML_BYTES} 字节），拒绝读取")
    text = p.read_text(encoding="utf-8-sig")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        if node is not None and _expanded_size(node, MAX_YAML_NODES) > MAX_YAML_NODES:
            raise ConfigError(f"配置文件 {p} 展开后过大（别名 & / * 引用展开超过 {MAX_YAML_NODES} 项），"
                              "疑似恶意构造的文件，拒绝读取")
        data = yaml.safe_load(text)
    except RecursionError:
        raise ConfigError(f"配置文件 {p} 嵌套层数过多，拒绝读取") from None
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


def unknown_keys(data: dict, base: dict, path: tuple = ()) -> list[tuple]:
    """Key paths in ``data`` that defaults.yaml does not know (a typo there is silently ignored
    otherwise: `max_page: 10` would crawl 20,000 pages)."""
    out = []
    for key, value in data.items():
        here = path + (key,)
        if key not in base and not (len(path) == 1 and key in EXTRA_KEYS.get(path[0], ())):
            out.append(here)
        elif key in base and isinstance(value, dict) and isinstance(base[key], dict) and here not in OPEN_MAPPINGS:
            out.extend(unknown_keys(value, base[key], here))
        elif here == ("columns", "types") and isinstance(value, dict):
            # Type names are the user's; each type's settings are ours.
            spec = {k: None for t in base[key].values() if isinstance(t, dict) for k in t}
            for name, t in value.items():
                if isinstance(t, dict):
                    out.extend(unknown_keys(t, spec, here + (name,)))
    return out


def check_known(data: dict, base: dict, fail) -> None:
    """Call ``fail(keys, message)`` for the first key defaults.yaml does not know."""
    for keys in unknown_keys(data, base):
        parent = base
        for k in keys[:-1]:
            parent = parent.get(k) if isinstance(parent.get(k), dict) else next(iter(parent.values()), {})
        allowed = set(parent) | (EXTRA_KEYS.get(keys[0], set()) if len(keys) == 2 else set())
        fail(keys, f"不是可用的配置项（可用：{'、'.join(sorted(map(str, allowed)))}）")


def load(path: str | Path | None = None) -> dict[str, Any]:
    """Defaults merged with the user's file (when given); unknown keys are an error."""
    base = defaults()
    if not path:
        return base
    data, node = read_yaml(path)

    def fail(keys: tuple, message: str) -> None:
        line = key_line(node, *keys)
        where = f"第 {line} 行" if line else ""
        raise ConfigError(f"配置文件 {path} {where}：{'.'.join(map(str, keys))} {message}")

    check_known(data, base, fail)
    return merge(base, data)
