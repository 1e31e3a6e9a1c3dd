"""Micro-benchmark: the four content detectors over N synthetic pages (no network).

Pages are the synthetic portal's (benchmarks/synth_site.py TEMPLATE), 1 in 50 seeded with an
ID number, a typo, an abolished name, a hidden link or a message table, so every code path
runs. Prints the time per page of each detector next to parsing the page with lxml (which the
crawler does anyway) and to a bare Scrapy response (2.4–3.1 ms CPU, shared/scrapy-notes.md).

    python benchmarks/bench_content.py --pages 20000
"""
from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

import lxml.html

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth_site import TEMPLATE  # noqa: E402

from govaudit.checks import privacy_rules, wording_rules  # noqa: E402
from govaudit.crawler import hidden_links, messages  # noqa: E402

AS_OF = date(2026, 11, 21)
SEEDS = [
    "张三 身份证号 110101199003074514，联系电话 13812345678。",
    "根据中华人民共合国有关法律，市国土资源局发布通知。",
    '<div style="display:none"><a href="http://www.am-yule.example.com/">澳门娱乐城</a></div>',
    "<table><tr><th>信件标题</th><th>留言时间</th><th>状态</th></tr><tr><td><a href='m.html'>路灯</a></td><td>2026-03-01</td><td>未回复</td></tr></table>",
]


def page(i: int) -> str:
    body = "正文内容，依法推进政务公开工作。" * 30
    if i % 50 == 0:
        body += SEEDS[(i // 50) % len(SEEDS)]
    items = "".join(f'<li><a href="/p/{(i * 7 + k * 13 + 1)}.html">第{k}号信息标题</a><span>2026-11-{1 + k:02d}</span></li>'
                    for k in range(10))
    return TEMPLATE.format(i=i, body=body, items=items, img=i % 50, att=i % 200, dead="")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=20000)
    n = ap.parse_args().pages
    html = [page(i) for i in range(n)]
    dicts = wording_rules.load_dictionaries()
    words = hidden_links.load_words()
    timing = dict.fromkeys(["parse", "privacy", "wording", "hidden_link", "messages"], 0.0)
    found = dict.fromkeys(["privacy", "wording", "hidden_link", "messages"], 0)
    for i, h in enumerate(html):
        t0 = time.perf_counter()
        doc = lxml.html.fromstring(h)
        title = doc.findtext(".//title") or ""
        text = doc.text_content()
        t1 = time.perf_counter()
        found["privacy"] += len(privacy_rules.scan_html(doc, context=title, text_content=text))
        t2 = time.perf_counter()
        found["wording"] += len(wording_rules.scan_html(doc, pub_date="2026-11-01", dicts=dicts, text_content=text))
        t3 = time.perf_counter()
        found["hidden_link"] += len(hidden_links.find_hidden_links(doc, f"http://bench.gov.cn/p/{i}.html", ["bench.gov.cn"], words))
        t4 = time.perf_counter()
        found["messages"] += len(messages.extract_messages(doc, f"http://bench.gov.cn/p/{i}.html", AS_OF, text_content=text))
        t5 = time.perf_counter()
        for k, (a, b) in zip(timing, [(t0, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5)]):
            timing[k] += b - a
    detectors = sum(v for k, v in timing.items() if k != "parse")
    print(f"{n} 个合成页面（每 50 页植入 1 处问题）")
    for k, v in timing.items():
        print(f"  {k:12s} {v:7.2f} s  {1000 * v / n:6.3f} ms/页" + (f"  检出 {found[k]}" if k in found else ""))
    per_page = 1000 * detectors / n
    print(f"  （parse 含 lxml 解析与一次 text_content()，四项检测共用）")
    print(f"  四项检测合计 {detectors:.2f} s，{per_page:.3f} ms/页；"
          f"相当于 Scrapy 每响应 2.4–3.1 ms CPU 的 {per_page / 3.1:.0%}–{per_page / 2.4:.0%}（未计网络等待）")


if __name__ == "__main__":
    main()
