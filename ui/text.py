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


_LEGAL_FORMS = frozenset(
    "pty ltd limited llc inc incorporated plc gmbh ag bv nv sa sarl sas srl spa oy ab as co corp company".split()
)


def _name_words(name: str | None) -> list[str]:
    import unicodedata

    folded = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    return [w for w in re.findall(r"[a-z0-9]+", folded[:400]) if w not in _LEGAL_FORMS]


def dpa_file_name(organisation: str | None, counterparty: str | None, agreement_id: str, suffix: str = ".docx") -> str:
    """A DPA's download name, ``dpa-<organisation>-<counterparty>.docx`` (``dpa-fynbos-table-mountain-
    digital.docx``), as ``python -m dpakit draft`` names its files (``dpakit.cli.dpa_file_name``; a test keeps
    the two alike). The agreement id stands in for a counterparty without a name."""
    parts = ["dpa", *_name_words(organisation)[:1], *(_name_words(counterparty)[:3] or [agreement_id])]
    return "-".join(parts) + suffix
