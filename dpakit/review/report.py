"""Review an existing DPA against the requirements catalogue: found, weak or missing, and why.

    doc = read_document(data, name="vendor-dpa.pdf")             # dpakit.review.reading
    report = review_document(doc, ["eu_gdpr", "uk_gdpr"], "controller")
    report.results[0].status, report.results[0].because          # "found", "matched because …"
    review_markdown(report); review_json(report); review_docx(report)

The method is data, not a model: ``dpakit/data/detection/*.toml`` holds, for every mandatory DPA term
(kind ``dpa_term``) of eu_gdpr, uk_gdpr, ccpa and popia, *concept groups* — lists of alternative phrases —
and a *proximity window* in words. A term is **found** where one phrase of every group occurs within the
window, inside one section of the document (a heading and the passages under it). A group may be marked
``weak_if_missing``: when every other group matches but that one does not, the term is **weak** (e.g. a
deletion clause without a return option, a breach notice without a time frame). ``weak_if_present``
phrases near a match (e.g. "commercially reasonable efforts") also make it weak. Otherwise it is
**missing**. The report quotes the passages, says where they are and which phrases matched
(``because``), and for weak and missing terms says what to ask for, with the citation. The data format
is documented in ``dpakit/data/detection/README.md``.

Text is normalised before matching, identically for the document and for the phrases: lower case,
letters and digits only (punctuation and hyphens split words), "sub-processor"/"sub processor" →
"subprocessor" (likewise e-, non-, co-), and British "-ise/-isation" → "-ize/-ization". In a phrase,
``word*`` matches any word starting with ``word`` and ``#`` matches a number (digits or a number word).

Conditional terms (the catalogue's ``when``: SCCs, UK Addendum, POPIA s.72) are the transfer terms. They
are checked when ``transfers`` is True, skipped when False, and when it is None (the default) they are
checked if ``facts`` (from ``dpakit.analysis.analyse``) are given and the condition holds for them, or —
without facts — if the document itself mentions international transfers (the ``mentions-transfers``
signal). Skipped terms are listed with the reason.

The role (``controller`` or ``processor``) changes only the framing: as controller you review a vendor's
DPA and ask the vendor; as processor you review a customer's DPA and propose the term. Every mandatory
term is checked in both cases, since the contract must contain it whoever drafted it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from ..content import TEMPLATES_DIR, display_path
from ..errors import ContentError, InputError
from ..requirements import REGIME_NAMES, Catalogue, Requirement, load_catalogue
from .detection import (
    DETECTION_DIR,
    REVIEW_REGIMES,
    TRANSFERS_SIGNAL,
    CompiledTerm,
    Detection,
    Match,
    Section,
    Token,
    check_detection,
    document_sections,
    load_detection,
    match_term,
    normalise_phrase,
    signal_present,
    tokenize,
)
from .reading import KIND_LABELS, DocumentText, Passage

REVIEW_TEMPLATE = TEMPLATES_DIR / "review_report.docx"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Status = Literal["found", "weak", "missing"]
STATUSES: tuple[Status, ...] = ("missing", "weak", "found")
STATUS_LABELS = {"found": "Found", "weak": "Weak", "missing": "Missing"}
Role = Literal["controller", "processor"]
MAX_QUOTE = 420
MAX_EVIDENCE = 3

DISCLAIMER = (
    "Draft for review by a qualified lawyer — not legal advice. This report was produced by software that "
    "looks for phrases; it cannot judge whether a clause is adequate, and a term reported as found may "
    "still need negotiation. Quotes are the document's literal text."
)

# --- the report ------------------------------------------------------------------------------------


class Evidence(_Frozen):
    """A quoted passage (literal document text, trimmed) and where it is."""

    passage: int
    location: str
    quote: str
    page: int | None = None


class MatchedPhrase(_Frozen):
    concept: str
    text: str
    passage: int


class TermResult(_Frozen):
    id: str
    title: str
    regimes: tuple[str, ...]
    status: Status
    because: str
    evidence: tuple[Evidence, ...] = ()
    matched: tuple[MatchedPhrase, ...] = ()
    weak_reasons: tuple[str, ...] = ()
    ask_for: str | None = None
    citation: str
    url: str
    legal_status: str
    conditional: bool = False


class SkippedTerm(_Frozen):
    id: str
    title: str
    regimes: tuple[str, ...]
    reason: str


class VendorContext(_Frozen):
    """What to check outside the text when the document names a known CRM vendor."""

    vendor_id: str
    name: str
    mentions: int
    dpf_status: str
    subprocessor_url: str
    subprocessor_notice: str
    checks: tuple[str, ...]
    sources: tuple[str, ...] = ()


class ReviewReport(_Frozen):
    """The review of one document: what was read, for which regimes and role, and a verdict with evidence
    for every term checked."""

    document: str
    document_kind: str
    passages: int
    characters: int
    regimes: tuple[str, ...]
    role: Role
    transfers_checked: bool
    transfers_reason: str
    results: tuple[TermResult, ...]
    skipped: tuple[SkippedTerm, ...] = ()
    vendor: VendorContext | None = None
    disclaimer: str = DISCLAIMER

    def by_status(self, status: Status) -> list[TermResult]:
        return [r for r in self.results if r.status == status]

    def counts(self) -> dict[str, int]:
        return {s: len(self.by_status(s)) for s in ("found", "weak", "missing")}

    def status_of(self, req_id: str) -> Status:
        for r in self.results:
            if r.id == req_id:
                return r.status
        raise KeyError(f"{req_id} was not checked in this review")

    @property
    def percent_found(self) -> int:
        return round(100 * len(self.by_status("found")) / len(self.results)) if self.results else 0

    def summary(self) -> str:
        c = self.counts()
        regimes = ", ".join(REGIME_NAMES.get(r, r) for r in self.regimes)
        return (
            f"{len(self.results)} mandatory terms checked for {regimes}: {c['found']} found, "
            f"{c['weak']} weak, {c['missing']} missing ({self.percent_found} % found)."
        )


def parse_regimes(value: str | Iterable[str]) -> tuple[str, ...]:
    """Regime codes from ``"eu_gdpr,uk_gdpr"`` or a list; an unknown or unsupported code is an ``InputError``."""
    items = [v.strip() for v in (value.split(",") if isinstance(value, str) else value)]
    codes = tuple(dict.fromkeys(v for v in items if v))
    if not codes:
        raise InputError("name at least one regime to review against (e.g. eu_gdpr,uk_gdpr)")
    bad = [c for c in codes if c not in REVIEW_REGIMES]
    if bad:
        raise InputError(f"unknown regime code(s) {', '.join(bad)}; choose from {', '.join(REVIEW_REGIMES)}")
    return codes


def _terms_for(regimes: Sequence[str], catalogue: Catalogue) -> list[tuple[Requirement, tuple[str, ...]]]:
    order: dict[str, tuple[Requirement, list[str]]] = {}
    for regime in regimes:
        for req in catalogue.mandatory_terms(regime):
            order.setdefault(req.id, (req, []))[1].append(regime)
    return [(req, tuple(codes)) for req, codes in order.values()]


def _quote(passage: Passage, tokens: Sequence[Token]) -> str:
    text = passage.text
    if len(text) <= MAX_QUOTE:
        return text
    lo = min(t.start for t in tokens) if tokens else 0
    hi = max(t.end for t in tokens) if tokens else 0
    start = max(0, min(lo - 120, hi - MAX_QUOTE + 60))
    end = min(len(text), max(start + MAX_QUOTE, hi + 60))
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return ("…" if start > 0 else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def _evidence(matches: Sequence[Match], term: CompiledTerm) -> tuple[list[Evidence], list[MatchedPhrase]]:
    evidence: list[Evidence] = []
    phrases: list[MatchedPhrase] = []
    seen: set[int] = set()
    for n, match in enumerate(matches[:MAX_EVIDENCE]):
        by_passage: dict[int, list[Token]] = {}
        for hit in match.hits:
            first_p, first_tok = match.section.where[hit.start]
            last_tok = match.section.where[hit.end - 1][1]
            passage = match.section.passages[first_p]
            by_passage.setdefault(first_p, []).extend([first_tok, last_tok])
            if n == 0:
                phrases.append(
                    MatchedPhrase(
                        concept=term.groups[hit.group].concept,
                        text=passage.text[first_tok.start : last_tok.end],
                        passage=passage.index,
                    )
                )
        quoted = sorted(by_passage.items())
        if any(match.section.passages[i].kind != "heading" for i, _ in quoted):
            quoted = [(i, t) for i, t in quoted if match.section.passages[i].kind != "heading"]
        for p_index, toks in quoted:
            passage = match.section.passages[p_index]
            if passage.index in seen:
                continue
            seen.add(passage.index)
            evidence.append(
                Evidence(
                    passage=passage.index, location=passage.location(), quote=_quote(passage, toks), page=passage.page
                )
            )
    return evidence, phrases


def _because(phrases: Sequence[MatchedPhrase], window: int) -> str:
    parts = [f"{p.concept}: “{p.text}” (paragraph {p.passage})" for p in phrases]
    return f"matched because, within {window} words, it says — " + "; ".join(parts)


def _evaluate(
    req: Requirement, regimes: tuple[str, ...], term: CompiledTerm, sections: Sequence[Section], indexed: bool = True
) -> TermResult:
    full, partial = match_term(term, sections, indexed=indexed)
    base = dict(
        id=req.id,
        title=req.title,
        regimes=regimes,
        citation=req.citation,
        url=req.url,
        legal_status=req.status,
        conditional=req.when is not None,
    )
    if full and not full[0].weak_reasons:
        evidence, phrases = _evidence(full, term)
        return TermResult(
            status="found",
            because=_because(phrases, term.window),
            evidence=tuple(evidence),
            matched=tuple(phrases),
            **base,
        )
    if full or partial:
        match = full[0] if full else partial[0]
        evidence, phrases = _evidence([match], term)
        reasons = list(match.weak_reasons) + [term.groups[g].weak_if_missing or "" for g in match.missing_groups]
        because = _because(phrases, term.window) + ". Weak: " + "; ".join(reasons)
        return TermResult(
            status="weak",
            because=because,
            evidence=tuple(evidence),
            matched=tuple(phrases),
            weak_reasons=tuple(reasons),
            ask_for=req.ask_for,
            **base,
        )
    wanted = "; ".join(f"{g.concept} (e.g. “{' '.join(g.phrases[0]).replace('#', 'N')}”)" for g in term.groups)
    because = f"not found: no section mentions all of — {wanted} — within {term.window} words"
    return TermResult(status="missing", because=because, ask_for=req.ask_for, **base)


def _transfers_decision(
    doc: DocumentText,
    transfers: bool | None,
    facts: Mapping[str, Any] | None,
    detection: Detection,
    indexed: bool = True,
) -> tuple[bool | None, str]:
    if transfers is not None:
        return transfers, (
            "you chose to check the transfer terms" if transfers else "you chose not to check the transfer terms"
        )
    if facts is not None:
        return None, "transfer terms follow your assessment (each is checked where its condition holds)"
    if signal_present(doc, TRANSFERS_SIGNAL, detection, indexed=indexed):
        return True, "the document mentions international transfers, so the transfer terms are checked"
    return False, "the document does not mention international transfers, so the transfer terms are not checked"


def review_document(
    doc: DocumentText,
    regimes: str | Sequence[str],
    role: Role = "controller",
    catalogue: Catalogue | None = None,
    *,
    transfers: bool | None = None,
    facts: Mapping[str, Any] | None = None,
    detection: Detection | None = None,
    indexed: bool = True,
) -> ReviewReport:
    """Check ``doc`` for every mandatory DPA term of ``regimes``; see the module doc for the method.

    ``indexed=False`` matches without the document-wide word index (``detection.Vocabulary``), looking at
    every section and phrase: the same report, slower; kept so that a test can compare the two.
    """
    from ..conditions import evaluate, parse_condition

    codes = parse_regimes(regimes)
    if role not in ("controller", "processor"):
        raise InputError(f"role must be controller or processor, not {role!r}")
    catalogue = catalogue or load_catalogue()
    detection = detection or load_detection()
    sections = document_sections(doc)
    pairs = _terms_for(codes, catalogue)
    decided, reason = _transfers_decision(doc, transfers, facts, detection, indexed)
    results: list[TermResult] = []
    skipped: list[SkippedTerm] = []
    for req, req_regimes in pairs:
        if req.when is not None:
            if decided is None:
                holds = bool(evaluate(parse_condition(req.when), facts or {}).value)
                why = "your assessment's transfer facts do not call for it"
            else:
                holds, why = decided, reason
            if not holds:
                skipped.append(SkippedTerm(id=req.id, title=req.title, regimes=req_regimes, reason=why))
                continue
        term = detection.terms.get(req.id)
        if term is None:
            raise ContentError(display_path(DETECTION_DIR), "no detection data for this term", req.id)
        results.append(_evaluate(req, req_regimes, term, sections, indexed))
    any_checked = any(r.conditional for r in results)
    return ReviewReport(
        document=doc.name,
        document_kind=KIND_LABELS.get(doc.kind, doc.kind),
        passages=len(doc.passages),
        characters=doc.characters,
        regimes=codes,
        role=role,
        transfers_checked=any_checked if decided is None else bool(decided),
        transfers_reason=reason,
        results=tuple(results),
        skipped=tuple(skipped),
        vendor=vendor_context(doc, results),
    )


# --- vendor context ----------------------------------------------------------------------------------

_DAYS = re.compile(r"\b(\d{1,3})\s*(?:\)\s*)?(calendar |business |working )?days?\b", re.I)


def vendor_context(doc: DocumentText, results: Sequence[TermResult] = ()) -> VendorContext | None:
    """When the text names a known CRM vendor, what to check outside it (DPF, sub-processor list, notice)."""
    from ..vendors import detect_vendor, load_vendors

    text = doc.text
    vendor_id = detect_vendor(text)
    if vendor_id is None:
        return None
    profile = load_vendors()[vendor_id]
    lowered = text.lower()
    mentions = sum(lowered.count(p) for p in profile.detect_phrases)
    dpf = {
        "listed": "listed on the DPF List (per the profile) — confirm the listing is current",
        "not_listed": "not on the DPF List (per the profile)",
        "not_confirmed": "not confirmed — look it up on the DoC DPF List (dataprivacyframework.gov/list)",
    }
    notice = "no notice period for new sub-processors found in the text — check the vendor's sub-processor page"
    for result in results:
        if result.id == "GDPR-28-2-b" and result.evidence:
            for ev in result.evidence:
                m = _DAYS.search(ev.quote)
                if m:
                    kind = (m.group(2) or "").strip()
                    notice = f"{m.group(1)} {kind + ' ' if kind else ''}days, as stated in {ev.location}"
                    break
            break
    sources = tuple(
        dict.fromkeys(
            f"{f.key}: {f.source} (as of {f.as_of}, status {f.status})"
            for f in profile.facts
            if f.key in ("dpf_certified", "subprocessor_url")
        )
    )
    return VendorContext(
        vendor_id=vendor_id,
        name=profile.name,
        mentions=mentions,
        dpf_status=dpf[profile.dpf_certified],
        subprocessor_url=profile.subprocessor_url or "not confirmed — find it on the vendor's privacy pages",
        subprocessor_notice=notice,
        checks=profile.review_checks,
        sources=sources,
    )


# --- outputs -------------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&\"'=^])")


def md_escape(text: object) -> str:
    """Backslash-escape every Markdown-significant character, so document text is shown literally."""
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def role_sentence(role: Role) -> str:
    """One plain sentence saying what reviewing as ``role`` means for what to ask the other party."""
    if role == "controller":
        return (
            "You review as the controller: the other party (e.g. your CRM vendor) is your processor; "
            "ask it for what is weak or missing."
        )
    return (
        "You review as the processor: the other party is your customer (the controller); propose the "
        "weak or missing terms — most are duties the law puts on you anyway."
    )


def _vendor_lines(v: VendorContext) -> list[str]:
    return [
        f"DPF certification: {v.dpf_status}",
        f"Sub-processor list: {v.subprocessor_url}",
        f"Notice period for new sub-processors: {v.subprocessor_notice}",
        *v.checks,
    ]


def review_markdown(report: ReviewReport) -> str:
    """The report as Markdown; every piece of document text is escaped."""
    e = md_escape
    out = [
        f"# DPA review: {e(report.document)}",
        "",
        f"**{e(DISCLAIMER)}**",
        "",
        e(report.summary()),
        "",
        e(role_sentence(report.role)),
        "",
        f"Transfer terms: {e(report.transfers_reason)}.",
        "",
    ]
    for status in STATUSES:
        items = report.by_status(status)
        out += [f"## {STATUS_LABELS[status]} ({len(items)})", ""]
        if not items:
            out += ["None.", ""]
        for r in items:
            out += [
                f"### {e(r.id)} — {e(r.title)}",
                "",
                f"{e(r.citation)} · {e(r.url)} · source status {e(r.legal_status)}",
                "",
            ]
            for ev in r.evidence:
                out += [f"> {e(ev.quote)}", ">", f"> — {e(ev.location)}", ""]
            out += [e(r.because), ""]
            if r.ask_for:
                out += [f"**Ask for:** {e(r.ask_for)}", ""]
    if report.skipped:
        out += ["## Not checked", ""] + [f"- {e(s.id)} — {e(s.title)}: {e(s.reason)}" for s in report.skipped]
        out.append("")
    if report.vendor:
        v = report.vendor
        out += (
            [
                f"## Check outside the text: {e(v.name)}",
                "",
                f"The text names {e(v.name)} ({v.mentions} mentions). If this is {e(v.name)}'s own DPA, check:",
                "",
            ]
            + [f"- {e(line)}" for line in _vendor_lines(v)]
            + [""]
        )
    out += ["## How this review works", "", e(METHOD_NOTE), ""]
    return "\n".join(out)


METHOD_NOTE = (
    "For each mandatory DPA term, dpakit looks for groups of alternative phrases (its detection data, kept "
    "beside the requirements catalogue) that must all occur within a few dozen words of each other under "
    "one heading. Found: every group matched. Weak: the term is mentioned but a key element is missing or "
    "qualified. Missing: no passage mentions the term's elements together. It reads words, not meaning: "
    "a lawyer should read every quoted passage."
)


def review_json(report: ReviewReport) -> str:
    """The report as indented JSON (the shape of ``ReviewReport``)."""
    data = report.model_dump(mode="json")
    data["summary"] = report.summary()
    data["counts"] = report.counts()
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def review_text(report: ReviewReport) -> str:
    """A plain-text report for the terminal."""
    lines = [
        f"DPA review: {report.document} ({report.document_kind}, {report.passages} passages)",
        DISCLAIMER,
        report.summary(),
        role_sentence(report.role),
        f"Transfer terms: {report.transfers_reason}.",
        "",
    ]
    for status in STATUSES:
        for r in report.by_status(status):
            lines.append(f"[{status.upper():7}] {r.id} — {r.title}")
            for ev in r.evidence[:1]:
                lines.append(f"          {ev.location}: {ev.quote[:160]}")
            if r.status != "found":
                lines.append(f"          {r.because}")
                lines.append(f"          Ask for: {r.ask_for} ({r.citation})")
    for s in report.skipped:
        lines.append(f"[skipped] {s.id} — {s.title}: {s.reason}")
    if report.vendor:
        lines += ["", f"Check outside the text ({report.vendor.name}):"]
        lines += [f"  - {line}" for line in _vendor_lines(report.vendor)]
    return "\n".join(lines) + "\n"


class _ResultCtx(_Frozen):
    heading: str
    status_line: str
    because: str
    ask_for: str
    has_ask: bool
    citation: str
    quotes: list[dict[str, str]]


class ReviewReportContext(_Frozen):
    """Everything ``templates/review_report.docx`` may use; strings are printed literally."""

    document: str
    document_kind: str
    disclaimer: str
    summary: str
    role: str
    transfers: str
    groups: list[dict[str, Any]]
    skipped: list[str]
    has_skipped: bool
    has_vendor: bool
    vendor_heading: str
    vendor_lines: list[str]
    method: str


def report_context(report: ReviewReport) -> ReviewReportContext:
    groups = []
    for status in STATUSES:
        items = [
            _ResultCtx(
                heading=f"{r.id} — {r.title}",
                status_line=f"{STATUS_LABELS[r.status]} · {', '.join(REGIME_NAMES[c] for c in r.regimes)}",
                because=r.because[:1].upper() + r.because[1:],
                ask_for=r.ask_for or "",
                has_ask=bool(r.ask_for),
                citation=f"{r.citation} — {r.url} (source status {r.legal_status})",
                quotes=[{"text": f"“{ev.quote}”", "location": ev.location} for ev in r.evidence],
            ).model_dump()
            for r in report.by_status(status)
        ]
        groups.append({"title": f"{STATUS_LABELS[status]} ({len(items)})", "results": items, "empty": not items})
    v = report.vendor
    return ReviewReportContext(
        document=report.document,
        document_kind=report.document_kind,
        disclaimer=DISCLAIMER,
        summary=report.summary(),
        role=role_sentence(report.role),
        transfers=f"Transfer terms: {report.transfers_reason}.",
        groups=groups,
        skipped=[f"{s.id} — {s.title}: {s.reason}" for s in report.skipped],
        has_skipped=bool(report.skipped),
        has_vendor=v is not None,
        vendor_heading=(
            f"The text names {v.name} ({v.mentions} mentions). If this is {v.name}'s own DPA, check outside the text:"
        )
        if v
        else "",
        vendor_lines=_vendor_lines(v) if v else [],
        method=METHOD_NOTE,
    )


def review_docx(report: ReviewReport, template: Path = REVIEW_TEMPLATE) -> bytes:
    """The report as a byte-reproducible Word document (rendered by ``docx_render``, values literal)."""
    from ..docx_render import make_reproducible, render_template

    context = report_context(report)
    data = render_template(template, {name: getattr(context, name) for name in type(context).model_fields})
    return make_reproducible(
        data,
        title=f"DPA review — {report.document[:100]}",
        subject="dpakit DPA review report; draft for review by a qualified lawyer",
    )


__all__ = [
    "DETECTION_DIR",
    "DISCLAIMER",
    "REVIEW_REGIMES",
    "REVIEW_TEMPLATE",
    "STATUSES",
    "Detection",
    "Evidence",
    "ReviewReport",
    "ReviewReportContext",
    "SkippedTerm",
    "TermResult",
    "VendorContext",
    "check_detection",
    "load_detection",
    "md_escape",
    "normalise_phrase",
    "parse_regimes",
    "report_context",
    "review_document",
    "review_docx",
    "review_json",
    "review_markdown",
    "review_text",
    "signal_present",
    "tokenize",
    "vendor_context",
]
