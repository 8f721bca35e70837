"""Every page of a replica site is rendered once, whatever the scale: a crawl of a large replica
measures the crawl, not the replica rendering each page again (replica/cache.py)."""

from __future__ import annotations

from replica.gdsite import make_sites as gd_sites
from replica.server import make_sites


def test_a_cache_holds_every_page_of_a_site_past_the_old_fixed_sizes():
    # At scale 4,500 the largest site of the Guangdong group has ~9,000 pages: more than the
    # 8,192 its cache held before, so a crawl missed on every page there.
    sites = gd_sites(scale=4500)
    for site in sites:
        assert site._cached.cache_parameters()["maxsize"] >= len(site.routes), site.name
        assert site._body.cache_parameters()["maxsize"] >= len(site.docs), site.name
    assert max(len(site.routes) for site in sites) > 8192


def test_each_page_is_rendered_once_over_two_crawls():
    for site in make_sites(scale=200):
        if not hasattr(site, "routes"):  # the gdgpo API: answers by id
            assert site._detail.cache_parameters()["maxsize"] >= len(site.entries)
            continue
        for _ in range(2):
            for path in site.routes:
                site.handle(path, {})
        info = site._cached.cache_info()
        assert info.misses == len(site.routes), site.name
        assert info.hits == len(site.routes), site.name
