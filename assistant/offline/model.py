"""The offline backend's "model": a stub the agent graph can hold, never asked to generate.

The `create_agent` graph is the same for every backend; offline, `OfflinePolicy` answers every model call
itself (it never calls the handler), so reaching `_generate` means the policy is missing from the agent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool

MISSING_POLICY = (
    "the offline backend is driven by OfflinePolicy: build the agent with "
    "build_agent(model, llm=..., middleware=[policy]) using build_offline_backend()"
)


class OfflineChatModel(BaseChatModel):
    """Holds the place of a chat model for `SAMCOACH_LLM__PROVIDER=offline`; it has no generative ability."""

    @property
    def _llm_type(self) -> str:
        return "samcoach-offline"

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        return self

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        raise RuntimeError(MISSING_POLICY)
