"""Issue 12, item 3: the labelled review corpus in ``tests/review_corpus/`` is valid, and the accuracy figures
published in its README are the ones the current detection gives on the held-out part.

Nothing here asserts an accuracy target: the figures are measured and must match the README, whatever they
are. Tuning detection data on the held-out documents is not allowed (see the corpus README).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from dpakit.requirements import load_catalogue

CORPUS_DIR = Path(__file__).resolve().parent / "review_corpus"


def _load_corpus_module():
    spec = importlib.util.spec_from_file_location("review_corpus_tools", CORPUS_DIR / "corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus_module()
MANIFEST = corpus.load_manifest()
DOCS = {d.id: d for d in MANIFEST.documents}
LABELS = {d.id: corpus.load_labels(d) for d in MANIFEST.documents}
CATALOGUE = load_catalogue()


def test_the_manifest_lists_each_document_once_and_every_file_exists():
    ids = [d.id for d in MANIFEST.documents]
    assert len(ids) == len(set(ids))
    for doc in MANIFEST.documents:
        assert (CORPUS_DIR / doc.file).is_file(), doc.file
        assert (CORPUS_DIR / doc.labels).is_file(), doc.labels
    listed = {Path(d.file).name for d in MANIFEST.documents}
    on_disk = {p.name for p in (CORPUS_DIR / "documents").iterdir() if p.is_file()}
    assert on_disk == listed, "every document in documents/ is in the manifest, and only those"
    labelled = {Path(d.labels).name for d in MANIFEST.documents}
    assert {p.name for p in (CORPUS_DIR / "labels").glob("*.toml")} == labelled


def test_the_models_forbid_unknown_keys():
    good = LABELS[MANIFEST.documents[0].id].model_dump()
    with pytest.raises(ValidationError):
        corpus.LabelFile.model_validate({**good, "surprise": 1})
    with pytest.raises(ValidationError):
        corpus.TermLabel.model_validate({"verdict": "found", "reason": "x", "passages": ["y"], "extra": 1})
    with pytest.raises(ValidationError):
        corpus.TermLabel.model_validate({"verdict": "weak", "reason": "no passage"})
    with pytest.raises(ValidationError):
        corpus.Document.model_validate({**MANIFEST.documents[0].model_dump(), "unknown": True})


@pytest.mark.parametrize("doc_id", list(DOCS))
def test_the_label_file_names_its_document(doc_id):
    assert LABELS[doc_id].document == Path(DOCS[doc_id].file).name


@pytest.mark.parametrize("doc_id", list(DOCS))
def test_every_mandatory_term_of_the_labelled_regimes_is_labelled_and_exists(doc_id):
    labels = LABELS[doc_id]
    expected: set[str] = set()
    for regime in labels.regimes:
        for req in CATALOGUE.mandatory_terms(regime):
            if req.when is None or labels.transfers:
                expected.add(req.id)
    unknown = [t for t in labels.terms if t not in CATALOGUE]
    assert unknown == []
    assert set(labels.terms) == expected


@pytest.mark.parametrize("doc_id", list(DOCS))
def test_every_quoted_passage_is_verbatim_in_its_document(doc_id):
    text = corpus.squash((CORPUS_DIR / DOCS[doc_id].file).read_text(encoding="utf-8"))
    absent = [
        (term, passage)
        for term, label in LABELS[doc_id].terms.items()
        for passage in label.passages
        if corpus.squash(passage) not in text
    ]
    assert absent == []


@pytest.mark.parametrize("doc_id", list(DOCS))
def test_a_document_with_placeholders_is_flagged(doc_id):
    text = (CORPUS_DIR / DOCS[doc_id].file).read_text(encoding="utf-8").lower()
    has_blanks = "[to be completed]" in text or "[●]" in text
    assert has_blanks == ("placeholders" in LABELS[doc_id].flags)


def test_the_split_is_disjoint_and_both_parts_are_meaningful():
    dev = {d.id for d in MANIFEST.documents if d.split == "development"}
    held = {d.id for d in MANIFEST.documents if d.split == "held_out"}
    assert dev and held and not dev & held
    assert dev | held == set(DOCS)
    held_docs = [DOCS[i] for i in held]
    assert any(d.origin == "real" for d in held_docs)
    assert any(d.variant == "weakened" for d in held_docs)
    assert any(d.origin == "team" and d.variant == "complete" for d in held_docs)
    assert 0.25 <= len(held) / len(DOCS) <= 0.45, "about a third is held out"


def test_every_real_document_has_a_source_and_a_confirmed_licence():
    real = [d for d in MANIFEST.documents if d.origin == "real"]
    assert len(real) >= 2
    for doc in real:
        assert doc.source_url and doc.source_url.startswith("https://"), doc.id
        assert doc.repository and doc.commit and doc.version and doc.attribution, doc.id
        assert doc.commit in doc.source_url, "the source URL pins the stored commit"
        assert doc.licence in ("CC0-1.0", "CC-BY-4.0", "CC-BY-SA-4.0", "MIT", "Apache-2.0")
        words = {"CC0-1.0": "CC0", "CC-BY-4.0": "CC BY 4.0"}.get(doc.licence, doc.licence)
        assert words in doc.licence_evidence, f"{doc.id}: the evidence quotes the licence it names"
    for doc in MANIFEST.documents:
        if doc.origin == "team":
            assert doc.licence == "CC0-1.0" and "dpakit team" in doc.licence_evidence


def test_the_readme_states_the_licences_and_the_label_format():
    readme = corpus.README.read_text(encoding="utf-8")
    for heading in ("## Adding a document", "## Label format", "## Licences", "## Figures"):
        assert heading in readme
    for doc in MANIFEST.documents:
        if doc.origin == "real":
            assert doc.id in readme and doc.licence in readme


def test_the_readme_figures_are_the_ones_the_current_detection_gives_on_the_held_out_part():
    computed = corpus.render_figures(corpus.compute_figures("held_out"))
    published = corpus.figures_block(corpus.README.read_text(encoding="utf-8"))
    print("\n" + computed)
    assert published == computed, (
        "the README's figures are stale: run `python tests/review_corpus/corpus.py --write` and commit the README"
    )


@pytest.mark.parametrize("doc_id", list(DOCS))
def test_evidence_only_in_embedded_standard_clauses_goes_with_the_flag(doc_id):
    labels = LABELS[doc_id]
    embedded = [t for t, label in labels.terms.items() if label.via == "embedded_standard_clauses"]
    if embedded:
        assert "embedded_standard_clauses" in labels.flags, embedded


@pytest.mark.parametrize("doc_id", [d for d in DOCS if "outdated_instrument" in LABELS[d].flags])
def test_an_outdated_instrument_never_meets_a_transfer_term(doc_id):
    labels = LABELS[doc_id]
    assert labels.transfers
    transfer_terms = {t: label for t, label in labels.terms.items() if CATALOGUE.get(t).when is not None}
    assert any(label.verdict == "missing" for label in transfer_terms.values())
