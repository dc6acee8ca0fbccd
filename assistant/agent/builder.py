"""Wire the LangChain agent: model + tools + middleware (prompt, bounds), for any backend."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain.agents import create_agent
from langchain.agents.middleware import AgentMiddleware, ModelCallLimitMiddleware
from langchain_core.language_models import BaseChatModel
from langchain_core.tools import BaseTool

from assistant.agent.context import AssistantContext
from assistant.agent.middleware import TokenBudget, system_prompt
from assistant.agent.tools import ALL_TOOLS
from assistant.settings import LLMSettings


def build_agent(
    model: BaseChatModel,
    *,
    llm: LLMSettings,
    tools: Sequence[BaseTool] = ALL_TOOLS,
    middleware: Sequence[AgentMiddleware[Any, Any]] = (),
) -> Any:
    """The coach agent. `middleware` goes innermost (the offline backend's policy plugs in there)."""
    stack: list[AgentMiddleware[Any, Any]] = [
        system_prompt,
        ModelCallLimitMiddleware(run_limit=llm.max_steps + 1, exit_behavior="error"),
        TokenBudget(llm.max_tokens_per_turn),
        *middleware,
    ]
    return create_agent(model, tools=list(tools), middleware=stack, context_schema=AssistantContext)
