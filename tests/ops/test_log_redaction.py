"""Feed, invitation and password-reset tokens never reach a log line."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests
from django.test import Client
from gunicorn.config import Config

from runstrong.web.config.log_redaction import RedactingGunicornLogger, redact
from tests.ops.live import serve, site

PORT = 8854
SECRET = "Zq3-xY_9aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789a"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (f"GET /calendar/{SECRET}.ics HTTP/1.1", "GET /calendar/[redacted].ics HTTP/1.1"),
        (f"/calendar/squad/{SECRET}.ics?x=1", "/calendar/squad/[redacted].ics?x=1"),
        (f"https://club.example/invite/{SECRET}/", "https://club.example/invite/[redacted]/"),
        (f"/password/reset/MTI/{SECRET}/", "/password/reset/MTI/[redacted]/"),
        ("/password/reset/done/", "/password/reset/done/"),
        ("/calendar/", "/calendar/"),
        ("GET /coach/athletes/12/ HTTP/1.1", "GET /coach/athletes/12/ HTTP/1.1"),
    ],
)
def test_redact(line: str, expected: str) -> None:
    assert redact(line) == expected


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def test_gunicorns_access_log_line_has_no_token() -> None:
    config = Config()
    config.set("accesslog", "-")
    config.set("logger_class", "runstrong.web.config.log_redaction.RedactingGunicornLogger")
    assert config.logger_class is RedactingGunicornLogger, "the class `runstrong serve` uses"
    logger = RedactingGunicornLogger(config)
    lines = _Lines()
    logger.access_log.handlers = [lines]
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/calendar/{SECRET}.ics",
        "PATH_INFO": f"/calendar/{SECRET}.ics",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.7",
        "HTTP_REFERER": f"https://club.example/invite/{SECRET}/",
        "HTTP_USER_AGENT": "Calendar/1.0",
    }
    response = SimpleNamespace(status="200 OK", sent=1234, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    logger.access(response, request, environ, timedelta(milliseconds=12))
    [line] = lines.lines
    assert SECRET not in line
    assert '"GET /calendar/[redacted].ics HTTP/1.1" 200 1234' in line
    assert '"https://club.example/invite/[redacted]/"' in line


def test_the_gunicorn_settings_use_the_redacting_logger() -> None:
    from runstrong.web.config import gunicorn

    assert gunicorn.logger_class == "runstrong.web.config.log_redaction.RedactingGunicornLogger"


@pytest.mark.django_db
def test_djangos_not_found_warning_has_no_token(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert Client().get(f"/calendar/{SECRET}.ics").status_code == 404
        assert Client().get(f"/invite/{SECRET}/").status_code == 404
    assert "Not Found: /calendar/[redacted].ics" in caplog.text
    assert SECRET not in caplog.text


def test_the_real_servers_access_log_has_no_feed_or_invitation_token(tmp_path: Path) -> None:
    with site(tmp_path, "logs") as live:
        seeded = live.seed(1)
        with serve(live, PORT, workers=1) as server:
            feed = requests.get(f"{server.base}/calendar/{seeded['feed']}.ics", timeout=60)
            invite = requests.get(f"{server.base}/invite/{SECRET}/", timeout=60)
        access = server.access_log.read_text()
        errors = server.error_log.read_text()
    assert feed.status_code == 200
    assert b"BEGIN:VCALENDAR" in feed.content
    assert invite.status_code == 404
    assert '"GET /calendar/[redacted].ics HTTP/1.1" 200' in access
    assert '"GET /invite/[redacted]/ HTTP/1.1" 404' in access
    for secret in (seeded["feed"], SECRET):
        assert secret not in access
        assert secret not in errors
