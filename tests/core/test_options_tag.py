"""The {% options %} tag: filter selects rendered in one pass, escaped, with the choice kept."""

from django.template import Context, Template

from core.models import Region


def render(choices, selected):
    return Template("{% load core_tags %}{% options choices selected %}").render(
        Context({"choices": choices, "selected": selected})
    )


def test_pairs_and_regions_render_with_the_selected_one_marked():
    html = render([("a", "甲"), ("b", "乙")], "b")
    assert html == '<option value="a">甲</option><option value="b" selected>乙</option>'
    regions = [Region(code="410821000000", name="修武县"), Region(code="410822000000", name="博爱县")]
    assert render(regions, "410822000000").count(" selected") == 1
    assert '<option value="410821000000">修武县</option>' in render(regions, "")


def test_values_and_labels_are_escaped():
    html = render([('"><script>', "<b>x</b>")], None)
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_numbers_compare_as_text():
    assert render([(2016, "2016"), (2017, "2017")], "2017").endswith(
        '<option value="2017" selected>2017</option>'
    )
