"""The demo: the two seed articles waiting for review in their centres' provinces, one rejected page; idempotent."""

import io

import pytest

from khuyencong.accounts import demo as accounts_demo
from khuyencong.extraction import demo
from khuyencong.extraction.models import ArticleExtraction, ExtractionStatus

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_explorable(admin_units):
    accounts_demo.seed()
    out = io.StringIO()
    demo.seed(out)
    demo.seed(io.StringIO())
    assert ArticleExtraction.objects.count() == 3
    pending = {x.province.code: x for x in ArticleExtraction.objects.filter(status=ExtractionStatus.PENDING)}
    assert set(pending) == {12, 79}
    assert pending[79].record["organiser"]["value"]["province_code_then"] == 74
    assert pending[79].record["organiser"]["value"]["organisation_id"] is not None
    assert ArticleExtraction.objects.filter(status=ExtractionStatus.REJECTED).count() == 1
    assert "Bài viết" in out.getvalue()
