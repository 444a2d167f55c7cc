"""RUNSTRONG_EMAIL_URL → Django's email settings.

The forms understood (user and password are percent-decoded):

- empty, or ``console://``: print each message to the console (the default; nothing is sent)
- ``smtp://user:password@host:25``: plain SMTP, upgraded with STARTTLS when ``?tls=1`` is given
- ``smtp+tls://user:password@host:587``: SMTP with STARTTLS (port 587 by default)
- ``smtps://user:password@host:465``: SMTP over TLS from the first byte (port 465 by default)
- ``locmem://``: keep messages in memory (tests)
- ``dummy://``: drop every message

Anything else fails at start-up with the form expected.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
}
_PORTS = {"smtp": 25, "smtp+tls": 587, "smtps": 465}


@dataclass(frozen=True)
class EmailSettings:
    backend: str
    host: str = "localhost"
    port: int = 25
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False


def email_settings(url: str) -> EmailSettings:
    if not url:
        return EmailSettings(BACKENDS["console"])
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in BACKENDS:
        raise ImproperlyConfigured(
            f"RUNSTRONG_EMAIL_URL: scheme {scheme!r} is not one of "
            f"{', '.join(BACKENDS)} (e.g. smtp+tls://user:password@mail.example.org:587)"
        )
    if scheme not in _PORTS:
        return EmailSettings(BACKENDS[scheme])
    if not parts.hostname:
        raise ImproperlyConfigured("RUNSTRONG_EMAIL_URL: an SMTP URL needs a host")
    try:
        port = parts.port or _PORTS[scheme]
    except ValueError:
        raise ImproperlyConfigured("RUNSTRONG_EMAIL_URL: the port is not a number") from None
    query = parse_qs(parts.query)
    tls_asked = query.get("tls", ["0"])[-1].lower() in {"1", "true", "yes", "on"}
    return EmailSettings(
        BACKENDS[scheme],
        host=parts.hostname,
        port=port,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=scheme == "smtp+tls" or (scheme == "smtp" and tls_asked),
        use_ssl=scheme == "smtps",
    )
