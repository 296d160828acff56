"""User values made inert for Streamlit's markdown: file names, sheet names, organisers, any cell text.

Streamlit renders markdown in st.markdown, caption, write, info, success, warning, error and toast, in metric,
widget and tab labels, help texts and expander titles: a value from an uploaded file put there could draw an
image from an outside host, a link, bold text, a coloured `:red[…]` or an icon directive, or LaTeX. `inert`
backslash-escapes every ASCII punctuation character CommonMark allows to escape (which also covers Streamlit's
directives, `$` and HTML), turns line breaks into spaces, and breaks GFM's bare autolinks (http://, https://,
www., e-mail addresses) with an invisible zero-width space, so the text shows exactly as written and does
nothing."""
from __future__ import annotations

import re

ZERO_WIDTH_SPACE = "\u200b"
_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
_SCHEME = re.compile(r"(?i)\b(https?|ftp|mailto|file|data|javascript)(\\:)")
_WWW = re.compile(r"(?i)\b(www)(\\\.)")
_AT = re.compile(r"\\@")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")


def inert(value) -> str:
    """`value` as text that markdown shows literally: no link, image, HTML, emphasis, directive or formula."""
    if value is None:
        return ""
    text = _LINE_BREAKS.sub(" ", str(value))
    text = _PUNCTUATION.sub(r"\\\1", text)
    text = _SCHEME.sub(lambda m: m.group(1) + ZERO_WIDTH_SPACE + m.group(2), text)
    text = _WWW.sub(lambda m: m.group(1) + ZERO_WIDTH_SPACE + m.group(2), text)
    return _AT.sub(ZERO_WIDTH_SPACE + r"\\@", text)


def inert_all(values) -> list[str]:
    return [inert(v) for v in values]


CODE_PARAMS = {"region", "field", "source", "missing", "kind", "code"}  # parameters that are codes, not user text


def inert_problem(problem):
    """A loaders.problems.Problem whose text parameters (cell values, headers, names) are inert, for a message
    shown as markdown; numbers stay numbers, so the message formats them as usual."""
    from dataclasses import replace

    def shown(name, value):
        if name in CODE_PARAMS:
            return value  # a region code, a field name, a kind: turned into catalogue text by the renderer
        if isinstance(value, str):
            return inert(value)
        if isinstance(value, dict):
            return {k: shown(k, v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [shown(name, v) for v in value]
        return value

    return replace(problem, params={k: shown(k, v) for k, v in (problem.params or {}).items()},
                   sheet=inert(problem.sheet) if problem.sheet else problem.sheet,
                   column=inert(problem.column) if problem.column else problem.column)
