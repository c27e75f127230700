"""The requirements catalogue: what each privacy regime asks of a CRM user and of its DPA.

The catalogue is data (``dpakit/data/requirements/*.toml``), one file per regime or area, and a
source register (``sources.toml``). Every entry is our paraphrase of the law with a citation, the
source it was checked against and a verification status:

    V  checked against the official text (or a faithful copy)
    S  supported only by reputable secondary sources
    U  unverified; treat as advisory only

Where the reference gives a mixed status, ``status`` holds the single letter a rule engine should
use and ``status_note`` keeps the detail: "S (date)" becomes S with a note; "S/U" becomes U (the
weaker), unless the reference names the letter for that row (e.g. "IN S; KY, RI U").

Regime codes and their names come from ``regimes.toml`` (``REGIME_NAMES``). A file may start with a ``[defaults]`` table (``regimes``, ``source``, ``roles``, ``last_reviewed``)
that every ``[[requirement]]`` in it inherits unless it sets its own value. A requirement without a
``url`` gets the URL of its source.

Kinds:
    dpa_term       a term the DPA itself must contain (a mandatory DPA term); needs ``ask_for``
    obligation     a legal duty of the organisation
    good_practice  not required by law, but expected
    reference      a fact used in reasoning (deadlines, fines, definitions, adequacy, SCC options)
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .content import DATA_DIR, display_path, ensure_unique, read_toml, toml_files, validate_item
from .errors import ContentError

REQUIREMENTS_DIR = DATA_DIR / "requirements"
SOURCES_FILE_NAME = "sources.toml"

REGIMES_FILE = DATA_DIR / "regimes.toml"


class _RegimeName(BaseModel):
    """The code and name of a regime in ``regimes.toml`` (the rest of the entry is read by ``regimes.py``)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    includes: tuple[_RegimeName, ...] = ()


@functools.cache
def regime_names(path: Path = REGIMES_FILE) -> dict[str, str]:
    """Regime code → display name, in file order, each regime followed by the laws it ``includes``.

    Read from ``regimes.toml`` here rather than through ``regimes.py``, which sits on a floor above.
    """
    file = display_path(path)
    raw = read_toml(path).get("regime")
    if not isinstance(raw, list) or not raw:
        raise ContentError(file, "expected [[regime]] entries")
    names: dict[str, str] = {}
    for index, entry in enumerate(raw, start=1):
        item = str(entry.get("code") or f"regime #{index}") if isinstance(entry, dict) else f"regime #{index}"
        regime = validate_item(_RegimeName, entry, file, item)
        for code, name in ((regime.code, regime.name), *((i.code, i.name) for i in regime.includes)):
            if code in names:
                raise ContentError(file, "duplicate regime code", code)
            names[code] = name
    return names


class _RegimeNames(Mapping[str, str]):
    """Regime code → display name (``regime_names()``), read from ``regimes.toml`` when first used."""

    def __getitem__(self, code: str) -> str:
        return regime_names()[code]

    def __iter__(self) -> Iterator[str]:
        return iter(regime_names())

    def __len__(self) -> int:
        return len(regime_names())

    def __repr__(self) -> str:
        return f"REGIME_NAMES({regime_names()!r})"


REGIME_NAMES: Mapping[str, str] = _RegimeNames()
"""Every regime code the catalogue, rules and clauses may use, with its display name (``data/regimes.toml``)."""

Kind = Literal["dpa_term", "obligation", "good_practice", "reference"]
Status = Literal["V", "S", "U"]
Role = Literal["controller", "processor"]

_ID = re.compile(r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$")


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Frozen):
    """One entry of the source register; requirements cite it by ``code``."""

    code: str = Field(pattern=r"^SRC-[A-Z0-9-]+$")
    title: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://")
    alt_url: str | None = Field(default=None, pattern=r"^https?://")
    note: str | None = None


DeadlineTopic = Literal["requests", "breach", "opt_out", "other"]
"""What a deadline card is about; ``deadlines.TOPICS`` gives each its heading."""


class Deadline(_Frozen):
    """A time limit. Calendar ``days`` unless ``business_days``; ``clock`` says when it starts and for what.

    A law that sets no number ("without undue delay") gives the period ``in_words`` instead. ``topic`` groups
    the deadline cards; ``card = false`` keeps a row that is not the organisation's own clock (a consumer's
    cure period before suing) off the cards.
    """

    months: int | None = Field(default=None, gt=0)
    days: int | None = Field(default=None, gt=0)
    business_days: int | None = Field(default=None, gt=0)
    hours: int | None = Field(default=None, gt=0)
    in_words: str | None = Field(default=None, min_length=1)
    extension_months: int | None = Field(default=None, gt=0)
    extension_days: int | None = Field(default=None, gt=0)
    clock: str = Field(min_length=1)
    topic: DeadlineTopic = "other"
    card: bool = True

    @model_validator(mode="after")
    def _has_a_period(self) -> Deadline:
        numbered = any((self.months, self.days, self.business_days, self.hours))
        if not numbered and not self.in_words:
            raise ValueError("a deadline needs months, days, business_days, hours or in_words")
        if numbered and self.in_words:
            raise ValueError("a deadline has a number (months, days, business_days, hours) or in_words, not both")
        return self


class Requirement(_Frozen):
    """One row of the catalogue."""

    id: str
    regimes: tuple[str, ...] = Field(min_length=1)
    kind: Kind
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    citation: str = Field(min_length=1)
    source: str
    url: str = Field(pattern=r"^https?://")
    status: Status
    status_note: str | None = None
    last_reviewed: datetime.date
    related: tuple[str, ...] = ()
    deadline: Deadline | None = None
    roles: tuple[Role, ...] = ()
    when: dict[str, Any] | None = None
    ask_for: str | None = None

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError(f"{value!r} is not an id (letters, digits and single hyphens)")
        return value

    @field_validator("regimes")
    @classmethod
    def _known_regimes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [code for code in value if code not in REGIME_NAMES]
        if unknown:
            raise ValueError(f"unknown regime code(s) {unknown}; known: {sorted(REGIME_NAMES)}")
        if len(set(value)) != len(value):
            raise ValueError("a regime is listed twice")
        return value

    @model_validator(mode="after")
    def _dpa_terms_say_what_to_ask_for(self) -> Requirement:
        if self.kind == "dpa_term" and not (self.ask_for and self.ask_for.strip()):
            raise ValueError("a dpa_term needs ask_for: what to ask a counterparty for if their DPA lacks it")
        if self.kind != "dpa_term" and self.ask_for is not None:
            raise ValueError("ask_for is only for kind dpa_term")
        if self.when is not None and not self.when:
            raise ValueError("when must not be empty; leave it out instead")
        return self


class _FileDefaults(_Frozen):
    regimes: list[str] | None = None
    source: str | None = None
    roles: list[str] | None = None
    last_reviewed: datetime.date | None = None


class _RequirementsFile(_Frozen):
    defaults: dict[str, Any] = {}
    requirement: list[dict[str, Any]] = Field(min_length=1)


class _SourcesFile(_Frozen):
    source: list[dict[str, Any]] = Field(min_length=1)


class Catalogue(_Frozen):
    """All requirements, keyed by id in file order, and the source register."""

    requirements: dict[str, Requirement]
    sources: dict[str, Source]

    def get(self, req_id: str) -> Requirement:
        """The requirement with this id; ``KeyError`` naming the id if there is none."""
        try:
            return self.requirements[req_id]
        except KeyError:
            raise KeyError(f"no requirement with id {req_id!r}") from None

    def __contains__(self, req_id: object) -> bool:
        return req_id in self.requirements

    def __len__(self) -> int:
        return len(self.requirements)

    def ids(self) -> list[str]:
        return list(self.requirements)

    def by_regime(self, code: str) -> list[Requirement]:
        """Requirements that apply under ``code`` (e.g. ``"uk_gdpr"``), in catalogue order."""
        if code not in REGIME_NAMES:
            raise KeyError(f"unknown regime code {code!r}")
        return [req for req in self.requirements.values() if code in req.regimes]

    def mandatory_terms(self, regime: str) -> list[Requirement]:
        """The terms a DPA must contain under ``regime`` (kind ``dpa_term``), including conditional ones."""
        return [req for req in self.by_regime(regime) if req.kind == "dpa_term"]


def load_sources(path: Path) -> dict[str, Source]:
    file = display_path(path)
    raw = validate_item(_SourcesFile, read_toml(path), file)
    sources = [validate_item(Source, item, file, item.get("code")) for item in raw.source]
    ensure_unique(((s.code, file) for s in sources), "source")
    return {s.code: s for s in sources}


def _read_requirements_file(path: Path, sources: dict[str, Source]) -> list[Requirement]:
    file = display_path(path)
    raw = validate_item(_RequirementsFile, read_toml(path), file)
    defaults = validate_item(_FileDefaults, raw.defaults, file, "[defaults]").model_dump(exclude_none=True)
    found = []
    for position, item in enumerate(raw.requirement, start=1):
        name = str(item.get("id") or f"requirement #{position}")
        data = defaults | item
        source = sources.get(data.get("source", ""))
        if "source" in data and source is None:
            raise ContentError(file, f"source {data['source']!r} is not in {SOURCES_FILE_NAME}", name)
        if source is not None:
            data.setdefault("url", source.url)
        found.append(validate_item(Requirement, data, file, name))
    return found


def load_catalogue(folder: Path = REQUIREMENTS_DIR) -> Catalogue:
    """Read and check every requirements file in ``folder``; cached for the packaged folder."""
    if Path(folder) == REQUIREMENTS_DIR:
        return _load_default_catalogue()
    return _load(Path(folder))


@functools.lru_cache(maxsize=1)
def _load_default_catalogue() -> Catalogue:
    return _load(REQUIREMENTS_DIR)


def _load(folder: Path) -> Catalogue:
    sources = load_sources(folder / SOURCES_FILE_NAME)
    pairs: list[tuple[Requirement, str]] = []
    for path in toml_files(folder):
        if path.name == SOURCES_FILE_NAME:
            continue
        pairs.extend((req, display_path(path)) for req in _read_requirements_file(path, sources))
    if not pairs:
        raise ContentError(display_path(folder), "no requirements files found")
    ensure_unique(((req.id, file) for req, file in pairs), "requirement")
    known = {req.id for req, _ in pairs}
    for req, file in pairs:
        missing = [ref for ref in req.related if ref not in known]
        if missing:
            raise ContentError(file, f"related id(s) not in the catalogue: {', '.join(missing)}", req.id)
        if req.id in req.related:
            raise ContentError(file, "a requirement cannot be related to itself", req.id)
    return Catalogue(requirements={req.id: req for req, _ in pairs}, sources=sources)
