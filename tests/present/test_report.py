"""`reverie report`: one self-contained HTML file, drawn by a real browser, on both backends."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reverie.present.cli import app
from reverie.store import Store
from tests.present.conftest import Invoke

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def rendered_dom(page: Path) -> str:
    """The page after its scripts ran, from headless Chromium, with the network switched off."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed; .ci/run installs it for this test")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    args = [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=20000", "--proxy-server=127.0.0.1:9", "--dump-dom", page.as_uri()]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_demo_report_opens_offline_and_every_chart_draws(reverie: Invoke, db_url: str, tmp_path: Path) -> None:
    assert reverie("demo").exit_code == 0  # loads and analyses the fictional case
    out = tmp_path / "maya.html"
    result = reverie("report", "--client", "Maya", "--out", out)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    # Self-contained: no script, style or image is fetched from anywhere.
    assert not re.search(r"""<(?:script|link|img)[^>]+(?:src|href)=["']?(?:https?:)?//""", page)
    charts = page.count('class="chart"')
    for section in ("Symptoms (questionnaires)", "Defensive functioning over time", "Core Conflictual Relationship Theme", "Recurring themes", "People and feelings", "The goals of psychodynamic therapy (proxies)"):
        assert f"<h2>{section}</h2>" in page
    assert charts >= 8
    # Every cited quote is the client's (or the therapist's, marked) words in a real session turn.
    with Store.open(db_url, tmp_path / "data" / "reverie.key") as store:
        maya = store.find_client("Maya")
        turns = {s.id: [t.text for t in s.turns] for s in store.load_case(maya.id).sessions}
    notes = re.findall(r'<li id="e\d+">[\d-]+, (s-[0-9a-f]{12}), turn (\d+)(?: \(the therapist\))?: <span class="q">“(.*?)”</span>', page)
    assert len(notes) >= 20
    import html

    for session_id, turn, quoted in notes:
        words = html.unescape(quoted).removesuffix(" …")
        assert " ".join(words.split()) in " ".join(turns[session_id][int(turn) - 1].split()), (session_id, turn, words)
    if db_url.startswith("sqlite"):
        dom = rendered_dom(out)
        drawn = re.search(r'data-charts-drawn="(\d+)"', dom)
        assert drawn is not None, "the page's scripts did not finish"
        assert int(drawn.group(1)) == charts


def test_a_client_with_nothing_on_record_gets_r705(reverie: Invoke, tmp_path: Path) -> None:
    assert reverie("client", "add", "Empty").exit_code == 0
    result = reverie("report", "--client", "Empty", "--out", tmp_path / "r.html")
    assert result.exit_code == 1 and "[R705]" in result.stderr
    assert not (tmp_path / "r.html").exists()


def test_an_unwritable_destination_gets_r704(reverie: Invoke, tmp_path: Path) -> None:
    reverie("demo", "--load-only")
    for target in (tmp_path / "missing-folder" / "r.html", tmp_path):
        result = reverie("report", "--client", "Tomás", "--out", target)
        assert result.exit_code == 1 and "[R704]" in result.stderr


def test_report_help_teaches(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["report", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output and "offline" in result.output
