"""The default pipeline: every lens, in an order the pipeline can check."""

from reverie.analysis.pipeline import Analyzer, Pipeline


def default_analyzers() -> list[Analyzer]:
    # Imported here: each brings its head and lexicons, and `reverie --help` must stay fast.
    from reverie.analysis.affect import Affect
    from reverie.analysis.defenses import Defenses
    from reverie.analysis.fantasy import Dreams
    from reverie.analysis.interventions import Interventions
    from reverie.analysis.people import People
    from reverie.analysis.resistance import Resistance
    from reverie.analysis.risk import Risk
    from reverie.analysis.temporal import TemporalFocus
    from reverie.analysis.themes import Themes
    from reverie.analysis.transference import Transference
    from reverie.analysis.vectors import TurnVectors

    # Risk first after the vectors it reads: it is the lens that must never be skipped.
    return [TurnVectors(), Risk(), Affect(), Defenses(), Resistance(), Themes(), TemporalFocus(), People(), Transference(), Dreams(), Interventions()]


def default_pipeline() -> Pipeline:
    return Pipeline(default_analyzers())
