# govaudit — `make demo` audits the bundled demo portal; `make test` runs the test suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test install system-deps bench-deps bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Debian packages the tests use (a real redis-server for distributed mode) and a CJK font
# for the Chinese labels of the monthly chart (fonts-noto-cjk); Chromium for evidence screenshots and the
# browse page test (govaudit drives Debian's chromium through Playwright, never a downloaded browser).
system-deps:
	@{ command -v redis-server >/dev/null 2>&1 && command -v chromium >/dev/null 2>&1 && ls /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc >/dev/null 2>&1; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server fonts-noto-cjk chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server fonts-noto-cjk chromium >/dev/null; fi; }

demo: install
	$(PY) -m demo.run_demo demo-out

test: install system-deps
	$(PY) -m pytest

# The crawl benchmark serves its synthetic portal with nginx (Debian package) and compares with
# LinkChecker, installed from PyPI into its own venv (never the project's).
LINKCHECKER_VENV := benchmarks/.venv-linkchecker
bench-deps: system-deps
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; fi; }
	@[ -x $(LINKCHECKER_VENV)/bin/linkchecker ] || { $(PYTHON) -m venv $(LINKCHECKER_VENV) && $(LINKCHECKER_VENV)/bin/pip install -q linkchecker; }

bench: install bench-deps
	$(PY) benchmarks/bench_crawl.py --pages 2000,20000

clean:
	rm -rf $(VENV) demo-out out *.egg-info
