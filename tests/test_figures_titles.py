"""The map's colour-bar title fits beside the bar: long titles (per 10,000 in Kazakh with the population year) are
broken into two lines at a space, short ones stay whole."""
import pandas as pd

from prevention.output import figures
from prevention.output.geo import regions_geojson


def _map(label: str):
    regions = pd.DataFrame({"region_code": ["KZ-35", "KZ-71"], "region": ["Карагандинская область", "город Астана"],
                            "participants": [120, 80]})
    return figures.choropleth(regions, "participants", regions_geojson(), label=label, lang="kk")


def test_a_long_colour_bar_title_is_broken_into_two_lines_at_a_space():
    label = "10 000 тұрғынға шаққандағы қамту (2023 ж. халық саны)"
    title = _map(label).layout.coloraxis.colorbar.title.text
    first, second = title.split("<br>")
    assert f"{first} {second}" == label
    assert max(len(first), len(second)) < len(label) * 0.7


def test_a_short_colour_bar_title_stays_whole():
    assert _map("Қамту, адам").layout.coloraxis.colorbar.title.text == "Қамту, адам"
