"""The DPA's annexes, from the answers: parties (I), the processing (II), security measures (III), sub-processors (IV).

Pure functions over ``Answers``. The wording is ours and is content, in ``dpakit/data/annexes.toml``
(format: ``dpakit/data/README.md``, "Annexes"), validated when first used: how each answer value reads in the
contract (not the question labels, which speak to the person answering, not to the lawyer reading the
contract), the fixed sentences of Annex III, and the security measures, each naming its answer path once,
the requirements it serves and when its wording was last reviewed. Three rules:

* **Annex III lists only measures confirmed to be in place** (answer ``"yes"``). Every other measure —
  answered "no", "not sure" or not at all — is returned in ``missing_measures`` for the user to act on,
  and is never written into the document as if present.
* Missing facts are shown as bracketed gaps (``"[to be completed: …]"``) that a reviewer cannot miss,
  never invented.
* **Nothing is left out silently.** ``annex_iii_comment`` is the reviewer comment on Annex III: each measure
  left out, with the question and the answer that left it out ("No", "Not sure" or not answered, each said as
  such); ``security_basis_lines`` gives the clauses named in ``annex_iii.explained_in`` (the security clause)
  how many measures Annex III states and which, pointing to the Annex III comment for those left out. Both word
  answers through ``dpakit.explain``, as the app's "why" does, and print an answer as its option label
  ("Not sure"), never as the stored value.
"""

from __future__ import annotations

import datetime
import functools
import string
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..content import DATA_DIR, display_path, read_toml, validate_item
from ..errors import ContentError, InputError
from ..jurisdictions import country_name
from ..models import NOT_SURE, Answers, field_paths
from .before_you_sign import Conditions, answer_words

GAP = "[to be completed: {}]"


def gap(what: str) -> str:
    return GAP.format(what)


def words(items: Iterable[str]) -> str:
    """``["a", "b", "c"]`` → ``"a, b and c"``."""
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def one_line(text: str | None) -> str:
    """A multi-line address as one line."""
    if not text:
        return ""
    return ", ".join(part.strip() for part in text.splitlines() if part.strip())


def place(code: str | None) -> str:
    if not code:
        return ""
    try:
        return country_name(code)
    except InputError:  # an unknown code is shown as given rather than failing the draft
        return code


_WITH_ARTICLE = (
    "United ",
    "Netherlands",
    "Czech Republic",
    "Philippines",
    "Bahamas",
    "Gambia",
    "Maldives",
    "Central African Republic",
    "Dominican Republic",
    "Holy See",
    "Isle of Man",
)


def law_of(code: str | None) -> str:
    """A country as it follows "the law of" / "the courts of" in a clause.

    Adds "the" where English needs it ("the United Kingdom"); for the United States, whose contract law
    is state law, leaves the state as a visible gap; for the United Kingdom, names England and Wales.
    """
    if not code:
        return ""
    if code == "US":
        return "the State of [to be completed: which US state], United States"
    if code == "GB":  # three legal systems; England and Wales is the usual commercial choice
        return "England and Wales"
    name = place(code)
    return f"the {name}" if name.startswith(_WITH_ARTICLE) else name


# --- the wording, read from dpakit/data/annexes.toml ---------------------------------------------------

ANNEXES_FILE = DATA_DIR / "annexes.toml"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Wording(_Frozen):
    """How the values of one answer field read in the DPA: ``field`` is the answer path, named once."""

    field: str = Field(min_length=1)
    values: dict[str, str] = Field(min_length=1)


class Measure(_Frozen):
    """A security measure of Annex III: the answer field that confirms it (named once), its area, the
    sentence written into Annex III when the answer is "yes", a short name for lists and comments, the
    requirement ids it serves and the date its wording was last reviewed."""

    field: str = Field(min_length=1)
    area: str = Field(min_length=1)
    text: str = Field(min_length=1)
    short: str = Field(min_length=1)
    requirements: tuple[str, ...] = Field(min_length=1)
    last_reviewed: datetime.date


def _check_names(value: str, allowed: tuple[str, ...], where: str) -> None:
    """A sentence may use only the ``{name}``s allowed for it, plainly: no other brace, no attribute or index
    access (``{crm.__class__}``), no format or conversion. Filled with ``str.format``, so a user's value
    inserted for a name is never read as a format string itself."""
    try:
        fields = [(name, spec or conv) for _, name, spec, conv in string.Formatter().parse(value) if name is not None]
    except ValueError as exc:  # an unmatched brace
        raise ValueError(f"{where}: {exc}; braces may only surround {list(allowed) or 'nothing'}") from None
    unknown = sorted({name for name, _ in fields} - set(allowed))
    if unknown:
        raise ValueError(f"{where}: unknown name(s) {unknown}; this sentence may use only {list(allowed) or 'none'}")
    if any(spec for _, spec in fields):
        raise ValueError(f"{where}: write {{name}} without a format or conversion")


class _Sentences(_Frozen):
    """Fixed sentences of one Annex. ``NAMES`` gives the ``{name}``s each may use; any other is refused."""

    NAMES: ClassVar[dict[str, tuple[str, ...]]] = {}

    @model_validator(mode="after")
    def _known_names(self) -> Self:
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, str):
                _check_names(value, self.NAMES.get(name, ()), name)
        return self


class AnnexI(_Sentences):
    """Annex I (parties): what each party does, and what is printed where a party's detail is not known."""

    NAMES: ClassVar[dict[str, tuple[str, ...]]] = {
        "controller_activities": ("crm",),
        "processor_activities": ("services",),
    }

    controller_activities: str
    processor_activities: str
    processor_activities_unstated: str


class AnnexII(_Sentences):
    """Annex II (description of the processing): the sentences around the answers."""

    NAMES: ClassVar[dict[str, tuple[str, ...]]] = {
        "subject_matter": ("services",),
        "nature": ("crm",),
        "location": ("crm", "hosting"),
        "location_access": ("countries",),
        "places": ("countries",),
        "access": ("access",),
        "scope_unconfirmed": ("answer",),
        "retention_unconfirmed": ("answer",),
    }

    subject_matter: str
    subject_matter_unstated: str
    nature: str
    no_sensitive_data: str
    safeguards_not_applicable: str
    frequency_one_off: str
    frequency_continuous: str
    location: str
    location_access: str
    hosting_unstated: str
    crm_unstated: str
    places: str
    places_unstated: str
    access: str
    scope_confirmed: str
    scope_unconfirmed: str
    retention_unconfirmed: str


class AnnexIII(_Sentences):
    """The fixed wording of Annex III; ``explained_in`` lists the clauses whose reviewer comment names the
    answers Annex III rests on."""

    NAMES: ClassVar[dict[str, tuple[str, ...]]] = {
        "intro_processor": ("crm",),
        "intro_controller": ("crm",),
        "certification": ("certifications",),
        "unconfirmed": ("measure", "answer"),
        "not_in_place": ("measure", "answer"),
    }

    intro_processor: str
    intro_controller: str
    note: str
    note_confirmed: str
    unconfirmed: str
    not_in_place: str
    certification_area: str
    certification: str
    explained_in: tuple[str, ...] = ()
    requirements: tuple[str, ...] = Field(min_length=1)
    last_reviewed: datetime.date


class AnnexIV(_Sentences):
    """Annex IV (sub-processors): the sentence before the list."""

    NAMES: ClassVar[dict[str, tuple[str, ...]]] = {"published_list": ("url",)}

    processor_lists: str
    processor_none: str
    controller: str
    controller_lists: str
    published_list: str


_WORDINGS = (
    "subjects",
    "data",
    "special",
    "purposes",
    "duration",
    "hosting",
    "certifications",
    "vendors",
    "access",
    "retention",
)


class AnnexContent(_Frozen):
    """Everything in ``dpakit/data/annexes.toml``."""

    annex_i: AnnexI
    annex_ii: AnnexII
    annex_iii: AnnexIII
    annex_iv: AnnexIV
    wording: dict[str, Wording]
    measure: tuple[Measure, ...] = Field(min_length=1)

    @field_validator("wording")
    @classmethod
    def _every_wording(cls, value: dict[str, Wording]) -> dict[str, Wording]:
        missing, unknown = sorted(set(_WORDINGS) - set(value)), sorted(set(value) - set(_WORDINGS))
        if missing or unknown:
            raise ValueError(f"expected the tables {list(_WORDINGS)}; missing {missing}, unknown {unknown}")
        return value

    @field_validator("measure")
    @classmethod
    def _one_measure_per_field(cls, value: tuple[Measure, ...]) -> tuple[Measure, ...]:
        fields = [m.field for m in value]
        repeated = sorted({f for f in fields if fields.count(f) > 1})
        if repeated:
            raise ValueError(f"more than one measure for {repeated}")
        return value

    def words_for(self, name: str) -> dict[str, str]:
        return self.wording[name].values


def load_annex_content(path: Path = ANNEXES_FILE) -> AnnexContent:
    """Read and validate the Annex wording; every answer path it names must exist in ``Answers``.

    Cached for the packaged file. Any problem is a ``ContentError`` naming the file (and the measure).
    """
    if Path(path) == ANNEXES_FILE:
        return _default_content()
    return _load(Path(path))


@functools.lru_cache(maxsize=1)
def _default_content() -> AnnexContent:
    return _load(ANNEXES_FILE)


def _load(path: Path) -> AnnexContent:
    file = display_path(path)
    content = validate_item(AnnexContent, read_toml(path), file)
    known = set(field_paths())
    named = [(w.field, f"wording.{name}") for name, w in content.wording.items()]
    named += [(m.field, m.field) for m in content.measure]
    for field_path, item in named:
        if field_path not in known:
            raise ContentError(file, f"no answer field {field_path!r} (see `python -m dpakit schema`)", item)
    return content


def measures() -> tuple[Measure, ...]:
    """The measures of Annex III, in document order."""
    return load_annex_content().measure


def _words(name: str) -> dict[str, str]:
    return load_annex_content().words_for(name)


@dataclass(frozen=True)
class MeasureRow:
    area: str
    measure: str


@dataclass(frozen=True)
class MissingMeasure:
    """A measure not confirmed to be in place: not in Annex III, reported to the user instead."""

    field: str
    measure: str
    answer: str  # "no", "not_confirmed" or "not answered"

    def sentence(self) -> str:
        state = {
            "no": "answered “no”",
            "not_sure": "answered “not sure”",
            "not_confirmed": "not yet confirmed by the Processor",
        }.get(self.answer, "not answered")
        return (
            f"The Processor confirms that {self.measure} ({self.field}: {state}) — shown in Annex III as a "
            "condition to settle before signature."
        )


def measures_in_place(answers: Answers, record: Conditions | None = None) -> list[MeasureRow]:
    """Annex III rows, one per area (measures on separate lines): each of the Processor's own measures
    (``agreement.processor_*``) answered "yes" as its measure, every other one as a visible bracketed condition
    naming the answer (recorded in ``record``); then the certifications the Processor itself holds."""
    annex = load_annex_content().annex_iii
    by_area: dict[str, list[str]] = {}
    for m in measures():
        value = answers.get(m.field)
        if value == "yes":
            text = m.text
        else:
            template = annex.not_in_place if value == "no" else annex.unconfirmed
            text = template.format(measure=m.short, answer=answer_words(value))
            if record is not None:
                record.add(text, m.field, value)
        by_area.setdefault(m.area, []).append(text)
    rows = [MeasureRow(area, "\n".join(texts)) for area, texts in by_area.items()]
    held = certifications_held(answers)
    if held:
        rows.append(MeasureRow(annex.certification_area, annex.certification.format(certifications=words(held))))
    return rows


def certifications_held(answers: Answers) -> list[str]:
    """The certifications the Processor itself holds (``agreement.processor_certifications``), in our wording;
    ``"not_sure"`` and unknown values are not, and the CRM vendor's are never credited to the Processor."""
    names = _words("certifications")
    return [names[c] for c in (answers.agreement.processor_certifications or []) if c in names]


def missing_measures(answers: Answers) -> list[MissingMeasure]:
    """Every measure of the Processor's not confirmed (answered "no", "not confirmed" or not at all), in a
    fixed order: Annex III shows each as a condition to settle before signature."""
    missing = []
    for m in measures():
        value = answers.get(m.field)
        if value != "yes":
            missing.append(
                MissingMeasure(m.field, m.short, value if value in ("no", "not_confirmed") else "not answered")
            )
    return missing


def measures_intro(answers: Answers) -> str:
    annex = load_annex_content().annex_iii
    if answers.agreement.our_role == "processor":
        return annex.intro_processor.format(crm=crm_name(answers))
    return annex.intro_controller.format(crm=crm_name(answers))


def measures_note(answers: Answers | None = None) -> str:
    """The note under Annex III: what a bracketed measure means, or that every measure is confirmed."""
    annex = load_annex_content().annex_iii
    if answers is not None and not missing_measures(answers):
        return annex.note_confirmed
    return annex.note


# --- why each measure is in or out: the reviewer comments ------------------------------------------------

ANNEX_III_HEADING = "Annex III — Technical and organisational measures"
"""The heading the Annex III reviewer comment is anchored on (``templates/build_templates.py`` writes it)."""


@dataclass(frozen=True)
class MeasureBasis:
    """One measure and the answer that decides it, in words (``explain``'s ``Reason``, so it reads as the
    app's "why" does). ``value`` is the raw answer; ``in_annex`` says whether Annex III states it."""

    measure: Measure
    value: object
    label: str
    value_text: str

    @property
    def in_annex(self) -> bool:
        return self.value == "yes"

    @property
    def answer_code(self) -> str:
        """The answer field and the answer as its option label, for the reviewer who checks it:
        ``security.mfa_enforced = Not sure`` (never the stored value ``not_sure``)."""
        if self.value in (None, "", []):
            return f"{self.measure.field}: not answered"
        return f"{self.measure.field} = {self.value_text}"

    def left_out(self) -> str:
        """Why Annex III shows the measure as a condition, not as the Processor's measure, in plain words;
        "no", "not yet confirmed" and blank are said as such."""
        if self.value == "no":
            why = f"the questionnaire answers “No” to “{self.label}”"
        elif self.value in (NOT_SURE, "not_confirmed"):
            why = f"the questionnaire answers “{self.value_text}” to “{self.label}”, so it is not confirmed"
        elif self.value in (None, "", []):
            why = f"“{self.label}” is not answered yet, so it is not confirmed"
        else:
            why = f"the questionnaire answers “{self.value_text}” to “{self.label}”, not “Yes”"
        return f"A condition, not a measure: {self.measure.short} — {why} ({self.answer_code})."

    def kept(self) -> str:
        return f"In Annex III: {self.measure.short} — the questionnaire answers “Yes” to “{self.label}” ({self.answer_code})."


def _reasons(pairs: list[tuple[str, object]]) -> list[tuple[str, str]]:
    """``(label, value in words)`` for answer fields: the verdict of "is it yes?" put through
    ``dpakit.explain``, so the comment words an answer as the app's "why" and the clause comments do."""
    from ..conditions import evaluate, parse_condition
    from ..explain import explain

    out = []
    for field_path, value in pairs:
        verdict = evaluate(parse_condition({"op": "eq", "field": field_path, "value": "yes"}), {field_path: value})
        reason = explain(verdict)[0]
        out.append((reason.label, reason.value_text))
    return out


def measure_basis(answers: Answers) -> list[MeasureBasis]:
    """Every measure with the answer that puts it in Annex III or leaves it out, in document order."""
    items = measures()
    values = [answers.get(m.field) for m in items]
    reasons = _reasons([(m.field, v) for m, v in zip(items, values, strict=True)])
    return [MeasureBasis(m, v, label, text) for m, v, (label, text) in zip(items, values, reasons, strict=True)]


def _certification_line(answers: Answers) -> str:
    field_path = _wording_field("certifications")
    value = answers.agreement.processor_certifications or []
    [(label, text)] = _reasons([(field_path, value)])
    held = certifications_held(answers)
    if held:
        return f"In Annex III: certifications ({words(held)}) — the questionnaire answers “{text}” to “{label}” ({field_path})."
    if NOT_SURE in value:
        return (
            f"Left out: certifications — the questionnaire answers “Not sure” to “{label}”, "
            f"so none is stated ({field_path} = {text})."
        )
    if not value:
        return (
            f"Left out: certifications — “{label}” is not answered yet, so none is stated ({field_path}: not answered)."
        )
    return f"Left out: certifications — the questionnaire answers “{text}” to “{label}” ({field_path} = {text})."


def _wording_field(name: str) -> str:
    return load_annex_content().wording[name].field


def annex_iii_comment(answers: Answers) -> str:
    """The reviewer comment on Annex III: each measure left out and the answer that left it out, then the
    measures stated, the requirements served and where the wording comes from."""
    from ..requirements import load_catalogue

    content = load_annex_content()
    basis = measure_basis(answers)
    left_out = [b.left_out() for b in basis if not b.in_annex]
    kept = [b.kept() for b in basis if b.in_annex]
    cert = _certification_line(answers)
    (kept if cert.startswith("In Annex III") else left_out).append(cert.replace("Left out:", "Not stated:"))
    lines = [
        "Why Annex III reads as it does: it states the Processor's own measures in this relationship, each as "
        "the Processor's measure only where the questionnaire confirms it (answered “Yes”). An answer of “No”, "
        "“Not yet confirmed” or no answer is written as a bracketed condition to settle before signature, never "
        "as if in place; certifications are the Processor's own, never the CRM vendor's."
    ]
    lines.extend(f"• {line}" for line in left_out)
    lines.extend(f"• {line}" for line in kept)
    if left_out:
        lines.append(
            "If a measure shown as a condition is in fact in place, correct the answer in the questionnaire and "
            "draft again rather than editing this Annex by hand."
        )
    else:
        lines.append("Nothing is outstanding: every measure dpakit asks about is confirmed.")
    lines.append("Requirements served:")
    catalogue = load_catalogue()
    for req_id in content.annex_iii.requirements:
        try:
            req = catalogue.get(req_id)
            lines.append(f"• {req_id} — {req.title} ({req.citation})")
        except KeyError:
            lines.append(f"• {req_id}")
    reviewed = max([content.annex_iii.last_reviewed, *(m.last_reviewed for m in content.measure)])
    lines.append(f"Wording: dpakit/data/annexes.toml, last reviewed {reviewed.isoformat()}.")
    return "\n".join(lines)


def security_basis_lines(answers: Answers) -> list[str]:
    """For the comment of a clause in ``annex_iii.explained_in``: what the clause rests on through Annex III.

    One summary line (how many of the measures asked about Annex III states; the measures left out, and why,
    are in the Annex III comment only, so the reviewer does not read the same list twice), then one line for
    each measure stated, and for the certifications if any is stated.
    """
    basis = measure_basis(answers)
    stated = [b for b in basis if b.in_annex]
    count = f"{len(stated)} of the {len(basis)}" if stated else f"none of the {len(basis)}"
    lines = [
        f"What it rests on: Annex III, which states {count} measures of the Processor's the questionnaire asks "
        "about; each one shown as a condition instead, and why, is in the comment on Annex III."
    ]
    lines.extend(f"• {sentence_case(b.measure.short)} — {b.value_text} ({b.measure.field})" for b in stated)
    held = certifications_held(answers)
    if held:
        lines.append(f"• Certifications: {words(held)} ({_wording_field('certifications')})")
    return lines


def explains_annex_iii(clause_id: str) -> bool:
    """Whether a clause's reviewer comment names the answers Annex III rests on (``annex_iii.explained_in``)."""
    return clause_id in load_annex_content().annex_iii.explained_in


# --- Annex II ---------------------------------------------------------------------------------------


def crm_name(answers: Answers) -> str:
    vendor = answers.crm.vendor
    unstated = load_annex_content().annex_ii.crm_unstated
    if vendor == "other":
        return answers.crm.vendor_other_name or unstated
    return _words("vendors").get(vendor or "", "") or unstated


def data_subjects(answers: Answers) -> str:
    """The agreement's own categories of data subjects (``agreement.scope_subject_categories``)."""
    values = answers.agreement.scope_subject_categories or []
    subjects = _words("subjects")
    return words(subjects[v] for v in values) if values else gap("categories of data subjects")


def data_categories(answers: Answers) -> str:
    values = answers.agreement.scope_data_categories or []
    data = _words("data")
    return words(data[v] for v in values) if values else gap("categories of personal data")


def special_categories(answers: Answers) -> str:
    agreement = answers.agreement
    values = agreement.scope_special_categories or []
    extra = [v for v in (agreement.scope_data_categories or []) if v == "criminal"]
    special, data = _words("special"), _words("data")
    text = words([*(special[v] for v in values), *(data[v] for v in extra)])
    return text if text else load_annex_content().annex_ii.no_sensitive_data


def safeguards(answers: Answers) -> str:
    annex = load_annex_content().annex_ii
    if special_categories(answers) == annex.no_sensitive_data:
        return annex.safeguards_not_applicable
    given = answers.data.special_category_safeguards
    return given if given else gap("the restrictions and safeguards applied to sensitive data")


def purposes(answers: Answers) -> str:
    values = answers.agreement.scope_purposes or []
    purposes_ = _words("purposes")
    return words(purposes_[v] for v in values) if values else gap("purposes of the processing")


def scope_status(answers: Answers, record: Conditions | None = None) -> str:
    """Whether the parties confirmed that Annex II is this Processor's own processing
    (``agreement.scope_confirmed``): a sentence when "yes", else a visible condition naming the answer."""
    annex = load_annex_content().annex_ii
    value = answers.agreement.scope_confirmed
    if value == "yes":
        return annex.scope_confirmed
    if value == "no":  # a version-1 assessment: the scope was copied from the whole organisation
        answer = "the questionnaire says the scope was copied from the whole organisation and is not yet narrowed"
    else:
        answer = answer_words(value)
    text = annex.scope_unconfirmed.format(answer=answer)
    if record is not None:
        record.add(text, "agreement.scope_confirmed", value)
    return text


def retention(answers: Answers, record: Conditions | None = None) -> str:
    """How long the Processor keeps the Personal Data (``agreement.retention``, ``agreement.retention_period``)."""
    annex = load_annex_content().annex_ii
    agreement = answers.agreement
    if agreement.retention == "during_service":
        return _words("retention")["during_service"]
    if agreement.retention == "fixed_period" and agreement.retention_period:
        return f"{_words('retention')['fixed_period']} {agreement.retention_period}"
    path = "agreement.retention_period" if agreement.retention == "fixed_period" else "agreement.retention"
    value = agreement.retention_period if agreement.retention == "fixed_period" else agreement.retention
    text = annex.retention_unconfirmed.format(answer=answer_words(value))
    if record is not None:
        record.add(text, path, value)
    return text


def duration(answers: Answers) -> str:
    value = answers.agreement.duration
    return _words("duration")[value] if value else gap("duration of the processing")


def hosting(answers: Answers) -> str:
    region = answers.crm.hosting_region
    return _words("hosting")[region] if region else load_annex_content().annex_ii.hosting_unstated


def location(answers: Answers) -> str:
    """Where the Processor processes the Personal Data and is reached from (``agreement.processes_in``,
    ``agreement.accessed_from``; else its own country), never the organisation's other places."""
    annex = load_annex_content().annex_ii
    agreement = answers.agreement
    places = [place(c) for c in agreement.processes_in or []]  # (a gap otherwise: agreement.processes_in)
    if not places and agreement.counterparty_country and agreement.our_role != "processor":
        places = [place(agreement.counterparty_country)]
    if agreement.our_role == "processor" and not places:
        places = [place(answers.organisation.country)] if answers.organisation.country else []
    text = annex.places.format(countries=words(places)) if places else annex.places_unstated
    access = [place(c) for c in agreement.accessed_from or [] if place(c) not in places]
    if access:
        text += annex.location_access.format(countries=words(access))
    return text


def access(answers: Answers) -> str:
    """How the Processor reaches the data (``agreement.access``), as a sentence added to the nature row."""
    values = answers.agreement.access or []
    if not values:
        return ""
    wording = _words("access")
    return load_annex_content().annex_ii.access.format(access=words(wording[v] for v in values))


def frequency(answers: Answers) -> str:
    annex = load_annex_content().annex_ii
    return annex.frequency_one_off if answers.agreement.duration == "one_off" else annex.frequency_continuous


@dataclass(frozen=True)
class Processing:
    data_subjects: str
    data_categories: str
    sensitive: str
    safeguards: str
    subject_matter: str
    nature: str
    purposes: str
    duration: str
    retention: str
    frequency: str
    location: str
    scope: str = ""


def processing(answers: Answers, record: Conditions | None = None) -> Processing:
    """Annex II from the agreement in focus only: its scope, access, places and retention."""
    annex = load_annex_content().annex_ii
    services = answers.agreement.services
    return Processing(
        data_subjects=data_subjects(answers),
        data_categories=data_categories(answers),
        sensitive=special_categories(answers),
        safeguards=safeguards(answers),
        subject_matter=(annex.subject_matter.format(services=services) if services else annex.subject_matter_unstated),
        nature=annex.nature.format(crm=crm_name(answers)) + access(answers),
        purposes=purposes(answers),
        duration=sentence_case(duration(answers)) if answers.agreement.duration else duration(answers),
        retention=retention(answers, record),
        frequency=frequency(answers),
        location=location(answers),
        scope=scope_status(answers, record),
    )


# --- Annex IV -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubprocessorRow:
    name: str
    service: str
    country: str
    address: str


def subprocessors(answers: Answers) -> list[SubprocessorRow]:
    """The Processor's sub-processors in this relationship (``agreement.subprocessors``): ours when we are the
    processor, the counterparty's when we are the controller — never the organisation's own other vendors."""
    counterparty = (answers.agreement.counterparty_name or "").casefold()
    return [
        SubprocessorRow(
            p.name,
            p.service or gap("processing carried out"),
            place(p.country) or gap("location"),
            p.address or gap("address"),
        )
        for p in answers.agreement.subprocessors or []
        if p.name.casefold() != counterparty
    ]


def subprocessors_intro(answers: Answers) -> str:
    annex = load_annex_content().annex_iv
    listed = bool(subprocessors(answers))
    if answers.agreement.our_role == "processor":
        return annex.processor_lists if listed else annex.processor_none
    if listed:
        text = annex.controller_lists
    elif answers.agreement.subprocessors == []:  # answered: the Processor engages none
        text = annex.processor_none
    else:
        text = annex.controller
    if answers.crm.subprocessor_list_url and counterparty_is_crm_vendor(answers):
        text += " " + annex.published_list.format(url=answers.crm.subprocessor_list_url)
    return text


def party_activities(answers: Answers, role: str) -> str:
    """Annex I: what the controller or the processor does in the processing."""
    annex = load_annex_content().annex_i
    if role == "controller":
        return annex.controller_activities.format(crm=crm_name(answers))
    services = answers.agreement.services
    return annex.processor_activities.format(services=services) if services else annex.processor_activities_unstated


def counterparty_is_crm_vendor(answers: Answers) -> bool:
    """Whether the other party to this agreement is the organisation's own CRM vendor."""
    name = (answers.agreement.counterparty_name or "").casefold()
    vendor = crm_name(answers).casefold()
    return bool(name) and vendor.split()[0] in name


__all__ = [
    "ANNEXES_FILE",
    "ANNEX_III_HEADING",
    "AnnexContent",
    "AnnexI",
    "AnnexII",
    "AnnexIII",
    "AnnexIV",
    "Measure",
    "MeasureBasis",
    "MeasureRow",
    "MissingMeasure",
    "Processing",
    "SubprocessorRow",
    "Wording",
    "annex_iii_comment",
    "certifications_held",
    "counterparty_is_crm_vendor",
    "crm_name",
    "explains_annex_iii",
    "gap",
    "hosting",
    "law_of",
    "load_annex_content",
    "measure_basis",
    "measures",
    "measures_in_place",
    "measures_intro",
    "measures_note",
    "missing_measures",
    "one_line",
    "party_activities",
    "place",
    "processing",
    "scope_status",
    "security_basis_lines",
    "subprocessors",
    "subprocessors_intro",
    "words",
]
