"""Security headers on every page, and Django's deployment checks with production settings."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

from django.test import Client
from django.urls import reverse


def test_pages_send_a_strict_content_security_policy(client: Client, db: None) -> None:
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    scripts = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert scripts.strip() == "script-src 'self'"
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in response.content.decode(), "no inline scripts"


def test_deploy_checks_pass_with_production_settings(tmp_path: object) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("RUNSTRONG_")}
    env.update(
        {
            "RUNSTRONG_SECRET_KEY": secrets.token_urlsafe(60),
            "RUNSTRONG_TLS": "1",
            "RUNSTRONG_ALLOWED_HOSTS": "runstrong.example.org",
            "RUNSTRONG_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "runstrong.web.config.settings",
        }
    )
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
