"""Risk rules → findings → scores. Pure and deterministic: the same facts always give the same report.

The rules are data (``dpakit/data/rules/*.toml``, one file per area). Each rule says *when* it fires (in
the condition language, over the answers and derived facts), how likely and how harmful the problem is
(1–5 each), why it matters in plain words, which requirements of the catalogue it rests on, and the
actions that fix it. Rules fire on the **absence** of safeguards (``ne … "yes"``: "no", "not sure" and
"not answered yet" all count as missing), so answering "yes" to a safeguard can only remove findings and
never raises a score. Which answers are safeguards is a flag on their questions (``safeguard = true`` in
``data/questions/*.toml``, read through :func:`safeguards`). How the scores are computed is explained in :data:`METHOD` (shown in the app).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from . import conditions as cond
from .content import DATA_DIR, display_path, ensure_unique, read_toml, toml_files, validate_item
from .errors import ContentError
from .explain import Reason, default_fact_labels, explain
from .questionnaire import Questionnaire, default_questionnaire
from .requirements import REGIME_NAMES, Catalogue, load_catalogue

RULES_DIR = DATA_DIR / "rules"
METHOD_VERSION = "1"

Area = Literal[
    "lawful_basis",
    "marketing",
    "profiling",
    "sensitive_data",
    "transfers",
    "security",
    "incidents",
    "rights",
    "retention",
    "accountability",
    "vendors",
    "ccpa",
]
AREAS: dict[str, str] = {
    "lawful_basis": "Lawful basis and transparency",
    "marketing": "Email and SMS marketing",
    "profiling": "Profiling and impact assessments",
    "sensitive_data": "Sensitive data and children",
    "transfers": "International transfers",
    "security": "Security of the CRM",
    "incidents": "Breach readiness",
    "rights": "Requests from individuals",
    "retention": "Retention and erasure",
    "accountability": "Records, DPO and representatives",
    "vendors": "Vendors and sub-processors",
    "ccpa": "California sale and sharing",
}

Severity = Literal["critical", "high", "medium", "low"]
SEVERITIES: tuple[Severity, ...] = ("critical", "high", "medium", "low")
SEVERITY_BANDS: tuple[tuple[int, Severity], ...] = ((16, "critical"), (10, "high"), (5, "medium"), (1, "low"))
"""A finding's severity from its score (likelihood × impact): the first band whose floor it reaches."""

Rating = Literal["none", "low", "moderate", "high", "severe"]
RATING_BANDS: tuple[tuple[int, Rating], ...] = ((60, "severe"), (35, "high"), (15, "moderate"), (1, "low"), (0, "none"))
"""A 0–100 risk index in words: the first band whose floor it reaches."""

METHOD = f"""\
**How we score** (method version {METHOD_VERSION})

1. **Rules.** Each risk rule describes one gap that matters under the laws that apply to you — for
   example "multi-factor authentication is not enforced". A rule fires when the safeguard is missing:
   an answer of *No*, *Not sure* or no answer yet all count as missing. Answering *Yes* to a safeguard
   can only remove findings; it never raises a score.
2. **Finding score = likelihood × impact.** Each rule rates how likely the problem is to cause harm
   (1 rare – 5 almost certain) and how bad the harm would be (1 minor – 5 severe) for people and for you.
   The product (1–25) places the finding in a band: **critical** 16–25, **high** 10–15, **medium** 5–9,
   **low** 1–4. The heat map shows where your findings sit on the likelihood × impact grid.
3. **Area, law and overall scores (0–100).** For each area we add up the scores of the findings and
   divide by the largest total that area could reach under the laws that apply to you (the sum of the
   scores of every rule in it that concerns those laws). 0 means no gap we check for; 100 means every gap
   we check for is open. A law's score uses the rules citing that law's requirements; the overall score
   uses all of them. Ratings: **severe** 60–100, **high** 35–59, **moderate** 15–34, **low** 1–14,
   **none** 0.
4. **Sources.** Every finding cites the requirements it rests on (with their official source and
   verification status) and names the answers that triggered it. Requirements marked U (unverified)
   are advisory.

Scores help you decide what to fix first; they are not a legal opinion. Have the result reviewed by a
qualified lawyer before relying on it.
"""


# --- content models -------------------------------------------------------------------------------


class ActionSpec(BaseModel):
    """One thing to do that fixes (part of) a finding. The same ``id`` may serve several rules."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^A-[A-Z0-9]+(-[A-Z0-9]+)*$")
    title: str = Field(min_length=3)
    steps: tuple[str, ...] = Field(min_length=1)
    owner_role: str = Field(min_length=2)
    effort: Literal["S", "M", "L"]


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^R-[A-Z]+-\d{2}$")
    area: Area
    title: str = Field(min_length=3)
    when: cond.Condition
    likelihood: int = Field(ge=1, le=5)
    impact: int = Field(ge=1, le=5)
    explanation: str = Field(min_length=20)
    requirements: tuple[str, ...] = Field(min_length=1)
    actions: tuple[ActionSpec, ...] = Field(min_length=1)
    version: int = Field(ge=1)
    last_reviewed: datetime.date

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class _RulesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    defaults: dict[str, Any] = {}
    rule: list[dict[str, Any]] = Field(min_length=1)


class _Defaults(BaseModel):
    model_config = ConfigDict(extra="forbid")

    area: str | None = None
    version: int | None = None
    last_reviewed: datetime.date | None = None


def safeguards(questionnaire: Questionnaire | None = None) -> frozenset[str]:
    """Yes/no answers where "yes" means a safeguard is in place: the questions flagged ``safeguard``.

    Rules may test them only as ``ne … "yes"`` (never under ``not``), which ``load_rules`` enforces, so that
    adding one never raises a score.
    """
    return frozenset((questionnaire or default_questionnaire()).safeguards())


def load_rules(
    folder: Path = RULES_DIR, catalogue: Catalogue | None = None, questionnaire: Questionnaire | None = None
) -> tuple[Rule, ...]:
    """Read and check every rules file; a problem raises ``ContentError`` naming the file and rule."""
    if Path(folder) == RULES_DIR and catalogue is None and questionnaire is None:
        return _default_rules()
    return _load(Path(folder), catalogue or load_catalogue(), safeguards(questionnaire))


@functools.cache
def _default_rules() -> tuple[Rule, ...]:
    return _load(RULES_DIR, load_catalogue(), safeguards())


def _load(folder: Path, catalogue: Catalogue, guarded: frozenset[str]) -> tuple[Rule, ...]:
    from .facts import fact_keys

    known_facts = set(fact_keys())
    pairs: list[tuple[Rule, str]] = []
    for path in toml_files(folder):
        file = display_path(path)
        raw = validate_item(_RulesFile, read_toml(path), file)
        defaults = validate_item(_Defaults, raw.defaults, file, "[defaults]").model_dump(exclude_none=True)
        for position, item in enumerate(raw.rule, start=1):
            name = str(item.get("id") or f"rule #{position}")
            rule = validate_item(Rule, defaults | item, file, name)
            _check_rule(rule, file, catalogue, known_facts, guarded)
            pairs.append((rule, file))
    if not pairs:
        raise ContentError(display_path(folder), "no rules files found")
    ensure_unique(((r.id, f) for r, f in pairs), "rule")
    actions: dict[str, tuple[ActionSpec, str]] = {}
    for rule, file in pairs:
        for action in rule.actions:
            first = actions.setdefault(action.id, (action, rule.id))
            if first[0] != action:
                raise ContentError(
                    file, f"action {action.id} differs from the one of the same id in rule {first[1]}", rule.id
                )
    return tuple(rule for rule, _ in pairs)


def _check_rule(rule: Rule, file: str, catalogue: Catalogue, known_facts: set[str], guarded: frozenset[str]) -> None:
    missing = [ref for ref in rule.requirements if ref not in catalogue]
    if missing:
        raise ContentError(file, f"requirement id(s) not in the catalogue: {', '.join(missing)}", rule.id)
    for ref in cond.referenced_fields(rule.when):
        if ref not in known_facts:
            raise ContentError(file, f"when names an unknown answer field or fact {ref!r}", rule.id)
    for leaf, negated in _leaves_with_polarity(rule.when):
        if leaf.field in guarded and (negated or leaf.op != "ne" or leaf.value != "yes"):
            raise ContentError(
                file,
                f'safeguard {leaf.field} may only be tested as ne "yes" outside any not '
                "(so that adding a safeguard never raises a score)",
                rule.id,
            )
    if len(set(a.id for a in rule.actions)) != len(rule.actions):
        raise ContentError(file, "an action is listed twice", rule.id)


def _leaves_with_polarity(c: cond.Condition, negated: bool = False) -> Iterable[tuple[Any, bool]]:
    match c:
        case cond.Always():
            return
        case cond.All(of=children) | cond.Any_(of=children):
            for child in children:
                yield from _leaves_with_polarity(child, negated)
        case cond.Not(cond=child):
            yield from _leaves_with_polarity(child, not negated)
        case _:
            yield c, negated


def rule_regimes(rule: Rule, catalogue: Catalogue | None = None) -> tuple[str, ...]:
    """The regimes whose requirements a rule cites, in the catalogue's regime order."""
    catalogue = catalogue or load_catalogue()
    found = {code for ref in rule.requirements for code in catalogue.get(ref).regimes}
    return tuple(code for code in REGIME_NAMES if code in found)


# --- the report -----------------------------------------------------------------------------------


def severity_of(score: int) -> Severity:
    """The severity band (low … critical) of a likelihood × impact score."""
    for floor, name in SEVERITY_BANDS:
        if score >= floor:
            return name
    return "low"


def rating_of(index: int) -> Rating:
    for floor, name in RATING_BANDS:
        if index >= floor:
            return name
    return "none"


@dataclass(frozen=True)
class Citation:
    """A requirement a finding rests on, as shown next to it."""

    id: str
    title: str
    citation: str
    url: str
    status: str


@dataclass(frozen=True)
class Finding:
    rule_id: str
    title: str
    area: str
    severity: Severity
    score: int
    likelihood: int
    impact: int
    requirements: tuple[str, ...]
    citations: tuple[Citation, ...]
    regimes: tuple[str, ...]
    explanation: str
    reasons: tuple[Reason, ...]
    actions: tuple[ActionSpec, ...]

    @property
    def triggering_answers(self) -> list[str]:
        """The answers (and derived facts) that made the rule fire, one line each."""
        return [r.text for r in self.reasons]

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "title": self.title,
            "area": self.area,
            "severity": self.severity,
            "score": self.score,
            "likelihood": self.likelihood,
            "impact": self.impact,
            "requirements": list(self.requirements),
            "regimes": list(self.regimes),
            "explanation": self.explanation,
            "triggering_answers": [r.as_dict() for r in self.reasons],
            "actions": [a.model_dump(mode="json") for a in self.actions],
        }


@dataclass(frozen=True)
class ScoreLine:
    """A 0–100 risk index for an area, a regime or overall, with what it is made of."""

    key: str
    label: str
    score: int
    rating: Rating
    points: int
    max_points: int
    findings: int
    worst: Severity | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "score": self.score,
            "rating": self.rating,
            "points": self.points,
            "max_points": self.max_points,
            "findings": self.findings,
            "worst": self.worst,
        }


@dataclass(frozen=True)
class RiskReport:
    findings: tuple[Finding, ...]
    areas: tuple[ScoreLine, ...]
    regimes: tuple[ScoreLine, ...]
    overall: ScoreLine
    rules_evaluated: int
    method_version: str = METHOD_VERSION
    in_scope: tuple[str, ...] = field(default=())

    def by_severity(self) -> dict[Severity, list[Finding]]:
        groups: dict[Severity, list[Finding]] = {s: [] for s in SEVERITIES}
        for f in self.findings:
            groups[f.severity].append(f)
        return groups

    def finding(self, rule_id: str) -> Finding:
        for f in self.findings:
            if f.rule_id == rule_id:
                return f
        raise KeyError(rule_id)

    @property
    def rule_ids(self) -> list[str]:
        return [f.rule_id for f in self.findings]

    def as_dict(self) -> dict[str, Any]:
        return {
            "method_version": self.method_version,
            "findings": [f.as_dict() for f in self.findings],
            "areas": [a.as_dict() for a in self.areas],
            "regime_scores": [r.as_dict() for r in self.regimes],
            "overall": self.overall.as_dict(),
            "rules_evaluated": self.rules_evaluated,
        }


def score(
    analysis: Any,
    rules: Sequence[Rule] | None = None,
    *,
    questionnaire: Questionnaire | None = None,
    catalogue: Catalogue | None = None,
    fact_labels: Mapping[str, str] | None = None,
) -> RiskReport:
    """Evaluate every rule against ``analysis.facts`` (or a plain facts mapping) and score the findings."""
    facts: Mapping[str, Any] = analysis if isinstance(analysis, Mapping) else analysis.facts
    return score_facts(facts, rules, questionnaire=questionnaire, catalogue=catalogue, fact_labels=fact_labels)


def score_facts(
    facts: Mapping[str, Any],
    rules: Sequence[Rule] | None = None,
    *,
    questionnaire: Questionnaire | None = None,
    catalogue: Catalogue | None = None,
    fact_labels: Mapping[str, str] | None = None,
) -> RiskReport:
    catalogue = catalogue or load_catalogue()
    rules = load_rules() if rules is None else rules
    questionnaire = questionnaire or default_questionnaire()
    fact_labels = default_fact_labels() if fact_labels is None else fact_labels
    in_scope = tuple(facts.get("regimes") or ())
    scope = set(in_scope)

    findings: list[Finding] = []
    relevant: list[tuple[Rule, tuple[str, ...]]] = []
    for rule in rules:
        cited = rule_regimes(rule, catalogue)
        verdict = cond.evaluate(rule.when, facts)
        if verdict.value or scope.intersection(cited):
            relevant.append((rule, cited))
        if verdict.value:
            findings.append(_finding(rule, verdict, cited, scope, catalogue, questionnaire, fact_labels))
    findings.sort(key=lambda f: (-f.score, -f.impact, f.rule_id))

    areas = tuple(
        _line(key, label, [f for f in findings if f.area == key], [r for r, _ in relevant if r.area == key])
        for key, label in AREAS.items()
    )
    regimes = tuple(
        _line(
            code,
            REGIME_NAMES.get(code, code),
            [f for f in findings if code in f.regimes],
            [r for r, cited in relevant if code in cited],
        )
        for code in in_scope
    )
    overall = _line("overall", "Overall", findings, [r for r, _ in relevant])
    return RiskReport(tuple(findings), areas, regimes, overall, len(rules), in_scope=in_scope)


def _finding(
    rule: Rule,
    verdict: cond.Verdict,
    cited: tuple[str, ...],
    scope: set[str],
    catalogue: Catalogue,
    questionnaire: Questionnaire,
    fact_labels: Mapping[str, str],
) -> Finding:
    in_scope_refs = tuple(ref for ref in rule.requirements if scope.intersection(catalogue.get(ref).regimes))
    refs = in_scope_refs or rule.requirements
    citations = []
    for ref in refs:
        req = catalogue.get(ref)
        citations.append(Citation(req.id, req.title, req.citation, req.url, req.status))
    return Finding(
        rule_id=rule.id,
        title=rule.title,
        area=rule.area,
        severity=severity_of(rule.score),
        score=rule.score,
        likelihood=rule.likelihood,
        impact=rule.impact,
        requirements=refs,
        citations=tuple(citations),
        regimes=tuple(code for code in cited if code in scope),
        explanation=rule.explanation,
        # Answers first, then the derived facts (laws in scope, transfers) they combined with.
        reasons=tuple(sorted(explain(verdict, questionnaire, fact_labels), key=lambda r: r.derived)),
        actions=rule.actions,
    )


def _line(key: str, label: str, findings: list[Finding], relevant: list[Rule]) -> ScoreLine:
    points = sum(f.score for f in findings)
    max_points = sum(r.score for r in relevant)
    index = 0 if max_points == 0 else round(100 * points / max_points)
    worst = next((s for s in SEVERITIES if any(f.severity == s for f in findings)), None)
    return ScoreLine(key, label, index, rating_of(index), points, max_points, len(findings), worst)


def heatmap_cells(report: RiskReport) -> list[dict[str, Any]]:
    """All 25 likelihood × impact cells with the number of findings in each, and the band of the cell."""
    counts: dict[tuple[int, int], list[str]] = {}
    for f in report.findings:
        counts.setdefault((f.likelihood, f.impact), []).append(f.rule_id)
    return [
        {
            "likelihood": lk,
            "impact": im,
            "score": lk * im,
            "band": severity_of(lk * im),
            "findings": len(counts.get((lk, im), [])),
            "rules": ", ".join(counts.get((lk, im), [])),
        }
        for lk in range(1, 6)
        for im in range(1, 6)
    ]


# --- the full report, as printed by ``python -m dpakit score`` -----------------------------------------


def full_report(analysis: Any, report: RiskReport | None = None) -> dict[str, Any]:
    """Regimes (with reasons), transfers (flows, mechanism, SCC module, TIA, options) and the risk report."""
    import dataclasses

    report = report or score(analysis)
    transfers = analysis.transfers
    return {
        "method_version": report.method_version,
        "regimes": [
            {"code": d.code, "name": d.name, "status": d.status, "reasons": [r.text for r in d.reasons]}
            for d in analysis.regimes
            if d.status != "not_applicable"
        ],
        "in_scope": list(report.in_scope),
        "transfers": {
            "flows": [
                {
                    "id": f.id,
                    "from": f.from_place,
                    "from_role": f.from_role,
                    "to": f.to_name,
                    "to_country": f.to_country,
                    "to_role": f.to_role,
                    "regime": f.regime,
                    "mechanism": f.mechanism,
                    "mechanism_detail": f.mechanism_detail,
                    "scc_module": f.scc_module,
                    "tia_required": f.tia_required,
                    "requirements": list(f.requirement_ids),
                    "reasons": list(f.reasons),
                }
                for f in transfers.flows
            ],
            "options": {
                "scc": dataclasses.asdict(transfers.scc) if transfers.scc else None,
                "uk": dataclasses.asdict(transfers.uk) if transfers.uk else None,
            },
        },
        **{k: v for k, v in report.as_dict().items() if k != "method_version"},
    }


def report_text(data: Mapping[str, Any]) -> str:
    """The full report (``full_report``) as plain text for a terminal."""
    lines = ["Laws"]
    for r in data["regimes"]:
        lines.append(f"  {r['name']} ({r['code']}): {r['status'].replace('_', ' ')}")
        lines += [f"    - {reason}" for reason in r["reasons"]]
    lines.append("Transfers")
    for f in data["transfers"]["flows"]:
        module = f" Module {f['scc_module']}" if f["scc_module"] else ""
        tia = ", TIA required" if f["tia_required"] else ""
        lines.append(f"  {f['regime']}: {f['from']} → {f['to']} ({f['to_country']}): {f['mechanism']}{module}{tia}")
    if not data["transfers"]["flows"]:
        lines.append("  none")
    o = data["overall"]
    lines.append(f"Overall risk: {o['score']}/100 ({o['rating']}), {o['findings']} findings")
    for line in data["regime_scores"]:
        lines.append(f"  {line['label']}: {line['score']}/100 ({line['rating']})")
    lines.append("Areas")
    for a in data["areas"]:
        if a["max_points"]:
            lines.append(f"  {a['label']}: {a['score']}/100 ({a['rating']}, {a['findings']} findings)")
    lines.append("Findings")
    for f in data["findings"]:
        lines.append(f"  [{f['severity'].upper()} {f['score']}] {f['rule_id']} {f['title']}")
        lines.append(f"    requirements: {', '.join(f['requirements'])}")
        lines += [f"    because: {t['text']}" for t in f["triggering_answers"] if not t["derived"]]
    return "\n".join(lines)
