"""The news API: create, change with the version (409 when stale), the lifecycle's steps, bad input as 4xx."""

import pytest

from .helpers import make_article

pytestmark = pytest.mark.django_db

BODY = {"title": "Tin từ API", "lead": "Tóm tắt.", "body": "<p>Nội dung <em>mới</em></p>", "category": "activity"}


def test_create_update_and_steps(client, writer, reviewer):
    client.force_login(writer)
    created = client.post("/api/v1/news/articles", {**BODY, "province": 12}, content_type="application/json")
    assert created.status_code == 201, created.content
    article = created.json()
    assert article["status"] == "draft" and article["body"] == "<p>Nội dung <em>mới</em></p>"
    assert [a["action"] for a in article["actions"]] == ["submit"]
    url = f"/api/v1/news/articles/{article['id']}"
    ok = client.put(url, {**BODY, "title": "Tin đã sửa", "version": article["version"]},
                    content_type="application/json")
    assert ok.status_code == 200 and ok.json()["title"] == "Tin đã sửa"
    stale = client.put(url, {**BODY, "version": article["version"]}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"]
    step = client.post(f"{url}/actions/submit", {"version": ok.json()["version"]}, content_type="application/json")
    assert step.status_code == 200 and step.json()["status"] == "review"
    refused = client.post(f"{url}/actions/approve", {}, content_type="application/json")
    assert refused.status_code == 403
    client.force_login(reviewer)
    assert client.post(f"{url}/actions/approve", {}, content_type="application/json").json()["status"] == "approved"


def test_bad_input_is_a_clear_4xx(client, writer):
    client.force_login(writer)
    bad = client.post("/api/v1/news/articles", {**BODY, "category": "x", "province": 12},
                      content_type="application/json")
    assert bad.status_code == 422 and set(bad.json()) >= {"code", "detail"}
    bad = client.post("/api/v1/news/articles", {**BODY, "source_url": "javascript:alert(1)", "province": 12},
                      content_type="application/json")
    assert bad.status_code == 422
    bad = client.post("/api/v1/news/articles", {**BODY, "province": 80}, content_type="application/json")
    assert bad.status_code == 403
    article = make_article(writer)
    unknown = client.post(f"/api/v1/news/articles/{article.pk}/actions/fly", {}, content_type="application/json")
    assert unknown.status_code == 422
    assert client.get("/api/v1/news/articles/999999").status_code == 404
