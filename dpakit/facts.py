"""Facts: the answers, flattened, plus derived facts with stable keys, for the condition language.

Conditions in regimes, risk rules and clauses are evaluated against one mapping of *facts*:

* every answer field by its path (``"organisation.country"``), as ``Answers.flat()`` gives it, and
* derived facts (``"org.in_eea"``, ``"regimes"``, ``"transfer.eu_scc"`` …), each computed by the stage
  that owns it, so no stage imports one above it.

Derived facts come in three stages, because each stage needs the one before:

    answers    from the answers alone (``answer_facts``, here: where the organisation is, its role, its data);
               computed from the flat answers (``derive_answer_facts``), and the only stage a question's
               ``visible_if`` may test
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
from collections.abc import Iterable, Mapping
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


def _processors_without_dpa(processors: list[dict[str, Any]] | None) -> bool | None:
    """True when any listed processor has no DPA in place (answered "no" or "not sure")."""
    if processors is None:
        return None
    return any(p.get("dpa_in_place") != "yes" for p in processors)


def _is_uk(code: str) -> bool:
    return code == "GB"


def _is_za(code: str) -> bool:
    return code == "ZA"


def _is_us(code: str) -> bool:
    return code == "US"


def _is_eea_or_uk(code: str) -> bool:
    return is_eea(code) or _is_uk(code)


def answer_facts(answers: Answers) -> dict[str, Any]:
    """``answers.flat()`` plus the facts derived from the answers alone (stage ``answers``)."""
    facts = answers.flat()
    facts.update(derive_answer_facts(facts))
    return facts


def derive_answer_facts(flat: Mapping[str, Any]) -> dict[str, Any]:
    """The facts of stage ``answers``, from the answers flattened (``Answers.flat()``).

    They are computed from the flat answers rather than the model so that anything holding only the flat
    mapping (a wizard page, a question's visibility) gets the same derived facts.
    """
    home = flat.get("organisation.country")
    establishments = [home, *(flat.get("organisation.other_establishments") or [])]
    counterparty = flat.get("agreement.counterparty_country")
    role = flat.get("agreement.our_role")
    accessed_from = flat.get("crm.accessed_from") or []
    subjects, categories = flat.get("data.subject_categories"), flat.get("data.data_categories")
    volume = flat.get("data.record_volume")
    return {
        "org.in_eu": _where(home, is_eu),
        "org.in_eea": _where(home, is_eea),
        "org.in_uk": _where(home, _is_uk),
        "org.in_eea_or_uk": _where(home, _is_eea_or_uk),
        "org.in_za": _where(home, _is_za),
        "org.in_us": _where(home, _is_us),
        "org.eea_establishment": _anywhere(establishments, is_eea),
        "org.uk_establishment": _anywhere(establishments, _is_uk),
        "org.za_establishment": _anywhere(establishments, _is_za),
        "org.for_profit": _for_profit(flat),
        "role.controller": None if role is None else role == "controller",
        "role.processor": None if role is None else role == "processor",
        "counterparty.in_eea": _where(counterparty, is_eea),
        "counterparty.in_uk": _where(counterparty, _is_uk),
        "counterparty.in_za": _where(counterparty, _is_za),
        "counterparty.in_us": _where(counterparty, _is_us),
        "access.from_eea": _anywhere(accessed_from, is_eea),
        "access.from_uk": _anywhere(accessed_from, _is_uk),
        "access.from_za": _anywhere(accessed_from, _is_za),
        "data.special": _special(flat),
        "data.children": None if subjects is None else "children" in subjects,
        "data.criminal": None if categories is None else "criminal" in categories,
        "processors.without_dpa": _processors_without_dpa(flat.get("crm.processors")),
        "volume.large": None if volume in (None, "not_sure") else volume in LARGE_VOLUMES,
    }


def _for_profit(flat: Mapping[str, Any]) -> bool | None:
    sector = flat.get("organisation.sector")
    if flat.get("organisation.is_public_authority") == "yes" or sector in ("nonprofit", "public_sector"):
        return False
    if sector is None:
        return None
    return True


def _special(flat: Mapping[str, Any]) -> bool | None:
    special, categories = flat.get("data.special_categories"), flat.get("data.data_categories")
    if special:
        return True
    if categories is not None and "special_categories" in categories:
        return True
    if special is None and categories is None:
        return None
    return False
