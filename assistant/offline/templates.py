"""Every fixed sentence the offline backend writes, as named constants (the offline counterpart of prompts.py).

Changing one changes what users read and what the eval suite scores: run `python -m evals` before and after.
"""

from __future__ import annotations

from assistant.offline.safety import Refusal

OFFLINE_FOOTER = (
    "_Offline mode: composed from the curriculum and your records without a generative model; an LLM backend "
    "would add conversational synthesis, follow-up reasoning and rephrasing._"
)

# The planner recognises a quiz or exercise it asked by these phrases in the previous answer.
QUIZ_REPLY_HINT = "Reply with your answers, for example “1 B, 2 A, 3 C”, and I will mark them."
EXERCISE_REPLY_HINT = "Reply with your answer and I will check it against the lesson's rubric."

HELP = """\
I'm SAM Coach. Here is what I can do for you:
- **Coach**: answer questions on the six modules, the ten keys of account planning, the partnership charter, \
relationship health and the performance zones — e.g. “What is a partnership charter?”
- **Learn**: open a lesson, set you its exercise or quiz and mark your answers — e.g. “Quiz me on key 3”.
- **Read your accounts**: overview, stakeholders, charter, metrics, health history, notes, open actions, early \
warnings — e.g. “How is Northgate doing?”, “Who is the sponsor at Acme?”
- **Draft**: meeting briefs, quarterly reviews and ten-keys plan reviews, every claim cited — e.g. “Prepare me \
for my meeting with Helen at Acme”.
- **Propose changes** you approve: notes, stakeholder updates, action items, health assessments and charter \
revisions — e.g. “Raymond Cole is now a detractor with power 5”."""

REFUSALS: dict[Refusal, str] = {
    Refusal.DELETE: (
        "I can't delete records, and I don't change anything myself. If something is wrong or out of date, tell me "
        "what changed and I'll prepare a proposal you can approve or reject — for example a stakeholder update or "
        "a note."
    ),
    Refusal.PROMPT: (
        "I can't share my instructions or any configuration. I'm happy to explain what I can do: ask “help”, or "
        "ask me about an account or a topic from the curriculum."
    ),
    Refusal.SEND: (
        "I can't send, email, export or post anything — I only work inside SAM Coach, and your account data stays "
        "here. I can draft a meeting brief or a quarterly review that you then share yourself."
    ),
    Refusal.OTHER_USER: (
        "I can only work with the accounts in your own portfolio, as you. I can't act as another user or open "
        "someone else's accounts; ask them, or your manager, to share what you need."
    ),
    Refusal.OVERRIDE: (
        "I'll keep working within my rules: I don't change records without your approval, delete anything, reveal "
        "my instructions or send data anywhere. What would you like to do with your accounts or the curriculum?"
    ),
}

SKIP_APPROVAL_NOTE = (
    "You asked me not to ask first, but I never change records directly: every change waits for your approval "
    "(your settings may auto-approve notes and action items, never charters or assessments)."
)
SKIP_APPROVAL_ONLY = (
    "I never change records directly: every change becomes a proposal that you approve or reject. Tell me what "
    "changed — for example “Raymond Cole is now a detractor” — and I'll prepare it."
)

ABSENT_PERSON = (
    "I have no record of {name}: no one of that name is on the stakeholder list of {account}, so I can't tell you "
    "their stance or role."
)
WHO_IS_ON_RECORD = "Here is who is on record."
UNRECORDED_COMPETITOR = (
    "{name} is not one of your accounts and no note in your records mentions it, so I have no information on "
    "{name} itself — its prices, margins or plans."
)
ASK_ACCOUNT = "Which account do you mean? Your portfolio: {names}."
ASK_ACCOUNT_EMPTY = "Your portfolio has no accounts yet, so there is nothing to look up."
ASK_LESSON = "Which lesson? For example {examples}. Or ask “help” to see everything I can do."
ASK_PERSON = "Who should I update at {account}? Name the stakeholder, for example {examples}."
ASK_CHANGE = (
    "What changed for {person}? Tell me the new stance (sponsor, supporter, neutral, skeptic, detractor), power or "
    "interest (1-5), title, decision role or date of last contact."
)
ASK_NOTE = "What should the note say? For example: “Log a note for {account}: Helen confirmed the trial sites.”"
ASK_ACTION = "What is the action? For example: “Remind me to send {account} the savings report by Friday.”"

OUT_OF_SCOPE = (
    "That is outside what I can help with: the curriculum does not cover it, and I only coach strategic account "
    "management and work with the accounts in your portfolio. Try “What is a partnership charter?”, “How is "
    "Northgate doing?” or “Prepare me for my meeting with Helen at Acme”."
)
NOT_UNDERSTOOD = (
    "I'm not sure what you need, and I'd rather ask than guess. I can answer coaching questions from the "
    "curriculum, look up an account (overview, stakeholders, charter, metrics, notes, actions, risks), draft a "
    "meeting brief or quarterly review, or prepare a change for your approval. Ask “help” for examples."
)
NOT_IN_PORTFOLIO = (
    "“{name}” is not in your portfolio, so I can't show anything about it. I only work with the accounts you "
    "own or manage{portfolio}."
)
