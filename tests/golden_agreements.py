"""The golden agreement case format (``tests/cases/agreements/*.toml``, documented in its README): an
organisation's answers with several agreements, and per agreement what its DPA must say. Validated before a
test reads it; every model forbids unknown keys."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from dpakit.content import format_validation_error
from dpakit.errors import ContentError
from dpakit.models import Answers, field_paths
from dpakit.transfers import Mechanism, TransferRegime

AGREEMENT_CASES_DIR = Path(__file__).resolve().parent / "cases" / "agreements"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExpectedFlow(_Model):
    regime: TransferRegime
    exporter: str
    importer: str
    mechanism: Mechanism
    scc_module: Literal[1, 2, 3, 4] | None = None


class ExpectedAgreement(_Model):
    id: str
    names: list[str]
    absent: list[str] = []
    scc_modules: list[Literal[1, 2, 3, 4]] = []
    clause13: str | None = None
    before_you_sign: list[str]
    flow: list[ExpectedFlow] = []

    @model_validator(mode="after")
    def _known_answers(self) -> Self:
        unknown = sorted(set(self.before_you_sign) - set(field_paths()))
        if unknown:
            raise ValueError(f"before_you_sign names no answer field: {unknown}")
        return self


class AgreementCase(_Model):
    answers: Answers
    agreement: list[ExpectedAgreement]

    @model_validator(mode="after")
    def _one_entry_per_agreement(self) -> Self:
        expected = [a.id for a in self.agreement]
        if expected != self.answers.agreement_ids:
            raise ValueError(f"[[agreement]] entries {expected} must be the agreements {self.answers.agreement_ids}")
        return self


def agreement_case_files(folder: Path = AGREEMENT_CASES_DIR) -> list[Path]:
    return sorted(p for p in folder.glob("*.toml") if p.is_file())


def load_agreement_case(path: Path) -> AgreementCase:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return AgreementCase.model_validate(data)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ContentError(path.name, f"not a readable TOML file: {exc}") from None
    except ValidationError as exc:
        raise ContentError(path.name, format_validation_error(exc)) from None
