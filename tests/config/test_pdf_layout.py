"""config.pdf_layout shares one Pango context and font description per text style; text it does not
cover (decorations, font features, a language override) and the rest look exactly as with WeasyPrint's
own Layout.setup."""

import subprocess

from weasyprint.text import line_break

from config import pdf, pdf_layout

HTML = """<html lang="zh-hans"><body style="font-family: 'Noto Serif CJK SC', serif">
<p>就业困难人员认定 2025 年</p>
<p style="text-decoration: underline">监督电话：0991-1234567</p>
<p style="font-feature-settings: 'palt'">所属社区（村）／街道（乡镇）</p>
<p lang="en" style="font-variant: small-caps; font-weight: bold">Notice</p>
<p style="font-language-override: 'ZHS'">公示</p>
</body></html>"""


def test_pages_are_the_same_as_with_weasyprints_own_setup(tmp_path, monkeypatch):
    assert line_break.Layout.setup is pdf_layout.setup
    ours = pdf.render(HTML)
    monkeypatch.setattr(line_break.Layout, "setup", pdf_layout.ORIGINAL_SETUP)
    stock = pdf.render(HTML)
    for name, data in (("ours", ours), ("stock", stock)):
        (tmp_path / f"{name}.pdf").write_bytes(data)
        subprocess.run(["pdftoppm", "-png", "-r", "100", tmp_path / f"{name}.pdf", tmp_path / name], check=True)
    assert (tmp_path / "ours-1.png").read_bytes() == (tmp_path / "stock-1.png").read_bytes()
