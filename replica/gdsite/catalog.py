"""The gkmlpt catalogue of a site as served: its tree, counts, the served slice, API answers.

Real (../shared/realpages/api/gkmlpt_api_all__zhaoqing.json): the answer's shape and article
fields. Inferred (public crawlers' evidence, not seen): 100 articles a page, newest first;
``page=0`` answering like ``page=1``; only a recent slice served: the ``served_pages × 100``
newest documents of the whole catalogue, so every category serves its documents in that slice
(catId 0, a parent and a leaf agree on what is served); a page past ``served_pages`` answers
404, a page within it but past the category's documents an empty ``articles``; ``post_count``
counts every document the category holds plus older ones from before 2019 that exist only as a
number; a wrong ``sid`` answers 200 with an error object and no ``articles``.
"""

from __future__ import annotations

import json
import random
from typing import Any

from replica.gdsite import files
from replica.gdsite.model import Attach, Doc, attachment_path, gkmlpt_path, post_path
from replica.gdsite.spec import Category, SiteSpec
from replica.pages import Page, error_page

PER_PAGE = 100
JSON_TYPE = "application/json;charset=UTF-8"
ALL = Category("all", 0, "全部", 0)


class Catalog:
    """What the gkmlpt app of one site serves, for the documents visible at ``as_of``."""

    def __init__(self, spec: SiteSpec, docs: list[Doc], seed: int) -> None:
        self.spec = spec
        newest = sorted((d for d in docs if d.leaf), key=lambda d: (d.moment, d.post_id))[::-1]
        self.served_ids = {d.post_id for d in newest[: spec.served_pages * PER_PAGE]}
        self.members: dict[int, list[Doc]] = {0: newest}
        for cat in spec.categories:
            self.members[cat.id] = [d for d in newest if cat.id in (d.leaf.id, d.leaf.parent)]
        self.post_count = self._counts(seed)

    def is_served(self, doc: Doc) -> bool:
        """Whether the list API serves the document (in any category that holds it)."""
        return doc.post_id in self.served_ids

    def served(self, cat_id: int) -> list[Doc]:
        return [d for d in self.members[cat_id] if d.post_id in self.served_ids]

    def category(self, cat_id: int) -> Category | None:
        if cat_id == 0:
            return ALL
        return next((c for c in self.spec.categories if c.id == cat_id), None)

    # -- the tree ---------------------------------------------------------------------------
    def tree(self) -> list[dict[str, Any]]:
        """``_CONFIG.TREE``: the root nodes, each with its ``children`` nested."""
        return [self._node(c) for c in self.spec.categories if c.parent == 0]

    def _node(self, cat: Category) -> dict[str, Any]:
        children = [self._node(c) for c in self.spec.categories if c.parent == cat.id]
        return {"id": cat.id, "name": cat.name, "parent": cat.parent,
                "post_count": self.post_count[cat.id], "children": children,
                "jump_url": cat.jump_url}  # fmt: skip

    def _counts(self, seed: int) -> dict[int, int]:
        """Leaves: their documents plus a few older ones; parents: the sum of their children."""
        counts: dict[int, int] = {}
        for cat in self.spec.categories:
            if cat.jump_url or any(c.parent == cat.id for c in self.spec.categories):
                continue
            rng = random.Random(f"{seed}:{self.spec.name}:older:{cat.id}")
            held = len(self.members[cat.id])
            counts[cat.id] = held + held // 4 + rng.randint(2, 9)
        for cat in self.spec.categories:
            if cat.id not in counts:
                kids = [c.id for c in self.spec.categories if c.parent == cat.id]
                counts[cat.id] = sum(counts.get(k, 0) for k in kids)
        counts[0] = sum(counts[c.id] for c in self.spec.categories if c.parent == 0)
        return counts

    # -- the list API -------------------------------------------------------------------------
    def answer(self, cat_text: str, query: dict[str, str]) -> Page:
        """``gkmlpt/api/all/<catId>?page=<n>&sid=<SID>``."""
        if query.get("sid") != str(self.spec.sid):
            return _json({"code": 40001, "msg": "站点参数错误", "data": None})
        cat = self.category(int(cat_text)) if cat_text.isdigit() else None
        if cat is None:
            return _json({"code": 40401, "msg": "栏目不存在"}, 404)
        page_text = query.get("page", "1") or "1"
        if not page_text.isdigit():
            return _json({"code": 40002, "msg": "页码参数错误"}, 400)
        page = max(int(page_text), 1)
        if page > self.spec.served_pages:
            return error_page(404, "list")
        chunk = self.served(cat.id)[(page - 1) * PER_PAGE : page * PER_PAGE]
        return _json({"classify": self.classify(cat),
                      "articles": [self.article(d) for d in chunk]})  # fmt: skip

    def classify(self, cat: Category) -> dict[str, Any]:
        count = self.post_count[cat.id]
        return {"id": cat.id, "name": cat.name, "parent": cat.parent, "post_count": count,
                "theme_count": count}  # fmt: skip

    def article(self, doc: Doc) -> dict[str, Any]:
        """One list article, fields in the real sample's order, optional ones left out."""
        prefix, leaf = self.spec.prefix, doc.leaf
        assert leaf is not None
        item: dict[str, Any] = {
            "id": doc.post_id,
            "identifier": doc.identifier,
            "title": doc.title,
            "document_number": doc.gk_doc_number,
            "date": doc.date_unix,
            "publisher": doc.publisher,
            "keywords": doc.keywords,
            "abstract": doc.abstract,
            "classify_main": leaf.id,
            "classify_main_name": leaf.name,
            "classify_genre_name": doc.genre_name,
            "classify_theme_name": doc.theme_name,
            "url": prefix + gkmlpt_path(doc.post_id),
            "post_url": prefix + post_path(doc.column, doc.post_id) if doc.column else "",
            "created_at": doc.created_at,
            "display_publish_time": doc.unix,
            "attachment": [self.attachment(doc, a) for a in doc.attachments],
            "is_expired": doc.expired,
            "is_abolished": doc.abolished,
        }
        odd = doc.post_id % 2 == 1
        for name in doc.absent:
            if name == "publisher" and odd:
                item[name] = ""  # given but empty: not given either
            else:
                item.pop(name, None)
        if "created_at" in doc.absent:
            item.pop("display_publish_time")
        if not doc.column and odd:
            del item["post_url"]  # a gkmlpt-only document: post_url absent here, empty there
        if not doc.gk_doc_number and not odd:
            del item["document_number"]  # no 文号: absent here, empty there
        return item

    def attachment(self, doc: Doc, att: Attach) -> dict[str, Any]:
        url = self.spec.prefix + attachment_path(att.aid, doc.post_id, att.ext)
        return {"id": att.aid, "name": att.name, "type": att.ext, "mime": files.mime(att.ext),
                "size": att.size, "url": url}  # fmt: skip

    def detail(self, doc: Doc, content: str) -> dict[str, Any]:
        """``_CONFIG.DETAIL`` of a content page: the article's fields and its body HTML."""
        item = self.article(doc)
        detail = {"id": item.pop("id"), "title": item.pop("title"), "content": content}
        return detail | item


def _json(data: dict[str, Any], status: int = 200) -> Page:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return Page(status, body, JSON_TYPE, "list")
