"""Extractions are scoped by the organiser's province today: a Lai Châu reviewer neither sees nor decides a Tây Ninh
article."""

from khuyencong.accounts.tests.factories import province
from khuyencong.testing.scope import ScopedCase, register, unscoped

from ..models import ArticleExtraction


def _make(code: int):
    return ArticleExtraction.objects.create(
        text=f"Bài viết về đoàn công tác của tỉnh mã {code}.", title=f"Bài viết phạm vi {code}",
        province=province(code), record={})


register(ScopedCase(
    name="extraction_article",
    make=_make,
    marker=lambda x: x.title,
    list_urls=["/extraction/", "/extraction/?status=pending", "/extraction/?q=pham+vi", "/api/v1/extractions",
               "/api/v1/extractions?status=pending"],
    detail_urls=lambda x: [f"/extraction/{x.pk}/", f"/api/v1/extractions/{x.pk}"],
    change_requests=lambda x: [
        ("POST", f"/extraction/{x.pk}/accept/", {"version": x.version, "title": "Bị sửa", "kind": "workshop",
                                                 "fund": "local", "start_date": "01/02/2020",
                                                 "end_date": "01/02/2020"}),
        ("POST", f"/extraction/{x.pk}/reject/", {"version": x.version, "reason": "x"}),
        ("POST", f"/api/v1/extractions/{x.pk}/accept", {"version": x.version}),
        ("POST", f"/api/v1/extractions/{x.pk}/reject", {"version": x.version, "reason": "x"}),
    ],
    covers=["extraction_list", "extraction_detail", "extraction_accept", "extraction_reject",
            "api:extraction_list_api", "api:extraction_detail_api", "api:extraction_accept_api",
            "api:extraction_reject_api"],
    sees_province=("doit_officer", "doit_manager", "centre_staff"),
))

unscoped("api:article_extract", "Reads the text sent and answers with the record; it keeps nothing unless asked, and "
                                "then files the record under the organiser's province like the paste page.")
