"""Soft-404 and anti-bot recognition: error pages are dead links, challenges are not."""
from __future__ import annotations

import pytest

from govaudit.crawler.pageclass import is_challenge, soft404_reason

LONG = "市政府召开常务会议，研究部署近期重点工作。" * 40


@pytest.mark.parametrize("title", ["404 Not Found", "404", "Error 404", "页面不存在", "抱歉，您访问的信息已删除", "HTTP 404"])
def test_error_titles(title):
    assert soft404_reason(title, LONG)


@pytest.mark.parametrize("title", ["关于第404号建议的答复", "市政府常务会议", "2024年第404期简报", "关于不存在违规行为的说明"])
def test_real_titles(title):
    assert soft404_reason(title, LONG) is None


def test_short_error_body_and_long_article():
    assert soft404_reason("临川市人民政府", "抱歉，您要找的页面不存在或已被删除！返回首页")
    article = "关于清理已删除信息的工作通报。" + LONG  # long text mentioning 已删除 is an article
    assert soft404_reason("工作通报", article) is None


def test_error_url_after_redirect():
    assert soft404_reason("临川市人民政府", LONG, "http://www.example.gov.cn/404.html")
    assert soft404_reason("临川市人民政府", LONG, "http://www.example.gov.cn/error/notfound.jsp")


def test_an_article_numbered_404_linked_directly_is_a_page():
    """The benchmark's /p/404.html (an ordinary article) was a soft 404 by its URL alone, and its
    own links went unchecked."""
    assert soft404_reason("第404号信息标题", LONG) is None


def test_challenges():
    assert is_challenge(412, "<html><script>var x=1</script></html>", 0)  # 瑞数
    assert is_challenge(521, "", 0)  # 加速乐
    assert is_challenge(403, "<title>安全验证</title><script>document.cookie='__jsl_clearance=1'</script>", 10)
    assert not is_challenge(403, "<h1>403 Forbidden</h1><hr>nginx", 20)
    assert not is_challenge(200, "<form>请输入验证码</form>" + LONG, len(LONG))  # a login form is not a challenge


LOGIN_HOME = ("<html><head><title>某某县政务服务平台</title></head><body><form action='/login'>"
              "用户名<input name='u'>密码<input type='password' name='p'>验证码<input name='captcha'>"
              "<img src='/captcha.jpg'><button>登录</button></form><a href='/zwgk/'>政务公开</a></body></html>")


def test_a_short_home_page_with_a_login_captcha_is_not_a_challenge():
    """Issue 9 item 6: weak words (验证码, captcha, 拦截, waf) on a 2xx page are not enough."""
    assert not is_challenge(200, LOGIN_HOME, 40)
    assert not is_challenge(200, "<html><body>请输入验证码后查询<a href='/a'>返回</a></body></html>", 12)
    assert not is_challenge(200, "<html><body>本站已启用 WAF 防护，请文明上网</body></html>", 18)
    assert not is_challenge(403, LOGIN_HOME, 40)  # a login form behind 403 is a 403, not a WAF page


def test_strong_challenge_signals():
    assert is_challenge(200, "<html><head><title>Just a moment...</title></head><body>"
                             "<script src='/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1'></script></body></html>", 0)
    assert is_challenge(200, "<html><script>document.cookie='acw_sc__v2=abc';location.reload()</script></html>", 0)
    assert is_challenge(503, "<html><body>访问过于频繁，请稍后再试</body></html>", 12)
    assert not is_challenge(200, "<html><body>" + LONG + "<script>var acw_tc='x'</script></body></html>", len(LONG))
