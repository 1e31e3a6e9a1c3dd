"""The demo server for tests/fixtures/portal4 (青禾县农业农村局, old-school ASP, GBK).

portal2's query-aware server (``news.asp?id=5`` is the file ``news.asp?id=5``) plus what an IIS/ASP site does:
a folder answers with its ``index.asp``; ``.asp``/``.html`` pages go out as ``text/html; charset=gb2312`` unless
``_charset.yaml`` gives that request (``path?query``) another Content-Type — e.g. plain ``text/html``, so the
charset is only in ``<meta http-equiv="Content-Type">``. Routes (``_routes.yaml``) stay path-only, as in demo/server.py.

    python tests/portal4_server.py            # serve portal4; prints the two base URLs
"""
from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[1]
for p in (str(ROOT), str(ROOT / "tests")):
    if p not in sys.path:
        sys.path.insert(0, p)

from demo.server import PortalServer, serve_pair  # noqa: E402
from portal2_server import QueryHandler  # noqa: E402

PORTAL4 = ROOT / "tests" / "fixtures" / "portal4"
EXTERNAL = ROOT / "demo" / "external"
PAGE_SUFFIXES = (".asp", ".html", ".htm")


class AspHandler(QueryHandler):
    def _charsets(self) -> dict:
        cache = getattr(self.server, "_charsets", None)
        if cache is None:
            f = self.server.root / "_charset.yaml"
            cache = (yaml.safe_load(f.read_text(encoding="utf-8")) or {}) if f.exists() else {}
            self.server._charsets = cache
        return cache

    def load(self, path: str):
        folder = (self.server.root / path.lstrip("/")).resolve()
        if folder.is_dir() and not (folder / "index.html").exists() and (folder / "index.asp").exists():
            path = path.rstrip("/") + "/index.asp"
        body, ctype = super().load(path)
        if body is None or path.startswith("/_"):
            return body, ctype
        name = path.rsplit("/", 1)[-1].split("?", 1)[0]
        if name.lower().endswith(PAGE_SUFFIXES):
            parts = urlsplit(self.path)
            key = unquote(parts.path) + ("?" + parts.query if parts.query else "")
            ctype = self._charsets().get(key, "text/html; charset=gb2312")
        return body, ctype


def serve_portal4(root: Path = PORTAL4, ext_root: Path = EXTERNAL) -> tuple[PortalServer, PortalServer]:
    main, ext = serve_pair(root, ext_root)
    main.RequestHandlerClass = AspHandler  # before any request is made
    return main, ext


if __name__ == "__main__":
    import time

    srv, ext = serve_portal4()
    print(srv.base_url + "/", ext.base_url + "/", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
