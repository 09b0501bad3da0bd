"""The companion: a client-led, psychodynamic listening space between sessions (not a therapist).

It reads each client turn through the safety check first, then the listening engine, chooses a
move with a transparent policy (``policy.py``), grounds it in the client's own words (this turn
and ``memory.py``), and phrases it with templates or, when configured, an LLM that only phrases.
"""
