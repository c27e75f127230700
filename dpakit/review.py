"""Review an existing DPA against the requirements catalogue: found, weak or missing, and why.

    doc = read_document(data, name="vendor-dpa.pdf")             # dpakit.document_text
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

import functools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .content import (
    DATA_DIR,
    TEMPLATES_DIR,
    display_path,
    ensure_unique,
    read_toml,
    toml_files,
    validate_item,
)
from .document_text import KIND_LABELS, DocumentText, Passage
from .errors import ContentError, InputError
from .requirements import REGIME_NAMES, Catalogue, Requirement, load_catalogue

DETECTION_DIR = DATA_DIR / "detection"
CONCEPTS_FILE_NAME = "concepts.toml"
REVIEW_TEMPLATE = TEMPLATES_DIR / "review_report.docx"
REVIEW_REGIMES: tuple[str, ...] = ("eu_gdpr", "uk_gdpr", "ccpa", "popia")
"""Regimes whose mandatory DPA terms have detection data."""
TRANSFERS_SIGNAL = "mentions-transfers"

Status = Literal["found", "weak", "missing"]
STATUSES: tuple[Status, ...] = ("missing", "weak", "found")
STATUS_LABELS = {"found": "Found", "weak": "Weak", "missing": "Missing"}
Role = Literal["controller", "processor"]
MAX_QUOTE = 420
MAX_EVIDENCE = 3

DISCLAIMER = (
    "Draft for review by a qualified lawyer — not legal advice. This report was produced by software that "
    "looks for phrases; it cannot judge whether a clause is adequate, and a term reported as found may "
    "still need negotiation. Quotes are the document's literal text.")

# --- text normalisation --------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_JOIN_PREFIXES = {"sub", "e", "non", "co"}
_ISE = re.compile(r"^(.{2,}[^aeiou])is(e|ed|es|ing|er|ers|ation|ations|ational|ationally)$")
_NUMBER_WORDS = {
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "fourteen", "fifteen", "twenty", "thirty", "forty", "fortyeight", "sixty", "seventy", "ninety", "hundred",
}
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "‐": "-", "‑": "-"})


@dataclass(frozen=True)
class Token:
    word: str
    start: int  # character offsets in the passage text (for quoting what matched)
    end: int


def tokenize(text: str) -> list[Token]:
    """Normalised words of ``text`` with their character spans (see the module doc for the rules)."""
    raw = [(m.group().casefold(), m.start(), m.end()) for m in _WORD.finditer(text.translate(_QUOTES))]
    out: list[Token] = []
    i = 0
    while i < len(raw):
        word, start, end = raw[i]
        if word in _JOIN_PREFIXES and i + 1 < len(raw) and raw[i + 1][1] - end <= 1:
            nxt = raw[i + 1]
            word, end = word + nxt[0], nxt[2]
            i += 1
        word = word.replace("'", "")
        out.append(Token(_ISE.sub(r"\1iz\2", word), start, end))
        i += 1
    return out


def normalise_phrase(phrase: str) -> tuple[str, ...]:
    """A phrase as the words it matches; ``*`` (prefix) and ``#`` (number) are kept as markers."""
    words: list[str] = []
    if phrase.startswith("^"):
        words.append("^")
        phrase = phrase[1:]
    for part in phrase.split():
        if part == "#":
            words.append("#")
            continue
        star = part.endswith("*")
        toks = [t.word for t in tokenize(part.rstrip("*"))]
        if star and toks:
            toks[-1] += "*"
        words.extend(toks)
    # "sub processor" written with a space joins like the text does
    joined: list[str] = []
    for w in words:
        if joined and joined[-1] in _JOIN_PREFIXES and w != "^":
            joined[-1] += w
        else:
            joined.append(w)
    return tuple(joined)


def _word_matches(pattern: str, word: str) -> bool:
    if pattern == "#":
        return word.isdigit() or word in _NUMBER_WORDS
    if pattern.endswith("*"):
        return word.startswith(pattern[:-1])
    return word == pattern


# --- detection data --------------------------------------------------------------------------------


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Group(_Frozen):
    """One element of a term: any one of ``any`` (phrases, or ``@concept`` references) must occur."""

    concept: str = Field(min_length=1)
    any: tuple[str, ...] = Field(min_length=1)
    weak_if_missing: str | None = None


class WeakSignal(_Frozen):
    """Phrases that, near a match, make the term weak; ``reason`` says why in plain words."""

    any: tuple[str, ...] = Field(min_length=1)
    reason: str = Field(min_length=1)


class TermDetection(_Frozen):
    """How to find one catalogue term (or a signal) in a document."""

    id: str
    window: int = Field(default=40, ge=3, le=400)
    groups: tuple[Group, ...] = Field(min_length=1, alias="group")
    weak_if_present: tuple[WeakSignal, ...] = ()
    ignore: tuple[str, ...] = ()
    ordered: bool = False
    scope: Literal["section", "passage", "sentence"] = "section"
    note: str | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _a_core_remains(self) -> TermDetection:
        if all(g.weak_if_missing for g in self.groups):
            raise ValueError("at least one group must be required (without weak_if_missing)")
        names = [g.concept for g in self.groups]
        if len(set(names)) != len(names):
            raise ValueError("group concepts must be unique within a term")
        return self


class _DetectionFile(_Frozen):
    term: list[dict[str, Any]] = []
    signal: list[dict[str, Any]] = []


class _ConceptsFile(_Frozen):
    concepts: dict[str, list[str]]

    @field_validator("concepts")
    @classmethod
    def _non_empty(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        empty = [k for k, v in value.items() if not v]
        if empty:
            raise ValueError(f"concept(s) without phrases: {empty}")
        return value


@dataclass(frozen=True)
class CompiledGroup:
    concept: str
    phrases: tuple[tuple[str, ...], ...]
    weak_if_missing: str | None


@dataclass(frozen=True)
class CompiledTerm:
    id: str
    window: int
    groups: tuple[CompiledGroup, ...]
    weak_signals: tuple[tuple[tuple[tuple[str, ...], ...], str], ...]
    ignore: tuple[tuple[str, ...], ...]
    ordered: bool
    scope: str
    note: str | None
    file: str


@dataclass(frozen=True)
class Detection:
    """Every term's and signal's detection rules, compiled; keyed by requirement id / signal id."""

    terms: Mapping[str, CompiledTerm]
    signals: Mapping[str, CompiledTerm]


def _expand(phrases: Iterable[str], concepts: Mapping[str, list[str]], file: str, item: str) -> tuple:
    out: list[tuple[str, ...]] = []
    for phrase in phrases:
        if phrase.startswith("@"):
            name = phrase[1:]
            if name not in concepts:
                raise ContentError(file, f"unknown concept {phrase!r} (define it in {CONCEPTS_FILE_NAME})", item)
            out.extend(_expand(concepts[name], concepts, file, item))
            continue
        words = normalise_phrase(phrase)
        if not [w for w in words if w not in ("#", "^")]:
            raise ContentError(file, f"phrase {phrase!r} has no words to match", item)
        for w in words:
            if w.endswith("*") and len(w) < 4:
                raise ContentError(file, f"prefix {w!r} in {phrase!r} is too short (at least 3 letters)", item)
            if w.endswith("is*") and len(w) > 5:
                raise ContentError(file, f"write the -iz spelling for prefixes ({w[:-3]}iz*) in {phrase!r}: "
                                         "text is normalised from -ise to -ize", item)
        out.append(words)
    return tuple(dict.fromkeys(out))


def _compile(item: TermDetection, concepts: Mapping[str, list[str]], file: str) -> CompiledTerm:
    groups = tuple(CompiledGroup(g.concept, _expand(g.any, concepts, file, item.id), g.weak_if_missing)
                   for g in item.groups)
    weak = tuple((_expand(w.any, concepts, file, item.id), w.reason) for w in item.weak_if_present)
    ignore = _expand(item.ignore, concepts, file, item.id)
    return CompiledTerm(item.id, item.window, groups, weak, ignore, item.ordered, item.scope, item.note, file)


def load_detection(folder: Path = DETECTION_DIR) -> Detection:
    """Read and check the detection data; cached for the packaged folder."""
    if Path(folder) == DETECTION_DIR:
        return _load_default_detection()
    return _load_detection(Path(folder))


@functools.lru_cache(maxsize=1)
def _load_default_detection() -> Detection:
    return _load_detection(DETECTION_DIR)


def _load_detection(folder: Path) -> Detection:
    concepts_path = folder / CONCEPTS_FILE_NAME
    concepts = validate_item(_ConceptsFile, read_toml(concepts_path), display_path(concepts_path)).concepts
    terms: list[tuple[CompiledTerm, str]] = []
    signals: list[tuple[CompiledTerm, str]] = []
    for path in toml_files(folder):
        if path.name == CONCEPTS_FILE_NAME:
            continue
        file = display_path(path)
        raw = validate_item(_DetectionFile, read_toml(path), file)
        for kind, items, into in (("term", raw.term, terms), ("signal", raw.signal, signals)):
            for n, entry in enumerate(items, start=1):
                name = str(entry.get("id") or f"{kind} #{n}")
                into.append((_compile(validate_item(TermDetection, entry, file, name), concepts, file), file))
    if not terms:
        raise ContentError(display_path(folder), "no detection terms found")
    ensure_unique(((t.id, f) for t, f in terms), "detection term")
    ensure_unique(((t.id, f) for t, f in signals), "detection signal")
    return Detection({t.id: t for t, _ in terms}, {t.id: t for t, _ in signals})


def check_detection(detection: Detection | None = None, catalogue: Catalogue | None = None) -> list[str]:
    """Tie detection data to the catalogue; raises ``ContentError`` on the first gap. Returns a summary."""
    detection = detection or load_detection()
    catalogue = catalogue or load_catalogue()
    for term in detection.terms.values():
        if term.id not in catalogue:
            raise ContentError(term.file, "not a requirement id in the catalogue", term.id)
        if catalogue.get(term.id).kind != "dpa_term":
            raise ContentError(term.file, "detection data is only for requirements of kind dpa_term", term.id)
    for regime in REVIEW_REGIMES:
        missing = [r.id for r in catalogue.mandatory_terms(regime) if r.id not in detection.terms]
        if missing:
            raise ContentError(display_path(DETECTION_DIR), f"no detection data for {regime} term(s): "
                               + ", ".join(missing))
    if TRANSFERS_SIGNAL not in detection.signals:
        raise ContentError(display_path(DETECTION_DIR), f"the {TRANSFERS_SIGNAL!r} signal is not defined")
    phrases = sum(len(g.phrases) for t in detection.terms.values() for g in t.groups)
    return [f"review detection: {len(detection.terms)} terms, {phrases} phrases"]


# --- matching ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Hit:
    group: int
    start: int  # token positions in the section stream
    end: int


@dataclass
class _Section:
    passages: list[Passage]
    words: list[str]
    where: list[tuple[int, Token]]  # (index into passages, token) per stream position
    starts: set[int]  # stream positions where a passage begins
    sentence: list[int]  # sentence number (unique in the section) per stream position
    index: dict[str, list[int]] | None = None  # word → positions, built on first use

    def word_index(self) -> dict[str, list[int]]:
        if self.index is None:
            self.index = _index(self.words)
        return self.index


# A match starts only at the start of a word and never gives back word characters: with a plain
# ``(\w*)`` every position inside a long word was tried again, quadratic in its length (1.2 s for one
# 10,000-letter word). Same matches, linear time.
_SENTENCE_END = re.compile(r"(?<!\w)(\w*+)[.!?](?=\s+[\"“(A-Z0-9]|\s*$)")
_ABBREVIATIONS = {"e.g", "i.e", "g", "e", "etc", "no", "art", "arts", "cf", "vs", "inc", "ltd", "co", "s", "para"}


def _sentence_ends(text: str) -> list[int]:
    """Character offsets where a sentence ends (abbreviations such as "e.g." and "Art." do not end one)."""
    return [m.end() for m in _SENTENCE_END.finditer(text)
            if m.group(1).lower() not in _ABBREVIATIONS and not (len(m.group(1)) == 1 and m.group(1).isupper())]


def _sections(doc: DocumentText) -> list[_Section]:
    sections: list[_Section] = []
    current: _Section | None = None
    for passage in doc.passages:
        if current is None or passage.kind == "heading":
            current = _Section([], [], [], set(), [])
            sections.append(current)
        current.passages.append(passage)
        current.starts.add(len(current.words))
        base = (current.sentence[-1] + 1) if current.sentence else 0
        ends = _sentence_ends(passage.text)
        for tok in tokenize(passage.text):
            current.words.append(tok.word)
            current.where.append((len(current.passages) - 1, tok))
            current.sentence.append(base + sum(1 for e in ends if e <= tok.start))
    return sections


@functools.lru_cache(maxsize=8)
def _sections_cached(doc: DocumentText) -> tuple[_Section, ...]:
    return tuple(_sections(doc))


def _candidates(pattern: str, index: Mapping[str, list[int]]) -> list[int]:
    if pattern == "#":
        return sorted(i for w, pos in index.items() if _word_matches("#", w) for i in pos)
    if pattern.endswith("*"):
        stem = pattern[:-1]
        return sorted(i for w, pos in index.items() if w.startswith(stem) for i in pos)
    return index.get(pattern, [])


def _index(words: Sequence[str]) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for i, w in enumerate(words):
        index.setdefault(w, []).append(i)
    return index


def _find(words: Sequence[str], phrases: Sequence[tuple[str, ...]], starts: set[int] | None = None,
          index: Mapping[str, list[int]] | None = None) -> list[tuple[int, int]]:
    """(start, end) word positions where any phrase occurs; ``^`` anchors a phrase at a passage start."""
    index = _index(words) if index is None else index
    found = []
    n = len(words)
    for phrase in phrases:
        anchored = phrase[0] == "^"
        if anchored:
            phrase = phrase[1:]
        k = len(phrase)
        for i in _candidates(phrase[0], index):
            if i + k > n or (anchored and (starts is None or i not in starts)):
                continue
            if all(_word_matches(p, words[i + j]) for j, p in enumerate(phrase[1:], start=1)):
                found.append((i, i + k))
    return found


def _hits(section: _Section, term: CompiledTerm) -> list[_Hit]:
    index = section.word_index()
    masked = _find(section.words, term.ignore, section.starts, index) if term.ignore else []
    hits = []
    for g, group in enumerate(term.groups):
        for s, e in _find(section.words, group.phrases, section.starts, index):
            if not any(s < me and ms < e for ms, me in masked):
                hits.append(_Hit(g, s, e))
    return sorted(hits, key=lambda h: (h.start, h.end))


def _ordered_window(hits: Sequence[_Hit], order: Sequence[int]) -> tuple[int, list[_Hit]] | None:
    """The smallest span with a hit of each group in ``order``, in that order in the text."""
    by_group: dict[int, list[_Hit]] = {g: [h for h in hits if h.group == g] for g in order}
    best: tuple[int, list[_Hit]] | None = None
    for first in by_group[order[0]]:
        chain = [first]
        for g in order[1:]:
            nxt = next((h for h in by_group[g] if h.start >= chain[-1].end), None)
            if nxt is None:
                break
            chain.append(nxt)
        else:
            span = chain[-1].end - first.start
            if best is None or span < best[0]:
                best = (span, chain)
    return best


def _min_window(hits: Sequence[_Hit], needed: set[int], ordered: bool = False) -> tuple[int, list[_Hit]] | None:
    """The smallest span holding a hit of every group in ``needed``: (span in words, hits used)."""
    if ordered:
        return _ordered_window(hits, sorted(needed))
    relevant = [h for h in hits if h.group in needed]
    best: tuple[int, list[_Hit]] | None = None
    counts: dict[int, int] = {}
    left = 0
    for right, hit in enumerate(relevant):
        counts[hit.group] = counts.get(hit.group, 0) + 1
        while len(counts) == len(needed):
            first = relevant[left]
            window = relevant[left: right + 1]
            span = max(h.end for h in window) - first.start
            if best is None or span < best[0]:
                chosen: dict[int, _Hit] = {}
                for h in window:
                    chosen.setdefault(h.group, h)
                best = (span, sorted(chosen.values(), key=lambda h: h.start))
            counts[first.group] -= 1
            if not counts[first.group]:
                del counts[first.group]
            left += 1
    return best


def _scoped_window(section: _Section, term: CompiledTerm, hits: Sequence[_Hit],
                   needed: set[int]) -> tuple[int, list[_Hit]] | None:
    """The best window for ``needed`` groups, all inside one passage or sentence if the term says so."""
    if term.scope == "section":
        return _min_window(hits, needed, term.ordered)
    units: dict[int, list[_Hit]] = {}
    for hit in hits:
        unit = section.where[hit.start][0] if term.scope == "passage" else section.sentence[hit.start]
        if unit == (section.where[hit.end - 1][0] if term.scope == "passage" else section.sentence[hit.end - 1]):
            units.setdefault(unit, []).append(hit)
    best: tuple[int, list[_Hit]] | None = None
    for unit_hits in units.values():
        found = _min_window(unit_hits, needed, term.ordered)
        if found is not None and (best is None or found[0] < best[0]):
            best = found
    return best


def _ordered_chains(section: _Section, term: CompiledTerm, hits: Sequence[_Hit],
                    order: Sequence[int]) -> list[tuple[int, list[_Hit]]]:
    """Every in-order chain of hits (one per group, starting at each first-group hit) within the window."""
    chains = []
    for first in (h for h in hits if h.group == order[0]):
        chain = [first]
        for g in order[1:]:
            nxt = next((h for h in hits if h.group == g and h.start >= chain[-1].end), None)
            if nxt is None:
                break
            chain.append(nxt)
        else:
            span = chain[-1].end - first.start
            if span <= term.window and _same_unit(section, term.scope, first.start, chain[-1].end - 1):
                chains.append((span, chain))
    return chains


def _same_unit(section: _Section, scope: str, a: int, b: int) -> bool:
    if scope == "passage":
        return section.where[a][0] == section.where[b][0]
    if scope == "sentence":
        return section.sentence[a] == section.sentence[b]
    return True


@dataclass(frozen=True)
class _Match:
    section: _Section
    span: int
    hits: list[_Hit]
    missing_groups: tuple[int, ...]
    weak_reasons: tuple[str, ...]


def _match_term(term: CompiledTerm, sections: Sequence[_Section]) -> tuple[list[_Match], list[_Match]]:
    """Full matches and core-only matches (weak), best (shortest) first."""
    all_groups = set(range(len(term.groups)))
    core = {i for i, g in enumerate(term.groups) if not g.weak_if_missing}
    full: list[_Match] = []
    partial: list[_Match] = []
    for section in sections:
        hits = _hits(section, term)
        if not hits:
            continue
        if term.ordered and core != all_groups:  # the order binds the core groups; key groups may be near
            candidates = []
            for span, chain in _ordered_chains(section, term, hits, sorted(core)):
                lo, hi = chain[0].start - 2 * term.window, chain[-1].end + 2 * term.window
                near: dict[int, _Hit] = {}
                for h in hits:
                    if h.group not in core and lo <= h.start and h.end <= hi:
                        near.setdefault(h.group, h)
                missing = tuple(sorted(all_groups - core - set(near)))
                candidates.append((len(missing), span, missing, sorted(chain + list(near.values()),
                                                                      key=lambda h: h.start)))
            if candidates:
                _, span, missing, used = min(candidates, key=lambda c: (c[0], c[1]))
                if missing:
                    partial.append(_Match(section, span, used, missing, ()))
                else:
                    full.append(_Match(section, span, used, (), _weak_signals(term, section, used)))
            continue
        best = _scoped_window(section, term, hits, all_groups)
        if best is not None and best[0] <= term.window:
            reasons = _weak_signals(term, section, best[1])
            full.append(_Match(section, best[0], best[1], (), reasons))
            continue
        if core != all_groups:
            best = _scoped_window(section, term, hits, core)
            if best is not None and best[0] <= term.window:
                lo, hi = best[1][0].start - 2 * term.window, best[1][-1].end + 2 * term.window
                present = {h.group for h in hits if h.start >= lo and h.end <= hi}
                extra = [h for h in hits if h.group not in core and h.start >= lo and h.end <= hi]
                missing = tuple(sorted(all_groups - core - present))
                if missing:
                    partial.append(_Match(section, best[0], best[1], missing, ()))
                else:  # every element is near, only not all within the window: still weak
                    partial.append(_Match(section, best[0], sorted(best[1] + extra[:1], key=lambda h: h.start),
                                          (), ("the elements are present but far apart; read the passage",)))
    full.sort(key=lambda m: (bool(m.weak_reasons), m.span))
    partial.sort(key=lambda m: (len(m.missing_groups), m.span))
    return full, partial


def _weak_signals(term: CompiledTerm, section: _Section, hits: list[_Hit]) -> tuple[str, ...]:
    if not term.weak_signals:
        return ()
    indexes = {section.where[h.start][0] for h in hits}
    words = [w for w, (p, _) in zip(section.words, section.where, strict=True) if p in indexes]
    return tuple(reason for phrases, reason in term.weak_signals if _find(words, phrases))


def signal_present(doc: DocumentText, signal_id: str, detection: Detection | None = None) -> bool:
    detection = detection or load_detection()
    term = detection.signals[signal_id]
    full, _ = _match_term(term, _sections_cached(doc))
    return bool(full)


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
        return (f"{len(self.results)} mandatory terms checked for {regimes}: {c['found']} found, "
                f"{c['weak']} weak, {c['missing']} missing ({self.percent_found} % found).")


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


def _evidence(matches: Sequence[_Match], term: CompiledTerm) -> tuple[list[Evidence], list[MatchedPhrase]]:
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
                phrases.append(MatchedPhrase(concept=term.groups[hit.group].concept,
                                             text=passage.text[first_tok.start:last_tok.end],
                                             passage=passage.index))
        quoted = sorted(by_passage.items())
        if any(match.section.passages[i].kind != "heading" for i, _ in quoted):
            quoted = [(i, t) for i, t in quoted if match.section.passages[i].kind != "heading"]
        for p_index, toks in quoted:
            passage = match.section.passages[p_index]
            if passage.index in seen:
                continue
            seen.add(passage.index)
            evidence.append(Evidence(passage=passage.index, location=passage.location(),
                                     quote=_quote(passage, toks), page=passage.page))
    return evidence, phrases


def _because(phrases: Sequence[MatchedPhrase], window: int) -> str:
    parts = [f"{p.concept}: “{p.text}” (paragraph {p.passage})" for p in phrases]
    return f"matched because, within {window} words, it says — " + "; ".join(parts)


def _evaluate(req: Requirement, regimes: tuple[str, ...], term: CompiledTerm,
              sections: Sequence[_Section]) -> TermResult:
    full, partial = _match_term(term, sections)
    base = dict(id=req.id, title=req.title, regimes=regimes, citation=req.citation, url=req.url,
                legal_status=req.status, conditional=req.when is not None)
    if full and not full[0].weak_reasons:
        evidence, phrases = _evidence(full, term)
        return TermResult(status="found", because=_because(phrases, term.window), evidence=tuple(evidence),
                          matched=tuple(phrases), **base)
    if full or partial:
        match = full[0] if full else partial[0]
        evidence, phrases = _evidence([match], term)
        reasons = list(match.weak_reasons) + [term.groups[g].weak_if_missing or "" for g in match.missing_groups]
        because = _because(phrases, term.window) + ". Weak: " + "; ".join(reasons)
        return TermResult(status="weak", because=because, evidence=tuple(evidence), matched=tuple(phrases),
                          weak_reasons=tuple(reasons), ask_for=req.ask_for, **base)
    wanted = "; ".join(f"{g.concept} (e.g. “{' '.join(g.phrases[0]).replace('#', 'N')}”)" for g in term.groups)
    because = f"not found: no section mentions all of — {wanted} — within {term.window} words"
    return TermResult(status="missing", because=because, ask_for=req.ask_for, **base)


def _transfers_decision(doc: DocumentText, transfers: bool | None,
                        facts: Mapping[str, Any] | None, detection: Detection) -> tuple[bool | None, str]:
    if transfers is not None:
        return transfers, ("you chose to check the transfer terms" if transfers
                           else "you chose not to check the transfer terms")
    if facts is not None:
        return None, "transfer terms follow your assessment (each is checked where its condition holds)"
    if signal_present(doc, TRANSFERS_SIGNAL, detection):
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
) -> ReviewReport:
    """Check ``doc`` for every mandatory DPA term of ``regimes``; see the module doc for the method."""
    from .conditions import evaluate, parse_condition

    codes = parse_regimes(regimes)
    if role not in ("controller", "processor"):
        raise InputError(f"role must be controller or processor, not {role!r}")
    catalogue = catalogue or load_catalogue()
    detection = detection or load_detection()
    sections = _sections_cached(doc)
    pairs = _terms_for(codes, catalogue)
    decided, reason = _transfers_decision(doc, transfers, facts, detection)
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
        results.append(_evaluate(req, req_regimes, term, sections))
    any_checked = any(r.conditional for r in results)
    return ReviewReport(
        document=doc.name, document_kind=KIND_LABELS.get(doc.kind, doc.kind), passages=len(doc.passages),
        characters=doc.characters, regimes=codes, role=role,
        transfers_checked=any_checked if decided is None else bool(decided), transfers_reason=reason,
        results=tuple(results), skipped=tuple(skipped), vendor=vendor_context(doc, results))


# --- vendor context ----------------------------------------------------------------------------------

_DAYS = re.compile(r"\b(\d{1,3})\s*(?:\)\s*)?(calendar |business |working )?days?\b", re.I)


def vendor_context(doc: DocumentText, results: Sequence[TermResult] = ()) -> VendorContext | None:
    """When the text names a known CRM vendor, what to check outside it (DPF, sub-processor list, notice)."""
    from .vendors import detect_vendor, load_vendors

    text = doc.text
    vendor_id = detect_vendor(text)
    if vendor_id is None:
        return None
    profile = load_vendors()[vendor_id]
    lowered = text.lower()
    mentions = sum(lowered.count(p) for p in profile.detect_phrases)
    dpf = {"listed": "listed on the DPF List (per the profile) — confirm the listing is current",
           "not_listed": "not on the DPF List (per the profile)",
           "not_confirmed": "not confirmed — look it up on the DoC DPF List (dataprivacyframework.gov/list)"}
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
    sources = tuple(dict.fromkeys(f"{f.key}: {f.source} (as of {f.as_of}, status {f.status})"
                                  for f in profile.facts if f.key in ("dpf_certified", "subprocessor_url")))
    return VendorContext(
        vendor_id=vendor_id, name=profile.name, mentions=mentions, dpf_status=dpf[profile.dpf_certified],
        subprocessor_url=profile.subprocessor_url or "not confirmed — find it on the vendor's privacy pages",
        subprocessor_notice=notice, checks=profile.review_checks, sources=sources)


# --- outputs -------------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&\"'=^])")


def md_escape(text: object) -> str:
    """Backslash-escape every Markdown-significant character, so document text is shown literally."""
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def role_sentence(role: Role) -> str:
    if role == "controller":
        return ("You review as the controller: the other party (e.g. your CRM vendor) is your processor; "
                "ask it for what is weak or missing.")
    return ("You review as the processor: the other party is your customer (the controller); propose the "
            "weak or missing terms — most are duties the law puts on you anyway.")


def _vendor_lines(v: VendorContext) -> list[str]:
    return [f"DPF certification: {v.dpf_status}", f"Sub-processor list: {v.subprocessor_url}",
            f"Notice period for new sub-processors: {v.subprocessor_notice}", *v.checks]


def review_markdown(report: ReviewReport) -> str:
    """The report as Markdown; every piece of document text is escaped."""
    e = md_escape
    out = [f"# DPA review: {e(report.document)}", "", f"**{e(DISCLAIMER)}**", "",
           e(report.summary()), "", e(role_sentence(report.role)), "",
           f"Transfer terms: {e(report.transfers_reason)}.", ""]
    for status in STATUSES:
        items = report.by_status(status)
        out += [f"## {STATUS_LABELS[status]} ({len(items)})", ""]
        if not items:
            out += ["None.", ""]
        for r in items:
            out += [f"### {e(r.id)} — {e(r.title)}", "",
                    f"{e(r.citation)} · {e(r.url)} · source status {e(r.legal_status)}", ""]
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
        out += [f"## Check outside the text: {e(v.name)}", "",
                f"The text names {e(v.name)} ({v.mentions} mentions). If this is {e(v.name)}'s own DPA, check:",
                ""] + [f"- {e(line)}" for line in _vendor_lines(v)] + [""]
    out += ["## How this review works", "", e(METHOD_NOTE), ""]
    return "\n".join(out)


METHOD_NOTE = (
    "For each mandatory DPA term, dpakit looks for groups of alternative phrases (its detection data, kept "
    "beside the requirements catalogue) that must all occur within a few dozen words of each other under "
    "one heading. Found: every group matched. Weak: the term is mentioned but a key element is missing or "
    "qualified. Missing: no passage mentions the term's elements together. It reads words, not meaning: "
    "a lawyer should read every quoted passage.")


def review_json(report: ReviewReport) -> str:
    """The report as indented JSON (the shape of ``ReviewReport``)."""
    data = report.model_dump(mode="json")
    data["summary"] = report.summary()
    data["counts"] = report.counts()
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def review_text(report: ReviewReport) -> str:
    """A plain-text report for the terminal."""
    lines = [f"DPA review: {report.document} ({report.document_kind}, {report.passages} passages)",
             DISCLAIMER, report.summary(), role_sentence(report.role),
             f"Transfer terms: {report.transfers_reason}.", ""]
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
                ask_for=r.ask_for or "", has_ask=bool(r.ask_for),
                citation=f"{r.citation} — {r.url} (source status {r.legal_status})",
                quotes=[{"text": f"“{ev.quote}”", "location": ev.location} for ev in r.evidence],
            ).model_dump()
            for r in report.by_status(status)
        ]
        groups.append({"title": f"{STATUS_LABELS[status]} ({len(items)})", "results": items,
                       "empty": not items})
    v = report.vendor
    return ReviewReportContext(
        document=report.document, document_kind=report.document_kind, disclaimer=DISCLAIMER,
        summary=report.summary(), role=role_sentence(report.role),
        transfers=f"Transfer terms: {report.transfers_reason}.", groups=groups,
        skipped=[f"{s.id} — {s.title}: {s.reason}" for s in report.skipped], has_skipped=bool(report.skipped),
        has_vendor=v is not None,
        vendor_heading=(f"The text names {v.name} ({v.mentions} mentions). If this is {v.name}'s own DPA, "
                        "check outside the text:") if v else "",
        vendor_lines=_vendor_lines(v) if v else [], method=METHOD_NOTE)


def review_docx(report: ReviewReport, template: Path = REVIEW_TEMPLATE) -> bytes:
    """The report as a byte-reproducible Word document (rendered by ``docx_render``, values literal)."""
    from .docx_render import make_reproducible, render_template

    context = report_context(report)
    data = render_template(template, {name: getattr(context, name) for name in type(context).model_fields})
    return make_reproducible(data, title=f"DPA review — {report.document[:100]}",
                             subject="dpakit DPA review report; draft for review by a qualified lawyer")


__all__ = [
    "DETECTION_DIR", "DISCLAIMER", "REVIEW_REGIMES", "REVIEW_TEMPLATE", "STATUSES", "Detection", "Evidence",
    "ReviewReport", "ReviewReportContext", "SkippedTerm", "TermResult", "VendorContext", "check_detection",
    "load_detection", "md_escape", "normalise_phrase", "parse_regimes", "report_context", "review_document",
    "review_docx", "review_json", "review_markdown", "review_text", "signal_present", "tokenize",
    "vendor_context",
]
