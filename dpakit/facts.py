"""Facts: the answers, flattened, plus derived facts with stable keys, for the condition language.

Conditions in regimes, risk rules and clauses are evaluated against one mapping of *facts*:

* every answer field by its path (``"organisation.country"``), as ``Answers.flat()`` gives it, and
* derived facts (``"org.in_eea"``, ``"regimes"``, ``"transfer.eu_scc"`` …), each computed by the stage
  that owns it, so no stage imports one above it.

Derived facts come in three stages, because each stage needs the one before:

    answers    from the answers alone (``answer_facts``, here: where the organisation is, its role, its data)
    regimes    from the regime decisions (``regimes.regime_facts``; regimes evaluate their own conditions on
               the answers stage)
    transfers  from the transfer analysis (``transfers.transfer_facts``)

``analysis.build_facts`` joins the three.
Every derived key is documented in ``data/facts.toml`` with a plain ``label`` (used in explanations) and
a ``description``; a test checks that the keys produced here and the keys documented there are the same.
A derived fact is ``None`` when the answers it rests on are missing — "not known" is never "false".
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .content import DATA_DIR, display_path, read_toml, validate_item
from .errors import ContentError
from .jurisdictions import is_eea, is_eu
from .models import Answers, field_paths

FACTS_FILE = DATA_DIR / "facts.toml"

Stage = Literal["answers", "regimes", "transfers"]
LARGE_VOLUMES = ("100k_1m", "over_1m")


class FactSpec(BaseModel):
    """The documentation of one derived fact."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=r"^[a-z_]+(\.[a-z0-9_]+)*$")
    stage: Stage
    kind: Literal["bool", "list", "text"]
    label: str = Field(min_length=1)
    description: str = Field(min_length=1)


def load_fact_specs(path: Path = FACTS_FILE) -> dict[str, FactSpec]:
    file = display_path(path)
    raw = read_toml(path).get("fact")
    if not isinstance(raw, dict) or not raw:
        raise ContentError(file, 'expected [fact."key"] tables')
    specs = {}
    for key, entry in raw.items():
        if not isinstance(entry, dict):
            raise ContentError(file, "expected a table", key)
        if key in field_paths():
            raise ContentError(file, "an answer field path cannot also be a derived fact", key)
        specs[key] = validate_item(FactSpec, {"key": key, **entry}, file, key)
    return specs


@functools.cache
def fact_specs() -> dict[str, FactSpec]:
    """Every documented derived fact, by key (read once)."""
    return load_fact_specs()


def derived_keys(stage: Stage | None = None) -> list[str]:
    return [k for k, spec in fact_specs().items() if stage is None or spec.stage == stage]


def fact_keys() -> list[str]:
    """Every key a condition may test: the answer field paths and the derived facts."""
    return field_paths() + derived_keys()


def fact_label(key: str) -> str:
    """A plain phrase for a fact: the documented label of a derived fact, else the key itself."""
    spec = fact_specs().get(key)
    return spec.label if spec else key


# --- stage 1: from the answers -------------------------------------------------------------------


def _where(code: str | None, test: Any) -> bool | None:
    return None if code is None else bool(test(code))


def _anywhere(codes: Iterable[str | None], test: Any) -> bool | None:
    known = [c for c in codes if c]
    return None if not known else any(test(c) for c in known)


def _processors_without_dpa(processors) -> bool | None:
    """True when any listed processor has no DPA in place (answered "no" or "not sure")."""
    if processors is None:
        return None
    return any(p.dpa_in_place != "yes" for p in processors)


def answer_facts(answers: Answers) -> dict[str, Any]:
    """``answers.flat()`` plus the facts derived from the answers alone (stage ``answers``)."""
    facts = answers.flat()
    org, agreement, crm, data = answers.organisation, answers.agreement, answers.crm, answers.data
    home = org.country
    establishments = [home, *(org.other_establishments or [])]
    counterparty = agreement.counterparty_country
    role = agreement.our_role

    def is_uk(c: str) -> bool:
        return c == "GB"

    def is_za(c: str) -> bool:
        return c == "ZA"

    facts.update(
        {
            "org.in_eu": _where(home, is_eu),
            "org.in_eea": _where(home, is_eea),
            "org.in_uk": _where(home, is_uk),
            "org.in_za": _where(home, is_za),
            "org.in_us": _where(home, lambda c: c == "US"),
            "org.eea_establishment": _anywhere(establishments, is_eea),
            "org.uk_establishment": _anywhere(establishments, is_uk),
            "org.za_establishment": _anywhere(establishments, is_za),
            "org.for_profit": _for_profit(answers),
            "role.controller": None if role is None else role == "controller",
            "role.processor": None if role is None else role == "processor",
            "counterparty.in_eea": _where(counterparty, is_eea),
            "counterparty.in_uk": _where(counterparty, is_uk),
            "counterparty.in_za": _where(counterparty, is_za),
            "counterparty.in_us": _where(counterparty, lambda c: c == "US"),
            "access.from_eea": _anywhere(crm.accessed_from or [], is_eea),
            "access.from_uk": _anywhere(crm.accessed_from or [], is_uk),
            "access.from_za": _anywhere(crm.accessed_from or [], is_za),
            "data.special": _special(answers),
            "data.children": None if data.subject_categories is None else "children" in data.subject_categories,
            "data.criminal": None if data.data_categories is None else "criminal" in data.data_categories,
            "processors.without_dpa": _processors_without_dpa(crm.processors),
            "volume.large": (None if data.record_volume in (None, "not_sure") else data.record_volume in LARGE_VOLUMES),
        }
    )
    return facts


def _for_profit(answers: Answers) -> bool | None:
    org = answers.organisation
    if org.is_public_authority == "yes" or org.sector in ("nonprofit", "public_sector"):
        return False
    if org.sector is None:
        return None
    return True


def _special(answers: Answers) -> bool | None:
    data = answers.data
    if data.special_categories:
        return True
    if data.data_categories is not None and "special_categories" in data.data_categories:
        return True
    if data.special_categories is None and data.data_categories is None:
        return None
    return False
