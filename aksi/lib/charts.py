"""Accessible, script-free SVG charts built on pygal, for HTML pages and WeasyPrint PDFs.

Every function returns one SVG string that:

* is an image to assistive technology (`role="img"`, `<title>` and `<desc>` referenced by
  `aria-labelledby`); pages still show the same numbers as a table beside each chart;
* carries no script (pygal `js=[]`) and no tooltips, and no XML declaration, so it can be
  inlined in an HTML page or in the HTML given to WeasyPrint;
* carries no CSS: pygal writes a `<style>` element, which a page under our CSP
  (`style-src 'self'`, no 'unsafe-inline') would refuse to apply when the SVG is inlined, leaving
  black, unreadable shapes. We resolve pygal's stylesheet ourselves (cssselect2, the selector
  engine WeasyPrint uses) and write each winning declaration as an SVG presentation attribute
  (`fill="#0b6e4f"`), which CSP does not govern. The result looks the same inline, in an
  `<img>`, in a PDF and in a browser without CSS;
* formats numbers with the active locale (Indonesian `18,8%` by default).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from xml.etree import ElementTree as ET

import cssselect2
import pygal
import tinycss2
from django.utils import formats
from django.utils.translation import gettext as _
from pygal.style import Style

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"


def _svg_text(root: ET.Element) -> str:
    # ElementTree's prefixes are process-wide and other libraries (WeasyPrint, rendering a PDF
    # report in the same process) register their own: without these, the next chart would come
    # out as <ns0:svg>, which an HTML page does not draw.
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="unicode")


# House colours (aksi/core/static/core/aksi.css) first, then colour-blind-safe companions
# (Okabe-Ito), so adjacent series differ in more than hue alone where it matters.
SERIES_COLOURS = ("#0b6e4f", "#0072b2", "#d55e00", "#cc79a7", "#e69f00", "#56b4e9", "#5b6770")
TARGET_COLOURS = ("#a12222", "#8a5a00", "#5b6770")
INK = "#1d2327"
MUTED = "#5b6770"
LINE = "#d5dbe0"
WIDTH = 640
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif'

# Properties that SVG accepts as presentation attributes; everything else pygal's CSS sets
# (transitions, user-select, cursor on hover) is interactive decoration and is dropped.
_PRESENTATION = frozenset(
    {
        "fill",
        "fill-opacity",
        "fill-rule",
        "stroke",
        "stroke-width",
        "stroke-opacity",
        "stroke-dasharray",
        "stroke-linecap",
        "stroke-linejoin",
        "opacity",
        "font-family",
        "font-size",
        "font-weight",
        "font-style",
        "text-anchor",
        "dominant-baseline",
        "display",
        "visibility",
    }
)


def _style(colours: Sequence[str]) -> Style:
    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground=INK,
        foreground_strong=INK,
        foreground_subtle=MUTED,
        guide_stroke_color=LINE,
        major_guide_stroke_color=LINE,
        opacity="1",
        opacity_hover="1",
        transition="0ms",
        colors=tuple(colours),
        font_family=FONT,
        # Sized for a 640-unit-wide chart shown at phone width (~360 px) as well as on paper.
        label_font_size=15,
        major_label_font_size=15,
        value_font_size=15,
        legend_font_size=16,
        title_font_size=18,
        tooltip_font_size=15,
    )


def format_number(value: float | int | None, *, decimals: int = 1, suffix: str = "") -> str:
    """`18.8` → `18,8%` in Indonesian, `18.8%` in English; None → an en dash."""
    if value is None:
        return "–"
    return f"{formats.number_format(value, decimal_pos=decimals, use_l10n=True)}{suffix}"


def _config(*, title: str, colours: Sequence[str], y_suffix: str, decimals: int) -> dict:
    return {
        "title": title,
        "style": _style(colours),
        "js": [],
        "disable_xml_declaration": True,
        "no_prefix": False,
        "tooltip_border_radius": 0,
        "show_legend": True,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 1,
        "truncate_legend": -1,
        "truncate_label": -1,
        "width": WIDTH,
        "height": 420,
        "margin": 12,
        "value_formatter": lambda v: format_number(v, decimals=decimals, suffix=y_suffix),
        "y_labels_major_every": None,
        "show_minor_y_labels": True,
        "include_x_axis": True,
        "no_data_text": _("No data"),
    }


def line_chart(
    *,
    title: str,
    series: dict[str, list[float | None]],
    x_labels: Sequence[str],
    target_lines: dict[str, float] | None = None,
    y_suffix: str = "%",
    decimals: int = 1,
    description: str = "",
) -> str:
    """One line per series over `x_labels` (None leaves a gap); each target is a dashed
    horizontal line named in the legend."""
    targets = target_lines or {}
    colours = [SERIES_COLOURS[i % len(SERIES_COLOURS)] for i in range(len(series))]
    colours += [TARGET_COLOURS[i % len(TARGET_COLOURS)] for i in range(len(targets))]
    chart = pygal.Line(
        **_config(title=title, colours=colours, y_suffix=y_suffix, decimals=decimals),
        allow_interruptions=True,
        dots_size=4,
        stroke_style={"width": 3},
    )
    chart.x_labels = [str(label) for label in x_labels]
    for name, values in series.items():
        chart.add(name, list(values))
    for name, value in targets.items():
        chart.add(
            name,
            [value] * max(len(x_labels), 1),
            show_dots=False,
            stroke_style={"width": 2, "dasharray": "8, 5"},
        )
    summary = description or _describe_lines(
        series=series, x_labels=x_labels, targets=targets, y_suffix=y_suffix, decimals=decimals
    )
    return _accessible(chart.render(is_unicode=True), title=title, description=summary)


class _TargetBar(pygal.Bar):
    """A bar chart that can draw one dashed target line across the plot."""

    target: float | None = None
    target_label: str = ""

    def _plot(self) -> None:
        super()._plot()
        if self.target is None:
            return
        at = self.view.y(self.target)
        if self.horizontal:
            x0, y0, x1, y1 = at, self.view.height, at, 0.0
            label_x, label_y, anchor = at + 4, 14.0, "start"
        else:
            x0, y0, x1, y1 = 0.0, at, self.view.width, at
            label_x, label_y, anchor = self.view.width - 4, at - 6, "end"
        group = self.svg.node(self.nodes["plot"], class_="target")
        self.svg.node(
            group,
            "path",
            d=f"M{x0:.2f} {y0:.2f} L{x1:.2f} {y1:.2f}",
            stroke=TARGET_COLOURS[0],
            **{"stroke-width": "2", "stroke-dasharray": "8, 5", "fill": "none"},
        )
        label = self.svg.node(
            group,
            "text",
            x=f"{label_x:.2f}",
            y=f"{label_y:.2f}",
            fill=TARGET_COLOURS[0],
            **{"text-anchor": anchor, "font-size": "13", "font-family": FONT},
        )
        label.text = self.target_label


class _TargetHorizontalBar(_TargetBar, pygal.HorizontalBar):
    pass


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    target: float | None = None,
    target_label: str = "",
    y_suffix: str = "%",
    decimals: int = 1,
    horizontal: bool = False,
    series_name: str = "",
    description: str = "",
) -> str:
    """One bar per label; `horizontal=True` suits long region names on a phone. The target,
    if any, is a dashed line labelled with its value."""
    summary = description or _describe_bars(
        labels=labels, values=values, target=target, y_suffix=y_suffix, decimals=decimals
    )
    cls = _TargetHorizontalBar if horizontal else _TargetBar
    config = _config(title=title, colours=SERIES_COLOURS[:1], y_suffix=y_suffix, decimals=decimals)
    config["show_legend"] = bool(series_name)
    if horizontal:
        # Room for one bar per label, so long names stay readable.
        config["height"] = max(240, 120 + 38 * len(labels))
    # Few value-axis ticks: a horizontal axis 640 units wide fits about six labels.
    chart = cls(**config, print_values=True, print_values_position="top", max_scale=6)
    present = [v for v in values if v is not None]
    if horizontal:
        # pygal draws the first bar at the bottom; readers expect the first label on top.
        labels, values = list(reversed(labels)), list(reversed(values))
    chart.x_labels = [str(label) for label in labels]
    chart.add(series_name or title, list(values))
    if target is not None:
        chart.target = target
        chart.target_label = target_label or _("Target %(value)s") % {
            "value": format_number(target, decimals=decimals, suffix=y_suffix)
        }
    # Keep the target inside the plotted range even when every bar is below it, and leave room
    # for the value printed after the longest horizontal bar.
    top = max(present + ([target] if target is not None else []), default=0)
    if target is not None or horizontal:
        chart.range = (0, top * (1.18 if horizontal else 1.1) if top > 0 else 1)
    svg = _accessible(chart.render(is_unicode=True), title=title, description=summary)
    return _values_after_bars(svg) if horizontal else svg


def _values_after_bars(svg: str) -> str:
    """pygal centres a horizontal bar's value on the bar's end, half over the bar; put it
    just after the end instead, where it reads in the plot's ink colour."""
    root = ET.fromstring(svg)
    for text in root.iter(f"{{{SVG_NS}}}text"):
        if "value" in text.get("class", "").split():
            text.set("text-anchor", "start")
            text.set("x", f"{float(text.get('x', '0')) + 4:.2f}")
            text.set("fill", INK)
    return _svg_text(root)


def _describe_lines(
    *,
    series: dict[str, list[float | None]],
    x_labels: Sequence[str],
    targets: dict[str, float],
    y_suffix: str,
    decimals: int,
) -> str:
    parts = []
    for name, values in series.items():
        points = [
            f"{label}: {format_number(v, decimals=decimals, suffix=y_suffix)}"
            for label, v in zip(x_labels, values, strict=False)
            if v is not None
        ]
        parts.append(f"{name} — {'; '.join(points) if points else _('No data')}.")
    for name, value in targets.items():
        parts.append(f"{name}: {format_number(value, decimals=decimals, suffix=y_suffix)}.")
    return " ".join(parts)


def _describe_bars(
    *,
    labels: Sequence[str],
    values: Sequence[float | None],
    target: float | None,
    y_suffix: str,
    decimals: int,
) -> str:
    parts = [
        f"{label}: {format_number(v, decimals=decimals, suffix=y_suffix)}"
        for label, v in zip(labels, values, strict=False)
    ]
    text = "; ".join(parts) + "." if parts else _("No data")
    if target is not None:
        text += " " + _("Target %(value)s") % {
            "value": format_number(target, decimals=decimals, suffix=y_suffix)
        }
    return text


def _tag(element: ET.Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _declarations(css: str) -> list[tuple[str, str]]:
    result = []
    for decl in tinycss2.parse_declaration_list(css, skip_whitespace=True, skip_comments=True):
        if decl.type != "declaration":
            continue
        name = decl.lower_name
        if name not in _PRESENTATION:
            continue
        value = tinycss2.serialize(decl.value).strip()
        result.append((name, value))
    return result


def _inline_styles(root: ET.Element) -> None:
    """Apply pygal's `<style>` rules as presentation attributes, then drop the stylesheet."""
    css_text = ""
    for parent in list(root.iter()):
        for child in list(parent):
            if _tag(child) == "style":
                css_text += (child.text or "") + "\n"
                parent.remove(child)
    matcher = cssselect2.Matcher()
    for rule in tinycss2.parse_stylesheet(css_text, skip_whitespace=True, skip_comments=True):
        if rule.type != "qualified-rule":
            continue
        declarations = _declarations(tinycss2.serialize(rule.content))
        if not declarations:
            continue
        try:
            selectors = cssselect2.compile_selector_list(rule.prelude)
        except cssselect2.SelectorError:
            continue  # e.g. :hover, which has no meaning without interaction
        for selector in selectors:
            if selector.pseudo_element is None:
                matcher.add_selector(selector, declarations)
    wrapper = cssselect2.ElementWrapper.from_xml_root(root)
    for element in wrapper.iter_subtree():
        node = element.etree_element
        matches = matcher.match(element)
        if matches:
            # cssselect2 returns (specificity, order, pseudo, payload); the highest wins.
            for _spec, _order, _pseudo, declarations in sorted(matches, key=lambda m: m[:2]):
                for name, value in declarations:
                    node.set(name, value.replace("!important", "").strip())
        inline = node.attrib.pop("style", None)
        if inline:
            for name, value in _declarations(inline):
                node.set(name, value)
    # pygal puts a series' stroke style on its group, where the `.reactive` rule on the line
    # itself would hide it; the series setting is the one meant.
    for group in root.iter(f"{{{SVG_NS}}}g"):
        if "series" not in group.get("class", "").split():
            continue
        for path in group.iter(f"{{{SVG_NS}}}path"):
            if "line" in path.get("class", "").split():
                for name in ("stroke-width", "stroke-dasharray"):
                    if group.get(name):
                        path.set(name, group.get(name))


_WHITESPACE = re.compile(r"\s+")


def _accessible(svg: str, *, title: str, description: str) -> str:
    root = ET.fromstring(svg)
    # pygal writes an inline config <script> even with js=[]; tooltips need that script.
    for parent in list(root.iter()):
        for child in list(parent):
            classes = child.get("class", "").split()
            if (
                _tag(child) == "script"
                or "tooltip-overlay" in classes
                or (_tag(child) == "desc" and classes)
            ):
                parent.remove(child)
            elif _tag(child) == "title" and parent is not root:
                parent.remove(child)
    _inline_styles(root)
    chart_id = root.get("id") or f"chart-{uuid.uuid4()}"
    for child in [c for c in root if _tag(c) in {"title", "desc"}]:
        root.remove(child)
    title_el = ET.Element(f"{{{SVG_NS}}}title", id=f"{chart_id}-title")
    title_el.text = title
    desc_el = ET.Element(f"{{{SVG_NS}}}desc", id=f"{chart_id}-desc")
    desc_el.text = _WHITESPACE.sub(" ", description).strip()
    root.insert(0, desc_el)
    root.insert(0, title_el)
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    root.set("focusable", "false")
    root.set("font-family", FONT)
    for key in [k for k in root.attrib if k.startswith("-") or k == "background-color"]:
        del root.attrib[key]
    # ElementTree drops pygal's generator comments.
    return _svg_text(root)
