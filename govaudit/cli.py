"""govaudit 命令行：检查政府网站，生成检查报告、月度通报与整改清单。"""
from __future__ import annotations

import json
import sqlite3
import sys
import warnings
from datetime import date
from pathlib import Path

import click

from govaudit import cli_zh  # noqa: F401  (click's own messages in Chinese; before any command is declared)
from govaudit import __version__, store
from govaudit.config import ConfigError, load as load_config


def _as_of(value: str | None) -> str:
    if not value:
        return date.today().isoformat()
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"日期格式应为 YYYY-MM-DD，收到“{value}”", param_hint="--as-of") from None
    if day > date.today():
        click.echo(f"警告：--as-of {day.isoformat()} 晚于今天（{date.today().isoformat()}），栏目更新、整改时限等将按这一天计算；"
                   "如非有意，请改为今天或以前的日期。", err=True)
    return day.isoformat()


# Scrapy's own deprecation notices concern our use of its internals, not the inspector: keep the console quiet.
warnings.filterwarnings("ignore", module=r"scrapy(\.|$)")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="govaudit", message="%(prog)s %(version)s")
def main() -> None:
    """政府网站检查工具。

    \b
    govaudit audit URL      检查单个网站，输出问题清单与检查报告
    govaudit inspect        月度检查：全部网站、通报、整改清单、邮件
    govaudit history 网站   一个网站各月的检查情况
    govaudit checks         列出全部检查项
    """


@main.command()
@click.argument("url")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="检查基准日（默认今天），用于判断栏目是否更新，保证结果可复现。")
@click.option("--out", "out", type=click.Path(file_okay=False), default="out", show_default=True, help="输出目录：findings.jsonl、findings.csv、report.html。")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="YAML 配置文件（检查阈值、栏目规则、抓取参数）。")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help="数据库文件（默认 输出目录/govaudit.sqlite）。")
@click.option("--name", "site_name", help="网站名称（默认取网址）。")
@click.option("--extra-host", "extra_hosts", multiple=True, help="同属本站的其他域名，可多次指定。")
@click.option("--concurrency", type=click.IntRange(1, 64), help="对同一主机的并发请求数（默认 4）。")
@click.option("--delay", type=click.FloatRange(0, 60), help="对同一主机的请求间隔秒数；0 表示关闭限速（仅用于自有网站）。")
@click.option("--max-pages", type=click.IntRange(1), help="最多抓取的本站页面数（默认 20000）。")
@click.option("--max-depth", type=click.IntRange(0), help="最大抓取深度（默认 12）。")
@click.option("--resume", is_flag=True, help="继续上次中断的检查（同一输出目录）。")
@click.option("--redis", "redis_url", metavar="redis://[:密码@]主机:端口/库", help="分布式检查：抓取队列与去重放在 Redis 中（Redis 须为内网专用并设密码）。")
@click.option("--workers", type=click.IntRange(0, 64), default=2, show_default=True, help="与 --redis 同用：本机启动的工作进程数（0 表示只用其他机器上的 govaudit worker）。")
@click.option("--quiet", "-q", is_flag=True, help="不显示抓取进度。")
def audit(url, as_of, out, config_path, db_path, site_name, extra_hosts, concurrency, delay, max_pages, max_depth, resume, redis_url, workers, quiet):
    """检查一个网站：抓取全站，检查链接、栏目与政策文件，输出报告。

    \b
    示例：govaudit audit https://www.example.gov.cn/ --as-of 2026-11-21 --out out/
    """
    from govaudit.audit import Site, check_run, finish, new_job, summary_line, validate_url
    from govaudit.crawler.run import crawl_sites
    from govaudit.reports.site_report import write_site_report

    try:
        start = validate_url(url)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="URL") from None
    as_of = _as_of(as_of)
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    crawl_cfg = dict(config.get("crawl") or {})
    for key, value in (("concurrency", concurrency), ("delay", delay), ("max_pages", max_pages), ("max_depth", max_depth)):
        if value is not None:
            crawl_cfg[key] = value
    if quiet:
        crawl_cfg["progress_interval"] = 0
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    db_file = str(db_path or out_dir / "govaudit.sqlite")
    db = store.open_db(db_file)
    job_dir = out_dir / ".job"
    marker = job_dir / "govaudit_run.json"
    resume_run = None
    if resume:
        if not marker.is_file():
            raise click.UsageError(f"输出目录 {out_dir} 中没有可继续的检查（缺少 {marker}）")
        resume_run = json.loads(marker.read_text())["run_id"]
        from govaudit.crawler.run import ResumeMismatch, check_resume

        try:
            check_resume(db, resume_run, start, as_of)
        except ResumeMismatch as exc:
            raise click.UsageError(str(exc)) from None
    elif job_dir.exists():
        import shutil

        shutil.rmtree(job_dir)  # a fresh audit must not inherit an old frontier
    site = Site(name=site_name or start, url=start, extra_hosts=list(extra_hosts))
    job = new_job(db, site, db_path=db_file, as_of=as_of, month=as_of[:7], crawl_cfg=crawl_cfg,
                  job_dir=str(job_dir), resume_run=resume_run, content_cfg=config.get("content"))
    job_dir.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps({"run_id": job.run_id, "url": start}))
    click.echo(f"开始检查 {start}（基准日 {as_of}，运行编号 {job.run_id}）", err=True)
    if redis_url:
        from govaudit.crawler.distributed import WorkersFailed, coordinate

        try:
            results = coordinate([job], redis_url, workers, say=lambda m: click.echo(m, err=True))
        except WorkersFailed as exc:
            raise click.ClickException(str(exc)) from None
    else:
        results = crawl_sites([job], log_level="ERROR")
    from govaudit.inspect import Signalled, install_signal_handlers

    install_signal_handlers()  # Scrapy's handlers do nothing once its loop has ended
    try:
        stats = finish(db, job.run_id, results.get(job.run_id))
        findings = check_run(db, job.run_id, config)
    except Signalled:
        db["runs"].update(job.run_id, {"status": "interrupted"})
        click.echo("检查未完成：检查被中断（收到停止信号）。已抓取的内容已保存，可用 --resume 继续。", err=True)
        sys.exit(3)
    except (store.StoreWriteError, sqlite3.Error) as exc:
        click.echo(f"检查未完成：数据库 {db_file} 写入失败（{store.write_error_text(exc.__cause__ or exc)}）。"
                   "已写入的抓取结果不会丢失；排除故障后可用 --resume 继续。", err=True)
        sys.exit(3)
    run = store.get_run(db, job.run_id)
    if not site_name:  # the report's title: the site's own name (SiteName meta / <title>), not its URL
        from govaudit.reports.site_report import home_site_name

        run["site"] = home_site_name(db, job.run_id) or run["site"]
    paths = write_site_report(out_dir, run, findings, inventory=store.load_inventory(db, job.run_id))
    if run["status"] != "complete":
        # Said first, so nobody takes a partial crawl's figures for the site's result.
        click.echo(f"检查未完成：{stats.get('interrupted') or '抓取被中断'}。以下为已抓取部分的结果，"
                   f"可用 --resume 继续。", err=True)
        click.echo(f"已访问网址 {stats['fetched']} 个，本站页面 {stats['pages']} 个；{summary_line(findings)}。", err=True)
    else:
        click.echo(f"检查完成：访问网址 {stats['fetched']} 个，本站页面 {stats['pages']} 个；{summary_line(findings)}。", err=True)
    click.echo(f"报告：{paths['html']}\n问题清单：{paths['jsonl']}、{paths['csv']}", err=True)
    if stats.get("start_error"):
        click.echo(f"错误：起始网址 {start} 无法访问：{stats['start_error']}", err=True)
        sys.exit(2)
    if run["status"] != "complete":
        sys.exit(3)


@main.command("worker")
@click.option("--redis", "redis_url", required=True, metavar="redis://[:密码@]主机:端口/库", help="协调进程使用的 Redis 地址；密码也可用环境变量 GOVAUDIT_REDIS_PASSWORD 提供。")
@click.option("--idle", type=click.IntRange(1, 3600), default=10, show_default=True, help="队列空闲多少秒后退出。")
@click.option("--wait", type=click.IntRange(0, 86400), default=30, show_default=True, help="等待检查任务出现的秒数。")
def worker(redis_url, idle, wait):
    """分布式检查的工作进程：从 Redis 领取抓取任务，结果交回协调进程写入数据库。可在任意机器上运行。"""
    from govaudit.crawler.distributed import redacted, run_worker

    try:
        n = run_worker(redis_url, idle=idle, wait=wait)
    except Exception as exc:  # redis errors, bad URL
        raise click.ClickException(f"无法连接 Redis {redacted(redis_url)}：{type(exc).__name__}") from None
    click.echo(f"工作进程结束：参与检查任务 {n} 个。", err=True)


@main.command("checks")
def list_checks():
    """列出全部检查项（编号与名称）。"""
    from govaudit.checks import registry

    for check_id, spec in registry().items():
        click.echo(f"{check_id}\t{spec.title}")


@main.command("recheck")
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False), help="数据库文件。")
@click.option("--run", "run_id", type=int, help="运行编号（默认最近一次）。")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="YAML 配置文件。")
@click.option("--out", "out", type=click.Path(file_okay=False), required=True, help="输出目录。")
def recheck(db_path, run_id, config_path, out):
    """不重新抓取，按当前规则重新检查已保存的抓取结果并输出报告。"""
    from govaudit.audit import check_run, summary_line
    from govaudit.reports.site_report import write_site_report

    db = store.open_db(db_path)
    if run_id is None:
        row = next(iter(db.query("SELECT max(id) AS id FROM runs")), None)
        run_id = row and row["id"]
    if not run_id:
        raise click.UsageError("数据库中没有检查记录")
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    findings = check_run(db, run_id, config)
    paths = write_site_report(Path(out), store.get_run(db, run_id), findings, inventory=store.load_inventory(db, run_id))
    click.echo(f"重新检查完成：{summary_line(findings)}。报告：{paths['html']}", err=True)


def _sites_config(config_path: str):
    from govaudit.config.sites import load_sites

    try:
        return load_sites(config_path)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None


@main.command("inspect")
@click.option("--config", "config_path", required=True, type=click.Path(dir_okay=False), help="网站清单与通报配置（见 config/sites.example.yaml）。")
@click.option("--month", required=True, metavar="YYYY-MM", help="检查月份，如 2026-11；重新运行同一月份会替换该月结果。")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="检查基准日（默认：当月为今天，往月为该月最后一天）。")
@click.option("--out", "out", type=click.Path(file_okay=False), help="输出目录（默认 out/YYYY-MM）。")
@click.option("--send", is_flag=True, help="通过配置的邮件服务器把整改清单发给各单位（只发送尚未送达的）；不加时写入 输出目录/mail/*.eml。")
@click.option("--only", "only", multiple=True, metavar="NAME", help="只检查这些网站（可多次指定，或用逗号分隔）；通报仍包含本月已检查的全部网站。")
@click.option("--no-crawl", "no_crawl", is_flag=True, help="不重新抓取，用数据库中本月已有的结果重新生成文档（如补发邮件）。")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help="数据库文件（默认 配置中的 inspect.store，或配置文件旁的 govaudit.sqlite）。")
@click.option("--seq", type=click.IntRange(1), help="通报文号中的序号（notice.number 的 {seq}）；不指定时留空待填。")
@click.option("--redis", "redis_url", metavar="redis://[:密码@]主机:端口/库", help="分布式检查（见 govaudit worker）。")
@click.option("--workers", type=click.IntRange(0, 64), default=2, show_default=True, help="与 --redis 同用：本机启动的工作进程数。")
@click.option("--resume", is_flag=True, help="继续本月被中断的检查：已完成的网站不再抓取，未完成的从中断处继续。")
def inspect_cmd(config_path, month, as_of, out, send, only, no_crawl, db_path, seq, redis_url, workers, resume):
    """月度检查：检查全部网站，生成通报、各单位整改清单和统计图，并可发送邮件。

    \b
    示例：govaudit inspect --config sites.yaml --month 2026-11 --as-of 2026-11-21 --out out/2026-11 --send
    """
    from govaudit.inspect import InspectionInterrupted, default_as_of, inspect, parse_month

    try:
        month = parse_month(month)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--month") from None
    as_of_given = bool(as_of)
    if as_of:
        as_of = _as_of(as_of)
        if as_of < f"{month}-01":
            raise click.BadParameter(f"基准日 {as_of} 早于检查月份 {month}", param_hint="--as-of")
    else:
        try:
            as_of = default_as_of(month).isoformat()
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--month") from None
    cfg = _sites_config(config_path)
    if not as_of_given:  # no --as-of: the 落款 and the deadline run from today, not from the month's last day
        cfg.notice["issued"] = date.today().isoformat()
    if resume and no_crawl:
        raise click.UsageError("--resume 与 --no-crawl 不能同时使用")
    if send and not cfg.smtp:
        raise click.UsageError(f"配置文件 {config_path} 中没有 smtp 部分，无法发送邮件（去掉 --send 可只生成邮件文件）")
    out_dir = Path(out or Path("out") / month)
    db_file = Path(db_path) if db_path else cfg.store_path()
    try:
        outcome = inspect(cfg, month=month, as_of=as_of, out_dir=out_dir, db_path=db_file, only=list(only), send=send,
                          crawl=not no_crawl, seq=seq, echo=lambda m: click.echo(m, err=True),
                          redis_url=redis_url, workers=workers, resume=resume)
    except InspectionInterrupted as exc:
        names = f"（未完成：{'、'.join(exc.sites)}）" if exc.sites else ""
        click.echo(f"检查未完成{names}：{exc.reason or '抓取被中断'}。未生成通报，未发送邮件；"
                   f"本月已完成的检查结果保留不变。可用 govaudit inspect --resume（其他参数不变）继续。", err=True)
        sys.exit(3)
    except (store.StoreWriteError, sqlite3.Error) as exc:
        click.echo(f"检查未完成：数据库 {db_file} 写入失败（{store.write_error_text(exc.__cause__ or exc)}）。"
                   "未生成通报，未发送邮件；排除故障后可用 govaudit inspect --resume 继续。", err=True)
        sys.exit(3)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    files = outcome.files
    click.echo(f"通报：{files['docx']}\n      {files['html']}", err=True)
    click.echo(f"整改清单（{len(files['lists'])} 个单位）：{out_dir / '整改清单'}", err=True)
    click.echo(f"统计图：{files['chart']}", err=True)
    if "mail" in files:
        click.echo(f"邮件（未发送，加 --send 发送）：{out_dir / 'mail'}", err=True)
    if outcome.missing:
        click.echo(f"注意：以下网站本月没有检查结果：{'、'.join(outcome.missing)}", err=True)
    failed = outcome.failed_deliveries
    if failed:
        click.echo(f"有 {len(failed)} 个单位的邮件未送达，见上方原因；排除故障后用 --no-crawl --send 补发。", err=True)
        sys.exit(4)


@main.command("history")
@click.argument("site")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="网站清单配置（用于找到数据库）。")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help="数据库文件。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
def history_cmd(site, config_path, db_path, as_json):
    """显示一个网站各月的检查情况（问题数、新增、未整改、已整改）和当前未整改的问题。

    \b
    示例：govaudit history 临川市人民政府门户网站 --config sites.yaml
    """
    from govaudit import history

    if not db_path and not config_path:
        raise click.UsageError("请用 --config 或 --db 指定数据库")
    if db_path:
        db_file = Path(db_path)
    else:
        cfg = _sites_config(config_path)
        db_file = cfg.store_path()
        match = next((s for s in cfg.sites if site in (s.name, s.url)), None)
        site = match.name if match else site
    if not db_file.is_file():
        raise click.UsageError(f"数据库不存在：{db_file}")
    db = store.open_db(db_file)
    rows = history.site_history(db, site)
    if not rows:
        known = [r["site"] for r in db.query("SELECT DISTINCT site FROM runs ORDER BY site")]
        raise click.UsageError(f"数据库中没有网站“{site}”的月度检查记录（已有：{'、'.join(known) or '无'}）")
    still = history.open_problems(db, site)
    from govaudit.review import site_reviews

    reviews = site_reviews(db, site)
    if as_json:
        click.echo(json.dumps({"site": site, "months": rows, "open": still, "reviews": reviews}, ensure_ascii=False, indent=2))
        return
    click.echo(f"{site} 月度检查记录")
    click.echo("月份\t基准日\t\t问题数\t新增\t未整改\t已整改\t未复核\t单项否决")
    for r in rows:
        veto = "是" if r["veto"] else "否"
        click.echo(f"{r['month']}\t{r['as_of']}\t{r['problems']}\t{r['new']}\t{r['open']}\t{r['fixed']}\t{r['unverified']}\t{veto}"
                   + (f"（无法访问：{r['start_error']}）" if r["start_error"] else ""))
    click.echo(f"\n当前未整改问题 {len(still)} 个：")
    for f in still:
        months = len(json.loads(f["months"] or "[]"))
        click.echo(f"  [{history.problem_title(f['check'])}] {f['url']}　首次发现 {f['first_seen']}，最近发现 {f['last_seen']}，共 {months} 个月")
    if reviews:
        from govaudit.cli_review import echo_reviews

        echo_reviews(db, reviews)


from govaudit.cli_probe import availability_cmd, probe_cmd  # noqa: E402  (commands of their own module)

main.add_command(probe_cmd)
main.add_command(availability_cmd)

from govaudit.cli_score import score_cmd  # noqa: E402

main.add_command(score_cmd)

from govaudit.cli_review import COMMANDS as _REVIEW_COMMANDS  # noqa: E402 — review, appeal, browse

for _command in _REVIEW_COMMANDS:
    main.add_command(_command)
