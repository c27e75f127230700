"""User text in Markdown contexts: escaped, so it is shown literally and never interpreted.

Streamlit renders labels, ``st.write`` strings and ``st.markdown`` as Markdown (with its own ``:color[]``
and ``:material/…:`` directives). Anything a user typed must pass through ``md`` before it goes there.
"""

from __future__ import annotations

import re

_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&\"'=^])")


def md(text: object) -> str:
    """Backslash-escape every Markdown-significant character (CommonMark allows it for all ASCII punctuation)."""
    return _PUNCT.sub(r"\\\1", str(text)).replace("\n", "  \n")
