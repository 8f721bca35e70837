"""What the archive holds, for the home page: sites, counts, dates, the last crawl.

Each figure is one read-only query on an index (a count reads the smallest index of its table;
the sites read ``notices(site, publish_date)``), run with a short time limit: a figure that
takes too long on a very large archive is shown as unknown instead of holding the page.
"""

from __future__ import annotations

import asyncio
from typing import Any

from datasette.database import QueryInterrupted

TIME_LIMIT_MS = 800

SITES_SQL = """\
select c.site, s.title, c.notices, c.first_published, c.last_published,
       r.started as last_crawl, r.finish_reason as last_status
from (
  select site, count(*) as notices, min(publish_date) as first_published,
         max(publish_date) as last_published
  from notices group by site
) c
left join sites s on s.name = c.site
left join crawl_runs r on r.id = (select max(id) from crawl_runs where site = c.site)
order by c.notices desc, c.site"""

#: The same figures from ``facet_counts`` (kept by triggers): no group by over every notice
#: (230 ms at a million), each site's date range two seeks on ``notices(site, publish_date)``.
SITES_FROM_COUNTS_SQL = """\
select c.value as site, s.title, c.n as notices,
       (select min(publish_date) from notices where site = c.value) as first_published,
       (select max(publish_date) from notices where site = c.value) as last_published,
       r.started as last_crawl, r.finish_reason as last_status
from facet_counts c
left join sites s on s.name = c.value
left join crawl_runs r on r.id = (select max(id) from crawl_runs where site = c.value)
where c.tbl = 'notices' and c.col = 'site' and c.n > 0
order by c.n desc, c.value"""

COUNTS_SQL = """\
select (select count(*) from notices) as notices,
       (select count(*) from notice_versions) as versions,
       (select count(*) from attachments) as attachments,
       (select count(*) from procurement) as procurement,
       (select count(*) from notices where status = 'gone') as gone,
       (select min(publish_date) from notices) as first_published,
       (select max(publish_date) from notices) as last_published"""

LAST_CRAWL_SQL = """\
select id, spider, site, started, finished, finish_reason, new, changed, gone, failed
from crawl_runs order by started desc, id desc limit 1"""

QUERIES = {"sites": SITES_SQL, "counts": COUNTS_SQL, "last_crawl": LAST_CRAWL_SQL}


async def _rows(db: Any, sql: str) -> list[dict[str, Any]] | None:
    try:
        result = await db.execute(sql, custom_time_limit=TIME_LIMIT_MS)
    except QueryInterrupted:
        return None
    return [dict(row) for row in result.rows]


async def is_archive(db: Any) -> bool:
    """Whether ``db`` has the archive's tables (a served database might be another one)."""
    tables = set(await db.table_names())
    return {"notices", "notice_versions", "crawl_runs", "sites"} <= tables


async def archive_overview(db: Any) -> dict[str, Any] | None:
    """Sites with counts, totals, the publish-date range and the last crawl; None when ``db``
    is not an archive."""
    if not await is_archive(db):
        return None
    sites_sql = SITES_FROM_COUNTS_SQL if await db.table_exists("facet_counts") else SITES_SQL
    sites, counts, last = await asyncio.gather(
        _rows(db, sites_sql), _rows(db, COUNTS_SQL), _rows(db, LAST_CRAWL_SQL)
    )
    return {
        "database": db.name,
        "sites": sites,
        "counts": counts[0] if counts else None,
        "last_crawl": last[0] if last else None,
    }
