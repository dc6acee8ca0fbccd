"""`OfflinePolicy`: the middleware that plays the model's part in the agent graph when there is no LLM.

On the user's message it plans (intent router + entity extraction) and returns the tool calls an LLM would
make, or a direct reply (help, a refusal, a question back). When the tools have answered it composes the
final, cited answer from their artifacts. It never calls the wrapped model.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from langchain.agents.middleware import AgentMiddleware, ModelRequest, ModelResponse
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from assistant.agent.artifacts import ToolArtifact
from assistant.agent.context import AssistantContext
from assistant.offline.composer import Composer, ToolResult, Turn
from assistant.offline.planner import Plan, Planner

PLAN_CACHE_SIZE = 256


class OfflinePolicy(AgentMiddleware[Any, AssistantContext, Any]):
    def __init__(self, planner: Planner, composer: Composer) -> None:
        super().__init__()
        self.planner = planner
        self.composer = composer
        # The plan made for a message is reused when composing its answer (same message, same tool round).
        self._plans: OrderedDict[str, Plan] = OrderedDict()
        self._lock = threading.Lock()

    def wrap_model_call(
        self,
        request: ModelRequest[AssistantContext],
        handler: Callable[[ModelRequest[AssistantContext]], ModelResponse[Any]],
    ) -> ModelResponse[Any]:
        return ModelResponse(result=[self.respond(request)])

    async def awrap_model_call(
        self,
        request: ModelRequest[AssistantContext],
        handler: Callable[[ModelRequest[AssistantContext]], Awaitable[ModelResponse[Any]]],
    ) -> ModelResponse[Any]:
        return ModelResponse(result=[self.respond(request)])

    def respond(self, request: ModelRequest[AssistantContext]) -> AIMessage:
        ctx = request.runtime.context
        if not isinstance(ctx, AssistantContext):
            raise TypeError("the offline policy runs with an AssistantContext")
        messages: Sequence[BaseMessage] = request.messages
        last = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=None)
        if last is None:
            return AIMessage(content=self.composer.reply("Ask me something to begin."))
        human = messages[last]
        text, history, this_turn = human.text, messages[:last], messages[last + 1 :]
        if not this_turn:
            plan = self.planner.plan(text, history, ctx)
            if plan.reply is not None or not plan.calls:
                reply = "\n\n".join([*plan.caveats, plan.reply or ""]).strip()
                return AIMessage(content=self.composer.reply(reply))
            self._remember(self._key(ctx, human, len(history)), plan)
            calls = [
                {
                    "name": call.name,
                    "args": call.args,
                    "id": f"call_offline_{uuid.uuid4().hex[:16]}",
                    "type": "tool_call",
                }
                for call in plan.calls
            ]
            return AIMessage(content="", tool_calls=calls)
        plan = self._recall(self._key(ctx, human, len(history))) or self.planner.plan(text, history, ctx)
        turn = Turn(text=text, plan=plan, ctx=ctx, results=_results(this_turn))
        return AIMessage(content=self.composer.compose(turn))

    @staticmethod
    def _key(ctx: AssistantContext, human: BaseMessage, depth: int) -> str:
        # One context object per run: two users sending the same words at once never share a plan.
        return f"{id(ctx)}:{human.id or ''}:{depth}:{human.text}"

    def _remember(self, key: str, plan: Plan) -> None:
        with self._lock:
            self._plans[key] = plan
            while len(self._plans) > PLAN_CACHE_SIZE:
                self._plans.popitem(last=False)

    def _recall(self, key: str) -> Plan | None:
        with self._lock:
            return self._plans.pop(key, None)


def _results(messages: Sequence[BaseMessage]) -> list[ToolResult]:
    """Each tool call of this turn with the artifact its tool returned (None when the tool failed)."""
    calls: dict[str, tuple[str, dict[str, Any]]] = {}
    results = []
    for message in messages:
        if isinstance(message, AIMessage):
            for call in message.tool_calls:
                calls[call["id"] or call["name"]] = (call["name"], call["args"])
        elif isinstance(message, ToolMessage):
            name, args = calls.get(message.tool_call_id, (message.name or "tool", {}))
            artifact = message.artifact if isinstance(message.artifact, ToolArtifact) else None
            results.append(ToolResult(name=name, args=args, artifact=artifact, content=message.text))
    return results
