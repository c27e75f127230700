"""Build ``templates/action_plan.docx``: the Word template of the privacy action plan, reproducibly.

    python templates/build_action_plan_template.py           # rewrite templates/action_plan.docx
    python templates/build_action_plan_template.py --check   # exit 1 if the committed file differs

The committed ``action_plan.docx`` is what lawyers and consultants may edit in Word (wording, styles,
logo); this script is how it was first made. It uses only Word's built-in styles (Title, Heading 1/2,
List Bullet, Table Grid). Template variables are the keys of ``dpakit.actions.docx_context`` (a test
checks it); every value is printed as literal text by ``dpakit.docx_render``.

Tag rules (docxtpl): ``{%p … %}`` and ``{%tr … %}`` tags stand alone in their paragraph / table row.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import docx  # noqa: E402
from docx.shared import Pt  # noqa: E402

from dpakit.docx_render import make_reproducible, template_build_main  # noqa: E402

OUT = HERE / "action_plan.docx"
COLUMNS = ("#", "Priority", "Action", "Owner", "Due", "Status")
ROW = (
    "{{ item.number }}",
    "{{ item.priority }}",
    "{{ item.title }}",
    "{{ item.owner }}",
    "{{ item.due }}",
    "{{ item.status }}",
)


def build() -> bytes:
    document = docx.Document()
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(10.5)

    document.add_paragraph("Privacy action plan", style="Title")
    document.add_paragraph("{{ organisation }}", style="Subtitle")
    notice = document.add_paragraph()
    notice.add_run("DRAFT — ").bold = True
    notice.add_run("{{ draft_notice }}").italic = True
    document.add_paragraph("Laws considered: {{ regimes }}")
    document.add_paragraph("Plan start date: {{ start }}. Number of actions: {{ count }}.")

    document.add_paragraph("Summary", style="Heading 1")
    table = document.add_table(rows=4, cols=len(COLUMNS))
    table.style = document.styles["Table Grid"]
    for cell, text in zip(table.rows[0].cells, COLUMNS, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    table.rows[1].cells[0].text = "{%tr for item in items %}"
    for cell, text in zip(table.rows[2].cells, ROW, strict=True):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"

    document.add_paragraph("Actions in detail", style="Heading 1")
    document.add_paragraph("{%p for item in items %}")
    document.add_paragraph("{{ item.number }}. {{ item.title }}", style="Heading 2")
    facts = document.add_paragraph()
    for label, value in (
        ("Priority: ", "{{ item.priority }}"),
        ("   Effort: ", "{{ item.effort }}"),
        ("   Due: ", "{{ item.due }}"),
        ("   Status: ", "{{ item.status }}"),
    ):
        facts.add_run(label).bold = True
        facts.add_run(value)
    owner = document.add_paragraph()
    owner.add_run("Owner: ").bold = True
    owner.add_run("{{ item.owner }} (suggested role: {{ item.owner_role }})")
    fixes = document.add_paragraph()
    fixes.add_run("Fixes: ").bold = True
    fixes.add_run("{{ item.fixes }}")
    reqs = document.add_paragraph()
    reqs.add_run("Requirements: ").bold = True
    reqs.add_run("{{ item.requirements }}")
    document.add_paragraph("{%p if item.notes %}")
    notes = document.add_paragraph()
    notes.add_run("Notes: ").bold = True
    notes.add_run("{{ item.notes }}")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("Steps:")
    document.add_paragraph("{%p for step in item.steps %}")
    document.add_paragraph("{{ step }}", style="List Bullet")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p endfor %}")

    document.add_paragraph("About this plan", style="Heading 1")
    document.add_paragraph(
        "Priorities come from the worst risk finding each action fixes (likelihood × impact); due dates are "
        "suggestions counted from the start date and can be changed in dpakit. Requirement IDs refer to "
        "dpakit's requirements catalogue, which cites the official source of each."
    )
    buf = io.BytesIO()
    document.save(buf)
    return make_reproducible(buf.getvalue(), title="Privacy action plan template")


def main(argv: list[str] | None = None) -> int:
    return template_build_main(OUT, build, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    raise SystemExit(main())
