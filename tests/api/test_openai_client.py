"""The official `openai` SDK, pointed at the running API's /v1, completes chats streaming and not."""

from __future__ import annotations

from collections.abc import Iterator

import openai
import pytest

from api.main import create_app
from tests.api.conftest import Api, MakeApi
from tests.api.server import serve


@pytest.fixture
def served(make_api: MakeApi) -> Iterator[tuple[Api, str]]:
    api = make_api()
    with serve(create_app(api.runtime.settings, runtime=api.runtime)) as url:
        yield api, url


def sdk(url: str, key: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{url}/v1", api_key=key, max_retries=0, timeout=60)


def test_sdk_completes_a_chat_without_streaming(served: tuple[Api, str]) -> None:
    api, url = served
    with sdk(url, api.keys["dana"]) as client:
        assert [m.id for m in client.models.list()] == ["samcoach"]
        completion = client.chat.completions.create(
            model="samcoach",
            messages=[{"role": "user", "content": "How is Acme doing?"}],
            metadata={"account": "acme"},
        )
    assert completion.object == "chat.completion" and completion.model == "samcoach"
    content = completion.choices[0].message.content or ""
    assert "Acme" in content and completion.choices[0].finish_reason == "stop"
    assert completion.usage is not None


def test_sdk_streams_a_chat(served: tuple[Api, str]) -> None:
    api, url = served
    with sdk(url, api.keys["dana"]) as client:
        stream = client.chat.completions.create(
            model="samcoach",
            messages=[
                {"role": "user", "content": "Let's look at Northgate Health System."},
                {"role": "assistant", "content": "Sure."},
                {"role": "user", "content": "Who are the key stakeholders at Northgate?"},
            ],
            stream=True,
            stream_options={"include_usage": True},
        )
        chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert "Northgate" in text or "Raymond" in text
    assert [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason] == ["stop"]
    assert chunks[-1].usage is not None


def test_sdk_raises_its_usual_errors(served: tuple[Api, str]) -> None:
    api, url = served
    with sdk(url, api.keys["dana"]) as client, pytest.raises(openai.NotFoundError):
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
    with sdk(url, "sc_000000000000_wrong") as client, pytest.raises(openai.AuthenticationError):
        client.models.list()
