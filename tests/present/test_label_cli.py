import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reverie.analysis.labelling import available_tasks
from reverie.analysis.labelsets import TASKS
from reverie.present.cli import app

TASKS_HERE = available_tasks()


def rows_for(task: str) -> str:
    speaker = TASKS[task].speaker
    return "\n".join(
        [
            json.dumps({"id": "a", "text": "When I was little my mum never came to my school plays, and I still feel sad about it.", "speaker": speaker}),
            '{"id": "b", "text": "unterminated',
            json.dumps({"id": "c", "speaker": speaker}),
            json.dumps({"id": 4, "text": "I had a dream that you were angry with me.", "context": [{"speaker": "therapist", "text": "What comes to mind?"}]}),
        ]
    ) + "\n"


@pytest.mark.parametrize("task", TASKS_HERE)
def test_every_task_labels_in_order_and_reports_malformed_rows(task: str) -> None:
    result = CliRunner().invoke(app, ["label", "--task", task], input=rows_for(task))
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["id"] for row in out] == ["a", None, "c", "4"]  # an id cannot be read from broken JSON
    good = [out[0], out[3]]
    for row in good:
        assert row["task"] == task and isinstance(row["labels"], list) and isinstance(row["scores"], dict)
        assert set(row["labels"]) <= set(TASKS[task].labels)
        if not TASKS[task].multi_label:
            assert len(row["labels"]) == 1
    assert "[R404] line 2: invalid JSON" in out[1]["error"] and out[1]["line"] == 2
    assert "[R404] line 3: missing or empty 'text'" in out[2]["error"]
    assert "error: [R404] line 2" in result.stderr


def test_defense_rows_name_their_defenses() -> None:
    line = json.dumps({"id": "x", "text": "It's fine, honestly, it doesn't bother me at all that he forgot my birthday."})
    result = CliRunner().invoke(app, ["label", "--task", "defense"], input=line + "\n")
    row = json.loads(result.stdout)
    assert row["labels"][0] in [str(n) for n in range(9)] and isinstance(row["defenses"], list)


def test_files_in_and_out_with_workers(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": str(k), "text": f"I dreamt about the sea number {k}."}) + "\n" for k in range(150)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["label", "--task", "dream", "--in", str(source), "--out", str(out), "--workers", "2"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [str(k) for k in range(150)]
    assert all(r["labels"] == ["dream"] for r in rows)
    assert not (tmp_path / "out.jsonl.partial").exists()


def test_unknown_task_and_missing_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["label", "--task", "horoscope"], input="")
    assert result.exit_code == 1 and "[R405]" in result.stderr
    result = CliRunner().invoke(app, ["label", "--task", "dream", "--in", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 1 and "[R217]" in result.stderr
