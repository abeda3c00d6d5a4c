"""What makes a URL or DOI fit to be a live link in a booklet."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

ALLOWED_SCHEMES = ("http", "https", "mailto")
DOI = re.compile(r"^10\.\d{4,9}/[^\s\"<>]+$")
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9](-*[a-z0-9])*)(\.[a-z0-9](-*[a-z0-9])*)+$", re.I)


def url_problem(url: str) -> tuple[str, str] | None:
    """(code, message) if `url` may not be a live link, else None."""
    if not url or any(c.isspace() for c in url):
        return "B210", f"the URL {url!r} is empty or contains spaces"
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed [ in the host
        return "B210", f"the URL {url!r} is malformed"
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = scheme + ":" if scheme else "no scheme"
        return "B211", f"the link {url!r} uses {shown}; only http, https and mailto are allowed"
    if scheme == "mailto":
        return None if re.fullmatch(r"mailto:[^@\s]+@[^@\s]+\.[^@\s]+", url) else (
            "B210", f"the address {url!r} is not a valid mailto: link")
    try:
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return "B210", f"the URL {url!r} has a malformed host or port"
    if _private(host):
        return "B210", (f"the URL {url!r} points at this computer or a private network, "
                        "which no reader can reach")
    if not _HOST.match(host):
        return "B210", f"the URL {url!r} has no valid host name"
    if host.startswith("doi:") or "doi:" in parts.netloc:
        return "B210", f"the URL {url!r} mixes a DOI into the host name"
    if "ezproxy" in host or "libproxy" in host:
        return "B210", f"the URL {url!r} goes through a university library proxy readers cannot use"
    if url[-1] in ".,;*)":
        return "B210", f"the URL {url!r} ends in {url[-1]!r}, which is not part of the address"
    return None


def _private(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


def doi_problem(doi: str) -> tuple[str, str] | None:
    if not DOI.match(doi):
        return "B210", f"the DOI {doi!r} is not of the form 10.NNNN/suffix"
    if doi[-1] in ".,;*)":
        return "B210", f"the DOI {doi!r} ends in {doi[-1]!r}, which is not part of the DOI"
    return None
