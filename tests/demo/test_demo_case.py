"""The fictional demo case is the fixture of every later issue: it must stay consistent."""

from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from reverie.ingest import SpeakerMap, read_transcript
from reverie.present.demo import demo_folder, read_demo
from reverie.record import Attendance, CancelledBy, CaseRecord, JournalKind, Session

DEMO = demo_folder()


@cache
def cases() -> dict[str, CaseRecord]:
    return {c.client.pseudonym: c for c in read_demo()}


@cache
def key() -> dict[str, Any]:
    loaded = yaml.safe_load((DEMO / "answer_key.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def attended(case: CaseRecord) -> list[Session]:
    return [s for s in case.sessions if s.attendance is Attendance.ATTENDED]


def test_every_demo_file_says_it_is_fictional() -> None:
    files = [p for p in DEMO.rglob("*") if p.is_file()]
    assert len(files) > 60
    unmarked = [str(p.relative_to(DEMO)) for p in files if "fictional" not in p.read_text(encoding="utf-8").lower()]
    assert unmarked == []


def test_maya_has_the_shape_the_issue_asks_for() -> None:
    maya = cases()["Maya"]
    sessions = attended(maya)
    assert len(sessions) >= 24
    assert all(40 <= len(s.turns) <= 120 for s in sessions)
    assert {s.source.rsplit(".", 1)[1] for s in sessions if s.source} == {"txt", "vtt", "srt"}
    span = sessions[-1].starts_at - sessions[0].starts_at
    assert 150 <= span.days <= 200
    cancelled = Counter(s.cancelled_by for s in maya.sessions if s.attendance is Attendance.CANCELLED)
    assert cancelled[CancelledBy.CLIENT] >= 2
    assert sum(s.attendance is Attendance.NO_SHOW for s in maya.sessions) == 1
    assert sum(s.minutes_late > 0 for s in sessions) >= 2
    kinds = Counter(j.kind for j in maya.journal)
    assert kinds[JournalKind.FREE_ASSOCIATION] >= 2 and kinds[JournalKind.DREAM] >= 2 and kinds[JournalKind.COUNTERTRANSFERENCE] >= 3
    assert not any(j.shared_with_therapist for j in maya.journal if j.kind is JournalKind.COUNTERTRANSFERENCE)
    phq = [sum(a or 0 for a in m.answers) for m in maya.measures if m.instrument == "phq9"]
    gad = [sum(a or 0 for a in m.answers) for m in maya.measures if m.instrument == "gad7"]
    assert len(phq) >= 6 and phq == sorted(phq, reverse=True) and phq[0] - phq[-1] >= 10
    assert len(gad) >= 6 and gad == sorted(gad, reverse=True)
    first_phq = next(m for m in maya.measures if m.instrument == "phq9")
    assert first_phq.answers[8] == 1  # item 9 in January: the key's passive ideation


def test_second_client_has_eight_sessions_and_a_different_pattern() -> None:
    tomas = cases()["Tomás"]
    assert len(attended(tomas)) == 8
    assert key()["tomas"]["ccrt"]["wish"][0] != key()["maya"]["ccrt"]["wish"][0]


def annotations(client: str) -> list[tuple[str, int, dict[str, Any]]]:
    out = []
    for s in key()[client]["sessions"]:
        for section in ("dreams", "defenses", "transference", "resistance", "risk", "relationship_episodes"):
            for item in s.get(section) or []:
                out.append((s["date"], section, item))
    return out


@pytest.mark.parametrize("client", ["maya", "tomas"])
def test_every_annotation_quotes_the_turn_it_names(client: str) -> None:
    case = cases()["Maya" if client == "maya" else "Tomás"]
    by_date = {f"{s.starts_at:%Y-%m-%d}": s for s in attended(case)}
    wrong = []
    for date, section, item in annotations(client):
        turns = by_date[date].turns
        turn = turns[item["turn"] - 1] if 1 <= item["turn"] <= len(turns) else None
        if turn is None or item["quote"] not in turn.text:
            wrong.append(f"{date} {section} turn {item['turn']}: {item['quote']!r}")
    assert wrong == []


def test_key_counts_match_the_transcripts() -> None:
    for client, name in (("maya", "Maya"), ("tomas", "Tomás")):
        by_date = {f"{s.starts_at:%Y-%m-%d}": s for s in attended(cases()[name])}
        for s in key()[client]["sessions"]:
            assert s["turns"] == len(by_date[s["date"]].turns), s["date"]


def test_maya_clinical_content() -> None:
    sessions = key()["maya"]["sessions"]
    dreams = [d for s in sessions for d in s.get("dreams") or []]
    assert len(dreams) >= 5
    defenses = [d for s in sessions for d in s.get("defenses") or []]
    assert len({d["name"] for d in defenses}) >= 8
    assert len({d["level"] for d in defenses}) >= 6
    assert sum(len(s.get("transference") or []) for s in sessions) >= 5
    markers = {r["marker"] for s in sessions for r in s.get("resistance") or []}
    assert {"topic_shift", "minimising", "dont_know", "silence"} <= markers
    early_risk = [r for s in sessions[:4] for r in s.get("risk") or []]
    assert any(r["level"] == "ideation" for r in early_risk)
    assert {r["level"] for r in early_risk} >= {"indicator", "ideation"}
    later = [r for s in sessions[4:] for r in s.get("risk") or []]
    assert not any(r["level"] in ("ideation", "behavior", "attempt") for r in later)


def test_odf_matures_as_the_key_intends() -> None:
    maya = key()["maya"]
    intended, annotated = maya["odf_intended_by_month"], maya["odf_annotated_by_month"]
    assert intended.keys() == annotated.keys()
    for month, value in intended.items():
        assert abs(value - annotated[month]) <= 0.5, month
    values = list(intended.values())
    assert values == sorted(values) and values[-1] - values[0] >= 2


@pytest.mark.parametrize("client", ["maya", "tomas"])
def test_ccrt_of_the_key_is_the_most_frequent_in_its_episodes(client: str) -> None:
    entry = key()[client]
    episodes = [e for s in entry["sessions"] for e in s.get("relationship_episodes") or []]
    assert len(episodes) >= 30
    for component in ("wish", "response_of_other", "response_of_self"):
        ranked = [c for c, _ in Counter(e[component] for e in episodes).most_common()]
        assert ranked[0] == entry["ccrt"][component][0], component
        assert entry["ccrt"][component] == ranked[: len(entry["ccrt"][component])], component


def test_the_same_session_in_three_formats_gives_identical_turns() -> None:
    folder = DEMO / "maya" / "same-session"
    speakers = SpeakerMap.parse(["Maya=client", "Dr Hart=therapist"])
    parsed = [read_transcript(folder / f"2026-01-08.{ext}", speakers) for ext in ("txt", "vtt", "srt")]
    assert parsed[0].turns == parsed[1].turns == parsed[2].turns
    assert len(parsed[0].turns) >= 40 and all(t.end_ms is not None for t in parsed[0].turns)
    shipped = next(s for s in attended(cases()["Maya"]) if f"{s.starts_at:%Y-%m-%d}" == "2026-01-08")
    assert shipped.turns == parsed[0].turns


def test_demo_readme_explains_the_key() -> None:
    readme = (DEMO / "README.md").read_text(encoding="utf-8")
    for word in ("answer_key.yaml", "CCRT", "ODF", "fictional"):
        assert word in readme


@pytest.mark.parametrize("path", sorted((DEMO / "maya" / "journal").glob("*.md")), ids=lambda p: Path(p).name)
def test_journal_files_carry_date_and_kind(path: Path) -> None:
    head = path.read_text(encoding="utf-8").split("---")[1]
    assert "date:" in head and "kind:" in head
