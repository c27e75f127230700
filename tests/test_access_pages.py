"""Hosted use through the real app (AppTest's fake ``st.user``): sign-in is required, and neither a consultant
nor a client can see or change another organisation's assessments — not from a page, not by an id in the URL."""

import pytest
from apptest_support import APP, TIMEOUT, open_page
from streamlit.testing.v1 import AppTest

from dpakit.examples import load_example

CONSULTANT = "consultant@agency.example"
CLIENT = "owner@beta.example"
PAGES = [
    "views/start.py",
    "views/review_answers.py",
    "views/section_organisation.py",
    "views/results.py",
    "views/action_plan.py",
    "views/documents.py",
    "views/workspace.py",
    "views/compare.py",
    "views/audit_log.py",
    "views/workshop.py",
]


@pytest.fixture
def world(app_db, monkeypatch):
    """Alpha (the consultant's client) and Beta (whose owner signs in as a client), one assessment each."""
    monkeypatch.setenv("DPAKIT_HOSTED", "1")
    monkeypatch.delenv("DPAKIT_ADMINS", raising=False)
    store = app_db
    alpha = store.create_organisation("Alpha Analytics Ltd")
    beta = store.create_organisation("Beta Brauerei GmbH")
    a1 = store.create_assessment(alpha.id, load_example("fynbos"), title="Alpha review")
    b1 = store.create_assessment(beta.id, load_example("nordlicht"), title="Beta review")
    store.set_answer(a1.id, "organisation.legal_name", "Alpha Analytics Ltd")
    store.set_answer(b1.id, "organisation.legal_name", "Beta Brauerei GmbH")
    store.set_membership(CONSULTANT, alpha.id, "consultant")
    store.set_membership(CLIENT, beta.id, "client")
    return {"store": store, "alpha": alpha, "beta": beta, "a1": a1, "b1": b1}


AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "dpakit",
    "client_secret": "secret",
    "server_metadata_url": "https://login.example/.well-known/openid-configuration",
}


def visit(page: str, user: str | None, assessment_id: str | None = None, *, auth: bool = False) -> AppTest:
    return open_page(
        page,
        assessment_id,
        secrets={"auth": AUTH} if auth else None,
        user={"email": user, "is_logged_in": True} if user else {"is_logged_in": False},
    )


def everything_shown(at: AppTest) -> str:
    """All text the page rendered: headings, Markdown, captions, alerts, tables, widget labels and options."""
    parts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "text",
        "success",
        "info",
        "warning",
        "error",
        "metric",
    ):
        for el in getattr(at, kind):
            parts.append(str(getattr(el, "value", "")) + " " + str(getattr(el, "label", "")))
    for df in at.dataframe:
        parts.append(df.value.to_string())
    for widget in (*at.selectbox, *at.radio, *at.multiselect):
        parts.append(" ".join(map(str, widget.options)) + " " + str(widget.value))
    for widget in (*at.text_input, *at.text_area):
        parts.append(str(widget.value))
    return "\n".join(parts)


def test_without_sign_in_only_the_sign_in_screen_is_shown(world):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": False}
    at.query_params["a"] = world["b1"].id
    at.run()
    assert at.button(key="login")
    text = everything_shown(at)
    assert "sign in" in text.lower() and "Alpha" not in text and "Beta" not in text


@pytest.mark.parametrize("page", PAGES)
def test_a_page_reached_without_sign_in_shows_no_organisation(world, page):
    # AppTest runs a switched-to page without app.py's sign-in screen: the scoped store alone must hold.
    text = everything_shown(visit(page, None, world["b1"].id, auth=True))
    assert "Alpha" not in text and "Beta" not in text, page


def test_hosted_without_auth_configuration_says_how_to_configure_it(world):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.user = {"is_logged_in": False}
    at.run()
    assert "docs/hosting.md" in at.error[0].value
    assert not at.button


@pytest.mark.parametrize("role", ["consultant", "client"])
def test_each_user_sees_only_their_own_organisation_on_every_page(world, role):
    user, mine, theirs = (CONSULTANT, "Alpha", "Beta") if role == "consultant" else (CLIENT, "Beta", "Alpha")
    own = world["a1"] if role == "consultant" else world["b1"]
    for page in PAGES:
        text = everything_shown(visit(page, user, own.id))
        assert theirs not in text, (role, page)
    workspace = everything_shown(visit("views/workspace.py", user))
    assert mine in workspace and theirs not in workspace


@pytest.mark.parametrize("role", ["consultant", "client"])
def test_another_organisations_assessment_id_in_the_url_is_not_found(world, role):
    user = CONSULTANT if role == "consultant" else CLIENT
    other = world["b1"] if role == "consultant" else world["a1"]
    theirs = "Beta" if role == "consultant" else "Alpha"
    before = world["store"].assessment(other.id)
    events_before = len(world["store"].events(other.id))
    for page in PAGES:
        at = visit(page, user, other.id)
        text = everything_shown(at)
        assert theirs not in text, (role, page)
        assert other.id not in at.query_params.get("a", ""), page
        # the URL's id is forgotten: nothing on the page is bound to it
        assert not [w for w in at.text_input if other.id in (w.key or "")], page
    assert world["store"].assessment(other.id) == before
    assert len(world["store"].events(other.id)) == events_before


def test_a_client_can_answer_their_own_questions_and_the_log_says_who(world):
    at = visit("views/section_organisation.py", CLIENT, world["b1"].id)
    field = next(w for w in at.text_input if w.key and w.key.endswith(":organisation.registration_number"))
    field.input("HRB 999").run()
    assert not at.exception
    last = world["store"].events(world["b1"].id)[-1]
    assert (last.field, last.new_value, last.user) == ("organisation.registration_number", "HRB 999", CLIENT)


def test_a_client_gets_no_management_controls(world):
    at = visit("views/workspace.py", CLIENT)
    keys = {b.key for b in at.button} | {b.key for b in at.download_button}
    beta = world["beta"].id
    assert f"workspace_export_{beta}" not in keys and f"workspace_delete_{beta}" not in keys
    assert f"workspace_copy_{world['b1'].id}" not in keys
    assert "workspace_import_file" not in {u.key for u in at.file_uploader} if hasattr(at, "file_uploader") else True
    assert not [f for f in at.form_submit_button]  # no "add an organisation" form


def test_a_consultant_manages_and_assigns_members_of_their_organisation(world):
    at = visit("views/workspace.py", CONSULTANT)
    alpha = world["alpha"].id
    assert at.download_button(key=f"workspace_export_{alpha}")
    at.text_input(key=f"workspace_member_email_{alpha}").input("Boss@Alpha.example")
    at.selectbox(key=f"workspace_member_role_{alpha}").set_value("client")
    next(b for b in at.form_submit_button if "member" in b.label.lower()).click().run()
    assert not at.exception
    roles = {m.user: m.role for m in world["store"].memberships(org_id=alpha)}
    assert roles == {CONSULTANT: "consultant", "boss@alpha.example": "client"}
    # the new client now sees Alpha, and only Alpha
    text = everything_shown(visit("views/workspace.py", "boss@alpha.example"))
    assert "Alpha" in text and "Beta" not in text


def test_an_admin_sees_every_organisation(world, monkeypatch):
    monkeypatch.setenv("DPAKIT_ADMINS", "root@agency.example")
    text = everything_shown(visit("views/workspace.py", "root@agency.example"))
    assert "Alpha" in text and "Beta" in text


def test_locally_there_is_no_sign_in_and_everything_is_visible(world, monkeypatch):
    monkeypatch.delenv("DPAKIT_HOSTED")
    text = everything_shown(visit("views/workspace.py", None))
    assert "Alpha" in text and "Beta" in text and "Single-user mode" in text


def test_a_consultant_importing_another_organisations_export_learns_nothing_about_it(world):
    """Through the page: Beta's own export, uploaded by Alpha's consultant, names no id of Beta's and
    lands as a new organisation of the consultant's; Beta is untouched."""
    from dpakit.workspace.archive import export_organisation
    from ui.text import md

    store = world["store"]
    data = export_organisation(store, world["beta"].id)
    at = visit("views/workspace.py", CONSULTANT)
    at.file_uploader(key="workspace_import_file").set_value(("beta.zip", data, "application/zip")).run()
    at.button(key="workspace_import").click().run()
    assert not at.exception
    shown = everything_shown(at)
    for secret in (world["beta"].id, world["b1"].id):
        assert secret not in shown and md(secret) not in shown
    assert "already holds" not in shown
    mine = [m.organisation_id for m in store.memberships(user=CONSULTANT)]
    assert len(mine) == 2 and world["beta"].id not in mine
    assert [a.id for a in store.assessments(world["beta"].id)] == [world["b1"].id]
