"""The inspection's verdict: a score sheet applied to one site's findings (单项否决, 扣分, 得分, 合格/不合格).

The sheet is data (config/scoresheet.yaml, or an office's own variant named by ``scoresheet:`` in
sites.yaml): items, categories, points, which finding ids feed each item and how, caps and the rule
text. This module only applies it, so a local variant (泸州: 120 + 40, fails below 72) needs no code:

- any 单项否决 item → 不合格, and nothing else is scored;
- otherwise total − Σ min(points, deductions of the item); a site without public services is scored
  without the 办事服务 category, out of ``no_services_total``, and scaled back to ``total``;
- below ``fail_below`` → 不合格; above ``bonus_above`` a portal adds its 加分指标 (recorded by hand);
- items a machine cannot judge are listed as 需人工核实 until a person records a verdict in sites.yaml
  (``sites[].manual``), which then counts like any finding.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

DEFAULT_SHEET = Path(__file__).resolve().parent.parent / "config" / "scoresheet.yaml"
HOWS = ("per_finding", "once", "per_count")


class SheetError(ValueError):
    """A score sheet that cannot be applied; the message names the item and key."""


@dataclass(frozen=True)
class Feed:
    check: str
    when: dict[str, Any] = field(default_factory=dict)
    how: str = "per_finding"
    deduct: float = 0.0
    count_field: str = "count"

    def matches(self, f: dict[str, Any]) -> bool:
        if f.get("check") != self.check:
            return False
        return all(_test(_field(f, key), want) for key, want in self.when.items())

    def amount(self, matched: list[dict[str, Any]]) -> float:
        if not matched:
            return 0.0
        if self.how == "once":
            return self.deduct
        if self.how == "per_count":
            return self.deduct * sum(float((_field(f, "data." + self.count_field) or 1)) for f in matched)
        return self.deduct * len(matched)


@dataclass(frozen=True)
class Item:
    item: str
    category: str
    points: float
    feeds: tuple[Feed, ...] = ()
    rule: str = ""
    verified: bool = False
    manual: bool = False


@dataclass(frozen=True)
class Sheet:
    name: str
    total: float
    fail_below: float
    bonus_above: float
    bonus_max: float
    no_services_total: float
    veto: tuple[Item, ...]
    items: tuple[Item, ...]
    bonus: tuple[Item, ...]
    services_category: str = "办事服务"


@dataclass
class Line:
    item: str
    category: str
    points: float
    deduction: float = 0.0
    kind: str = "deduct"  # veto | deduct | bonus
    triggered: bool = False  # veto items: the veto applies
    evidence: list[dict[str, Any]] = field(default_factory=list)
    rule: str = ""
    verified: bool = False
    manual: bool = False
    pending: bool = False  # a person's verdict is needed and none is recorded
    note: str = ""


@dataclass
class SiteScore:
    site: str
    sheet: str
    vetoes: list[Line]
    lines: list[Line]
    bonus_lines: list[Line]
    services: bool = True
    base: float | None = None  # 扣分指标得分 (None when vetoed)
    bonus: float = 0.0
    score: float | None = None
    verdict: str = "合格"
    reason: str = ""

    @property
    def vetoed(self) -> list[Line]:
        return [v for v in self.vetoes if v.triggered]

    @property
    def pending(self) -> list[Line]:
        return [ln for ln in self.vetoes + self.lines + self.bonus_lines if ln.pending]

    def as_dict(self) -> dict[str, Any]:
        return {"site": self.site, "sheet": self.sheet, "services": self.services, "base": self.base,
                "bonus": self.bonus, "score": self.score, "verdict": self.verdict, "reason": self.reason,
                "vetoes": [asdict(v) for v in self.vetoes], "lines": [asdict(x) for x in self.lines],
                "bonus_lines": [asdict(b) for b in self.bonus_lines]}


def _field(f: dict[str, Any], key: str) -> Any:
    node: Any = f
    for part in key.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _test(value: Any, want: Any) -> bool:
    if isinstance(want, dict):
        text = "" if value is None else str(value)
        if "contains" in want and not any(w in text for w in want["contains"]):
            return False
        if "not_contains" in want and any(w in text for w in want["not_contains"]):
            return False
        if "in" in want and value not in want["in"]:
            return False
        return True
    if isinstance(want, list):
        return value in want
    return value == want


# ------------------------------------------------------------------------------------------ loading

def load_sheet(path: str | Path | None = None) -> Sheet:
    """Read and validate a score sheet; SheetError names the item and key of the first problem."""
    p = Path(path) if path else DEFAULT_SHEET
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SheetError(f"评分表 {p} 无法读取：{exc}") from None
    if not isinstance(raw, dict):
        raise SheetError(f"评分表 {p} 应为键值对")

    def num(key: str, default: float) -> float:
        v = raw.get(key, default)
        if not isinstance(v, (int, float)) or isinstance(v, bool) or v < 0:
            raise SheetError(f"评分表 {p}：{key} 应为非负数值")
        return float(v)

    veto = tuple(_item(x, p, "veto", i, need_points=False) for i, x in enumerate(raw.get("veto") or []))
    items = tuple(_item(x, p, "items", i) for i, x in enumerate(raw.get("items") or []))
    bonus = tuple(_item(x, p, "bonus", i, need_points=True) for i, x in enumerate(raw.get("bonus") or []))
    sheet = Sheet(name=str(raw.get("name") or p.stem), total=num("total", 100), fail_below=num("fail_below", 60),
                  bonus_above=num("bonus_above", 80), bonus_max=num("bonus_max", 30),
                  no_services_total=num("no_services_total", 75), veto=veto, items=items, bonus=bonus,
                  services_category=str(raw.get("services_category") or "办事服务"))
    points = sum(i.points for i in items)
    if abs(points - sheet.total) > 1e-6:
        raise SheetError(f"评分表 {p}：扣分指标各项分值之和为 {points:g}，与 total（{sheet.total:g}）不符")
    return sheet


def _item(x: Any, p: Path, section: str, i: int, need_points: bool = True) -> Item:
    where = f"评分表 {p}：{section}[{i + 1}]"
    if not isinstance(x, dict) or not x.get("item"):
        raise SheetError(f"{where} 缺少 item（指标名称）")
    where += f"（{x['item']}）"
    pts = x.get("points", 0)
    if need_points and (not isinstance(pts, (int, float)) or isinstance(pts, bool) or pts < 0):
        raise SheetError(f"{where}：points 应为非负数值")
    feeds = []
    for j, fd in enumerate(x.get("feeds") or []):
        if not isinstance(fd, dict) or not fd.get("check"):
            raise SheetError(f"{where}：feeds[{j + 1}] 缺少 check（检查项编号）")
        how = fd.get("how", "per_finding" if section != "veto" else "once")
        if how not in HOWS:
            raise SheetError(f"{where}：feeds[{j + 1}].how 取值“{how}”无效（可用：{'、'.join(HOWS)}）")
        when = fd.get("when") or {}
        if not isinstance(when, dict):
            raise SheetError(f"{where}：feeds[{j + 1}].when 应为“字段: 取值”的键值对")
        feeds.append(Feed(check=str(fd["check"]), when=dict(when), how=how, deduct=float(fd.get("deduct", 0)),
                          count_field=str(fd.get("count_field", "count"))))
    return Item(item=str(x["item"]), category=str(x.get("category") or ("单项否决" if section == "veto" else "")),
                points=float(pts or 0), feeds=tuple(feeds), rule=str(x.get("rule") or ""),
                verified=bool(x.get("verified", False)), manual=bool(x.get("manual", False)))


# ------------------------------------------------------------------------------------------ scoring

def _evidence(f: dict[str, Any]) -> dict[str, Any]:
    return {"check": f.get("check"), "url": f.get("url"), "key": f.get("key") or f.get("identity"),
            "id": f.get("id"), "detail": f.get("detail", "")}


def _manual_records(manual: Iterable[dict[str, Any]] | None) -> dict[str, dict[str, Any]]:
    return {str(m.get("item")): m for m in manual or [] if m.get("item")}


def score_site(site: str, findings: list[dict[str, Any]], sheet: Sheet, *, manual: Iterable[dict[str, Any]] | None = None,
               services: bool = True, portal: bool = False) -> SiteScore:
    """Apply the sheet to one site's findings (info findings never cost points: they ask for a person)."""
    counted = [f for f in findings if f.get("severity") != "info"]
    records = _manual_records(manual)
    vetoes = []
    for it in sheet.veto:
        hits = [f for f in counted if any(fd.matches(f) for fd in it.feeds)]
        rec = records.get(it.item)
        line = Line(item=it.item, category="单项否决", points=0, kind="veto", rule=it.rule, verified=True,
                    manual=it.manual, evidence=[_evidence(f) for f in hits], triggered=bool(hits))
        if rec is not None:
            line.triggered = line.triggered or bool(rec.get("veto"))
            line.note = _note(rec)
        elif it.manual and not hits:
            line.pending = True
        vetoes.append(line)
    # A veto finding no sheet item takes in (a plugin's veto check) still fails the site, so the
    # verdict agrees with the notice's 单项否决 list whatever sheet an office adopts.
    taken = {(e.get("check"), e.get("url")) for v in vetoes for e in v.evidence}
    other = [f for f in counted if f.get("severity") == "veto" and (f.get("check"), f.get("url")) not in taken]
    if other:
        from govaudit.checks import spec_for

        titles = list(dict.fromkeys(spec_for(f["check"]).title for f in other))
        vetoes.append(Line(item="、".join(titles), category="单项否决", points=0, kind="veto", triggered=True,
                           verified=True, evidence=[_evidence(f) for f in other], rule="检查项登记为单项否决"))
    lines = []
    for it in sheet.items:
        if not services and it.category == sheet.services_category:
            continue
        amount, hits = 0.0, []
        for fd in it.feeds:
            matched = [f for f in counted if fd.matches(f)]
            amount += fd.amount(matched)
            hits += matched
        rec = records.get(it.item)
        line = Line(item=it.item, category=it.category, points=it.points, rule=it.rule, verified=it.verified,
                    manual=it.manual, evidence=[_evidence(f) for f in hits])
        if rec is not None:
            amount += float(rec.get("deduct") or 0)
            line.note = _note(rec)
        elif it.manual and not it.feeds:
            line.pending = True
        line.deduction = round(min(it.points, amount), 2)
        lines.append(line)
    bonus_lines = []
    for it in sheet.bonus:
        rec = records.get(it.item)
        got = min(it.points, float((rec or {}).get("points") or 0))
        bonus_lines.append(Line(item=it.item, category="加分指标", points=it.points, deduction=-got, kind="bonus",
                                rule=it.rule, manual=True, pending=rec is None and portal, note=_note(rec or {})))
    result = SiteScore(site=site, sheet=sheet.name, vetoes=vetoes, lines=lines, bonus_lines=bonus_lines, services=services)
    if result.vetoed:
        result.verdict = "不合格"
        result.reason = "单项否决：" + "、".join(v.item for v in result.vetoed)
        return result
    lost = sum(ln.deduction for ln in lines)
    if services:
        base = sheet.total - lost
    else:
        base = (sheet.no_services_total - lost) * sheet.total / sheet.no_services_total
    result.base = round(base, 2)
    if portal and result.base > sheet.bonus_above:
        result.bonus = round(min(sheet.bonus_max, -sum(b.deduction for b in bonus_lines)), 2)
    result.score = round(result.base + result.bonus, 2)
    if result.base < sheet.fail_below:
        result.verdict = "不合格"
        result.reason = f"扣分指标得分{result.base:g}分，低于{sheet.fail_below:g}分"
    else:
        result.verdict = "合格"
        result.reason = f"得分{result.score:g}分"
    return result


def _note(rec: dict[str, Any]) -> str:
    parts = [str(rec[k]) for k in ("note", "by", "date") if rec.get(k)]
    return "；".join(parts)


# ------------------------------------------------------------------------------------------ store

def ensure_table(db) -> None:
    if "scores" not in db.table_names():
        db["scores"].create({"id": int, "run_id": int, "site": str, "kind": str, "item": str, "category": str,
                             "points": float, "deduction": float, "triggered": int, "pending": int,
                             "evidence": str, "rule": str, "note": str, "score": float, "base": float,
                             "verdict": str}, pk="id")
        db["scores"].create_index(["run_id"])


def save(db, run_id: int, s: SiteScore) -> None:
    """Replace a run's score rows: one per item (evidence = the findings it rests on) and one total."""
    ensure_table(db)
    rows = []
    for ln in s.vetoes + s.lines + s.bonus_lines:
        rows.append({"run_id": run_id, "site": s.site, "kind": ln.kind, "item": ln.item, "category": ln.category,
                     "points": ln.points, "deduction": ln.deduction, "triggered": int(ln.triggered),
                     "pending": int(ln.pending), "evidence": json.dumps(ln.evidence, ensure_ascii=False),
                     "rule": ln.rule, "note": ln.note, "score": None, "base": None, "verdict": None})
    rows.append({"run_id": run_id, "site": s.site, "kind": "total", "item": "总分", "category": "", "points": None,
                 "deduction": None, "triggered": int(bool(s.vetoed)), "pending": len(s.pending), "evidence": "[]",
                 "rule": s.sheet, "note": s.reason, "score": s.score, "base": s.base, "verdict": s.verdict})
    with db.conn:
        db.execute("DELETE FROM scores WHERE run_id = ?", [run_id])
        db["scores"].insert_all(rows)


def stored_total(db, run_id: int) -> dict[str, Any] | None:
    if "scores" not in db.table_names():
        return None
    return next(iter(db.query("SELECT * FROM scores WHERE run_id = ? AND kind = 'total'", [run_id])), None)


# ------------------------------------------------------------------------------------------ text

def _n(x: float | None) -> str:
    return "—" if x is None else f"{x:g}"


def format_text(s: SiteScore) -> str:
    """The sheet as a person reads it on a terminal (`govaudit score`)."""
    out = [f"{s.site} 评分表（{s.sheet}）", ""]
    out.append("一、单项否决指标")
    for v in s.vetoes:
        state = "否决" if v.triggered else ("需人工核实" if v.pending else "未发现")
        out.append(f"  {v.item}：{state}" + (f"（{len(v.evidence)}个问题）" if v.evidence else "")
                   + (f"；{v.note}" if v.note else ""))
    out.append("")
    out.append("二、扣分指标" + ("" if s.services else "（无对外服务事项，不计办事服务，按比例折算）"))
    cat = None
    for ln in s.lines:
        if ln.category != cat:
            cat = ln.category
            out.append(f"  【{cat}】")
        mark = "" if ln.verified else "（分值待核实）"
        extra = "需人工核实" if ln.pending else (f"{len(ln.evidence)}个问题" if ln.evidence else "")
        out.append(f"    {ln.item}：分值{_n(ln.points)}，扣{_n(ln.deduction)}{mark}" + (f"　{extra}" if extra else "")
                   + (f"　{ln.note}" if ln.note else ""))
    out.append("")
    if s.vetoed:
        out.append(f"结论：不合格（{s.reason}），其余指标不再评分。")
    else:
        tail = f"，加分{_n(s.bonus)}" if s.bonus else ""
        out.append(f"扣分指标得分：{_n(s.base)}{tail}；总分：{_n(s.score)}；结论：{s.verdict}（{s.reason}）")
    if s.pending:
        out.append("需人工核实：" + "、".join(p.item for p in s.pending) + "（在 sites.yaml 的 sites[].manual 中记录结论）")
    return "\n".join(out)
