"""The replica's page caches: each holds every page its site can serve, rendered once.

A real site serves its pages from files its CMS wrote, at no cost to the crawling machine; the
replica renders a page on its first request and keeps it. Caches of a fixed size (8,192 to
32,768 pages a site) held whole sites up to scale ~20,000; past that, a crawl (which reads each
page once, in list order) missed on every page of the larger sites and the replica rendered it
again, using most of a core beside the crawl it was serving: at scale 100,000 it ran at 87% of a
core next to the bare spider's 100%, so a benchmark measured the replica's rendering.

So a cache is sized to its site: the number of pages the site has, plus room for a few keys
that are not pages (a query for an id that does not exist). Memory follows the site: the
rendered pages of a scale-100,000 replica (~600,000) take a few GB beside the ~4.6 GB its
model takes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")

SPARE = 1024  # entries for keys that are not pages of the site


def whole_site(render: Callable[[K], V], pages: int) -> Callable[[K], V]:
    """``render`` memoized for ``pages`` keys (every page of the site) and ``SPARE`` more."""
    return functools.lru_cache(maxsize=pages + SPARE)(render)
