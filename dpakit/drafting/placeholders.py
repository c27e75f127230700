"""The placeholders a clause body may use, written ``[[name]]``.

Clause bodies are trusted text written by us; answer values are not. A clause body is parsed first
(restricted Markdown), and only afterwards is each ``[[name]]`` replaced by its value as a *literal text
run*: a value is never parsed as Markdown, Jinja or XML. This table is the whole vocabulary; a clause
that uses any other name fails ``python -m dpakit check``. The values are computed from the analysed
answers by ``dpakit.drafting.draft.placeholder_values``.

Parties: the DPA is always between a **controller** (or, under CCPA, the "business"; under POPIA, the
"responsible party") and a **processor** (service provider / operator). Which of them is "us" depends on
``agreement.our_role``; the placeholders name the legal role, never "us" or "them".
"""

from __future__ import annotations

import re

PLACEHOLDERS: dict[str, str] = {
    # parties
    "controller.name": "legal name of the controller",
    "controller.address": "registered address of the controller (one line)",
    "controller.country": "country of the controller (name)",
    "controller.registration": "registration number of the controller, or 'not stated'",
    "controller.contact": "contact person and e-mail of the controller for this agreement",
    "processor.name": "legal name of the processor",
    "processor.address": "registered address of the processor (one line)",
    "processor.country": "country of the processor (name)",
    "processor.registration": "registration number of the processor, or 'not stated'",
    "processor.contact": "contact person and e-mail of the processor for this agreement",
    # the deal
    "services": "description of the services the processor performs",
    "main_agreement": "name of the main (services) agreement, or 'the Main Agreement'",
    "duration": "how long the processing lasts, in words",
    "governing_law": "country whose law governs the DPA (name)",
    "law.mandatory": "what 'Mandatory Law' means: for each law in scope, the law that may require the processor "
    "to act beyond the Instructions or keep Personal Data (regimes.toml mandatory_law)",
    "breach_notice_hours": "hours within which the processor notifies a personal data breach (number)",
    "subprocessor_notice_days": "days of notice before a new sub-processor (number)",
    "audit_notice_days": "days of notice before an audit or inspection (number)",
    "crm.name": "name of the CRM product (e.g. 'HubSpot')",
    "crm.hosting": "where the CRM data is hosted, in words",
    # processing description (Annex II style, one line each)
    "data_subjects": "categories of data subjects, in words",
    "data_categories": "categories of personal data, in words",
    "special_categories": "special-category / sensitive data, in words, or 'none'",
    "purposes": "purposes of the processing, in words",
    "retention": "retention periods or criteria, in words",
    # EU SCCs (Decision 2021/914)
    "scc.modules": "the SCC module(s) that apply, in words, e.g. 'Module Two (controller to processor)'",
    "scc.docking": "whether the Clause 7 docking clause applies: 'applies' or 'does not apply'",
    "scc.clause9": "the Clause 9(a) option chosen, in words, incl. the notice period",
    "scc.clause9_days": "notice period for sub-processor changes under Clause 9(a) (number)",
    "scc.clause11": "the Clause 11(a) choice, in words",
    "scc.authority": "the competent supervisory authority under Clause 13 (name)",
    "scc.law": "the law chosen under Clause 17 (country name)",
    "scc.forum": "the courts chosen under Clause 18 (country name)",
    "scc.importers": "names and countries of the data importers, in words",
    "tia.condition": "empty when the transfer impact assessment is answered as done; otherwise a space and a "
    "bracketed condition naming the answer (jurisdictions.tia_done), for the EU SCCs' Clause 14 warranty",
    "tra.condition": "the same for the UK transfer risk assessment (jurisdictions.tia_done)",
    "guarantees": "the Background's sentence on the Processor's guarantees (GDPR Art 28(1)): stated when every "
    "agreement.processor_* measure is answered yes, otherwise a bracketed condition naming the unconfirmed ones",
    "dpf.importers": "importers relying on the EU-US Data Privacy Framework, in words, or 'none'",
    # UK
    "uk.mechanism": "'the International Data Transfer Addendum' or 'the International Data Transfer Agreement'",
    "uk.start_date": "start date of the UK transfer terms (the DPA's effective date)",
    "uk.ending_party": "which party may end the Addendum under its Table 4, in words",
    "uk.importers": "names and countries of the UK data importers, in words",
    # POPIA
    "popia.regulator": "'the Information Regulator (South Africa)'",
    "popia.transfer_ground": "the s.72 ground relied on for transfers abroad, in words",
    "popia.recipients": "recipients outside South Africa, in words",
    # document
    "effective_date": "the date the DPA takes effect, in words",
}

MAY_BE_EMPTY: frozenset[str] = frozenset({"tia.condition", "tra.condition"})
"""Placeholders whose value is empty when nothing needs saying (a condition only when the answer is not yes)."""

PLACEHOLDER_RE = re.compile(r"\[\[\s*([a-z0-9_.]+)\s*\]\]")


def placeholders_in(text: str) -> list[str]:
    """The placeholder names used in ``text``, in order of first use."""
    return list(dict.fromkeys(m.group(1) for m in PLACEHOLDER_RE.finditer(text)))
