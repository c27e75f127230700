"""The golden case format (``tests/golden.py``): every case file loads, the documented example parses, and
a broken case — a misspelt key, a name the content does not define, no organisation or two — is refused
with the file and the field, so no expectation can be switched off by a typo."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from golden import CASES_DIR, GoldenCase, case_files, load_case, load_cases

from dpakit.errors import ContentError
from dpakit.examples import EXAMPLES, example_json, load_example

README = CASES_DIR / "README.md"
FYNBOS = CASES_DIR / "fynbos.toml"


def _readme_examples() -> list[str]:
    blocks = re.findall(r"```toml\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) == 2, "tests/cases/README.md should have a case example and an [answers] example"
    return blocks


def _write(tmp_path: Path, text: str, name: str = "case.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _edited(old: str, new: str, source: Path = FYNBOS) -> str:
    text = source.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {source.name}"
    return text.replace(old, new, 1)


def _toml_value(value: object) -> str:
    """Just enough TOML for an answers file: strings, numbers, booleans, lists and inline tables."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items() if v is not None) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _answers_table(name: str) -> str:
    data = json.loads(example_json(name))
    lines = ["[answers]", f"schema_version = {data.pop('schema_version')}"]
    agreements = data.pop("agreements")
    for section, fields in data.items():
        lines.append(f"[answers.{section}]")
        lines += [f"{key} = {_toml_value(value)}" for key, value in fields.items() if value is not None]
    for agreement in agreements:  # an array of tables, one per agreement
        lines.append("[[answers.agreements]]")
        lines += [f"{key} = {_toml_value(value)}" for key, value in agreement.items() if value is not None]
    return "\n".join(lines) + "\n"


# --- the files as shipped --------------------------------------------------------------------------


@pytest.mark.parametrize("path", case_files(), ids=lambda p: p.name)
def test_every_case_file_loads(path: Path):
    assert isinstance(load_case(path), GoldenCase)


def test_the_case_folder_holds_one_case_per_example_and_nothing_else_in_toml():
    assert [p.name for p in CASES_DIR.glob("*.toml")] and all(p.suffix == ".toml" for p in case_files())
    cases = load_cases()
    assert sorted(cases) == sorted(EXAMPLES)
    assert all(case.example == name for name, case in cases.items())


def test_the_readme_example_parses_into_the_documented_structure(tmp_path: Path):
    example, _ = _readme_examples()
    case = load_case(_write(tmp_path, example))
    assert case.example == "golden_state" and case.answers is None
    assert case.regimes.applies == ["ccpa"] and case.regimes.may_apply == ["us_state"]
    assert case.transfers.scc is False and case.transfers.flow == []
    assert case.facts == {"ccpa.business": True, "transfer.scc_modules": []}
    assert case.risk.absent == ["R-MKT-04", "R-TRF-07"]
    [finding] = case.risk.finding
    assert (finding.rule, finding.severity_at_least, finding.cites) == (
        "R-CCPA-01",
        "critical",
        ["CCPA-120", "CCPA-135-a"],
    )
    assert case.clauses.schedules == ["schedule_ccpa"]


def test_the_readme_inline_answers_example_parses(tmp_path: Path):
    example, answers = _readme_examples()
    case = load_case(_write(tmp_path, example.replace('example = "golden_state"\n', answers)))
    assert case.example is None and case.answers is not None
    assert case.answers.organisation.legal_name == "Harbour Bikes LLC"
    assert case.answers.crm.processors and case.answers.crm.processors[0].country == "US"
    assert case.organisation == "Harbour Bikes LLC"


# --- inline answers -------------------------------------------------------------------------------


def test_inline_answers_give_the_same_organisation_as_the_example(tmp_path: Path):
    text = _edited('example = "fynbos"\n', _answers_table("fynbos"))
    case = load_case(_write(tmp_path, text))
    assert case.example is None
    assert case.load_answers() == load_example("fynbos")


def test_an_invalid_inline_answer_is_refused_naming_the_field(tmp_path: Path):
    text = _edited('example = "fynbos"\n', '[answers]\n[answers.crm]\nhosting_region = "Mars"\n')
    with pytest.raises(ContentError, match=r"answers\.crm\.hosting_region"):
        load_case(_write(tmp_path, text))


@pytest.mark.parametrize(
    "old, new",
    [
        ('example = "fynbos"\n', ""),
        ('example = "fynbos"\n', 'example = "fynbos"\n[answers]\nschema_version = 1\n'),
    ],
    ids=["neither", "both"],
)
def test_exactly_one_of_example_and_answers(tmp_path: Path, old: str, new: str):
    with pytest.raises(ContentError, match="exactly one of `example`"):
        load_case(_write(tmp_path, _edited(old, new)))


# --- broken cases are refused, naming the file and the field ----------------------------------------


def test_a_misspelt_key_is_refused_naming_the_file_and_the_field(tmp_path: Path):
    path = _write(tmp_path, _edited("absent = [", "absnet = ["), "misspelt.toml")
    with pytest.raises(ContentError) as raised:
        load_case(path)
    assert raised.value.file.endswith("misspelt.toml")
    assert "risk.absnet: Extra inputs are not permitted" in str(raised.value)


def test_load_cases_names_the_broken_file(tmp_path: Path):
    _write(tmp_path, FYNBOS.read_text(encoding="utf-8"), "good.toml")
    _write(tmp_path, _edited("absent = [", "absnet = ["), "typo.toml")
    with pytest.raises(ContentError, match=r"typo\.toml: risk\.absnet"):
        load_cases(tmp_path)


BROKEN = {
    "top-level key": ('example = "fynbos"', 'example = "fynbos"\nexampel = "fynbos"', r"exampel: Extra inputs"),
    "unknown example": ('example = "fynbos"', 'example = "fynbosch"', r"example: Value error, unknown example"),
    "unknown regime": ('applies = ["popia"]', 'applies = ["popja"]', r"regimes\.applies\.0: .*unknown regime"),
    "regime twice": ('applies = ["popia"]', 'applies = ["popia", "eu_gdpr"]', r"\[regimes\] lists eu_gdpr"),
    "flow key": (
        "tia_required = false\n\n[[transfers.flow]]",
        "tia_requried = false\n\n[[transfers.flow]]",
        r"transfers\.flow\.0\.tia_requried: Extra inputs",
    ),
    "mechanism": ('mechanism = "none_needed"', 'mechanism = "none"', r"transfers\.flow\.1\.mechanism"),
    "scc details": ("scc_modules = []", "scc_modules = [2]", r"transfers: .*scc = false"),
    "unknown fact": ('"org.in_za" = true', '"org.in_zaa" = true', r"facts\.org\.in_zaa.*unknown fact"),
    "unknown rule": ('rule = "R-SEC-01"', 'rule = "R-SEC-99"', r"risk\.finding\.0\.rule: .*unknown rule"),
    "absent rule": ('"R-MKT-01", "R-RGT-01"', '"R-MKT-1", "R-RGT-01"', r"risk\.absent\.0: .*unknown rule"),
    "rule absent and found": ('"R-MKT-01", "R-RGT-01"', '"R-SEC-01", "R-RGT-01"', r"lists R-SEC-01 more than once"),
    "requirement": (
        'cites = ["POPIA-19-1"]',
        'cites = ["POPIA-19-9"]',
        r"risk\.finding\.0\.cites\.0: .*unknown requirement",
    ),
    "no cites": ('cites = ["POPIA-19-1"]', "cites = []", r"risk\.finding\.0\.cites: "),
    "severity": (
        'severity_at_least = "critical"',
        'severity_at_least = "severe"',
        r"risk\.finding\.0\.severity_at_least",
    ),
    "finding key": ('why = "MFA is', 'reason = "MFA is', r"risk\.finding\.0\.reason: Extra inputs"),
    "unknown clause": ('"popia-roles",', '"popia-role",', r"clauses\.include\.2: .*unknown clause"),
    "clause twice": ('"eu-dpf",', '"eu-dpf",\n    "popia-roles",', r"include and exclude lists popia-roles"),
    "schedule": ('schedules = ["schedule_popia"]', 'schedules = ["popia"]', r"clauses\.schedules\.0"),
    "headings": ('headings = ["Schedule 1 — South Africa (POPIA)"]', "headings = []", r"1 schedules but 0 headings"),
    "not TOML": ("[risk]", "[risk", r"not a readable TOML file"),
}


@pytest.mark.parametrize("old, new, message", BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_case_is_refused_naming_the_field(tmp_path: Path, old: str, new: str, message: str):
    with pytest.raises(ContentError, match=r"broken\.toml: .*" + message):
        load_case(_write(tmp_path, _edited(old, new), "broken.toml"))
