"""`make demo`: serve the bundled portal on 127.0.0.1 and audit it with govaudit."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from demo.server import serve_pair

HERE = Path(__file__).resolve().parent


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "demo-out")
    portal, external = serve_pair(HERE / "portal", HERE / "external")
    print(f"演示门户网站已启动：{portal.base_url}/（外部站点 {external.base_url}/）", flush=True)
    cmd = [sys.executable, "-m", "govaudit", "audit", portal.base_url + "/", "--as-of", "2026-11-21",
           "--out", str(out), "--config", str(HERE / "config.yaml"), "--name", "临川市人民政府门户网站（演示）"]
    code = subprocess.call(cmd)
    portal.shutdown()
    external.shutdown()
    if code == 0:
        print(f"演示完成。报告：{(out / 'report.html').resolve()}")
    return code


if __name__ == "__main__":
    sys.exit(main())
