import json
from collections import defaultdict
from datetime import UTC, datetime

import pytest

from reverie.analysis.document import Annotation, Document
from reverie.analysis.labelling import Labeller, parse_row
from reverie.analysis.pipeline import Pipeline
from reverie.analysis.resistance import LABELS, MARKERS, Resistance, label_resistance
from reverie.analysis.vectors import TurnVectors
from reverie.record import Attendance, CancelledBy, Session, Speaker, Turn
from tests.analysis.conftest import DemoSession

PIPELINE = Pipeline([TurnVectors(), Resistance()])
START = datetime(2026, 3, 5, 17, 0, tzinfo=UTC)


def exchange(prompt: str, reply: str) -> Document:
    return PIPELINE(Document((Turn(Speaker.THERAPIST, prompt), Turn(Speaker.CLIENT, reply))))


def found(doc: Document, i: int) -> list[Annotation]:
    return [a for a in doc.found("avoidance") if a.evidence[0].turn == i]


@pytest.mark.parametrize(
    ("prompt", "reply", "marker", "cue"),
    [
        ("What was it like when your dad left?", "Anyway, did you watch the football on Saturday? Mad game.", "topic_shift", "Anyway"),
        ("How did it feel when she said she was leaving?", "Can we talk about something else? I'm not in the mood.", "topic_shift", "Can we talk about something else"),
        ("That sounds really frightening.", "Honestly, it's not a big deal. He was tired, everyone shouts sometimes.", "minimising", "it's not a big deal"),
        ("What do you think made you so angry?", "I don't know.", "dont_know", "I don't know"),
        ("What do you think made you so angry?", "idk tbh", "dont_know", "idk"),
        ("How are you with the divorce?", "i dunno. nothing really", "dont_know", "i dunno"),
        ("How do you feel about the break coming up?", "Where are you going on holiday?", "deflecting_question", "Where are you going"),
        ("What do you feel when you think about leaving him?", "What would you do, in my position?", "deflecting_question", "What would you do"),
        ("How did it feel when she left?", "It's classic attachment stuff really, textbook anxious-avoidant.", "intellectualising", "textbook"),
        # non-native English
        ("You mentioned your mum went very quiet.", "for me is not big deal, it was long time ago, is normal in my country", "minimising", "not big deal"),
    ],
)
def test_text_markers_with_the_turn_before_as_context(prompt: str, reply: str, marker: str, cue: str) -> None:
    doc = exchange(prompt, reply)
    (annotation,) = found(doc, 1)
    assert annotation.label == marker
    assert annotation.lens == "avoidance"
    assert doc.quote(annotation.evidence[0]) == cue
    assert annotation.detail["marker"] == "text"
    assert reply not in json.dumps(dict(annotation.detail))
    result = label_resistance(doc, 1)
    assert result.labels == [marker]
    assert max(result.scores, key=lambda k: result.scores[k]) == marker
    assert doc.summary["resistance"][marker] == 1


@pytest.mark.parametrize(
    ("prompt", "reply"),
    [
        # "I don't know" about a plain fact
        ("What time does your shift start on Thursday?", "I don't know what time it starts, they haven't put the rota up yet."),
        # feelings answered directly
        ("How did it feel when she left?", "Awful. Like the floor went. I sat on the stairs for an hour."),
        ("You seem angry.", "I am angry. I'm furious with him and I've never let myself say that."),
        # negation: the opposite of minimising
        ("You've been off work for a month.", "It is a big deal actually, I'm really struggling."),
        # arrangements, not deflection
        ("Can we move Thursday to five?", "Yes, five is fine, I'll see you then."),
        # "anyway" at the end of a sentence is not a change of subject
        ("What was that like?", "Hard. She doesn't really notice when I leave anyway, so I cried on the bus."),
    ],
)
def test_no_marker_where_the_client_stays_with_it(prompt: str, reply: str) -> None:
    doc = exchange(prompt, reply)
    assert found(doc, 1) == []
    assert label_resistance(doc, 1).labels == ["none"]


def test_topic_shift_needs_a_feeling_laden_topic_to_leave() -> None:
    doc = exchange("Shall we start?", "Yeah. Anyway, did you watch the football on Saturday? Mad game.")
    assert found(doc, 1) == []


def test_exactly_one_label_per_turn_even_with_several_cues() -> None:
    doc = exchange("How did it feel when he left?", "I don't know. It was ages ago, it's not a big deal. Can we talk about something else?")
    result = label_resistance(doc, 1)
    assert len(result.labels) == 1 and result.labels[0] in LABELS
    assert len(found(doc, 1)) == 1
    assert list(result.scores) == list(LABELS)
    assert sum(result.scores.values()) == pytest.approx(1.0, abs=1e-3)


def session_doc(turns: tuple[Turn, ...], **kwargs: object) -> Document:
    session = Session(client_id="c-1", starts_at=START, turns=turns, **kwargs)  # type: ignore[arg-type]
    return PIPELINE(Document(turns, session=session))


def test_silence_of_a_minute_or_more_is_annotated_on_the_turn_after_the_gap() -> None:
    doc = session_doc(
        (
            Turn(Speaker.THERAPIST, "What comes to mind?", 0, 3_000),
            Turn(Speaker.CLIENT, "My mum, I suppose. The kitchen.", 5_000, 9_000),
            Turn(Speaker.THERAPIST, "Mm.", 69_000, 70_000),  # 60 s after the end of the turn before
            Turn(Speaker.CLIENT, "Sorry. I went somewhere.", 129_000, 131_000),  # 59 s: not a silence
        )
    )
    silences = [a for a in doc.found("avoidance", "silence")]
    assert [a.evidence[0].turn for a in silences] == [2]
    assert silences[0].detail == {"marker": "timing", "gap_seconds": 60, "reason": "a gap of a minute or more before this turn"}
    assert doc.quote(silences[0].evidence[0]) == "Mm."
    assert doc.summary["resistance"]["silence"] == 1


def test_silence_uses_the_start_when_a_turn_has_no_end() -> None:
    doc = session_doc((Turn(Speaker.CLIENT, "I don't know where to start.", 0), Turn(Speaker.THERAPIST, "Take your time.", 75_000)))
    assert [a.evidence[0].turn for a in doc.found("avoidance", "silence")] == [1]


def test_lateness_is_annotated_on_the_first_client_turn() -> None:
    doc = session_doc(
        (Turn(Speaker.THERAPIST, "Hello, come in."), Turn(Speaker.CLIENT, "  Sorry, the bus was late again.  ")),
        minutes_late=12,
    )
    (late,) = doc.found("avoidance", "lateness")
    assert late.evidence[0].turn == 1
    assert doc.quote(late.evidence[0]) == "Sorry, the bus was late again."
    assert late.detail["minutes_late"] == 12
    assert doc.summary["resistance"]["lateness"] == 1


@pytest.mark.parametrize(
    ("kwargs", "counted"),
    [
        ({"attendance": Attendance.NO_SHOW}, "no_show"),
        ({"attendance": Attendance.CANCELLED, "cancelled_by": CancelledBy.CLIENT, "notice_hours": 3.0}, "cancellation"),
        ({"attendance": Attendance.CANCELLED, "cancelled_by": CancelledBy.THERAPIST, "notice_hours": 336.0}, "therapist_cancellation"),
    ],
)
def test_sessions_that_did_not_take_place_are_counted_not_annotated(kwargs: dict[str, object], counted: str) -> None:
    session = Session(client_id="c-1", starts_at=START, **kwargs)  # type: ignore[arg-type]
    doc = Resistance()(Document((), session=session))
    assert doc.annotations == []
    summary = doc.summary["resistance"]
    assert summary[counted] == 1
    assert sum(summary.values()) == 1
    # the therapist's cancellation is context, not the client's resistance
    assert summary.get("cancellation", 0) == (1 if counted == "cancellation" else 0)


def test_summary_counts_every_marker_even_when_zero() -> None:
    doc = exchange("How was the week?", "Busy, but good. We finished the model on Friday.")
    assert set(MARKERS) <= set(doc.summary["resistance"])
    assert sum(doc.summary["resistance"].values()) == 0


def test_the_labeller_gives_one_label_and_scores() -> None:
    line = json.dumps({"id": "r7", "text": "Dunno. Nothing, I guess.", "context": [{"speaker": "therapist", "text": "What do you feel right now?"}]})
    (row,) = Labeller("resistance").label([parse_row(line, 1, "resistance")])
    assert row["labels"] == ["dont_know"]
    assert set(row["scores"]) == set(LABELS)


def test_demo_markers_lateness_and_attendance(demo_sessions: tuple[DemoSession, ...]) -> None:
    pipeline = Pipeline([TurnVectors(), Resistance()])
    text_markers = {"topic_shift", "minimising", "dont_know", "deflecting_question", "intellectualising"}
    total = exact = 0
    late_sessions = 0
    for demo in demo_sessions:
        doc = pipeline(demo.document())
        by_turn: dict[int, set[str]] = defaultdict(set)
        for annotation in doc.found("avoidance"):
            by_turn[annotation.evidence[0].turn].add(annotation.label)
            for span in annotation.evidence:
                assert doc.quote(span) and doc.quote(span) == doc.quote(span).strip()
        for item in demo.key.get("resistance", []):
            if item["marker"] in text_markers:
                total += 1
                exact += item["marker"] in by_turn.get(item["turn"] - 1, set())
        if demo.session.minutes_late:
            late_sessions += 1
            assert doc.summary["resistance"]["lateness"] == 1
    assert total >= 50
    assert exact / total >= 0.75
    assert late_sessions == 4  # Maya three times, Tomás once
