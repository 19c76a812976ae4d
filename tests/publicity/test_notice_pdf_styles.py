"""The notice PDF is rendered without WeasyPrint's user-agent rules for ::marker, ::footnote-* and
::note-* (issue 13: a tenth of a long notice's render) and looks exactly as it does with them."""

import re
import subprocess

from weasyprint import HTML
from weasyprint.html import UA

from publicity import pdf
from publicity.access import public_lines
from tests.factories import NoticeFactory


def test_only_whole_pseudo_element_rules_are_dropped():
    dropped = [line for line in UA.splitlines() if line.startswith("::")]
    assert dropped and all(re.fullmatch(r"::[\w-]+ \{[^{}]*\}", line) for line in dropped)


def test_the_notice_looks_the_same_without_them(community_user, tmp_path):
    notice = NoticeFactory(actor=community_user, size=30, state="published")
    html = pdf.notice_html(notice, public_lines(notice))
    for name, data in (("with", HTML(string=html).write_pdf()), ("without", pdf.render(notice))):
        (tmp_path / f"{name}.pdf").write_bytes(data)
        subprocess.run(["pdftoppm", "-png", "-r", "30", tmp_path / f"{name}.pdf", tmp_path / name], check=True)
    pages = sorted(p.name for p in tmp_path.glob("with-*.png"))
    assert len(pages) >= 2
    for page in pages:
        assert (tmp_path / page).read_bytes() == (tmp_path / page.replace("with", "without")).read_bytes(), page
