"""Benchmark: run every check and write the reports over a stored N-page crawl (no network).

The store is synthesised directly (pages with list/detail facts, fetches with ~1% broken,
~10 links a page), so the figure measures checks + reports alone.

    python benchmarks/bench_checks.py --pages 100000
"""
from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

from govaudit import store
from govaudit.audit import check_run
from govaudit.config import load as load_config
from govaudit.reports.site_report import write_site_report


def synthesise(db, pages: int) -> int:
    run_id = store.create_run(db, site="合成门户", start_url="http://bench.gov.cn/", host="bench.gov.cn",
                              as_of="2026-11-21", month="2026-11")
    base = "http://bench.gov.cn"
    page_rows, fetch_rows, link_rows = [], [], []
    for i in range(pages):
        url = f"{base}/" if i == 0 else f"{base}/col{i % 200}/t{i}.html" if i >= 200 else f"{base}/col{i}/"
        is_list = 0 < i < 200
        listing = {"is_list": is_list, "blank": False, "pagination": [],
                   "items": [{"title": f"第{j}条", "url": f"{base}/col{i}/t{j * 200 + i}.html", "date": f"2026-{1 + j % 11:02d}-0{1 + j % 9}"} for j in range(20)] if is_list else []}
        facts = {"kind": "list" if is_list else ("home" if i == 0 else "detail"), "listing": listing, "breadcrumb": ["首页", f"栏目{i % 200}"],
                 "pub_date": "2026-10-01"}
        if not is_list and i:
            facts |= {"doc": {"title": f"关于印发第{i}号办法的通知", "doc_number": f"临府发〔2026〕{i}号" if i % 10 == 0 else None,
                              "validity": "有效" if i % 3 else None, "has_meta_block": i % 10 == 0},
                      "cited_numbers": [], "related": []}
        page_rows.append({"run_id": run_id, "url": url, "final_url": url, "title": f"页面{i}", "depth": 1, "is_home": int(i == 0),
                          "kind": facts["kind"], "meta": json.dumps({"ColumnName": f"栏目{i % 200}"} if is_list else {}, ensure_ascii=False),
                          "facts": json.dumps(facts, ensure_ascii=False)})
        broken = i % 100 == 7
        fetch_rows.append({"run_id": run_id, "url": url, "method": "GET", "final_url": url, "redirects": "[]",
                           "status": 404 if broken else 200, "content_type": "text/html", "size": 20000, "elapsed_ms": 20,
                           "error_class": None, "error": None, "title": "", "soft404": None, "challenge": 0, "internal": 1})
        for k in range(10):
            link_rows.append({"run_id": run_id, "source": url, "target": f"{base}/col{(i + k) % 200}/t{(i * 7 + k * 13) % pages}.html",
                              "anchor": "链接", "tag": "a", "attr": "href", "source_is_home": int(i == 0)})
        if len(link_rows) > 50000:
            for t, rows in (("pages", page_rows), ("fetches", fetch_rows), ("links", link_rows)):
                store.write_rows(db, t, rows)
                rows.clear()
    for t, rows in (("pages", page_rows), ("fetches", fetch_rows), ("links", link_rows)):
        store.write_rows(db, t, rows)
    store.finish_run(db, run_id, "complete", {})
    return run_id


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=100000)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = store.open_db(Path(tmp) / "s.sqlite")
        t0 = time.monotonic()
        run_id = synthesise(db, a.pages)
        t1 = time.monotonic()
        findings = check_run(db, run_id, load_config())
        t2 = time.monotonic()
        write_site_report(Path(tmp) / "out", store.get_run(db, run_id), findings, inventory=store.load_inventory(db, run_id))
        t3 = time.monotonic()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"stored crawl: {a.pages} pages, {a.pages * 10} links (synthesised in {t1 - t0:.1f} s)")
    print(f"checks      : {t2 - t1:.1f} s, {len(findings)} findings")
    print(f"reports     : {t3 - t2:.1f} s")
    print(f"checks + reports: {t3 - t1:.1f} s (target <= 30 s at 100k pages); peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
