"""The demo server for tests/fixtures/portal3, plus ``{{SELFHOST}}``/``{{EXTHOST}}`` (host:port without the
scheme) so pages can carry protocol-relative links (``//host/x``) to the ports the OS hands out.

    python tests/portal3_server.py            # serve portal3; prints the two base URLs
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for p in (str(ROOT), str(ROOT / "tests")):
    if p not in sys.path:
        sys.path.insert(0, p)

from demo.server import PortalServer, serve_pair  # noqa: E402
from portal2_server import QueryHandler  # noqa: E402

PORTAL3 = ROOT / "tests" / "fixtures" / "portal3"
EXTERNAL = ROOT / "demo" / "external"


def _host(url: str) -> bytes:
    return url.split("://", 1)[-1].encode()


class HostHandler(QueryHandler):
    def expand(self, data: bytes) -> bytes:
        if b"{{" not in data:
            return data
        partner = self.server.partner or self.server.base_url
        data = data.replace(b"{{SELFHOST}}", _host(self.server.base_url)).replace(b"{{EXTHOST}}", _host(partner))
        return super().expand(data)

    def load(self, path: str):
        # TRS sites on .shtml: a folder answers with its index.shtml (nginx `index index.shtml`)
        folder = (self.server.root / path.lstrip("/")).resolve()
        if folder.is_dir() and not (folder / "index.html").exists() and (folder / "index.shtml").exists():
            path = path.rstrip("/") + "/index.shtml"
        return super().load(path)


def serve_portal3(root: Path = PORTAL3, ext_root: Path = EXTERNAL) -> tuple[PortalServer, PortalServer]:
    main, ext = serve_pair(root, ext_root)
    main.RequestHandlerClass = HostHandler  # before any request is made
    return main, ext


if __name__ == "__main__":
    import time

    srv, ext = serve_portal3()
    print(srv.base_url + "/", ext.base_url + "/", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
