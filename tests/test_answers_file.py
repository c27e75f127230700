"""Answers files: a round trip is exact, and each kind of bad file gets its own clear message."""

import json

import pytest

from dpakit.answers_file import MAX_FILE_BYTES, dump_answers, parse_answers
from dpakit.errors import AnswersFileError
from dpakit.models import Answers, Processor


def sample() -> Answers:
    answers = Answers().with_value("organisation.legal_name", "Smith & Sons <Ltd> {{ 7*7 }}")
    answers = answers.with_value("security.mfa_enforced", "not_sure")
    answers = answers.with_value("organisation.staff_count", 18)
    return answers.with_value("crm.processors", [Processor(name="Mailer", country="IE").model_dump()])


def test_export_then_import_gives_identical_answers():
    original = sample()
    assert parse_answers(dump_answers(original).encode()) == original


def test_export_is_stable_text():
    assert dump_answers(sample()) == dump_answers(sample())
    assert dump_answers(sample()).endswith("\n")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"\xff\xfe\x00garbage", "not a text file"),
        (b"{not json", "not valid JSON"),
        (b"[1, 2, 3]", "expected a JSON object"),
        (b'{"organisation": {}}', "no schema_version"),
        (b'{"schema_version": 99}', "newer dpakit"),
        (b'{"schema_version": 0}', "cannot read"),
        (b'{"schema_version": 1, "security": {"mfa_enforced": "maybe"}}', "security.mfa_enforced"),
        (b'{"schema_version": 1, "hacker": true}', "not a dpakit answer field"),
    ],
)
def test_each_bad_file_gets_a_clear_message(content, message):
    with pytest.raises(AnswersFileError, match=message):
        parse_answers(content, name="upload.json")


def test_a_huge_file_is_refused_before_parsing():
    huge = b'{"schema_version": 1, "x": "' + b"a" * MAX_FILE_BYTES + b'"}'
    with pytest.raises(AnswersFileError, match="MB"):
        parse_answers(huge)


def test_many_errors_are_summarised():
    bad = {
        "schema_version": 1,
        "security": {
            f: "maybe" for f in ("mfa_enforced", "sso", "backups", "offboarding", "audit_logging", "least_privilege")
        },
    }
    with pytest.raises(AnswersFileError, match="and 1 more"):
        parse_answers(json.dumps(bad))
