"""The listening engine: a pipeline of small analyzers over a document of turns.

Every analyzer declares what it requires and assigns; the pipeline checks the order before it
runs. Every annotation carries its lens, label, confidence, the analyzer's version and its
evidence: character offsets into the turns it was read from. No claim without evidence.
"""
