"""The optional LLM renderer: the one place where Reverie talks to the network (DESIGN.md, promise 8).

The policy has already chosen the move; the model only *phrases* it, from the move, its evidence
(the client's own words), the template reply as an example of the intent and the last few turns.
Whatever comes back is a candidate: the caller passes it through the safety gate and the
conformance check (``reverie.companion.conformance``) and falls back to the template reply when it
fails either, and also when this module returns no text. So every failure here (timeout, refused
connection, HTTP error, a body that is not the expected JSON, an empty answer) is an outcome with a
reason, never an exception: a reply must stay fast and must never depend on the model being up.
There is one request per reply and no retry.

The endpoint is any OpenAI-compatible ``/chat/completions`` server (llama.cpp, vLLM, Ollama, a
hosted API), configured by environment variables; without ``REVERIE_LLM_URL`` there is no LLM.
"""

import json
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Self
from urllib.parse import urlsplit

import httpx

from reverie.companion.moves import ASKING, Move, MoveName
from reverie.errors import ReverieError

__all__ = [
    "DEFAULT_TIMEOUT_S",
    "HISTORY_TURNS",
    "MAX_TIMEOUT_S",
    "SYSTEM_PROMPT",
    "LLMConfig",
    "LLMOutcome",
    "LLMRenderer",
]

DEFAULT_TIMEOUT_S: Final = 8.0
MAX_TIMEOUT_S: Final = 60.0
#: How many recent (speaker, text) turns the model sees: enough for tone, little enough to stay fast.
HISTORY_TURNS: Final = 6
TEMPERATURE: Final = 0.7
MAX_TOKENS: Final = 160

# Outcome reasons (an HTTP error carries its status: "http_error 503").
OK: Final = "ok"
TIMEOUT: Final = "timeout"
NETWORK_ERROR: Final = "network_error"
MALFORMED_RESPONSE: Final = "malformed_response"
EMPTY: Final = "empty"


@dataclass(frozen=True, slots=True)
class LLMConfig:
    """Where the model is and how long a reply may wait for it.

    ``url`` is the API base (``http://127.0.0.1:8080/v1``); requests go to ``{url}/chat/completions``.
    The key never appears in the repr, so it cannot leak into a log or a traceback.
    """

    url: str
    model: str
    api_key: str | None = field(default=None, repr=False)
    timeout_s: float = DEFAULT_TIMEOUT_S

    def __repr__(self) -> str:
        key = "<set>" if self.api_key else None
        return f"LLMConfig(url={self.url!r}, model={self.model!r}, api_key={key}, timeout_s={self.timeout_s!r})"

    __str__ = __repr__

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "LLMConfig | None":
        """The configuration in ``env`` (pass ``os.environ``), or None when no URL is set.

        ``REVERIE_LLM_URL`` (http or https, with a host), ``REVERIE_LLM_MODEL`` (required with a
        URL), ``REVERIE_LLM_KEY`` or ``REVERIE_LLM_KEY_FILE`` (a file holding only the key),
        ``REVERIE_LLM_TIMEOUT`` (seconds, above 0 and at most 60). Raises ``ReverieError`` R601 for a
        malformed setting and R602 for a key file that cannot be used; messages never quote the key.
        """
        url = env.get("REVERIE_LLM_URL", "").strip()
        if not url:
            return None
        return cls(url=_url(url), model=_model(env), api_key=_key(env), timeout_s=_timeout(env))


_URL_FIX = "set REVERIE_LLM_URL to the base URL of an OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1, or unset it to use templates"


def _url(raw: str) -> str:
    try:
        parts = urlsplit(raw)
        host = parts.hostname
        _ = parts.port  # raises ValueError for a port that is not a number in range
    except ValueError:
        raise ReverieError("R601", "REVERIE_LLM_URL is not a valid URL", _URL_FIX) from None
    if parts.scheme not in ("http", "https"):
        # The URL itself is not echoed: it may carry credentials.
        raise ReverieError("R601", f"REVERIE_LLM_URL must start with http:// or https:// (it starts with {parts.scheme or 'no scheme'!r})", _URL_FIX)
    if not host:
        raise ReverieError("R601", "REVERIE_LLM_URL names no host", _URL_FIX)
    if parts.query or parts.fragment:
        raise ReverieError("R601", "REVERIE_LLM_URL must be a base URL without ?query or #fragment", _URL_FIX)
    return raw.rstrip("/")


def _model(env: Mapping[str, str]) -> str:
    model = env.get("REVERIE_LLM_MODEL", "").strip()
    if not model:
        raise ReverieError("R601", "REVERIE_LLM_MODEL is not set but REVERIE_LLM_URL is", "set REVERIE_LLM_MODEL to the model's name on that server")
    return model


def _timeout(env: Mapping[str, str]) -> float:
    raw = env.get("REVERIE_LLM_TIMEOUT", "").strip()
    if not raw:
        return DEFAULT_TIMEOUT_S
    fix = f"set REVERIE_LLM_TIMEOUT to a number of seconds above 0 and at most {MAX_TIMEOUT_S:g}, or unset it for {DEFAULT_TIMEOUT_S:g}"
    try:
        seconds = float(raw)
    except ValueError:
        raise ReverieError("R601", f"REVERIE_LLM_TIMEOUT is not a number: {raw!r}", fix) from None
    if not (math.isfinite(seconds) and 0 < seconds <= MAX_TIMEOUT_S):
        raise ReverieError("R601", f"REVERIE_LLM_TIMEOUT is out of range: {raw!r}", fix)
    return seconds


def _key(env: Mapping[str, str]) -> str | None:
    key = env.get("REVERIE_LLM_KEY", "").strip()
    key_file = env.get("REVERIE_LLM_KEY_FILE", "").strip()
    if key and key_file:
        raise ReverieError("R601", "both REVERIE_LLM_KEY and REVERIE_LLM_KEY_FILE are set", "set only one of them")
    if key:
        return key
    if not key_file:
        return None
    fix = "point REVERIE_LLM_KEY_FILE at a readable file holding only the key, or give the key in REVERIE_LLM_KEY"
    try:
        text = Path(key_file).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise ReverieError("R602", "the LLM key file does not exist", fix, path=key_file) from None
    except (OSError, UnicodeDecodeError):
        raise ReverieError("R602", "the LLM key file cannot be read", fix, path=key_file) from None
    if not text:
        raise ReverieError("R602", "the LLM key file is empty", fix, path=key_file)
    return text


@dataclass(frozen=True, slots=True)
class LLMOutcome:
    """What the model said (None when it said nothing usable), why, and how long it took.

    ``reason`` is "ok", "timeout", "network_error", "http_error <status>", "malformed_response" or
    "empty"; it is stored with the turn so a clinician can see why a template was used.
    """

    text: str | None
    reason: str
    elapsed_ms: float


SYSTEM_PROMPT: Final = (
    "You are an AI companion in Reverie, a space where a client of psychodynamic therapy can reflect "
    "between sessions. You are not a therapist and not a person, and you never say or imply that you are. "
    "The conversation is client-led. Another part of the system has already chosen what to do in this turn "
    "(the move); your only job is to phrase that move, and nothing else.\n"
    "Rules:\n"
    "- Write 1 to 3 short sentences of plain text: no lists, no headings, no quotation marks around the reply.\n"
    "- Be tentative: 'I wonder', 'perhaps', 'it sounds as if'. Offer, never conclude.\n"
    "- Use the client's own words where you can.\n"
    "- No advice, no suggestions, no exercises or homework, no diagnosis or labels, no promises about the future, "
    "and never any information about ways or means of self-harm.\n"
    "- Ask at most one question, and only if the move asks one.\n"
    "- Reply with the companion's words only."
)


def _question_rule(move: Move, template: str) -> str:
    if move.name is MoveName.BOUNDARY:
        topic = move.slots.get("topic")
        about = f" about {topic}" if topic else ""
        return f"The client does not want to talk{about}: respect that, ask nothing{about} and do not return to it."
    if move.name in ASKING:
        return "This move asks exactly one open question."
    if "?" in template:
        return "This move may ask one gentle, open question, like the example."
    return "This move asks no question."


def _user_message(move: Move, client_text: str, history: Sequence[tuple[str, str]], template: str) -> str:
    """Everything the model may use, labelled; the client's words are marked as quotations, not instructions."""
    lines = [f"Move: {move.name.value}", f"Why this move: {move.reason}", _question_rule(move, template)]
    if move.evidence:
        lines.append("The client's own words this move rests on:")
        for e in move.evidence:
            when = f"{e.when:%d %B %Y}" if e.when is not None else "just now"
            lines.append(f'- "{e.quote}" (said {when}; {e.why})')
    if move.slots:
        lines.append("Details: " + "; ".join(f"{k}: {v}" for k, v in move.slots.items()))
    lines.append(f"Example reply with the intended meaning (phrase it in your own way): {template}")
    recent = list(history)[-HISTORY_TURNS:]
    if recent:
        lines.append("Recent conversation, oldest first:")
        lines.extend(f"{speaker}: {text}" for speaker, text in recent)
    lines.append(f"The client just wrote: {client_text}")
    lines.append("Write the companion's reply.")
    return "\n".join(lines)


_QUOTE_PAIRS: Final = {'"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019"}


def _unquote(text: str) -> str:
    """``text`` without surrounding whitespace and without quotes wrapped round the whole of it.

    Only a matching pair round a text that has no other such quote inside is removed, so a reply
    that opens with the client's quoted words ("'Alone', you said ... 'again'") keeps them.
    """
    text = text.strip()
    while len(text) >= 2 and (close := _QUOTE_PAIRS.get(text[0])) is not None and text[-1] == close:
        inner = text[1:-1]
        if text[0] in inner or close in inner:
            break
        text = inner.strip()
    return text


def _content(body: Any) -> str | None:
    """``choices[0].message.content``; raises KeyError, TypeError or IndexError on another shape."""
    content = body["choices"][0]["message"]["content"]
    if content is None or isinstance(content, str):
        return content
    raise TypeError(f"content is a {type(content).__name__}, not text")


class LLMRenderer:
    """Phrases a chosen move through an OpenAI-compatible chat-completions endpoint.

    ``transport`` is for tests (``httpx.MockTransport``); without it httpx's own transport is used.
    Proxy settings from the environment are ignored (``trust_env=False``): the request goes to the
    configured endpoint and nowhere else. Redirects are not followed, for the same reason.
    """

    def __init__(self, config: LLMConfig, transport: httpx.BaseTransport | None = None) -> None:
        self.config = config
        headers = {"Authorization": f"Bearer {config.api_key}"} if config.api_key else {}
        self._client = httpx.Client(transport=transport, timeout=config.timeout_s, headers=headers, trust_env=False, follow_redirects=False)
        self._endpoint = f"{config.url}/chat/completions"

    def request_body(self, move: Move, client_text: str, history: Sequence[tuple[str, str]], template: str) -> dict[str, Any]:
        """The JSON body of the request for this turn."""
        return {
            "model": self.config.model,
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": _user_message(move, client_text, history, template)},
            ],
            "temperature": TEMPERATURE,
            "max_tokens": MAX_TOKENS,
            "stream": False,
        }

    def phrase(self, move: Move, client_text: str, history: Sequence[tuple[str, str]], template: str) -> LLMOutcome:
        """The model's phrasing of ``move``, or no text and why; never raises for network, HTTP or JSON trouble."""
        started = time.perf_counter()

        def outcome(text: str | None, reason: str) -> LLMOutcome:
            return LLMOutcome(text, reason, (time.perf_counter() - started) * 1000.0)

        try:
            response = self._client.post(self._endpoint, json=self.request_body(move, client_text, history, template))
        except httpx.TimeoutException:
            return outcome(None, TIMEOUT)
        except httpx.TransportError:  # refused, reset, DNS, TLS, protocol errors
            return outcome(None, NETWORK_ERROR)
        except httpx.DecodingError:  # a body whose content-encoding cannot be decoded
            return outcome(None, MALFORMED_RESPONSE)
        if not response.is_success:
            return outcome(None, f"http_error {response.status_code}")
        try:
            content = _content(response.json())
        except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError, IndexError):
            return outcome(None, MALFORMED_RESPONSE)
        text = _unquote(content or "")
        return outcome(text, OK) if text else outcome(None, EMPTY)

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
