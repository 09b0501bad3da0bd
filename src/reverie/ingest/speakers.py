"""Turning a speaker label or a participant's name into a role."""

from collections.abc import Iterable, Mapping

from reverie.errors import ReverieError
from reverie.record import Speaker

_ROLE_WORDS: dict[str, Speaker] = {
    "client": Speaker.CLIENT,
    "c": Speaker.CLIENT,
    "patient": Speaker.CLIENT,
    "therapist": Speaker.THERAPIST,
    "t": Speaker.THERAPIST,
    "analyst": Speaker.THERAPIST,
    "companion": Speaker.COMPANION,
}


class SpeakerMap:
    """Labels that name a role are understood; any other name must be mapped by the user.

    Reverie does not guess who "Maya" is: a wrong guess would file the therapist's words as the
    client's and every analysis after it would be wrong.
    """

    def __init__(self, names: Mapping[str, Speaker] | None = None) -> None:
        self._names = {_key(k): v for k, v in (names or {}).items()}

    @classmethod
    def parse(cls, pairs: Iterable[str]) -> "SpeakerMap":
        """Read ``NAME=role`` pairs, as given to ``--speaker``."""
        names: dict[str, Speaker] = {}
        for pair in pairs:
            name, sep, role = pair.partition("=")
            if not sep or not name.strip():
                raise ReverieError(
                    "R215",
                    f"--speaker {pair!r} is not NAME=role",
                    'write it as --speaker "Dr Hart=therapist" or --speaker Maya=client',
                )
            found = _ROLE_WORDS.get(role.strip().lower())
            if found is None:
                raise ReverieError(
                    "R215",
                    f"--speaker {pair!r}: {role.strip()!r} is not a role",
                    "use client, therapist or companion after the '='",
                )
            names[name.strip()] = found
        return cls(names)

    def role(self, label: str) -> Speaker | None:
        key = _key(label)
        return self._names.get(key) or _ROLE_WORDS.get(key)

    def names(self) -> dict[str, Speaker]:
        return dict(self._names)


def _key(label: str) -> str:
    return " ".join(label.replace(".", " ").split()).lower()
