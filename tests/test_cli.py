"""``python -m dpakit``: documented commands, exit code 2 with one line for bad input, no streamlit."""

import json
import shutil
import subprocess
import sys

import pytest
from conftest import REPO_ROOT as ROOT

from dpakit.cli import COMMANDS, main


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "dpakit", *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_the_core_and_the_cli_never_import_streamlit():
    code = (
        "import sys, dpakit, dpakit.cli, dpakit.workspace.store, dpakit.questionnaire, dpakit.answers_file\n"
        "from dpakit.cli import main\n"
        "main(['schema'])\n"
        "assert 'streamlit' not in sys.modules, 'streamlit was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr


def test_no_module_of_the_core_imports_streamlit():
    offenders = [
        p.name
        for p in (ROOT / "dpakit").rglob("*.py")
        if "import streamlit" in p.read_text() or "from streamlit" in p.read_text()
    ]
    assert offenders == []


def test_schema_prints_the_json_schema_of_the_answers_file(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Answers"
    assert "security" in schema["properties"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [("{not json", "not valid JSON"), ('{"schema_version": 7}', "newer dpakit"), ("", "empty")],
)
def test_validate_rejects_a_bad_file_with_exit_2_and_one_line(tmp_path, content, reason):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    result = run("validate", str(bad))
    assert result.returncode == 2
    assert reason in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_validate_missing_file_is_exit_2():
    result = run("validate", "/nonexistent/answers.json")
    assert result.returncode == 2
    assert "no such file" in result.stderr


def test_usage_errors_are_exit_2_and_one_line():
    result = run("frobnicate")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_check_passes_on_the_shipped_content():
    result = run("check")
    assert result.returncode == 0, result.stderr
    assert "all content files are valid" in result.stdout


def test_check_names_the_file_and_question_of_a_broken_question_file(tmp_path):
    folder = tmp_path / "questions"
    shutil.copytree(ROOT / "dpakit" / "data" / "questions", folder)
    target = folder / "01-organisation.toml"
    text = target.read_text()
    start = text.index('field = "organisation.sector"')
    broken = text[:start] + text[start:].replace('kind = "choice"', 'kind = "slider"', 1)
    target.write_text(broken)
    result = run("check", "--questions", str(folder))
    assert result.returncode == 2
    assert "01-organisation.toml" in result.stderr
    assert "organisation.sector" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_command_has_help_text():
    for name, (_, help_text) in COMMANDS.items():
        assert help_text, name
        assert run(name, "--help").returncode == 0


def _readme_commands() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Command line") :]
    return section[: section.index("\n## ", 1)]


def test_every_command_and_option_is_documented_in_the_readme():
    """As sqlite-utils does: a command or option added to the CLI and not to the README fails here."""
    readme = _readme_commands()
    parser = __import__("dpakit.cli", fromlist=["build_parser"]).build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command").choices
    assert set(subparsers) == set(COMMANDS)
    for name, sub in subparsers.items():
        assert f"python -m dpakit {name} " in readme, f"README does not document `{name}`"
        for action in sub._actions:
            long_options = [o for o in action.option_strings if o.startswith("--") and o != "--help"]
            if long_options:
                # the first spelling is the documented one; later ones are kept aliases (plan --start)
                assert long_options[0] in readme, f"README does not document `{name} {long_options[0]}`"


def test_plan_and_draft_spell_the_start_date_alike_and_plan_keeps_the_old_spelling(tmp_path):
    from dpakit.cli import build_parser

    parser = build_parser()
    for spelling in ("--start-date", "--start"):
        args = parser.parse_args(["plan", "a.json", "--out", str(tmp_path), spelling, "2027-01-04"])
        assert str(args.start_date) == "2027-01-04"
    assert (
        str(parser.parse_args(["draft", "a.json", "--out", "o", "--start-date", "2027-01-04"]).start_date)
        == "2027-01-04"
    )


def _two_agreements(tmp_path):
    from dpakit import dump_answers, load_example

    fynbos = load_example("fynbos")
    second = fynbos.agreement.model_copy(
        update={"id": "bookkeeper", "counterparty_name": "Karoo Books CC", "scope_purposes": ["customer_service"]}
    )
    path = tmp_path / "two.json"
    path.write_text(dump_answers(fynbos.with_agreement(second)))
    return path


def test_draft_writes_one_dpa_per_agreement_with_distinct_names(tmp_path, capsys):
    answers = _two_agreements(tmp_path)
    out = tmp_path / "out"
    assert main(["draft", str(answers), "--out", str(out), "--start-date", "2026-01-01"]) == 0
    dpas = sorted(p.name for p in out.glob("dpa*.docx"))
    assert dpas == ["dpa-fynbos-karoo-books-cc.docx", "dpa-fynbos-table-mountain-digital.docx"]
    assert (out / "action-plan.docx").is_file()
    report = json.loads((out / "report.json").read_text())
    assert set(report["dpas"]) == {"table-mountain-digital", "bookkeeper"}
    # each DPA is drafted for its own agreement: the counterparty of one never appears in the other
    import docx

    def text(name):
        return "\n".join(p.text for p in docx.Document(out / name).paragraphs)

    assert "Karoo Books CC" in text("dpa-fynbos-karoo-books-cc.docx")
    assert "Karoo Books CC" not in text("dpa-fynbos-table-mountain-digital.docx")
    printed = capsys.readouterr().out
    assert "dpa-fynbos-karoo-books-cc.docx SHA-256 " in printed


def test_draft_one_agreement_by_id(tmp_path):
    answers = _two_agreements(tmp_path)
    out = tmp_path / "out"
    assert main(["draft", str(answers), "--out", str(out), "--agreement", "bookkeeper"]) == 0
    import docx

    body = "\n".join(p.text for p in docx.Document(out / "dpa.docx").paragraphs)
    assert "Karoo Books CC" in body and "Table Mountain Digital" not in body


def test_draft_an_unknown_agreement_exits_2_listing_the_ids(tmp_path):
    answers = _two_agreements(tmp_path)
    result = run("draft", str(answers), "--out", str(tmp_path / "out"), "--agreement", "nope")
    assert result.returncode == 2
    assert "'nope'" in result.stderr and "table-mountain-digital, bookkeeper" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_dpa_file_names_leave_out_legal_forms_and_fall_back_to_the_id():
    from dpakit import dpa_file_name

    assert dpa_file_name("Fynbos Coffee Roasters (Pty) Ltd", "Table Mountain Digital (Pty) Ltd", "x") == (
        "dpa-fynbos-table-mountain-digital.docx"
    )
    assert dpa_file_name(None, None, "call-centre") == "dpa-call-centre.docx"


def test_the_cli_and_the_documents_page_name_a_dpa_with_the_one_core_function():
    import dpakit.cli
    from dpakit import dpa_file_name

    assert not hasattr(dpakit.cli, "dpa_file_name")
    for page in (ROOT / "views" / "documents.py", ROOT / "ui" / "text.py"):
        assert "def dpa_file_name" not in page.read_text(encoding="utf-8"), page
    assert dpa_file_name("Nordlicht Software GmbH", "Ünïcode & Söhne AG", "y") == "dpa-nordlicht-unicode-sohne.docx"


def test_validate_refuses_a_clause_17_law_outside_the_eu_naming_the_agreement(tmp_path):
    from dpakit import dump_answers, load_example

    answers = load_example("nordlicht").with_value("jurisdictions.scc_governing_law", "US")
    path = tmp_path / "answers.json"
    path.write_text(dump_answers(answers), encoding="utf-8")
    result = run("validate", str(path))
    assert result.returncode != 0
    assert "Pipeline Growth Partners LLC" in result.stderr and "17" in result.stderr
