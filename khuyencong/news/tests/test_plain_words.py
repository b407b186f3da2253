"""The news pages read in plain Vietnamese for the demo roles and for an anonymous reader (the crawl's checks of
web/tests/test_crawl.py, started from the news pages so the menu's page limit does not leave them out)."""

import pytest

from khuyencong.accounts.models import User
from khuyencong.news.models import Article
from khuyencong.web.tests.test_crawl import _Page, leaks

from .helpers import seed_news_demo

pytestmark = pytest.mark.django_db


def _check(client, urls):
    found = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        if "text/html" not in response["Content-Type"]:
            continue
        page = _Page()
        page.feed(response.content.decode())
        found += [f"{url}: {leak}" for leak in leaks("\n".join(page.text))]
    assert not found, "\n".join(found[:20])


def test_news_pages_in_plain_vietnamese(client):
    seed_news_demo()
    public = Article.objects.filter(status="published").select_related("province")
    public_urls = ["/tin-tuc/", "/tin-tuc/?tinh=0", "/tin-tuc/tinh/12/", "/tin-tuc/?q=cong+tac+vien"]
    public_urls += [f"/tin-tuc/{a.province_code}/{a.slug}/" for a in public]
    _check(client, public_urls)
    for username in ("ttkc.laichau", "sct.laichau", "cuc.dck", "ttkc.hcm"):
        client.force_login(User.objects.get(username=username))
        urls = ["/news/manage/", "/news/manage/?status=review"]
        urls += [f"/news/manage/{a.pk}/" for a in Article.objects.all()[:10]]
        if username.startswith("ttkc"):
            urls.append("/news/manage/new/")
        _check(client, [u for u in urls if client.get(u).status_code == 200])
