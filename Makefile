# govaudit — `make demo` audits the bundled demo portal; `make test` runs the test suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test install system-deps bench-deps bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# PYTHONWARNINGS: setuptools' notes about editable installs are for packagers, not for the user.
	PYTHONWARNINGS=ignore $(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Debian packages the tests use: a real redis-server for distributed mode, a CJK font for the
# chart's Chinese labels (fonts-noto-cjk), LibreOffice Writer to render the 通报 to PDF
# (libreoffice-writer-nogui), poppler-utils for page images of it, and Chromium for the
# report layout screenshots, evidence screenshots and the browse page test and the pages whose lists are filled by JavaScript (crawler/render.py) (govaudit drives Debian's
# chromium through Playwright, never a downloaded browser).
SYSTEM_PACKAGES := redis-server fonts-noto-cjk libreoffice-writer-nogui poppler-utils chromium
system-deps:
	@{ command -v redis-server >/dev/null 2>&1 && ls /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc >/dev/null 2>&1 \
	   && command -v soffice >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 && command -v chromium >/dev/null 2>&1; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; fi; }

demo: install
	$(PY) -m demo.run_demo demo-out

# -rs: say why a test was skipped (a missing system package, …), never skip in silence.
test: install system-deps
	$(PY) -m pytest -rs

# The crawl benchmark serves its synthetic portal with nginx (Debian package) and compares with
# LinkChecker, installed from PyPI into its own venv (never the project's).
LINKCHECKER_VENV := benchmarks/.venv-linkchecker
bench-deps: system-deps
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; fi; }
	@[ -x $(LINKCHECKER_VENV)/bin/linkchecker ] || { $(PYTHON) -m venv $(LINKCHECKER_VENV) && $(LINKCHECKER_VENV)/bin/pip install -q linkchecker; }

bench: install bench-deps
	$(PY) benchmarks/bench_crawl.py --pages 2000,20000 --content-off

clean:
	rm -rf $(VENV) demo-out out *.egg-info
