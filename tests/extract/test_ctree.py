"""The C walks (pipeline/extract/_ctree.pyx) give what the Python walks give, on every page.

The Python functions are the definition; the C ones must match them exactly: the page index
(every id, class, label text, cell, script and comment, with its position), the body's
paragraphs, the flat text of elements with and without separators, the hidden-ancestor test,
and whole records. Pages: every saved real page (skipped where they are absent), every
replica page (its faults included) and crafted markup for the rules' corners.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree

from pipeline.extract import body, ctree, dom, extract_page, index, labels
from pipeline.extract.__init__ import _decode_parse
from pipeline.extract.labels import ALL_LABELS
from replica.server import ReplicaServer
from tests.conftest import REALPAGES, realpage_manifest

BUILT = dom.WALKER is not None
pytestmark = pytest.mark.skipif(
    not BUILT and bool(os.environ.get(ctree.PURE_PYTHON_ENV)),
    reason=f"{ctree.PURE_PYTHON_ENV} is set: the C walks are turned off",
)
FAULTS = ("malformed", "missing-date", "bad-bytes", "challenge")
CRAFTED = [
    "<div>a<span hidden>x</span>b<span style='DISPLAY : none'>y</span>c</div>",
    "<div><p class='a ng-hide'>x</p><p class='ng-hidden'>kept</p><input type=HIDDEN value=v>"
    "<input type=text>t</div>",
    "<div>1<br>2<span style='display:block'>3</span>4<em>5</em>6</div>",
    "<table><tr><td>甲：</td><td>乙<br>丙</td><th>丁</th></tr>"
    "<tr><td><table><tr><td>内</td></tr></table></td><td>外</td></tr></table>",
    "<div><!-- <$[标题]>begin -->题<!--c--><script>document.write('来源：x')</script>"
    "<style>p:a{}</style><noscript>n</noscript>尾：巴</div>",
    "<div id=zoom class='TRS_Editor x'><p>发布日期：2024-01-02</p>文号： 粤财〔2024〕1号</div>",
    "<div><![CDATA[c]]>t<?pi x?>u<svg><text>s</text></svg><o:p>w</o:p>v</div>",
    "<div>\u3000全角：ＡＢＣ <b>粗</b>\n\n<i>斜</i>\t</div>",
    "<td>索引号</td><td>123</td><th>发布机构：</th>",
    "<html><body><p>a</p></body></html><p>after</p>",
]


@cache
def pages() -> list[tuple[str, bytes, str | None]]:
    """(name, raw bytes, header charset) of the real pages and replica pages."""
    found = []
    for name, entry in sorted(realpage_manifest().items()):
        path = REALPAGES / name
        if path.is_file() and not name.endswith((".json", ".pdf")):
            found.append((name, path.read_bytes(), entry.get("charset")))
    server = ReplicaServer(port=8800, faults=FAULTS)
    for truth in server.truth()["notices"]:  # gdgpo's: the platform's page shell
        page = server.answer("GET", urlsplit(truth["url"]).path, {})
        found.append((truth["url"], bytes(page.body), None))
    found += [(f"crafted {i}", html.encode(), "utf-8") for i, html in enumerate(CRAFTED)]
    return found


def roots():
    for name, raw, charset in pages():
        yield name, _decode_parse(raw, charset)[1]


def elements(root: etree._Element) -> list[etree._Element]:
    """The root, and a sample of elements of every kind below it (bounded per page)."""
    picked = [root]
    for tag in ("body", "div", "td", "tr", "table", "p", "span", "li"):
        picked += list(root.iter(tag))[:12]
    return picked


def test_the_c_walks_are_built():
    assert BUILT, (
        "pipeline/extract/_ctree.pyx is not compiled: pip install -e . with a C compiler "
        f"(or set {ctree.PURE_PYTHON_ENV}=1 to run the Python walks only)"
    )


def test_pages_cover_real_replica_and_crafted_markup():
    names = [name for name, _, _ in pages()]
    assert sum(name.startswith("http") for name in names) > 100
    assert sum(name.startswith("crafted") for name in names) == len(CRAFTED)
    if REALPAGES.is_dir():
        assert sum(not name.startswith(("http", "crafted")) for name in names) > 10


@pytest.mark.skipif(not BUILT, reason="the C walks are not built")
def test_the_page_index_is_the_same():
    for name, root in roots():
        fast, slow = index.build_index(root, ALL_LABELS), index.py_build_index(root, ALL_LABELS)
        for part in ("ids", "classes", "comments", "texts", "cells", "scripts", "marks"):
            assert getattr(fast, part) == getattr(slow, part), (name, part)


@pytest.mark.skipif(not BUILT, reason="the C walks are not built")
def test_body_paragraphs_flat_text_and_hidden_ancestors_are_the_same():
    seen = 0
    for name, root in roots():
        for el in elements(root):
            seen += 1
            assert body.body_paragraphs(el) == body.py_body_paragraphs(el), name
            for sep, inline in ((None, ""), (" ", ""), ("\n", "|")):
                assert dom.flat_text(el, sep, inline) == dom.py_flat_text(el, sep, inline), name
            for node in el.iter():
                assert dom.has_hidden_ancestor(node) == dom.py_has_hidden_ancestor(node), name
                assert dom.is_skipped(node) == dom.py_is_skipped(node), name
                for inside, keep in ((None, frozenset()), (el, frozenset()), (el, {node})):
                    expected = labels.py_excluded(node, inside, keep)
                    assert labels._excluded(node, inside, keep) == expected, name
    assert seen > 1000


@pytest.mark.skipif(not BUILT, reason="the C walks are not built")
def test_dropped_elements_are_left_out_alike():
    root = etree.fromstring(
        "<div><p>keep</p><div class='meta'>来源：x<p>inner</p></div>tail<p>end</p></div>",
        etree.HTMLParser(),
    )
    div = root.find(".//div")
    drop = frozenset(div.iterfind(".//div"))
    assert body.body_paragraphs(div, drop) == body.py_body_paragraphs(div, drop)
    assert body.body_paragraphs(div, drop) == ["keep", "tail", "end"]


PURE = """
import json, pickle, sys
from pipeline.extract import dom, extract_page
assert dom.WALKER is None, "the C walks ran"
pages = pickle.load(open(sys.argv[1], "rb"))
records = [extract_page(raw, url, encoding=charset).to_dict() for url, raw, charset in pages]
json.dump(records, open(sys.argv[2], "w"))
"""


@pytest.mark.skipif(not BUILT, reason="the C walks are not built")
def test_whole_records_are_the_same(tmp_path):
    """Every record extracted with the C walks equals the one a process without them makes."""
    todo = [(_url(name), raw, charset) for name, raw, charset in pages()]
    (tmp_path / "pages.pkl").write_bytes(pickle.dumps(todo))
    env = {**os.environ, ctree.PURE_PYTHON_ENV: "1"}
    subprocess.run(
        [sys.executable, "-c", PURE, tmp_path / "pages.pkl", tmp_path / "out.json"],
        env=env, check=True, cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    slow = json.loads((tmp_path / "out.json").read_text())
    fast = [extract_page(raw, url, encoding=charset).to_dict() for url, raw, charset in todo]
    fast = json.loads(json.dumps(fast))  # as the other process wrote them
    assert len(fast) == len(slow) == len(todo)
    for (url, _, _), a, b in zip(todo, fast, slow, strict=True):
        assert a == b, url


def _url(name: str) -> str:
    return name if name.startswith("http") else f"http://example.gov.cn/{name}"
