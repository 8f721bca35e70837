"""The procurement site's map: name, prefix, the nine announcement lists and their channels.

Paths are relative to the site base, as on www.ccgp.gov.cn (the spider lists exactly these).
"""

from __future__ import annotations

from replica.model import Column

SITE = "ccgp"
PREFIX = "/ccgp/"
FAMILY = "ccgp"
HOME = "index.htm"

CGGG = ("政采公告", "cggg/")
DFGG = ("地方公告", "cggg/dfgg/")
CHANNELS = {"政采公告": "cggg/", "地方公告": "cggg/dfgg/"}


def _column(name: str, path: str) -> Column:
    trail = (CGGG, DFGG) if path.startswith("cggg/") else ()
    return Column(name, path, FAMILY, trail)


COLUMNS = (
    _column("采购意向", "cgyx/index.htm"),
    _column("公开招标", "cggg/dfgg/gkzb/index.htm"),
    _column("竞争性磋商", "cggg/dfgg/jzxcs/index.htm"),
    _column("询价公告", "cggg/dfgg/xjgg/index.htm"),
    _column("单一来源", "cggg/dfgg/dylygg/index.htm"),
    _column("更正公告", "cggg/dfgg/gzgg/index.htm"),
    _column("中标公告", "cggg/dfgg/zbgg/index.htm"),
    _column("合同公告", "cggg/dfgg/htgg/index.htm"),
    _column("终止公告", "cggg/dfgg/zzgg/index.htm"),
)
BY_NAME = {column.name: column for column in COLUMNS}


def page_name(index: int) -> str:
    """``index.htm``, ``index_1.htm`` … (the ccgp pager's page names)."""
    return HOME if index == 0 else f"index_{index}.htm"
