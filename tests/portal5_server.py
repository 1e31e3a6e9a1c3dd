"""The portal2 query-string server (tests/portal2_server.py) pointed at tests/fixtures/portal5.

portal5 pages its lists by query string (`/xwzx/lxyw/index.html?page=3`) and serves downloads through
servlets (`downfile.jsp?classid=0&filename=….pdf`, `attach.do?fid=…`): a file named `index.html?page=3`
answers a request whose query holds all of its parameters, otherwise the plain file answers.

    python tests/portal5_server.py            # serve portal5 on loopback, print its base URLs
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for p in (str(ROOT), str(ROOT / "tests")):
    if p not in sys.path:
        sys.path.insert(0, p)

from demo.server import PortalServer, serve_pair  # noqa: E402
from portal2_server import EXTERNAL, QueryHandler  # noqa: E402

PORTAL5 = ROOT / "tests" / "fixtures" / "portal5"


def serve_portal5(root: Path = PORTAL5, ext_root: Path = EXTERNAL) -> tuple[PortalServer, PortalServer]:
    main, ext = serve_pair(root, ext_root)
    main.RequestHandlerClass = QueryHandler  # before any request is made
    return main, ext


if __name__ == "__main__":
    import time

    srv, ext = serve_portal5()
    print(srv.base_url + "/", ext.base_url + "/", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
