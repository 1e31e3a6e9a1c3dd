"""click's own messages in Chinese (用法、错误、--out 指向的是文件而非目录 …), naming the option.

click translates every message it prints through ``gettext`` (``_`` and ``ngettext`` imported into
each of its modules) but ships no Chinese catalogue. Installing one function per module here is
the hook click offers (the same as a .mo catalogue, without a build step). Import this module
before any click command is declared: option help texts are translated when declared.
"""
from __future__ import annotations

import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types

ZH = {
    "Usage:": "用法：",
    "Try '{command} {option}' for help.": "运行“{command} {option}”查看帮助。",
    "Error: {message}": "错误：{message}",
    "Invalid value: {message}": "取值无效：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} {message}",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "No such option {name!r}.": "没有选项 {name}。",
    "No such command {name!r}.": "没有命令 {name}。",
    "Missing command.": "缺少命令。",
    "Did you mean {possibility}?": "是否要用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是否要用以下之一：{possibilities}？）",
    "unknown error": "未知错误",
    "Could not open file {filename!r}: {message}": "无法打开文件“{filename}”：{message}",
    "{value!r} is not a valid {number_type}.": "“{value}”不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在允许的范围 {range} 内。",
    "{value!r} is not {choice}.": "“{value}”不是可用的取值（可用：{choice}）。",
    "{value!r} is not one of {choices}.": "“{value}”不是可用的取值（可用：{choices}）。",
    "{value!r} does not match the format {format}.": "“{value}”不符合格式 {format}。",
    "{value!r} does not match the formats {formats}.": "“{value}”不符合格式 {formats}。",
    "file": "文件",
    "directory": "目录",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name}不存在：{filename}",
    "{name} {filename!r} is a file.": "指向的是文件而非目录：{filename}",
    "{name} {filename!r} is a directory.": "指向的是目录而非文件：{filename}",
    "{name} {filename!r} is not readable.": "{name}无法读取：{filename}",
    "{name} {filename!r} is not writable.": "{name}无法写入：{filename}",
    "{name} {filename!r} is not executable.": "{name}无法执行：{filename}",
    "Option {name!r} does not take a value.": "选项 {name} 不带取值。",
    "Option {name!r} requires an argument.": "选项 {name} 需要一个取值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name} 需要 {nargs} 个取值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name} 需要 {nargs} 个取值。",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Aborted!": "已中止。",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "required": "必填",
    "integer": "整数",
    "float": "数值",
    "integer range": "整数",
    "float range": "数值",
}


def gettext(message: str) -> str:
    return ZH.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def _number_names() -> None:
    """Number types print their English name inside the message ("a valid integer")."""
    for cls, name in ((click.types.IntParamType, "整数"), (click.types.FloatParamType, "数值"),
                      (click.types.IntRange, "整数"), (click.types.FloatRange, "数值")):
        cls.name = name


def _plain(format_message):
    """Options named as people type them (--out, not '--out'), and named once."""
    import re

    def wrapper(self) -> str:
        text = re.sub(r"'(-{1,2}[\w-]+|[A-Z_]+)'", r"\1", format_message(self))
        text = re.sub(r"^(-{1,2}[\w-]+) \1 ", r"\1 ", text)  # our own messages already name the option
        text = text.replace("。 ", "。")
        return text[:-1] if text.endswith(".") else text

    return wrapper


for _cls in (click.exceptions.BadParameter, click.exceptions.MissingParameter, click.exceptions.NoSuchOption,
             click.exceptions.UsageError):
    _cls.format_message = _plain(_cls.format_message)

for _module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.types):
    if hasattr(_module, "_"):
        _module._ = gettext
    if hasattr(_module, "ngettext"):
        _module.ngettext = ngettext
_number_names()
