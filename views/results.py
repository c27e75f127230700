"""Results page: which laws apply and why, the findings by severity (why, citations, actions), a
likelihood × impact heat map, per-area scores and the deadline cards for the laws in scope."""

from __future__ import annotations

import altair as alt
import streamlit as st

from dpakit import DEADLINE_TOPICS, RISK_AREAS, DpakitError, analyse, deadline_cards, heatmap_cells, score
from ui import state
from ui.pages import ACTION_PLAN, HOW_WE_SCORE
from ui.text import md
from ui.wizard import require_assessment

SEVERITY_COLOURS = {"critical": "#b71c1c", "high": "#e65100", "medium": "#f9a825", "low": "#2e7d32"}
SEVERITY_ICONS = {
    "critical": ":material/error:",
    "high": ":material/warning:",
    "medium": ":material/info:",
    "low": ":material/check_circle:",
}

assessment = require_assessment()
try:
    analysis = analyse(assessment.answers)
    report = score(analysis)
except DpakitError as err:
    state.show_error(err, "The results cannot be worked out: ")
    st.stop()

st.title("Results")
st.caption("A first assessment from your answers — a draft for review by a qualified lawyer, not legal advice.")
params = state.link_params()

# --- laws in scope ------------------------------------------------------------------------------
st.header("Which laws apply", anchor="laws")
shown = [d for d in analysis.regimes if d.status in ("applies", "may_apply")]
if not shown:
    st.info(
        "No law could be determined yet: answer the questions about your organisation and where the "
        "people in your CRM are.",
        icon=":material/info:",
    )
for decision in shown:
    label = "applies" if decision.status == "applies" else "may apply — check"
    with st.expander(f"{decision.name}: {label}", expanded=decision.status == "applies"):
        for reason in decision.reasons:
            st.markdown(f"- {md(reason.text)}")

# --- scores ---------------------------------------------------------------------------------------
st.header("Risk overview", anchor="overview")
cols = st.columns(1 + len(report.regimes))
cols[0].metric(
    "Overall risk",
    f"{report.overall.score}/100",
    report.overall.rating,
    delta_color="off",
    help="0 = no gap we check for; 100 = every gap we check for is open. See 'How we score'.",
)
for col, line in zip(cols[1:], report.regimes, strict=True):
    col.metric(line.label, f"{line.score}/100", line.rating, delta_color="off")
st.page_link(HOW_WE_SCORE.path, label="How we score", icon=HOW_WE_SCORE.icon, query_params=params)

left, right = st.columns(2)
with left, st.container(key="heatmap"):
    st.subheader("Likelihood × impact")
    cells = heatmap_cells(report)
    base = alt.Chart(alt.Data(values=cells)).encode(
        x=alt.X("impact:O", title="Impact", sort="ascending"),
        y=alt.Y("likelihood:O", title="Likelihood", sort="descending"),
    )
    heat = base.mark_rect(stroke="white").encode(
        color=alt.Color(
            "band:N",
            title="Band",
            scale=alt.Scale(domain=list(SEVERITY_COLOURS), range=list(SEVERITY_COLOURS.values())),
        ),
        opacity=alt.condition("datum.findings > 0", alt.value(1.0), alt.value(0.25)),
        tooltip=[
            alt.Tooltip("findings:Q", title="Findings"),
            alt.Tooltip("rules:N", title="Rules"),
            alt.Tooltip("score:Q", title="Score"),
        ],
    )
    text = base.mark_text(fontSize=16, color="white", fontWeight="bold").encode(
        text=alt.condition("datum.findings > 0", "findings:Q", alt.value("")),
    )
    st.altair_chart((heat + text).properties(height=320), width="stretch")
with right, st.container(key="area-bars"):
    st.subheader("Risk by area")
    bars = [
        {"area": a.label, "score": a.score, "findings": a.findings, "worst": a.worst or "none"}
        for a in report.areas
        if a.max_points
    ]
    chart = (
        alt.Chart(alt.Data(values=bars))
        .mark_bar()
        .encode(
            x=alt.X("score:Q", title="Risk (0–100)", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("area:N", title=None, sort="-x"),
            color=alt.Color(
                "worst:N",
                title="Worst finding",
                scale=alt.Scale(domain=[*SEVERITY_COLOURS, "none"], range=[*SEVERITY_COLOURS.values(), "#9e9e9e"]),
            ),
            tooltip=["area:N", "score:Q", "findings:Q", "worst:N"],
        )
    )
    st.altair_chart(chart.properties(height=320), width="stretch")

# --- findings -------------------------------------------------------------------------------------
st.header(f"Findings ({len(report.findings)})", anchor="findings")
if not report.findings:
    st.success("No gaps found for the laws in scope from the answers given so far.", icon=":material/check:")
for severity, findings in report.by_severity().items():
    if not findings:
        continue
    st.subheader(f"{severity.capitalize()} ({len(findings)})")
    for finding in findings:
        title = f"{finding.title} — {finding.score}/25 · {RISK_AREAS[finding.area]}"
        with st.expander(title, icon=SEVERITY_ICONS[severity]), st.container(key=f"finding-{finding.rule_id}"):
            st.markdown(f"**Why it matters.** {finding.explanation}")
            st.markdown("**Why we flagged it** — your answers:")
            st.markdown("\n".join(f"- {md(reason.text)}" for reason in finding.reasons))
            st.markdown("**Requirements**")
            st.markdown(
                "\n".join(
                    f"- [{c.id}]({c.url}) — {md(c.title)} ({md(c.citation)}; status {c.status}"
                    + (", advisory" if c.status == "U" else "")
                    + ")"
                    for c in finding.citations
                )
            )
            st.markdown("**What to do**")
            for action in finding.actions:
                st.markdown(f"*{md(action.title)}* — {md(action.owner_role)}, effort {action.effort}")
                st.markdown("\n".join(f"{n}. {md(step)}" for n, step in enumerate(action.steps, start=1)))
            st.caption(f"Rule {finding.rule_id} · likelihood {finding.likelihood} × impact {finding.impact}")
st.page_link(ACTION_PLAN.path, label="Turn these into an action plan", icon=ACTION_PLAN.icon, query_params=params)

# --- deadline cards -------------------------------------------------------------------------------
st.header("Deadlines to know", anchor="deadlines")
role = assessment.answers.agreement.our_role
cards = deadline_cards(report.in_scope, role=role)
if not cards:
    st.caption("Deadline cards appear once the laws that apply are known.")
for topic, topic_label in DEADLINE_TOPICS.items():
    group = [c for c in cards if c.topic == topic]
    if not group:
        continue
    st.subheader(topic_label)
    columns = st.columns(3)
    for index, card in enumerate(group):
        with columns[index % 3], st.container(border=True, key=f"deadline-{card.requirement_id}"):
            st.markdown(f"### {md(card.period)}")
            st.markdown(f"**{md(card.title)}**")
            if card.extension:
                st.caption(md(card.extension.capitalize()))
            st.caption(md(f"{card.regime_names} · clock: {card.clock}"))
            st.markdown(f"[{card.requirement_id}]({card.url}) — {md(card.citation)} (status {card.status})")
