"""The procurement replica: 中国政府采购网 地方公告 for 湛江市 projects under ``/ccgp/``.

Deterministic projects (``projects.py``) with their lifecycle from intent to contract become
announcement drafts (``draft_*.py``: page content and the record's ``procurement`` object from
clean data), placed on the site (``announce.py``), rendered in ccgp's templates (``render.py``,
``listing.py``, ``layout.py``) and served by ``site.ProcurementSite``.
"""

from replica.procurement.site import ProcurementSite

__all__ = ["ProcurementSite"]
