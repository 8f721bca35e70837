"""Procurement fields (项目编号, 采购人, 代理机构, 中标供应商, 中标金额 ...) of ccgp-family pages.

``extract_page`` calls :func:`procurement_fields` for every ``procurement`` page and stores the
result in the record's ``procurement`` field (contract: docs/record.md). Modules, one thing each:

* ``summary`` — the 公告概要 table (label -> value);
* ``sections`` — labelled lines of the body, 2020 format and older layout (``vocab``: labels);
* ``awards`` — lot tables and award lines; ``intents`` — 采购意向 tables (``tables``: grids);
* ``kinds`` — announcement type and procurement method;
* ``conflicts`` — summary versus body; ``clean`` — canonical names, numbers, lots, experts;
* ``record`` — the object assembled from all of them.
"""

from pipeline.extract.procurement.record import procurement_fields
from pipeline.record import Procurement

FIELDS = Procurement.JSON

__all__ = ["FIELDS", "procurement_fields"]
