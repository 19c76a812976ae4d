"""The notice as a formal document (issue 11 item 7, issue 13's PDF budget): the 公文 fonts embedded, 草稿 across a
draft only, each policy's own wording, a Chinese file name, and a 50-line notice rendered well inside its budget."""

import subprocess
import time
from types import SimpleNamespace
from urllib.parse import unquote

from config.pdf import render
from publicity import pdf
from publicity.services import notice_publish
from tests.conftest import api_as
from tests.factories import NoticeFactory, staff


def text_of(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    return out.decode()


def fonts_of(data: bytes, tmp_path) -> str:
    path = tmp_path / "n.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def test_a_draft_carries_a_watermark_on_every_page_and_the_published_notice_none(community_user, tmp_path):
    notice = NoticeFactory(actor=community_user, size=2)
    lines = [SimpleNamespace(seq=i, name=f"王{i}", masked_id_number="650102********1234", categories="低保人员",
                             place="东风社区") for i in range(1, 61)]  # fmt: skip
    draft = render(pdf.notice_html(notice, lines))
    pages = text_of(draft).split("\f")[:-1]
    assert len(pages) >= 2 and all("草" in page and "稿" in page for page in pages)  # rotated: two words
    assert "Noto-Serif-CJK-SC" in fonts_of(draft, tmp_path)  # the Song face of the body (fonts-noto-cjk)
    notice_publish(actor=community_user, notice_id=notice.pk)
    notice.refresh_from_db()
    published = api_as(community_user).get(f"/api/v1/notices/{notice.pk}/pdf")
    assert "稿" not in text_of(published.content)
    name = unquote(published["Content-Disposition"].split("filename*=UTF-8''")[1])
    day = notice.published_on
    assert name == f"新疆维吾尔自治区就业困难人员初审公示-{notice.agency_name}-{day.year}年{day.month}月{day.day}日.pdf"


def test_the_xinjiang_notice_keeps_its_template_and_cites_its_articles(community_user):
    text = "".join(text_of(pdf.render(NoticeFactory(actor=community_user, state="published"))).split())
    assert "根据有关规定，经初步审查，本辖区内下列人员符合就业困难人员认定条件，现公示3个工作日" in text  # 附件3
    assert "新人社规〔2025〕1号）第七条、第九条及附件3" in text and "吉人社发" not in text


def test_the_jilin_notice_speaks_in_jilin_words(demo):
    notice = NoticeFactory(actor=staff("jl_community"), state="published")
    text = "".join(text_of(pdf.render(notice)).split())
    assert "（吉人社发〔2022〕10号）二(二)的规定，经基层公共就业服务平台初步审查" in text
    assert "现在辖区内公示3个工作日" in text and "汇总上报县（市、区）公共就业服务机构复核认定" in text
    assert "新人社规" not in text and "附件3" not in text and f"{notice.agency_name}（公章）" in text


def test_a_50_line_notice_renders_well_inside_its_budget(community_user):
    """Issue 13: 50 lines ≤ 1 s on this 2-core machine. Measured as this process's CPU time, so the other engineers'
    and CI's processes on the same cores do not make it flaky; the suite's bound is 2 s (about 0.6 s measured)."""
    notice = NoticeFactory(actor=community_user, state="published")
    lines = [SimpleNamespace(seq=i, name=f"阿依努尔{i}", masked_id_number="650102********1234",
                             categories="低保人员、登记失业一年以上人员", place="天山区燕儿窝街道东风社区")
             for i in range(1, 51)]  # fmt: skip
    render(pdf.notice_html(notice, lines[:2]))  # fonts loaded once per process, as in a worker
    started = time.process_time()
    data = render(pdf.notice_html(notice, lines))
    assert time.process_time() - started < 2.0
    assert text_of(data).count("650102********1234") == 50


def test_the_list_is_headed_by_the_title_typed_for_the_notice(community_user):
    """A review found the typed title nowhere in the PDF: the list's heading was always the policy's."""
    notice = NoticeFactory(actor=community_user, state="published")
    type(notice).objects.filter(pk=notice.pk).update(title="东风社区2026年第12批就业困难人员初审名单")
    notice.refresh_from_db()
    text = "".join(text_of(pdf.render(notice)).split())
    assert "东风社区2026年第12批就业困难人员初审名单" in text
