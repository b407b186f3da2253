"""Vocabularies of the events module: kinds of event, the KC contents each kind may be financed under, the topics a
study tour or a lesson is about, and which rate variant of the rules a budget line asks for.

These are classifications, not legal figures: the amounts and percentages always come from the rules app.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    STUDY_TOUR_DOMESTIC = "study_tour_domestic", _("Study tour (domestic)")
    STUDY_TOUR_OVERSEAS = "study_tour_overseas", _("Study tour (overseas)")
    TRAINING = "training", _("Training course")
    WORKSHOP = "workshop", _("Workshop or seminar")
    REVIEW_CONFERENCE = "review_conference", _("Review conference")
    FAIR_ORGANISED = "fair_organised", _("Fair or exhibition organised")
    FAIR_ATTENDED = "fair_attended", _("Fair or exhibition attended")


STUDY_TOURS = (EventKind.STUDY_TOUR_DOMESTIC, EventKind.STUDY_TOUR_OVERSEAS)
FAIRS = (EventKind.FAIR_ORGANISED, EventKind.FAIR_ATTENDED)


class Audience(models.TextChoices):
    """Whom a study tour is for: it decides the KC content (NĐ 45/2012 Art 4.9.b for officials, Art 4.2 for
    establishments)."""

    OFFICIALS = "officials", _("KC officials")
    ESTABLISHMENTS = "establishments", _("Rural industrial establishments")
    MIXED = "mixed", _("Officials and establishments")


# The contents of the catalogue (rules app) each kind may be financed under; the first is the default.
# Officials' domestic tours: Art 4.9.b (kc_capacity); overseas exchanges of officials: Art 4.8 (international
# cooperation); establishments' tours at home or abroad: Art 4.2 (study_tour_establishment).
KIND_CONTENTS: dict[str, tuple[str, ...]] = {
    EventKind.STUDY_TOUR_DOMESTIC: ("kc_capacity", "study_tour_establishment"),
    EventKind.STUDY_TOUR_OVERSEAS: ("study_tour_establishment", "international_cooperation"),
    EventKind.TRAINING: ("training", "kc_capacity", "management_capacity"),
    EventKind.WORKSHOP: ("kc_capacity", "management_capacity", "cleaner_production", "cluster_investment_promotion",
                         "international_cooperation"),
    EventKind.REVIEW_CONFERENCE: ("kc_capacity",),
    EventKind.FAIR_ORGANISED: ("fair_domestic_organise", "fair_overseas"),
    EventKind.FAIR_ATTENDED: ("fair_domestic_participate", "fair_overseas"),
}

# For a study tour, the audience narrows the contents further.
AUDIENCE_CONTENTS: dict[tuple[str, str], tuple[str, ...]] = {
    (EventKind.STUDY_TOUR_DOMESTIC, Audience.OFFICIALS): ("kc_capacity",),
    (EventKind.STUDY_TOUR_DOMESTIC, Audience.ESTABLISHMENTS): ("study_tour_establishment",),
    (EventKind.STUDY_TOUR_DOMESTIC, Audience.MIXED): ("kc_capacity", "study_tour_establishment"),
    (EventKind.STUDY_TOUR_OVERSEAS, Audience.OFFICIALS): ("international_cooperation",),
    (EventKind.STUDY_TOUR_OVERSEAS, Audience.ESTABLISHMENTS): ("study_tour_establishment",),
    (EventKind.STUDY_TOUR_OVERSEAS, Audience.MIXED): ("study_tour_establishment", "international_cooperation"),
}


def allowed_contents(kind: str, audience: str = "") -> tuple[str, ...]:
    if kind in STUDY_TOURS and audience:
        return AUDIENCE_CONTENTS.get((kind, audience), ())
    return KIND_CONTENTS.get(kind, ())


class Topic(models.TextChoices):
    COLLABORATOR_NETWORK = "collaborator_network", _("Collaborator network")
    PROJECT_MANAGEMENT = "project_management", _("Project management")
    SUPERVISION = "supervision", _("Supervision and inspection")
    SETTLEMENT = "settlement", _("Settlement")
    TRAINING = "training", _("Vocational training and craft transmission")
    DEMONSTRATION_MODELS = "demonstration_models", _("Demonstration models")
    TECHNOLOGY_TRANSFER = "technology_transfer", _("Technology transfer and machinery")
    PRODUCT_DEVELOPMENT = "product_development", _("Product development")
    CLUSTER_MANAGEMENT = "cluster_management", _("Industrial cluster management")
    CONSULTING_SERVICES = "consulting_services", _("Consulting services")
    TRADE_PROMOTION = "trade_promotion", _("Trade promotion and fairs")
    POLICY = "policy", _("Support policy")
    MANAGEMENT_CAPACITY = "management_capacity", _("KC management capacity")


# The topics in the administration's own words, put into the folded search text so that "mang luoi cong tac vien"
# finds a lesson filed under the topic even in an English session (domain data, like the law's words in rules).
TOPIC_NAMES_VI = {
    "collaborator_network": "mạng lưới cộng tác viên khuyến công",
    "project_management": "quản lý đề án khuyến công",
    "supervision": "kiểm tra, giám sát",
    "settlement": "thanh quyết toán",
    "training": "đào tạo nghề, truyền nghề",
    "demonstration_models": "mô hình trình diễn kỹ thuật",
    "technology_transfer": "chuyển giao công nghệ, máy móc thiết bị",
    "product_development": "phát triển sản phẩm công nghiệp nông thôn",
    "cluster_management": "quản lý cụm công nghiệp",
    "consulting_services": "tư vấn công nghiệp",
    "trade_promotion": "xúc tiến thương mại, hội chợ triển lãm",
    "policy": "cơ chế chính sách hỗ trợ",
    "management_capacity": "nâng cao năng lực quản lý khuyến công",
}


class LineKind(models.TextChoices):
    TRANSPORT = "transport", _("Transport")
    PER_DIEM = "per_diem", _("Per-diem and meals")
    LODGING = "lodging", _("Lodging")
    AIRFARE = "airfare", _("Airfare")
    BOOTH_RENT = "booth_rent", _("Booth rent")
    VENUE = "venue", _("Venue and equipment")
    TEACHERS = "teachers", _("Teachers and speakers")
    MATERIALS = "materials", _("Materials and documents")
    PUBLICITY = "publicity", _("Publicity")
    OTHER = "other", _("Other")


# Which rate variant of the rules a line asks for, by (content, line kind, overseas?). A line not listed asks for the
# content's standard rate; where the rules hold none, the quote says so. E.g. the 100 % airfare of establishments'
# overseas study trips (TTLT 26/2014) is the variant "overseas_airfare" of study_tour_establishment.
LINE_VARIANTS: dict[tuple[str, str, bool], str] = {
    ("study_tour_establishment", LineKind.AIRFARE, True): "overseas_airfare",
}

# Lines of costs borne for people: the KC fund pays these for participants who are not state-paid
# (settlement needs their payment lists, TT 36/2013 Art 13–14); state-paid members claim per-diem from their agency.
PERSONAL_LINES = (LineKind.PER_DIEM, LineKind.LODGING)


def line_variant(content_code: str, line_kind: str, overseas: bool) -> str:
    return LINE_VARIANTS.get((content_code, line_kind, overseas), "")
