"""Access control in the core: a viewer sees only their organisations, by list and by id, in every query."""

import inspect

import pytest

from dpakit.access import ScopedStore, Viewer, admins_from_env, hosted_from_env
from dpakit.errors import Forbidden, InputError, NotFound
from dpakit.models import Answers
from dpakit.store import Store


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "access.db")


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
        attempts += [lambda: me.document_content(world["doc_b"].id), lambda: me.document(world["doc_b"].id),
                     lambda: me.document_answers(world["doc_b"].id)]
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
    for attempt in (lambda: client.copy_forward(world["b1"].id), lambda: client.delete_organisation(world["b"].id),
                    lambda: client.export_rows(world["b"].id), lambda: client.create_organisation("New"),
                    lambda: client.set_membership("x@y.z", world["b"].id, "client")):
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
