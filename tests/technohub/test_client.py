"""The client's address, as lock-outs and rate limits count it: behind proxies, and IPv6."""

import pytest
from django.test import RequestFactory, override_settings

from technohub.client import client_address

factory = RequestFactory()


def request_from(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return factory.get("/", **extra)


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_proxies_the_peer_is_the_client_and_forwarded_headers_are_ignored():
    assert client_address(request_from("198.51.100.4", "203.0.113.9")) == "198.51.100.4"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_it_appended_counts_not_what_the_client_wrote():
    # The client forged "192.0.2.1"; the proxy appended the address it saw, 203.0.113.9.
    request = request_from("10.0.0.2", "192.0.2.1, 203.0.113.9")
    assert client_address(request) == "203.0.113.9"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_second_entry_from_the_right_counts():
    request = request_from("10.0.0.3", "192.0.2.1, 203.0.113.9, 10.0.0.2")
    assert client_address(request) == "203.0.113.9"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_request_that_bypassed_the_proxy_counts_by_its_peer():
    assert client_address(request_from("10.0.0.7")) == "10.0.0.7"


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::"),
        ("2001:db8:1:2::1", "2001:db8:1:2::"),
        ("::ffff:192.0.2.5", "192.0.2.5"),
    ],
)
@override_settings(TRUSTED_PROXY_COUNT=0)
def test_ipv6_counts_per_64_and_mapped_ipv4_as_ipv4(remote, expected):
    assert client_address(request_from(remote)) == expected


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_garbage_in_the_header_gives_no_address_rather_than_an_error():
    assert client_address(request_from("10.0.0.2", "not-an-address\x00")) is None
