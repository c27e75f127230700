"""The Word template: uses only fields of its typed context, carries the styles and the one multilevel list."""

from __future__ import annotations

import importlib.util
import io
import zipfile

from lxml import etree

from dpakit.docx_render import template_bytes, undeclared_variables
from dpakit.drafting.draft import DPA_TEMPLATE, SCHEDULE_NUM_IDS, DraftContext

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _part(name: str, data: bytes | None = None):
    with zipfile.ZipFile(io.BytesIO(data or template_bytes(DPA_TEMPLATE))) as z:
        return etree.fromstring(z.read(name))


def _build_module():
    path = DPA_TEMPLATE.parent / "build_templates.py"
    spec = importlib.util.spec_from_file_location("build_templates", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_template_uses_only_fields_of_its_context_model():
    used = undeclared_variables(DPA_TEMPLATE)
    assert used <= set(DraftContext.model_fields), used - set(DraftContext.model_fields)


def test_every_context_field_is_used_by_the_template():
    assert set(DraftContext.model_fields) <= undeclared_variables(DPA_TEMPLATE)


def test_the_template_defines_the_styles_the_drafting_code_uses():
    ids = {s.get(f"{W}styleId") for s in _part("word/styles.xml").iter(f"{W}style")}
    needed = {
        "Heading1",
        "Heading2",
        "ClauseText",
        "ClauseBody",
        "ClauseList1",
        "ClauseList2",
        "ClauseList3",
        "ClauseBullet1",
        "ClauseBullet2",
        "ClauseBullet3",
        "Definition",
        "ScheduleHeading",
        "AnnexHeading",
        "DraftNotice",
        "TableText",
        "TableHeading",
    }
    assert needed <= ids


def test_clause_styles_are_linked_to_one_multilevel_list_with_restarted_copies_for_schedules():
    numbering = _part("word/numbering.xml")
    clauses = numbering.find(f"{W}abstractNum[@{W}abstractNumId='1']")
    links = {
        lvl.get(f"{W}ilvl"): lvl.find(f"{W}pStyle").get(f"{W}val")
        for lvl in clauses.findall(f"{W}lvl")
        if lvl.find(f"{W}pStyle") is not None
    }
    assert links == {"0": "Heading1", "1": "ClauseText", "2": "ClauseList1", "3": "ClauseList2", "4": "ClauseList3"}
    nums = {n.get(f"{W}numId"): n for n in numbering.findall(f"{W}num")}
    for num_id in SCHEDULE_NUM_IDS:
        num = nums[str(num_id)]
        assert num.find(f"{W}abstractNumId").get(f"{W}val") == "1"
        assert num.find(f"{W}lvlOverride[@{W}ilvl='0']/{W}startOverride").get(f"{W}val") == "1"


def test_the_build_script_is_reproducible_and_matches_the_committed_template_in_substance():
    module = _build_module()
    first, second = module.build(), module.build()
    assert first == second
    tmp = {name: _part(name, first) for name in ("word/styles.xml", "word/numbering.xml")}
    committed = {name: _part(name) for name in tmp}
    for name in tmp:
        assert etree.tostring(tmp[name], method="c14n") == etree.tostring(committed[name], method="c14n"), name
