"""govaudit score：按评分表给出网站的得分和结论。"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from govaudit import store


def site_options(site: Any | None) -> dict[str, Any]:
    """What the score sheet needs to know of a configured site (manual verdicts, portal, services)."""
    if site is None:
        return {"manual": [], "portal": False, "services": True}
    cfg = site.config or {}
    return {"manual": list(cfg.get("manual") or []), "portal": bool(cfg.get("portal", False)),
            "services": bool(cfg.get("public_services", True))}


def score_run(db, run_id: int, sheet_path: Path | None = None, site: Any | None = None):
    """Score one stored run with the sheet and the site's recorded verdicts; the rows are saved."""
    from govaudit import appeals
    from govaudit import score as sc

    run = store.get_run(db, run_id)
    sheet = sc.load_sheet(sheet_path)
    findings, _ = appeals.split(db, run_id, store.run_findings(db, run_id))  # accepted appeals (核减) cost nothing
    result = sc.score_site(run.get("site") or run["start_url"], findings, sheet, **site_options(site))
    sc.save(db, run_id, result)
    return result


@click.command("score")
@click.argument("site", required=False)
@click.option("--run", "run_id", type=int, help="运行编号（默认该网站最近一次完成的检查）。")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="网站清单配置（评分表、人工核实结论、数据库位置）。")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help="数据库文件。")
@click.option("--sheet", "sheet_path", type=click.Path(dir_okay=False, exists=True), help="评分表文件（默认 配置中的 scoresheet，或内置的 2019 年指标）。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
def score_cmd(site, run_id, config_path, db_path, sheet_path, as_json):
    """按评分表（国办秘函〔2019〕19号）给出一个网站的单项否决、扣分、得分和结论，并保存到数据库。

    \b
    示例：govaudit score 临川市人民政府门户网站 --config sites.yaml
          govaudit score --run 12 --db out/govaudit.sqlite
    """
    from govaudit.score import SheetError, format_text

    if not site and not run_id:
        raise click.UsageError("请指定网站名称，或用 --run 指定运行编号")
    cfg = None
    if config_path:
        from govaudit.cli import _sites_config

        cfg = _sites_config(config_path)
    db_file = Path(db_path) if db_path else (cfg.store_path() if cfg else None)
    if db_file is None:
        raise click.UsageError("请用 --config 或 --db 指定数据库")
    if not db_file.is_file():
        raise click.UsageError(f"数据库不存在：{db_file}")
    db = store.open_db(db_file)
    configured = None
    if run_id is None:
        if cfg:
            configured = next((s for s in cfg.sites if site in (s.name, s.url)), None)
        name = configured.name if configured else site
        row = next(iter(db.query("SELECT id FROM runs WHERE site = ? AND status = 'complete' ORDER BY id DESC LIMIT 1",
                                 [name])), None)
        if row is None:
            known = [r["site"] for r in db.query("SELECT DISTINCT site FROM runs WHERE status = 'complete' ORDER BY site")]
            raise click.UsageError(f"数据库中没有网站“{name}”已完成的检查（已有：{'、'.join(known) or '无'}）")
        run_id = row["id"]
    else:
        if not db["runs"].count_where("id = ?", [run_id]):
            raise click.UsageError(f"数据库中没有编号为 {run_id} 的运行")
        if cfg:
            name = store.get_run(db, run_id).get("site")
            configured = next((s for s in cfg.sites if s.name == name), None)
    sheet = Path(sheet_path) if sheet_path else (cfg.scoresheet if cfg else None)
    try:
        result = score_run(db, run_id, sheet, configured)
    except SheetError as exc:
        raise click.UsageError(str(exc)) from None
    if as_json:
        click.echo(json.dumps({"run_id": run_id, **result.as_dict()}, ensure_ascii=False, indent=2))
    else:
        click.echo(format_text(result))
