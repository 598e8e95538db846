from __future__ import annotations

from xml.etree import ElementTree as ET

from django.utils import translation

from aksi.lib import charts

NS = "{http://www.w3.org/2000/svg}"


def _line() -> str:
    return charts.line_chart(
        title="Stunting prevalence",
        series={"SSGI": [37.2, 31.4, None], "SKI": [None, None, 24.6]},
        x_labels=["2019", "2022", "2024"],
        target_lines={"Target 2025": 18.8, "Target 2029": 14.2},
    )


def test_it_returns_an_svg_image_with_a_title_and_description() -> None:
    root = ET.fromstring(_line())
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    title, desc = root[0], root[1]
    assert title.tag == f"{NS}title"
    assert title.text == "Stunting prevalence"
    assert desc.tag == f"{NS}desc"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_it_has_no_script_no_stylesheet_and_no_style_attributes() -> None:
    svg = _line()
    root = ET.fromstring(svg)
    tags = {element.tag for element in root.iter()}
    assert f"{NS}script" not in tags
    assert f"{NS}style" not in tags
    assert not [e for e in root.iter() if "style" in e.attrib]
    assert not svg.startswith("<?xml")


def test_it_turns_the_stylesheet_into_presentation_attributes() -> None:
    root = ET.fromstring(_line())
    lines = [e for e in root.iter(f"{NS}path") if "line" in e.get("class", "").split()]
    series_lines = [e for e in lines if "reactive" in e.get("class", "").split()]
    assert series_lines, "pygal drew no series line"
    # The first series uses the house green, inherited from its group's stroke attribute.
    groups = [e for e in root.iter(f"{NS}g") if "serie-0" in e.get("class", "").split()]
    assert groups[0].get("stroke") == "#0b6e4f"
    # Target lines (series 2 and 3) are dashed.
    dashed = [e for e in series_lines if e.get("stroke-dasharray")]
    assert len(dashed) == 2


def test_it_formats_numbers_the_indonesian_way() -> None:
    with translation.override("id"):
        svg = _line()
    desc = ET.fromstring(svg)[1].text or ""
    assert "2019: 37,2%" in desc
    assert "Target 2025: 18,8%" in desc
    # Axis labels are locale-formatted as well.
    assert ">20,0%<" in svg


def test_it_formats_numbers_the_english_way_in_english() -> None:
    with translation.override("en"):
        svg = _line()
    assert "2019: 37.2%" in (ET.fromstring(svg)[1].text or "")


def test_it_leaves_missing_values_out_of_the_description() -> None:
    with translation.override("en"):
        desc = ET.fromstring(_line())[1].text or ""
    assert "SSGI — 2019: 37.2%; 2022: 31.4%." in desc
    assert "SKI — 2024: 24.6%." in desc


def test_a_bar_chart_draws_and_labels_its_target() -> None:
    with translation.override("id"):
        svg = charts.bar_chart(
            title="Per desa", labels=["Desa A", "Desa B"], values=[22.5, 10.0], target=18.8
        )
    root = ET.fromstring(svg)
    target = [e for e in root.iter(f"{NS}g") if e.get("class") == "target"]
    assert len(target) == 1
    texts = [t.text for t in target[0].iter(f"{NS}text")]
    assert texts == ["Target 18,8%"]
    assert "Desa A: 22,5%; Desa B: 10,0%." in (root[1].text or "")


def test_a_horizontal_bar_chart_keeps_the_first_label_first_in_its_description() -> None:
    with translation.override("en"):
        svg = charts.bar_chart(
            title="Per desa",
            labels=["Desa A", "Desa B", "Desa C"],
            values=[22.5, 10.0, None],
            horizontal=True,
        )
    desc = ET.fromstring(svg)[1].text or ""
    assert desc == "Desa A: 22.5%; Desa B: 10.0%; Desa C: –."


def test_each_chart_gets_its_own_ids_so_two_can_share_a_page() -> None:
    first, second = ET.fromstring(_line()), ET.fromstring(_line())
    assert first[0].get("id") != second[0].get("id")


def test_format_number_shows_a_dash_for_no_value() -> None:
    assert charts.format_number(None) == "–"
    with translation.override("id"):
        assert charts.format_number(1234.5, suffix="%") == "1.234,5%"


def test_weasyprint_draws_the_chart_into_a_pdf() -> None:
    import io

    import weasyprint
    from pypdf import PdfReader

    with translation.override("id"):
        svg = charts.bar_chart(
            title="Per desa", labels=["Desa A", "Desa B"], values=[22.5, 10.0], target=18.8
        )
    pdf = weasyprint.HTML(string=f"<html><body><div>{svg}</div></body></html>").write_pdf()
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Desa A" in text
    assert "Target 18,8%" in text
    assert "22,5%" in text


def test_a_chart_after_a_pdf_report_is_still_plain_svg() -> None:
    """WeasyPrint changes ElementTree's namespace prefixes in the process; charts drawn after a
    PDF must still be <svg>, not <ns0:svg>."""
    import weasyprint

    from aksi.lib.charts import line_chart

    first = line_chart(title="a", series={"SSGI": [21.6, 24.6]}, x_labels=["2022", "2023"])
    weasyprint.HTML(string=f"<p>report</p>{first}").write_pdf()
    after = line_chart(title="b", series={"SSGI": [21.6, 24.6]}, x_labels=["2022", "2023"])
    assert after.startswith("<svg")
    assert "ns0:" not in after
