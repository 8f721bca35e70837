"""History (``--history SHARE``): the bureau's notices edited, withdrawn and restored on dates;
``--as-of`` serves each as it stood that day, the truth says so, pages and validators follow."""

from __future__ import annotations

import datetime as dt
import email.utils
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from replica import ReplicaServer, build_truth
from replica.history import ATTACHMENT_MARK, NOTE, TITLE_MARK

BASE = "http://127.0.0.1:1"
SCALE = 300
SHARE = 0.8


def records(**options) -> dict[str, dict]:
    truth = build_truth(BASE, scale=SCALE, **options)
    return {n["url"]: n for n in truth["notices"] if n["site"] == "zjczj"}


@pytest.fixture(scope="module")
def plain() -> dict[str, dict]:
    return records()


@pytest.fixture(scope="module")
def story() -> dict[str, dict]:
    """Every notice at the end of its history (no --as-of)."""
    return records(history=SHARE)


def first_event(notices: dict[str, dict], event: str, **match) -> tuple[str, dict]:
    """A notice whose history has ``event`` (with ``match``), and that event, earliest first."""
    found = [
        (e["day"], url, e)
        for url, n in notices.items()
        for e in n.get("history", ())
        if e["event"] == event and all(e.get(k) == v for k, v in match.items())
    ]
    assert found, (event, match)
    _, url, e = min(found)
    return url, e


def test_without_history_the_truth_is_the_plain_replica(plain):
    assert records(history=0.0) == plain
    assert not any("history" in n or "status" in n for n in plain.values())


def test_a_history_changes_only_its_notices(plain, story):
    assert set(story) == set(plain)  # withdrawn notices stay in the truth, as gone
    with_history = {url for url, n in story.items() if "history" in n}
    assert {url for url in plain if plain[url] != story[url]} <= with_history
    assert with_history
    for url in set(plain) - with_history:
        assert story[url] == plain[url]


def test_a_larger_share_has_a_superset_of_histories_on_the_same_days():
    less, more = records(history=0.3), records(history=SHARE)
    days = {url: n["history"] for url, n in less.items() if "history" in n}
    assert days.items() <= {url: n["history"] for url, n in more.items() if "history" in n}.items()


def test_edits_show_their_field_and_nothing_else(plain, story):
    kinds = set()
    for url, n in story.items():
        for version in n.get("versions", [])[1:]:
            (what,) = version["changed"]
            kinds.add(what)
            if what == "title":
                assert n["title"] == plain[url]["title"] + TITLE_MARK
            elif what == "body":
                assert n["body_text"] == plain[url]["body_text"] + "\n" + NOTE.text
            else:
                old, new = plain[url]["attachments"][0], n["attachments"][0]
                assert new["name"] == old["name"].replace(".", ATTACHMENT_MARK + ".", 1)
                assert new["url"] != old["url"]
                assert n["attachments"][1:] == plain[url]["attachments"][1:]
    assert kinds == {"title", "body", "attachment"}


def test_as_of_shows_each_event_from_its_day(story):
    url, edit = first_event(story, "edited")
    day = dt.date.fromisoformat(edit["day"])
    before = records(history=SHARE, as_of=day - dt.timedelta(days=1))[url]
    on_day = records(history=SHARE, as_of=day)[url]
    assert len(before["versions"]) == 1
    assert before["history"] == []
    assert on_day["versions"][-1] == {"since": edit["day"], "changed": edit["changed"]}
    assert on_day["edited"] == edit["day"]

    url, withdrawal = first_event(story, "withdrawn")
    day = dt.date.fromisoformat(withdrawal["day"])
    before = records(history=SHARE, as_of=day - dt.timedelta(days=1))[url]
    on_day = records(history=SHARE, as_of=day)[url]
    assert (before["status"], before["gone_since"], before["expect"]) == ("live", None, "stored")
    assert (on_day["status"], on_day["gone_since"], on_day["expect"]) == (
        "gone",
        withdrawal["day"],
        "gone",
    )


def get(url: str, headers: dict | None = None) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def every_list(server: ReplicaServer) -> bytes:
    """Every list page of the bureau, one after another (TRS pages until a 404, Hanweb's
    datastore and all its records through dataproxy.jsp)."""
    base, out = server.site_base("zjczj"), []
    for column in server.truth()["sites"][0]["columns"]:
        if column["family"] == "hanweb":
            out.append(get(base + column["path"])[1])
            col_id = column["path"].split("/")[1].removeprefix("col")
            proxy = "module/jpage/dataproxy.jsp?startrecord=1&endrecord=100000&perpage=15"
            out.append(get(f"{base}{proxy}&columnid={col_id}")[1])
            continue
        folder = column["path"].rsplit("/", 1)[0]
        for index in range(1000):  # bounded: a column has far fewer pages
            name = "index.shtml" if index == 0 else f"index_{index}.shtml"
            status, body, _ = get(f"{base}{folder}/{name}")
            if status != 200:
                break
            out.append(body)
    return b"".join(out)


def served(day: dt.date):
    return ReplicaServer(scale=SCALE, as_of=day, history=SHARE)


@pytest.mark.parametrize("status", [404, 410])
def test_a_withdrawn_page_answers_its_status_and_leaves_the_lists(story, status):
    url, withdrawal = first_event(story, "withdrawn", status=status)
    path = url.removeprefix(BASE)
    day = dt.date.fromisoformat(withdrawal["day"])
    attachments = [a["url"].removeprefix(BASE) for a in story[url]["attachments"]]
    for as_of, expected in ((day - dt.timedelta(days=1), 200), (day, status)):
        with served(as_of) as server:
            assert get(server.base_url + path)[0] == expected
            for attachment in attachments:
                assert get(server.base_url + attachment)[0] == (200 if expected == 200 else 404)
            listed = server.truth()["notices"]
            assert any(n["url"] == server.base_url + path for n in listed)  # in the truth
            lists = every_list(server)
            leaf = path.rsplit("/", 1)[1].encode()
            assert (leaf in lists) == (expected == 200)


def test_a_returned_page_is_the_page_it_was(story):
    url, back = first_event(story, "returned")
    path = url.removeprefix(BASE)
    events = story[url]["history"]
    withdrawn = next(dt.date.fromisoformat(e["day"]) for e in events if e["event"] == "withdrawn")
    pages = []
    for as_of in (withdrawn - dt.timedelta(days=1), dt.date.fromisoformat(back["day"])):
        with served(as_of) as server:
            pages.append(get(server.base_url + path))
            truth = {n["url"]: n for n in server.truth()["notices"]}[server.base_url + path]
            assert (truth["status"], truth["gone_since"], truth["expect"]) == (
                "live",
                None,
                "stored",
            )
    (s1, body1, h1), (s2, body2, h2) = pages
    assert (s1, s2) == (200, 200)
    assert body1 == body2
    assert h1["ETag"] == h2["ETag"]
    assert h1["Last-Modified"] == h2["Last-Modified"]


def test_an_edit_moves_etag_and_last_modified(story):
    url, edit = first_event(story, "edited", changed=["title"])
    path = url.removeprefix(BASE)
    day = dt.date.fromisoformat(edit["day"])
    heads = []
    for as_of in (day - dt.timedelta(days=1), day):
        with served(as_of) as server:
            status, body, headers = get(server.base_url + path)
            assert status == 200
            heads.append((headers["ETag"], headers["Last-Modified"], body))
            again = get(server.base_url + path, {"If-None-Match": headers["ETag"]})
            assert again[0] == 304
    (etag1, modified1, body1), (etag2, modified2, body2) = heads
    assert etag1 != etag2
    assert body1 != body2
    assert TITLE_MARK.encode() in body2
    assert TITLE_MARK.encode() not in body1
    assert (
        email.utils.parsedate_to_datetime(modified2)
        .astimezone(dt.timezone(dt.timedelta(hours=8)))
        .date()
        == day
    )
    assert modified1 != modified2


def test_history_and_edits_are_exclusive():
    with pytest.raises(ValueError, match="exclusive"):
        build_truth(BASE, scale=SCALE, edits=0.1, history=0.1)
    result = subprocess.run(
        [sys.executable, "-m", "replica", "--truth", "--edits", "0.1", "--history", "0.1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "exclusive" in result.stderr


def test_a_notice_taken_off_the_lists_only_still_answers_and_is_live(story):
    url, withdrawal = first_event(story, "withdrawn", status=200)
    path, leaf = url.removeprefix(BASE), url.rsplit("/", 1)[1].encode()
    day = dt.date.fromisoformat(withdrawal["day"])
    pages = []
    for as_of in (day - dt.timedelta(days=1), day):
        with served(as_of) as server:
            pages.append(get(server.base_url + path))
            assert (leaf in every_list(server)) == (as_of < day)
            truth = {n["url"]: n for n in server.truth()["notices"]}[server.base_url + path]
            assert (truth["status"], truth["gone_since"]) == ("live", None)
            assert (truth["listed"], truth["expect"]) == (
                (True, "stored") if as_of < day else (False, "unlisted")
            )
    (s1, body1, h1), (s2, body2, h2) = pages
    assert (s1, s2) == (200, 200)
    assert body1 == body2
    assert h1["ETag"] == h2["ETag"]
