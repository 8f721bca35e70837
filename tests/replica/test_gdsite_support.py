"""Helpers for the site-group replica tests (no tests here): a keep-alive HTTP client, the
site-group part of the truth, and a small body-text reader that follows docs/record.md."""

from __future__ import annotations

import http.client
import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

SITES = ("zhanjiang", "zs-czj", "jiangmen", "zhaoqing")
BLOCKS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table", "ul", "ol", "section",
    "article", "blockquote", "pre", "br",
}  # fmt: skip
VOID = {"br", "img", "input", "meta", "link", "hr", "canvas"}
WIDE = str.maketrans(
    {chr(0xFF10 + i): str(i) for i in range(10)} | {"％": "%", "\u3000": " ", "\xa0": " "}
)
#: The page chrome some desktop articles carry inside the body container: never body text.
CHROME_CLASSES = {"info_ewm", "mar"}


class Client:
    """GET over one keep-alive connection to the replica."""

    def __init__(self, base_url: str) -> None:
        self.netloc = urlsplit(base_url).netloc
        self.conn = http.client.HTTPConnection(self.netloc, timeout=30)

    def get(self, url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        self.conn.request("GET", target, headers=headers or {})
        response = self.conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()

    def json(self, url: str) -> tuple[int, dict]:
        status, _, body = self.get(url)
        return status, json.loads(body) if body.startswith(b"{") else {}

    def close(self) -> None:
        self.conn.close()


def group_truth(document: dict) -> dict:
    """The truth cut down to the site-group sites."""
    return {
        "notices": [n for n in document["notices"] if n["site"] in SITES],
        "sites": [s for s in document["sites"] if s["name"] in SITES],
    }


def normalize(text: str) -> str:
    """docs/record.md's text normalization, as far as these pages need it."""
    return re.sub(r"\s+", " ", text.translate(WIDE)).strip()


class BodyText(HTMLParser):
    """The clean text inside the first element that ``is_container(tag, attrs)`` accepts:
    blocks and ``<br>`` start paragraphs, a table row is one paragraph (cells joined by a
    space), scripts, hidden elements and the page chrome are left out."""

    def __init__(self, is_container) -> None:
        super().__init__(convert_charrefs=True)
        self.is_container = is_container
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped) inside the container
        self.done = False
        self.paras: list[str] = [""]

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = dict(attrs)
        if not self.stack:
            if not self.done and self.is_container(tag, values):
                self.stack.append((tag, False))
            return
        skip = self.stack[-1][1] or _skipped(tag, values)
        if tag in BLOCKS:
            self.paras.append("")
        if tag == "td":
            self.paras[-1] += " "
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if self.stack and tag in BLOCKS:
            self.paras.append("")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or tag in VOID:
            return
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break
        if tag in BLOCKS:
            self.paras.append("")
        if not self.stack:
            self.done = True

    def handle_data(self, data: str) -> None:
        if self.stack and not self.stack[-1][1]:
            self.paras[-1] += data

    def text(self) -> str:
        lines = [normalize(p) for p in self.paras]
        return "\n".join(line for line in lines if line)


def _skipped(tag: str, attrs: dict) -> bool:
    style = (attrs.get("style") or "").replace(" ", "")
    classes = set((attrs.get("class") or "").split())
    return (
        tag in ("script", "style")
        or "display:none" in style
        or "hidden" in attrs
        or bool(classes & CHROME_CLASSES)
    )


def body_text(html: str, is_container) -> str:
    parser = BodyText(is_container)
    parser.feed(html)
    parser.close()
    return parser.text()


def by_class(name: str, tag: str = "div"):
    """A container predicate: ``<tag class="… name …">``."""
    return lambda t, a: t == tag and name in (a.get("class") or "").split()


def by_id(name: str, tag: str = "div"):
    return lambda t, a: t == tag and a.get("id") == name


CONTAINERS = {
    "zhanjiang": by_id("article"),
    "zs": by_class("article-content"),
    "jiangmen": by_id("zoomcon"),
    "gkmlpt": by_class("article-content"),
    "mobile": by_id("m-content"),
}
