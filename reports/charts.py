"""The dashboard's charts as SVG drawn on the server with pygal (no script from outside: government
intranets reach no CDN). Each bar links to the list behind it, like the numbers in the tables."""

import html
import re

import pygal
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

STYLE = Style(
    font_family='"Noto Sans CJK SC","WenQuanYi Zen Hei","Microsoft YaHei",sans-serif',
    background="transparent",
    plot_background="transparent",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#9aa5b1",
    colors=("#0b5cad", "#067647", "#b42318", "#9aa5b1", "#b54708", "#6941c6"),
    title_font_size=20,
    label_font_size=16,
    major_label_font_size=16,
    value_font_size=15,
    legend_font_size=16,
    tooltip_font_size=16,
)
# no pygal-tooltips.js from its CDN; the values are printed on the bars instead. No <style> inside the SVG
# either: the Content-Security-Policy refuses inline styles, which left every chart a black box; the
# same rules are static/css/charts.css (`stylesheet()`), for every chart of the page.
OPTIONS = {
    "js": [],
    "style": STYLE,
    "print_values": True,
    "print_zeroes": False,
    "margin": 12,
    "truncate_label": -1,
}
STYLE_ELEMENT = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
# pygal writes its configuration as an inline script even without its JavaScript: refused by the policy
# (a violation in every officer's console, a review found), and of no use without the tooltips' script
SCRIPT_ELEMENT = re.compile(r"<script[^>]*>.*?</script>", re.S)


def stylesheet() -> str:
    """pygal's own CSS for STYLE, for any chart (`.pygal-chart` instead of one chart's id); the
    tooltip's inline `opacity: 0` is refused by the policy too, so it is hidden here."""
    chart = pygal.Bar(**OPTIONS)
    for n in range(len(STYLE.colors)):  # a series per colour: pygal writes the rules of the series drawn
        chart.add(str(n), [1])
    svg = chart.render(is_unicode=True)
    css = html.unescape(STYLE_ELEMENT.search(svg).group(1))  # XML text: "&gt;"
    chart_id = re.search(r'id="(chart-[^"]+)"', svg).group(1)
    return css.replace(f"#{chart_id}", ".pygal-chart") + "\n.pygal-chart .tooltip{opacity:0}\n"


def _svg(chart) -> SafeString:
    svg = chart.render(is_unicode=True, disable_xml_declaration=True)
    svg = SCRIPT_ELEMENT.sub("", STYLE_ELEMENT.sub("", svg))
    return mark_safe(svg)  # noqa: S308  (our own SVG)


def _point(value: int, url: str) -> dict:
    return {"value": value, "xlink": {"href": url, "target": "_top"}} if url else {"value": value}


def bars(title: str, rows: list[tuple[str, int, str]]) -> SafeString:
    """One horizontal bar per (label, count, url), the first on top: by stage, category or child unit.
    Drawn about as wide as a phone, so its text stays legible there."""
    rows = rows[::-1]  # pygal draws the first row at the bottom
    widest = max((len(str(label)) for label, _, _ in rows), default=0)
    chart = pygal.HorizontalBar(
        title=title,
        show_legend=False,
        width=480,
        height=70 + 40 * len(rows),
        show_x_labels=False,  # the counts are printed on the bars
        show_x_guides=False,
        **{**OPTIONS, "margin_left": 12 + 8 * widest},  # pygal sizes labels for Latin text: room for Chinese
    )
    chart.x_labels = [str(label) for label, _, _ in rows]
    chart.add(title, [_point(n, url) for _, n, url in rows])
    return _svg(chart)


def trend(months: list[str], series: list[tuple[str, list[tuple[int, str]]]]) -> SafeString:
    """Grouped bars per month: each series is (name, [(count, url) per month]). The title is the page's
    (outside the SVG, so a phone that scrolls the chart sideways still shows it). No values on these
    bars: four thin bars a month leave no room for a number each (they overlapped); the page prints the
    month table under the chart instead."""
    options = {**OPTIONS, "print_values": False}
    chart = pygal.Bar(width=800, height=340, legend_at_bottom=True, legend_at_bottom_columns=len(series), **options)
    chart.x_labels = months
    for name, points in series:
        chart.add(name, [_point(n, url) for n, url in points])
    return _svg(chart)
