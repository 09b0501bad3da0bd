import json
from pathlib import Path

import pytest

from reverie.errors import ReverieError
from reverie.ingest import dump_case, load_case, read_case
from reverie.present.demo import demo_folder


def test_demo_case_dumps_and_loads_identically(tmp_path: Path) -> None:
    case = read_case(demo_folder() / "tomas" / "case.yaml")
    path = tmp_path / "tomas.json"
    path.write_text(json.dumps(dump_case(case)), encoding="utf-8")
    assert load_case(path) == case


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (lambda d: d.pop("client"), "client"),
        (lambda d: d["sessions"][0].update(starts_at="2026-01-08T17:00"), "sessions[0].starts_at"),
        (lambda d: d["sessions"][0].update(attendance="maybe"), "sessions[0].attendance"),
        (lambda d: d["sessions"][0]["turns"][2].update(speaker="ghost"), "sessions[0].turns[2].speaker"),
        (lambda d: d["sessions"][0]["turns"][2].update(end_ms=-5), "sessions[0].turns[2]"),
        (lambda d: d["measures"][0].update(answers=[1, "two"]), "measures[0].answers"),
        (lambda d: d["journal"][0].update(shared_with_therapist="yes"), "journal[0].shared_with_therapist"),
        (lambda d: d.update(reverie="case/99"), "reverie"),
    ],
)
def test_bad_exports_name_the_field(tmp_path: Path, mutate: object, where: str) -> None:
    doc = dump_case(read_case(demo_folder() / "tomas" / "case.yaml"))
    mutate(doc)  # type: ignore[operator]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ReverieError) as err:
        load_case(path)
    assert err.value.code == "R210" and err.value.problem.startswith(where)


def manifest(tmp_path: Path, body: str) -> Path:
    (tmp_path / "s-2026-01-08.txt").write_text("Client: hi\nTherapist: hello\n", encoding="utf-8")
    path = tmp_path / "case.yaml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("client: [unclosed\n", "R218"),
        ("sessions: []\n", "R218"),
        ("client: {pseudonym: A}\nsessions:\n  - {starts: 2026-01-08T17:00}\n", "R218"),
        ("client: {pseudonym: A}\nsessions:\n  - {starts: 2026-01-08T17:00, attendance: cancelled}\n", "R218"),
        ("client: {pseudonym: A}\nsessions:\n  - {starts: 2026-01-08T17:00, room: 4}\n", "R218"),
        ("client: {pseudonym: A}\nsessions:\n  - {file: s-2026-01-08.txt, starts: soon}\n", "R214"),
        ("client: {pseudonym: A}\nmeasures:\n  - {instrument: phq9, taken: 2026-01-08, answers: [1, 2, 3]}\n", "R219"),
        ("client: {pseudonym: A}\nmeasures:\n  - {instrument: bdi, taken: 2026-01-08, answers: [1]}\n", "R219"),
        ("client: {pseudonym: A}\nmeasures:\n  - {instrument: gad7, taken: 2026-01-08, answers: [1, 1, 1, 1, 1, 1, 4]}\n", "R219"),
    ],
)
def test_bad_manifests(tmp_path: Path, body: str, code: str) -> None:
    with pytest.raises(ReverieError) as err:
        read_case(manifest(tmp_path, body))
    assert err.value.code == code


def test_minimal_manifest(tmp_path: Path) -> None:
    case = read_case(manifest(tmp_path, "client: {pseudonym: A}\nclinician: Dr B\nsessions:\n  - {file: s-2026-01-08.txt, starts: 2026-01-08T17:00}\n"))
    assert case.client.pseudonym == "A" and case.clinician is not None and case.clinician.name == "Dr B"
    assert case.sessions[0].actual_minutes is None and len(case.sessions[0].turns) == 2
