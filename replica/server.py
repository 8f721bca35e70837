"""The replica HTTP server: routes by path prefix to sites, serves truth and stats endpoints.

Standard library only (``wire.py``: every connection on one asyncio loop in a thread of its
own): HTTP/1.1 keep-alive with Content-Length, one write per response, pages rendered once and
cached by the sites; no request log unless asked (``request_log=True``: every request's start
and end).
``/__truth.json``, ``/__stats.json`` and ``/__stats/reset`` are not counted in the stats.
With the ``offsite-redirect`` fault a second listener on another port of the same host plays
the other origin those pages move to; its requests are counted apart (``offsite_requests``).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import Counter
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from replica import faults as fault_rules
from replica import truth as truth_doc
from replica import wire
from replica.gdgpo import GdgpoSite
from replica.gdsite import GdSite
from replica.gdsite import make_sites as gd_sites
from replica.pages import Page, error_page, html_page
from replica.procurement import ProcurementSite
from replica.site import BureauSite

PATH_KINDS = ("list", "detail", "attachment", "robots", "other")


def make_sites(
    *,
    scale: int | None = None,
    as_of: dt.date | None = None,
    faults: Iterable[str] = (),
    seed: int = 2006,
    edits: float = 0.0,
    history: float = 0.0,
) -> list[BureauSite | ProcurementSite | GdgpoSite | GdSite]:
    """The sites one replica server holds: the bureau (``/czj/``), procurement (``/ccgp/``),
    广东省政府采购网's API (``/gdgpo/``) and the Guangdong site group (``/gd/<host>/``).
    ``edits``: the share of the notices of the bureau and the site group edited in place some
    days after publication (replica/edits.py; 0: none). ``history``: the share of the bureau's
    notices edited, withdrawn and restored on dates (replica/history.py; 0: none); not with
    ``edits`` (ValueError)."""
    if edits and history:
        raise ValueError("edits and history are exclusive: a history has edits of its own")
    options = {"scale": scale, "as_of": as_of, "faults": tuple(faults), "seed": seed}
    gd = gd_sites(**options, edits=edits)  # the Guangdong site group: /gd/<host>/…
    bureau = BureauSite(**options, edits=edits, history=history)
    return [bureau, ProcurementSite(**options), GdgpoSite(**options), *gd]


def build_truth(
    base_url: str,
    *,
    scale: int | None = None,
    as_of: dt.date | None = None,
    faults: Iterable[str] = (),
    seed: int = 2006,
    edits: float = 0.0,
    history: float = 0.0,
) -> dict[str, Any]:
    """The truth a server started with these arguments at ``base_url`` would publish."""
    sites = make_sites(
        scale=scale, as_of=as_of, faults=faults, seed=seed, edits=edits, history=history
    )
    return truth_doc.assemble(sites, base_url, as_of)


class Stats:
    """Thread-safe counters of what was served."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.requests = 0
            self.by_status: Counter[str] = Counter()
            self.by_kind: Counter[str] = Counter(dict.fromkeys(PATH_KINDS, 0))
            self.offsite = 0

    def count(self, status: int, kind: str) -> None:
        with self._lock:
            self.requests += 1
            self.by_status[str(status)] += 1
            self.by_kind[kind] += 1

    def count_offsite(self) -> None:
        with self._lock:
            self.offsite += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": self.requests,
                "by_status": dict(sorted(self.by_status.items())),
                "by_path_kind": dict(self.by_kind),
                "offsite_requests": self.offsite,
            }


class ReplicaServer:
    """Deterministic replica sites on a loopback port; see the package README."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        scale: int | None = None,
        as_of: dt.date | None = None,
        faults: Iterable[str] = (),
        seed: int = 2006,
        edits: float = 0.0,
        history: float = 0.0,
        latency: float = 0.0,
        request_log: bool = False,
    ) -> None:
        self.host, self.port = host, port
        #: Seconds added to every answer (the time a real server takes), for politeness tests.
        self.latency = latency
        #: ``(target, started, ended)`` per request (monotonic seconds) when ``request_log``;
        #: None otherwise: from the request read to the moment before its answer's last bytes
        #: went out (replica.wire). The /__ endpoints are not logged.
        self.request_log: list[tuple[str, float, float]] | None = [] if request_log else None
        self.faults = fault_rules.parse(faults)
        self.as_of = as_of
        options = {"scale": scale, "as_of": as_of, "seed": seed, "edits": edits}
        options["history"] = history
        self.sites = make_sites(faults=self.faults, **options)
        self.counters = Stats()
        self._httpd: wire.Server | None = None
        self._thread: threading.Thread | None = None
        self._offsite: wire.Server | None = None
        self._truth: bytes | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> ReplicaServer:
        """Bind and serve in a background thread; returns self."""
        self._httpd = wire.Server((self.host, self.port), self.answer)
        if self.request_log is not None:
            self._httpd.observe = self._log
        self.port = self._httpd.server_address[1]
        self._thread = _serve(self._httpd)
        if "offsite-redirect" in self.faults:
            self._offsite = wire.Server((self.host, 0), self._answer_offsite)
            _serve(self._offsite)
            for site in self.sites:
                site.offsite_base = self.offsite_url
        return self

    def stop(self) -> None:
        for httpd in (self._httpd, self._offsite):
            if httpd is not None:
                httpd.shutdown()
                httpd.server_close()
        self._httpd = self._offsite = None

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted."""
        if self._thread is None:
            self.start()
        try:
            while self._thread is not None and self._thread.is_alive():
                self._thread.join(0.5)
        finally:
            self.stop()

    def __enter__(self) -> ReplicaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what it publishes ----------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def offsite_url(self) -> str | None:
        """The other origin ``offsite-redirect`` pages move to (another port), once started."""
        if self._offsite is None:
            return None
        return f"http://{self.host}:{self._offsite.server_address[1]}"

    def site_base(self, name: str) -> str:
        """The base URL of the site called ``name`` (``http://127.0.0.1:PORT/czj/``)."""
        for site in self.sites:
            if site.name == name:
                return self.base_url + site.prefix
        raise KeyError(name)

    @property
    def notice_count(self) -> int:
        return sum(len(site.notices) for site in self.sites)

    def truth(self) -> dict[str, Any]:
        return json.loads(self._truth_bytes())

    def stats(self) -> dict[str, Any]:
        return self.counters.snapshot()

    def _truth_bytes(self) -> bytes:
        if self._truth is None:
            document = truth_doc.assemble(self.sites, self.base_url, self.as_of)
            self._truth = json.dumps(document, ensure_ascii=False).encode()
        return self._truth

    # -- answering -------------------------------------------------------------------------
    def answer(
        self, method: str, target: str, form: dict[str, str], headers: dict[str, str] | None = None
    ) -> Page:
        """The page for a request; counts it (with the status it will really get: a 304 when the
        request's validators match) unless it is one of the ``/__`` endpoints."""
        parts = urlsplit(target)
        path = unquote(parts.path)
        if path.startswith("/__"):
            return self._control(method, path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True)) | form
        page = self._route(path, query)
        revalidated = page.status == 200 and headers and wire.not_modified(page, headers)
        self.counters.count(304 if revalidated else page.status, page.kind)
        if self.latency:  # waited out on the server's loop: other connections go on meanwhile
            page = page.but(delay=page.delay + self.latency)
        return page

    def _log(self, target: str, started: float, ended: float) -> None:
        if not target.startswith("/__"):
            self.request_log.append((target, started, ended))  # list.append is thread-safe

    def _answer_offsite(
        self, method: str, target: str, form: dict[str, str], headers: dict[str, str] | None = None
    ) -> Page:
        """The other origin: every request is counted and gets the same "site moved" page."""
        del method, target, form, headers
        self.counters.count_offsite()
        return html_page(fault_rules.moved_page())

    def _route(self, path: str, query: dict[str, str]) -> Page:
        if path == "/robots.txt":
            return Page(200, self._robots(), "text/plain; charset=utf-8", "robots")
        if path == "/":
            links = "".join(f'<li><a href="{s.prefix}">{s.name}</a></li>' for s in self.sites)
            return html_page(f"<!DOCTYPE html><html><body><ul>{links}</ul></body></html>")
        for site in self.sites:
            if path.startswith(site.prefix):
                return site.handle(path[len(site.prefix) :], query)
            if path == site.prefix.rstrip("/"):
                return Page(301, b"", "text/html", "other", (("Location", site.prefix),))
        return error_page(404, "other")

    def _robots(self) -> bytes:
        lines = ["User-agent: *"]
        lines += [f"Disallow: {path}" for site in self.sites for path in site.robots_disallow()]
        return ("\n".join(lines) + "\n").encode()

    def _control(self, method: str, path: str) -> Page:
        if path == "/__truth.json":
            return Page(200, self._truth_bytes(), "application/json", "other")
        if path == "/__stats.json":
            return Page(200, json.dumps(self.stats()).encode(), "application/json", "other")
        if path == "/__stats/reset" and method == "POST":
            self.counters.reset()
            return Page(200, b'{"reset": true}', "application/json", "other")
        return error_page(404, "other")


def _serve(httpd: wire.Server) -> threading.Thread:
    """Serve ``httpd`` in a daemon thread."""
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    return thread
