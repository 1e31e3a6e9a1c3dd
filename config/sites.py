"""The monthly inspection's configuration file (sites.yaml): notice, smtp, sites, inspect.

The same file may also carry every section of defaults.yaml (crawl, columns, veto …), which
then applies to all sites. Mistakes are reported with the key and its line, because the file
is edited by office staff, not by the people who wrote the tool. See sites.example.yaml.
"""
from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from . import EXTRA_KEYS, ConfigError, check_known, defaults, key_line, merge, read_yaml

SECTIONS = ("notice", "smtp", "sites", "inspect", "scoresheet")
NOTICE_KEYS = {"issuer", "number", "deadline_days", "holidays", "workdays", "scope", "addressees", "contact", "format",
               "cc", "printer"}
SMTP_KEYS = {"host", "port", "security", "sender", "timeout", "retries", "retry_delay"}
INSPECT_KEYS = {"store", "concurrent_sites", "site_reports"}
SITE_KEYS = {"id", "name", "url", "unit", "contacts", "extra_hosts", "columns", "crawl", "probe_urls", "closures",
             "manual", "portal", "public_services"}
#: crawl keys beside those in defaults.yaml that govaudit.audit.crawl_overrides understands.
EXTRA_CRAWL_KEYS = EXTRA_KEYS["crawl"]
SECURITY_PORTS = {"ssl": 465, "starttls": 587, "none": 25}
NUMBER_FIELDS = {"seq", "year", "month"}
_EMAIL = re.compile(r"^[^@\s<>,;]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
_HOST = re.compile(r"^[A-Za-z0-9.-]+(:\d+)?$")


@dataclass
class SitesConfig:
    """A validated sites.yaml: what `govaudit inspect` needs, with defaults filled in."""

    path: Path
    config: dict[str, Any]  # defaults.yaml merged with the file's check/crawl sections
    notice: dict[str, Any]
    smtp: dict[str, Any] | None
    inspect: dict[str, Any]
    sites: list[Any] = field(default_factory=list)  # govaudit.audit.Site
    scoresheet: Path | None = None  # an office's own score sheet; None = config/scoresheet.yaml

    def site_config(self, site: Any) -> dict[str, Any]:
        """The check configuration for one site: shared sections plus its own overrides."""
        own = {"columns": dict(site.config.get("columns") or {}), "closures": list(site.config.get("closures") or []),
               "public_services": bool(site.config.get("public_services", True))}
        if getattr(site, "id", None):
            own["id"] = site.id
        return merge(self.config, {"site": own})

    def crawl_config(self, site: Any) -> dict[str, Any]:
        return merge(self.config.get("crawl") or {}, site.config.get("crawl") or {})

    def store_path(self) -> Path:
        """Where the history lives: inspect.store, relative to this file; by default beside it."""
        p = Path(self.inspect.get("store") or "govaudit.sqlite")
        return p if p.is_absolute() else (self.path.parent / p)


class _Errors:
    """Raises the first problem with file, line and key path."""

    def __init__(self, path: Path, node: yaml.Node | None) -> None:
        self.path, self.node = path, node

    def fail(self, keys: tuple, message: str) -> None:
        line = key_line(self.node, *keys)
        where = f"第 {line} 行" if line else ""
        raise ConfigError(f"配置文件 {self.path} {where}：{_key_text(keys)} {message}")


def _key_text(keys: tuple) -> str:
    out = ""
    for k in keys:
        out += f"[{k + 1}]" if isinstance(k, int) else (("." if out else "") + str(k))
    return out


def load_sites(path: str | Path) -> SitesConfig:
    """Read and validate sites.yaml; ConfigError names the key and line of the first problem."""
    from govaudit.audit import Site, validate_url
    from govaudit.store import default_site_id

    p = Path(path)
    data, node = read_yaml(p)
    err = _Errors(p, node)
    base = defaults()
    known = set(base) | set(SECTIONS)
    for key in data:
        if key not in known:
            err.fail((key,), f"不是可用的配置项（可用：{'、'.join(sorted(known))}）")
    shared = {k: v for k, v in data.items() if k not in SECTIONS}
    check_known(shared, base, err.fail)
    config = merge(base, shared)
    notice = _notice(data.get("notice"), err)
    smtp = _smtp(data.get("smtp"), err) if data.get("smtp") is not None else None
    inspect = _inspect(data.get("inspect"), err)
    raw_sites = data.get("sites")
    if not isinstance(raw_sites, list) or not raw_sites:
        err.fail(("sites",), "应为网站列表，至少一个网站（每项含 name、url、unit）")
    sites = []
    names: set[str] = set()
    ids: dict[str, str] = {}
    types = set((config.get("columns") or {}).get("types") or {})
    crawl_keys = set(base.get("crawl") or {}) | EXTRA_CRAWL_KEYS
    for i, raw in enumerate(raw_sites):
        k = ("sites", i)
        if not isinstance(raw, dict):
            err.fail(k, "应为键值对（name、url、unit、contacts …）")
        for key in raw:
            if key not in SITE_KEYS:
                err.fail(k + (key,), f"不是网站的配置项（可用：{'、'.join(sorted(SITE_KEYS))}）")
        for key in ("name", "url", "unit"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                err.fail(k + (key,) if key in raw else k, f"缺少或为空：每个网站须填写 {key}")
        for key in ("name", "unit"):
            _one_line(raw[key], err, k + (key,))
        name = raw["name"].strip()
        if name in names:
            err.fail(k + ("name",), f"网站名称“{name}”重复")
        names.add(name)
        try:
            url = validate_url(raw["url"])
        except ValueError as exc:
            err.fail(k + ("url",), f"（网站“{name}”）{exc}")
        contacts = _str_list(raw.get("contacts"), err, k + ("contacts",))
        for j, addr in enumerate(contacts):
            if not _EMAIL.match(addr):
                err.fail(k + ("contacts", j), f"“{addr}”不是有效的电子邮件地址")
        hosts = _str_list(raw.get("extra_hosts"), err, k + ("extra_hosts",))
        for j, h in enumerate(hosts):
            if not _HOST.match(h):
                err.fail(k + ("extra_hosts", j), f"“{h}”应为主机名（如 xxgk.example.gov.cn），不含 http:// 和路径")
        columns = raw.get("columns") or {}
        if not isinstance(columns, dict):
            err.fail(k + ("columns",), "应为“路径前缀: 栏目类型或 exclude”的键值对")
        for prefix, action in columns.items():
            if not str(prefix).startswith(("/", "http://", "https://")):
                err.fail(k + ("columns", prefix), "路径前缀应以 / 开头（或为完整网址）")
            if action != "exclude" and action not in types:
                err.fail(k + ("columns", prefix), f"取值“{action}”无效，应为 exclude 或栏目类型（{'、'.join(sorted(types))}）")
        crawl = raw.get("crawl") or {}
        if not isinstance(crawl, dict):
            err.fail(k + ("crawl",), "应为键值对")
        for key in crawl:
            if key not in crawl_keys:
                err.fail(k + ("crawl", key), f"不是抓取配置项（可用：{'、'.join(sorted(crawl_keys))}）")
        probe_urls = []
        for j, u in enumerate(_str_list(raw.get("probe_urls"), err, k + ("probe_urls",))):
            try:
                probe_urls.append(validate_url(u))
            except ValueError as exc:
                err.fail(k + ("probe_urls", j), str(exc))
        closures = _closures(raw.get("closures"), err, k + ("closures",))
        manual = _manual(raw.get("manual"), err, k + ("manual",))
        for key in ("portal", "public_services"):
            if key in raw and not isinstance(raw[key], bool):
                err.fail(k + (key,), "应为 true 或 false")
        site_id = raw.get("id")
        if site_id is not None and (not isinstance(site_id, str) or not site_id.strip()):
            err.fail(k + ("id",), "应为非空文字（网站的稳定标识，改名后历史记录仍按它对应；默认为起始网址的主机名）")
        key = (site_id or "").strip() or default_site_id(url)
        if key in ids:
            err.fail(k + ("id",) if site_id else k, f"网站标识“{key}”与“{ids[key]}”重复：同一主机上的多个网站须分别填写 id")
        ids[key] = name
        sites.append(Site(name=name, url=url, unit=raw["unit"].strip(), contacts=contacts, extra_hosts=hosts,
                          config={"columns": columns, "crawl": crawl, "probe_urls": probe_urls, "closures": closures,
                                  "manual": manual, "portal": bool(raw.get("portal", False)),
                                  "public_services": bool(raw.get("public_services", True))},
                          id=(site_id or "").strip()))
    sheet = data.get("scoresheet")
    if sheet is not None and (not isinstance(sheet, str) or not sheet.strip()):
        err.fail(("scoresheet",), "应为评分表文件路径（YAML，格式见 config/scoresheet.yaml）")
    sheet_path = None
    if sheet:
        sheet_path = Path(sheet) if Path(sheet).is_absolute() else p.parent / sheet
        from govaudit.score import SheetError, load_sheet

        try:
            load_sheet(sheet_path)
        except SheetError as exc:
            err.fail(("scoresheet",), str(exc))
    return SitesConfig(path=p, config=config, notice=notice, smtp=smtp, inspect=inspect, sites=sites,
                       scoresheet=sheet_path)


def _one_line(value: str, err: _Errors, keys: tuple) -> None:
    """Names go into file names, mail headers and the notice's title lines: one line of text."""
    if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in value.strip()):
        err.fail(keys, "不能包含换行符、制表符等控制字符")


def _mapping(value: Any, err: _Errors, key: str, allowed: set[str]) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        err.fail((key,), "应为键值对")
    for k in value:
        if k not in allowed:
            hint = "；用户名和口令只能通过环境变量 GOVAUDIT_SMTP_USER、GOVAUDIT_SMTP_PASSWORD 提供" if k in (
                "user", "username", "password", "passwd") else ""
            err.fail((key, k), f"不是可用的配置项（可用：{'、'.join(sorted(allowed))}）{hint}")
    return dict(value)


def _str_list(value: Any, err: _Errors, keys: tuple) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        err.fail(keys, "应为文字列表，如 [a@example.gov.cn, b@example.gov.cn]")
    return [v.strip() for v in value]


def _manual(value: Any, err: _Errors, keys: tuple) -> list[dict[str, Any]]:
    """A person's verdicts for items a machine cannot judge: [{item, veto | deduct | points, note, by, date}]."""
    if value is None:
        return []
    if not isinstance(value, list):
        err.fail(keys, "应为人工核实结论列表，如 [{item: 服务不实用, veto: false, note: 办事指南要素齐全, by: 张三}]")
    out = []
    for j, m in enumerate(value):
        if not isinstance(m, dict) or not isinstance(m.get("item"), str) or not m["item"].strip():
            err.fail(keys + (j,), "应含 item（评分表中的指标名称）")
        for key in m:
            if key not in ("item", "veto", "deduct", "points", "note", "by", "date"):
                err.fail(keys + (j, key), "不是人工核实结论的配置项（可用：item、veto、deduct、points、note、by、date）")
        if "veto" in m and not isinstance(m["veto"], bool):
            err.fail(keys + (j, "veto"), "应为 true 或 false")
        for key in ("deduct", "points"):
            if key in m and (not isinstance(m[key], (int, float)) or isinstance(m[key], bool) or m[key] < 0):
                err.fail(keys + (j, key), "应为非负数值")
        out.append({k: (str(v) if k in ("note", "by", "date") else v) for k, v in m.items()})
    return out


def _closures(value: Any, err: _Errors, keys: tuple) -> list[dict[str, str]]:
    """Closures the unit filed in advance (报备): [{from, to, reason}], dates or ISO timestamps."""
    from govaudit.availability import _moment

    if value is None:
        return []
    if not isinstance(value, list):
        err.fail(keys, "应为报备关停时段列表，如 [{from: 2026-11-14T22:00, to: 2026-11-15T06:00, reason: 机房搬迁}]")
    out = []
    for j, c in enumerate(value):
        if not isinstance(c, dict) or "from" not in c or "to" not in c:
            err.fail(keys + (j,), "应含 from 和 to（日期或时间，如 2026-11-14 或 2026-11-14T22:00）")
        for key in c:
            if key not in ("from", "to", "reason"):
                err.fail(keys + (j, key), "不是报备关停时段的配置项（可用：from、to、reason）")
        try:
            start, end = _moment(c["from"], end=False), _moment(c["to"], end=True)
        except (TypeError, ValueError):
            err.fail(keys + (j,), f"时间格式错误：from={c['from']!r}，to={c['to']!r}（应为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM）")
        if end < start:
            err.fail(keys + (j, "to"), "结束时间早于开始时间")
        out.append({"from": str(c["from"]), "to": str(c["to"]), "reason": str(c.get("reason") or "").strip()})
    return out


def _dates(value: Any, err: _Errors, keys: tuple) -> list[str]:
    if value is not None and not isinstance(value, list):
        err.fail(keys, "应为日期列表，如 [2026-10-01, 2026-10-02]")
    out = []
    for j, v in enumerate(value or []):
        try:
            out.append((v if isinstance(v, date) else date.fromisoformat(str(v))).isoformat())
        except ValueError:
            err.fail(keys + (j,), f"“{v}”不是日期（YYYY-MM-DD）")
    return out


def _notice(value: Any, err: _Errors) -> dict[str, Any]:
    if value is None:
        err.fail(("notice",), "缺少：须填写通报的发文单位（notice.issuer）")
    n = _mapping(value, err, "notice", NOTICE_KEYS)
    if not isinstance(n.get("issuer"), str) or not n["issuer"].strip():
        err.fail(("notice", "issuer") if "issuer" in n else ("notice",), "缺少或为空：须填写发文单位")
    _one_line(n["issuer"], err, ("notice", "issuer"))
    number = n.get("number") or ""
    if not isinstance(number, str):
        err.fail(("notice", "number"), "应为文字，如 临政办函〔2026〕{seq}号")
    try:
        fields = {f for _, f, _, _ in string.Formatter().parse(number) if f is not None}
    except ValueError as exc:
        err.fail(("notice", "number"), f"格式错误：{exc}")
    if fields - NUMBER_FIELDS:
        err.fail(("notice", "number"), f"含未知占位符 {{{', '.join(sorted(fields - NUMBER_FIELDS))}}}（可用：{{seq}}、{{year}}、{{month}}）")
    days = n.get("deadline_days", 10)
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 365:
        err.fail(("notice", "deadline_days"), "应为 1 至 365 之间的整数（工作日）")
    for key in ("scope", "addressees", "contact", "cc", "printer"):
        if key in n and not isinstance(n[key], str):
            err.fail(("notice", key), "应为文字")
    form = n.get("format", "auto")
    if form not in ("auto", "letter", "file"):
        err.fail(("notice", "format"), "应为 auto（文号含“函”时用信函格式）、letter（信函格式）或 file（文件格式）")
    return {
        "issuer": n["issuer"].strip(),
        "number": number,
        "deadline_days": days,
        "holidays": _dates(n.get("holidays"), err, ("notice", "holidays")),
        "workdays": _dates(n.get("workdays"), err, ("notice", "workdays")),
        "scope": (n.get("scope") or "全市").strip(),
        "addressees": (n.get("addressees") or "各有关单位").strip().rstrip("：:"),
        "contact": (n.get("contact") or "").strip(),
        "format": form,
        "cc": (n.get("cc") or "").strip().rstrip("。"),
        "printer": (n.get("printer") or "").strip(),
    }


def _smtp(value: Any, err: _Errors) -> dict[str, Any]:
    s = _mapping(value, err, "smtp", SMTP_KEYS)
    for key in ("host", "sender"):
        if not isinstance(s.get(key), str) or not s[key].strip():
            err.fail(("smtp", key) if key in s else ("smtp",), f"缺少或为空：须填写 {key}")
    if not _EMAIL.match(s["sender"].strip()):
        err.fail(("smtp", "sender"), f"“{s['sender']}”不是有效的电子邮件地址")
    security = s.get("security", "ssl")
    if security not in SECURITY_PORTS:
        err.fail(("smtp", "security"), f"取值“{security}”无效，应为 ssl、starttls 或 none")
    port = s.get("port", SECURITY_PORTS[security])
    if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
        err.fail(("smtp", "port"), "应为 1 至 65535 之间的端口号")
    out = {"host": s["host"].strip(), "port": port, "security": security, "sender": s["sender"].strip()}
    for key, default, lo in (("timeout", 30, 1), ("retries", 2, 0), ("retry_delay", 5, 0)):
        v = s.get(key, default)
        if not isinstance(v, (int, float)) or isinstance(v, bool) or v < lo:
            err.fail(("smtp", key), f"应为不小于 {lo} 的数值")
        out[key] = v
    return out


def _inspect(value: Any, err: _Errors) -> dict[str, Any]:
    i = _mapping(value, err, "inspect", INSPECT_KEYS)
    n = i.get("concurrent_sites", 4)
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 32:
        err.fail(("inspect", "concurrent_sites"), "应为 1 至 32 之间的整数")
    if "store" in i and (not isinstance(i["store"], str) or not i["store"].strip()):
        err.fail(("inspect", "store"), "应为数据库文件路径")
    reports = i.get("site_reports", True)
    if not isinstance(reports, bool):
        err.fail(("inspect", "site_reports"), "应为 true 或 false")
    return {"concurrent_sites": n, "store": i.get("store"), "site_reports": reports}
