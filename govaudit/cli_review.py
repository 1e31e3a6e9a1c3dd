"""Commands of the loop after a notice: `govaudit review`, `govaudit appeal`, `govaudit browse`.

Registered on the main group at the bottom of govaudit/cli.py.
"""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import click

from govaudit import store


def _db_file(config_path: str | None, db_path: str | None, must_exist: bool = True) -> Path:
    if db_path:
        p = Path(db_path)
    elif config_path:
        from govaudit.cli import _sites_config

        p = _sites_config(config_path).store_path()
    else:
        raise click.UsageError("请用 --config 或 --db 指定数据库")
    if must_exist and not p.is_file():
        raise click.UsageError(f"数据库不存在：{p}")
    return p


@click.command("review")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--config", "config_path", required=True, type=click.Path(dir_okay=False), help="网站清单与通报配置。")
@click.option("--month", required=True, metavar="YYYY-MM", help="整改清单所属的检查月份。")
@click.option("--out", "out", type=click.Path(file_okay=False), required=True, help="输出目录：复核结果.xlsx、复核情况 .docx/.html。")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="复核日期（默认今天），用于判断栏目是否已更新。")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help="数据库文件（默认 配置中的 inspect.store）。")
def review_cmd(files, config_path, month, out, as_of, db_path):
    """复核单位报送的整改清单：逐条复核称已整改的问题，记录申请核减。

    \b
    示例：govaudit review --config sites.yaml --month 2026-11 回收/*.xlsx --out out/2026-11-复核
    """
    from govaudit.cli import _as_of, _sites_config
    from govaudit.inspect import parse_month
    from govaudit.review import review

    try:
        month = parse_month(month)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--month") from None
    as_of = _as_of(as_of)
    cfg = _sites_config(config_path)
    db = store.open_db(_db_file(config_path, db_path))
    outcome = review(cfg, db, month=month, files=list(files), as_of=as_of, out_dir=Path(out),
                     echo=lambda m: click.echo(m, err=True))
    for p in outcome.problems:
        click.echo(f"注意：{p}", err=True)
    click.echo(f"复核结果：{outcome.files['xlsx']}\n复核情况：{outcome.files['docx']}\n          {outcome.files['html']}", err=True)
    if not outcome.items and outcome.problems:
        sys.exit(2)


@click.group("appeal")
def appeal_group():
    """审定单位的核减申请（同意或不同意），记录审定人、时间和理由。"""


def _decide(decision: str, finding_id: str, reason: str, by: str | None, config_path, db_path) -> None:
    from govaudit import appeals

    db = store.open_db(_db_file(config_path, db_path))
    try:
        ev = appeals.decide(db, finding_id, decision, reason=reason, actor=by)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    from govaudit.history import problem_title

    click.echo(f"已记录：{appeals.EVENT_TITLES[decision]}　{ev['site']}　{problem_title(ev['check'])}　{ev['url']}\n"
               f"审定人 {ev['actor']}，时间 {ev['at']}，理由：{ev['reason']}", err=True)
    if decision == appeals.ACCEPTED and not ev["fingerprint"]:
        click.echo("注意：检查结果中没有该页面的内容记录，页面变化后无法自动恢复该问题。", err=True)


_ID = click.argument("finding_id", metavar="FINDING-ID")
_REASON = click.option("--reason", required=True, help="审定理由。")
_BY = click.option("--by", "by", help="审定人（默认当前系统用户）。")
_CFG = click.option("--config", "config_path", type=click.Path(dir_okay=False), help="网站清单配置（用于找到数据库）。")
_DB = click.option("--db", "db_path", type=click.Path(dir_okay=False), help="数据库文件。")


@appeal_group.command("accept")
@_ID
@_REASON
@_BY
@_CFG
@_DB
def appeal_accept(finding_id, reason, by, config_path, db_path):
    """同意核减：该问题在页面变化前不再列入通报、整改清单和得分。FINDING-ID 为复核结果中的问题编号或问题标识。"""
    _decide("accepted", finding_id, reason, by, config_path, db_path)


@appeal_group.command("reject")
@_ID
@_REASON
@_BY
@_CFG
@_DB
def appeal_reject(finding_id, reason, by, config_path, db_path):
    """不同意核减：问题照常列入通报和整改清单。"""
    _decide("rejected", finding_id, reason, by, config_path, db_path)


@click.command("browse")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help="数据库文件。")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="网站清单配置（用于找到数据库）。")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址（默认只允许本机访问）。")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True, help="端口。")
@click.option("--month", metavar="YYYY-MM", help="“本月问题”查询的默认月份（默认数据库中最近的月份）。")
def browse_cmd(db_path, config_path, host, port, month):
    """在浏览器中只读查看数据库（Datasette）：各表中文说明和常用查询。"""
    from govaudit.browse import serve

    db_file = _db_file(config_path, db_path)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"注意：监听 {host}，其他计算机也可访问该数据库。", err=True)
    click.echo(f"正在启动：http://{host}:{port}/ （Ctrl+C 结束）", err=True)
    try:
        serve(db_file, host=host, port=port, month=month)
    except ImportError:
        raise click.ClickException("未安装 datasette，请运行 pip install datasette") from None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--month") from None


def echo_reviews(db, reviews: list[dict]) -> None:
    """The 复核 part of `govaudit history`: each reviewed claim with its conclusion (appeals: the decision)."""
    from govaudit import appeals
    from govaudit.history import problem_title
    from govaudit.review import CLAIM_TITLES

    click.echo(f"\n整改情况复核 {len(reviews)} 条：")
    for r in reviews:
        verdict = r["conclusion"] or "—"
        if r["claim"] == "appeal":
            last = appeals.state(db, r["site_id"], r["identity"])
            decided = last and last["event"] != appeals.FILED
            verdict = appeals.EVENT_TITLES[last["event"]] if decided else "待审定"
            evidence = f"{last['actor']} {last['at'][:10]}：{last['reason']}" if decided else f"单位理由：{r['claim_text']}"
        else:
            evidence = r["evidence"]
        click.echo(f"  {r['month']}　[{problem_title(r['check'])}] {r['url']}　{CLAIM_TITLES.get(r['claim'], r['claim'])}："
                   f"{verdict}　{evidence}")


COMMANDS = [review_cmd, appeal_group, browse_cmd]


@click.command("evidence")
@click.option("--config", "config_path", required=True, type=click.Path(dir_okay=False), help="网站清单与通报配置。")
@click.option("--month", required=True, metavar="YYYY-MM", help="检查月份。")
@click.option("--out", "out", type=click.Path(file_okay=False), required=True, help="月度检查的输出目录（截图保存在 网站检查报告/<网站>/问题截图/）。")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help="数据库文件（默认 配置中的 inspect.store）。")
def evidence_cmd(config_path, month, out, db_path):
    """为本月单项否决和严重问题截图（需 Chromium）：标出问题元素，图上注明截图时间和网址。"""
    from govaudit import evidence, history
    from govaudit.cli import _sites_config
    from govaudit.inspect import parse_month
    from govaudit.reports.rectification import unit_file_names

    try:
        month = parse_month(month)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--month") from None
    cfg = _sites_config(config_path)
    db = store.open_db(_db_file(config_path, db_path))
    report = history.month_report(db, cfg.sites, month)
    if not report:
        raise click.UsageError(f"数据库中没有 {month} 的检查结果")
    total = 0
    folders = unit_file_names([sm.name for sm in report], "")
    for sm in report:
        target = Path(out) / "网站检查报告" / folders[sm.name] / "问题截图"
        site = next((s for s in cfg.sites if s.name == sm.name), None)
        hosts = ({urlsplit(site.url).hostname or ""} | set(site.extra_hosts or [])) if site else set()
        allow = str((cfg.config.get("crawl") or {}).get("allow_private", "auto")).lower() in ("true", "1", "yes")
        ev = evidence.capture(sm.problems, target, site_hosts=hosts, allow_private=allow)
        if ev.note and not ev.shots:
            click.echo(f"注意：{ev.note}", err=True)
            if "未找到" in ev.note:
                return
        done = [s for s in ev.shots if s.file]
        total += len(done)
        click.echo(f"  {sm.name}：截图 {len(done)} 张" + (f"（{ev.note}）" if ev.note else "") + (f"，{target}" if done else ""),
                   err=True)
    click.echo(f"共截图 {total} 张。", err=True)


COMMANDS.append(evidence_cmd)
