"""Settings come from the environment (API.md): each case boots Django in a fresh process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
  "engine": s.DATABASES["default"]["ENGINE"], "name": str(s.DATABASES["default"]["NAME"]),
  "host": s.DATABASES["default"].get("HOST"), "cache": s.CACHES["default"]["BACKEND"],
  "broker": s.CELERY_BROKER_URL, "debug": s.DEBUG, "hosts": s.ALLOWED_HOSTS, "lang": s.LANGUAGE_CODE,
  "tz": s.TIME_ZONE, "use_tz": s.USE_TZ, "secure_cookies": getattr(s, "SESSION_COOKIE_SECURE", False),
}))
"""
CLEAN = {
    k: v
    for k, v in os.environ.items()
    if k
    not in {
        "DATABASE_URL",
        "REDIS_URL",
        "DEBUG",
        "DJANGO_ENV",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
}


def boot(**env):
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**CLEAN, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result


def settings_for(**env):
    result = boot(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_it_defaults_to_sqlite_under_the_repo_and_the_filesystem_broker():
    got = settings_for()
    assert got["engine"] == "django.db.backends.sqlite3"
    assert got["name"] == str(ROOT / "var" / "db.sqlite3")
    assert got["broker"] == "filesystem://"
    assert got["cache"].endswith("LocMemCache")
    assert got["debug"] is False
    assert (got["lang"], got["tz"], got["use_tz"]) == ("zh-hans", "Asia/Shanghai", True)


def test_it_switches_to_postgresql_and_redis():
    got = settings_for(DATABASE_URL="postgres://app:secret@db.internal:5432/app", REDIS_URL="redis://127.0.0.1:6379/1")
    assert got["engine"] == "config.postgresql"  # Django's, with a cheaper health check
    assert (got["name"], got["host"]) == ("app", "db.internal")
    assert got["broker"] == "redis://127.0.0.1:6379/1"
    assert got["cache"].endswith("RedisCache")


def test_it_reads_debug_and_allowed_hosts():
    got = settings_for(DEBUG="true", ALLOWED_HOSTS="jy.example.gov.cn,10.0.0.5")
    assert got["debug"] is True
    assert got["hosts"] == ["jy.example.gov.cn", "10.0.0.5"]


def test_it_refuses_production_without_a_secret_key():
    result = boot(DJANGO_ENV="production", ALLOWED_HOSTS="jy.example.gov.cn")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_it_passes_the_deploy_check_in_production():
    env = {
        **CLEAN,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "k" * 20 + "-Vq7#pZ2!xR9@mL4$wT8^nB6&cJ3*hF5",
        "ALLOWED_HOSTS": "jy.example.gov.cn",
        "LOG_CHAIN_KEY": "c" * 64,  # config.records: the log chains' key, required in production
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    keys = ("DJANGO_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "LOG_CHAIN_KEY")
    assert settings_for(**{k: env[k] for k in keys})["secure_cookies"]


@pytest.mark.django_db
def test_system_checks_are_clean_on_the_database_in_use():
    """`make run` on the embedded SQLite opened every command with models.W040 (the queue's covering
    indexes are PostgreSQL's); a warning a developer learns to ignore hides the next real one."""
    from django.core.management import call_command

    call_command("check", databases=["default"], fail_level="WARNING")
