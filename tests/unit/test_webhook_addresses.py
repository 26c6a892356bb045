"""Which addresses and URLs a webhook may target: global unicast only, in every form an address can be written."""

from __future__ import annotations

import socket
from ipaddress import ip_address

import pytest

from marketplace.domain.errors import InvalidInput
from marketplace.webhooks.addresses import is_internal_name, is_public_unicast, literal_address
from marketplace.webhooks.service import check_url

INTERNAL = [
    "127.0.0.1", "127.255.0.9", "0.0.0.0", "10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "100.127.255.254",
    "169.254.169.254", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255", "192.0.0.8", "192.0.2.1",
    "198.18.0.1", "198.51.100.7", "203.0.113.9", "192.88.99.1",
    "::", "::1", "fe80::1", "fe80::1%2", "fc00::1", "fd12:3456::1", "ff02::1", "fec0::1", "100::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::127.0.0.1", "::ffff:0:7f00:1", "64:ff9b::7f00:1", "64:ff9b::a00:1",
    "64:ff9b:1::1", "2002:7f00:1::", "2002:a00:1::1", "2001::1", "2001:db8::1", "3fff::1",
]
PUBLIC = ["8.8.8.8", "1.1.1.1", "193.51.24.1", "2606:4700:4700::1111", "2a01:e0a::1", "::ffff:8.8.8.8",
          "64:ff9b::808:808", "2002:808:808::1"]


class TestAddressPolicy:
    @pytest.mark.parametrize("text", INTERNAL)
    def test_internal_addresses_are_refused(self, text: str) -> None:
        assert not is_public_unicast(ip_address(text))

    @pytest.mark.parametrize("text", PUBLIC)
    def test_global_unicast_addresses_are_allowed(self, text: str) -> None:
        assert is_public_unicast(ip_address(text))


class TestLiteralForms:
    @pytest.mark.parametrize("host", ["2130706433", "127.1", "0x7f000001", "0177.0.0.1", "0x7f.1", "127.0.1",
                                      "017700000001"])
    def test_legacy_ipv4_forms_read_as_the_resolver_reads_them(self, host: str) -> None:
        numeric = socket.getaddrinfo(host, 80, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)[0][4][0]
        assert literal_address(host) == ip_address(numeric) == ip_address("127.0.0.1")

    def test_a_trailing_dot_does_not_hide_an_address(self) -> None:
        assert literal_address("127.0.0.1.") == literal_address("2130706433.") == ip_address("127.0.0.1")

    @pytest.mark.parametrize("host", ["example.org", "1.2.3.4.5", "256.1", "08.1.1.1", "1e3", "a.1", "1..2"])
    def test_names_are_not_addresses(self, host: str) -> None:
        assert literal_address(host) is None

    def test_one_label_and_private_suffixes_are_internal_names(self) -> None:
        assert all(map(is_internal_name, ["localhost", "postgres", "kafka.", "x.localhost", "nas.local",
                                          "db.internal", "box.home.arpa"]))
        assert not any(map(is_internal_name, ["example.org", "127.0.0.1.nip.io", "hooks.atelier.bzh"]))


class TestRegistrationCheck:
    @pytest.mark.parametrize("url", [
        "http://2130706433/", "http://127.1/", "http://0x7f000001/", "http://0177.0.0.1/", "http://[::1]/",
        "http://[::ffff:127.0.0.1]/", "http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::]/", "http://100.64.0.1/",
        "http://169.254.169.254/latest/meta-data/", "http://postgres:5432/", "http://localhost:8000/",
        "https://kafka./", "http://a.example.org\\@127.0.0.1/", "http://10.0.0.1:6379/", "http://[fe80::1%25eth0]/",
    ])
    def test_visibly_internal_urls_are_refused(self, url: str) -> None:
        # httpx, which sends, cannot even parse some forms (0177.0.0.1): those are refused as malformed.
        with pytest.raises(InvalidInput, match="interne|complète attendue"):
            check_url(url)

    @pytest.mark.parametrize("url", ["https://hooks.atelier.bzh/sv", "http://8.8.8.8/x", "https://[2606:4700::1]/",
                                     "http://127.0.0.1.nip.io/"])  # a name: checked when it is resolved, at sending
    def test_public_looking_urls_are_accepted(self, url: str) -> None:
        assert check_url(url) == url

    def test_a_test_policy_admits_a_loopback_receiver_and_the_default_does_not(self) -> None:
        assert check_url("http://127.0.0.1:9/hook", allowed=lambda a: a.is_loopback)
        with pytest.raises(InvalidInput):
            check_url("http://127.0.0.1:9/hook")
