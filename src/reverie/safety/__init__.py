"""Reverie's safety layer: what stands between a person in distress and anything Reverie says.

Risk is read before anything else on every client turn, a crisis gets the fixed safety response
with the local crisis line in the same turn (also when the LLM is down), and every reply, from a
template or an LLM, passes the output gate before it is shown. The layer is deliberately small
and rule-based so that a clinician can read exactly what it does; it may use ``record``,
``errors`` and ``analysis`` but never ``store`` or ``present``, so it works before a database or
a user interface exists.
"""
