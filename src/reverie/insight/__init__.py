"""Insight across months and years: what shows only over many sessions.

Recurring themes, the Core Conflictual Relationship Theme, defensive functioning over time,
symptom measures and the proxies for the goals of psychodynamic therapy. Everything here reads
the record and the stored analysis; every finding keeps its evidence (session, date, the
client's words) so a clinician can check it.
"""
