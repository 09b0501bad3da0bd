"""The crisis-line file: each region's lines, the fallback, and every kind of malformed entry (R501).

A wrong or missing crisis number is the most dangerous data bug Reverie could ship, so the
shipped facts are pinned here one by one, and a damaged file must fail loudly with the file,
the line, the entry and the field, never half-load.
"""

from datetime import date
from pathlib import Path

import pytest

from reverie.errors import ReverieError
from reverie.safety.resources import DEFAULT_PATH, CrisisResources, Resources, load_resources, region_of


@pytest.fixture(scope="module")
def shipped() -> Resources:
    return load_resources()


# -- the shipped file ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "region", "number", "ways", "emergency"),
    [
        ("en-US", "US", "988", ("call", "text"), "911"),
        ("es-US", "US", "988", ("call", "text"), "911"),
        ("en-CA", "CA", "988", ("call", "text"), "911"),
        ("fr-CA", "CA", "988", ("call", "text"), "911"),
        ("en-GB", "GB", "116 123", ("call",), "999"),
        ("cy-GB", "GB", "116 123", ("call",), "999"),
        ("en_GB.UTF-8", "GB", "116 123", ("call",), "999"),
        ("en-uk", "GB", "116 123", ("call",), "999"),
        ("en-IE", "IE", "116 123", ("call",), "112 or 999"),
        ("ga-IE", "IE", "116 123", ("call",), "112 or 999"),
        ("en-AU", "AU", "13 11 14", ("call",), "000"),
        ("en-NZ", "NZ", "1737", ("call", "text"), "111"),
        ("mi-NZ", "NZ", "1737", ("call", "text"), "111"),
    ],
)
def test_each_locale_gets_its_own_line(
    shipped: Resources, locale: str, region: str, number: str, ways: tuple[str, ...], emergency: str
) -> None:
    found = shipped.for_locale(locale)
    assert not found.is_fallback and found.region == region
    assert found.lines[0].number == number and found.lines[0].how == ways
    assert found.emergency_number == emergency
    sentence = found.sentence()
    assert number in sentence and f"call {emergency} if you are in immediate danger" in sentence


def test_the_facts_of_each_region(shipped: Resources) -> None:
    """Pinned one by one: a change to any of them must be a deliberate, reviewed edit."""
    facts = {
        code: [(line.name, line.how, line.number, line.hours, line.free) for line in region.lines]
        for code, region in shipped.regions.items()
    }
    assert facts == {
        "US": [("988 Suicide & Crisis Lifeline", ("call", "text"), "988", "24/7", True)],
        "CA": [("9-8-8: Suicide Crisis Helpline", ("call", "text"), "988", "24/7", True)],
        "GB": [("Samaritans", ("call",), "116 123", "24/7", True)],
        "IE": [("Samaritans", ("call",), "116 123", "24/7", True)],
        "AU": [("Lifeline", ("call",), "13 11 14", "24/7", False), ("Lifeline", ("text",), "0477 13 11 14", "24/7", False)],
        "NZ": [("1737 Need to talk?", ("call", "text"), "1737", "24/7", True)],
    }
    assert {code: r.emergency for code, r in shipped.regions.items()} == {
        "US": ("911",),
        "CA": ("911",),
        "GB": ("999",),
        "IE": ("112", "999"),
        "AU": ("000",),
        "NZ": ("111",),
    }


def test_every_entry_is_dated_and_linked_over_https(shipped: Resources) -> None:
    for region in shipped.regions.values():
        for line in region.lines:
            assert line.url is not None and line.url.startswith("https://")
            assert date(2024, 1, 1) <= line.verified <= date.today()
    assert shipped.fallback.url == "https://www.iasp.info/crisis-centres-helplines/"


def test_the_us_sentence(shipped: Resources) -> None:
    assert shipped.for_locale("en-US").sentence() == (
        "You can call or text 988 (988 Suicide & Crisis Lifeline) for free at any time, or call 911 if you are in immediate danger."
    )


def test_two_ways_to_reach_one_service_are_named_once(shipped: Resources) -> None:
    assert shipped.for_locale("en-AU").sentence() == (
        "You can call 13 11 14 or text 0477 13 11 14 (Lifeline) at any time, or call 000 if you are in immediate danger."
    )


@pytest.mark.parametrize("locale", ["en", "fr", "de-DE", "es-419", "zh-Hant-TW", "en-ZZ", "", None, "   ", "not a locale", "en-x-gb"])
def test_unknown_or_regionless_locales_get_the_fallback(shipped: Resources, locale: str | None) -> None:
    found = shipped.for_locale(locale)
    assert found.is_fallback and found.region is None and found.lines == () and found.emergency == ()
    sentence = found.sentence()
    assert "https://www.iasp.info/crisis-centres-helplines/" in sentence
    assert "call your local emergency number if you are in immediate danger" in sentence


def test_a_language_is_never_read_as_a_country() -> None:
    assert region_of("ga") is None  # Irish, the language
    assert region_of("en") is None
    assert region_of("pt-BR") == "BR"
    assert region_of("sr-Latn-RS") == "RS"


def test_a_fallback_without_a_directory_still_names_the_emergency_number() -> None:
    bare = CrisisResources(region=None, lines=(), emergency=(), is_fallback=True)
    assert bare.sentence() == "Please call your local emergency number if you are in immediate danger."


def test_the_default_path_is_the_shipped_file(shipped: Resources) -> None:
    assert shipped.path == DEFAULT_PATH and DEFAULT_PATH.is_file()
    assert load_resources(str(DEFAULT_PATH)).regions == shipped.regions


# -- a file of one's own --------------------------------------------------------------------------

# Line numbers matter below: the cases name the line each problem is on.
VALID = """\
regions:
  - region: GB
    country: United Kingdom
    emergency: ["999"]
    lines:
      - name: Samaritans
        how: [call]
        number: "116 123"
        hours: 24/7
        free: true
        url: https://www.samaritans.org
        verified: 2026-11-25
  - region: US
    country: United States
    emergency: ["911"]
    lines:
      - name: 988 Suicide & Crisis Lifeline
        how: [call, text]
        number: "988"
        hours: 24/7
        verified: 2026-11-25
fallback:
  name: the IASP directory of crisis centres
  url: https://www.iasp.info/crisis-centres-helplines/
  verified: 2026-11-25
"""


def write(tmp_path: Path, text: str, name: str = "lines.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_file_of_ones_own_loads(tmp_path: Path) -> None:
    resources = load_resources(write(tmp_path, VALID))
    assert set(resources.regions) == {"GB", "US"}
    assert resources.for_locale("en-US").lines[0].free is False
    assert resources.for_locale("en-GB").lines[0].verified == date(2026, 11, 25)


def test_yaml_1_1_surprises_cannot_change_a_fact(tmp_path: Path) -> None:
    """Unquoted, ``NO`` would load as False and ``000`` as the integer 0; the raw text is kept."""
    text = VALID.replace("region: GB", "region: NO").replace('emergency: ["999"]', "emergency: [112, 000]")
    found = load_resources(write(tmp_path, text)).for_locale("nb-NO")
    assert found.region == "NO" and found.emergency == ("112", "000")


def test_opening_hours_are_named_when_a_line_is_not_always_open(tmp_path: Path) -> None:
    text = VALID.replace("hours: 24/7\n        free", "hours: weekdays 9am to 5pm\n        free")
    sentence = load_resources(write(tmp_path, text)).for_locale("en-GB").sentence()
    assert sentence == "You can call 116 123 (weekdays 9am to 5pm) (Samaritans) for free, or call 999 if you are in immediate danger."


def _cut(text: str, part: str) -> str:
    assert part in text, part
    return text.replace(part, "", 1)


def _swap(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


MALFORMED = [
    # missing fields
    pytest.param(_cut(VALID, "        hours: 24/7\n"), 6, ["regions[0] (GB).lines[0] (Samaritans).hours", "missing"], id="missing-hours"),
    pytest.param(_cut(VALID, '        number: "116 123"\n'), 6, ["(Samaritans).number", "missing"], id="missing-number"),
    pytest.param(
        _swap(VALID, "      - name: Samaritans\n        how: [call]", "      - how: [call]"),
        6,
        ["regions[0] (GB).lines[0].name", "missing"],
        id="missing-name",
    ),
    pytest.param(
        _swap(VALID, "        verified: 2026-11-25\n  - region: US", "  - region: US"),
        6,
        ["(Samaritans).verified", "missing"],
        id="missing-verified",
    ),
    pytest.param(_cut(VALID, '    emergency: ["999"]\n'), 2, ["regions[0] (GB).emergency", "missing"], id="missing-emergency"),
    pytest.param(VALID[: VALID.index("fallback:")], 1, ["the file.fallback", "missing"], id="missing-fallback"),
    pytest.param(_swap(VALID, "name: Samaritans", "name: ~"), 6, ["lines[0].name", "non-empty"], id="empty-name"),
    pytest.param(
        _swap(VALID, 'emergency: ["999"]', "emergency: []"), 4, ["regions[0] (GB).emergency", "non-empty list"], id="no-emergency-number"
    ),
    # bad numbers
    pytest.param(_swap(VALID, '"116 123"', '"116-123"'), 8, ["(Samaritans).number", "'116-123'"], id="number-with-dash"),
    pytest.param(_swap(VALID, '"116 123"', '"+44 116 123"'), 8, ["(Samaritans).number", "'+44 116 123'"], id="number-with-plus"),
    pytest.param(
        _swap(VALID, '"988"', '"98B"'), 19, ["regions[1] (US).lines[0] (988 Suicide & Crisis Lifeline).number"], id="number-with-letter"
    ),
    pytest.param(_swap(VALID, '"116 123"', '"116  123"'), 8, ["(Samaritans).number"], id="number-with-double-space"),
    pytest.param(
        _swap(VALID, 'emergency: ["911"]', 'emergency: ["9-1-1"]'),
        15,
        ["regions[1] (US).emergency[0]", "'9-1-1'"],
        id="emergency-with-dashes",
    ),
    # urls
    pytest.param(
        _swap(VALID, "https://www.samaritans.org", "http://www.samaritans.org"),
        11,
        ["(Samaritans).url", "http://www.samaritans.org"],
        id="http-url",
    ),
    pytest.param(
        _swap(VALID, "https://www.samaritans.org", "www.samaritans.org"),
        11,
        ["(Samaritans).url", "not an https URL"],
        id="url-without-scheme",
    ),
    pytest.param(
        _swap(VALID, "https://www.iasp.info", "http://www.iasp.info"), 24, ["fallback.url", "not an https URL"], id="http-fallback-url"
    ),
    # regions
    pytest.param(
        _swap(VALID, "region: US", "region: GB"), 13, ["regions[1] (GB).region", "listed twice", "first at line 2"], id="duplicate-region"
    ),
    pytest.param(
        _swap(VALID, "region: GB", "region: gbr"), 2, ["regions[0] (gbr).region", "two-letter region code"], id="region-not-a-code"
    ),
    pytest.param(_swap(VALID, "region: GB", "region: UK"), 2, ["regions[0] (UK).region", "not the ISO code"], id="region-UK"),
    # other fields
    pytest.param(_swap(VALID, "how: [call]", "how: [phone]"), 7, ["(Samaritans).how", "'phone'"], id="unknown-way"),
    pytest.param(_swap(VALID, "how: [call]", "how: [call, call]"), 7, ["(Samaritans).how", "twice"], id="way-twice"),
    pytest.param(_swap(VALID, "how: [call]", "how: call"), 7, ["(Samaritans).how", "list"], id="way-not-a-list"),
    pytest.param(
        _swap(VALID, "verified: 2026-11-25\n  - region", "verified: 2026-13-01\n  - region"),
        12,
        ["(Samaritans).verified", "'2026-13-01'"],
        id="bad-date",
    ),
    pytest.param(
        _swap(VALID, "verified: 2026-11-25\n  - region", "verified: last week\n  - region"),
        12,
        ["(Samaritans).verified", "not a date"],
        id="date-in-words",
    ),
    pytest.param(_swap(VALID, "free: true", "free: yes please"), 10, ["(Samaritans).free", "true or false"], id="free-not-a-flag"),
    pytest.param(_swap(VALID, 'number: "116 123"', 'numbr: "116 123"'), 8, ["(Samaritans)", "unknown field 'numbr'"], id="misspelt-field"),
    pytest.param(
        _swap(VALID, "        hours: 24/7\n        free", "        hours: 24/7\n        hours: 9-5\n        free"),
        10,
        ["(Samaritans).hours", "twice"],
        id="field-twice",
    ),
    # not the expected shape, or not YAML at all
    pytest.param(_swap(VALID, "how: [call]", "how: [call"), 8, ["invalid YAML"], id="invalid-yaml-bracket"),
    pytest.param(
        _swap(VALID, "    country: United Kingdom", "    country: United Kingdom\n   bad: indent"),
        4,
        ["invalid YAML"],
        id="invalid-yaml-indent",
    ),
    pytest.param('regions: [\n  {region: GB, "unterminated\n', 3, ["invalid YAML"], id="invalid-yaml-quote"),
    pytest.param("", 1, ["empty"], id="empty-file"),
    pytest.param("- region: GB\n", 1, ["the file", "mapping"], id="top-level-list"),
    pytest.param(
        VALID[: VALID.index("  - region: US")] + "  - just a string\n" + VALID[VALID.index("fallback:") :],
        13,
        ["regions[1]", "mapping"],
        id="entry-not-a-mapping",
    ),
]


@pytest.mark.parametrize(("text", "line", "fragments"), MALFORMED)
def test_malformed_entries_are_refused_with_r501(tmp_path: Path, text: str, line: int, fragments: list[str]) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ReverieError) as caught:
        load_resources(path)
    err = caught.value
    assert err.code == "R501"
    assert err.path == str(path)
    assert err.line == line, str(err)
    for fragment in fragments:
        assert fragment in err.problem, (fragment, str(err))
    assert err.fix


def test_a_missing_file_is_r501(tmp_path: Path) -> None:
    with pytest.raises(ReverieError) as caught:
        load_resources(tmp_path / "nowhere.yaml")
    assert caught.value.code == "R501" and "does not exist" in caught.value.problem


def test_a_file_that_is_not_utf8_is_r501(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(VALID.replace("Samaritans", "Samaritans \xe9").encode("latin-1"))
    with pytest.raises(ReverieError) as caught:
        load_resources(path)
    assert caught.value.code == "R501" and "UTF-8" in caught.value.problem


def test_the_message_names_file_line_entry_and_field(tmp_path: Path) -> None:
    path = write(tmp_path, _swap(VALID, '"116 123"', '"116-123"'))
    with pytest.raises(ReverieError) as caught:
        load_resources(path)
    assert str(caught.value).startswith(f"[R501] {path}:8: regions[0] (GB).lines[0] (Samaritans).number: '116-123' is not a phone number")
