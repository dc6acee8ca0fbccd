"""Knowledge search, document uploads (good, corrupt, unsupported, too big) and the learning path."""

from __future__ import annotations

from pathlib import Path

import httpx2

from tests.api.conftest import Api, MakeApi
from tests.knowledge.conftest import write_pdf

UPLOAD = "/v1/knowledge/documents"


def upload(api: Api, name: str, content: bytes, who: str = "dana") -> httpx2.Response:
    return api.post(UPLOAD, who=who, files={"file": (name, content, "application/octet-stream")})


def search(api: Api, q: str) -> list[dict[str, object]]:
    response = api.get("/v1/knowledge/search", params={"q": q, "k": 5, "include_notes": False})
    assert response.status_code == 200, response.text
    hits: list[dict[str, object]] = response.json()
    return hits


def test_search_returns_curriculum_passages_with_citations(api: Api) -> None:
    hits = api.get("/v1/knowledge/search", params={"q": "executive sponsor coaching", "k": 3}).json()
    assert 0 < len(hits) <= 3
    assert all(hit["kind"] in ("curriculum", "document", "note") and hit["label"] and hit["excerpt"] for hit in hits)
    scoped = api.get("/v1/knowledge/search", params={"q": "retirement", "account_id": api.account("acme")}).json()
    assert all(hit["account_id"] in (None, api.account("acme")) for hit in scoped)


def test_markdown_upload_is_saved_per_user_and_becomes_searchable(api: Api) -> None:
    content = b"# Quokka playbook\n\n## Renewal\n\nThe quokka renewal playbook starts nine months before expiry.\n"
    response = upload(api, "quokka-playbook.md", content)
    assert response.status_code == 201, response.text
    body = response.json()
    user_id = api.get("/v1/me").json()["id"]
    assert body["status"] == "added" and body["source"] == f"{user_id}/quokka-playbook.md" and body["chunks_written"]
    saved = api.runtime.settings.data_dir / "uploads" / str(user_id) / "quokka-playbook.md"
    assert saved.read_bytes() == content
    assert any(
        hit["kind"] == "document" and "quokka" in str(hit["excerpt"]).lower() for hit in search(api, "quokka renewal")
    )
    again = upload(api, "quokka-playbook.md", content)
    assert again.json()["status"] == "unchanged"


def test_pdf_upload_is_searchable_by_page(api: Api, tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "p.pdf", ["Narwhal governance cadence is monthly.", "Second page about walruses."])
    response = upload(api, "Narwhal Charter.pdf", pdf.read_bytes())
    assert response.status_code == 201, response.text
    hits = search(api, "narwhal governance cadence")
    assert any(hit["kind"] == "document" and hit["section"] == "page 1" for hit in hits)


def test_corrupt_pdf_is_a_422_naming_the_file_and_nothing_is_kept(api: Api) -> None:
    response = upload(api, "board-deck.pdf", b"%PDF-1.4\nthis is not really a pdf\n%%EOF")
    assert response.status_code == 422
    problem = response.json()
    assert problem["errors"][0]["field"] == "file"
    assert "board-deck.pdf" in problem["detail"] and "PDF" in problem["detail"]
    folder = api.runtime.settings.data_dir / "uploads" / str(api.get("/v1/me").json()["id"])
    assert list(folder.iterdir()) == []


def test_a_corrupt_reupload_keeps_the_good_copy(api: Api, tmp_path: Path) -> None:
    good = write_pdf(tmp_path / "good.pdf", ["Pangolin pricing committee meets quarterly."]).read_bytes()
    assert upload(api, "pricing.pdf", good).status_code == 201
    assert upload(api, "pricing.pdf", b"%PDF-1.4 broken").status_code == 422
    folder = api.runtime.settings.data_dir / "uploads" / str(api.get("/v1/me").json()["id"])
    assert [p.name for p in folder.iterdir()] == ["pricing.pdf"] and (folder / "pricing.pdf").read_bytes() == good
    assert any("pangolin" in str(hit["excerpt"]).lower() for hit in search(api, "pangolin pricing committee"))


def test_unsupported_type_is_415_before_anything_is_saved(api: Api) -> None:
    response = upload(api, "payload.exe", b"MZ\x90\x00")
    assert response.status_code == 415
    assert "payload.exe" in response.json()["detail"]
    assert not (api.runtime.settings.data_dir / "uploads").exists()
    assert upload(api, "../../etc/notes", b"text").status_code == 415


def test_upload_over_the_upload_limit_is_413_but_bigger_than_a_json_body_is_fine(make_api: MakeApi) -> None:
    api = make_api(max_request_bytes=1_000, max_upload_bytes=5_000)
    big_text = b"# Big\n\n" + b"lorem ipsum dolor sit amet " * 100  # ~2.7 KB: over the JSON limit, under uploads'
    assert upload(api, "big.md", big_text).status_code == 201
    response = upload(api, "huge.md", b"x" * 6_000)
    assert response.status_code == 413
    assert response.json()["status"] == 413


def test_lessons_list_and_detail_do_not_leak_answers(api: Api) -> None:
    lessons = api.get("/v1/lessons").json()
    assert len(lessons) >= 10 and lessons[0]["kind"] == "module"
    quizzed = next(lesson for lesson in lessons if lesson["quiz_questions"] and lesson["has_exercise"])
    detail = api.get(f"/v1/lessons/{quizzed['id']}")
    assert detail.status_code == 200
    body = detail.json()
    assert body["exercise_prompt"] and body["sections"] and len(body["quiz"]) == quizzed["quiz_questions"]
    assert all(set(q) == {"question", "options"} for q in body["quiz"])
    assert "model_answer" not in detail.text and "explanation" not in detail.text
    assert api.get("/v1/lessons/key 3").status_code == 404  # exact ids only


def test_quiz_and_exercise_give_feedback(api: Api) -> None:
    lesson = next(
        lesson for lesson in api.get("/v1/lessons").json() if lesson["quiz_questions"] and lesson["has_exercise"]
    )
    answers = [0] * lesson["quiz_questions"]
    result = api.post(f"/v1/lessons/{lesson['id']}/quiz", json={"answers": answers})
    assert result.status_code == 200, result.text
    assert result.json()["total"] == lesson["quiz_questions"] and len(result.json()["feedback"]) == len(answers)
    wrong_count = api.post(f"/v1/lessons/{lesson['id']}/quiz", json={"answers": [0]})
    if lesson["quiz_questions"] != 1:
        assert wrong_count.status_code == 422 and wrong_count.json()["errors"][0]["field"] == "answers"
    feedback = api.post(f"/v1/lessons/{lesson['id']}/exercise", json={"answer": "Find a sponsor and map value."})
    assert feedback.status_code == 200, feedback.text
    assert 0 <= feedback.json()["score"] <= 1 and feedback.json()["model_answer"]
    assert api.post("/v1/lessons/no-such-lesson/exercise", json={"answer": "x"}).status_code == 404
