"""The client's address: X-Forwarded-For is read only through the trusted proxies."""

import pytest

from config.addresses import client_address

PROXY = "10.0.0.1"


@pytest.mark.parametrize(
    ("trusted", "forwarded", "expected"),
    [
        (0, None, PROXY),
        (0, "203.0.113.5", PROXY),  # no proxy trusted: the header is the client's own words
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.1, 203.0.113.5", "203.0.113.5"),  # the left part may be forged
        (2, "198.51.100.1, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (1, "2001:db8::7", "2001:db8::7"),
        (1, None, PROXY),  # did not come through the proxy
        (2, "203.0.113.5", PROXY),  # fewer entries than proxies: nothing to trust
        (1, "not-an-address", PROXY),
        (1, "203.0.113.5:443", PROXY),
    ],
)
def test_the_client_is_read_through_the_trusted_proxies_only(
    rf, settings, trusted, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = trusted
    meta = {"REMOTE_ADDR": PROXY}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_address(rf.get("/", **meta)) == expected
