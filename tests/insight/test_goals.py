"""The six goals through their proxies, month by month."""

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta

import pytest

from reverie.analysis.document import Annotation
from reverie.insight.goals import GOALS, RelationshipProxy, goal_report
from reverie.record import CaseRecord, Client, MeasureResponse, Session, Speaker, Turn
from reverie.store import Store
from tests.demo_store import analysed_demo
from tests.insight.test_defensive import answer_key


@pytest.fixture(scope="module")
def demo() -> Iterator[tuple[Store, str]]:
    demo = analysed_demo()
    with demo.open() as store:
        yield store, demo.maya


def test_every_goal_has_labelled_proxies_with_ordered_months(demo: tuple[Store, str]) -> None:
    store, maya = demo
    report = goal_report(store, maya)
    assert list(report.months) == sorted(report.months) == sorted(str(m) for m in answer_key()["odf_annotated_by_month"])
    assert {p.goal for p in report.proxies} == set(GOALS)
    for p in report.proxies:
        assert p.label.startswith(GOALS[p.goal]) and "(proxy)" in p.label
        assert p.measures and p.caveat.endswith(".") and p.better in ("higher", "lower")
        assert p.months == report.months and len(p.values) == len(p.counts) == len(p.months)
        assert p.direction in ("rising", "falling", "no clear trend", "too few to tell")


def test_symptoms_fall_as_the_key_says(demo: tuple[Store, str]) -> None:
    store, maya = demo
    report = goal_report(store, maya)
    phq9, gad7 = report.proxy("phq9_total"), report.proxy("gad7_total")
    key = answer_key()["measures"]
    assert phq9.values == tuple(float(m["phq9_total"]) for m in key)  # 17 -> 4
    assert gad7.values == tuple(float(m["gad7_total"]) for m in key)
    assert phq9.direction == gad7.direction == "falling" and phq9.improving


def test_growth_is_the_odf_trend_and_rises(demo: tuple[Store, str]) -> None:
    store, maya = demo
    growth = goal_report(store, maya).proxy("odf")
    assert growth.direction == "rising" and growth.improving
    assert growth.values[0] is not None and growth.values[-1] is not None and growth.values[-1] > growth.values[0]


def test_self_awareness_grows_and_cites_her_words(demo: tuple[Store, str]) -> None:
    store, maya = demo
    proxy = goal_report(store, maya).proxy("self_observation_share")
    first, last = proxy.values[0], proxy.values[-1]
    assert first is not None and last is not None and last > first
    assert proxy.examples


def test_the_relationships_proxy_can_be_replaced(demo: tuple[Store, str]) -> None:
    store, maya = demo
    seen: list[int] = []

    def score(session: Session, annotations: Sequence[Annotation]) -> float | None:
        seen.append(len(annotations))
        return 0.5

    ccrt = RelationshipProxy("ccrt_positive", "share of positive responses", "a stand-in.", score)
    proxy = goal_report(store, maya, relationships=ccrt).proxy("ccrt_positive")
    assert proxy.goal == "relationships" and set(proxy.values) == {0.5}
    assert len(seen) == 24 and proxy.direction == "no clear trend"


def test_a_tiny_case_reports_too_few_to_tell(store: Store) -> None:
    """Runs on SQLite and PostgreSQL: a case with two sessions and one questionnaire."""
    client = Client("Tiny")
    start = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
    turns = (Turn(Speaker.THERAPIST, "How are you?"), Turn(Speaker.CLIENT, "I notice I always say fine."))
    sessions = tuple(Session(client.id, start + timedelta(weeks=k), turns=turns) for k in range(2))
    measures = (
        MeasureResponse(client.id, "phq9", (1, 1, 1, 1, 1, 1, 1, 1, 0), start),
        MeasureResponse(client.id, "gad7", (1, None, 1, 1, 1, 1, 1), start),  # incomplete: no plain total
    )
    store.save_case(CaseRecord(client, sessions=sessions, measures=measures))
    report = goal_report(store, client.id)
    assert report.months == ("2026-03",)
    assert report.proxy("phq9_total").values == (8.0,)
    assert report.proxy("gad7_total").values == (None,)
    assert report.proxy("self_observation_share").values == (1.0,)
    assert all(p.direction == "too few to tell" for p in report.proxies)
