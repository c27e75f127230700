"""The one exception tree of dpakit.

Every error a user can cause, or a content author can make, is a ``DpakitError``.
The UI turns it into a message (``ui.show_error``); the command line prints its
one-line ``str()`` and exits with status 2. Nothing else should reach a user.

    DpakitError
    ├── ContentError        a content file (questions, rules, clauses, …) is invalid: names file and item
    ├── InputError          something a user supplied is unusable
    │   ├── AnswersFileError    an answers file to import or validate is bad (not JSON, wrong version, …)
    │   └── DocumentInputError  a document to review is unreadable (encrypted, image-only, empty, huge, …)
    ├── StoreError          the database cannot be used (corrupt, read-only, missing record)
    │   ├── NotFound            no such organisation / assessment / document (or not visible to this user)
    │   └── Forbidden           the signed-in user may not see or change it
    └── DraftingError       a document cannot be drafted
        └── CoverageGap         mandatory requirements of a regime in scope are served by no clause
"""

from __future__ import annotations


class DpakitError(Exception):
    """Base of every error dpakit raises on purpose. ``str(err)`` is a one-line, user-facing reason."""


class ContentError(DpakitError):
    """A content file is invalid. The message names the file and, where known, the item in it."""

    def __init__(self, file: str, message: str, item: str | None = None):
        self.file = file
        self.item = item
        self.detail = message
        where = f"{file}: {item}" if item else file
        super().__init__(f"{where}: {message}")


class InputError(DpakitError):
    """Something a user supplied cannot be used; the message says what to fix."""


class AnswersFileError(InputError):
    """An answers file is not usable (not JSON, wrong schema version, invalid values, too large)."""


class DocumentInputError(InputError):
    """A document given for review cannot be read (wrong type, encrypted, image-only, empty, too large)."""


class StoreError(DpakitError):
    """The database cannot be used as asked."""


class NotFound(StoreError):
    """No such record, or not one the current user may see."""


class Forbidden(StoreError):
    """The current user may not do this."""


class DraftingError(DpakitError):
    """A document cannot be drafted."""


class CoverageGap(DraftingError):
    """Mandatory requirements of a regime in scope are not served by any included clause."""

    def __init__(self, missing: dict[str, list[str]]):
        self.missing = missing
        parts = [f"{regime}: {', '.join(ids)}" for regime, ids in sorted(missing.items())]
        super().__init__("no clause serves these mandatory requirements — " + "; ".join(parts))
