"""Drafting the DPA: clause selection → typed template context → DOCX with a reviewer comment per clause.

    draft = draft_dpa(analysis)                    # Draft(docx, selected, coverage, missing_measures, report)
    draft = draft_dpa(analysis, comments=False)    # the clean copy
    values = placeholder_values(analysis)          # every [[name]] of dpakit.drafting.placeholders → literal text

Order of work, and why:

1. ``select_clauses`` picks the clauses (each with the ``Verdict`` that says why) and numbers them.
2. ``check_coverage`` refuses with ``CoverageGap`` if a mandatory DPA term of a regime in scope is served
   by no included clause — no document is produced with a gap.
3. Clause bodies were parsed (restricted Markdown) when the library was loaded; here each block becomes a
   Word paragraph in the template's own styles, and each ``[[placeholder]]`` run becomes a run holding
   the user's value as literal text (escaped by ``docx_render``; never parsed as Markdown, Jinja or XML).
4. The template ``templates/dpa.docx`` is rendered with a ``DraftContext`` — the typed context; a test
   checks the template uses no variable outside it.
5. A Word comment goes on every clause heading (anchored by a bookmark): why it is included, the
   requirements it serves with citations, its id and version. ``comments=False`` leaves them out.
6. The package is made byte-reproducible: the same answers and library give the same SHA-256.

Numbering: Word numbers the clauses itself (heading and paragraph styles linked to one multilevel list in
the template, see ``templates/build_templates.py``), so numbers survive a lawyer's edits in Word. The
numbers ``select_clauses`` computes are the same by construction (one Heading 1 per selected clause, in
order; schedules restart through their own list instance); a test checks it. They are used in comments
and the report, where Word's numbering cannot reach.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, PlainValidator

from ..answers_file import answers_sha256
from ..content import TEMPLATES_DIR
from ..docx_render import (
    Span,
    add_comments,
    make_reproducible,
    paragraph,
    render_document,
    sha256,
)
from ..errors import DraftingError
from ..requirements import load_catalogue
from . import annexes
from .annexes import MeasureRow, MissingMeasure, Processing, SubprocessorRow, gap, one_line, place, words
from .before_you_sign import NOTHING_OUTSTANDING, Condition, Conditions, answer_words, before_you_sign, condition
from .clauses import SECTIONS, Block, ClauseLibrary, SelectedClause, load_library, select_clauses
from .placeholders import PLACEHOLDERS

DPA_TEMPLATE = TEMPLATES_DIR / "dpa.docx"
SCHEDULE_NUM_IDS = (11, 12, 13, 14)
"""``w:num`` ids in the template's numbering part: the clause list restarted, one per schedule."""

# --- the typed template context -----------------------------------------------------------------------


def _is_markup(value: Any) -> Markup:
    if not isinstance(value, Markup):
        raise ValueError("expected WordprocessingML built by dpakit.docx_render")
    return value


Xml = Annotated[Markup, PlainValidator(_is_markup)]
"""Paragraph XML built by ``docx_render.paragraph`` (values inside already escaped)."""


class _Ctx(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class PartyContext(_Ctx):
    name: str
    address: str
    registration: str
    contact: str
    dpo: str
    role: str
    role_label: str
    activities: str
    annex_suffix: str


@dataclass(frozen=True)
class TransferPartyRow:
    """One row of Annex I's table of transfers (SCC Annex I.A): the instrument, the exporter, the importer."""

    instrument: str
    exporter: str
    importer: str


class DraftContext(_Ctx):
    """Everything ``templates/dpa.docx`` may use. Strings are printed literally by the template."""

    controller: PartyContext
    processor: PartyContext
    main_agreement: str
    effective_date: str
    prepared_by: str
    regimes_text: str
    schedules_text: str
    library_version: str
    dpakit_version: str
    answers_sha256: str
    comments_note: str
    before_you_sign: Xml
    clauses: Xml
    schedules: Xml
    show_authority: bool
    supervisory_authority: str
    processing: Processing
    measures_intro: str
    measures: list[MeasureRow]
    has_measures: bool
    measures_note: str
    subprocessors_intro: str
    subprocessors: list[SubprocessorRow]
    has_subprocessors: bool
    transfer_parties: list[TransferPartyRow]
    has_transfer_parties: bool

    def template_values(self) -> dict[str, Any]:
        """The context as the template sees it (attributes, not a dump: markup must stay markup)."""
        return {name: getattr(self, name) for name in type(self).model_fields}


# --- placeholder values ------------------------------------------------------------------------------

SCC_MODULE_NAMES = {
    1: "Module One (controller to controller)",
    2: "Module Two (controller to processor)",
    3: "Module Three (processor to processor)",
    4: "Module Four (processor to controller)",
}


def _answers(analysis):
    return analysis.answers


TRANSFER_TERMS_LOCAL_LAWS = {
    "transfer.eu_scc": "the EU Standard Contractual Clauses (Clauses 8.5, 14 and 15)",
    "transfer.uk_addendum": "the UK Addendum",
    "transfer.uk_idta": "the UK International Data Transfer Agreement",
}
"""Transfer terms with their own rules on the laws of the country of destination, by the fact that
says they are incorporated: "Mandatory Law" does not limit them (legal-review 2026-12-03)."""


def mandatory_law(regime_codes: Sequence[str], facts: Mapping[str, Any] | None = None) -> str:
    """What "Mandatory Law" means in this DPA: for each law in scope that names one (``mandatory_law`` in
    ``regimes.toml``), the only law that may require the Processor to act beyond the Instructions or keep
    Personal Data (GDPR Art 28(3)(a), (g): Union or Member State law; UK: domestic law); for the laws that
    allow no other (``mandatory_law_exclusive``), a sentence saying so for their data; and, where transfer
    terms with their own local-law rules are incorporated (``facts``), that the definition does not limit them."""
    from ..regimes import load_regimes

    specs = {spec.code: spec for spec in load_regimes()}
    named = [specs[c] for c in regime_codes if c in specs and specs[c].mandatory_law]
    if not named:
        return gap("the law that may require the Processor to act otherwise than on the Instructions")
    if len(named) == 1:
        text = str(named[0].mandatory_law)
    else:
        parts = [
            f"({chr(ord('a') + n)}) for Personal Data to which {spec.statute} applies, {spec.mandatory_law}"
            for n, spec in enumerate(named)
        ]
        text = "the law named here for the Personal Data concerned: " + "; ".join(parts[:-1]) + "; and " + parts[-1]
    exclusive = [spec for spec in named if spec.mandatory_law_exclusive]
    no_other = (
        "no other law, including the law of any other country to which the Processor is subject, is Mandatory Law"
    )
    if exclusive and len(exclusive) == len(named):
        text += f". {no_other[0].upper()}{no_other[1:]}"
    elif exclusive:
        laws = " or ".join(str(spec.statute) for spec in exclusive)
        text += f". For Personal Data to which {laws} applies, {no_other}"
    terms = [name for fact, name in TRANSFER_TERMS_LOCAL_LAWS.items() if (facts or {}).get(fact)]
    if terms:
        text += (
            f". For Personal Data transferred under {words(terms)}, this definition does not limit what those "
            "terms provide on the laws of the country of destination"
        )
    return text


def _parties(answers) -> dict[str, dict[str, str]]:
    org, agr = answers.organisation, answers.agreement
    ours = {
        "name": org.legal_name or gap("our legal name"),
        "address": one_line(org.address) or gap("our registered address"),
        "country": place(org.country) or gap("our country"),
        "registration": org.registration_number or "not stated",
        "contact": _contact(org.privacy_contact_name, org.privacy_contact_email, "our contact person and e-mail"),
        "dpo": (_contact(org.dpo_name, org.dpo_email) if org.has_dpo == "yes" else "None designated"),
    }
    theirs = {
        "name": agr.counterparty_name or gap("the other party's legal name"),
        "address": one_line(agr.counterparty_address) or gap("the other party's registered address"),
        "country": place(agr.counterparty_country) or gap("the other party's country"),
        "registration": "not stated",
        "contact": _contact(
            agr.counterparty_contact_name, agr.counterparty_contact_email, "the other party's contact person and e-mail"
        ),
        "dpo": "Not stated",
    }
    if agr.our_role == "processor":
        return {"controller": theirs, "processor": ours}
    return {"controller": ours, "processor": theirs}


def _contact(name: str | None, email: str | None, what: str = "contact person and e-mail") -> str:
    if name and email:
        return f"{name} ({email})"
    return name or email or gap(what)


def _subprocessor_notice_days(agreement) -> str:
    """Days of notice before a new sub-processor. The questionnaire asks it only for a general authorisation;
    for a specific one the request period is the SCCs' usual 30 days (a choice, not a fact: no condition)."""
    if agreement.subprocessor_notice_days is None and agreement.subprocessor_authorisation == "specific":
        from ..transfers import DEFAULT_NOTICE_DAYS

        return str(DEFAULT_NOTICE_DAYS)
    return _number(agreement.subprocessor_notice_days, "days of notice of a new sub-processor")


def _number(value: int | None, what: str) -> str:
    return str(value) if value is not None else gap(what)


def _scc_values(transfers, record: Conditions | None = None, answers=None) -> dict[str, str]:
    scc = getattr(transfers, "scc", None)
    flows = getattr(transfers, "flows", ()) or ()
    eu_scc_flows = [f for f in flows if f.regime == "eu_gdpr" and f.mechanism == "scc"]
    dpf_flows = [f for f in flows if f.mechanism == "dpf"]
    not_used = "not applicable (the EU SCCs are not used)"
    record = record if record is not None else Conditions()
    if scc is None:
        values = dict.fromkeys(
            (
                "scc.modules",
                "scc.docking",
                "scc.clause9",
                "scc.clause9_days",
                "scc.clause11",
                "scc.authority",
                "scc.law",
                "scc.forum",
                "scc.importers",
            ),
            not_used,
        )
    else:
        option = (
            "Option 1 (specific prior authorisation)"
            if scc.clause9_option == "specific"
            else "Option 2 (general written authorisation)"
        )
        values = {
            "scc.modules": words(SCC_MODULE_NAMES[m] for m in scc.modules) or gap("SCC module"),
            "scc.docking": "applies" if scc.docking_clause else "does not apply",
            "scc.clause9": f"{option}, with a time period of {scc.clause9_notice_days} days",
            "scc.clause9_days": str(scc.clause9_notice_days),
            "scc.clause11": (
                "the option allowing Data Subjects to lodge a complaint with an independent "
                "dispute resolution body, at no cost to them, applies"
                if scc.clause11_independent_body
                else "the optional wording allowing complaints to an independent dispute resolution body does not apply"
            ),
            "scc.authority": (
                scc.clause13_authority + _authority_unconfirmed(scc, record, answers)
                if scc.clause13_authority
                else _authority_condition(scc, record, answers)
            ),
            "scc.law": annexes.law_of(scc.governing_law) + _refused(scc, "Clause 17", record, answers),
            "scc.forum": annexes.law_of(scc.forum) + _refused(scc, "Clause 18", record, answers),
            "scc.importers": _importers(eu_scc_flows),
        }
    values["dpf.importers"] = _importers(dpf_flows) if dpf_flows else "none"
    return values


def _authority_condition(scc, record: Conditions, answers) -> str:
    """Clause 13 where the answers do not name the authority: a condition naming the question that would."""
    from ..transfers import clause13_answer_path

    path = clause13_answer_path(scc.clause13_missing)
    value = answers.get(path) if answers is not None else None
    text = condition(
        "the parties name the competent supervisory authority under Clause 13 — it follows from "
        f"{scc.clause13_missing or 'where the exporter is established'}",
        answer_words(value),
    )
    return record.add(text, path, value)


def _authority_unconfirmed(scc, record: Conditions, answers) -> str:
    """The condition after a Clause 13 authority that is only proposed (an exporter outside the EU with no EU
    representative: the third option needs an Art 27(2) exemption the answers do not establish)."""
    if not getattr(scc, "clause13_unconfirmed", None):
        return ""
    path = "organisation.has_eu_representative"
    value = answers.get(path) if answers is not None else None
    return " " + record.add(condition(scc.clause13_unconfirmed, answer_words(value)), path, value)


def _refused(scc, clause: str, record: Conditions, answers) -> str:
    """A Clause 17/18 choice the EU SCCs do not allow, refused in the transfer analysis: the fallback is drafted
    and this condition says what was chosen and what to change."""
    path = "jurisdictions.scc_governing_law" if clause == "Clause 17" else "jurisdictions.scc_forum"
    for message in getattr(scc, "refused", ()):
        if message.startswith(clause):
            value = answers.get(path) if answers is not None else None
            text = condition(f"the parties confirm the choice under {clause}", message)
            record.items.append(Condition(text, path, f"the questionnaire chose {value}, which is not allowed"))
            return " " + text
    return ""


GUARANTEES = (
    "The Controller has chosen the Processor because the Processor has given sufficient guarantees that it will "
    "implement appropriate technical and organisational measures, so that the processing meets the requirements "
    "of Data Protection Laws and protects the rights of Data Subjects."
)


def _guarantees(answers, record: Conditions) -> str:
    """The Art 28(1) recital: a statement only when the Processor has confirmed every measure of Annex III;
    otherwise a condition naming the measures not yet confirmed or not in place (legal review 2026-12-04, F4)."""
    from ..models import PROCESSOR_MEASURES

    agreement = answers.agreement
    open_ = [m for m in PROCESSOR_MEASURES if getattr(agreement, m) != "yes"]
    if not open_:
        return GUARANTEES
    first = f"agreement.{open_[0]}"
    said = (
        f"the questionnaire records {len(open_)} of the Processor's {len(PROCESSOR_MEASURES)} measures as not yet "
        "confirmed or not in place (see the bracketed items of Annex III)"
    )
    text = condition(
        "the Controller confirms that the Processor gives sufficient guarantees of appropriate technical and "
        "organisational measures (GDPR Art 28(1))",
        said,
    )
    record.items.append(Condition(text, first, said))
    return text


def _tia_condition(analysis, record: Conditions, what: str = "transfer impact assessment") -> str:
    """Empty when a transfer impact (UK: risk) assessment is answered as done; else a condition naming the answer."""
    value = _answers(analysis).jurisdictions.tia_done
    if value == "yes":
        return ""
    said = {
        "no": "the questionnaire says none has been done",
        "not_sure": "the questionnaire answers not sure whether one has been done",
    }.get(value or "", "the questionnaire does not say whether one has been done")
    text = condition(f"the parties carry out and document the {what} this rests on", said)
    record.items.append(Condition(text, "jurisdictions.tia_done", said))
    return " " + text


def _importers(flows) -> str:
    seen = dict.fromkeys((f.to_name, f.to_country) for f in flows)
    return words(f"{name} ({_place(country)})" for name, country in seen) or "none"


def _place(code: str) -> str:
    if code == "EU":
        return "the EU/EEA"
    if code == "unknown":
        return "country not stated"
    return place(code)


def _uk_values(transfers) -> dict[str, str]:
    uk = getattr(transfers, "uk", None)
    if uk is None:
        na = "not applicable (no restricted transfer of UK personal data)"
        return {"uk.mechanism": na, "uk.start_date": na, "uk.ending_party": na, "uk.importers": na}
    names = {
        "uk_addendum": "the International Data Transfer Addendum to the EU SCCs",
        "uk_idta": "the International Data Transfer Agreement",
    }
    ending = {
        ("importer", "exporter"): "either the importer or the exporter",
        ("exporter",): "the exporter",
        ("importer",): "the importer",
    }
    return {
        "uk.mechanism": words(names[i] for i in uk.instruments) or names["uk_addendum"],
        "uk.start_date": uk.start_date,
        "uk.ending_party": ending.get(tuple(uk.table4_ending_party), words(uk.table4_ending_party)),
        "uk.importers": words(f"{n} ({_place(c)})" for n, c in uk.importers) or "none",
    }


def _popia_values(transfers, record: Conditions | None = None, answers=None) -> dict[str, str]:
    flows = [f for f in (getattr(transfers, "flows", ()) or ()) if f.regime == "popia" and f.needs_mechanism]
    record = record if record is not None else Conditions()
    ground = (
        "section 72(1)(a) of POPIA: each recipient is bound by a binding agreement that provides an adequate "
        "level of protection substantially similar to the conditions for lawful processing in POPIA"
        if flows
        else "not applicable (no transfer of personal information out of South Africa)"
    )
    if flows and answers is not None:
        ground += "".join(" " + c for c in _popia_agreement_conditions(flows, answers, record))
    return {
        "popia.regulator": "the Information Regulator (South Africa)",
        "popia.transfer_ground": ground,
        "popia.recipients": _importers(flows) if flows else "none",
    }


def _popia_agreement_conditions(flows, answers, record: Conditions) -> list[str]:
    """The s.72(1)(a) ground rests on each recipient's binding agreement: this DPA for the counterparty (the
    CRM vendor's own DPA where the counterparty is that vendor), the sub-processor's agreement for a
    sub-processor. Where that agreement is not answered as in place, a condition naming the answer."""
    agreement = answers.agreement
    subs = {(p.name or "").casefold(): p for p in agreement.subprocessors or []}
    out: list[str] = []
    for flow in dict.fromkeys(flows):
        name = flow.importer.name
        sub = subs.get(name.casefold())
        if sub is not None:
            value, path = sub.dpa_in_place, "agreement.subprocessors"
        elif annexes.counterparty_is_crm_vendor(answers) and name == agreement.counterparty_name:
            value, path = answers.crm.vendor_dpa_accepted, "crm.vendor_dpa_accepted"
        else:
            continue  # this DPA is the binding agreement with the counterparty
        if value == "yes":
            continue
        text = condition(f"{name} is bound by a written agreement that gives that protection", answer_words(value))
        if text not in out:
            out.append(record.add(text, path, value))
    return out


def placeholder_values(analysis, record: Conditions | None = None) -> dict[str, str]:
    """A literal text value for every placeholder name in ``dpakit.drafting.placeholders.PLACEHOLDERS``.

    A value that states a fact the answers do not support is a bracketed condition, recorded in ``record``."""
    record = record if record is not None else Conditions()
    answers = _answers(analysis)
    agr = answers.agreement
    parties = _parties(answers)
    values: dict[str, str] = {}
    for role in ("controller", "processor"):
        for key, text in parties[role].items():
            if key != "dpo":
                values[f"{role}.{key}"] = text
    values.update(
        {
            "services": agr.services or gap("description of the services"),
            "main_agreement": agr.main_agreement_name or "the services agreement between the parties",
            "duration": annexes.duration(answers),
            "governing_law": annexes.law_of(agr.governing_law_country) or gap("governing law"),
            "law.mandatory": mandatory_law(getattr(analysis, "regimes_in_scope", ()), getattr(analysis, "facts", None)),
            "breach_notice_hours": _number(agr.breach_notice_hours, "hours for notice of a breach"),
            "subprocessor_notice_days": _subprocessor_notice_days(agr),
            "audit_notice_days": _number(agr.audit_notice_days, "days of notice of an audit"),
            "crm.name": annexes.crm_name(answers),
            "crm.hosting": annexes.hosting(answers),
            "data_subjects": annexes.data_subjects(answers),
            "data_categories": annexes.data_categories(answers),
            "special_categories": annexes.special_categories(answers),
            "purposes": annexes.purposes(answers),
            "retention": annexes.retention(answers, record),
            "effective_date": "the date on which it has been signed by both parties",
            "tia.condition": _tia_condition(analysis, record),
            "guarantees": _guarantees(answers, record),
            "tra.condition": _tia_condition(analysis, record, "transfer risk assessment"),
        }
    )
    transfers = getattr(analysis, "transfers", None)
    values.update(_scc_values(transfers, record, answers))
    values.update(_uk_values(transfers))
    values.update(_popia_values(transfers, record, answers))
    missing = sorted(set(PLACEHOLDERS) - set(values))
    if missing:  # pragma: no cover - a test keeps this in step with the vocabulary
        raise DraftingError(f"no value for placeholder(s) {missing}")
    return {name: values[name] for name in PLACEHOLDERS}


# --- clause bodies as Word paragraphs -------------------------------------------------------------------

LIST_STYLES = {1: "ClauseList1", 2: "ClauseList2", 3: "ClauseList3"}
BULLET_STYLES = {1: "ClauseBullet1", 2: "ClauseBullet2", 3: "ClauseBullet3"}


def bookmark_name(clause_id: str) -> str:
    """The bookmark on a clause heading (Word allows 40 characters, a letter first)."""
    return ("c_" + clause_id.replace("-", "_"))[:40]


def _spans(block: Block, values: Mapping[str, str]) -> list[Span]:
    return [Span(values[r.placeholder] if r.placeholder else r.text, r.bold, r.italic) for r in block.runs]


def _is_definition(block: Block) -> bool:
    return (
        block.kind == "list_item"
        and not block.ordered
        and block.level == 1
        and bool(block.runs)
        and block.runs[0].bold
        and block.runs[0].placeholder is None
    )


def _is_continuation(block: Block, previous: Block | None) -> bool:
    """A paragraph that finishes the sentence a list started ("…; and (b) …, each a party …")."""
    first = next((r.text for r in block.runs if r.text.strip()), "")
    return previous is not None and previous.kind == "list_item" and first[:1].islower()


def clause_paragraphs(sel: SelectedClause, values: Mapping[str, str], bookmark_id: int) -> list[Markup]:
    """The heading and body of one clause, in the template's styles (see ``build_templates.py``)."""
    num_id = SCHEDULE_NUM_IDS[sel.schedule - 1] if sel.schedule else None

    def numbering(level: int) -> tuple[int, int] | None:
        return (level, num_id) if num_id else None

    out = [
        paragraph(
            [sel.clause.title],
            "Heading1",
            bookmark=bookmark_name(sel.id),
            bookmark_id=bookmark_id,
            numbering=numbering(0),
        )
    ]
    blocks = sel.clause.blocks
    numbered = sum(1 for b in blocks if b.kind == "paragraph") > 1
    previous: Block | None = None
    for block in blocks:
        spans = _spans(block, values)
        if block.kind == "paragraph":
            if numbered and not _is_continuation(block, previous):
                out.append(paragraph(spans, "ClauseText", numbering=numbering(1)))
            else:
                out.append(paragraph(spans, "ClauseBody"))
        elif _is_definition(block):
            out.append(paragraph(spans, "Definition"))
        elif block.ordered:
            out.append(paragraph(spans, LIST_STYLES[block.level], numbering=numbering(block.level + 1)))
        else:
            out.append(paragraph(spans, BULLET_STYLES[block.level]))
        previous = block
    return out


def _body_xml(selected: Sequence[SelectedClause], values: Mapping[str, str]) -> tuple[Markup, Markup]:
    body: list[Markup] = []
    schedules: list[Markup] = []
    current_schedule: int | None = None
    for index, sel in enumerate(selected, start=1):
        if sel.schedule is None:
            body.extend(clause_paragraphs(sel, values, index))
            continue
        if sel.schedule != current_schedule:
            current_schedule = sel.schedule
            schedules.append(paragraph([sel.section_heading], "ScheduleHeading"))
        schedules.extend(clause_paragraphs(sel, values, index))
    return Markup("".join(body)), Markup("".join(schedules))


# --- reviewer comments ---------------------------------------------------------------------------------


def clause_reasons(sel: SelectedClause) -> list[str]:
    """The answers (and derived facts) that made the clause's condition hold, one line each."""
    if sel.clause.when is None:
        return []
    from ..explain import explain

    return [r.text for r in explain(sel.verdict)]


def clause_reason(sel: SelectedClause) -> str:
    """Why a clause is included, in one sentence (the comment, the report and the documents page)."""
    lines = clause_reasons(sel)
    if not lines:
        return "Part of every DPA dpakit drafts: it has no inclusion condition."
    return "Its inclusion condition holds on these answers: " + "; ".join(lines) + "."


def comment_text(sel: SelectedClause, library_version: str, answers=None) -> str:
    """The reviewer comment on a clause heading: why, which requirements (with citations), which version.

    Given ``answers``, a clause that Annex III gives content to (``annex_iii.explained_in`` in
    ``dpakit/data/annexes.toml``, e.g. ``security``) also says how many measures Annex III states and names
    each one stated with its answer; the measures left out are explained in the Annex III comment.
    """
    catalogue = load_catalogue()
    reasons = clause_reasons(sel)
    if reasons:
        lines = ["Why included: its inclusion condition holds on these answers —", *(f"• {r}" for r in reasons)]
    else:
        lines = [f"Why included: {clause_reason(sel)}"]
    if answers is not None and annexes.explains_annex_iii(sel.id):
        lines.extend(annexes.security_basis_lines(answers))
    lines.append("Requirements served:")
    for req_id in sel.clause.requirements:
        try:
            req = catalogue.get(req_id)
            lines.append(f"• {req_id} — {req.title} ({req.citation})")
        except KeyError:
            lines.append(f"• {req_id}")
    lines.append(
        f"{sel.reference.capitalize()}: clause “{sel.id}” version {sel.clause.version}, reviewed {sel.clause.last_reviewed.isoformat()}; "
        f"clause library {library_version}."
    )
    lines.append(f"Drafting note: {sel.clause.drafting_note}")
    return "\n".join(lines)


# --- the context ---------------------------------------------------------------------------------------


def _regime_names(analysis) -> list[str]:
    from ..requirements import REGIME_NAMES

    codes = list(getattr(analysis, "facts", {}).get("regimes") or [])
    return [REGIME_NAMES.get(c, c) for c in codes]


def _party(answers, role: str, parties: dict[str, dict[str, str]], scc_roles: dict[str, str]) -> PartyContext:
    data = parties[role]
    activities = annexes.party_activities(answers, role)
    return PartyContext(
        name=data["name"],
        address=data["address"],
        registration=data["registration"],
        contact=data["contact"],
        dpo=data["dpo"],
        role=role.capitalize(),
        role_label=role,
        activities=activities,
        annex_suffix=scc_roles.get(role, ""),
    )


def _scc_party_roles(analysis) -> dict[str, str]:
    """ " (data exporter)" / " (data importer)" for Annex I where the parties sign the EU SCCs with each other."""
    transfers = getattr(analysis, "transfers", None)
    answers = _answers(analysis)
    counterparty = (answers.agreement.counterparty_name or "").casefold()
    for flow in getattr(transfers, "flows", ()) or ():
        if flow.regime == "eu_gdpr" and flow.mechanism == "scc" and flow.to_name.casefold() == counterparty:
            importer = "processor" if answers.agreement.our_role != "processor" else "controller"
            exporter = "controller" if importer == "processor" else "processor"
            return {exporter: " (data exporter)", importer: " (data importer)"}
    return {}


GAP_ANSWERS: dict[str, str | None] = {
    gap("our legal name"): "organisation.legal_name",
    gap("our registered address"): "organisation.address",
    gap("our country"): "organisation.country",
    gap("our contact person and e-mail"): "organisation.privacy_contact_email",
    gap("the other party's legal name"): "agreement.counterparty_name",
    gap("the other party's registered address"): "agreement.counterparty_address",
    gap("the other party's country"): "agreement.counterparty_country",
    gap("the other party's contact person and e-mail"): "agreement.counterparty_contact_email",
    gap("hours for notice of a breach"): "agreement.breach_notice_hours",
    gap("days of notice of a new sub-processor"): "agreement.subprocessor_notice_days",
    gap("days of notice of an audit"): "agreement.audit_notice_days",
    gap("description of the services"): "agreement.services",
    gap("governing law"): "agreement.governing_law_country",
    gap("which US state"): None,  # the questionnaire asks the country only: the state is for the parties
    gap("categories of data subjects"): "agreement.scope_subject_categories",
    gap("categories of personal data"): "agreement.scope_data_categories",
    gap("purposes of the processing"): "agreement.scope_purposes",
    gap("the restrictions and safeguards applied to sensitive data"): "data.special_category_safeguards",
    gap("duration of the processing"): "agreement.duration",
    gap("processing carried out"): "agreement.subprocessors",
    gap("location"): "agreement.subprocessors",
    gap("address"): "agreement.subprocessors",
    gap("the countries where the Processor processes the Personal Data"): "agreement.processes_in",
    gap("SCC module"): "agreement.our_role",
    gap("the law that may require the Processor to act otherwise than on the Instructions"): "jurisdictions.markets",
}
"""The answer each ``[to be completed: …]`` gap of the DPA waits for (``None``: no question settles it)."""

_INSTRUMENTS = {
    "scc": "EU SCCs",
    "uk_addendum": "UK Addendum to the EU SCCs",
    "uk_idta": "UK International Data Transfer Agreement",
    "popia_72_agreement": "POPIA s.72(1)(a) binding agreement",
    "dpf": "EU-US Data Privacy Framework",
    "adequacy": "adequacy decision or regulations",
    "bcr": "binding corporate rules",
}


def _party_text(party) -> str:
    return f"{party.name} ({party.role}, {_place(party.country)})"


def transfer_party_rows(analysis) -> list[TransferPartyRow]:
    """Annex I's table of transfers: for each flow this agreement governs that needs an instrument, the
    instrument (with the SCC module) and that flow's own exporter and importer (SCC Annex I.A)."""
    flows = getattr(getattr(analysis, "transfers", None), "flows", ()) or ()
    rows: list[TransferPartyRow] = []
    for f in flows:
        if not f.needs_mechanism:
            continue
        instrument = _INSTRUMENTS.get(f.mechanism, f.mechanism)
        if f.mechanism == "scc" and f.scc_module:
            instrument = f"{instrument}, {SCC_MODULE_NAMES[f.scc_module]}"
        row = TransferPartyRow(instrument, _party_text(f.exporter), _party_text(f.importer))
        if row not in rows:
            rows.append(row)
    return rows


def _before_you_sign_xml(items: Sequence[Condition]) -> Markup:
    if not items:
        return paragraph([NOTHING_OUTSTANDING], "Normal")
    out = [
        paragraph(
            [
                "This draft is not ready for signature until each of the following is settled; each names the "
                "answer it rests on, or the detail still to be completed."
            ],
            "Normal",
        )
    ]
    for item in items:
        where = f" (answer: {item.answer_path})" if item.answer_path else ""
        out.append(paragraph([item.text + where], "ClauseBullet1"))
    return Markup("".join(out))


def _used_values(selected: Sequence[SelectedClause], values: Mapping[str, str]) -> list[str]:
    names = {r.placeholder for s in selected for b in s.clause.blocks for r in b.runs if r.placeholder}
    return [values[n] for n in sorted(names)]


def _context_texts(context_parts: Mapping[str, Any]) -> list[str]:
    texts: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str) and not isinstance(value, Markup):
            texts.append(value)
        elif isinstance(value, list | tuple):
            for v in value:
                walk(v)
        elif hasattr(value, "__dataclass_fields__"):
            for name in value.__dataclass_fields__:
                walk(getattr(value, name))
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name))

    for value in context_parts.values():
        walk(value)
    return texts


def build_context(
    analysis, selected: Sequence[SelectedClause], library_version: str, *, comments: bool
) -> DraftContext:
    """The template context of the DPA of the agreement in focus (the analysis is narrowed to it)."""
    from ..analysis import analyse_agreement

    return _build(_narrowed(analysis, analyse_agreement), selected, library_version, comments=comments)[0]


def _build(
    analysis, selected: Sequence[SelectedClause], library_version: str, *, comments: bool
) -> tuple[DraftContext, tuple[Condition, ...]]:
    answers = _answers(analysis)
    record = Conditions()
    values = placeholder_values(analysis, record)
    parties = _parties(answers)
    clauses_xml, schedules_xml = _body_xml(selected, values)
    headings = list(dict.fromkeys(s.section_heading for s in selected if s.schedule is not None))
    scc = getattr(getattr(analysis, "transfers", None), "scc", None)
    measures = annexes.measures_in_place(answers, record)
    subs = annexes.subprocessors(answers)
    ours = parties["processor" if answers.agreement.our_role == "processor" else "controller"]
    our_role = "Processor" if answers.agreement.our_role == "processor" else "Controller"
    transfer_rows = transfer_party_rows(analysis)
    roles = _scc_party_roles(analysis)
    parts: dict[str, Any] = {
        "controller": _party(answers, "controller", parties, roles),
        "processor": _party(answers, "processor", parties, roles),
        "main_agreement": values["main_agreement"],
        "processing": annexes.processing(answers, record),
        "measures_intro": annexes.measures_intro(answers),
        "measures": measures,
        "measures_note": annexes.measures_note(answers),
        "subprocessors_intro": annexes.subprocessors_intro(answers),
        "subprocessors": subs,
        "transfer_parties": transfer_rows,
    }
    shown = _used_values(selected, values) + _context_texts(parts)
    if scc is not None:
        shown.append(values["scc.authority"])
    items = before_you_sign(record.items, shown, GAP_ANSWERS)
    context = DraftContext(
        **parts,
        effective_date="on signature by both parties",
        prepared_by=f"{ours['name']} (the {our_role})",
        regimes_text=words(_regime_names(analysis)) or "none identified",
        schedules_text="; ".join(headings) if headings else "None",
        library_version=library_version,
        dpakit_version=dpakit_version(),
        answers_sha256=answers_sha256(answers),
        comments_note=(
            "Each clause heading carries a Word comment saying why the clause is included, the "
            "requirements it serves and its version; Annex III's comment lists each measure shown as a condition "
            "and the answer behind it. Delete the comments before signature."
            if comments
            else "None: this is the clean copy."
        ),
        before_you_sign=_before_you_sign_xml(items),
        clauses=clauses_xml,
        schedules=schedules_xml,
        show_authority=scc is not None,
        supervisory_authority=values["scc.authority"],
        has_measures=bool(measures),
        has_subprocessors=bool(subs),
        has_transfer_parties=bool(transfer_rows),
    )
    return context, items


def dpakit_version() -> str:
    """The version of dpakit that drafted a document (``dpakit.__version__``, kept equal to pyproject's)."""
    from .. import __version__

    return __version__


# --- drafting ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncludedClause:
    """One clause of a draft as the report and the documents page show it."""

    id: str
    number: str
    reference: str
    title: str
    section: str
    version: str
    reason: str
    requirements: tuple[str, ...]


@dataclass(frozen=True)
class Draft:
    docx: bytes
    selected: list[SelectedClause]
    coverage: Any
    missing_measures: list[MissingMeasure]
    report: dict[str, Any]
    library_version: str = ""
    included: list[IncludedClause] = field(default_factory=list)
    before_you_sign: tuple[Condition, ...] = ()
    """The DPA's "Before you sign" list: each condition it states instead of a fact the answers do not support
    (``.text`` as printed, ``.answer_path`` the answer it rests on), then each ``[to be completed]`` gap; empty
    when nothing is outstanding."""
    agreement_id: str = ""

    @property
    def sha256(self) -> str:
        return sha256(self.docx)

    @property
    def ready_for_signature(self) -> bool:
        """Whether "Before you sign" is empty (the draft still needs a lawyer's review)."""
        return not self.before_you_sign


DraftedDpa = Draft
"""The drafted DPA of one agreement (``draft_dpa``'s result)."""


def included_clauses(selected: Sequence[SelectedClause]) -> list[IncludedClause]:
    """The clauses a draft includes, numbered, with their section, version and why each is there."""
    return [
        IncludedClause(
            s.id,
            s.number,
            s.reference,
            s.title,
            SECTIONS[s.section],
            s.clause.version,
            clause_reason(s),
            s.clause.requirements,
        )
        for s in selected
    ]


def plan(analysis, library: ClauseLibrary | None = None):
    """Selection and coverage without rendering: what the documents page shows before generating.

    Returns ``(selected, coverage_report)``; the coverage report says what is missing instead of raising.
    """
    from ..analysis import analyse_agreement
    from .coverage import coverage

    analysis = _narrowed(analysis, analyse_agreement)
    library = library or load_library()
    selected = select_clauses(analysis.facts, library)
    return selected, coverage(analysis.facts, selected, load_catalogue())


def draft_dpa(analysis, library: ClauseLibrary | None = None, *, comments: bool = True) -> Draft:
    """Draft the DPA of the agreement in focus (``draft_dpa(analyse(answers.focused(agreement_id)))``; the first
    agreement by default): its parties, scope, measures and only the transfer flows that agreement governs.
    Raises ``CoverageGap`` (naming the missing requirements) on a gap."""
    from ..analysis import analyse_agreement
    from .coverage import check_coverage

    analysis = _narrowed(analysis, analyse_agreement)
    library = library or load_library()
    selected = select_clauses(analysis.facts, library)
    report_cov = check_coverage(analysis.facts, selected, load_catalogue())
    context, items = _build(analysis, selected, library.version, comments=comments)
    document = render_document(DPA_TEMPLATE, context.template_values())
    answers = _answers(analysis)
    if comments:
        anchors = [(bookmark_name(s.id), comment_text(s, library.version, answers)) for s in selected]
        anchors.append((annexes.ANNEX_III_HEADING, annexes.annex_iii_comment(answers)))
        add_comments(document, anchors)
    title = f"Data Processing Agreement — {context.controller.name[:80]} and {context.processor.name[:80]}"
    data = make_reproducible(document, title=title, subject=f"dpakit DPA; clause library {library.version}")
    included = included_clauses(selected)
    missing = annexes.missing_measures(answers)
    report = {
        "document": "dpa.docx",
        "sha256": sha256(data),
        "answers_sha256": context.answers_sha256,
        "library_version": library.version,
        "comments": comments,
        "regimes": list(analysis.facts.get("regimes") or []),
        "coverage": _coverage_json(report_cov),
        "clauses": [
            {
                "id": c.id,
                "number": c.number,
                "reference": c.reference,
                "title": c.title,
                "section": c.section,
                "version": c.version,
                "reason": c.reason,
                "requirements": list(c.requirements),
            }
            for c in included
        ],
        "missing_measures": [{"field": m.field, "measure": m.measure, "answer": m.answer} for m in missing],
        "agreement": answers.focus,
        "before_you_sign": [{"text": c.text, "answer_path": c.answer_path, "answer": c.answer} for c in items],
    }
    return Draft(data, list(selected), report_cov, missing, report, library.version, included, items, answers.focus)


def _narrowed(analysis, analyse_agreement):
    """The analysis of the agreement in focus; a stand-in without regimes (a test double) is used as given."""
    from ..analysis import Analysis

    return analyse_agreement(analysis) if isinstance(analysis, Analysis) else analysis


def _coverage_json(report) -> Any:
    regimes = getattr(report, "regimes", None)
    if regimes is None:
        return None
    items = regimes.values() if isinstance(regimes, Mapping) else regimes
    return [
        {
            "regime": r.regime,
            "served": len(r.served),
            "missing": list(r.missing),
            "percent": r.percent,
            "summary": r.summary(),
        }
        for r in items
    ]


__all__ = [
    "DPA_TEMPLATE",
    "Condition",
    "Draft",
    "DraftedDpa",
    "DraftContext",
    "IncludedClause",
    "PartyContext",
    "build_context",
    "clause_paragraphs",
    "clause_reason",
    "comment_text",
    "draft_dpa",
    "included_clauses",
    "placeholder_values",
    "plan",
    "transfer_party_rows",
]
