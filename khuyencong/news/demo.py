"""The news demo data (idempotent), registered in DEMO_SEEDERS: published articles about the demo events of Lai Châu,
Tây Ninh, Cần Thơ and TP Hồ Chí Minh — among them our own rewritten summaries of the two source articles (the 2016 Lai
Châu tour and the 2018 Bình Dương tour), each citing its source — one national article, one article waiting for
review and one draft. An article whose title already exists in its province is left alone."""

import datetime

from khuyencong.accounts.models import User
from khuyencong.events.models import Event
from khuyencong.geo.models import AdminUnit

from . import services
from .models import Article, Category

D = datetime.date

# Province code → (writer, reviewer) usernames of accounts/demo.py; the administrator stands in where a province has
# no DoIT account.
ACTORS = {12: ("ttkc.laichau", "sct.laichau"), 80: ("ttkc.tayninh", "sct.tayninh"), 92: ("ttkc.cantho", "admin"),
          79: ("ttkc.hcm", "admin"), None: ("cuc.dck", "cuc.dck")}

ARTICLES = [
    {
        "province": 12, "event": "Đoàn học tập kinh nghiệm hoạt động khuyến công tại Hải Phòng, Quảng Ninh và Yên Bái",
        "title": "Trung tâm Khuyến công và Xúc tiến thương mại Lai Châu học tập kinh nghiệm tại Hải Phòng, Quảng Ninh "
                 "và Yên Bái",
        "lead": "Từ ngày 28/11 đến ngày 06/12/2016, đoàn công tác của tỉnh Lai Châu đã làm việc với ngành Công Thương "
                "ba tỉnh, thành phố về khuyến công quốc gia và địa phương, rồi thăm các cơ sở công nghiệp nông thôn "
                "được chương trình khuyến công hỗ trợ.",
        "body": "Đoàn do Trung tâm Khuyến công và Xúc tiến thương mại Lai Châu tổ chức, gồm đại diện Sở Công Thương, "
                "Trung tâm, Phòng Kinh tế thành phố Lai Châu, Phòng Kinh tế và Hạ tầng các huyện Sìn Hồ, Than Uyên và "
                "một số cơ sở công nghiệp nông thôn của tỉnh.\n\n"
                "Các buổi làm việc tập trung vào đào tạo nghề, truyền nghề; nâng cao năng lực quản lý; mô hình trình "
                "diễn kỹ thuật, chuyển giao công nghệ; phát triển sản phẩm công nghiệp nông thôn và tư vấn công "
                "nghiệp; đặc biệt là kinh nghiệm tham mưu cơ chế, chính sách hỗ trợ cơ sở công nghiệp nông thôn.\n\n"
                "Theo đoàn, chuyến đi giúp cán bộ khuyến công của tỉnh thêm kinh nghiệm quản lý, giám sát đề án, "
                "quản lý cụm công nghiệp và tháo gỡ vướng mắc khi thanh quyết toán đề án khuyến công.\n\n"
                "Ghi chú: Yên Bái nay thuộc tỉnh Lào Cai; Hải Phòng nay gồm cả tỉnh Hải Dương cũ.",
        "category": Category.TOUR, "byline": "Ban biên tập",
        "source_name": "Bài của tác giả Trần Quang Quyết, Trung tâm Khuyến công và Xúc tiến thương mại Lai Châu "
                       "(29/11/2016); bài này tóm tắt lại.",
        "published_on": D(2016, 12, 9), "status": "published",
    },
    {
        "province": 79, "event": "Học tập kinh nghiệm duy trì, nâng cao hiệu quả hoạt động cộng tác viên khuyến công "
                                 "tại Long An và Hậu Giang",
        "title": "Bình Dương học tập kinh nghiệm duy trì mạng lưới cộng tác viên khuyến công tại Long An và Hậu Giang",
        "lead": "Ngày 17 và 18/5/2018, Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Bình Dương đưa đoàn gồm "
                "các phòng của Trung tâm và 10 cộng tác viên khuyến công đến học tập kinh nghiệm tại Long An và Hậu "
                "Giang.",
        "body": "Chuyến đi thuộc kế hoạch khuyến công địa phương năm 2018, chương trình nâng cao năng lực quản lý và "
                "tổ chức thực hiện hoạt động khuyến công. Đoàn do bà Phan Thị Khánh Duyên làm trưởng đoàn.\n\n"
                "Đoàn làm việc với Sở Công Thương và Trung tâm Khuyến công của hai tỉnh, cùng cộng tác viên địa "
                "phương đi thăm một số mô hình khuyến công tiêu biểu và cơ sở công nghiệp nông thôn.\n\n"
                "Từ chuyến đi, đoàn rút ra bài học về tổ chức và duy trì mạng lưới cộng tác viên phù hợp với điều "
                "kiện của tỉnh.\n\n"
                "Ghi chú: Bình Dương nay thuộc Thành phố Hồ Chí Minh; Long An nay thuộc tỉnh Tây Ninh; Hậu Giang nay "
                "thuộc thành phố Cần Thơ.",
        "category": Category.TOUR, "byline": "Ban biên tập",
        "source_name": "Bài của tác giả Hồng Ân, Trung tâm Khuyến công (đăng trên trang của Sở Công Thương Bình Dương, "
                       "2018); bài này tóm tắt lại.",
        "published_on": D(2018, 5, 25), "status": "published",
    },
    {
        "province": 80, "event": "Truyền nghề làm bánh tráng phơi sương",
        "title": "Khai giảng lớp truyền nghề làm bánh tráng phơi sương",
        "lead": "Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Tây Ninh mở lớp truyền nghề làm bánh tráng phơi "
                "sương cho lao động nông thôn.",
        "body": "Lớp học do nghệ nhân của làng nghề trực tiếp hướng dẫn, kết hợp lý thuyết với thực hành tại cơ sở.\n\n"
                "Học viên hoàn thành khóa học được các cơ sở trong làng nghề giới thiệu việc làm.",
        "category": Category.TRAINING, "byline": "Lê Minh Tâm", "published_on": D(2025, 8, 5), "status": "published",
    },
    {
        "province": 92, "event": "Đào tạo nghề đan lục bình",
        "title": "Đào tạo nghề đan lục bình cho lao động nông thôn Cần Thơ",
        "lead": "Lớp đào tạo nghề đan lục bình giúp lao động nông thôn có thêm nghề phụ từ nguồn nguyên liệu sẵn có.",
        "body": "Học viên được hướng dẫn sơ chế lục bình, đan các mẫu giỏ, thảm theo đơn hàng của cơ sở.\n\n"
                "Sản phẩm của lớp được cơ sở thu mua để xuất khẩu.",
        "category": Category.TRAINING, "byline": "Trương Văn Lộc", "published_on": D(2023, 9, 25),
        "status": "published",
    },
    {
        "province": 12, "event": "Đào tạo nghề dệt thổ cẩm cho lao động nông thôn",
        "title": "Lớp dệt thổ cẩm tại bản: học nghề gắn với việc làm",
        "lead": "Lớp đào tạo nghề dệt thổ cẩm cho lao động nông thôn được mở ngay tại bản, học viên được hợp tác xã "
                "nhận vào làm sau khóa học.",
        "body": "Khóa học kéo dài hơn hai tuần, do nghệ nhân của bản hướng dẫn.\n\n"
                "Mô hình này đã được nhiều tỉnh đến học tập kinh nghiệm.",
        "category": Category.MODEL, "byline": "Nguyễn Thị Thu Hà", "published_on": D(2024, 6, 24),
        "status": "published",
    },
    {
        "province": None, "event": None,
        "title": "Cổng thông tin khuyến công đăng tin hoạt động của các trung tâm khuyến công",
        "lead": "Từ nay, tin về các hoạt động khuyến công của các tỉnh, thành phố được đăng trên cổng thông tin và "
                "có thể theo dõi qua nguồn tin Atom.",
        "body": "Mỗi bài viết do trung tâm khuyến công biên soạn, được Sở Công Thương duyệt trước khi đăng. Bài viết "
                "dẫn nguồn khi sử dụng thông tin từ nơi khác.",
        "category": Category.NOTICE, "byline": "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công",
        "published_on": D(2026, 11, 2), "status": "published",
    },
    {
        "province": 80, "event": "Học tập kinh nghiệm đào tạo nghề cho lao động dân tộc thiểu số tại Lai Châu",
        "title": "Tây Ninh học tập kinh nghiệm đào tạo nghề cho lao động dân tộc thiểu số tại Lai Châu",
        "lead": "Đoàn của tỉnh Tây Ninh tìm hiểu cách Lai Châu mở lớp dệt thổ cẩm tại bản gắn với việc làm.",
        "body": "Bài viết đang chờ Sở Công Thương duyệt.",
        "category": Category.TOUR, "byline": "Lê Minh Tâm", "status": "review",
    },
    {
        "province": 79, "event": "Tổ chức Hội chợ sản phẩm công nghiệp nông thôn TP Hồ Chí Minh 2026",
        "title": "Chuẩn bị Hội chợ sản phẩm công nghiệp nông thôn Thành phố Hồ Chí Minh 2026",
        "lead": "Bản nháp: thông tin về thời gian, địa điểm và cách đăng ký gian hàng.",
        "body": "Bản nháp, chưa gửi duyệt.",
        "category": Category.FAIR, "byline": "Võ Thị Ngọc Trâm", "status": "draft",
    },
]

STEPS = {"draft": [], "review": ["submit"], "published": ["submit", "approve", "publish"]}


def seed(stdout=None) -> None:
    users = {u.username: u for u in User.objects.filter(
        username__in={name for pair in ACTORS.values() for name in pair})}
    provinces = {p.code: p for p in AdminUnit.objects.current().provinces().filter(code__in=[12, 80, 92, 79])}
    made = 0
    for row in ARTICLES:
        code = row["province"]
        province = provinces.get(code) if code else None
        if code and province is None:
            continue
        if Article.objects.filter(province=province, title=row["title"]).exists():
            continue
        writer, reviewer = (users.get(name) or users.get("admin") for name in ACTORS[code])
        if writer is None or reviewer is None:
            continue
        links = {}
        if row["event"]:
            links["events"] = list(Event.objects.filter(title=row["event"], province=province)[:1])
        data = {k: row.get(k, "") for k in ("title", "lead", "body", "category", "byline", "source_name")}
        data["published_on"] = row.get("published_on")
        article = services.article_create(actor=writer, province=province, data=data, links=links)
        for action in STEPS[row["status"]]:
            actor = reviewer if action == "approve" else writer
            article.refresh_from_db()
            services.article_transition(actor=actor, article=article, action=action, version=article.version)
        made += 1
    if stdout is not None and made:
        stdout.write(f"  Tin tức: {made} bài viết.\n")
