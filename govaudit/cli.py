"""govaudit 命令行：检查政府网站，生成检查报告、月度通报与整改清单。"""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from govaudit import __version__, store
from govaudit.config import ConfigError, load as load_config


def _as_of(value: str | None) -> str:
    if not value:
        return date.today().isoformat()
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"日期格式应为 YYYY-MM-DD，收到“{value}”") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="govaudit", message="%(prog)s %(version)s")
def main() -> None:
    """政府网站检查工具。

    \b
    govaudit audit URL      检查单个网站，输出问题清单与检查报告
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
@click.option("--quiet", "-q", is_flag=True, help="不显示抓取进度。")
def audit(url, as_of, out, config_path, db_path, site_name, extra_hosts, concurrency, delay, max_pages, max_depth, resume, quiet):
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
    elif job_dir.exists():
        import shutil

        shutil.rmtree(job_dir)  # a fresh audit must not inherit an old frontier
    site = Site(name=site_name or start, url=start, extra_hosts=list(extra_hosts))
    job = new_job(db, site, db_path=db_file, as_of=as_of, month=as_of[:7], crawl_cfg=crawl_cfg,
                  job_dir=str(job_dir), resume_run=resume_run)
    job_dir.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps({"run_id": job.run_id, "url": start}))
    click.echo(f"开始检查 {start}（基准日 {as_of}，运行编号 {job.run_id}）", err=True)
    results = crawl_sites([job], log_level="ERROR")
    stats = finish(db, job.run_id, results.get(job.run_id))
    findings = check_run(db, job.run_id, config)
    run = store.get_run(db, job.run_id)
    paths = write_site_report(out_dir, run, findings, inventory=store.load_inventory(db, job.run_id))
    click.echo(f"检查完成：访问网址 {stats['fetched']} 个，本站页面 {stats['pages']} 个；{summary_line(findings)}。", err=True)
    click.echo(f"报告：{paths['html']}\n问题清单：{paths['jsonl']}、{paths['csv']}", err=True)
    if stats.get("start_error"):
        click.echo(f"错误：起始网址 {start} 无法访问：{stats['start_error']}", err=True)
        sys.exit(2)
    if stats.get("finish_reason") not in ("finished", None) and not str(stats.get("finish_reason")).startswith("closespider"):
        click.echo(f"检查未完成（{stats.get('finish_reason')}），可用 --resume 继续。", err=True)
        sys.exit(3)


@main.command("checks")
def list_checks():
    """列出全部检查项（编号与名称）。"""
    from govaudit.checks import registry

    for check_id, module in registry().items():
        click.echo(f"{check_id}\t{getattr(module, 'TITLE', '')}")


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
