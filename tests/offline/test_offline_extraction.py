"""Extractive coaching: passages read as sentences and whole lists, and which of them answer a question.

Passages here are written for the test, so what is selected follows from the rules (lists kept whole, the
figure a question asks for, a sentence that points back kept with the one before it) rather than from the
curriculum's wording.
"""

from __future__ import annotations

from chromadb.api.types import Documents, EmbeddingFunction

from assistant.citations import Citation, SourceKind
from assistant.offline.citing import Cite
from assistant.offline.coaching import render_units
from assistant.offline.extraction import Extractor, passage_units

CHARTER = """\
A partnership charter contains a small number of elements, each of which should fit on one page.
Drawing on the example, a complete charter covers:
- **Purpose and mission**: why the partnership exists and what it is trying to achieve.
- **Each party's win**: what the client gains and what the supplier gains.
- **Key success metrics**: the shared measures of success.
- **Signatories**: senior leaders from both organisations who sign up to the charter.
Keep the language of the charter plain so that people actually read it in meetings."""

RESEARCH = """\
Account plans are written every year by most strategic account teams in large companies.
A survey of strategic account programmes found that only 11% of account plans were executed effectively.
It is the most quoted figure in the research on strategic account planning and execution.
Teams that review their plans every quarter report better execution than teams that do not."""

QUESTIONS = """\
Questions that keep a strategic account plan honest:
- What has changed at the client since we last updated the profile?
- Has the customer seen this plan, and what did they challenge?
- Which actions from last quarter did not happen, and why?"""


def passage(text: str, lesson: str = "guide-partnership-charter", section: str = "Contents") -> Citation:
    return Citation(kind=SourceKind.CURRICULUM, id=lesson, label=lesson, section=section, excerpt=text)


def test_a_passage_reads_as_sentences_and_lists_with_their_introduction() -> None:
    units = passage_units(CHARTER)
    assert units[0] == (
        "A partnership charter contains a small number of elements, each of which should fit on one page.",
        (),
    )
    intro, items = units[1]
    assert intro == "Drawing on the example, a complete charter covers:"
    assert items[0] == "Purpose and mission: why the partnership exists and what it is trying to achieve."
    assert len(items) == 4
    assert units[2][0].startswith("Keep the language")


def test_a_question_asking_for_several_things_gets_the_whole_list(hash_embedding: EmbeddingFunction[Documents]) -> None:
    picked = Extractor(hash_embedding).pick("What are the elements of a partnership charter?", [passage(CHARTER)])
    lists = [u for u in picked if u.is_list]
    assert len(lists) == 1 and len(lists[0].items) == 4
    # The list follows the sentence that opens its topic.
    assert picked[0].text.startswith("A partnership charter contains")


def test_a_list_is_rendered_whole_and_every_line_is_cited(hash_embedding: EmbeddingFunction[Documents]) -> None:
    source = passage(CHARTER)
    picked = Extractor(hash_embedding).pick("What are the elements of a partnership charter?", [source])
    text = render_units(picked, Cite([source]))
    bullets = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(bullets) == 4
    assert all(line.endswith("[curriculum:guide-partnership-charter]") for line in text.splitlines() if line)


def test_the_sentence_with_the_figure_answers_a_how_many_question(hash_embedding: EmbeddingFunction[Documents]) -> None:
    picked = Extractor(hash_embedding).pick(
        "What share of account plans are executed effectively?", [passage(RESEARCH, "research-sam-statistics")]
    )
    assert picked[0].text.startswith("A survey of strategic account programmes found that only 11%")


def test_a_sentence_that_points_back_comes_with_the_one_before_it(
    hash_embedding: EmbeddingFunction[Documents],
) -> None:
    picked = Extractor(hash_embedding).pick(
        "What is the most quoted figure in the research on account planning?",
        [passage(RESEARCH, "research-sam-statistics")],
    )
    texts = [u.text for u in picked]
    position = next(i for i, t in enumerate(texts) if t.startswith("It is the most quoted figure"))
    assert position > 0 and "11%" in texts[position - 1]


def test_a_list_of_questions_is_not_an_answer_unless_questions_are_asked(
    hash_embedding: EmbeddingFunction[Documents],
) -> None:
    extractor = Extractor(hash_embedding)
    sources = [passage(QUESTIONS, "module-3-strategic-account-plans", "Questions to ask"), passage(RESEARCH)]
    assert not any(u.is_list for u in extractor.pick("How do I keep a strategic account plan honest?", sources))
    asked = extractor.pick("Which questions keep a strategic account plan honest?", sources)
    assert any(u.is_list and len(u.items) == 3 for u in asked)


ROADMAP = (
    "A joint roadmap is a shared plan, written by the client and the supplier, of the improvements both will make "
    "over the next two years. The planning guide calls it the backbone of the account plan. It is not a sales "
    "forecast. A forecast predicts what we will sell; the roadmap states what both sides will change and why."
)
ROADMAP_PITFALLS = """\
The common pitfalls with a joint roadmap:
- A roadmap written by the supplier alone, which the client never reads or signs.
- A roadmap that is really a sales forecast with a new title on the first page.
- A roadmap nobody reviews once the annual planning meeting is over."""
ACQUISITION = (
    "A roadmap also needs revisiting when the client buys a competitor or merges with another company. Do not wait "
    "for the yearly planning cycle. Take it to the executive sponsors on both sides for their signature. The yearly "
    "planning cycle still checks the roadmap against the account plan. A competitor bought by the client changes "
    "the roadmap's priorities. The planning cycle is also when the roadmap owner can change."
)


def test_a_comparison_is_answered_by_the_defining_paragraph_not_by_pitfalls(
    hash_embedding: EmbeddingFunction[Documents],
) -> None:
    picked = Extractor(hash_embedding).pick(
        "Isn't a joint roadmap just a sales forecast with a different title?",
        [passage(ROADMAP_PITFALLS, "guide-roadmaps", "Pitfalls"), passage(ROADMAP, "guide-roadmaps", "What it is")],
    )
    texts = [u.full_text for u in picked]
    assert not any(u.is_list for u in picked)
    assert "It is not a sales forecast." in texts
    assert texts.index("It is not a sales forecast.") + 1 == texts.index(
        "A forecast predicts what we will sell; the roadmap states what both sides will change and why."
    )


def test_a_short_instruction_brings_the_sentence_that_says_how(hash_embedding: EmbeddingFunction[Documents]) -> None:
    picked = Extractor(hash_embedding).pick(
        "The client is buying a competitor; can the roadmap wait for the yearly planning cycle?",
        [passage(ACQUISITION, "guide-roadmaps", "When the client changes")],
    )
    texts = [u.text for u in picked]
    assert "Do not wait for the yearly planning cycle." in texts
    following = texts[texts.index("Do not wait for the yearly planning cycle.") + 1]
    assert following == "Take it to the executive sponsors on both sides for their signature."


def test_quoted_questions_are_questions_and_never_answer_a_question(
    hash_embedding: EmbeddingFunction[Documents],
) -> None:
    quoted = """\
Questions worth asking the sponsor:
- "Who in your organisation can approve a change to our agreement?"
- "Which measures should both of us be judged on next year?"
- "What would make you want to revisit the roadmap early?"
Only the executive sponsors who signed the roadmap can approve a change to it."""
    picked = Extractor(hash_embedding).pick("Who can approve a change to our roadmap?", [passage(quoted)])
    assert not any(u.is_list or u.text.endswith('?"') for u in picked)
    assert picked[0].text.startswith("Only the executive sponsors")
