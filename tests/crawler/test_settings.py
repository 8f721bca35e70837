"""Polite defaults for real government sites; replica overrides only with a replica URL."""

from zwgk.crawl import project_settings


def test_polite_defaults_for_real_sites():
    settings = project_settings()
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 2
    assert "zwgk-archive" in settings.get("USER_AGENT")
    assert "https://" in settings.get("USER_AGENT")
    assert not settings.getbool("TELNETCONSOLE_ENABLED")
    assert not settings.getbool("REMOTE_CONTROL_ENABLED")


def test_replica_overrides_apply_only_to_a_replica():
    replica = project_settings(ZWGK_REPLICA_URL="http://127.0.0.1:8800")
    assert not replica.getbool("AUTOTHROTTLE_ENABLED")
    assert replica.getint("CONCURRENT_REQUESTS_PER_DOMAIN") > 2
    assert replica.getbool("ROBOTSTXT_OBEY")  # the replica serves a robots.txt too


def test_pages_are_size_capped():
    settings = project_settings()
    mib = 1024 * 1024
    assert 4 * mib <= settings.getint("DOWNLOAD_MAXSIZE") <= 16 * mib
    assert 0 < settings.getint("DOWNLOAD_WARNSIZE") < settings.getint("DOWNLOAD_MAXSIZE")
    assert settings.getbool("COMPRESSION_ENABLED")  # its decompression cap is DOWNLOAD_MAXSIZE
