"""Symptom measures: the questionnaires' wording, their scoring, and whether a change is real.

The record keeps only what was answered (``record.measure``); everything that interprets the
answers lives here, in one place a clinician can check against the published instruments:

- **Wording.** PHQ-9 and GAD-7 (Spitzer, Williams, Kroenke and colleagues, developed with a grant
  from Pfizer; no permission is needed to reproduce them) and the PCL-5 (Weathers et al., 2013,
  US National Center for PTSD; public domain), word for word, with their answer labels.
- **Totals and bands.** The sum of the item answers. PHQ-9 bands 0-4 minimal, 5-9 mild, 10-14
  moderate, 15-19 moderately severe, 20-27 severe (Kroenke, Spitzer & Williams, 2001); GAD-7 0-4
  minimal, 5-9 mild, 10-14 moderate, 15-21 severe (Spitzer et al., 2006). The PCL-5 has no
  severity bands, only a provisional cut-point: the National Center for PTSD proposes 31-33;
  Reverie uses **33** (the value the Center proposed until more data were in, and the upper end
  of the 31-33 range a 2022 systematic review of 56 papers found recommended: Forkus et al.,
  Clin Psychol Sci Pract 30:110-121), so a score of 33 or more reads "probable PTSD
  (provisional)", never a diagnosis.
- **Missing items.** A total from a partly answered form is either prorated or refused, never a
  silent sum that reads as lower severity. The PHQ instruction manual (Pfizer) allows prorating
  a PHQ-9 with one or two items blank: the mean of the answered items times the number of items,
  rounded half up. Reverie applies the same proportion, about one item in five, to the other
  instruments: at most 1 of 7 GAD-7 items and at most 4 of 20 PCL-5 items. Beyond that the
  total is ``None`` and the form is "incomplete". A skipped PHQ-9 item 9 is reported as such,
  because silence on that item is itself something to ask about.
- **Reliable change** (Jacobson & Truax, 1991, J Consult Clin Psychol 59:12-19):
  RCI = (x2 - x1) / (√2 · SD · √(1 - r)); |RCI| > 1.96 is change unlikely (p < .05) to be
  measurement error. The constants, with sources:

  ========  =====  =====  =============================================================
  measure    SD     r     sources
  ========  =====  =====  =============================================================
  PHQ-9      3.5   0.84   SD: Kocalevent, Hinz & Brähler 2013, Gen Hosp Psychiatry 35:551
                          (German general population, n = 5018; 3.5 for women and men);
                          r: Kroenke, Spitzer & Williams 2001, J Gen Intern Med 16:606
                          (48-hour test-retest).
  GAD-7      3.4   0.83   SD: Löwe et al. 2008, Med Care 46:266 (German general
                          population, n = 5030; women 3.5, men 3.2, pooled 3.4);
                          r: Spitzer et al. 2006, Arch Intern Med 166:1092 (test-retest
                          intraclass correlation).
  PCL-5     12.4   0.82   SD: normative table of J Affect Disord 2020, 277:368-374
                          (doi:10.1016/j.jad.2020.08.038; M 38.8, alpha .91);
                          r: Blevins et al. 2015, J Trauma Stress 28:489 (Study 1,
                          test-retest).
  ========  =====  =====  =============================================================

  With these, the smallest reliable change is 4 points on the PHQ-9 and on the GAD-7 and 15 on
  the PCL-5. The general-population SDs make the PHQ-9 threshold more lenient than the 6 points
  NHS Talking Therapies uses; the GAD-7 threshold matches its 4.
- **Clinically significant change**: reliable change that also crosses the instrument's published
  cut-off (Jacobson & Truax's criterion with a published cut-off in place of criterion c, the
  way NHS Talking Therapies counts "reliable recovery"): PHQ-9 10 (sensitivity and specificity
  88% for major depression, Kroenke et al. 2001), GAD-7 10 (Spitzer et al. 2006), PCL-5 33. An
  improvement is clinically significant when it is reliable and goes from at or above the
  cut-off to below it; a worsening when it is reliable and goes from below to at or above it.

Every score is for the clinician, as a number to think with alongside the sessions, not a
verdict on the person.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from reverie.errors import ReverieError
from reverie.record import MeasureResponse
from reverie.record.instruments import INSTRUMENTS as SHAPES
from reverie.record.instruments import InstrumentShape

# |RCI| above this is reliable change at p < .05, two-tailed (Jacobson & Truax, 1991).
RELIABLE_Z = 1.96

IMPROVED = "improved"
WORSENED = "worsened"
NO_RELIABLE_CHANGE = "no reliable change"


@dataclass(frozen=True, slots=True)
class Band:
    """A severity band, inclusive at both ends."""

    low: int
    high: int
    label: str


@dataclass(frozen=True, slots=True)
class Score:
    """What a response adds up to: the total (``None`` when too much is missing) and its band.

    ``missing`` holds 1-based item numbers so they can be shown as the form numbers them.
    """

    instrument: str
    total: int | None
    band: str | None
    answered: int
    missing: tuple[int, ...]
    prorated: bool
    risk_item_positive: bool = False
    risk_item_missing: bool = False

    @property
    def status(self) -> str:
        """Either "complete", "prorated" or "incomplete" (no total: too many items skipped)."""
        if self.total is None:
            return "incomplete"
        return "prorated" if self.prorated else "complete"


@dataclass(frozen=True, slots=True)
class Change:
    """A change between two totals, judged by the Jacobson-Truax reliable change index.

    ``difference`` is after - before; on these instruments a fall is an improvement.
    """

    instrument: str
    before: int
    after: int
    rci: float
    reliable: bool
    direction: str
    clinically_significant: bool

    @property
    def difference(self) -> int:
        return self.after - self.before

    @property
    def verdict(self) -> str:
        """One phrase for a table: "reliable improvement, clinically significant", "no reliable change"..."""
        if not self.reliable:
            return NO_RELIABLE_CHANGE
        word = "improvement" if self.direction == IMPROVED else "worsening"
        return f"reliable {word}, clinically significant" if self.clinically_significant else f"reliable {word}"


@dataclass(frozen=True, slots=True)
class Instrument:
    """One questionnaire: its words, its scale, how it is scored and how change is judged."""

    name: str
    title: str
    instructions: str
    items: tuple[str, ...]
    answers: tuple[str, ...]
    bands: tuple[Band, ...]
    max_missing: int
    sd: float
    reliability: float
    cutoff: int
    sources: str
    risk_item: int | None = None  # 0-based, as in record.instruments
    aliases: tuple[str, ...] = field(default=())

    @property
    def max_answer(self) -> int:
        return len(self.answers) - 1

    @property
    def max_total(self) -> int:
        return len(self.items) * self.max_answer

    @property
    def shape(self) -> InstrumentShape:
        return SHAPES[self.name]

    @property
    def se_difference(self) -> float:
        """The standard error of a difference between two scores: √2 · SD · √(1 - r)."""
        return math.sqrt(2) * self.sd * math.sqrt(1 - self.reliability)

    @property
    def reliable_difference(self) -> int:
        """The smallest whole-point change that is reliable (|RCI| > 1.96)."""
        return math.floor(RELIABLE_Z * self.se_difference) + 1

    def band(self, total: int) -> str:
        for b in self.bands:
            if b.low <= total <= b.high:
                return b.label
        raise ValueError(f"{self.name} total {total} is outside 0-{self.max_total}")

    def score(self, answers: Sequence[int | None]) -> Score:
        """Total and band, prorated when a few items are missing and refused beyond that.

        Answers must already fit the instrument (``parse_items`` checks them); a wrong count or an
        answer off the scale here is a programming error, so it raises ``ValueError``.
        """
        if len(answers) != len(self.items):
            raise ValueError(f"{self.name} has {len(self.items)} items, got {len(answers)} answers")
        if any(a is not None and not 0 <= a <= self.max_answer for a in answers):
            raise ValueError(f"{self.name} answers run from 0 to {self.max_answer}")
        given = [a for a in answers if a is not None]
        missing = tuple(i + 1 for i, a in enumerate(answers) if a is None)
        risk = answers[self.risk_item] if self.risk_item is not None else None
        risk_positive = risk is not None and risk > 0
        risk_missing = self.risk_item is not None and risk is None
        if len(missing) > self.max_missing or not given:
            return Score(self.name, None, None, len(given), missing, False, risk_positive, risk_missing)
        # Prorated: the mean of the answered items times the number of items, rounded half up
        # (in exact fractions, so 4.5 never becomes 4 by a float's whim).
        total = math.floor(Fraction(sum(given) * len(self.items), len(given)) + Fraction(1, 2)) if missing else sum(given)
        return Score(self.name, total, self.band(total), len(given), missing, bool(missing), risk_positive, risk_missing)


_FREQUENCY = ("Not at all", "Several days", "More than half the days", "Nearly every day")

PHQ9 = Instrument(
    name="phq9",
    title="PHQ-9",
    instructions="Over the last 2 weeks, how often have you been bothered by any of the following problems?",
    items=(
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
        "Trouble falling or staying asleep, or sleeping too much",
        "Feeling tired or having little energy",
        "Poor appetite or overeating",
        "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety "
        "or restless that you have been moving around a lot more than usual",
        "Thoughts that you would be better off dead or of hurting yourself in some way",
    ),
    answers=_FREQUENCY,
    bands=(Band(0, 4, "minimal"), Band(5, 9, "mild"), Band(10, 14, "moderate"), Band(15, 19, "moderately severe"), Band(20, 27, "severe")),
    max_missing=2,
    sd=3.5,
    reliability=0.84,
    cutoff=10,
    sources="Kroenke, Spitzer & Williams 2001 (bands, r = .84, cut-off 10); Kocalevent, Hinz & Brähler 2013 (SD 3.5)",
    risk_item=8,
    aliases=("phq-9", "phq"),
)

GAD7 = Instrument(
    name="gad7",
    title="GAD-7",
    instructions="Over the last 2 weeks, how often have you been bothered by the following problems?",
    items=(
        "Feeling nervous, anxious, or on edge",
        "Not being able to stop or control worrying",
        "Worrying too much about different things",
        "Trouble relaxing",
        "Being so restless that it is hard to sit still",
        "Becoming easily annoyed or irritable",
        "Feeling afraid, as if something awful might happen",
    ),
    answers=_FREQUENCY,
    bands=(Band(0, 4, "minimal"), Band(5, 9, "mild"), Band(10, 14, "moderate"), Band(15, 21, "severe")),
    max_missing=1,
    sd=3.4,
    reliability=0.83,
    cutoff=10,
    sources="Spitzer et al. 2006 (bands, r = .83, cut-off 10); Löwe et al. 2008 (SD 3.4)",
    aliases=("gad-7", "gad"),
)

PCL5 = Instrument(
    name="pcl5",
    title="PCL-5",
    instructions=(
        "Below is a list of problems that people sometimes have in response to a very stressful experience. "
        "Please read each problem carefully and then indicate how much you have been bothered by that problem "
        "in the past month. In the past month, how much were you bothered by:"
    ),
    items=(
        "Repeated, disturbing, and unwanted memories of the stressful experience?",
        "Repeated, disturbing dreams of the stressful experience?",
        "Suddenly feeling or acting as if the stressful experience were actually happening again (as if you were actually back there reliving it)?",
        "Feeling very upset when something reminded you of the stressful experience?",
        "Having strong physical reactions when something reminded you of the stressful experience (for example, heart pounding, trouble breathing, sweating)?",
        "Avoiding memories, thoughts, or feelings related to the stressful experience?",
        "Avoiding external reminders of the stressful experience (for example, people, places, conversations, activities, objects, or situations)?",
        "Trouble remembering important parts of the stressful experience?",
        "Having strong negative beliefs about yourself, other people, or the world (for example, having thoughts such as: "
        "I am bad, there is something seriously wrong with me, no one can be trusted, the world is completely dangerous)?",
        "Blaming yourself or someone else for the stressful experience or what happened after it?",
        "Having strong negative feelings such as fear, horror, anger, guilt, or shame?",
        "Loss of interest in activities that you used to enjoy?",
        "Feeling distant or cut off from other people?",
        "Trouble experiencing positive feelings (for example, being unable to feel happiness or have loving feelings for people close to you)?",
        "Irritable behavior, angry outbursts, or acting aggressively?",
        "Taking too many risks or doing things that could cause you harm?",
        'Being "superalert" or watchful or on guard?',
        "Feeling jumpy or easily startled?",
        "Having difficulty concentrating?",
        "Trouble falling or staying asleep?",
    ),
    answers=("Not at all", "A little bit", "Moderately", "Quite a bit", "Extremely"),
    bands=(Band(0, 32, "below the provisional cut-point"), Band(33, 80, "probable PTSD (provisional)")),
    max_missing=4,
    sd=12.4,
    reliability=0.82,
    cutoff=33,
    sources="Weathers et al. 2013 (wording); Blevins et al. 2015 (r = .82); National Center for PTSD (cut-point 33); J Affect Disord 2020;277:368 (SD 12.4)",
    aliases=("pcl-5", "pcl"),
)

INSTRUMENTS: dict[str, Instrument] = {i.name: i for i in (PHQ9, GAD7, PCL5)}


def instrument(name: str) -> Instrument:
    """The instrument called ``name`` ("phq9", also "PHQ-9"); R701 names the known ones otherwise."""
    key = name.strip().lower()
    for i in INSTRUMENTS.values():
        if key == i.name or key in i.aliases:
            return i
    known = ", ".join(f"{i.name} ({i.title})" for i in INSTRUMENTS.values())
    raise ReverieError("R701", f"unknown instrument {name!r}", f"use one of {known}")


def answer_scale(inst: Instrument) -> str:
    """ "0 = Not at all, 1 = Several days, ..." for error messages and prompts."""
    return ", ".join(f"{n} = {label}" for n, label in enumerate(inst.answers))


def parse_answer(text: str, inst: Instrument, item: int) -> int | None:
    """One answer as typed: a whole number on the scale, or empty / "-" for a skipped item.

    ``item`` is 1-based, for the message. Raises R703 for anything else.
    """
    raw = text.strip()
    if raw in ("", "-"):
        return None
    if raw.isascii() and raw.isdigit() and int(raw) <= inst.max_answer:
        return int(raw)
    raise ReverieError("R703", f"item {item} of {inst.title}: {raw!r} is not an answer on its scale", f"answer with a whole number from 0 to {inst.max_answer} ({answer_scale(inst)}), or leave it empty to skip")


def parse_items(text: str, inst: Instrument) -> list[int | None]:
    """``--items 1,2,,0,...``: one answer per item, in order; empty or "-" marks a skipped item.

    Raises R702 when the count is wrong, R703 when an answer is not on the scale.
    """
    parts = text.split(",")
    if len(parts) != len(inst.items):
        given = 0 if not text.strip() else len(parts)
        raise ReverieError(
            "R702",
            f"--items has {given} answer{'s' if given != 1 else ''} but {inst.title} has {len(inst.items)} items",
            f"give {len(inst.items)} answers in item order, separated by commas; write a skipped item as an empty place or '-' (e.g. 1,2,,0,...)",
        )
    return [parse_answer(part, inst, n) for n, part in enumerate(parts, start=1)]


def reliable_change(inst: Instrument, before: int, after: int) -> Change:
    """Jacobson-Truax RCI between two totals, with the clinically significant verdict (module docstring)."""
    rci = (after - before) / inst.se_difference
    reliable = abs(rci) > RELIABLE_Z
    if not reliable:
        direction, significant = NO_RELIABLE_CHANGE, False
    elif after < before:
        direction, significant = IMPROVED, before >= inst.cutoff > after
    else:
        direction, significant = WORSENED, before < inst.cutoff <= after
    return Change(inst.name, before, after, rci, reliable, direction, significant)


@dataclass(frozen=True, slots=True)
class Point:
    """One response on a client's trajectory, scored, with its change from the first and the
    previous scored response of the same instrument (``None`` for the first, or without a total)."""

    response: MeasureResponse
    score: Score
    from_first: Change | None
    from_previous: Change | None

    @property
    def instrument(self) -> Instrument:
        return INSTRUMENTS[self.response.instrument]


def trajectory(responses: Sequence[MeasureResponse]) -> list[Point]:
    """A client's responses in time order, each scored and compared with where they started.

    The baseline is the first response of the same instrument that has a total; an incomplete
    response is shown but compared with nothing and does not become the baseline or "previous".
    Responses naming an instrument Reverie does not score are left out (the import refuses them,
    R219, so only hand-edited databases have them).
    """
    points: list[Point] = []
    first: dict[str, int] = {}
    previous: dict[str, int] = {}
    for response in sorted(responses, key=lambda r: (r.taken_at, r.id)):
        inst = INSTRUMENTS.get(response.instrument)
        if inst is None:
            continue
        score = inst.score(response.answers)
        from_first = from_previous = None
        if score.total is not None:
            if inst.name in first:
                from_first = reliable_change(inst, first[inst.name], score.total)
                from_previous = reliable_change(inst, previous[inst.name], score.total)
            else:
                first[inst.name] = score.total
            previous[inst.name] = score.total
        points.append(Point(response, score, from_first, from_previous))
    return points
