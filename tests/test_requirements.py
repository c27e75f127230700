"""The requirements catalogue against the legal reference it was built from, and its loader."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dpakit.content import DATA_DIR
from dpakit.errors import ContentError
from dpakit.requirements import REGIME_NAMES, Requirement, load_catalogue

SHARED_REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "legal-reference.md"
SNAPSHOT = Path(__file__).resolve().parent / "fixtures" / "legal-reference.md"
# The team's shared reference when it is beside the checkout, else the snapshot committed with the tests
# (test_requirements checks that the two are the same whenever both are there).
REFERENCE = SHARED_REFERENCE if SHARED_REFERENCE.is_file() else SNAPSHOT
REQUIREMENTS_DIR = DATA_DIR / "requirements"
REFERENCE_SECTIONS = set("ABCDEFGI")
CHECKPOINT_SECTIONS = set("J")
"""Section J (added 2026-12-02): points a practitioner checks in a drafted DPA. The catalogue adopts its rows
as the drafting work needs them (issues 10 and 11); an adopted row keeps the reference's status."""

GDPR_TERMS = [
    "GDPR-28-2-a", "GDPR-28-2-b", "GDPR-28-3-BIND",
    *(f"GDPR-28-3-D{n}" for n in range(1, 8)),
    *(f"GDPR-28-3-{p}" for p in "abcdefgh"),
    "GDPR-28-3-INFR", "GDPR-28-4-a", "GDPR-28-4-b", "GDPR-28-9", "GDPR-33-2",
]  # fmt: skip
CCPA_TERMS = [*(f"CCPA-100-d-{n}" for n in range(1, 6)), *(f"CCPA-7051-a-{n}" for n in range(1, 11))]
POPIA_TERMS = ["POPIA-20", "POPIA-21-1", "POPIA-21-2"]
MANDATORY_TERMS = {
    "eu_gdpr": {*GDPR_TERMS, "GDPR-46-2-c", "SCC914-C14"},
    "uk_gdpr": {*GDPR_TERMS, "UK-IDTA-2"},
    "ccpa": set(CCPA_TERMS),
    "popia": {*POPIA_TERMS, "POPIA-72-1-a"},
}
CONDITIONAL_TERMS = {
    "GDPR-46-2-c": "transfer.eu_scc",
    "SCC914-C14": "transfer.eu_scc",
    "UK-IDTA-2": "transfer.uk_addendum",
    "POPIA-72-1-a": "transfer.popia_72",
}


# ---- reading the reference ----


def normalise_status(cell: str, row_id: str) -> str:
    """The single letter the catalogue stores for a reference status cell (see dpakit.requirements)."""
    cell = cell.strip()
    if cell in {"V", "S", "U"}:
        return cell
    named = re.search(rf"\b{re.escape(row_id.split('-')[-1])} ([VSU])\b", cell)
    if "/" in cell.split(" ")[0]:
        return named.group(1) if named else "U"
    if re.match(r"^[VSU] \(", cell):
        return cell[0]
    return "U"  # watch-list rows: the last column gives a reason, not a status


def reference_rows(text: str, sections: set[str] = REFERENCE_SECTIONS) -> dict[str, str]:
    """Row id -> status cell for every table row of ``sections`` (A–G and I); combined ids are split."""
    rows: dict[str, str] = {}
    section = None
    for line in text.splitlines():
        heading = re.match(r"^## ([0-9A-Z])\.", line)
        if heading:
            section = heading.group(1)
            continue
        if section not in sections or not line.startswith("| "):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells[0] in {"ID", "Code"} or set(cells[0]) <= {"-"}:
            continue
        ids = [part.strip() for part in cells[0].split("/")]
        status = cells[-1]
        per_id = re.search(r"\(([A-Z]{2} [VSU];[^)]*)\)", line)  # e.g. "(IN S; KY, RI U)"
        if len(ids) > 1 and "/" in status and per_id:
            status = f"{status} ({per_id.group(1)})"
        for row_id in ids:
            rows[row_id] = status
    return rows


@pytest.fixture(scope="module")
def reference() -> dict[str, str]:
    return reference_rows(REFERENCE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def checkpoints() -> dict[str, str]:
    return reference_rows(REFERENCE.read_text(encoding="utf-8"), CHECKPOINT_SECTIONS)


# ---- the catalogue against the reference ----


def test_every_row_id_of_the_legal_reference_is_in_the_catalogue(reference, catalogue):
    assert len(reference) > 250
    missing = [row_id for row_id in reference if row_id not in catalogue]
    assert missing == []


def test_checkpoint_rows_the_catalogue_adopts_keep_the_reference_status(checkpoints, catalogue):
    assert len(checkpoints) >= 10 and "CCPA-81-5" in checkpoints
    adopted = [i for i in checkpoints if i in catalogue]
    assert "CCPA-81-5" in adopted
    for row_id in adopted:
        assert catalogue.get(row_id).status == checkpoints[row_id][0], row_id


def test_ids_beyond_the_reference_are_marked_unverified_with_a_note(reference, checkpoints, catalogue):
    additions = [catalogue.get(i) for i in catalogue.ids() if i not in reference and i not in checkpoints]
    assert {r.id for r in additions} <= {"GDPR-27-1", "GDPR-9-1", "UK-27", "POPIA-26"}
    for req in additions:
        assert req.status == "U", req.id
        assert req.status_note and "Not in the shared legal reference" in req.status_note, req.id


def test_combined_reference_rows_become_separate_requirements(reference, catalogue):
    for row_id in ["US-NH", "US-NJ", "US-NE", "US-MN", "US-MD", "US-IN", "US-KY", "US-RI"]:
        assert row_id in reference
        assert catalogue.get(row_id).regimes == ("us_state",)


def test_statuses_match_the_last_column_of_the_reference(reference, catalogue):
    plain = {row_id: cell for row_id, cell in reference.items() if cell in {"V", "S", "U"}}
    assert len(plain) >= 20
    wrong = {
        row_id: (cell, catalogue.get(row_id).status)
        for row_id, cell in plain.items()
        if catalogue.get(row_id).status != cell
    }
    assert wrong == {}


def test_qualified_statuses_keep_the_reference_wording_as_a_note(reference, catalogue):
    qualified = {row_id: cell for row_id, cell in reference.items() if cell not in {"V", "S", "U"}}
    assert len(qualified) >= 10
    for row_id, cell in qualified.items():
        req = catalogue.get(row_id)
        assert req.status == normalise_status(cell, row_id), row_id
        assert req.status_note, f"{row_id} has the qualified status {cell!r} but no status_note"


def test_status_normalisation_follows_the_documented_rule():
    assert normalise_status("S (date)", "US-MT") == "S"
    assert normalise_status("S/U", "G-BR") == "U"
    assert normalise_status("S/U", "US-IN") == "U"  # the cell alone does not name IN
    assert normalise_status("V", "GDPR-28-1") == "V"


def test_a_sample_of_statuses_is_as_published(catalogue):
    # Copied from legal-reference.md so that this check runs even where the reference is absent.
    sample = {
        "GDPR-28-1": "V", "GDPR-28-6": "S", "GDPR-29": "S", "GDPR-33-2": "V", "GDPR-37-4": "U",
        "PRACTICE-MFA": "U", "WP248-CRIT": "U", "EPD-INTELIGO-1": "V", "EPD-NATIONAL": "U",
        "SCC915-C7-7-e": "U", "SCC915-C2": "V", "SCC914-OPT-C9-1": "S", "SCC914-OPT-C9-2": "V",
        "DPF-3": "V", "UK-DSAR": "U", "UK-BRIDGE-1": "V", "CCPA-7026-f": "U", "CCPA-7027": "S",
        "CA-82-b": "U", "POPIA-25": "U", "POPIA-109": "V", "POPIA-22-4-5": "S", "G-JP": "U",
        "G-CH": "S", "US-VA": "S", "US-IN": "S", "US-KY": "U",
    }  # fmt: skip
    assert {req_id: catalogue.get(req_id).status for req_id in sample} == sample


def test_summaries_are_our_own_words_not_the_reference_text(reference, catalogue):
    words = re.findall(r"[a-z]+", REFERENCE.read_text(encoding="utf-8").lower())
    span = 12
    grams = {tuple(words[i : i + span]) for i in range(len(words) - span)}
    copied = []
    for req in catalogue.requirements.values():
        for text in (req.summary, req.ask_for or ""):
            w = re.findall(r"[a-z]+", text.lower())
            if any(tuple(w[i : i + span]) in grams for i in range(len(w) - span + 1)):
                copied.append(req.id)
    assert copied == []


# ---- the catalogue's own consistency ----


def test_every_entry_has_source_url_status_and_review_date(catalogue):
    for req in catalogue.requirements.values():
        assert req.source in catalogue.sources, req.id
        assert req.url.startswith(("https://", "http://")), req.id
        assert req.status in {"V", "S", "U"}, req.id
        assert req.last_reviewed.isoformat() == "2026-11-29", req.id


def test_every_related_id_exists_and_is_not_the_entry_itself(catalogue):
    dangling = {req.id: ref for req in catalogue.requirements.values() for ref in req.related if ref not in catalogue}
    assert dangling == {}
    assert [req.id for req in catalogue.requirements.values() if req.id in req.related] == []


def test_every_dpa_term_says_what_to_ask_a_counterparty_for(catalogue):
    terms = [req for req in catalogue.requirements.values() if req.kind == "dpa_term"]
    assert terms
    assert [req.id for req in terms if not (req.ask_for and len(req.ask_for) > 20)] == []


@pytest.mark.parametrize("regime", sorted(MANDATORY_TERMS))
def test_mandatory_terms_per_regime_are_exactly_the_agreed_list(catalogue, regime):
    assert {req.id for req in catalogue.mandatory_terms(regime)} == MANDATORY_TERMS[regime]


def test_no_other_regime_has_mandatory_terms(catalogue):
    others = set(REGIME_NAMES) - set(MANDATORY_TERMS)
    assert {code: catalogue.mandatory_terms(code) for code in others if catalogue.mandatory_terms(code)} == {}


def test_transfer_terms_apply_only_when_that_transfer_exists(catalogue):
    for req in catalogue.requirements.values():
        if req.kind != "dpa_term":
            continue
        if req.id in CONDITIONAL_TERMS:
            assert req.when == {"op": "eq", "field": CONDITIONAL_TERMS[req.id], "value": True}
        else:
            assert req.when is None, req.id


def test_article_28_terms_apply_in_the_eu_and_the_uk_and_say_so_in_the_citation(catalogue):
    for req_id in GDPR_TERMS:
        req = catalogue.get(req_id)
        assert set(req.regimes) == {"eu_gdpr", "uk_gdpr"}, req_id
        assert "UK GDPR" in req.citation, req_id


def test_ico_checklist_rows_are_references_to_the_article_28_terms_they_mirror(catalogue):
    rows = [catalogue.get(f"UK-ICO-C{n}") for n in range(1, 10)]
    for req in rows:
        assert req.kind == "reference"
        assert req.related and all(ref.startswith("GDPR-28-") for ref in req.related), req.id
    assert set(rows[0].related) == {f"GDPR-28-3-D{n}" for n in range(1, 8)}


def test_scc_modules_are_references(catalogue):
    assert {catalogue.get(f"SCC914-M{n}").kind for n in range(1, 5)} == {"reference"}


@pytest.mark.parametrize(
    "req_id",
    ["GDPR-12-3-a", "GDPR-12-3-b", "GDPR-33-1", "CCPA-130-a-2", "CCPA-7021-a", "CCPA-7026-f", "CCPA-7027",
     "CA-82-SB446", "POPIA-25", "G-BR", "G-IN", "G-KE"],
)  # fmt: skip
def test_deadline_rows_carry_a_deadline(catalogue, req_id):
    assert catalogue.get(req_id).deadline is not None


def test_deadlines_have_the_published_lengths(catalogue):
    assert catalogue.get("GDPR-33-1").deadline.hours == 72
    assert catalogue.get("GDPR-12-3-b").deadline.extension_months == 2
    ccpa = catalogue.get("CCPA-130-a-2").deadline
    assert (ccpa.days, ccpa.extension_days) == (45, 45)
    assert catalogue.get("CCPA-7021-a").deadline.business_days == 10


def test_regime_names_cover_every_regime_code_used(catalogue):
    used = {code for req in catalogue.requirements.values() for code in req.regimes}
    assert used <= set(REGIME_NAMES)
    assert {"eu_gdpr", "uk_gdpr", "ccpa", "popia", "us_state"} <= used


def test_sources_include_the_whole_register_of_the_reference(catalogue):
    register = {
        "SRC-GDPR", "SRC-915", "SRC-914", "SRC-SCC-QA", "SRC-DPF", "SRC-DPF-LIST", "SRC-LATOMBE",
        "SRC-SCHREMS2", "SRC-EDPB-0120", "SRC-EDPB-0720", "SRC-EDPB-OP22", "SRC-EPD", "SRC-INTELIGO",
        "SRC-ICO-CONTRACT", "SRC-ICO-IDTA", "SRC-UK-BRIDGE", "SRC-DUAA", "SRC-CCPA", "SRC-CCPA-REGS",
        "SRC-CPPA-ADJ", "SRC-SB446", "SRC-POPIA",
    }  # fmt: skip
    assert register <= set(catalogue.sources)
    added = set(catalogue.sources) - register
    assert all(catalogue.sources[code].note for code in added), "sources we added must say so in a note"


def test_catalogue_helpers(catalogue):
    assert "GDPR-28-3-a" in catalogue
    assert "NOPE-1" not in catalogue
    assert catalogue.get("POPIA-21-1").title
    with pytest.raises(KeyError, match="NOPE-1"):
        catalogue.get("NOPE-1")
    assert all("ccpa" in req.regimes for req in catalogue.by_regime("ccpa"))
    assert catalogue.ids() == list(catalogue.requirements)
    with pytest.raises(KeyError):
        catalogue.by_regime("gdpr")


def test_the_packaged_catalogue_is_read_once():
    assert load_catalogue() is load_catalogue()


# ---- broken files ----

SOURCES = """
[[source]]
code = "SRC-GDPR"
title = "GDPR"
url = "https://eur-lex.europa.eu/eli/reg/2016/679/oj"
"""

GOOD_ENTRY = """
[[requirement]]
id = "{id}"
regimes = ["eu_gdpr"]
kind = "obligation"
title = "A title"
summary = "A summary."
citation = "GDPR Art 5"
source = "SRC-GDPR"
status = "V"
last_reviewed = 2026-11-29
"""


def write_folder(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / "sources.toml").write_text(SOURCES, encoding="utf-8")
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_a_small_valid_folder_loads_and_gets_the_source_url(tmp_path):
    folder = write_folder(tmp_path, {"a.toml": GOOD_ENTRY.format(id="X-1") + GOOD_ENTRY.format(id="X-2")})
    catalogue = load_catalogue(folder)
    assert catalogue.ids() == ["X-1", "X-2"]
    assert catalogue.get("X-1").url == "https://eur-lex.europa.eu/eli/reg/2016/679/oj"


def test_file_defaults_are_inherited_and_can_be_overridden(tmp_path):
    text = '[defaults]\nregimes = ["popia"]\n' + GOOD_ENTRY.format(id="X-1").replace('regimes = ["eu_gdpr"]\n', "")
    text += GOOD_ENTRY.format(id="X-2")
    catalogue = load_catalogue(write_folder(tmp_path, {"a.toml": text}))
    assert catalogue.get("X-1").regimes == ("popia",)
    assert catalogue.get("X-2").regimes == ("eu_gdpr",)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (GOOD_ENTRY.format(id="X-9").replace('title = "A title"\n', ""), "title"),
        (GOOD_ENTRY.format(id="X-9").replace('status = "V"', 'status = "Verified"'), "status"),
        (GOOD_ENTRY.format(id="X-9").replace('"eu_gdpr"', '"gdpr"'), "unknown regime"),
        (GOOD_ENTRY.format(id="X-9").replace('"SRC-GDPR"', '"SRC-NOPE"'), "SRC-NOPE"),
        (GOOD_ENTRY.format(id="X-9").replace('"obligation"', '"dpa_term"'), "ask_for"),
        (GOOD_ENTRY.format(id="X-9") + 'related = ["X-404"]\n', "X-404"),
        (GOOD_ENTRY.format(id="X-9") + 'colour = "red"\n', "colour"),
    ],
    ids=["missing field", "bad status", "bad regime", "unknown source", "term without ask_for",
         "dangling related", "unknown field"],
)  # fmt: skip
def test_a_broken_entry_names_the_file_and_the_id(tmp_path, entry, message):
    folder = write_folder(tmp_path, {"broken.toml": GOOD_ENTRY.format(id="X-1") + entry})
    with pytest.raises(ContentError) as info:
        load_catalogue(folder)
    assert info.value.item == "X-9"
    assert info.value.file.endswith("broken.toml")
    assert message in str(info.value)


def test_a_duplicate_id_across_files_names_the_id_and_both_files(tmp_path):
    folder = write_folder(tmp_path, {"a.toml": GOOD_ENTRY.format(id="X-1"), "b.toml": GOOD_ENTRY.format(id="X-1")})
    with pytest.raises(ContentError) as info:
        load_catalogue(folder)
    assert info.value.item == "X-1"
    assert info.value.file.endswith("b.toml")
    assert "a.toml" in str(info.value)


def test_a_file_that_is_not_toml_is_named(tmp_path):
    folder = write_folder(tmp_path, {"a.toml": GOOD_ENTRY.format(id="X-1"), "bad.toml": "[[requirement]\nid = "})
    with pytest.raises(ContentError, match=r"bad\.toml: not valid TOML"):
        load_catalogue(folder)


def test_a_missing_source_register_is_an_error(tmp_path):
    (tmp_path / "a.toml").write_text(GOOD_ENTRY.format(id="X-1"), encoding="utf-8")
    with pytest.raises(ContentError, match="sources.toml"):
        load_catalogue(tmp_path)


def test_requirement_model_rejects_a_deadline_without_a_period():
    data = {
        "id": "X-1", "regimes": ["eu_gdpr"], "kind": "obligation", "title": "t", "summary": "s",
        "citation": "c", "source": "SRC-GDPR", "url": "https://example.org", "status": "V",
        "last_reviewed": "2026-11-29", "deadline": {"clock": "from receipt"},
    }  # fmt: skip
    with pytest.raises(ValueError, match="a deadline needs"):
        Requirement.model_validate(data)


def test_the_committed_snapshot_of_the_legal_reference_is_current():
    # Where the shared reference is beside the checkout, the snapshot must match it: refresh with
    # ``cp ../shared/legal-reference.md tests/fixtures/`` and re-check the catalogue against the change.
    if SHARED_REFERENCE.is_file():
        assert SNAPSHOT.read_text(encoding="utf-8") == SHARED_REFERENCE.read_text(encoding="utf-8")
    assert "GDPR-28-3-a" in SNAPSHOT.read_text(encoding="utf-8")


def test_regime_names_are_read_from_the_regimes_file():
    from dpakit.regimes import load_regimes

    expected = {}
    for spec in load_regimes():
        expected[spec.code] = spec.name
        expected.update({law.code: law.name for law in spec.includes})
    assert list(REGIME_NAMES.items()) == list(expected.items())
    assert REGIME_NAMES["qc_law25"] == "Québec Law 25"  # cited by the catalogue, decided under PIPEDA


def test_a_renamed_regime_in_another_regimes_file_is_named_so(tmp_path):
    from dpakit.requirements import REGIMES_FILE, regime_names

    path = tmp_path / "regimes.toml"
    path.write_text(REGIMES_FILE.read_text(encoding="utf-8").replace('name = "UK GDPR"', 'name = "UK data law"'))
    assert regime_names(path)["uk_gdpr"] == "UK data law"
    assert REGIME_NAMES["uk_gdpr"] == "UK GDPR"


def test_a_regimes_file_with_a_code_twice_is_rejected(tmp_path):
    from dpakit.requirements import REGIMES_FILE, regime_names

    path = tmp_path / "regimes.toml"
    path.write_text(REGIMES_FILE.read_text(encoding="utf-8").replace('code = "qc_law25"', 'code = "pipeda"'))
    with pytest.raises(ContentError, match="regimes.toml: pipeda: duplicate regime code"):
        regime_names(path)
