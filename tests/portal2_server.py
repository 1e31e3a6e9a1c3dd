"""The demo server, plus query-string pages for tests/fixtures/portal2.

demo/server.py looks files up by path only, so `list.jsp?id=12&page=2` and `list.jsp?id=12` would be
one page. Real JSP/.do CMSs page by query string. Here a file named `list.jsp?id=12&page=2` answers
requests for that path whose query holds all of the file's parameters (the candidate with the most
parameters wins; order and extra parameters don't matter); without a match the plain file answers,
as before. Everything else (routes, {{SELF}}/{{EXT}}, charsets) is demo/server.py's.

    python tests/portal2_server.py            # serve portal2 on 127.0.0.1:8089
"""
from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from demo.server import Handler, PortalServer, serve_pair  # noqa: E402

PORTAL2 = ROOT / "tests" / "fixtures" / "portal2"
EXTERNAL = ROOT / "demo" / "external"


class QueryHandler(Handler):
    def load(self, path: str):
        parts = urlsplit(self.path)
        if parts.query and unquote(parts.path) == path:
            match = self._query_file(path, parts.query)
            if match:
                return super().load(match)
        return super().load(path)

    def _query_file(self, path: str, query: str) -> str | None:
        want = set(parse_qsl(query, keep_blank_values=True))
        target = (self.server.root / path.lstrip("/")).resolve()
        folder = target.parent
        if not str(folder).startswith(str(self.server.root)) or not folder.is_dir():
            return None
        best, best_n = None, 0
        for f in folder.iterdir():
            if not f.name.startswith(target.name + "?"):
                continue
            params = set(parse_qsl(f.name.split("?", 1)[1], keep_blank_values=True))
            if params <= want and len(params) > best_n:
                best, best_n = f.name, len(params)
        return None if best is None else path.rsplit("/", 1)[0] + "/" + best


def serve_portal2(root: Path = PORTAL2, ext_root: Path = EXTERNAL) -> tuple[PortalServer, PortalServer]:
    main, ext = serve_pair(root, ext_root)
    main.RequestHandlerClass = QueryHandler  # before any request is made
    return main, ext


if __name__ == "__main__":
    import time

    srv, ext = serve_portal2()
    print(srv.base_url + "/", ext.base_url + "/", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
