"""The extraction demo data (idempotent), registered in DEMO_SEEDERS: the two seed articles, read and waiting for
review by the Lai Châu and TP Hồ Chí Minh centres (the events demo already holds both tours, so accepting them
merges into those events), and one rejected page."""

from pathlib import Path

from khuyencong.accounts.models import User

from .models import ArticleExtraction, ExtractionStatus
from .services import extraction_reject, extraction_submit

SEEDS = Path(__file__).parent / "data" / "demo_articles"  # the two seed articles of the project

ARTICLES = [
    ("ttkc.hcm", "binh_duong_2018.txt", "Sở Công Thương tỉnh Bình Dương", ""),
    ("ttkc.laichau", "lai_chau_2016.txt", "Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Lai Châu", ""),
]
NOT_AN_ACTIVITY = ("Thông báo lịch tiếp công dân tháng 6 năm 2024 của Sở Công Thương.\n\n"
                   "Sở Công Thương thông báo lịch tiếp công dân định kỳ vào ngày 15 hằng tháng tại trụ sở cơ quan.")


def seed(stdout=None) -> None:
    users = {u.username: u for u in User.objects.filter(username__in=["ttkc.hcm", "ttkc.laichau"])}
    made = 0
    for username, name, source, url in ARTICLES:
        user = users.get(username)
        text = (SEEDS / name).read_text(encoding="utf-8")
        if user is None or ArticleExtraction.objects.filter(source_title=source).exists():
            continue
        extraction_submit(actor=user, text=text, source_title=source, source_url=url)
        made += 1
    user = users.get("ttkc.laichau")
    if user is not None and not ArticleExtraction.objects.filter(status=ExtractionStatus.REJECTED).exists():
        extraction = extraction_submit(actor=user, text=NOT_AN_ACTIVITY, source_title="Cổng thông tin Sở Công Thương")
        extraction_reject(actor=user, extraction=extraction, version=extraction.version,
                          reason="Không phải bài về hoạt động khuyến công.")
        made += 1
    if stdout and made:
        stdout.write(f"  Bài viết đọc thành bản ghi: {made}")
