"""The LLM renderer, driven through httpx.MockTransport at the network edge (no real model needed).

Every failure of the endpoint must come back as an outcome with a reason, never as an exception,
so the caller can always fall back to the template reply in the same turn.
"""

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from reverie.companion.llm import HISTORY_TURNS, LLMConfig, LLMOutcome, LLMRenderer
from reverie.companion.moves import Evidence, Move, MoveName
from reverie.errors import ReverieError

KEY = "sk-test-7f3a9c1e-very-secret"
URL = "http://llm.test/v1"

MOVE = Move(
    MoveName.LINK_PAST_PRESENT,
    reason="this turn echoes an earlier session: shared person mother",
    evidence=(
        Evidence("nobody listened to me at dinner", "s-0001", "shared person: mother", when=datetime(2024, 3, 12, tzinfo=UTC)),
        Evidence("my boss talked over me again", "this turn", "affect: anger 0.64"),
    ),
    slots={"when": "in March", "person": "mother"},
)
TEMPLATE = "In March you said \"nobody listened to me at dinner\". I wonder whether today felt a little like that?"
HISTORY = [("client" if i % 2 == 0 else "companion", f"turn {i}") for i in range(10)]
CLIENT_TEXT = "My boss talked over me again in the meeting."


def completion(content: object) -> dict[str, Any]:
    return {"id": "x", "object": "chat.completion", "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]}


def renderer(handler: Callable[[httpx.Request], httpx.Response], *, key: str | None = KEY) -> LLMRenderer:
    return LLMRenderer(LLMConfig(URL, "tiny-model", key, 2.0), transport=httpx.MockTransport(handler))


def phrase(handler: Callable[[httpx.Request], httpx.Response], *, key: str | None = KEY) -> LLMOutcome:
    with renderer(handler, key=key) as r:
        return r.phrase(MOVE, CLIENT_TEXT, HISTORY, TEMPLATE)


# -- a well-behaved endpoint ---------------------------------------------------------------------


def test_a_well_behaved_endpoint_gets_the_move_and_its_evidence() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=completion('  "I wonder whether the meeting felt like those dinners?"  '))

    outcome = phrase(handler)

    assert outcome.reason == "ok"
    assert outcome.text == "I wonder whether the meeting felt like those dinners?"  # quotes and spaces stripped
    assert outcome.elapsed_ms >= 0
    assert len(seen) == 1  # one request, no retry, nothing else on the network
    request = seen[0]
    assert request.method == "POST"
    assert str(request.url) == "http://llm.test/v1/chat/completions"
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    body = json.loads(request.content)
    assert body["model"] == "tiny-model"
    assert body["temperature"] == 0.7
    assert body["max_tokens"] == 160
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    system, user = (m["content"] for m in body["messages"])
    assert "not a therapist" in system
    assert "at most one question" in system
    assert "link_past_present" in user
    assert "nobody listened to me at dinner" in user
    assert "12 March 2024" in user  # when the earlier words were said
    assert "in March" in user  # slots
    assert TEMPLATE in user
    assert CLIENT_TEXT in user
    assert "exactly one open question" in user  # LINK_PAST_PRESENT asks


def test_only_the_last_six_turns_of_history_are_sent() -> None:
    bodies: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        return httpx.Response(200, json=completion("I wonder."))

    phrase(handler)
    user = bodies[0]["messages"][1]["content"]
    assert HISTORY_TURNS == 6
    assert "turn 3" not in user
    for i in range(4, 10):
        assert f"turn {i}" in user
    assert user.index("turn 4") < user.index("turn 9")  # oldest first


def test_no_authorization_header_without_a_key() -> None:
    headers: list[httpx.Headers] = []

    def handler(request: httpx.Request) -> httpx.Response:
        headers.append(request.headers)
        return httpx.Response(200, json=completion("Perhaps."))

    assert phrase(handler, key=None).reason == "ok"
    assert "authorization" not in headers[0]


def test_a_boundary_move_tells_the_model_not_to_ask_about_the_topic() -> None:
    bodies: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        return httpx.Response(200, json=completion("Of course; we can leave that there."))

    move = Move(MoveName.BOUNDARY, "the client declined a topic", slots={"topic": "my father"})
    with renderer(handler) as r:
        outcome = r.phrase(move, "I don't want to talk about my father.", [], "Of course. We can leave that.")
    assert outcome.text == "Of course; we can leave that there."
    assert "ask nothing about my father" in bodies[0]["messages"][1]["content"]


def test_inner_quotes_of_the_clients_words_are_kept() -> None:
    reply = "\"Nobody listened\", you said then; I wonder if it is 'again' now?"
    outcome = phrase(lambda request: httpx.Response(200, json=completion(reply)))
    assert outcome.text == reply


# -- every failure is an outcome, not an exception ----------------------------------------------


def test_a_slow_endpoint_is_a_timeout() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    outcome = phrase(handler)
    assert outcome == LLMOutcome(None, "timeout", outcome.elapsed_ms)


@pytest.mark.parametrize("status", [500, 503, 401, 429])
def test_http_errors(status: int) -> None:
    outcome = phrase(lambda request: httpx.Response(status, json={"error": {"message": "overloaded"}}))
    assert (outcome.text, outcome.reason) == (None, f"http_error {status}")


def test_a_redirect_is_not_followed() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        return httpx.Response(307, headers={"Location": "http://elsewhere.test/v1/chat/completions"})

    assert phrase(handler).reason == "http_error 307"
    assert calls == ["http://llm.test/v1/chat/completions"]


@pytest.mark.parametrize(
    "body",
    [
        b"<html>Bad gateway</html>",
        b"",
        b"\xff\xfe not utf-8 {",
        json.dumps({"id": "x", "object": "chat.completion"}).encode(),  # no choices
        json.dumps({"choices": []}).encode(),
        json.dumps({"choices": [{"text": "legacy completion"}]}).encode(),
        json.dumps({"choices": [{"message": {"content": ["a", "list"]}}]}).encode(),
        json.dumps(["not", "an", "object"]).encode(),
        json.dumps("just a string").encode(),
    ],
    ids=["html", "no-body", "not-utf8", "no-choices", "empty-choices", "no-message", "content-list", "json-list", "json-string"],
)
def test_garbage_is_a_malformed_response(body: bytes) -> None:
    outcome = phrase(lambda request: httpx.Response(200, content=body, headers={"Content-Type": "application/json"}))
    assert (outcome.text, outcome.reason) == (None, "malformed_response")


@pytest.mark.parametrize("content", ["", "   \n ", '""', "“ ”", None])
def test_an_empty_answer_is_empty(content: str | None) -> None:
    outcome = phrase(lambda request: httpx.Response(200, json=completion(content)))
    assert (outcome.text, outcome.reason) == (None, "empty")


def test_a_refused_connection_is_a_network_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    outcome = phrase(handler)
    assert (outcome.text, outcome.reason) == (None, "network_error")


def test_a_real_unreachable_endpoint_fails_fast_without_raising() -> None:
    # Port 9 (discard) on loopback: nothing listens there, the default transport gets a refusal.
    config = LLMConfig("http://127.0.0.1:9/v1", "tiny-model", None, 1.0)
    started = time.perf_counter()
    with LLMRenderer(config) as r:
        outcome = r.phrase(MOVE, CLIENT_TEXT, HISTORY, TEMPLATE)
    assert outcome.text is None
    assert outcome.reason == "network_error"
    assert time.perf_counter() - started < 5.0


def test_proxy_settings_in_the_environment_are_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    # Promise 8: the request goes to the configured endpoint, never through another host.
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("ALL_PROXY", "http://proxy.invalid:3128")
    urls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        urls.append(str(request.url))
        return httpx.Response(200, json=completion("I wonder."))

    assert phrase(handler).reason == "ok"
    assert urls == ["http://llm.test/v1/chat/completions"]


# -- configuration --------------------------------------------------------------------------------


def test_no_url_means_no_llm() -> None:
    assert LLMConfig.from_env({}) is None
    assert LLMConfig.from_env({"REVERIE_LLM_URL": "  ", "REVERIE_LLM_MODEL": "m"}) is None


def test_a_full_configuration(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(f"  {KEY}\n", encoding="utf-8")
    config = LLMConfig.from_env(
        {"REVERIE_LLM_URL": "https://llm.example.org/v1/", "REVERIE_LLM_MODEL": "qwen", "REVERIE_LLM_KEY_FILE": str(key_file), "REVERIE_LLM_TIMEOUT": "2.5"}
    )
    assert config == LLMConfig("https://llm.example.org/v1", "qwen", KEY, 2.5)


def test_defaults_and_a_key_in_the_environment() -> None:
    config = LLMConfig.from_env({"REVERIE_LLM_URL": "http://127.0.0.1:8080/v1", "REVERIE_LLM_MODEL": "m", "REVERIE_LLM_KEY": KEY})
    assert config == LLMConfig("http://127.0.0.1:8080/v1", "m", KEY, 8.0)
    assert LLMConfig.from_env({"REVERIE_LLM_URL": "http://localhost:8080/v1", "REVERIE_LLM_MODEL": "m"}) == LLMConfig("http://localhost:8080/v1", "m")


@pytest.mark.parametrize(
    "env",
    [
        {"REVERIE_LLM_URL": "ftp://llm.example.org/v1"},
        {"REVERIE_LLM_URL": "llm.example.org/v1"},
        {"REVERIE_LLM_URL": "http:///v1"},
        {"REVERIE_LLM_URL": "http://llm.example.org:notaport/v1"},
        {"REVERIE_LLM_URL": "http://llm.example.org/v1?x=1"},
        {"REVERIE_LLM_MODEL": ""},
        {"REVERIE_LLM_MODEL": "   "},
        {"REVERIE_LLM_TIMEOUT": "soon"},
        {"REVERIE_LLM_TIMEOUT": "0"},
        {"REVERIE_LLM_TIMEOUT": "-1"},
        {"REVERIE_LLM_TIMEOUT": "60.5"},
        {"REVERIE_LLM_TIMEOUT": "nan"},
        {"REVERIE_LLM_TIMEOUT": "inf"},
        {"REVERIE_LLM_KEY": KEY, "REVERIE_LLM_KEY_FILE": "/somewhere/key"},
    ],
    ids=["scheme", "no-scheme", "no-host", "bad-port", "query", "no-model", "blank-model", "timeout-word", "timeout-0", "timeout-negative", "timeout-over-60", "nan", "inf", "two-keys"],
)
def test_malformed_settings_are_r601(env: dict[str, str]) -> None:
    full = {"REVERIE_LLM_URL": "http://127.0.0.1:8080/v1", "REVERIE_LLM_MODEL": "m"} | env
    with pytest.raises(ReverieError) as caught:
        LLMConfig.from_env(full)
    assert caught.value.code == "R601"
    assert KEY not in str(caught.value)


def test_the_timeout_may_be_exactly_60() -> None:
    config = LLMConfig.from_env({"REVERIE_LLM_URL": "http://h/v1", "REVERIE_LLM_MODEL": "m", "REVERIE_LLM_TIMEOUT": "60"})
    assert config is not None and config.timeout_s == 60.0


def test_a_url_with_credentials_is_not_echoed() -> None:
    with pytest.raises(ReverieError) as caught:
        LLMConfig.from_env({"REVERIE_LLM_URL": f"ftp://user:{KEY}@llm.example.org/v1", "REVERIE_LLM_MODEL": "m"})
    assert caught.value.code == "R601"
    assert KEY not in str(caught.value)


def _key_file_missing(tmp_path: Path) -> Path:
    return tmp_path / "nope"


def _key_file_empty(tmp_path: Path) -> Path:
    path = tmp_path / "key"
    path.write_text("  \n", encoding="utf-8")
    return path


def _key_file_directory(tmp_path: Path) -> Path:
    return tmp_path


def _key_file_not_text(tmp_path: Path) -> Path:
    path = tmp_path / "key"
    path.write_bytes(b"\xff\xfe\x00binary")
    return path


@pytest.mark.parametrize("make", [_key_file_missing, _key_file_empty, _key_file_directory, _key_file_not_text], ids=["missing", "empty", "directory", "not-text"])
def test_an_unusable_key_file_is_r602(tmp_path: Path, make: Callable[[Path], Path]) -> None:
    path = make(tmp_path)
    with pytest.raises(ReverieError) as caught:
        LLMConfig.from_env({"REVERIE_LLM_URL": "http://h/v1", "REVERIE_LLM_MODEL": "m", "REVERIE_LLM_KEY_FILE": str(path)})
    assert caught.value.code == "R602"
    assert caught.value.path == str(path)


def test_the_key_never_appears_in_repr_or_str() -> None:
    config = LLMConfig(URL, "m", KEY)
    with LLMRenderer(config) as r:
        shown_by_renderer = repr(r.config)
    for shown in (repr(config), str(config), f"{config}", shown_by_renderer):
        assert KEY not in shown
        assert "<set>" in shown
    assert "api_key=None" in repr(LLMConfig(URL, "m"))
