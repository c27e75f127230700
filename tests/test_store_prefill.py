"""Choosing the CRM vendor saves the answer and the vendor facts it pre-fills in one transaction: the
user's change is logged as "wizard", each pre-filled answer as "prefill"; a failure half-way changes
nothing; an answer the user chose is never replaced."""

import sqlite3

import pytest

from dpakit.errors import InputError, StoreError
from dpakit.vendors import vendor_prefill
from dpakit.workspace.access import ScopedStore, Viewer
from dpakit.workspace.store import Store


@pytest.fixture
def assessment(store):
    org = store.create_organisation("Acme Ltd")
    return store.create_assessment(org.id)


def test_choosing_a_vendor_saves_it_and_its_prefill_logged_as_wizard_and_prefill(store, assessment):
    saved = store.set_answer_with_prefill(assessment.id, "crm.vendor", "hubspot", user="ann@example.com")
    expected = vendor_prefill("hubspot")
    assert saved.prefilled == expected
    stored = store.assessment(assessment.id).answers
    assert stored == saved.answers
    assert stored.crm.vendor == "hubspot"
    assert {path: stored.get(path) for path in expected} == expected
    events = store.events(assessment.id)
    assert [(e.field, e.source) for e in events if e.source == "wizard"] == [("crm.vendor", "wizard")]
    assert {e.field for e in events if e.source == "prefill"} == set(expected)
    assert {e.user for e in events} == {"ann@example.com"}
    assert len({e.at for e in events}) == 1  # one save, one moment


def test_a_failure_in_the_middle_of_the_prefill_leaves_nothing_changed(store, assessment, monkeypatch):
    before_answers, before_events = store.assessment(assessment.id).answers, store.events(assessment.id)
    real = Store._log_changes

    def fail_on_the_prefill(self, db, assessment_id, old, new, source, user, stamp):
        if source == "prefill":
            raise sqlite3.OperationalError("disk I/O error")
        return real(self, db, assessment_id, old, new, source, user, stamp)

    monkeypatch.setattr(Store, "_log_changes", fail_on_the_prefill)
    with pytest.raises(StoreError):
        store.set_answer_with_prefill(assessment.id, "crm.vendor", "hubspot")
    assert store.assessment(assessment.id).answers == before_answers
    assert store.events(assessment.id) == before_events


def test_an_invalid_prefilled_value_refuses_the_whole_save(store, assessment, monkeypatch):
    monkeypatch.setattr("dpakit.workspace.store.prefill_changes", lambda before, after: {"crm.mfa_available": "nah"})
    with pytest.raises(InputError, match="crm.mfa_available"):
        store.set_answer_with_prefill(assessment.id, "crm.vendor", "hubspot")
    assert store.assessment(assessment.id).answers.crm.vendor is None
    assert store.events(assessment.id) == []


def test_an_answer_the_user_chose_is_kept_when_the_vendor_changes(store, assessment):
    store.set_answer(assessment.id, "crm.vendor_country", "DE")
    saved = store.set_answer_with_prefill(assessment.id, "crm.vendor", "hubspot")
    assert "crm.vendor_country" not in saved.prefilled
    assert store.assessment(assessment.id).answers.crm.vendor_country == "DE"


def test_switching_vendor_replaces_what_the_previous_vendor_prefilled_and_clears_what_it_alone_had(store, assessment):
    store.set_answer_with_prefill(assessment.id, "crm.vendor", "hubspot")
    saved = store.set_answer_with_prefill(assessment.id, "crm.vendor", "pipedrive")
    assert saved.prefilled == {
        "crm.vendor_dpa_url": vendor_prefill("pipedrive")["crm.vendor_dpa_url"],
        "crm.subprocessor_list_url": None,  # pipedrive publishes none: hubspot's would be wrong
    }
    assert saved.answers.crm.subprocessor_list_url is None
    assert store.set_answer_with_prefill(assessment.id, "crm.vendor", "zoho").answers.crm.vendor_country == "IN"


def test_another_answer_or_the_same_vendor_again_prefills_nothing(store, assessment):
    assert store.set_answer_with_prefill(assessment.id, "security.mfa_enforced", "no").prefilled == {}
    store.set_answer_with_prefill(assessment.id, "crm.vendor", "hubspot")
    count = len(store.events(assessment.id))
    assert store.set_answer_with_prefill(assessment.id, "crm.vendor", "hubspot").prefilled == {}
    assert len(store.events(assessment.id)) == count


def test_plain_set_answer_never_prefills(store, assessment):
    store.set_answer(assessment.id, "crm.vendor", "hubspot")
    assert store.assessment(assessment.id).answers.crm.vendor_country is None


def test_the_scoped_store_prefills_for_its_viewer_only(store, assessment):
    viewer = Viewer(user="ann@example.com", hosted=True, roles={assessment.organisation_id: "client"})
    saved = ScopedStore(store, viewer).set_answer_with_prefill(assessment.id, "crm.vendor", "zoho")
    assert saved.prefilled == vendor_prefill("zoho")
    assert {e.user for e in store.events(assessment.id)} == {"ann@example.com"}
    stranger = ScopedStore(store, Viewer(user="eve@example.com", hosted=True))
    from dpakit.errors import NotFound

    with pytest.raises(NotFound):
        stranger.set_answer_with_prefill(assessment.id, "crm.vendor", "hubspot")
