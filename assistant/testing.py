"""A scripted chat model for tests, the eval-harness smoke test and UI tests: no network, no key.

Each model call takes the next step of the script, records what it was sent, and answers. Unlike LangChain's
`FakeListChatModel`, which silently starts over, running past the end raises `ScriptExhausted`, and
`assert_complete()` fails while steps remain, so a test notices an agent that calls the model more or fewer
times than expected.

    model = ScriptedChatModel([calls_tool("get_account_overview", account="Northwind"), reply("Northwind is...")])
    agent = create_agent(model, tools=[get_account_overview])
    agent.invoke({"messages": [("user", "How is Northwind?")]})
    model.assert_complete()
    assert model.calls[1][-1].type == "tool"
"""

from __future__ import annotations

import itertools
import json
import math
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Annotated, Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.messages.ai import UsageMetadata
from langchain_core.messages.tool import ToolCall, tool_call_chunk
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import Field, PrivateAttr, SkipValidation

Step = AIMessage | Callable[[list[BaseMessage]], AIMessage]
"""One scripted answer: a fixed message, or a function of the messages the model received."""

_ids = itertools.count(1)
_CHARS_PER_TOKEN = 4  # the usual rule of thumb for English text with OpenAI tokenizers
_TOKENS_PER_MESSAGE = 4  # role and separators


class ScriptExhausted(AssertionError):
    """The model was called more times than its script has steps."""


def tool_call(name: str, /, **args: Any) -> ToolCall:
    """A tool call as a model emits it, with a fresh id. `name` is positional so a tool may take `name=`."""
    return ToolCall(name=name, args=args, id=f"call_scripted_{next(_ids)}", type="tool_call")


def calls_tool(name: str, /, **args: Any) -> AIMessage:
    """A model turn that calls one tool and says nothing."""
    return AIMessage(content="", tool_calls=[tool_call(name, **args)])


def reply(text: str) -> AIMessage:
    """A model turn that answers in text."""
    return AIMessage(content=text)


def approx_tokens(text: str) -> int:
    """A plausible, deterministic token count for budgets in tests (not a tokenizer)."""
    return math.ceil(len(text) / _CHARS_PER_TOKEN) if text else 0


class ScriptedChatModel(BaseChatModel):
    """A chat model that plays a script and records every call.

    `calls[i]` is the list of messages the i-th model call received; `call_tools[i]` the tool schemas in force
    for it; `bound_tools` the schemas from the latest `bind_tools`. `bind_tools` returns a binding of this same
    instance, so the copy an agent binds advances the one script and fills the one record.
    """

    # Not validated by pydantic: AIMessage's validators choke on callables; `__init__` checks the steps instead.
    script: Annotated[list[Step], SkipValidation()] = Field(default_factory=list)
    calls: list[list[BaseMessage]] = Field(default_factory=list)
    call_tools: list[list[dict[str, Any]]] = Field(default_factory=list)
    bound_tools: list[dict[str, Any]] = Field(default_factory=list)
    tool_choice: Any = None
    stream_chunk_chars: int = Field(default=8, ge=1, description="characters per streamed text chunk")
    model_name: str = "scripted"

    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    def __init__(self, script: Sequence[Step] = (), /, **kwargs: Any) -> None:
        steps = list(kwargs.pop("script", script))
        for number, step in enumerate(steps, 1):
            if not (isinstance(step, AIMessage) or callable(step)):
                raise TypeError(f"step {number}: expected an AIMessage or a callable, got {type(step).__name__}")
        super().__init__(script=steps, **kwargs)

    @property
    def _llm_type(self) -> str:
        return "scripted-chat-model"

    @property
    def remaining(self) -> int:
        return len(self.script)

    def assert_complete(self) -> None:
        """Fail if the script still has steps: the code under test called the model fewer times than planned."""
        if self.script:
            pending = "; ".join(_describe_step(step) for step in self.script)
            raise AssertionError(
                f"ScriptedChatModel: {len(self.script)} scripted step(s) never used after {len(self.calls)} "
                f"call(s): {pending}"
            )

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        schemas = [convert_to_openai_tool(t) for t in tools]
        self.bound_tools = schemas
        self.tool_choice = tool_choice
        if tool_choice is not None:
            kwargs["tool_choice"] = tool_choice
        return self.bind(tools=schemas, **kwargs)

    def _next(self, messages: list[BaseMessage], kwargs: dict[str, Any]) -> AIMessage:
        with self._lock:
            self.calls.append(list(messages))
            self.call_tools.append(list(kwargs.get("tools") or []))
            if not self.script:
                raise ScriptExhausted(
                    f"ScriptedChatModel: call {len(self.calls)} but the script had {len(self.calls) - 1} step(s). "
                    f"Last messages received: {_describe_messages(messages)}"
                )
            step = self.script.pop(0)
        message = step(list(messages)) if callable(step) else step
        if not isinstance(message, AIMessage):
            raise TypeError(f"a scripted step must give an AIMessage, got {type(message).__name__}")
        # A copy, so the graph's edits (ids, names) never leak back into a script a test may reuse.
        message = message.model_copy(deep=True)
        if message.usage_metadata is None:
            message.usage_metadata = _usage(messages, message, kwargs.get("tools") or [])
        message.response_metadata = {"model_name": self.model_name, **message.response_metadata}
        return message

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._next(messages, kwargs))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        message = self._next(messages, kwargs)
        chunks = list(self._chunks(message))
        chunks[-1].chunk_position = "last"
        # BaseChatModel reports each chunk to the callbacks (`on_llm_new_token`); doing it here would double it.
        for chunk in chunks:
            yield ChatGenerationChunk(message=chunk)

    def _chunks(self, message: AIMessage) -> Iterator[AIMessageChunk]:
        # Text in a few pieces, then each tool call as a name chunk and an argument chunk, usage on the last:
        # the shape a real streaming provider produces, which `stream_mode="messages"` consumers rely on.
        mid = message.id
        text = message.content if isinstance(message.content, str) else ""
        step = self.stream_chunk_chars
        for start in range(0, len(text), step):
            yield AIMessageChunk(content=text[start : start + step], id=mid)
        if not isinstance(message.content, str):
            yield AIMessageChunk(content=message.content, id=mid)
        calls: list[tuple[str, str, str | None]] = [
            (tc["name"], json.dumps(tc["args"]), tc["id"]) for tc in message.tool_calls
        ]
        calls += [(tc["name"] or "", tc["args"] or "", tc["id"]) for tc in message.invalid_tool_calls]
        for index, (name, args, call_id) in enumerate(calls):
            half = len(args) // 2
            yield AIMessageChunk(
                content="",
                id=mid,
                tool_call_chunks=[tool_call_chunk(name=name, args=args[:half], id=call_id, index=index)],
            )
            yield AIMessageChunk(
                content="",
                id=mid,
                tool_call_chunks=[tool_call_chunk(name=None, args=args[half:], id=None, index=index)],
            )
        yield AIMessageChunk(
            content="",
            id=mid,
            usage_metadata=message.usage_metadata,
            response_metadata={
                **message.response_metadata,
                "finish_reason": "tool_calls" if calls else "stop",
            },
        )


def _usage(messages: Sequence[BaseMessage], answer: AIMessage, tools: Sequence[dict[str, Any]]) -> UsageMetadata:
    prompt = sum(approx_tokens(m.text) + _TOKENS_PER_MESSAGE for m in messages)
    prompt += sum(approx_tokens(json.dumps(t)) for t in tools)
    output = approx_tokens(answer.text) + sum(
        approx_tokens(tc["name"] + json.dumps(tc["args"])) for tc in answer.tool_calls
    )
    output = max(output, 1)
    return UsageMetadata(input_tokens=prompt, output_tokens=output, total_tokens=prompt + output)


def _describe_step(step: Step) -> str:
    if callable(step):
        return f"<callable {getattr(step, '__name__', type(step).__name__)}>"
    if step.tool_calls:
        return "calls " + ", ".join(f"{tc['name']}({json.dumps(tc['args'])})" for tc in step.tool_calls)
    return f"reply {_clip(step.text, 60)!r}"


def _describe_messages(messages: Sequence[BaseMessage], last: int = 3) -> str:
    shown = [f"{m.type}: {_clip(m.text, 120)!r}" for m in messages[-last:]]
    return f"[{'; '.join(shown)}]" + (f" (and {len(messages) - last} earlier)" if len(messages) > last else "")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
