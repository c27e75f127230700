"""Who may see and change what: single-user on this computer by default, organisations and roles when hosted.

On a local install (the default) there is one user, the person at the keyboard, and they see everything.
When dpakit is hosted (``DPAKIT_HOSTED=1``, or an ``[auth]`` section in Streamlit's secrets — see
``docs/hosting.md``) every user signs in, and what they may do follows from their memberships:

- **consultant** of an organisation: sees and edits it, copies assessments forward, exports, imports,
  deletes it, and assigns its members;
- **client** of an organisation: sees and edits that organisation's assessments only;
- **admin** (an e-mail listed in ``DPAKIT_ADMINS``): sees everything and assigns anyone.

A consultant (of any organisation) or an admin may create organisations, and becomes consultant of what
they create. Nobody else may.

Pages never talk to ``Store`` directly: they get a ``ScopedStore``, which answers every query for the
current ``Viewer`` only. An organisation, assessment or document the viewer may not see is reported as
``NotFound`` — the same answer as for an id that does not exist, so ids cannot be probed — and an action
the viewer's role does not allow raises ``Forbidden``. The scoped store also records who made each change
in the answer log.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Forbidden, NotFound
from ..models import Answers, clean_name
from .store import (
    ROLES,
    ActionState,
    AnswerEvent,
    AnswerSaved,
    Assessment,
    DocumentRecord,
    Membership,
    Organisation,
    OrganisationPage,
    Store,
    normalise_user,
)

HOSTED_ENV = "DPAKIT_HOSTED"
ADMINS_ENV = "DPAKIT_ADMINS"
_TRUE = {"1", "true", "yes", "on"}

__all__ = ["ADMINS_ENV", "HOSTED_ENV", "ROLES", "ScopedStore", "Viewer", "admins_from_env", "hosted_from_env"]


def hosted_from_env(environ: Mapping[str, str] | None = None) -> bool:
    """``DPAKIT_HOSTED`` set to 1/true/yes/on."""
    environ = os.environ if environ is None else environ
    return environ.get(HOSTED_ENV, "").strip().lower() in _TRUE


def admins_from_env(environ: Mapping[str, str] | None = None) -> frozenset[str]:
    """The e-mail addresses in ``DPAKIT_ADMINS`` (comma- or space-separated)."""
    environ = os.environ if environ is None else environ
    raw = environ.get(ADMINS_ENV, "").replace(",", " ").split()
    return frozenset(normalise_user(u) for u in raw if "@" in u)


@dataclass(frozen=True)
class Viewer:
    """The person a page works for: who they are and which organisations they hold which role in."""

    user: str | None
    hosted: bool
    admin: bool = False
    roles: Mapping[str, str] = field(default_factory=dict)  # organisation id -> role

    @classmethod
    def local(cls) -> Viewer:
        """The single user of a local install: sees and may do everything."""
        return cls(user=None, hosted=False)

    @classmethod
    def signed_in(cls, store: Store, user: str, admins: Iterable[str] = ()) -> Viewer:
        """A signed-in user of a hosted install, with the memberships the database gives them."""
        user = normalise_user(user)
        admin = user in {normalise_user(a) for a in admins}
        roles = {m.organisation_id: m.role for m in store.memberships(user=user)}
        return cls(user=user, hosted=True, admin=admin, roles=roles)

    @classmethod
    def nobody(cls) -> Viewer:
        """Hosted, not signed in: sees nothing."""
        return cls(user=None, hosted=True)

    @property
    def sees_everything(self) -> bool:
        return not self.hosted or self.admin

    @property
    def organisation_ids(self) -> list[str] | None:
        """The organisations this viewer may see; ``None`` means all of them."""
        return None if self.sees_everything else sorted(self.roles)

    def role(self, org_id: str) -> str | None:
        if self.sees_everything:
            return "admin" if self.hosted else "local"
        return self.roles.get(org_id)

    def can_see(self, org_id: str) -> bool:
        return self.role(org_id) is not None

    def can_manage(self, org_id: str) -> bool:
        """Copy forward, export, import over, delete, assign members: consultants (and admins, locally: all)."""
        return self.role(org_id) in ("local", "admin", "consultant")

    @property
    def can_create_organisations(self) -> bool:
        return self.sees_everything or "consultant" in self.roles.values()

    @property
    def label(self) -> str:
        if not self.hosted:
            return "single user on this computer"
        if self.user is None:
            return "not signed in"
        return f"{self.user} (admin)" if self.admin else self.user


class ScopedStore:
    """``Store``'s operations, answered for one ``Viewer`` only (see the module docstring).

    Every public method of ``Store`` has a counterpart here (a test checks it), so a page holding a
    ``ScopedStore`` cannot reach an unfiltered query by accident.
    """

    def __init__(self, store: Store, viewer: Viewer):
        self._store = store
        self.viewer = viewer

    @property
    def path(self) -> Path:
        return self._store.path

    def close(self) -> None:
        """Nothing to release: the shared ``Store`` behind this view serves every session, so one
        viewer never closes it (the app's process owns it)."""

    # --- checks --------------------------------------------------------------------------------

    def _see(self, org_id: str, what: str) -> str:
        if not self.viewer.can_see(org_id):
            raise NotFound(f"no {what}")
        return org_id

    def _manage(self, org_id: str, what: str) -> str:
        self._see(org_id, what)
        if not self.viewer.can_manage(org_id):
            raise Forbidden(f"your role in this organisation does not allow this ({what})")
        return org_id

    def _assessment_org(self, assessment_id: str) -> str:
        try:
            org_id = self._store.organisation_of_assessment(assessment_id)
        except NotFound:
            raise NotFound(f"no assessment {assessment_id!r}") from None
        if not self.viewer.can_see(org_id):
            raise NotFound(f"no assessment {assessment_id!r}")
        return org_id

    def _check_assessment(self, assessment_id: str) -> None:
        """``_assessment_org`` for the hot paths; a viewer who sees everything needs no lookup (the store
        itself raises ``NotFound`` for an unknown id, with the same message)."""
        if not self.viewer.sees_everything:
            self._assessment_org(assessment_id)

    def _document_org(self, document_id: str) -> str:
        try:
            org_id = self._store.organisation_of_document(document_id)
        except NotFound:
            raise NotFound(f"no document {document_id!r}") from None
        if not self.viewer.can_see(org_id):
            raise NotFound(f"no document {document_id!r}")
        return org_id

    def _who(self, user: str | None) -> str | None:
        return user if user is not None else self.viewer.user

    # --- organisations -------------------------------------------------------------------------

    def organisations(self, search: str = "", ids: Sequence[str] | None = None) -> list[Organisation]:
        allowed = self.viewer.organisation_ids
        if allowed is not None:
            ids = [i for i in (allowed if ids is None else ids) if i in set(allowed)]
        return self._store.organisations(search, ids)

    def organisation_page(
        self, search: str = "", *, sort: str = "recent", limit: int = 20, ids: Sequence[str] | None = None
    ) -> OrganisationPage:
        allowed = self.viewer.organisation_ids
        if allowed is not None:
            ids = [i for i in (allowed if ids is None else ids) if i in set(allowed)]
        return self._store.organisation_page(search, sort=sort, limit=limit, ids=ids)

    def organisation(self, org_id: str) -> Organisation:
        self._see(org_id, f"organisation {org_id!r}")
        return self._store.organisation(org_id)

    def create_organisation(self, name: str) -> Organisation:
        if not self.viewer.can_create_organisations:
            raise Forbidden("only a consultant may add organisations; ask your consultant")
        org = self._store.create_organisation(clean_name(name))
        if self.viewer.hosted and self.viewer.user:
            self._store.set_membership(self.viewer.user, org.id, "consultant")
            self.viewer = Viewer(self.viewer.user, True, self.viewer.admin, {**self.viewer.roles, org.id: "consultant"})
        return org

    def rename_organisation(self, org_id: str, name: str) -> None:
        self._manage(org_id, f"organisation {org_id!r}")
        self._store.rename_organisation(org_id, clean_name(name))

    def delete_organisation(self, org_id: str) -> None:
        self._manage(org_id, f"organisation {org_id!r}")
        self._store.delete_organisation(org_id)

    # --- memberships ---------------------------------------------------------------------------

    def memberships(self, *, user: str | None = None, org_id: str | None = None) -> list[Membership]:
        if org_id is not None:
            self._manage(org_id, f"organisation {org_id!r}")
            return self._store.memberships(user=user, org_id=org_id)
        allowed = self.viewer.organisation_ids
        found = self._store.memberships(user=user)
        return found if allowed is None else [m for m in found if self.viewer.can_manage(m.organisation_id)]

    def set_membership(self, user: str, org_id: str, role: str) -> Membership:
        self._manage(org_id, f"organisation {org_id!r}")
        return self._store.set_membership(user, org_id, role)

    def remove_membership(self, user: str, org_id: str) -> None:
        self._manage(org_id, f"organisation {org_id!r}")
        self._store.remove_membership(user, org_id)

    def organisation_of_assessment(self, assessment_id: str) -> str:
        return self._assessment_org(assessment_id)

    def organisation_of_document(self, document_id: str) -> str:
        return self._document_org(document_id)

    # --- assessments ---------------------------------------------------------------------------

    def create_assessment(
        self,
        org_id: str,
        answers: Answers | None = None,
        title: str = "",
        source: str = "new",
        copied_from: str | None = None,
        user: str | None = None,
    ) -> Assessment:
        self._see(org_id, f"organisation {org_id!r}")
        if copied_from is not None:
            self._assessment_org(copied_from)
        return self._store.create_assessment(
            org_id, answers, title=clean_name(title), source=source, copied_from=copied_from, user=self._who(user)
        )

    def assessment(self, assessment_id: str) -> Assessment:
        self._check_assessment(assessment_id)
        return self._store.assessment(assessment_id)

    def assessments(self, org_id: str) -> list[Assessment]:
        self._see(org_id, f"organisation {org_id!r}")
        return self._store.assessments(org_id)

    def assessments_of(self, org_ids: Sequence[str]) -> dict[str, list[Assessment]]:
        for org_id in org_ids:
            self._see(org_id, f"organisation {org_id!r}")
        return self._store.assessments_of(org_ids)

    def set_answer(
        self, assessment_id: str, path: str, value: Any, source: str = "wizard", user: str | None = None
    ) -> Answers:
        self._check_assessment(assessment_id)
        return self._store.set_answer(assessment_id, path, value, source=source, user=self._who(user))

    def set_answer_with_prefill(
        self, assessment_id: str, path: str, value: Any, source: str = "wizard", user: str | None = None
    ) -> AnswerSaved:
        self._check_assessment(assessment_id)
        return self._store.set_answer_with_prefill(assessment_id, path, value, source=source, user=self._who(user))

    def set_answers(
        self, assessment_id: str, answers: Answers, source: str = "import", user: str | None = None
    ) -> Answers:
        self._assessment_org(assessment_id)
        return self._store.set_answers(assessment_id, answers, source=source, user=self._who(user))

    def add_agreement(
        self, assessment_id: str, name: str = "", user: str | None = None, *, copy_of: str | None = None
    ) -> str:
        self._check_assessment(assessment_id)
        return self._store.add_agreement(assessment_id, name, user=self._who(user), copy_of=copy_of)

    def copy_agreement(self, assessment_id: str, agreement_id: str, name: str = "", user: str | None = None) -> str:
        self._check_assessment(assessment_id)
        return self._store.copy_agreement(assessment_id, agreement_id, name, user=self._who(user))

    def remove_agreement(self, assessment_id: str, agreement_id: str, user: str | None = None) -> None:
        self._check_assessment(assessment_id)
        self._store.remove_agreement(assessment_id, agreement_id, user=self._who(user))

    def set_section(self, assessment_id: str, section: str) -> None:
        self._check_assessment(assessment_id)
        self._store.set_section(assessment_id, section)

    def update_assessment(self, assessment_id: str, *, title: str | None = None, status: str | None = None) -> None:
        self._assessment_org(assessment_id)
        self._store.update_assessment(assessment_id, title=None if title is None else clean_name(title), status=status)

    def copy_forward(self, assessment_id: str, title: str = "", user: str | None = None) -> Assessment:
        self._manage(self._assessment_org(assessment_id), f"assessment {assessment_id!r}")
        return self._store.copy_forward(assessment_id, title=clean_name(title), user=self._who(user))

    def events(self, assessment_id: str) -> list[AnswerEvent]:
        self._assessment_org(assessment_id)
        return self._store.events(assessment_id)

    # --- documents -----------------------------------------------------------------------------

    def save_document(
        self,
        assessment_id: str,
        kind: str,
        filename: str,
        content: bytes,
        answers: Answers,
        library_version: str,
        options: dict[str, Any] | None = None,
        agreement_id: str | None = None,
    ) -> DocumentRecord:
        self._assessment_org(assessment_id)
        return self._store.save_document(
            assessment_id, kind, filename, content, answers, library_version, options, agreement_id=agreement_id
        )

    def documents(self, assessment_id: str) -> list[DocumentRecord]:
        self._assessment_org(assessment_id)
        return self._store.documents(assessment_id)

    def document(self, document_id: str) -> DocumentRecord:
        self._document_org(document_id)
        return self._store.document(document_id)

    def document_content(self, document_id: str) -> bytes:
        self._document_org(document_id)
        return self._store.document_content(document_id)

    def document_answers(self, document_id: str) -> Answers:
        self._document_org(document_id)
        return self._store.document_answers(document_id)

    # --- action plan ---------------------------------------------------------------------------

    def action_states(self, assessment_id: str) -> dict[str, ActionState]:
        self._assessment_org(assessment_id)
        return self._store.action_states(assessment_id)

    def set_action_state(
        self,
        assessment_id: str,
        action_id: str,
        *,
        owner: str | None = None,
        due_date: str | None = None,
        status: str | None = None,
        notes: str | None = None,
    ) -> ActionState:
        self._assessment_org(assessment_id)
        return self._store.set_action_state(
            assessment_id, action_id, owner=owner, due_date=due_date, status=status, notes=notes
        )

    # --- whole records -------------------------------------------------------------------------

    def export_rows(self, org_id: str) -> dict[str, Any]:
        self._manage(org_id, f"organisation {org_id!r}")
        return self._store.export_rows(org_id)

    @property
    def imports_get_new_ids(self) -> bool:
        """Whether an imported record always gets fresh ids: for every hosted viewer but an admin.

        Keeping an archive's own ids would tell the importer whether those ids exist in an organisation
        they cannot see (the store refuses a clash, naming it), so for them every import is a copy.
        """
        return self.viewer.hosted and not self.viewer.sees_everything

    def import_rows(self, record: dict[str, Any]) -> Organisation:
        return self.import_record(record)[0]

    def import_record(self, record: dict[str, Any], *, copy: bool = False) -> tuple[Organisation, dict[str, str]]:
        """Add a record (``dpakit.workspace.archive.read_record``) for this viewer; also the old id -> new id mapping.

        Under fresh ids when ``copy`` is asked for or ``imports_get_new_ids``; every change-log entry is
        attributed to the importer (the author the record claims is kept in its ``source``).
        """
        from .archive import as_copy, attribute_imported_events

        if not self.viewer.can_create_organisations:
            raise Forbidden("only a consultant may import organisations")
        mapping: dict[str, str] = {}
        if copy or self.imports_get_new_ids:
            record, mapping = as_copy(record, mark_as_copy=copy)
        record = {**record, "answer_events": attribute_imported_events(record["answer_events"], self.viewer.user)}
        org = self._store.import_rows(record)
        if self.viewer.hosted and self.viewer.user:
            self._store.set_membership(self.viewer.user, org.id, "consultant")
            self.viewer = Viewer(self.viewer.user, True, self.viewer.admin, {**self.viewer.roles, org.id: "consultant"})
        return org, mapping
