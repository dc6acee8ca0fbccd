"""SAM Coach in the browser: `streamlit run ui/app.py` (or `samcoach serve`).

The entry script: page config, the runtime (one per process, or the one a test injected), the sidebar that says
who is signed in and which language-model backend answers, the first index build, and navigation over the pages.
"""

from __future__ import annotations

import streamlit as st

from assistant.llm import LLMUnavailable
from ui.components import show_error
from ui.runtime import UnknownUser, current_actor, current_runtime, ensure_index
from ui.views import backend_view, role_label

st.set_page_config(page_title="SAM Coach", page_icon=":material/explore:", layout="wide")
# Tighter page margins: at 1280×800 the default wide layout leaves the tables and charts ~800px.
st.html(
    "<style>[data-testid='stMainBlockContainer']"
    "{padding-top: 2.75rem; padding-left: 2rem; padding-right: 2rem; padding-bottom: 3rem}</style>"
)

# The page scripts live in screens/, not pages/: a pages/ folder beside the entry script switches Streamlit to
# its legacy multipage mode, where the first request for a deep link (or a switch_page) runs the page script
# alone, without this script's sidebar, index build and error handling.
PAGES = [
    st.Page("screens/portfolio.py", title="Portfolio", icon=":material/dashboard:", default=True),
    st.Page("screens/account.py", title="Account workspace", icon=":material/business_center:"),
    st.Page("screens/coach.py", title="Coach chat", icon=":material/forum:"),
    st.Page("screens/meeting.py", title="Prepare a meeting", icon=":material/event_note:"),
    st.Page("screens/learn.py", title="Learn", icon=":material/school:"),
]


def main() -> None:
    try:
        runtime = current_runtime()
    except Exception as exc:  # settings that cannot work, a database that cannot be opened
        show_error("SAM Coach could not start", exc)
        st.stop()
    try:
        actor = current_actor(runtime)
        # Building the assistant probes a configured model once; a backend that cannot work stops here, loudly.
        backend = backend_view(runtime.settings.llm, runtime.assistant.backend)
    except UnknownUser as exc:
        st.error(str(exc), icon=":material/person_off:")
        st.stop()
    except LLMUnavailable as exc:
        st.error(f"The language model backend is not available: {exc}", icon=":material/cloud_off:")
        st.stop()
    except Exception as exc:
        show_error("SAM Coach could not start", exc)
        st.stop()

    page = st.navigation(PAGES)
    with st.sidebar:
        st.markdown(f"**{actor.name}**  \n{role_label(actor.role.value)} · {runtime.settings.user_email}")
        model = f" · `{backend.model}`" if backend.model else ""
        st.markdown(f":material/memory: **{backend.kind}**{model}")
        st.caption(backend.detail)
    try:
        ensure_index(runtime)
    except Exception as exc:  # records still work without search; say so and carry on
        show_error("Building the knowledge index failed; search and coaching answers may be incomplete", exc)
    try:
        page.run()
    except Exception as exc:  # the last net: a page that failed still reads as a sentence, not a traceback
        show_error(f"The {page.title} page failed", exc)


main()
