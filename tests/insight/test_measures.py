"""Scoring, bands, the missing-item rule and reliable change, against numbers worked out by hand.

Reliable change constants (module docstring): PHQ-9 SD 3.5, r .84 -> SE_diff = sqrt(2)*3.5*sqrt(.16)
= 1.4*sqrt(2) = 1.97990; GAD-7 SD 3.4, r .83 -> 3.4*sqrt(.34) = 1.98252; PCL-5 SD 12.4, r .82 ->
12.4*sqrt(.36) = 7.44. Reliable when |difference| / SE_diff > 1.96: 4 points, 4 points, 15 points.
"""

from datetime import UTC, datetime

import pytest

from reverie.errors import ReverieError
from reverie.insight.measures import (
    GAD7,
    IMPROVED,
    INSTRUMENTS,
    NO_RELIABLE_CHANGE,
    PCL5,
    PHQ9,
    WORSENED,
    Instrument,
    instrument,
    parse_items,
    reliable_change,
    trajectory,
)
from reverie.record import MeasureResponse
from reverie.record.instruments import INSTRUMENTS as SHAPES


def spread(total: int, inst: Instrument) -> list[int | None]:
    """Answers adding up to ``total``: the highest answer on the first items, the rest on the next."""
    answers: list[int | None] = []
    left = total
    for _ in inst.items:
        answers.append(min(left, inst.max_answer))
        left -= answers[-1] or 0
    assert left == 0
    return answers


# -- the instruments ----------------------------------------------------------------------------


def test_instruments_agree_with_the_record_shapes() -> None:
    assert set(INSTRUMENTS) == set(SHAPES)
    for inst in INSTRUMENTS.values():
        shape = SHAPES[inst.name]
        assert (len(inst.items), 0, inst.max_answer, inst.risk_item) == (shape.items, shape.min_answer, shape.max_answer, shape.risk_item)


def test_item_counts_answer_labels_and_wording() -> None:
    assert (len(PHQ9.items), len(GAD7.items), len(PCL5.items)) == (9, 7, 20)
    assert PHQ9.answers == GAD7.answers == ("Not at all", "Several days", "More than half the days", "Nearly every day")
    assert PCL5.answers == ("Not at all", "A little bit", "Moderately", "Quite a bit", "Extremely")
    assert (PHQ9.max_total, GAD7.max_total, PCL5.max_total) == (27, 21, 80)
    assert PHQ9.items[8] == "Thoughts that you would be better off dead or of hurting yourself in some way"
    assert GAD7.items[1] == "Not being able to stop or control worrying"
    assert PCL5.items[0] == "Repeated, disturbing, and unwanted memories of the stressful experience?"
    assert PCL5.items[19] == "Trouble falling or staying asleep?"
    assert "last 2 weeks" in PHQ9.instructions and "past month" in PCL5.instructions


@pytest.mark.parametrize(("name", "expected"), [("phq9", PHQ9), ("PHQ-9", PHQ9), (" gad7 ", GAD7), ("GAD-7", GAD7), ("pcl5", PCL5), ("PCL-5", PCL5)])
def test_instrument_by_name_or_title(name: str, expected: Instrument) -> None:
    assert instrument(name) is expected


def test_unknown_instrument_is_r701_naming_the_known_ones() -> None:
    with pytest.raises(ReverieError) as err:
        instrument("bdi2")
    assert err.value.code == "R701"
    assert "'bdi2'" in err.value.problem
    assert err.value.fix == "use one of phq9 (PHQ-9), gad7 (GAD-7), pcl5 (PCL-5)"


# -- totals and bands ---------------------------------------------------------------------------


def test_totals_are_the_sum_of_the_answers() -> None:
    assert PHQ9.score([0] * 9).total == 0
    assert PHQ9.score([3] * 9).total == 27
    assert PHQ9.score([1, 2, 1, 1, 0, 2, 1, 0, 0]).total == 8
    assert GAD7.score([3, 2, 2, 1, 0, 1, 3]).total == 12
    assert PCL5.score([4] * 20).total == 80
    assert PCL5.score([2] * 10 + [1] * 10).total == 30


@pytest.mark.parametrize(
    ("inst", "total", "band"),
    [
        (PHQ9, 0, "minimal"), (PHQ9, 4, "minimal"), (PHQ9, 5, "mild"), (PHQ9, 9, "mild"), (PHQ9, 10, "moderate"),
        (PHQ9, 14, "moderate"), (PHQ9, 15, "moderately severe"), (PHQ9, 19, "moderately severe"), (PHQ9, 20, "severe"), (PHQ9, 27, "severe"),
        (GAD7, 0, "minimal"), (GAD7, 4, "minimal"), (GAD7, 5, "mild"), (GAD7, 9, "mild"), (GAD7, 10, "moderate"),
        (GAD7, 14, "moderate"), (GAD7, 15, "severe"), (GAD7, 21, "severe"),
        (PCL5, 0, "below the provisional cut-point"), (PCL5, 32, "below the provisional cut-point"),
        (PCL5, 33, "probable PTSD (provisional)"), (PCL5, 80, "probable PTSD (provisional)"),
    ],
)  # fmt: skip
def test_every_band_boundary(inst: Instrument, total: int, band: str) -> None:
    score = inst.score(spread(total, inst))
    assert (score.total, score.band, score.status, score.missing) == (total, band, "complete", ())


def test_a_score_off_the_scale_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        PHQ9.score([1] * 8)
    with pytest.raises(ValueError):
        PHQ9.score([4] + [0] * 8)


# -- the missing-item rule ----------------------------------------------------------------------


def test_phq9_one_missing_item_is_prorated() -> None:
    # 15 over 8 answered items -> 15 * 9 / 8 = 16.875 -> 17
    score = PHQ9.score([2, 2, 2, 2, 2, 2, 2, None, 1])
    assert (score.total, score.band, score.prorated, score.status, score.missing, score.answered) == (17, "moderately severe", True, "prorated", (8,), 8)


def test_phq9_two_missing_items_are_prorated() -> None:
    # 21 over 7 answered -> 21 * 9 / 7 = 27
    score = PHQ9.score([3, 3, 3, 3, None, 3, 3, None, 3])
    assert (score.total, score.band, score.missing) == (27, "severe", (5, 8))


def test_prorating_rounds_half_up() -> None:
    # PHQ-9: 4 over 8 -> 4.5 -> 5 (mild, not minimal); GAD-7: 3 over 6 -> 3.5 -> 4, 9 over 6 -> 10.5 -> 11
    assert PHQ9.score([1, 1, 1, 1, 0, 0, 0, 0, None]).total == 5
    assert GAD7.score([1, 1, 1, 0, 0, 0, None]).total == 4
    assert GAD7.score([3, 3, 3, 0, 0, 0, None]).total == 11


def test_phq9_three_missing_items_are_refused() -> None:
    score = PHQ9.score([None, None, None, 3, 3, 3, 3, 3, 0])
    assert (score.total, score.band, score.status, score.missing, score.answered) == (None, None, "incomplete", (1, 2, 3), 6)


def test_gad7_allows_one_missing_item_not_two() -> None:
    # 12 over 6 -> 14
    assert GAD7.score([2, 2, 2, 2, 2, 2, None]).total == 14
    assert GAD7.score([2, 2, 2, 2, 2, None, None]).status == "incomplete"


def test_pcl5_allows_four_missing_items_not_five() -> None:
    # 32 over 16 answered -> 32 * 20 / 16 = 40
    score = PCL5.score([2] * 16 + [None] * 4)
    assert (score.total, score.band, score.prorated) == (40, "probable PTSD (provisional)", True)
    assert PCL5.score([2] * 15 + [None] * 5).total is None


def test_nothing_answered_has_no_total() -> None:
    assert PHQ9.score([None] * 9).status == "incomplete"


def test_phq9_item_9_above_zero_or_skipped_is_reported() -> None:
    assert PHQ9.score([0] * 8 + [1]).risk_item_positive
    assert not PHQ9.score([3] * 8 + [0]).risk_item_positive
    skipped = PHQ9.score([1] * 8 + [None])
    assert skipped.risk_item_missing and not skipped.risk_item_positive and skipped.total == 9
    assert not GAD7.score([3] * 7).risk_item_positive and not GAD7.score([None] + [3] * 6).risk_item_missing


# -- parsing --items ----------------------------------------------------------------------------


def test_parse_items_reads_answers_and_skips() -> None:
    assert parse_items("1,2,,0,1, 1 ,1,-,0", PHQ9) == [1, 2, None, 0, 1, 1, 1, None, 0]
    assert parse_items(",".join(["4"] * 20), PCL5) == [4] * 20


@pytest.mark.parametrize(("text", "given"), [("1,2,0,1,1,1,1,0", 8), ("1,2,0,1,1,1,1,0,0,0", 10), ("", 0), ("1 2 0 1 1 1 1 0 0", 1)])
def test_wrong_number_of_answers_is_r702(text: str, given: int) -> None:
    with pytest.raises(ReverieError) as err:
        parse_items(text, PHQ9)
    assert err.value.code == "R702"
    assert err.value.problem == f"--items has {given} answer{'s' if given != 1 else ''} but PHQ-9 has 9 items"
    assert err.value.fix.startswith("give 9 answers in item order, separated by commas; write a skipped item as an empty place or '-'")


@pytest.mark.parametrize(("inst", "bad", "top"), [(PHQ9, "4", 3), (PHQ9, "-1", 3), (PHQ9, "1.5", 3), (PHQ9, "two", 3), (GAD7, "9", 3), (PCL5, "5", 4)])
def test_answer_off_the_scale_is_r703(inst: Instrument, bad: str, top: int) -> None:
    answers = ["0"] * len(inst.items)
    answers[2] = bad
    with pytest.raises(ReverieError) as err:
        parse_items(",".join(answers), inst)
    assert err.value.code == "R703"
    assert err.value.problem == f"item 3 of {inst.title}: {bad!r} is not an answer on its scale"
    assert err.value.fix.startswith(f"answer with a whole number from 0 to {top} (0 = Not at all, 1 = ")
    assert err.value.fix.endswith("or leave it empty to skip")


# -- reliable and clinically significant change -------------------------------------------------


def test_reliable_change_constants() -> None:
    assert PHQ9.se_difference == pytest.approx(1.979899, abs=1e-6)
    assert GAD7.se_difference == pytest.approx(1.982524, abs=1e-6)
    assert PCL5.se_difference == pytest.approx(7.44, abs=1e-9)
    assert (PHQ9.reliable_difference, GAD7.reliable_difference, PCL5.reliable_difference) == (4, 4, 15)
    assert (PHQ9.cutoff, GAD7.cutoff, PCL5.cutoff) == (10, 10, 33)


@pytest.mark.parametrize(
    ("inst", "before", "after", "rci", "direction", "significant"),
    [
        # PHQ-9: 4 points is reliable (4 / 1.979899 = 2.0203), 3 is not (1.5152)
        (PHQ9, 12, 8, -2.0203, IMPROVED, True),       # 12 >= 10 > 8
        (PHQ9, 17, 13, -2.0203, IMPROVED, False),     # still at or above 10
        (PHQ9, 12, 9, -1.5152, NO_RELIABLE_CHANGE, False),  # crosses 10 but not reliably
        (PHQ9, 8, 12, 2.0203, WORSENED, True),        # 8 < 10 <= 12
        (PHQ9, 3, 7, 2.0203, WORSENED, False),
        (PHQ9, 20, 6, -7.0711, IMPROVED, True),
        # GAD-7: 4 / 1.982524 = 2.0176, 3 / 1.982524 = 1.5132
        (GAD7, 11, 7, -2.0176, IMPROVED, True),
        (GAD7, 11, 8, -1.5132, NO_RELIABLE_CHANGE, False),
        (GAD7, 6, 10, 2.0176, WORSENED, True),
        # PCL-5: 15 / 7.44 = 2.0161, 14 / 7.44 = 1.8817
        (PCL5, 45, 30, -2.0161, IMPROVED, True),
        (PCL5, 45, 31, -1.8817, NO_RELIABLE_CHANGE, False),
        (PCL5, 60, 40, -2.6882, IMPROVED, False),     # still at or above 33
        (PCL5, 20, 35, 2.0161, WORSENED, True),
    ],
)  # fmt: skip
def test_reliable_change(inst: Instrument, before: int, after: int, rci: float, direction: str, significant: bool) -> None:
    change = reliable_change(inst, before, after)
    assert change.rci == pytest.approx(rci, abs=1e-4)
    assert change.reliable is (direction != NO_RELIABLE_CHANGE)
    assert (change.direction, change.clinically_significant, change.difference) == (direction, significant, after - before)


def test_verdicts_read_as_phrases() -> None:
    assert reliable_change(PHQ9, 12, 8).verdict == "reliable improvement, clinically significant"
    assert reliable_change(PHQ9, 17, 13).verdict == "reliable improvement"
    assert reliable_change(PHQ9, 3, 7).verdict == "reliable worsening"
    assert reliable_change(PHQ9, 12, 12).verdict == "no reliable change"


# -- a client's trajectory ----------------------------------------------------------------------


def response(instrument: str, answers: list[int | None], day: int) -> MeasureResponse:
    return MeasureResponse(client_id="c-1", instrument=instrument, answers=tuple(answers), taken_at=datetime(2026, 1, day, 9, tzinfo=UTC))


def test_trajectory_compares_each_response_with_the_first_and_the_previous() -> None:
    rows = trajectory([
        response("phq9", spread(9, PHQ9), 22),                  # 4th by date
        response("phq9", spread(18, PHQ9), 1),                  # baseline
        response("gad7", spread(12, GAD7), 2),                  # another instrument, its own baseline
        response("phq9", [None, None, None, 1, 1, 1, 1, 1, 1], 8),  # incomplete: shown, compared with nothing
        response("phq9", spread(15, PHQ9), 15),
        response("bdi", [1, 2], 16),                            # not an instrument Reverie scores
    ])
    assert [(r.response.taken_at.day, r.response.instrument, r.score.total) for r in rows] == [
        (1, "phq9", 18), (2, "gad7", 12), (8, "phq9", None), (15, "phq9", 15), (22, "phq9", 9),
    ]
    baseline, gad, incomplete, middle, last = rows
    assert baseline.from_first is None and baseline.from_previous is None and gad.from_first is None
    assert incomplete.from_first is None and incomplete.score.status == "incomplete"
    assert middle.from_first is not None and middle.from_previous is not None
    assert (middle.from_first.difference, middle.from_first.direction) == (-3, NO_RELIABLE_CHANGE)
    assert middle.from_previous.before == 18
    assert last.from_first is not None and last.from_previous is not None
    # 18 -> 9: -9 / 1.979899 = -4.5457, crosses 10; 15 -> 9: -6, reliable, crosses 10 too
    assert last.from_first.rci == pytest.approx(-4.5457, abs=1e-4) and last.from_first.clinically_significant
    assert (last.from_previous.before, last.from_previous.difference, last.from_previous.direction) == (15, -6, IMPROVED)
    assert last.instrument is PHQ9
