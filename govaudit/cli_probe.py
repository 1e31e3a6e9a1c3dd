"""govaudit probe / availability：站点可用性监测（站点无法访问）。"""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from govaudit import store


def _sites(config_path: str, only: tuple[str, ...]):
    from govaudit.config import ConfigError
    from govaudit.config.sites import load_sites
    from govaudit.inspect import select_sites

    try:
        cfg = load_sites(config_path)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        sites = select_sites(cfg, list(only))
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    return cfg, sites


@click.command("probe")
@click.option("--config", "config_path", required=True, type=click.Path(dir_okay=False), help="网站清单配置（sites.yaml）。")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help="数据库文件（默认 配置中的 inspect.store）。")
@click.option("--at", "at", metavar="ISO时间", help="记录的监测时间（用于测试和补录），如 2026-11-20T08:30:00+08:00；默认当前时间。")
@click.option("--watch", is_flag=True, help="持续监测：按配置的间隔（probe.interval_minutes，默认 30 分钟）加随机抖动反复监测，并发送无法访问提醒和恢复通知。")
@click.option("--interval", type=click.FloatRange(0.0, 1440.0), metavar="分钟", help="与 --watch 同用：监测间隔分钟数（覆盖配置）。")
@click.option("--rounds", type=click.IntRange(1), help="与 --watch 同用：监测若干轮后退出（默认不退出）。")
@click.option("--only", "only", multiple=True, metavar="NAME", help="只监测这些网站（可多次指定，或用逗号分隔）。")
@click.option("--timeout", type=click.FloatRange(1.0, 120.0), metavar="秒", help="首页完整打开的时限（默认 probe.timeout，15 秒）。")
def probe_cmd(config_path, db_path, at, watch, interval, rounds, only, timeout):
    """可用性监测：访问每个网站的首页（及 probe_urls）一次，记录结果。

    \b
    每 30 分钟一轮（cron）：*/30 * * * * govaudit probe --config /etc/govaudit/sites.yaml
    常驻进程：govaudit probe --config sites.yaml --watch
    """
    from govaudit import probe as pr
    from govaudit.probe_alerts import events_for_round, send_events

    cfg, sites = _sites(config_path, only)
    settings = cfg.config.get("probe") or {}
    limit = float(timeout or settings.get("timeout", 15))
    workers = int(settings.get("workers", 64))
    targets = pr.targets_for(sites)
    db = store.open_db(Path(db_path) if db_path else cfg.store_path())
    pr.ensure_tables(db)

    def one_round(when) -> None:
        results = pr.probe_round(targets, at=when, timeout=limit, workers=workers)
        pr.record(db, results)
        bad = [r for r in results if not r.ok]
        click.echo(f"{when.isoformat(timespec='seconds')} 监测 {len(results)} 个地址，正常 {len(results) - len(bad)} 个，"
                   f"无法打开 {len(bad)} 个", err=True)
        for r in bad:
            click.echo(f"  {r.site}：{r.url} {pr.OUTCOME_TEXT.get(r.outcome, r.outcome)}"
                       + (f"（{r.detail}）" if r.detail else ""), err=True)
        if watch:
            events = events_for_round(db, sites, results, alert_after=int(settings.get("alert_after", 3)))
            send_events(events, cfg.smtp, cfg.notice.get("issuer", ""), echo=lambda m: click.echo(m, err=True))

    if not watch:
        try:
            when = pr.parse_at(at)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--at") from None
        one_round(when)
        return
    if at:
        raise click.UsageError("--at 不能与 --watch 同用（持续监测按实际时间记录）")
    minutes = float(interval if interval is not None else settings.get("interval_minutes", 30))
    jitter = float(settings.get("jitter_minutes", 5)) if interval is None else min(minutes * 0.1, 5.0)
    try:
        pr.watch(one_round, interval_s=minutes * 60, jitter_s=jitter * 60, rounds=rounds)
    except KeyboardInterrupt:
        click.echo("监测已停止。", err=True)
        sys.exit(130)


@click.command("availability")
@click.argument("site", required=False)
@click.option("--config", "config_path", required=True, type=click.Path(dir_okay=False), help="网站清单配置（sites.yaml）。")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help="数据库文件（默认 配置中的 inspect.store）。")
@click.option("--as-of", "as_of", required=True, metavar="YYYY-MM-DD", help="检查基准日：统计其前 7 天的监测结果。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
def availability_cmd(site, config_path, db_path, as_of, as_json):
    """各网站前 7 天的可用性：监测次数、无法打开次数、占比、最长中断和结论。"""
    from govaudit import availability as av
    from govaudit.probe import site_id_of

    try:
        day = date.fromisoformat(as_of)
    except ValueError:
        raise click.BadParameter(f"日期格式应为 YYYY-MM-DD，收到“{as_of}”", param_hint="--as-of") from None
    cfg, sites = _sites(config_path, ())
    if site:
        sites = [s for s in sites if site in (s.name, s.url, site_id_of(s))]
        if not sites:
            raise click.UsageError(f"配置中没有网站“{site}”")
    db_file = Path(db_path) if db_path else cfg.store_path()
    if not db_file.is_file():
        raise click.UsageError(f"数据库不存在：{db_file}（请先运行 govaudit probe）")
    db = store.open_db(db_file)
    rows = [av.site_availability(db, site_id_of(s), s.name, day, av.parse_closures(s.config.get("closures")), cfg.config)
            for s in sites]
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
        return
    if rows:
        click.echo(f"可用性监测（{rows[0].window[0]} 至 {rows[0].window[1]}）")
    click.echo("网站\t监测次数\t无法打开\t占比\t最长中断\t结论")
    for r in rows:
        longest = f"{r.longest_outage_probes}次/{r.longest_outage_min:.0f}分钟" if r.longest_outage_probes else "-"
        note = f"（不足20次：{'、'.join(r.short_days)}）" if r.verdict == "insufficient" else ""
        click.echo(f"{r.site}\t{r.probes}\t{r.failures}\t{r.ratio_text}\t{longest}\t{r.verdict_text}{note}")
        for c in r.closures:
            click.echo(f"  报备关停：{c}")
