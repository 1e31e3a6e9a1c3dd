"""The portal2 query-string server, plus a real site search for tests/fixtures/portal7.

portal7 (青岚县人民政府, 大汉 JCMS/jpage style) needs two things the demo server cannot do:
- query-string pages (the 县长信箱 detail pages `/jact/front/mailpubdetail.do?sysid=6&objid=N`), which
  tests/portal2_server.py's QueryHandler already serves;
- a working search: `GET /search?q=…&siteid=3301000001` returns the articles whose title contains q,
  read from `_search_index.json` (generated with the site). Like a real jsearchfront, the answer needs
  the hidden `siteid` field of the search form; without it the page says 参数错误 and lists nothing,
  so a tool must submit the form as the page defines it.
The partner ("external") site is tests/fixtures/portal7_ext, not demo/external.

    python tests/portal7_server.py            # print both base URLs and serve until ^C
"""
from __future__ import annotations

import html
import json
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
TESTS = Path(__file__).resolve().parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from demo.server import serve_pair  # noqa: E402
from portal2_server import QueryHandler  # noqa: E402

PORTAL7 = ROOT / "tests" / "fixtures" / "portal7"
EXTERNAL7 = ROOT / "tests" / "fixtures" / "portal7_ext"
SITE_ID = "3301000001"


class SearchHandler(QueryHandler):
    def respond(self, head: bool) -> None:
        parts = urlsplit(self.path)
        if parts.path != "/search":
            return super().respond(head)
        self.server.count(self.command, parts.path)
        with self.server.lock:  # the full request, so a test can see what the tool submitted
            self.server.__dict__.setdefault("searches", []).append(self.path)
        query = parse_qs(parts.query)
        q = (query.get("q") or [""])[0].strip()
        site = (query.get("siteid") or [""])[0]
        index = json.loads((self.server.root / "_search_index.json").read_text(encoding="utf-8"))
        if site != SITE_ID:
            rows, note = [], "参数错误：缺少站点标识"
        elif not q:
            rows, note = [], "请输入关键词"
        else:
            rows = [r for r in index if q in r["title"]]
            note = f"共找到 {len(rows)} 条结果"
        items = "\n".join(
            f'<div class="jcse-result-box"><div class="jcse-news-title"><a href="{r["url"]}" target="_blank">'
            f'{html.escape(r["title"])}</a></div><div class="jcse-news-date">{r["date"]}</div></div>' for r in rows)
        body = (
            '<!DOCTYPE html><html><head><meta charset="utf-8"><title>站内搜索 - 青岚县人民政府</title></head><body>'
            f'<div class="jcse-search"><p class="jcse-total">{note}</p>'
            f'<p class="jcse-q">搜索词：{html.escape(q)}</p>{items}</div></body></html>'
        ).encode("utf-8")
        self.send_plain(200, body, head, "text/html;charset=UTF-8")


def serve_portal7(root: Path = PORTAL7, ext_root: Path = EXTERNAL7):
    main, ext = serve_pair(root, ext_root)
    main.RequestHandlerClass = SearchHandler  # before any request is made
    return main, ext


if __name__ == "__main__":
    import time

    srv, ext = serve_portal7()
    print(srv.base_url + "/", ext.base_url + "/", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
