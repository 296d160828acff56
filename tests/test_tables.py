"""Tables on the pages: numbers formatted by Babel in the interface language while the table keeps the numbers
(so sorting stays numeric), identifiers left to their column configuration, missing values blank."""
from __future__ import annotations

import pandas as pd
import pytest

from prevention.app.components.tables import styled

FRAME = pd.DataFrame({"region": ["Абай", "Астана"], "participants": [12345, 7],
                      "per_event": [3.456, None], "students": pd.array([None, 1500], dtype="Int64")})


def shown(frame: pd.DataFrame, language: str) -> list[list[str]]:
    styler = styled(frame, language=language)
    table = styler._translate(False, False)  # what Streamlit sends as the display values
    return [[cell["display_value"] for cell in row[1:]] for row in table["body"]]


@pytest.mark.parametrize("language, expected", [
    ("ru", [["Абай", "12\xa0345", "3,5", ""], ["Астана", "7", "", "1\xa0500"]]),
    ("kk", [["Абай", "12\xa0345", "3,5", ""], ["Астана", "7", "", "1\xa0500"]]),
    ("en", [["Абай", "12,345", "3.5", ""], ["Астана", "7", "", "1,500"]]),
])
def test_numbers_follow_the_interface_language_and_stay_numbers(language, expected):
    assert shown(FRAME, language) == expected
    styler = styled(FRAME, language=language)
    assert styler.data["participants"].tolist() == [12345, 7]  # the values sort as numbers


def test_a_frame_without_numbers_is_shown_as_it_is():
    text = pd.DataFrame({"region": ["Абай"]})
    assert styled(text, language="ru") is text
