"""The inbox lists the articles waiting for the user's step: review for the DoIT, publishing for the centre."""

import datetime

import pytest

from khuyencong.news.inbox import inbox_groups

from .helpers import make_article, move

pytestmark = pytest.mark.django_db


def test_waiting_articles(writer, reviewer, other_writer):
    today = datetime.date.today()
    article = move(make_article(writer), (writer, "submit"))
    [group] = inbox_groups(reviewer, today)
    assert group.total == 1 and group.items[0].title == article.title
    assert inbox_groups(writer, today)[0].total == 0
    move(article, (reviewer, "approve"))
    assert inbox_groups(writer, today)[0].total == 1
    assert inbox_groups(other_writer, today)[0].total == 0
