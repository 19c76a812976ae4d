"""`make serve` (issue 12, defect 6): the production twin of `make run` starts from one command —
migrations, collectstatic, gunicorn and a Celery worker — and its pages work with DEBUG off (static files
collected by the command itself, served by WhiteNoise) with the security headers; it refuses a weak
SECRET_KEY. Each case runs the real command in its own process group on a free port."""

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.redis_server import free_port

ROOT = Path(__file__).resolve().parents[2]
STRONG = "sk-" + "Vq7#pZ2!xR9@mL4$wT8^nB6&cJ3*hF5-" * 2
UNSET = {"DATABASE_URL", "REDIS_URL", "DEBUG", "DJANGO_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # the tests' own
CLEAN = {k: v for k, v in os.environ.items() if k not in UNSET}


def make_serve(tmp_path: Path, port: int, **env) -> subprocess.Popen:
    return subprocess.Popen(
        ["make", "--no-print-directory", "serve", f"PORT={port}", "WEB_WORKERS=1"],
        cwd=ROOT,
        env={
            **CLEAN,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
            "MEDIA_ROOT": str(tmp_path / "media"),
            "LOG_CHAIN_KEY": "c" * 64,  # config.records: required in production
            **env,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: gunicorn and Celery are stopped together
    )


def wait_for_port(process: subprocess.Popen, port: int, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"make serve exited {process.returncode}:\n{process.stdout.read()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.3)
    pytest.fail("make serve did not listen in time")


def get(url: str, **headers):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - our own loopback server
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own loopback server
        return response.status, response.headers, response.read()


@pytest.fixture
def served(tmp_path):
    port = free_port()
    process = make_serve(tmp_path, port, SECRET_KEY=STRONG)
    try:
        wait_for_port(process, port)
        yield f"http://127.0.0.1:{port}"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def test_pages_and_static_files_work_with_debug_off_and_send_the_security_headers(served):
    status, headers, body = get(f"{served}/accounts/login/")
    assert status == 200 and "登录".encode() in body
    css = re.search(rb'href="(/static/css/app\.[0-9a-f]{12}\.css)"', body)  # collected, hashed by the manifest
    assert css, "the page links the collected stylesheet"
    assert get(served + css.group(1).decode())[0] == 200
    assert get(f"{served}/api/docs/")[0] == 200
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in headers  # plain HTTP: HSTS only over HTTPS

    _, secure, _ = get(f"{served}/accounts/login/", **{"X-Forwarded-Proto": "https"})  # what the TLS proxy says
    assert "max-age=31536000" in secure["Strict-Transport-Security"]
    cookie = secure["Set-Cookie"]
    assert "csrftoken=" in cookie and "Secure" in cookie


def test_it_refuses_a_weak_secret_key(tmp_path):
    process = make_serve(tmp_path, free_port(), SECRET_KEY="changeme")
    output, _ = process.communicate(timeout=300)
    assert process.returncode != 0 and "SECRET_KEY is insecure" in output
