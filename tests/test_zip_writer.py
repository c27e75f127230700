"""dpakit writes every ZIP it makes (DOCX files, the organisation record, the redline) with one function,
``safezip.fixed_zip``: the same members give the same bytes, whatever order they come in."""

import hashlib
import io
import zipfile

from dpakit.docx_render import _member_order, make_reproducible
from dpakit.examples import load_example
from dpakit.safezip import FIXED_DATE_TIME, fixed_zip
from dpakit.workspace.archive import MANIFEST, export_organisation
from dpakit.workspace.redline import redline
from dpakit.workspace.store import Store

MEMBERS = {
    "word/document.xml": b"<w:document/>" * 50,
    "[Content_Types].xml": b"<Types/>",
    "docProps/app.xml": "Søhne & <Ltd>".encode(),
    "a/empty.txt": b"",
}


def _members(data: bytes) -> tuple[list[str], dict[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.namelist(), {n: zf.read(n) for n in zf.namelist()}


def test_the_same_members_in_another_order_give_byte_identical_zips():
    reordered = dict(reversed(list(MEMBERS.items())))
    first = fixed_zip(MEMBERS)
    assert fixed_zip(reordered) == first
    assert hashlib.sha256(fixed_zip(dict(MEMBERS))).hexdigest() == hashlib.sha256(first).hexdigest()
    assert fixed_zip({**MEMBERS, "a/empty.txt": b"x"}) != first


def test_every_member_is_deflated_with_the_fixed_date_in_the_given_order():
    data = fixed_zip(MEMBERS, order=_member_order)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        assert [i.filename for i in infos] == sorted(MEMBERS, key=_member_order)
        assert {i.date_time for i in infos} == {FIXED_DATE_TIME}
        assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
        assert {n: zf.read(n) for n in zf.namelist()} == MEMBERS


def test_a_docx_made_reproducible_is_exactly_the_one_writer_s_zip_of_its_members():
    data = make_reproducible(fixed_zip(MEMBERS), title="t")
    names, members = _members(data)
    assert names[0] == "[Content_Types].xml"
    assert fixed_zip(members, order=_member_order) == data


def test_the_organisation_record_is_the_one_writer_s_zip_with_the_manifest_first(tmp_path):
    store = Store(tmp_path / "db.sqlite")
    org = store.create_organisation("Nordlicht")
    store.create_assessment(org.id, load_example("nordlicht"))
    data = export_organisation(store, org.id, exported_at="2026-11-01T10:00:00+00:00")
    names, members = _members(data)
    assert names[0] == MANIFEST
    assert fixed_zip(members, order=lambda n: (n != MANIFEST, n)) == data
    assert export_organisation(store, org.id, exported_at="2026-11-01T10:00:00+00:00") == data


def test_the_redline_is_the_one_writer_s_zip_of_its_parts():
    from dpakit.analysis import analyse
    from dpakit.drafting.draft import draft_dpa

    answers = load_example("fynbos")
    old = draft_dpa(analyse(answers)).docx
    new = draft_dpa(analyse(answers.with_value("agreement.breach_notice_hours", 24))).docx
    data, _ = redline(old, new, date="2026-11-01T10:00:00Z")
    _, members = _members(data)
    assert fixed_zip(members, order=_member_order) == data
    assert redline(old, new, date="2026-11-01T10:00:00Z")[0] == data


def test_no_module_of_the_core_writes_a_zip_but_the_one_writer():
    import ast
    from pathlib import Path

    import dpakit

    writers = []
    for path in sorted(Path(dpakit.__file__).parent.rglob("*.py")):
        if path.name == "safezip.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("writestr", "ZipInfo"):
                writers.append(f"{path.name}:{node.lineno}")
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "ZipFile":
                mode = (
                    node.args[1]
                    if len(node.args) > 1
                    else next((k.value for k in node.keywords if k.arg == "mode"), None)
                )
                if isinstance(mode, ast.Constant) and mode.value != "r":
                    writers.append(f"{path.name}:{node.lineno}")
    assert writers == [], "write ZIPs with dpakit.safezip.fixed_zip"
