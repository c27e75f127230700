"""Issue 18, item 3: the document-wide word index (``detection.Vocabulary``) only skips work that finds
nothing: every report is the same with it as without it (``indexed=False``, the long way), on every
document of the labelled corpus and every DPA dpakit drafts, and it does skip sections and phrases."""

from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path

import pytest

from dpakit.analysis import analyse
from dpakit.drafting.draft import draft_dpa
from dpakit.examples import EXAMPLES, load_example
from dpakit.review.detection import (
    Vocabulary,
    _possible,
    _sections,
    document_sections,
    load_detection,
    match_term,
    tokenize,
)
from dpakit.review.reading import DocumentText, Passage, read_docx, read_path
from dpakit.review.report import REVIEW_REGIMES, review_document

CORPUS_DIR = Path(__file__).resolve().parent / "review_corpus"


def _corpus():
    spec = importlib.util.spec_from_file_location("review_corpus_tools", CORPUS_DIR / "corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


corpus = _corpus()
DOCUMENTS = {d.id: d for d in corpus.load_manifest().documents}


def _both(doc: DocumentText, *args, **kwargs) -> tuple[dict, dict]:
    """The full report (verdicts, evidence, matched phrases, reasons) with and without the index."""
    document_sections.cache_clear()  # the slow path must not reuse sections built for the fast one
    fast = review_document(doc, *args, **kwargs).model_dump()
    document_sections.cache_clear()
    slow = review_document(doc, *args, indexed=False, **kwargs).model_dump()
    return fast, slow


@pytest.mark.parametrize("doc_id", list(DOCUMENTS))
def test_every_corpus_document_gets_the_same_report_with_and_without_the_index(doc_id):
    document = DOCUMENTS[doc_id]
    labels = corpus.load_labels(document)
    text = read_path(CORPUS_DIR / document.file)
    fast, slow = _both(text, list(labels.regimes), labels.role, transfers=labels.transfers)
    assert fast["results"], "no terms were checked"
    assert fast == slow
    # every regime, with the transfer terms decided from the text (the signal goes through the index too)
    fast, slow = _both(text, list(REVIEW_REGIMES), "processor")
    assert fast == slow


@functools.cache
def _drafted(name: str):
    analysis = analyse(load_example(name))
    return analysis, read_docx(draft_dpa(analysis).docx, f"{name}.docx")


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_every_drafted_dpa_gets_the_same_report_with_and_without_the_index(name):
    analysis, doc = _drafted(name)
    role = "processor" if analysis.facts.get("role.processor") else "controller"
    fast, slow = _both(doc, analysis.regimes_in_scope, role, facts=analysis.facts)
    assert fast == slow
    fast, slow = _both(doc, list(REVIEW_REGIMES), role)
    assert fast == slow
    # a document whose evidence is gone from some sections (weak and missing verdicts, fewer candidates)
    thinned = doc.without(lambda p: p.index % 3 == 0)
    fast, slow = _both(thinned, list(REVIEW_REGIMES), role)
    assert fast == slow
    assert {r["status"] for r in fast["results"]} != {"found"}, "thinning left every term found"


def test_the_index_skips_sections_that_cannot_match_a_term():
    _, doc = _drafted("nordlicht")
    sections = _sections(doc)
    vocabulary = sections[0].vocabulary
    assert isinstance(vocabulary, Vocabulary)
    everywhere = (1 << len(sections)) - 1
    detection = load_detection()
    masks = []
    for term in detection.terms.values():
        core = {i for i, g in enumerate(term.groups) if not g.weak_if_missing}
        masks.append(_possible(term, vocabulary, core))
    assert all(m & ~everywhere == 0 for m in masks)
    skipped = sum(len(sections) - m.bit_count() for m in masks)
    assert skipped > len(masks) * len(sections) // 2, "the index skipped less than half of the work"


def _doc(*texts: str) -> DocumentText:
    passages = tuple(
        Passage(index=i + 1, text=t, kind="heading" if t.isupper() else "paragraph") for i, t in enumerate(texts)
    )
    return DocumentText(name="t.docx", kind="docx", passages=passages)


def test_a_prefix_a_number_and_a_joined_word_are_found_through_the_index_as_without_it():
    doc = _doc(
        "SUB-PROCESSORS",
        "The Processor shall notify the Controller of any new sub-processor within thirty days.",
        "SECURITY",
        "Appropriate technical and organisational measures are maintained.",
    )
    sections = _sections(doc)
    vocabulary = sections[0].vocabulary
    assert vocabulary.words("organiz*") == ("organizational",)
    assert vocabulary.words("#") == ("thirty",)
    assert vocabulary.words("subprocessor") == ("subprocessor",)
    assert vocabulary.phrase_mask(("technical", "organiz*")) == 0b10
    assert vocabulary.phrase_mask(("notify", "#")) == 0b01
    assert vocabulary.phrase_mask(("technical", "thirty")) == 0
    for term in load_detection().terms.values():
        assert match_term(term, sections) == match_term(term, sections, indexed=False), term.id


def test_tokens_are_normalised_as_before_the_word_cache():
    words = [t.word for t in tokenize("Organisation’s co-operation; NON-compliance, sub processor, Authorised")]
    assert words == ["organization", "s", "cooperation", "noncompliance", "subprocessor", "authorized"]
    assert [(t.start, t.end) for t in tokenize("e-mail it")] == [(0, 6), (7, 9)]
