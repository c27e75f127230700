"""Access control in the core: a viewer sees only their organisations, by list and by id, in every query."""

import inspect

import pytest

from dpakit.errors import Forbidden, InputError, NotFound
from dpakit.models import Answers
from dpakit.workspace.access import ScopedStore, Viewer, admins_from_env, hosted_from_env
from dpakit.workspace.store import Store


@pytest.fixture
def world(store):
    """Two organisations, each with an assessment and a document; a consultant of A, a client of B."""
    a = store.create_organisation("Alpha Ltd")
    b = store.create_organisation("Beta GmbH")
    a1 = store.create_assessment(a.id)
    b1 = store.create_assessment(b.id)
    doc_b = store.save_document(b1.id, "dpa", "dpa.docx", b"beta bytes", Answers(), "lib-1")
    store.set_membership("Con@Example.com", a.id, "consultant")
    store.set_membership("client@beta.example", b.id, "client")
    return {"a": a, "b": b, "a1": a1, "b1": b1, "doc_b": doc_b}


def scoped(store, user, admins=()):
    return ScopedStore(store, Viewer.signed_in(store, user, admins))


def test_hosting_is_off_unless_switched_on():
    assert hosted_from_env({}) is False
    assert hosted_from_env({"DPAKIT_HOSTED": "1"}) is True
    assert hosted_from_env({"DPAKIT_HOSTED": "no"}) is False
    assert admins_from_env({"DPAKIT_ADMINS": "Root@x.org, b@y.org junk"}) == {"root@x.org", "b@y.org"}


def test_the_local_user_sees_everything(store, world):
    local = ScopedStore(store, Viewer.local())
    assert [o.name for o in local.organisations()] == ["Alpha Ltd", "Beta GmbH"]
    assert local.assessment(world["b1"].id).id == world["b1"].id


def test_a_consultant_sees_only_assigned_organisations(store, world):
    con = scoped(store, "con@example.com")
    assert [o.name for o in con.organisations()] == ["Alpha Ltd"]
    assert [o.name for o in con.organisations(ids=[world["b"].id])] == []
    assert con.assessments(world["a"].id)[0].id == world["a1"].id


@pytest.mark.parametrize("user", ["con@example.com", "client@beta.example"])
def test_no_read_or_write_reaches_another_organisation_by_id(store, world, user):
    me = scoped(store, user)
    other = world["b"] if user.startswith("con") else world["a"]
    other_assessment = world["b1"] if user.startswith("con") else world["a1"]
    attempts = [
        lambda: me.organisation(other.id),
        lambda: me.assessments(other.id),
        lambda: me.assessment(other_assessment.id),
        lambda: me.set_answer(other_assessment.id, "organisation.legal_name", "Hijacked"),
        lambda: me.set_answers(other_assessment.id, Answers()),
        lambda: me.set_section(other_assessment.id, "crm"),
        lambda: me.update_assessment(other_assessment.id, title="x"),
        lambda: me.copy_forward(other_assessment.id),
        lambda: me.events(other_assessment.id),
        lambda: me.documents(other_assessment.id),
        lambda: me.action_states(other_assessment.id),
        lambda: me.set_action_state(other_assessment.id, "A1", owner="x"),
        lambda: me.create_assessment(other.id),
        lambda: me.delete_organisation(other.id),
        lambda: me.rename_organisation(other.id, "x"),
        lambda: me.export_rows(other.id),
        lambda: me.set_membership(user, other.id, "consultant"),
        lambda: me.save_document(other_assessment.id, "dpa", "x.docx", b"x", Answers(), "v"),
    ]
    if user.startswith("con"):
        attempts += [
            lambda: me.document_content(world["doc_b"].id),
            lambda: me.document(world["doc_b"].id),
            lambda: me.document_answers(world["doc_b"].id),
        ]
    for attempt in attempts:
        with pytest.raises(NotFound):
            attempt()
    assert store.assessment(other_assessment.id).answers == Answers()
    assert store.organisation(other.id).name == other.name
    assert store.memberships(org_id=other.id) == [m for m in store.memberships() if m.organisation_id == other.id]


def test_an_unknown_id_and_a_forbidden_id_give_the_same_answer(store, world):
    con = scoped(store, "con@example.com")
    with pytest.raises(NotFound) as forbidden:
        con.assessment(world["b1"].id)
    with pytest.raises(NotFound) as missing:
        con.assessment("a_doesnotexist")
    assert str(forbidden.value).replace(world["b1"].id, "ID") == str(missing.value).replace("a_doesnotexist", "ID")


def test_a_client_fills_in_answers_but_cannot_manage_the_organisation(store, world):
    client = scoped(store, "client@beta.example")
    assert [o.name for o in client.organisations()] == ["Beta GmbH"]
    client.set_answer(world["b1"].id, "organisation.legal_name", "Beta GmbH")
    assert store.events(world["b1"].id)[-1].user == "client@beta.example"
    for attempt in (
        lambda: client.copy_forward(world["b1"].id),
        lambda: client.delete_organisation(world["b"].id),
        lambda: client.export_rows(world["b"].id),
        lambda: client.create_organisation("New"),
        lambda: client.set_membership("x@y.z", world["b"].id, "client"),
    ):
        with pytest.raises(Forbidden):
            attempt()


def test_a_consultant_creating_an_organisation_becomes_its_consultant(store, world):
    con = scoped(store, "con@example.com")
    org = con.create_organisation("Gamma BV")
    assert {o.name for o in con.organisations()} == {"Alpha Ltd", "Gamma BV"}
    assert store.memberships(org_id=org.id)[0].role == "consultant"


def test_an_admin_sees_everything_and_someone_without_membership_nothing(store, world):
    admin = scoped(store, "root@example.com", admins=["Root@Example.com"])
    assert len(admin.organisations()) == 2
    stranger = scoped(store, "nobody@example.com")
    assert stranger.organisations() == []
    with pytest.raises(Forbidden):
        stranger.create_organisation("Mine")
    assert ScopedStore(store, Viewer.nobody()).organisations() == []


def test_memberships_need_an_email_and_a_known_role(store, world):
    with pytest.raises(InputError):
        store.set_membership("not-an-email", world["a"].id, "client")
    with pytest.raises(InputError):
        store.set_membership("x@y.z", world["a"].id, "owner")


def test_deleting_an_organisation_removes_its_memberships(store, world):
    store.delete_organisation(world["a"].id)
    assert [m.organisation_id for m in store.memberships()] == [world["b"].id]


def test_every_public_store_method_has_a_scoped_counterpart():
    public = {name for name, member in inspect.getmembers(Store, inspect.isfunction) if not name.startswith("_")}
    missing = sorted(name for name in public if not callable(getattr(ScopedStore, name, None)))
    assert missing == [], f"ScopedStore must check access for: {missing}"
    for name in public:
        store_params = list(inspect.signature(getattr(Store, name)).parameters)
        scoped_params = list(inspect.signature(getattr(ScopedStore, name)).parameters)
        assert scoped_params == store_params, name


# --- importing a whole record (issue 10) ---------------------------------------------------------------


def _record_of_another_installation(tmp_path, name="Gamma AG"):
    """An export from elsewhere whose log claims an administrator made a change."""
    from dpakit.workspace.archive import export_organisation

    other = Store(tmp_path / f"other-{name[:5]}.db")
    org = other.create_organisation(name)
    item = other.create_assessment(org.id, title="Gamma review")
    other.set_answer(item.id, "security.mfa_enforced", "yes", source="wizard", user="admin@consultancy.example")
    return export_organisation(other, org.id)


def _with_fresh_ids(data: bytes) -> bytes:
    """The same archive with every organisation, assessment and document id replaced by one that exists
    nowhere (member names, manifest, log, hashes made to fit)."""
    import hashlib
    import io
    import json
    import zipfile

    from dpakit.workspace.archive import read_record
    from dpakit.workspace.store import new_id

    record = read_record(data)
    ids = [
        record["organisation"]["id"],
        *(a["id"] for a in record["assessments"]),
        *(d["id"] for d in record["documents"]),
    ]
    fresh = {old: new_id(old[0]) for old in ids}

    def swap(text: str) -> str:
        for old, new in fresh.items():
            text = text.replace(old, new)
        return text

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {swap(n): zf.read(n) for n in zf.namelist()}
    for name in members:
        if name.endswith(".json"):
            members[name] = swap(members[name].decode()).encode()
    manifest = json.loads(members["manifest.json"])
    for entry in manifest["files"]:
        entry["sha256"] = hashlib.sha256(members[entry["path"]]).hexdigest()
        entry["size"] = len(members[entry["path"]])
    members["manifest.json"] = json.dumps(manifest).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return out.getvalue()


def _outcome(result, data) -> tuple:
    """What the importer sees of an import, with the ids left out: the counts, the name, whether the
    archive's own organisation id was kept."""
    from dpakit.workspace.archive import read_record

    original = read_record(data)["organisation"]["id"]
    return (result.name, result.assessments, result.documents, result.events, result.organisation_id == original)


def test_a_hosted_import_discloses_no_id_whether_or_not_it_exists_elsewhere(store, world):
    from dpakit.workspace.archive import export_organisation, import_organisation

    existing = export_organisation(store, world["b"].id)  # Beta: the consultant of Alpha cannot see it
    elsewhere = _with_fresh_ids(existing)  # the same record under ids that exist nowhere
    outcomes, messages = [], []
    for data in (existing, elsewhere):
        me = scoped(store, "con@example.com")
        try:
            result = import_organisation(me, data)
        except InputError as err:  # a refusal is allowed, if it is the same refusal for both
            messages.append(str(err))
        else:
            outcomes.append(_outcome(result, data))
            assert result.organisation_id != world["b"].id and me.viewer.can_see(result.organisation_id)
            assert world["b"].id not in result.id_map.values()
    assert not any(world["b"].id in m or world["b1"].id in m for m in messages)
    assert len(set(outcomes)) <= 1 and len(set(messages)) <= 1 and len(outcomes) + len(messages) == 2
    assert store.organisation(world["b"].id).name == "Beta GmbH"  # Beta itself is untouched
    assert [a.id for a in store.assessments(world["b"].id)] == [world["b1"].id]
    assert [d.id for d in store.documents(world["b1"].id)] == [world["doc_b"].id]
    with pytest.raises(NotFound):
        scoped(store, "con@example.com").organisation(world["b"].id)


def test_an_admin_may_import_a_record_under_its_own_ids(store, world, tmp_path):
    from dpakit.workspace.archive import import_organisation, read_record

    data = _record_of_another_installation(tmp_path)
    result = import_organisation(scoped(store, "root@example.com", admins=["root@example.com"]), data)
    assert result.organisation_id == read_record(data)["organisation"]["id"]


def test_imported_log_entries_name_the_importer_not_the_author_they_claim(store, world, tmp_path):
    from dpakit.workspace.archive import audit_csv, import_organisation

    me = scoped(store, "Con@Example.com")
    result = import_organisation(me, _record_of_another_installation(tmp_path))
    (item,) = me.assessments(result.organisation_id)
    events = me.events(item.id)
    assert events and {e.user for e in events} == {"con@example.com"}
    claimed = [e for e in events if e.field == "security.mfa_enforced"]
    assert claimed[0].source == "wizard · imported; the record says by admin@consultancy.example"
    assert all("imported" in e.source for e in events)
    rows = audit_csv(events).splitlines()[1:]
    assert all(",con@example.com," in row for row in rows)


def test_a_local_import_keeps_no_claimed_author_either(store, world, tmp_path):
    from dpakit.workspace.archive import import_organisation

    me = ScopedStore(store, Viewer.local())
    result = import_organisation(me, _record_of_another_installation(tmp_path))
    (item,) = me.assessments(result.organisation_id)
    assert {e.user for e in me.events(item.id)} == {None}


# --- names (issue 13) ------------------------------------------------------------------------------------


def test_names_and_titles_lose_control_and_invisible_characters(store, world):
    me = scoped(store, "con@example.com")
    org = me.create_organisation("Acme\x00\x07 \u202eLtd\x1b[31m\t\n")
    assert org.name == "Acme Ltd[31m"
    me.rename_organisation(org.id, "Acme\x08 GmbH\x7f")
    assert me.organisation(org.id).name == "Acme GmbH"
    item = me.create_assessment(org.id, title="2026\x00 review\x9b")
    assert me.assessment(item.id).title == "2026 review"
    me.update_assessment(item.id, title="Final\x01")
    assert me.assessment(item.id).title == "Final"
    assert me.copy_forward(item.id, title="Next\x0c year").title == "Next year"
    with pytest.raises(InputError):
        me.create_organisation("\x00\x07\u200b")
