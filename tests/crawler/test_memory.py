from crawler.memory import conditional_headers, known_validators
from pipeline.store import Archive, Capture


def test_validators_of_live_pages_of_one_site(tmp_path):
    db = tmp_path / "a.db"
    archive = Archive(str(db))
    run = archive.start_run("zjczj", "zjczj")
    for n, site in ((1, "zjczj"), (2, "zjczj"), (3, "ccgp")):
        record = {"url": f"http://x/{n}", "site": site, "title": "t", "attachments": []}
        archive.store(record, Capture(b"x", etag=f'"e{n}"', last_modified="Mon, 18 Jul 2022"), run)
    archive.fail(run, "http://x/2", "HTTP 404", status=404, site="zjczj")  # gone: not revalidated
    archive.finish_run(run, "finished")
    archive.close()
    assert known_validators(str(db), "zjczj") == {"http://x/1": ('"e1"', "Mon, 18 Jul 2022")}


def test_no_archive_means_no_validators(tmp_path):
    assert known_validators(str(tmp_path / "none.db"), "zjczj") == {}
    assert known_validators(None, "zjczj") == {}


def test_conditional_headers():
    assert conditional_headers(('"e1"', "Mon, 18 Jul 2022")) == {
        "If-None-Match": '"e1"',
        "If-Modified-Since": "Mon, 18 Jul 2022",
    }
    assert conditional_headers((None, None)) == {}
    assert conditional_headers(None) == {}
