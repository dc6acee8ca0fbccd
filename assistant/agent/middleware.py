"""Agent middleware: the per-run system prompt and the per-turn token budget."""

from __future__ import annotations

from typing import Any

from langchain.agents.middleware import AgentMiddleware, AgentState, ModelRequest, dynamic_prompt
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.runtime import Runtime

from assistant.agent.context import AssistantContext
from assistant.prompts import SCOPE_BOUND, SCOPE_PORTFOLIO, SYSTEM_PROMPT


class TokenBudgetExceeded(RuntimeError):
    def __init__(self, used: int, limit: int) -> None:
        super().__init__(f"turn used {used} tokens of a {limit} budget")
        self.used = used
        self.limit = limit


def render_system_prompt(ctx: AssistantContext) -> str:
    scope = SCOPE_PORTFOLIO
    if ctx.account_id is not None:
        account = ctx.records.accounts.get(actor=ctx.actor, account_id=ctx.account_id)
        scope = SCOPE_BOUND.format(account_name=account.name)
    return SYSTEM_PROMPT.format(
        user_name=ctx.actor.name, role=ctx.actor.role.value.replace("_", " "), today=ctx.today.isoformat(), scope=scope
    )


@dynamic_prompt
def system_prompt(request: ModelRequest) -> str:
    context = request.runtime.context
    if not isinstance(context, AssistantContext):
        raise TypeError("the coach agent runs with an AssistantContext")
    return render_system_prompt(context)


class TokenBudget(AgentMiddleware):
    """Stops a turn before a model call once the turn's model calls have used `limit` tokens."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def before_model(self, state: AgentState[Any], runtime: Runtime[Any]) -> dict[str, Any] | None:
        used = 0
        for message in reversed(state["messages"]):
            if isinstance(message, HumanMessage):
                break
            if isinstance(message, AIMessage) and message.usage_metadata:
                used += message.usage_metadata.get("total_tokens", 0)
        if used >= self.limit:
            raise TokenBudgetExceeded(used, self.limit)
        return None
