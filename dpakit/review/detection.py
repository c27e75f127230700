"""Detection data and phrase matching for the DPA review (``dpakit.review.report``).

``dpakit/data/detection/*.toml`` holds, for every mandatory DPA term, concept groups of alternative
phrases, a proximity window in words and weak signals; this module loads and validates that data, and
finds where a term's phrases occur in a document (see ``dpakit/data/detection/README.md`` and the
method described in ``dpakit.review.report``).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..content import (
    DATA_DIR,
    display_path,
    ensure_unique,
    read_toml,
    toml_files,
    validate_item,
)
from ..errors import ContentError
from ..requirements import Catalogue, load_catalogue
from .reading import DocumentText, Passage

DETECTION_DIR = DATA_DIR / "detection"
CONCEPTS_FILE_NAME = "concepts.toml"
REVIEW_REGIMES: tuple[str, ...] = ("eu_gdpr", "uk_gdpr", "ccpa", "popia")
"""Regimes whose mandatory DPA terms have detection data."""
TRANSFERS_SIGNAL = "mentions-transfers"

# --- text normalisation --------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_JOIN_PREFIXES = {"sub", "e", "non", "co"}
_ISE = re.compile(r"^(.{2,}[^aeiou])is(e|ed|es|ing|er|ers|ation|ations|ational|ationally)$")
_NUMBER_WORDS = {
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "fourteen",
    "fifteen",
    "twenty",
    "thirty",
    "forty",
    "fortyeight",
    "sixty",
    "seventy",
    "ninety",
    "hundred",
}
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "‐": "-", "‑": "-"})


class Token(NamedTuple):
    """A normalised word and its character offsets in the passage text (for quoting what matched)."""

    word: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Normalised words of ``text`` with their character spans (see the module doc for the rules)."""
    found = list(_WORD.finditer(text.translate(_QUOTES)))
    out: list[Token] = []
    n = len(found)
    i = 0
    while i < n:
        m = found[i]
        word = m.group().casefold()
        start, end = m.span()
        if word in _JOIN_PREFIXES and i + 1 < n and found[i + 1].start() - end <= 1:
            nxt = found[i + 1]
            word, end = word + nxt.group().casefold(), nxt.end()
            i += 1
        out.append(Token(_normal_word(word), start, end))
        i += 1
    return out


@functools.lru_cache(maxsize=1 << 16)
def _normal_word(word: str) -> str:
    """A (case-folded, joined) word without apostrophes and with British -ise spelled -ize; cached, since a
    document repeats its words and the substitution is the costly part of reading one."""
    return _ISE.sub(r"\1iz\2", word.replace("'", ""))


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
                raise ContentError(
                    file,
                    f"write the -iz spelling for prefixes ({w[:-3]}iz*) in {phrase!r}: "
                    "text is normalised from -ise to -ize",
                    item,
                )
        out.append(words)
    return tuple(dict.fromkeys(out))


def _compile(item: TermDetection, concepts: Mapping[str, list[str]], file: str) -> CompiledTerm:
    groups = tuple(
        CompiledGroup(g.concept, _expand(g.any, concepts, file, item.id), g.weak_if_missing) for g in item.groups
    )
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
            raise ContentError(
                display_path(DETECTION_DIR), f"no detection data for {regime} term(s): " + ", ".join(missing)
            )
    if TRANSFERS_SIGNAL not in detection.signals:
        raise ContentError(display_path(DETECTION_DIR), f"the {TRANSFERS_SIGNAL!r} signal is not defined")
    phrases = sum(len(g.phrases) for t in detection.terms.values() for g in t.groups)
    return [f"review detection: {len(detection.terms)} terms, {phrases} phrases"]


# --- matching ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    group: int
    start: int  # token positions in the section stream
    end: int


@dataclass
class Section:
    passages: list[Passage]
    words: list[str]
    where: list[tuple[int, Token]]  # (index into passages, token) per stream position
    starts: set[int]  # stream positions where a passage begins
    sentence: list[int]  # sentence number (unique in the section) per stream position
    index: dict[str, list[int]] | None = None  # word → positions, built on first use
    number: int = 0  # position among the document's sections (its bit in ``Vocabulary`` masks)
    vocabulary: Vocabulary | None = field(default=None, repr=False, compare=False)  # shared, document-wide

    def word_index(self) -> dict[str, list[int]]:
        if self.index is None:
            self.index = _index(self.words)
        return self.index


class Vocabulary:
    """A document-wide index of words: for every distinct word, the sections that contain it (a bit mask).

    It answers, without looking at a section, whether a phrase *can* occur in it: a phrase occurs only
    where each of its words (an exact word, a prefix's words, a number) occurs somewhere in the section.
    A section that cannot hold every required group of a term cannot match it and is skipped, and within a
    section only the phrases that can occur are looked for. Both are exact: only work that finds nothing
    is skipped. Prefix patterns look up their words once per document (bisect in the sorted vocabulary)
    instead of scanning every section's words for every pattern.
    """

    def __init__(self, sections: Sequence[Section]) -> None:
        masks: dict[str, int] = {}
        for section in sections:
            bit = 1 << section.number
            for word in section.word_index():
                masks[word] = masks.get(word, 0) | bit
        self.masks = masks
        self.sorted = sorted(masks)
        self.everywhere = (1 << len(sections)) - 1
        self._words: dict[str, tuple[str, ...]] = {}
        self._pattern_masks: dict[str, int] = {}
        self._phrase_masks: dict[tuple[str, ...], int] = {}

    def words(self, pattern: str) -> tuple[str, ...]:
        """The document's words that ``pattern`` (a word, ``stem*`` or ``#``) matches, in sorted order."""
        found = self._words.get(pattern)
        if found is None:
            if pattern == "#":
                found = tuple(w for w in self.sorted if _word_matches("#", w))
            elif pattern.endswith("*"):
                stem = pattern[:-1]
                lo = bisect.bisect_left(self.sorted, stem)
                hi = lo
                while hi < len(self.sorted) and self.sorted[hi].startswith(stem):
                    hi += 1
                found = tuple(self.sorted[lo:hi])
            else:
                found = (pattern,) if pattern in self.masks else ()
            self._words[pattern] = found
        return found

    def pattern_mask(self, pattern: str) -> int:
        mask = self._pattern_masks.get(pattern)
        if mask is None:
            mask = 0
            for word in self.words(pattern):
                mask |= self.masks[word]
            self._pattern_masks[pattern] = mask
        return mask

    def phrase_mask(self, phrase: tuple[str, ...]) -> int:
        """The sections in which every word of ``phrase`` occurs (where it can match)."""
        mask = self._phrase_masks.get(phrase)
        if mask is None:
            mask = self.everywhere
            for pattern in phrase:
                if pattern != "^":
                    mask &= self.pattern_mask(pattern)
                    if not mask:
                        break
            self._phrase_masks[phrase] = mask
        return mask

    def phrases_mask(self, phrases: Iterable[tuple[str, ...]]) -> int:
        mask = 0
        for phrase in phrases:
            mask |= self.phrase_mask(phrase)
        return mask

    def candidates(self, pattern: str, index: Mapping[str, list[int]]) -> list[int]:
        """Positions in one section (its ``index``) where ``pattern`` matches, ascending (as ``_candidates``)."""
        if pattern != "#" and not pattern.endswith("*"):
            return index.get(pattern, [])
        lists = [pos for w in self.words(pattern) if (pos := index.get(w))]
        if len(lists) == 1:
            return lists[0]
        return sorted(i for pos in lists for i in pos)


# A match starts only at the start of a word and never gives back word characters: with a plain
# ``(\w*)`` every position inside a long word was tried again, quadratic in its length (1.2 s for one
# 10,000-letter word). Same matches, linear time.
_SENTENCE_END = re.compile(r"(?<!\w)(\w*+)[.!?](?=\s+[\"“(A-Z0-9]|\s*$)")
_ABBREVIATIONS = {"e.g", "i.e", "g", "e", "etc", "no", "art", "arts", "cf", "vs", "inc", "ltd", "co", "s", "para"}


def _sentence_ends(text: str) -> list[int]:
    """Character offsets where a sentence ends (abbreviations such as "e.g." and "Art." do not end one)."""
    return [
        m.end()
        for m in _SENTENCE_END.finditer(text)
        if m.group(1).lower() not in _ABBREVIATIONS and not (len(m.group(1)) == 1 and m.group(1).isupper())
    ]


def _sections(doc: DocumentText) -> list[Section]:
    sections: list[Section] = []
    current: Section | None = None
    for passage in doc.passages:
        if current is None or passage.kind == "heading":
            current = Section([], [], [], set(), [], number=len(sections))
            sections.append(current)
        current.passages.append(passage)
        current.starts.add(len(current.words))
        base = (current.sentence[-1] + 1) if current.sentence else 0
        ends = _sentence_ends(passage.text)
        tokens = tokenize(passage.text)
        number = len(current.passages) - 1
        current.words.extend([tok.word for tok in tokens])
        current.where.extend([(number, tok) for tok in tokens])
        if ends:  # ends are ascending
            current.sentence.extend([base + bisect.bisect_right(ends, tok.start) for tok in tokens])
        else:
            current.sentence.extend([base] * len(tokens))
    vocabulary = Vocabulary(sections)
    for section in sections:
        section.vocabulary = vocabulary
    return sections


@functools.lru_cache(maxsize=8)
def document_sections(doc: DocumentText) -> tuple[Section, ...]:
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


def _find(
    words: Sequence[str],
    phrases: Sequence[tuple[str, ...]],
    starts: set[int] | None = None,
    index: Mapping[str, list[int]] | None = None,
    section: Section | None = None,
) -> list[tuple[int, int]]:
    """(start, end) word positions where any phrase occurs; ``^`` anchors a phrase at a passage start.

    With ``section`` (whose ``words`` and ``index`` these are), its document's ``Vocabulary`` skips the
    phrases that cannot occur in it and finds prefix candidates without scanning the section's words.
    """
    index = _index(words) if index is None else index
    vocabulary, bit = (section.vocabulary, 1 << section.number) if section is not None else (None, 0)
    found = []
    n = len(words)
    for phrase in phrases:
        if vocabulary is not None and not vocabulary.phrase_mask(phrase) & bit:
            continue
        anchored = phrase[0] == "^"
        if anchored:
            phrase = phrase[1:]
        k = len(phrase)
        candidates = (
            vocabulary.candidates(phrase[0], index) if vocabulary is not None else _candidates(phrase[0], index)
        )
        for i in candidates:
            if i + k > n or (anchored and (starts is None or i not in starts)):
                continue
            if all(_word_matches(p, words[i + j]) for j, p in enumerate(phrase[1:], start=1)):
                found.append((i, i + k))
    return found


def _hits(section: Section, term: CompiledTerm, indexed: bool = True) -> list[Hit]:
    index = section.word_index()
    by = section if indexed else None
    masked = _find(section.words, term.ignore, section.starts, index, by) if term.ignore else []
    hits = []
    for g, group in enumerate(term.groups):
        for s, e in _find(section.words, group.phrases, section.starts, index, by):
            if not any(s < me and ms < e for ms, me in masked):
                hits.append(Hit(g, s, e))
    return sorted(hits, key=lambda h: (h.start, h.end))


def _ordered_window(hits: Sequence[Hit], order: Sequence[int]) -> tuple[int, list[Hit]] | None:
    """The smallest span with a hit of each group in ``order``, in that order in the text."""
    by_group: dict[int, list[Hit]] = {g: [h for h in hits if h.group == g] for g in order}
    best: tuple[int, list[Hit]] | None = None
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


def _min_window(hits: Sequence[Hit], needed: set[int], ordered: bool = False) -> tuple[int, list[Hit]] | None:
    """The smallest span holding a hit of every group in ``needed``: (span in words, hits used)."""
    if ordered:
        return _ordered_window(hits, sorted(needed))
    relevant = [h for h in hits if h.group in needed]
    best: tuple[int, list[Hit]] | None = None
    counts: dict[int, int] = {}
    left = 0
    for right, hit in enumerate(relevant):
        counts[hit.group] = counts.get(hit.group, 0) + 1
        while len(counts) == len(needed):
            first = relevant[left]
            window = relevant[left : right + 1]
            span = max(h.end for h in window) - first.start
            if best is None or span < best[0]:
                chosen: dict[int, Hit] = {}
                for h in window:
                    chosen.setdefault(h.group, h)
                best = (span, sorted(chosen.values(), key=lambda h: h.start))
            counts[first.group] -= 1
            if not counts[first.group]:
                del counts[first.group]
            left += 1
    return best


def _scoped_window(
    section: Section, term: CompiledTerm, hits: Sequence[Hit], needed: set[int]
) -> tuple[int, list[Hit]] | None:
    """The best window for ``needed`` groups, all inside one passage or sentence if the term says so."""
    if term.scope == "section":
        return _min_window(hits, needed, term.ordered)
    units: dict[int, list[Hit]] = {}
    for hit in hits:
        unit = section.where[hit.start][0] if term.scope == "passage" else section.sentence[hit.start]
        if unit == (section.where[hit.end - 1][0] if term.scope == "passage" else section.sentence[hit.end - 1]):
            units.setdefault(unit, []).append(hit)
    best: tuple[int, list[Hit]] | None = None
    for unit_hits in units.values():
        found = _min_window(unit_hits, needed, term.ordered)
        if found is not None and (best is None or found[0] < best[0]):
            best = found
    return best


def _ordered_chains(
    section: Section, term: CompiledTerm, hits: Sequence[Hit], order: Sequence[int]
) -> list[tuple[int, list[Hit]]]:
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


def _same_unit(section: Section, scope: str, a: int, b: int) -> bool:
    if scope == "passage":
        return section.where[a][0] == section.where[b][0]
    if scope == "sentence":
        return section.sentence[a] == section.sentence[b]
    return True


@dataclass(frozen=True)
class Match:
    section: Section
    span: int
    hits: list[Hit]
    missing_groups: tuple[int, ...]
    weak_reasons: tuple[str, ...]


def _possible(term: CompiledTerm, vocabulary: Vocabulary, core: set[int]) -> int:
    """The sections (bit mask) where every required group of ``term`` has a phrase that can occur.

    A section yields a match (full or weak) only with a hit of every required (core) group, so the others
    are skipped; ``ignore`` phrases only remove hits and need not be looked at.
    """
    mask = vocabulary.everywhere
    for g in sorted(core):
        mask &= vocabulary.phrases_mask(term.groups[g].phrases)
        if not mask:
            break
    return mask


def match_term(
    term: CompiledTerm, sections: Sequence[Section], *, indexed: bool = True
) -> tuple[list[Match], list[Match]]:
    """Full matches and core-only matches (weak), best (shortest) first.

    ``indexed=False`` looks at every section and phrase the long way (no ``Vocabulary``): the same result,
    kept so that a test can compare the two.
    """
    all_groups = set(range(len(term.groups)))
    core = {i for i, g in enumerate(term.groups) if not g.weak_if_missing}
    full: list[Match] = []
    partial: list[Match] = []
    vocabulary = sections[0].vocabulary if indexed and sections else None
    possible = _possible(term, vocabulary, core) if vocabulary is not None else 0
    for section in sections:
        if vocabulary is not None and section.vocabulary is vocabulary and not possible >> section.number & 1:
            continue
        hits = _hits(section, term, indexed)
        if not hits:
            continue
        if term.ordered and core != all_groups:  # the order binds the core groups; key groups may be near
            candidates = []
            for span, chain in _ordered_chains(section, term, hits, sorted(core)):
                lo, hi = chain[0].start - 2 * term.window, chain[-1].end + 2 * term.window
                near: dict[int, Hit] = {}
                for h in hits:
                    if h.group not in core and lo <= h.start and h.end <= hi:
                        near.setdefault(h.group, h)
                missing = tuple(sorted(all_groups - core - set(near)))
                candidates.append(
                    (len(missing), span, missing, sorted(chain + list(near.values()), key=lambda h: h.start))
                )
            if candidates:
                _, span, missing, used = min(candidates, key=lambda c: (c[0], c[1]))
                if missing:
                    partial.append(Match(section, span, used, missing, ()))
                else:
                    full.append(Match(section, span, used, (), _weak_signals(term, section, used)))
            continue
        best = _scoped_window(section, term, hits, all_groups)
        if best is not None and best[0] <= term.window:
            reasons = _weak_signals(term, section, best[1])
            full.append(Match(section, best[0], best[1], (), reasons))
            continue
        if core != all_groups:
            best = _scoped_window(section, term, hits, core)
            if best is not None and best[0] <= term.window:
                lo, hi = best[1][0].start - 2 * term.window, best[1][-1].end + 2 * term.window
                present = {h.group for h in hits if h.start >= lo and h.end <= hi}
                extra = [h for h in hits if h.group not in core and h.start >= lo and h.end <= hi]
                missing = tuple(sorted(all_groups - core - present))
                if missing:
                    partial.append(Match(section, best[0], best[1], missing, ()))
                else:  # every element is near, only not all within the window: still weak
                    partial.append(
                        Match(
                            section,
                            best[0],
                            sorted(best[1] + extra[:1], key=lambda h: h.start),
                            (),
                            ("the elements are present but far apart; read the passage",),
                        )
                    )
    full.sort(key=lambda m: (bool(m.weak_reasons), m.span))
    partial.sort(key=lambda m: (len(m.missing_groups), m.span))
    return full, partial


def _weak_signals(term: CompiledTerm, section: Section, hits: list[Hit]) -> tuple[str, ...]:
    if not term.weak_signals:
        return ()
    indexes = {section.where[h.start][0] for h in hits}
    words = [w for w, (p, _) in zip(section.words, section.where, strict=True) if p in indexes]
    return tuple(reason for phrases, reason in term.weak_signals if _find(words, phrases))


def signal_present(
    doc: DocumentText, signal_id: str, detection: Detection | None = None, *, indexed: bool = True
) -> bool:
    detection = detection or load_detection()
    term = detection.signals[signal_id]
    full, _ = match_term(term, document_sections(doc), indexed=indexed)
    return bool(full)
