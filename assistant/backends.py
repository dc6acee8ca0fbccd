"""Choose the chat backend named by settings and assemble the `AssistantService` around it.

`offline` is the embedded default: a stub model whose turns are played by the offline policy (intent router +
grounded composer). `openai` is any OpenAI-compatible endpoint; it is probed at start and a backend that cannot
work stops the program with a clear message — there is no silent fallback to offline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant.agent.builder import build_agent
from assistant.agent.runner import ChatRunner
from assistant.conversations.service import ConversationService
from assistant.proposals.service import ProposalService
from assistant.service import AssistantService
from assistant.settings import LLMSettings

if TYPE_CHECKING:
    from langchain.agents.middleware import AgentMiddleware
    from langchain_core.language_models import BaseChatModel

    from assistant.runtime import Runtime


def describe_backend(llm: LLMSettings, *, scripted: bool = False) -> str:
    if scripted:
        return "scripted test model"
    return llm.describe()


def build_assistant(runtime: Runtime, *, chat_model: BaseChatModel | None = None) -> AssistantService:
    from assistant.drafting.prose import LLMProseWriter, ProseWriter, TemplateProseWriter
    from assistant.drafting.service import DraftingService

    settings, retrieval = runtime.settings, runtime.retrieval
    middleware: list[AgentMiddleware[Any, Any]] = []
    writer: ProseWriter
    if chat_model is not None:
        model, writer = chat_model, TemplateProseWriter()
    elif settings.llm.provider == "offline":
        from assistant.offline import build_offline_backend

        model, policy = build_offline_backend(retrieval.store.embedding_function, runtime.curriculum)
        middleware.append(policy)
        writer = TemplateProseWriter()
    else:
        from assistant.llm import build_chat_model, check_backend

        check_backend(settings.llm)
        model = build_chat_model(settings.llm)
        writer = LLMProseWriter(model)
    records = runtime.records
    return AssistantService(
        records=records,
        retrieval=retrieval,
        drafting=DraftingService(records, writer, curriculum=runtime.curriculum),
        proposals=ProposalService(runtime.sessions, records),
        conversations=ConversationService(runtime.sessions),
        runner=ChatRunner(build_agent(model, llm=settings.llm, middleware=middleware), llm=settings.llm),
        curriculum=runtime.curriculum,
        backend=describe_backend(settings.llm, scripted=chat_model is not None),
    )
