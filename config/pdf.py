"""Formal documents as PDF (审批表, 告知书, 公示, 一人一册): WeasyPrint over templates/pdf/, in the 公文
typography of templates/pdf/_gongwen.css, answered with a Chinese file name.

Fonts (Debian packages, installed by `make sysdeps` and .ci/run): Noto Serif CJK SC (fonts-noto-cjk, SIL OFL 1.1)
is the Song face of the body and, bold, of the titles (小标宋's place); Noto Sans CJK SC bold is the Hei face of
headings. Debian ships no FangSong face. WenQuanYi Zen Hei (fonts-wqy-zenhei) stays last in every font stack, so a
machine without Noto still prints Chinese, never empty boxes. WeasyPrint embeds only the glyphs a document uses
(fonttools subsetting): measured, a 50-line notice spends about 0.3 s on it, so no pre-subset copy is kept."""

import gc
from contextlib import contextmanager
from urllib.parse import quote

from django.http import HttpResponse
from weasyprint import HTML

from config import pdf_layout

pdf_layout.install()  # WeasyPrint's text set up once per style, not once per text (issue 13)


@contextmanager
def without_cyclic_gc():
    """WeasyPrint builds hundreds of thousands of long-lived objects (boxes, styles) and makes almost no
    cyclic garbage: the collector's full passes over them were 13% of a 1,000-line notice's render
    (issue 13), and the peak memory is the same without them. Reference counting still frees as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def render(html: str) -> bytes:
    with without_cyclic_gc():
        return HTML(string=html).write_pdf()


def content_disposition(filename: str, fallback: str) -> str:
    """RFC 6266 with RFC 5987 `filename*` for the Chinese name, an ASCII `filename` for old clients."""
    return f"inline; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def pdf_response(data: bytes, *, filename: str, fallback: str) -> HttpResponse:
    """`filename` is Chinese and names the person by a masked name only (张*三), never an ID number."""
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename, fallback)
    return response
