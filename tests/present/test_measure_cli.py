"""``reverie measure add / take / list`` on SQLite and PostgreSQL."""

import pytest
from typer.testing import CliRunner, Result

from reverie.present.cli import app
from reverie.store import Store
from reverie.store.crypto import key_path
from reverie.store.database import default_data_dir
from tests.present.conftest import Invoke

GB_LINE = "116 123 (Samaritans)"


def counts(db: str) -> dict[str, int]:
    with Store.open(db, key_path(default_data_dir())) as store:
        return store.row_counts()


def take(db_url: str, *args: str, input: str) -> Result:
    """``reverie measure take`` with the client's answers on standard input."""
    return CliRunner().invoke(app, ["--db", db_url, "measure", "take", *args], input=input, catch_exceptions=False)


def test_add_then_list_shows_totals_bands_and_change(reverie: Invoke) -> None:
    reverie("client", "add", "Ana", "--locale", "en-GB")
    first = reverie("measure", "add", "phq9", "--client", "Ana", "--items", "3,3,2,2,2,2,2,1,0", "--date", "2026-01-05")
    assert first.exit_code == 0, first.output
    assert "PHQ-9 for Ana on 2026-01-05: total 17 of 27, moderately severe" in first.stdout
    assert "since the first" not in first.stdout
    second = reverie("measure", "add", "phq9", "--client", "ana", "--items", "2,2,2,1,1,1,1,0,0", "--date", "2026-02-05")
    assert "total 10 of 27, moderate" in second.stdout
    # 17 -> 10: -7 / 1.979899 = -3.54, still at or above 10
    assert "since the first (2026-01-05, 17): -7, reliable improvement (RCI -3.54)" in second.stdout
    third = reverie("measure", "add", "PHQ-9", "--client", "Ana", "--items", "1,1,1,1,1,1,1,,0", "--date", "2026-03-05")
    # 7 over 8 answered -> 7.875 -> 8; from 17: -9 (RCI -4.55), below 10 now; from 10: -2 (RCI -1.01)
    assert "total 8 of 27, mild" in third.stdout
    assert "prorated from 8 of 9 answered items (skipped: 8)" in third.stdout
    assert "since the first (2026-01-05, 17): -9, reliable improvement, clinically significant (RCI -4.55)" in third.stdout
    assert "since the previous (2026-02-05, 10): -2, no reliable change (RCI -1.01)" in third.stdout
    reverie("measure", "add", "gad7", "--client", "Ana", "--items", "2,2,2,2,2,2,2", "--date", "2026-01-06")

    listed = reverie("measure", "list", "--client", "Ana")
    assert listed.exit_code == 0, listed.output
    rows = [line for line in listed.stdout.splitlines() if "2026-" in line]
    assert len(rows) == 4
    assert "2026-01-05" in rows[0] and "PHQ-9" in rows[0] and "17" in rows[0] and "moderately severe" in rows[0] and "baseline" in rows[0]
    assert "2026-01-06" in rows[1] and "GAD-7" in rows[1] and "14" in rows[1] and "moderate" in rows[1] and "baseline" in rows[1]
    assert "2026-02-05" in rows[2] and "-7" in rows[2] and "reliable improvement" in rows[2] and "clinically" not in rows[2]
    assert "8*" in rows[3] and "mild" in rows[3] and "-9" in rows[3] and "reliable improvement, clinically significant" in rows[3]
    assert "skipped item 8" in rows[3]

    only = reverie("measure", "list", "--client", "Ana", "--instrument", "gad7")
    assert "GAD-7" in only.stdout and "PHQ-9" not in only.stdout


def test_list_without_measures_says_how_to_add_one(reverie: Invoke) -> None:
    reverie("client", "add", "Ana")
    listed = reverie("measure", "list", "--client", "Ana")
    assert listed.exit_code == 0 and "Ana has no measures yet" in listed.stdout


def test_incomplete_form_is_stored_but_not_scored(reverie: Invoke, db_url: str) -> None:
    reverie("client", "add", "Ana")
    result = reverie("measure", "add", "gad7", "--client", "Ana", "--items", ",,1,1,1,1,1")
    assert result.exit_code == 0
    assert "not scored: 2 of 7 items skipped and at most 1 may be" in result.stdout
    assert counts(db_url)["measure_responses"] == 1
    assert "incomplete" in reverie("measure", "list", "--client", "Ana").stdout


def test_phq9_item_9_above_zero_creates_a_risk_event(reverie: Invoke) -> None:
    reverie("client", "add", "Ana")
    result = reverie("measure", "add", "phq9", "--client", "Ana", "--items", "1,1,1,1,1,1,1,1,2", "--date", "2026-01-05")
    assert result.exit_code == 0
    assert "Item 9 was answered 2: a risk event was created for the clinician; see 'reverie risk list --client Ana'" in result.stdout
    risks = reverie("risk", "list", "--client", "Ana")
    assert "phq9 item 9 answered 2" in risks.stdout and "measure" in risks.stdout


def test_phq9_item_9_at_zero_creates_no_risk_event(reverie: Invoke) -> None:
    reverie("client", "add", "Ana")
    result = reverie("measure", "add", "phq9", "--client", "Ana", "--items", "3,3,3,3,3,3,3,3,0")
    assert "risk event" not in result.stdout
    assert "no risk events" in reverie("risk", "list").stdout


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("bdi", "--items", "1,2"), "R701"),
        (("phq9", "--items", "1,2,3"), "R702"),
        (("phq9", "--items", "1,2,3,4,0,0,0,0,0"), "R703"),
        (("gad7", "--items", "1,x,0,0,0,0,0"), "R703"),
        (("pcl5", "--items", ",".join(["0"] * 19)), "R702"),
        (("phq9", "--items", "0,0,0,0,0,0,0,0,0", "--date", "last tuesday"), "R214"),
    ],
)
def test_bad_input_is_coded_and_stores_nothing(reverie: Invoke, db_url: str, args: tuple[str, ...], code: str) -> None:
    reverie("client", "add", "Ana")
    before = counts(db_url)
    result = reverie("measure", "add", *args, "--client", "Ana")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: [{code}]")
    assert counts(db_url) == before


def test_unknown_client_is_r301(reverie: Invoke, db_url: str) -> None:
    before = counts(db_url)
    result = reverie("measure", "add", "phq9", "--client", "Nobody", "--items", "0,0,0,0,0,0,0,0,0")
    assert result.exit_code == 1 and "[R301]" in result.stderr
    assert counts(db_url) == before


def test_take_asks_each_item_allows_skips_and_asks_again_after_a_bad_answer(reverie: Invoke, db_url: str) -> None:
    reverie("client", "add", "Ana", "--locale", "en-GB")
    # item 1: 2; item 2: skipped; item 3: "x" then "7" refused, then 3; items 4-7: 1
    result = take(db_url, "gad7", "--client", "Ana", input="2\n\nx\n7\n3\n1\n1\n1\n1\n")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Over the last 2 weeks, how often have you been bothered by the following problems?" in out
    assert "0 = Not at all, 1 = Several days, 2 = More than half the days, 3 = Nearly every day" in out
    assert "1. Feeling nervous, anxious, or on edge" in out and "7. Feeling afraid, as if something awful might happen" in out
    assert out.count("Please type a number from 0 to 3") == 2
    # 2 + 3 + 1*4 = 9 over 6 answered -> 10.5 -> 11
    assert "total 11 of 21, moderate" in out and "prorated from 6 of 7 answered items (skipped: 2)" in out
    assert GB_LINE not in out
    assert counts(db_url)["measure_responses"] == 1
    listed = reverie("measure", "list", "--client", "Ana")
    assert "11*" in listed.stdout and "skipped item 2" in listed.stdout


def test_take_shows_the_crisis_line_as_soon_as_item_9_is_above_zero(reverie: Invoke, db_url: str) -> None:
    reverie("client", "add", "Ana", "--locale", "en-GB")
    result = take(db_url, "phq9", "--client", "Ana", input="1\n1\n1\n1\n1\n1\n1\n1\n1\n")
    assert result.exit_code == 0, result.output
    out = result.stdout
    warm, line, end = out.index("Thank you for answering that honestly"), out.index(GB_LINE), out.index("total 9 of 27")
    assert out.index("9. Thoughts that you would be better off dead") < warm < line < end
    assert "call 999 if you are in immediate danger" in out
    assert "a risk event was created for the clinician" in out
    assert "phq9 item 9 answered 1" in reverie("risk", "list", "--client", "Ana").stdout


def test_take_uses_the_clients_own_crisis_line(reverie: Invoke, db_url: str) -> None:
    reverie("client", "add", "Sam", "--locale", "en-US", "--time-zone", "America/New_York")
    out = take(db_url, "phq9", "--client", "Sam", input="0\n0\n0\n0\n0\n0\n0\n0\n2\n").stdout
    assert "988" in out and "911" in out and GB_LINE not in out


def test_take_without_item_9_shows_no_crisis_line(reverie: Invoke, db_url: str) -> None:
    reverie("client", "add", "Ana", "--locale", "en-GB")
    out = take(db_url, "phq9", "--client", "Ana", input="3\n3\n3\n3\n3\n3\n3\n3\n0\n").stdout
    assert GB_LINE not in out and "risk event" not in out and "total 24 of 27, severe" in out


def test_take_stopped_early_stores_nothing(reverie: Invoke, db_url: str) -> None:
    reverie("client", "add", "Ana")
    before = counts(db_url)
    result = take(db_url, "gad7", "--client", "Ana", input="1\n2\n")
    assert result.exit_code == 1
    assert "nothing was stored" in result.stderr
    assert counts(db_url) == before


def test_take_unknown_instrument_is_r701(reverie: Invoke, db_url: str) -> None:
    reverie("client", "add", "Ana")
    result = take(db_url, "phq2", "--client", "Ana", input="")
    assert result.exit_code == 1 and result.stderr.startswith("error: [R701]")
