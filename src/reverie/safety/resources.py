"""Crisis lines and emergency numbers by region, read from a checked data file.

The safety response must name a crisis line the person can actually reach, in the same turn,
also when nothing else works (DESIGN.md, promise 1). So the numbers live in one small data file
(``data/crisis_lines.yaml``) that a maintainer can check against each provider's site, and that
is validated strictly before it is used: a missing field, a phone number with a stray character,
an ``http`` link or a region listed twice is refused with R501 naming the file, the line, the
entry and the field, instead of being shown to someone in crisis.

The file is walked as YAML *nodes*, not loaded into Python values, for two reasons: nodes carry
their line numbers for the error message, and the raw text of a scalar is exactly what was
written, so YAML 1.1's surprises cannot change a fact (``000`` read as the integer 0, the region
``NO`` read as ``False``, a duplicated key silently winning).

A client's locale picks the region by its region subtag ("en-GB" -> GB, "fr-CA" -> CA). A locale
with no region ("en") or an unlisted one gets the international fallback: the IASP directory of
crisis centres and "your local emergency number". Guessing a country from a language would send
an Irish speaker in Australia to the wrong line.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from reverie.errors import ReverieError

DEFAULT_PATH = Path(__file__).parent / "data" / "crisis_lines.yaml"

# "24/7" is the one value of ``hours`` that the sentence renders as "at any time".
ALWAYS_OPEN = "24/7"
WAYS = ("call", "text")

_NUMBER = re.compile(r"\d+(?: \d+)*")
_REGION = re.compile(r"[A-Z]{2}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Region subtags people write that are not the ISO code of their country.
_REGION_ALIASES = {"UK": "GB"}

_TOP_FIELDS = {"regions": True, "fallback": True}
_REGION_FIELDS = {"region": True, "country": True, "emergency": True, "lines": True}
_LINE_FIELDS = {"name": True, "how": True, "number": True, "hours": True, "verified": True, "url": False, "free": False}
_FALLBACK_FIELDS = {"name": True, "url": True, "verified": True}


@dataclass(frozen=True, slots=True)
class CrisisLine:
    """One way to reach one service: a number, and whether to call or text it."""

    name: str
    how: tuple[str, ...]
    number: str
    hours: str
    verified: date
    url: str | None = None
    free: bool = False

    @property
    def always_open(self) -> bool:
        return self.hours == ALWAYS_OPEN


@dataclass(frozen=True, slots=True)
class Region:
    """The crisis lines and emergency numbers of one country (ISO 3166-1 alpha-2 code)."""

    code: str
    country: str
    emergency: tuple[str, ...]
    lines: tuple[CrisisLine, ...]


@dataclass(frozen=True, slots=True)
class Directory:
    """Where to look up a crisis line for a place Reverie has no entry for."""

    name: str
    url: str
    verified: date


@dataclass(frozen=True, slots=True)
class CrisisResources:
    """What the safety response tells one person: their lines, their emergency number, or the fallback.

    ``emergency`` is empty for the fallback, where the sentence says "your local emergency
    number" rather than guess one.
    """

    region: str | None
    lines: tuple[CrisisLine, ...]
    emergency: tuple[str, ...]
    is_fallback: bool
    directory: Directory | None = None

    @property
    def emergency_number(self) -> str:
        """The emergency number(s) in words: "911", "112 or 999", or "your local emergency number"."""
        return " or ".join(self.emergency) if self.emergency else "your local emergency number"

    def sentence(self) -> str:
        """One plain sentence naming how to reach help now, for the fixed safety response.

        Every number is written in full, as the service writes it, so it can be dialled as read;
        the emergency number comes last with the condition for using it.
        """
        danger = f"call {self.emergency_number} if you are in immediate danger."
        if not self.lines:
            if self.directory is None:
                return f"Please {danger}"
            return f"You can find a crisis line where you are in {self.directory.name} ({self.directory.url}), or {danger}"
        groups: list[list[CrisisLine]] = []
        for line in self.lines:
            if groups and groups[-1][0].name == line.name:
                groups[-1].append(line)
            else:
                groups.append([line])
        all_open = all(line.always_open for line in self.lines)
        phrases = []
        for group in groups:
            ways = " or ".join(f"{' or '.join(line.how)} {line.number}" + ("" if all_open else f" {self._when(line)}") for line in group)
            phrase = f"{ways} ({group[0].name})"
            if all(line.free for line in group):
                phrase += " for free"
            phrases.append(phrase)
        offer = phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " or " + phrases[-1]
        return f"You can {offer}{' at any time' if all_open else ''}, or {danger}"

    @staticmethod
    def _when(line: CrisisLine) -> str:
        return "at any time" if line.always_open else f"({line.hours})"


@dataclass(frozen=True, slots=True)
class Resources:
    """The validated contents of the crisis-line file."""

    regions: Mapping[str, Region]
    fallback: Directory
    path: Path

    def for_locale(self, locale: str | None) -> CrisisResources:
        """The resources for a BCP 47 locale ("en-GB", "fr_CA", "en"); the fallback if none match."""
        code = region_of(locale)
        region = self.regions.get(code) if code else None
        if region is None:
            return CrisisResources(region=None, lines=(), emergency=(), is_fallback=True, directory=self.fallback)
        return CrisisResources(region=region.code, lines=region.lines, emergency=region.emergency, is_fallback=False)


def region_of(locale: str | None) -> str | None:
    """The region subtag of a locale, upper case, or None when it names only a language.

    Accepts BCP 47 ("zh-Hant-TW") and POSIX ("en_GB.UTF-8") spellings. The first subtag is the
    language and is never read as a country: "ga" is Irish the language, not Ireland.
    """
    if not locale:
        return None
    tag = locale.strip().split(".", 1)[0].split("@", 1)[0].replace("_", "-")
    for sub in tag.split("-")[1:]:
        if len(sub) == 1:  # an extension or private-use singleton: no region follows
            return None
        if len(sub) == 2 and sub.isascii() and sub.isalpha():
            code = sub.upper()
            return _REGION_ALIASES.get(code, code)
        if len(sub) == 3 and sub.isdigit():  # a UN M.49 area such as 419 (Latin America): no one country
            return None
    return None


def load_resources(path: str | Path | None = None) -> Resources:
    """Read and validate the crisis-line file (the shipped one unless ``path`` is given).

    Raises R501 at the first problem, naming the file, the line, the entry and the field.
    """
    return _Reader(Path(path) if path is not None else DEFAULT_PATH).read()


class _Reader:
    """Walks the node tree of one file, turning every problem into R501 at its line."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, problem: str, fix: str, node: Node | None = None, line: int | None = None) -> NoReturn:
        if line is None and node is not None and node.start_mark is not None:
            line = node.start_mark.line + 1
        raise ReverieError("R501", f"{where}: {problem}" if where else problem, fix, path=self.path, line=line)

    def read(self) -> Resources:
        try:
            text = self.path.read_bytes().decode("utf-8")
        except FileNotFoundError:
            self.fail("", "the crisis-line file does not exist", "reinstall Reverie, or pass the path of a crisis-line file that exists")
        except UnicodeDecodeError:
            self.fail("", "the crisis-line file is not UTF-8 text", "save it as UTF-8")
        except OSError as exc:
            self.fail("", f"the crisis-line file cannot be read ({exc.strerror or exc})", "check that the file is readable")
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            self.fail(
                "", f"invalid YAML: {exc.problem or exc.context or exc}", "fix the YAML syntax there", line=mark.line + 1 if mark else None
            )
        except yaml.YAMLError as exc:
            self.fail("", f"invalid YAML: {exc}", "fix the YAML syntax")
        if root is None:
            self.fail(
                "",
                "the crisis-line file is empty",
                "list the regions under 'regions:' and the international directory under 'fallback:'",
                line=1,
            )
        top, _ = self.mapping(root, "the file", _TOP_FIELDS)
        regions: dict[str, Region] = {}
        first_seen: dict[str, int] = {}
        for i, node in enumerate(self.sequence(top["regions"], "regions")):
            region = self.region(node, f"regions[{i}]")
            line = node.start_mark.line + 1 if node.start_mark is not None else 0
            if region.code in regions:
                self.fail(
                    f"regions[{i}] ({region.code}).region",
                    f"region {region.code} is listed twice (first at line {first_seen[region.code]})",
                    "keep one entry per region and put all its lines in it",
                    node,
                )
            regions[region.code] = region
            first_seen[region.code] = line
        return Resources(regions=regions, fallback=self.directory(top["fallback"], "fallback"), path=self.path)

    # -- entries ----------------------------------------------------------------------------------

    def region(self, node: Node, where: str) -> Region:
        fields, where = self.mapping(node, where, _REGION_FIELDS, label="region")
        code = self.text(fields["region"], f"{where}.region")
        if not _REGION.fullmatch(code):
            self.fail(
                f"{where}.region",
                f"{code!r} is not a two-letter region code",
                "use the ISO 3166-1 alpha-2 code in capitals, e.g. GB",
                fields["region"],
            )
        if code in _REGION_ALIASES:
            self.fail(f"{where}.region", f"{code} is not the ISO code of the region", f"write {_REGION_ALIASES[code]}", fields["region"])
        country = self.text(fields["country"], f"{where}.country")
        emergency = tuple(
            self.number(n, f"{where}.emergency[{j}]") for j, n in enumerate(self.sequence(fields["emergency"], f"{where}.emergency"))
        )
        lines = tuple(self.line(n, f"{where}.lines[{j}]") for j, n in enumerate(self.sequence(fields["lines"], f"{where}.lines")))
        return Region(code=code, country=country, emergency=emergency, lines=lines)

    def line(self, node: Node, where: str) -> CrisisLine:
        fields, where = self.mapping(node, where, _LINE_FIELDS, label="name")
        name = self.text(fields["name"], f"{where}.name")
        how_nodes = self.sequence(fields["how"], f"{where}.how")
        how = tuple(self.text(n, f"{where}.how") for n in how_nodes)
        for n, way in zip(how_nodes, how, strict=True):
            if way not in WAYS:
                self.fail(f"{where}.how", f"{way!r} is not a way to reach a line", "write [call], [text] or [call, text]", n)
        if len(set(how)) != len(how):
            self.fail(f"{where}.how", "a way is listed twice", "list each of call and text once", fields["how"])
        return CrisisLine(
            name=name,
            how=how,
            number=self.number(fields["number"], f"{where}.number"),
            hours=self.text(fields["hours"], f"{where}.hours"),
            verified=self.day(fields["verified"], f"{where}.verified"),
            url=self.url(fields["url"], f"{where}.url") if "url" in fields else None,
            free=self.flag(fields["free"], f"{where}.free") if "free" in fields else False,
        )

    def directory(self, node: Node, where: str) -> Directory:
        fields, where = self.mapping(node, where, _FALLBACK_FIELDS)
        return Directory(
            name=self.text(fields["name"], f"{where}.name"),
            url=self.url(fields["url"], f"{where}.url"),
            verified=self.day(fields["verified"], f"{where}.verified"),
        )

    # -- shapes and values ------------------------------------------------------------------------

    def mapping(self, node: Node, where: str, known: Mapping[str, bool], label: str | None = None) -> tuple[dict[str, Node], str]:
        """The fields of a mapping, refusing unknown, repeated and missing ones.

        With ``label``, the value of that field (a region code, a service's name) is added to
        ``where`` so that every later message names the entry as a person would.
        """
        if not isinstance(node, MappingNode):
            self.fail(where, "must be a mapping of fields", f"write it as 'field: value' lines with the fields {', '.join(known)}", node)
        if label is not None:
            named = [v for k, v in node.value if isinstance(k, ScalarNode) and k.value == label]
            if named and isinstance(named[0], ScalarNode) and not named[0].tag.endswith(":null") and str(named[0].value).strip():
                where = f"{where} ({str(named[0].value).strip()})"
        fields: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str) or key not in known:
                self.fail(where, f"unknown field {key!r}", f"use only the fields {', '.join(known)}", key_node)
            if key in fields:
                self.fail(f"{where}.{key}", "the field is given twice", "keep one of them", key_node)
            fields[key] = value_node
        for key, required in known.items():
            if required and key not in fields:
                self.fail(f"{where}.{key}", "missing", f"add the field '{key}' to this entry", node)
        return fields, where

    def sequence(self, node: Node, where: str) -> list[Node]:
        if not isinstance(node, SequenceNode) or not node.value:
            self.fail(where, "must be a non-empty list", "write it as a list, e.g. [call] or '- ...' lines", node)
        items: list[Node] = node.value
        return items

    def text(self, node: Node, where: str) -> str:
        if not isinstance(node, ScalarNode) or node.tag.endswith(":null") or not str(node.value).strip():
            self.fail(where, "must be a non-empty piece of text", "write the value after the colon", node)
        value: str = node.value
        return value.strip()

    def number(self, node: Node, where: str) -> str:
        value = self.text(node, where)
        if not _NUMBER.fullmatch(value):
            self.fail(
                where,
                f"{value!r} is not a phone number of digits and single spaces",
                'write it as digits separated by single spaces, e.g. "116 123"',
                node,
            )
        return value

    def url(self, node: Node, where: str) -> str:
        value = self.text(node, where)
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.netloc or any(c.isspace() for c in value):
            self.fail(where, f"{value!r} is not an https URL", "link only to the service's own https:// address", node)
        return value

    def day(self, node: Node, where: str) -> date:
        value = self.text(node, where)
        try:
            if not _DATE.fullmatch(value):
                raise ValueError(value)
            return date.fromisoformat(value)
        except ValueError:
            self.fail(where, f"{value!r} is not a date", "write the day the entry was last checked as YYYY-MM-DD", node)

    def flag(self, node: Node, where: str) -> bool:
        if not isinstance(node, ScalarNode) or node.tag != "tag:yaml.org,2002:bool" or node.value.lower() not in ("true", "false"):
            self.fail(
                where, "must be true or false", "write free: true only where the service says it is free, or leave the field out", node
            )
        return bool(node.value.lower() == "true")
