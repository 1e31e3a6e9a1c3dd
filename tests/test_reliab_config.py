"""Abusive or mistyped configuration files (issue 9, items 2, 4 and 14): refused at load, with a
Chinese message naming the key, before anything is crawled."""
from __future__ import annotations

import time

import pytest

from govaudit.config import ConfigError, load
from govaudit.config.sites import load_sites

OK_SITE = "sites:\n  - name: 甲\n    url: https://a.example.gov.cn/\n    unit: 甲单位\n"
NOTICE = "notice:\n  issuer: 办公室\n"


def _error(tmp_path, text: str, loader=load_sites) -> str:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        loader(path)
    return str(exc.value)


BOMB = """a: &a ["x","x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


@pytest.mark.parametrize("loader", [load, load_sites])
def test_yaml_bomb_is_refused_quickly(tmp_path, loader):
    # Under the shared keys of both loaders, so nothing but the alias limit can stop it.
    text = "crawl:\n  scrapy:\n    X:\n" + "".join("      " + line + "\n" for line in BOMB.splitlines())
    t0 = time.monotonic()
    msg = _error(tmp_path, NOTICE + OK_SITE + text if loader is load_sites else text, loader)
    assert time.monotonic() - t0 < 5
    assert "过大" in msg and "拒绝" in msg


def test_huge_config_file_is_refused(tmp_path):
    msg = _error(tmp_path, "crawl:\n  scrapy:\n    X: '" + "x" * 2_000_000 + "'\n", load)
    assert "过大" in msg


def test_small_anchors_still_work(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text("crawl: &c\n  max_pages: 7\n  hosts: {a.gov.cn: 127.0.0.1}\nhomepage: {window_days: 10}\n", encoding="utf-8")
    cfg = load(p)
    assert cfg["crawl"]["max_pages"] == 7 and cfg["homepage"]["window_days"] == 10


@pytest.mark.parametrize("text, key", [
    ("crawl:\n  max_page: 10\n", "crawl.max_page"),
    ("crawl:\n  max_pages: 10\n  concurency: 2\n", "crawl.concurency"),
    ("homepage:\n  window: 3\n", "homepage.window"),
    ("veto:\n  stale_column: 3\n", "veto.stale_column"),
    ("crawlx:\n  max_pages: 3\n", "crawlx"),
])
def test_unknown_keys_are_errors_naming_the_key(tmp_path, text, key):
    msg = _error(tmp_path, text, load)
    assert key in msg and "不是可用的配置项" in msg
    # The same shared section in sites.yaml.
    msg = _error(tmp_path, NOTICE + OK_SITE + text, load_sites)
    assert key in msg and "不是可用的配置项" in msg


def test_open_mappings_and_extra_crawl_keys_are_accepted(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text("crawl:\n  progress_interval: 0\n  scrapy: {ANY_SETTING: 1}\n  hosts: {x.gov.cn: 127.0.0.1}\n"
                 "columns:\n  types:\n    mine: {label: 自定, window_days: 30, keywords: [自定]}\n"
                 "  overrides: {/zt/: exclude}\n", encoding="utf-8")
    assert load(p)["columns"]["types"]["mine"]["window_days"] == 30


@pytest.mark.parametrize("url", ["htp//www.example.gov.cn/", "http//www.example.gov.cn/", "http:/www.example.gov.cn/",
                                 "htp://www.example.gov.cn/", "http://", "https:///index.html", "www.example .gov.cn",
                                 "http://www.example.gov.cn:99999/"])
def test_bad_start_urls_are_refused_naming_site_and_key(tmp_path, url):
    msg = _error(tmp_path, NOTICE + f"sites:\n  - name: 甲网站\n    url: '{url}'\n    unit: 甲单位\n")
    assert "sites[1].url" in msg and "甲网站" in msg and "起始网址无效" in msg and "第 5 行" in msg


@pytest.mark.parametrize("text, key", [
    (NOTICE + "sites:\n  - name: \"甲\\n网站\"\n    url: https://a.example.gov.cn/\n    unit: 甲单位\n", "sites[1].name"),
    (NOTICE + "sites:\n  - name: 甲\n    url: https://a.example.gov.cn/\n    unit: \"甲\\r\\n单位\"\n", "sites[1].unit"),
    ("notice:\n  issuer: \"办公室\\n（盖章）\"\n" + OK_SITE, "notice.issuer"),
])
def test_newlines_in_names_and_issuer_are_refused(tmp_path, text, key):
    msg = _error(tmp_path, text)
    assert key in msg and "换行" in msg


def test_good_urls_still_load(tmp_path):
    p = tmp_path / "s.yaml"
    p.write_text(NOTICE + "sites:\n  - {name: 甲, url: www.a.gov.cn, unit: 甲}\n  - {name: 乙, url: 'http://127.0.0.1:8080/x/', unit: 乙}\n"
                 "  - {name: 丙, url: 'https://政府.cn/', unit: 丙}\n", encoding="utf-8")
    assert [s.url for s in load_sites(p).sites] == ["http://www.a.gov.cn/", "http://127.0.0.1:8080/x/", "https://政府.cn/"]


def test_unknown_key_inside_a_column_type(tmp_path):
    msg = _error(tmp_path, "columns:\n  types:\n    mine: {label: 自定, window_day: 30, keywords: [自定]}\n", load)
    assert "columns.types.mine.window_day" in msg and "window_days" in msg


def test_deep_nesting_is_refused(tmp_path):
    msg = _error(tmp_path, "crawl:\n  scrapy:\n    X: " + "[" * 5000 + "]" * 5000 + "\n", load)
    assert "嵌套" in msg or "过大" in msg
