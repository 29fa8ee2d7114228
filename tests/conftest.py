"""Fixtures shared by the live tests of tests/ (see live.py)."""
import pytest

from live import LiveSite


@pytest.fixture(scope='session')
def live_site(tmp_path_factory):
    "One trytond for the session, serving a database per test file"
    site = LiveSite(tmp_path_factory.mktemp('live'))
    try:
        yield site
    finally:
        site.close()
