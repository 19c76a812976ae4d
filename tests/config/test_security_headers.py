"""Content-Security-Policy and the other security headers on every response (issue 12, defect 6), and no
inline code in the served templates, which the policy would block (PDF templates are WeasyPrint's own)."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=\"|\son[a-z]+=\"", re.IGNORECASE)


def test_pages_send_csp_and_the_other_headers(client, db):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_the_api_docs_need_no_inline_script(client, db):
    page = client.get("/api/docs/").content.decode()
    assert not INLINE.search(page.replace('<script src="', ""))
    assert client.get("/api/docs/?script=").status_code == 200


def test_no_served_template_has_inline_script_style_or_handlers():
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}"
        for path in TEMPLATES.rglob("*.html")
        if "pdf" not in path.relative_to(TEMPLATES).parts
        for match in INLINE.finditer(path.read_text())
    ]
    assert not found, "inline code is blocked by the Content-Security-Policy; use static/js/app.js and CSS classes"
