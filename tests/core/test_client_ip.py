"""core.http.client_ip: the real client behind TRUSTED_PROXY_COUNT proxies, never an address a client wrote."""

import pytest
from django.test import RequestFactory

from core.http import client_ip


def _request(remote="10.0.0.254", forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@pytest.mark.parametrize("forwarded", [None, "1.2.3.4", "1.2.3.4, 5.6.7.8"])
def test_without_proxies_the_connection_address_is_the_client(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(_request("203.0.113.7", forwarded)) == "203.0.113.7"


@pytest.mark.parametrize(
    ("forwarded", "client"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("1.2.3.4, 203.0.113.7", "203.0.113.7"),  # the client wrote 1.2.3.4; the proxy appended the rest
        ("1.2.3.4,203.0.113.7", "203.0.113.7"),
        ("  203.0.113.7  ", "203.0.113.7"),
    ],
)
def test_behind_one_proxy_the_last_entry_is_the_client(settings, forwarded, client):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(_request(forwarded=forwarded)) == client


@pytest.mark.parametrize(
    ("forwarded", "client"),
    [
        ("203.0.113.7, 10.0.0.1", "203.0.113.7"),
        ("1.2.3.4, 5.6.7.8, 203.0.113.7, 10.0.0.1", "203.0.113.7"),
    ],
)
def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client(settings, forwarded, client):
    settings.TRUSTED_PROXY_COUNT = 2

    assert client_ip(_request(forwarded=forwarded)) == client


@pytest.mark.parametrize(("proxies", "forwarded"), [(1, None), (1, ""), (1, " , "), (2, "203.0.113.7")])
def test_too_few_entries_mean_the_request_skipped_the_proxies(settings, proxies, forwarded):
    settings.TRUSTED_PROXY_COUNT = proxies

    assert client_ip(_request("10.0.0.254", forwarded)) == "10.0.0.254"


@pytest.mark.parametrize(
    "garbage", ["not-an-address", "999.1.1.1", "1.2.3.4:80", "<script>", "1.2.3.4\x00", "unknown", "0x7f000001"]
)
def test_garbage_where_the_client_should_be_falls_back_to_the_connection(settings, garbage):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(_request("10.0.0.254", f"1.2.3.4, {garbage}")) == "10.0.0.254"


@pytest.mark.parametrize(
    ("forwarded", "client"),
    [
        ("2001:db8::1", "2001:db8::1"),
        ("1.2.3.4, 2001:DB8:0:0:0:0:0:1", "2001:db8::1"),  # one spelling per address, so one lock per client
    ],
)
def test_ipv6_clients_are_recognised_in_one_spelling(settings, forwarded, client):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(_request(forwarded=forwarded)) == client


def test_an_ipv4_mapped_address_has_one_spelling_however_the_proxy_writes_it(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    spellings = {client_ip(_request(forwarded=f)) for f in ("::ffff:203.0.113.7", "::FFFF:cb00:7107", "0:0:0:0:0:ffff:203.0.113.7")}

    assert len(spellings) == 1


def test_an_ipv6_connection_without_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(_request("2001:db8::7")) == "2001:db8::7"


def test_a_missing_connection_address_is_never_empty(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(_request("")) == "0.0.0.0"
