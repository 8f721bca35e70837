"""classify_page: content, challenge (bot shield / WAF) or error — never a challenge as content."""

from __future__ import annotations

import pytest

from pipeline.extract.classify import classify_page, is_challenge
from pipeline.extract.decode import decode_html
from tests.conftest import REALPAGES, realpage

ARTICLE = (
    "<html><head><title>关于下达2006年部门预算的通知</title></head><body>"
    '<div class="TRS_Editor"><p>'
    + "市直各预算单位：现将你单位2006年部门预算下达给你们，请严格执行，不得擅自调整。" * 3
    + "</p></div></body></html>"
)

CHALLENGES = {
    "safedog": "<html><head><title>网站防火墙</title></head><body><div>您的请求带有不合法参数，"
    "已被网站管理员设置拦截！</div><div>安全狗</div></body></html>",
    "yunsuo": '<html><body><script>document.cookie="yunsuo_session_verify=abc";'
    'window.location.href="/?security_verify_data=313932302c31303830";</script></body></html>',
    "denied": "<html><head><title>访问被拒绝</title></head><body><h1>访问被拒绝</h1></body></html>",
    "cookie stub": '<html><head><script>var x="a1b2";document.cookie="__tst_status="+x+"#;path=/";'
    "location.reload();</script></head><body></body></html>",
    "jiasule": '<script>document.cookie=("__jsl_clearance=1700000000.1|0|abc");'
    "location.href=location.pathname+location.search</script>",
}
ERRORS = {
    "404 text": "<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1>"
    "<hr><center>nginx</center></body></html>",
    "gov 404": "<html><head><title>提示信息</title></head><body><div class='nav'><a>首页</a>"
    "<a>信息公开</a></div><p>抱歉，您访问的页面不存在或已被删除！</p></body></html>",
    "blank": "<html><head></head><body>  </body></html>",
}


@pytest.mark.parametrize("text", CHALLENGES.values(), ids=CHALLENGES)
def test_challenge_pages(text: str) -> None:
    assert classify_page(text, 200) == "challenge"


@pytest.mark.parametrize("text", ERRORS.values(), ids=ERRORS)
def test_error_pages_with_status_200(text: str) -> None:
    assert classify_page(text, 200) == "error"


@pytest.mark.parametrize("status", [400, 403, 404, 410, 500, 502, 503])
def test_http_errors(status: int) -> None:
    assert classify_page(ARTICLE, status) == "error"


def test_article() -> None:
    assert classify_page(ARTICLE) == "content"


def test_article_that_mentions_a_missing_page_is_content() -> None:
    text = ARTICLE.replace("请严格执行", "原链接页面不存在的，请严格执行")
    assert classify_page(text) == "content"


def test_rendered_article_behind_a_bot_shield_is_content() -> None:
    """ccgp page saved after the shield let the browser through: markers plus the article."""
    text = decode_html(realpage("ccgp_gov__procurement_award__2.html")).text
    assert "/_bot_sbu/" in text
    assert "HOY_TR=" in text
    assert classify_page(text) == "content"


def test_every_real_page_is_content() -> None:
    if not REALPAGES.is_dir():
        pytest.skip(f"real pages not found at {REALPAGES}; set ZWGK_REALPAGES")
    for path in sorted(REALPAGES.glob("*.html")):
        assert classify_page(decode_html(path.read_bytes()).text) == "content", path.name


SAMPLES = {**CHALLENGES, **ERRORS, "article": ARTICLE}


@pytest.mark.parametrize("text", SAMPLES.values(), ids=SAMPLES)
def test_is_challenge_answers_as_classify_page(text: str) -> None:
    """The crawl's shortcut (crawler.monitors) skips the checks that never answer challenge."""
    assert is_challenge(text) is (classify_page(text, 200) == "challenge")


def test_a_cookie_setter_is_found_only_by_its_javascript_name() -> None:
    """Scripts are case-sensitive: text that only mentions DOCUMENT.COOKIE sets nothing."""
    stub = CHALLENGES["cookie stub"]
    assert is_challenge(stub)
    assert not is_challenge(stub.replace("document.cookie", "DOCUMENT.COOKIE"))


def test_is_challenge_on_every_real_page() -> None:
    if not REALPAGES.is_dir():
        pytest.skip(f"real pages not found at {REALPAGES}; set ZWGK_REALPAGES")
    for path in sorted(REALPAGES.glob("*.html")):
        text = decode_html(path.read_bytes()).text
        assert is_challenge(text) is (classify_page(text, 200) == "challenge"), path.name
