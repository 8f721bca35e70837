"""The next crawl repairs what the archive holds only in part, even an incremental one that
would otherwise stop at the first list page with nothing new and answer the rest with 304s."""

from __future__ import annotations

import pytest
import sqlite_utils

from tests.integration.conftest import crawl, running_replica, site_truth
from tests.reliability.support import assert_equals_truth, assert_whole

pytestmark = pytest.mark.integration


def test_an_incremental_crawl_refetches_and_repairs_damaged_notices(tmp_path):
    db = tmp_path / "archive.db"
    with running_replica() as url:
        truth = site_truth(url, "zjczj")
        first = crawl(db, url)
        assert first.returncode == 0, first.stderr[-2000:]
        database = sqlite_utils.Database(db)
        with_attachments = [r[0] for r in database.execute(
            "select id from notices where attachment_count > 0 order by id limit 2"
        )]  # fmt: skip
        others = [r[0] for r in database.execute(
            "select id from notices where attachment_count = 0 order by id limit 3"
        )]  # fmt: skip
        database.execute("pragma foreign_keys = off")
        for nid in others:  # damage from outside the writer: versions gone
            database["notice_versions"].delete_where("notice_id = ?", [nid])
        for nid in with_attachments:  # attachment rows gone
            database["attachments"].delete_where("notice_id = ?", [nid])
        database.conn.commit()
        again = crawl(db, url)  # incremental, conditional: the default
    assert again.returncode == 0, again.stderr[-2000:]
    run = list(sqlite_utils.Database(db)["crawl_runs"].rows)[-1]
    assert (run["repaired"], run["new"], run["changed"]) == (5, 0, 0)
    assert_whole(db)
    assert_equals_truth(db, truth)
