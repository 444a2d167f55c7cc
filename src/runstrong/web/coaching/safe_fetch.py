"""Fetch a URL a user typed without letting it reach inside the network.

Only http(s) URLs whose host resolves to public addresses: no loopback, private, link-local
(169.254.169.254, the cloud metadata address), reserved or multicast ones. Every redirect hop is
checked the same way, and the connection goes to the address that was checked, so a name that
resolves differently a moment later (DNS rebinding) cannot slip past. The body is cut off at a
size limit and the whole fetch at a time limit, however slowly the server trickles bytes.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin

import urllib3
from django.conf import settings
from urllib3.util import parse_url

MAX_REDIRECTS = 5
REDIRECTS = {301, 302, 303, 307, 308}
CHUNK = 64 * 1024


class FetchRefused(Exception):
    """Why a URL was not fetched, in words for the athlete and coach."""


class InsideAddress(FetchRefused):
    """The host is, or resolves to, an address inside the network."""


@dataclass(frozen=True)
class Limits:
    timeout_s: float
    max_bytes: int
    allow_loopback: bool


def limits_from_settings() -> Limits:
    return Limits(
        timeout_s=float(getattr(settings, "RUNSTRONG_FETCH_TIMEOUT", 10)),
        max_bytes=int(getattr(settings, "RUNSTRONG_FETCH_MAX_BYTES", 2_000_000)),
        allow_loopback=bool(getattr(settings, "RUNSTRONG_FETCH_ALLOW_LOOPBACK", False)),
    )


def url_problem(url: str) -> str | None:
    """Why a URL cannot be a subscription at all (before any lookup), or None."""
    try:
        parts = parse_url(url)
    except ValueError:
        return "not a URL"
    if parts.scheme not in ("http", "https"):
        return "only http:// and https:// URLs can be fetched"
    if not parts.host:
        return "the URL names no host"
    if parts.auth:
        return "a URL with a user name or password is not fetched"
    return None


def subscription_problem(url: str, limits: Limits | None = None) -> str | None:
    """Why a URL cannot be kept as a subscription: url_problem's reasons, or a host that is
    (or now resolves to) an inside address. A host that cannot be looked up right now is not
    refused here: each fetch checks again and says why it failed."""
    problem = url_problem(url)
    if problem:
        return problem
    parts = parse_url(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        public_address((parts.host or "").strip("[]"), port, limits or limits_from_settings())
    except InsideAddress as inside:
        return str(inside)
    except FetchRefused:
        return None
    return None


def public_address(host: str, port: int, limits: Limits) -> str:
    """The first address `host` resolves to, if every address it resolves to is public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchRefused(f"{host} could not be looked up ({error})") from None
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise FetchRefused(f"{host} has no address")
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        mapped = getattr(ip, "ipv4_mapped", None)
        if mapped is not None:
            ip = mapped
        if ip.is_loopback and limits.allow_loopback:
            continue
        if not ip.is_global or ip.is_multicast:
            raise InsideAddress(
                f"{host} resolves to {ip}, a private, loopback, link-local or reserved "
                f"address; only public addresses are fetched"
            )
    return addresses[0]


def fetch(url: str, limits: Limits | None = None) -> bytes:
    """The body of a 200 response to GET `url`, following checked redirects."""
    limits = limits or limits_from_settings()
    deadline = time.monotonic() + limits.timeout_s
    for _ in range(MAX_REDIRECTS + 1):
        problem = url_problem(url)
        if problem:
            raise FetchRefused(problem)
        parts = parse_url(url)
        host = parts.host or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = public_address(host.strip("[]"), port, limits)
        response = _get(parts.scheme or "http", host, address, port, parts.request_uri, deadline)
        try:
            if response.status in REDIRECTS:
                location = response.headers.get("Location")
                if not location:
                    raise FetchRefused(f"a redirect ({response.status}) without a Location")
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise FetchRefused(f"the server answered {response.status}, not 200")
            return _read(response, limits, deadline)
        finally:
            response.release_conn()
    raise FetchRefused(f"more than {MAX_REDIRECTS} redirects")


def _get(
    scheme: str, host: str, address: str, port: int, path: str, deadline: float
) -> urllib3.BaseHTTPResponse:
    left = max(0.1, deadline - time.monotonic())
    timeout = urllib3.Timeout(connect=left, read=left)
    pool: urllib3.HTTPConnectionPool
    if scheme == "https":
        # Connect to the checked address; the certificate and SNI still name the host.
        pool = urllib3.HTTPSConnectionPool(
            address,
            port,
            timeout=timeout,
            server_hostname=host,
            assert_hostname=host,
            cert_reqs="CERT_REQUIRED",
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout)
    default_port = 443 if scheme == "https" else 80
    host_header = host if port == default_port else f"{host}:{port}"
    try:
        return pool.urlopen(
            "GET",
            path,
            headers={
                "Host": host_header,
                "User-Agent": "runstrong calendar fetch",
                "Accept": "text/calendar, */*;q=0.5",
            },
            redirect=False,
            retries=False,
            preload_content=False,
            decode_content=True,
        )
    except urllib3.exceptions.TimeoutError:
        raise FetchRefused("the server took too long to answer") from None
    except urllib3.exceptions.HTTPError as error:
        raise FetchRefused(f"the server could not be reached ({type(error).__name__})") from None


def _read(response: urllib3.BaseHTTPResponse, limits: Limits, deadline: float) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchRefused(f"the calendar is larger than {limits.max_bytes // 1000} kB")
    body = bytearray()
    try:
        # read1 returns what has arrived: a server trickling bytes meets the deadline too.
        while chunk := response.read1(CHUNK):
            body += chunk
            if len(body) > limits.max_bytes:
                raise FetchRefused(f"the calendar is larger than {limits.max_bytes // 1000} kB")
            if time.monotonic() > deadline:
                raise FetchRefused(f"the calendar took longer than {limits.timeout_s:g} s")
    except urllib3.exceptions.TimeoutError:
        raise FetchRefused(f"the calendar took longer than {limits.timeout_s:g} s") from None
    except urllib3.exceptions.HTTPError as error:
        raise FetchRefused(f"the download broke off ({type(error).__name__})") from None
    return bytes(body)
