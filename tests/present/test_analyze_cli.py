"""reverie analyze, show --annotated and the risk queue, end to end on the demo case."""

import re
from pathlib import Path

from tests.present.conftest import Invoke


def test_analyze_show_and_the_risk_queue(reverie: Invoke) -> None:
    assert reverie("demo", "--load-only").exit_code == 0
    first = reverie("analyze", "--client", "Maya")
    assert first.exit_code == 0, first.output
    assert re.search(r"^Maya: \d+ documents analysed", first.stdout) and "new risk event(s)" in first.stdout
    again = reverie("analyze", "--client", "Maya")
    assert again.stdout.startswith("Maya: 0 documents analysed") and "up to date" in again.stdout

    sessions = reverie("sessions", "--client", "Maya").stdout
    second = re.findall(r"(s-[0-9a-f]{12}) │ 2026-01-15", sessions)[0]
    shown = reverie("show", second, "--annotated")
    assert shown.exit_code == 0
    assert "lenses:" in shown.stdout and "risk ideation" in shown.stdout and "Overall Defensive Functioning" in shown.stdout

    queue = reverie("risk", "list", "--client", "Maya", "--unacknowledged")
    assert "ideation" in queue.stdout and "phq9 item 9 answered 1" in queue.stdout
    event = re.findall(r"(r-[0-9a-f]{12})", queue.stdout)[0]
    assert reverie("risk", "ack", event, "--note", "phoned, safe, plan agreed").exit_code == 0
    assert event not in reverie("risk", "list", "--unacknowledged").stdout
    refused = reverie("risk", "ack", event)
    assert refused.exit_code == 1 and "[R503]" in refused.stderr


def test_annotated_show_before_analysis_says_what_to_do(reverie: Invoke) -> None:
    reverie("demo", "--load-only")
    sessions = reverie("sessions", "--client", "Tomás").stdout
    first = re.findall(r"(s-[0-9a-f]{12})", sessions)[0]
    result = reverie("show", first, "--annotated")
    assert result.exit_code == 1 and "reverie analyze --client" in result.stderr


def test_demo_analyses_and_shows_the_queue(reverie: Invoke, tmp_path: Path) -> None:
    result = reverie("demo")
    report = tmp_path / "data" / "maya-report.html"
    assert report.exists() and "Core Conflictual Relationship Theme" in report.read_text(encoding="utf-8")
    assert str(report) in result.stdout.replace("\n", "")
    assert result.exit_code == 0, result.output
    assert "Tomás: " in result.stdout and "Maya: " in result.stdout and "documents analysed" in result.stdout
    assert "hypotheses for the clinician" in result.stdout and "risk events" in result.stdout and "ideation" in result.stdout
    again = reverie("demo")
    assert "Maya is already loaded" in again.stdout and "Maya: 0 documents analysed" in again.stdout
