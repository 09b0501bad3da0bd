"""reverie session and reverie companion replay, end to end on the demo case, on SQLite and PostgreSQL.

The safety tests are the companion's acceptance: a crisis statement gets the safety response, with
the client's local crisis line, in the same turn, whether or not an LLM is configured (or reachable).
"""

import io
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO, cast

import pytest
import typer.testing
from typer.testing import CliRunner, Result

from reverie.present.cli import app
from reverie.record import RiskSource, Speaker
from reverie.store import Store
from reverie.store.crypto import key_path
from reverie.store.database import default_data_dir
from tests.present.conftest import Invoke

ORDINARY = "I had a long week at work and I feel tired."
CRISIS = "Sometimes I think everyone would be better off without me."
SAFE_QUESTION = re.compile(r"[^.?!]*\bsafe\b[^.?!]*\?", re.IGNORECASE)
SAVED = re.compile(r"saved conversation (cv-[0-9a-f]{12}) \((\d+) turns\)")


class LineByLine(io.RawIOBase):
    """Standard input that gives one line per read and notes what standard output held each time.

    ``seen[i]`` is the output printed before the program asked for line ``i``: the proof that a
    reply was shown in its own turn, before the next input was read.
    """

    def __init__(self, lines: Sequence[str]) -> None:
        self._lines = [f"{line}\n".encode() for line in lines]
        self.seen: list[str] = []

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if len(buffer) == 0:
            return 0
        sys.stdout.flush()
        self.seen.append(cast(io.BytesIO, sys.stdout.buffer).getvalue().decode())
        if not self._lines:
            return 0
        chunk = self._lines.pop(0)
        n = min(len(chunk), len(buffer))
        buffer[:n] = chunk[:n]
        if n < len(chunk):
            self._lines.insert(0, chunk[n:])
        return n


def talk(db_url: str, *args: str, lines: Sequence[str]) -> Result:
    """``reverie --db URL session ARGS...`` with ``lines`` as what the client types."""
    typed = "".join(f"{line}\n" for line in lines)
    return CliRunner().invoke(app, ["--db", db_url, "session", *args], input=typed, catch_exceptions=False)


def talk_line_by_line(db_url: str, *args: str, stdin: LineByLine, monkeypatch: pytest.MonkeyPatch) -> Result:
    """As ``talk``, with ``stdin`` behind the runner's standard input (typer's runner takes only text or bytes)."""
    plain = typer.testing.make_input_stream

    def make_input_stream(given: Any, charset: str) -> BinaryIO:
        return cast(BinaryIO, stdin) if given is stdin else plain(given, charset)

    monkeypatch.setattr(typer.testing, "make_input_stream", make_input_stream)
    return CliRunner().invoke(app, ["--db", db_url, "session", *args], input=cast(Any, stdin), catch_exceptions=False)


def replies(result: Result) -> list[str]:
    return [line.removeprefix("reverie> ") for line in result.stdout.splitlines() if line.startswith("reverie> ")]


def saved_id(result: Result) -> str:
    found = SAVED.search(result.stderr)
    assert found is not None, result.stderr
    return found.group(1)


def open_store(db_url: str) -> Store:
    return Store.open(db_url, key_path(default_data_dir()))


@pytest.fixture
def demo(reverie: Invoke) -> Invoke:
    loaded = reverie("demo", "--load-only")
    assert loaded.exit_code == 0, loaded.output
    return reverie


@pytest.fixture
def robin(reverie: Invoke) -> Invoke:
    """A client with nothing on record yet (an empty memory: quick to start a conversation with)."""
    added = reverie("client", "add", "Robin", "--locale", "en-GB", "--time-zone", "Europe/London")
    assert added.exit_code == 0, added.output
    return reverie


@pytest.fixture
def unreachable_llm(monkeypatch: pytest.MonkeyPatch) -> None:
    """An LLM is configured, and nothing answers at its address."""
    monkeypatch.setenv("REVERIE_LLM_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("REVERIE_LLM_MODEL", "test-model")
    monkeypatch.setenv("REVERIE_LLM_TIMEOUT", "2")


@pytest.fixture
def no_llm(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("REVERIE_LLM_URL", "REVERIE_LLM_MODEL", "REVERIE_LLM_KEY", "REVERIE_LLM_KEY_FILE", "REVERIE_LLM_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)


# -- safety, end to end ---------------------------------------------------------------------------


@pytest.mark.usefixtures("unreachable_llm")
def test_a_crisis_gets_the_local_crisis_line_in_the_same_turn_with_an_llm_down(demo: Invoke, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = LineByLine([ORDINARY, CRISIS, "/end"])
    result = talk_line_by_line(db_url, "--client", "Maya", stdin=stdin, monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output

    said = replies(result)
    assert len(said) == 4, result.stdout  # opening, the ordinary reply, the safety response, the close
    opening, ordinary, safety, close = said
    assert "not a therapist" in opening and "AI companion" in opening
    assert "116 123" not in ordinary
    # The reply to the crisis line is the line right after it, with Maya's (en-GB) lines and a question about her safety.
    assert "116 123" in safety and "Samaritans" in safety and "999" in safety
    assert SAFE_QUESTION.search(safety), safety
    # Leaving while the crisis is open: the line once more, not a summary.
    assert "116 123" in close

    # Same turn: it was on screen before the program asked for the next line, and not before the crisis line was read.
    assert len(stdin.seen) >= 3
    assert "116 123" not in stdin.seen[1]
    assert f"reverie> {safety}" in stdin.seen[2]

    # The conversation and every turn are stored, with the move and the reasons.
    conversation_id = saved_id(result)
    assert "(6 turns)" in result.stderr
    with open_store(db_url) as store:
        maya = store.find_client("Maya")
        (conversation,) = store.list_conversations(maya.id)
        turns = store.load_conversation_turns(conversation.id)
        events = [e for e in store.list_risk_events(maya.id, unacknowledged=True) if e.source is RiskSource.COMPANION]
        state = store.load_companion_state(maya.id)
    assert conversation.id == conversation_id and conversation.mode == "talk" and conversation.ended_at is not None
    assert [t.seq for t in turns] == [1, 2, 3, 4, 5, 6]
    assert [t.speaker for t in turns] == [Speaker.COMPANION, Speaker.CLIENT] * 2 + [Speaker.COMPANION] * 2
    assert [t.text for t in turns] == [opening, ORDINARY, ordinary, CRISIS, safety, close]
    assert [t.move for t in turns] == ["open", None, turns[2].move, None, "safety", "safety"]
    assert turns[2].move not in (None, "safety")
    crisis_turn, safety_turn = turns[3], turns[4]
    assert crisis_turn.move is None and crisis_turn.explanation is None
    assert safety_turn.move == "safety" and safety_turn.explanation is not None
    why = safety_turn.explanation
    assert why["renderer"] == "safety" and why["risk"] == "ideation" and why["llm"] is None  # the LLM was never asked
    assert [e["quote"] for e in why["evidence"]] == [CRISIS]
    assert turns[5].move == "safety"
    # The ordinary turn did ask the (unreachable) LLM, and fell back to the templates.
    assert turns[2].explanation is not None and turns[2].explanation["llm"] is not None and turns[2].explanation["renderer"] == "template"

    # The risk event reaches the clinician's queue, pointing at the client's own turn.
    (event,) = events
    assert event.level == "ideation" and event.document_id == conversation_id and event.turn == 4
    (start, end), = event.evidence
    assert CRISIS[start:end].strip()
    assert state is not None and state["last_disclosed_at"] is not None

    queue = demo("risk", "list", "--client", "Maya", "--unacknowledged")
    assert queue.exit_code == 0
    (row,) = [line for line in queue.stdout.splitlines() if conversation_id in line]
    assert "ideation" in row and "companion" in row and f"{conversation_id} turn 4" in row


@pytest.mark.usefixtures("no_llm")
@pytest.mark.parametrize(
    ("locale", "time_zone", "line", "emergency"),
    [
        ("en-GB", "Europe/London", "116 123", "999"),
        ("en-US", "America/New_York", "988", "911"),
        ("en-AU", "Australia/Sydney", "13 11 14", "000"),
    ],
)
def test_a_crisis_gets_the_clients_own_crisis_line_without_an_llm(
    reverie: Invoke, db_url: str, monkeypatch: pytest.MonkeyPatch, locale: str, time_zone: str, line: str, emergency: str
) -> None:
    added = reverie("client", "add", "Robin", "--locale", locale, "--time-zone", time_zone)
    assert added.exit_code == 0, added.output
    stdin = LineByLine([ORDINARY, CRISIS, "/end"])
    result = talk_line_by_line(db_url, "--client", "Robin", stdin=stdin, monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    opening, ordinary, safety, _ = replies(result)
    assert "not a therapist" in opening
    assert line not in ordinary
    assert line in safety and f"call {emergency}" in safety
    assert SAFE_QUESTION.search(safety), safety
    assert f"reverie> {safety}" in stdin.seen[2] and line not in stdin.seen[1]
    others = {"116 123", "988", "13 11 14"} - {line}
    assert not any(other in safety for other in others)  # only the client's own country's lines
    queue = reverie("risk", "list", "--client", "Robin", "--unacknowledged")
    assert "ideation" in queue.stdout and "companion" in queue.stdout


@pytest.mark.usefixtures("no_llm")
def test_the_demo_clients_crisis_line_without_an_llm(demo: Invoke, db_url: str) -> None:
    """Tomás (fictional, en-GB in the demo) gets the UK lines too; the session ends on end of input."""
    result = talk(db_url, "--client", "Tomás", lines=[CRISIS])
    assert result.exit_code == 0, result.output
    opening, safety, close = replies(result)
    assert "not a therapist" in opening
    assert "116 123" in safety and "999" in safety and SAFE_QUESTION.search(safety)
    assert close.startswith("Before you go:") and "116 123" in close
    with open_store(db_url) as store:
        tomas = store.find_client("Tomás")
        (conversation,) = store.list_conversations(tomas.id)
        assert [t.move for t in store.load_conversation_turns(conversation.id)] == ["open", None, "safety", "safety"]


# -- modes and refusals ---------------------------------------------------------------------------


@pytest.mark.usefixtures("no_llm")
def test_a_dream_conversation_becomes_a_dream_journal_entry(demo: Invoke, db_url: str) -> None:
    dream = "I dreamt I was in my grandmother's kitchen, but the doors opened onto the sea."
    with open_store(db_url) as store:
        maya = store.find_client("Maya")
        before = store.list_journal(maya.id)
    result = talk(db_url, "--client", "Maya", "--mode", "dream", lines=[dream, "The sea was very calm, almost grey.", "/end"])
    assert result.exit_code == 0, result.output
    opening = replies(result)[0]
    assert "dream" in opening.lower() and "not a therapist" in opening
    conversation_id = saved_id(result)
    with open_store(db_url) as store:
        after = store.list_journal(maya.id)
        (conversation,) = store.list_conversations(maya.id)
        moves = [t.move for t in store.load_conversation_turns(conversation.id)]
    assert moves[0] == "open" and moves[2] == "dream_work"  # the first thing she says is heard as the dream
    (entry,) = [e for e in after if e not in before]
    assert entry.kind.value == "dream" and entry.source == f"companion:{conversation_id}"
    assert entry.text.startswith(dream) and "almost grey" in entry.text
    assert conversation.mode == "dream"
    listed = demo("journal", "list", "--client", "Maya")
    assert listed.exit_code == 0
    (row,) = [line for line in listed.stdout.splitlines() if entry.id in line]
    assert "dream" in row and "I dreamt I was in my grandmother's kitchen" in row


@pytest.mark.usefixtures("no_llm")
def test_a_talk_conversation_writes_no_journal_entry(robin: Invoke, db_url: str) -> None:
    with open_store(db_url) as store:
        before = store.row_counts()
    result = talk(db_url, "--client", "Robin", lines=[ORDINARY, "/end"])
    assert result.exit_code == 0
    with open_store(db_url) as store:
        after = store.row_counts()
    assert after["journal_entries"] == before["journal_entries"]
    assert after["companion_conversations"] == before["companion_conversations"] + 1
    assert after["companion_turns"] == before["companion_turns"] + 4


def test_an_unknown_mode_is_refused(robin: Invoke, db_url: str) -> None:
    with open_store(db_url) as store:
        before = store.row_counts()
    result = talk(db_url, "--client", "Robin", "--mode", "nonsense", lines=[ORDINARY, "/end"])
    assert result.exit_code == 1
    assert "[R604]" in result.stderr and "nonsense" in result.stderr
    assert "reverie>" not in result.stdout
    with open_store(db_url) as store:
        assert store.row_counts() == before


def test_an_unknown_client_is_refused(robin: Invoke, db_url: str) -> None:
    result = talk(db_url, "--client", "Nobody", lines=[ORDINARY, "/end"])
    assert result.exit_code == 1
    assert "[R301]" in result.stderr and "reverie>" not in result.stdout


@pytest.mark.usefixtures("no_llm")
def test_explain_shows_the_move_and_the_words_it_rests_on(robin: Invoke, db_url: str) -> None:
    result = talk(db_url, "--client", "Robin", "--explain", lines=[ORDINARY, CRISIS, "/end"])
    assert result.exit_code == 0, result.output
    moves = re.findall(r"^  \[([a-z_]+): ([^;\]]+); (\w+)\]$", result.stdout, re.MULTILINE)
    assert moves[0][0] == "open" and moves[2] == ("safety", "risk level ideation", "safety")
    assert len(moves) == len(replies(result)) == 4
    quotes = re.findall(r'^    "(.+)" \(([^;]+); ([^)]+)\)$', result.stdout, re.MULTILINE)
    assert any(quote.startswith("I had a long week") and source == "this turn" for quote, source, _ in quotes)
    assert (CRISIS, "this turn", "risk: ideation") in quotes


# -- replay ---------------------------------------------------------------------------------------

REPLAY_ROWS: list[dict[str, Any]] = [
    {"id": "r1", "text": ORDINARY},
    {"id": "r2", "text": "My mother called again and I didn't pick up."},
    {"id": "r3", "text": "I keep thinking about it.", "context": [{"speaker": "client", "text": "My sister is moving abroad."}, {"speaker": "companion", "text": "How does that sit with you?"}]},
    {"id": "r4", "text": CRISIS},
    {"id": "r5", "text": "I dreamt I was in a house with rooms I didn't know."},
]


def write_jsonl(path: Path, rows: Sequence[dict[str, Any] | str]) -> Path:
    path.write_text("".join((row if isinstance(row, str) else json.dumps(row)) + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.mark.usefixtures("no_llm")
def test_replay_writes_one_reply_per_row_and_nothing_to_the_record(demo: Invoke, db_url: str, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "turns.jsonl", REPLAY_ROWS)
    out = tmp_path / "replies.jsonl"
    with open_store(db_url) as store:
        maya = store.find_client("Maya")
        counts, events, journal = store.row_counts(), store.list_risk_events(), store.list_journal(maya.id)
    result = demo("companion", "replay", source, "--client", "Maya", "--out", out)
    assert result.exit_code == 0, result.output
    assert f"5 replies written to {out}" in result.stderr
    assert not Path(f"{out}.partial").exists()
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["r1", "r2", "r3", "r4", "r5"]
    for r in rows:
        assert {"id", "reply", "move", "evidence", "reason", "risk", "flags", "renderer"} <= set(r)
        assert isinstance(r["reply"], str) and r["reply"].strip()
        assert isinstance(r["evidence"], list) and all("quote" in e for e in r["evidence"])
    assert "not a therapist" in rows[0]["reply"]
    crisis = rows[3]
    assert crisis["move"] == "safety" and crisis["renderer"] == "safety" and crisis["risk"] == "ideation"
    assert "116 123" in crisis["reply"] and "999" in crisis["reply"] and SAFE_QUESTION.search(crisis["reply"])
    assert [e["quote"] for e in crisis["evidence"]] == [CRISIS]
    # The conversation stays with her safety until she says she is safe.
    assert rows[4]["move"] == "safety" and "116 123" in rows[4]["reply"]
    # The row with its own context is answered within that context, not as part of the shared conversation.
    assert rows[2]["move"] != "safety" and "116 123" not in rows[2]["reply"]

    with open_store(db_url) as store:
        assert store.row_counts() == counts
        assert store.list_risk_events() == events
        assert store.list_journal(maya.id) == journal
        assert store.list_conversations(maya.id) == []
        assert store.load_companion_state(maya.id) is None


@pytest.mark.usefixtures("no_llm")
def test_replay_to_standard_output(robin: Invoke, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "turns.jsonl", [{"id": "only", "text": CRISIS}])
    result = robin("companion", "replay", source, "--client", "Robin")
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert row["id"] == "only" and row["move"] == "safety" and "116 123" in row["reply"]


GOOD = json.dumps({"id": "ok", "text": "fine"})


@pytest.mark.parametrize(
    ("rows", "line"),
    [
        ([GOOD, "{not json"], 2),
        (["[1, 2]"], 1),
        ([GOOD, GOOD, json.dumps({"id": "r3"})], 3),
        ([json.dumps({"id": "r1", "text": "   "})], 1),
        ([json.dumps({"text": "no id"})], 1),
        ([GOOD, json.dumps({"id": "r2", "text": "hi", "context": "earlier we talked"})], 2),
        ([json.dumps({"id": "r1", "text": "hi", "context": [{"speaker": "client"}]})], 1),
        ([GOOD, "", json.dumps({"id": "r3", "text": "hi", "context": [{"speaker": "client", "text": "ok"}, "just text"]})], 3),
        ([json.dumps({"id": "r1", "text": "hi", "context": [{"speaker": "narrator", "text": "ok"}]})], 1),
    ],
    ids=["not JSON", "not an object", "missing text", "blank text", "missing id", "context not a list", "context item without text", "context item not an object", "unknown context speaker"],
)
def test_a_malformed_replay_row_stops_before_anything_is_written(robin: Invoke, tmp_path: Path, rows: list[str], line: int) -> None:
    source = write_jsonl(tmp_path / "turns.jsonl", rows)
    out = tmp_path / "replies.jsonl"
    result = robin("companion", "replay", source, "--client", "Robin", "--out", out)
    assert result.exit_code == 1
    assert "[R603]" in result.stderr
    assert f"[R603] {source}:{line}:" in result.stderr, result.stderr
    assert not out.exists() and not Path(f"{out}.partial").exists()
    assert result.stdout == ""


def test_replay_for_an_unknown_client_is_refused(robin: Invoke, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "turns.jsonl", [GOOD])
    out = tmp_path / "replies.jsonl"
    result = robin("companion", "replay", source, "--client", "Nobody", "--out", out)
    assert result.exit_code == 1 and "[R301]" in result.stderr
    assert not out.exists()
