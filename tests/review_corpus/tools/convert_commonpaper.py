"""Convert Common Paper's DPA.md (CommonPaper/DPA on GitHub) to plain Markdown for the corpus.

The only changes: the ``<span class="header_2">`` titles of the numbered sections become ``##`` headings
(their number kept), ``<span class="header_3">`` run-in titles become bold run-in text (still at the start of
their paragraph, as in the original), and ``<span class="keyterms_link">`` wrappers are dropped (their words
kept). No word of the text is changed. Usage: ``python convert_commonpaper.py DPA.md > out.md``.
"""

from __future__ import annotations

import re
import sys

H2 = re.compile(r'^(\d+)\. <span class="header_2">(.*?)</span>\s*$')
H3 = re.compile(r'<span class="header_3">(.*?)</span>')
LINK = re.compile(r'<span class="keyterms_link">(.*?)</span>')


def convert(text: str) -> str:
    out = []
    for line in text.splitlines():
        m = H2.match(line)
        if m:
            out.append(f"## {m.group(1)}. {m.group(2)}")
            continue
        line = H3.sub(lambda h: f"**{h.group(1)}**", line)
        line = LINK.sub(lambda k: k.group(1), line)
        out.append(line.rstrip())
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        sys.stdout.write(convert(f.read()))
