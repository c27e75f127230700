"""Build ``templates/review_report.docx``: the Word template of the DPA review report, reproducibly.

    python templates/build_review_report.py            # rewrite templates/review_report.docx
    python templates/build_review_report.py --check    # exit 1 if the committed file differs from a fresh build

The template is plain python-docx styles (Title, Heading 1–2, Quote, List Bullet) with docxtpl tags as
ordinary text, so a lawyer can restyle it in Word. Its variables are the fields of
``dpakit.review.report.ReviewReportContext`` (a test checks it); every value is printed as literal text.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import docx  # noqa: E402
from docx.shared import Pt, RGBColor  # noqa: E402

from dpakit.docx_render import make_reproducible, template_build_main  # noqa: E402

OUT = HERE / "review_report.docx"


def build() -> bytes:
    document = docx.Document()
    styles = document.styles
    styles["Normal"].font.name = "Calibri"
    styles["Normal"].font.size = Pt(10.5)
    p = document.add_paragraph

    p("DPA review report", style="Title")
    p("{{ document }} ({{ document_kind }})", style="Subtitle")
    warning = p(style="Intense Quote")
    run = warning.add_run("{{ disclaimer }}")
    run.bold = True
    run.font.color.rgb = RGBColor(0x9C, 0x00, 0x06)

    document.add_heading("Summary", level=1)
    p("{{ summary }}")
    p("{{ role }}")
    p("{{ transfers }}")

    p("{%p for group in groups %}")
    document.add_heading("{{ group.title }}", level=1)
    p("{%p if group.empty %}")
    p("None.")
    p("{%p endif %}")
    p("{%p for r in group.results %}")
    document.add_heading("{{ r.heading }}", level=2)
    status = p()
    status.add_run("{{ r.status_line }}").italic = True
    p("{%p for q in r.quotes %}")
    p("{{ q.text }}", style="Quote")
    location = p()
    location.add_run("— {{ q.location }}").italic = True
    p("{%p endfor %}")
    p("{{ r.because }}")
    p("{%p if r.has_ask %}")
    ask = p()
    ask.add_run("Ask for: ").bold = True
    ask.add_run("{{ r.ask_for }}")
    p("{%p endif %}")
    cite = p()
    cite.add_run("Citation: ").bold = True
    cite.add_run("{{ r.citation }}")
    p("{%p endfor %}")
    p("{%p endfor %}")

    p("{%p if has_skipped %}")
    document.add_heading("Not checked", level=1)
    p("{%p for line in skipped %}")
    p("{{ line }}", style="List Bullet")
    p("{%p endfor %}")
    p("{%p endif %}")

    p("{%p if has_vendor %}")
    document.add_heading("Check outside the text", level=1)
    p("{{ vendor_heading }}")
    p("{%p for line in vendor_lines %}")
    p("{{ line }}", style="List Bullet")
    p("{%p endfor %}")
    p("{%p endif %}")

    document.add_heading("How this review works", level=1)
    p("{{ method }}")

    buf = io.BytesIO()
    document.save(buf)
    return make_reproducible(
        buf.getvalue(), title="DPA review report (template)", subject="dpakit review report template"
    )


def main(argv: list[str] | None = None) -> int:
    return template_build_main(OUT, build, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    raise SystemExit(main())
