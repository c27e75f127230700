"""How we score: the method, the bands, and every risk rule with its likelihood, impact and sources."""

from __future__ import annotations

import streamlit as st

from dpakit import REGIME_NAMES, RISK_AREAS, SCORING_METHOD, load_rules, rule_regimes, severity_of

st.title("How we score")
st.markdown(SCORING_METHOD)

rules = load_rules()
st.subheader(f"The {len(rules)} risk rules")
st.caption("Rules are data files (dpakit/data/rules/*.toml) that lawyers and consultants can review and edit.")
rows = [
    {
        "Rule": r.id,
        "Area": RISK_AREAS[r.area],
        "Gap": r.title,
        "Likelihood": r.likelihood,
        "Impact": r.impact,
        "Score": r.score,
        "Severity": severity_of(r.score),
        "Laws": ", ".join(REGIME_NAMES[c] for c in rule_regimes(r)),
        "Requirements": ", ".join(r.requirements),
        "Reviewed": r.last_reviewed.isoformat(),
    }
    for r in rules
]
st.dataframe(rows, hide_index=True, width="stretch", key="rules-table")
