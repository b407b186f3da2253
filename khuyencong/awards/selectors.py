"""Every read of the awards shared by pages, exports and the API: scoped, free of N+1, with the page figures."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from khuyencong.accounts.scope import user_scope
from khuyencong.core.errors import InvalidInput
from khuyencong.core.text import fold
from khuyencong.rules import engine

from .models import (
    PHOTO_KINDS,
    Body,
    Certificate,
    Entry,
    EntryDocument,
    EntryStatus,
    Member,
    Round,
    ScoreSheet,
)


def _juror_rounds(user):
    return Member.objects.filter(user=user, body=Body.JURY).values("round_id") if user.is_authenticated else []


def round_list(user, *, year: int | None = None, level: str = "", status: str = "") -> QuerySet[Round]:
    scope = user_scope(user)
    qs = Round.objects.select_related("province").annotate(entry_count=Count("entries"))
    if not scope.national:
        provinces = scope.province_ids | scope.commune_province_ids
        qs = qs.filter(Q(province__in=provinces) | Q(province__isnull=True) | Q(pk__in=_juror_rounds(user)))
    if year:
        qs = qs.filter(year=year)
    if level:
        qs = qs.filter(level=level)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-year", "name")


def round_get(user, pk: int) -> Round | None:
    return round_list(user).filter(pk=pk).first()


def entry_list(user, *, round_: Round | None = None, q: str = "", status: str = "") -> QuerySet[Entry]:
    scope = user_scope(user)
    qs = Entry.objects.select_related("round", "establishment", "province", "certificate")
    if round_ is not None:
        qs = qs.filter(round=round_)
    if not scope.national:
        qs = qs.filter(Q(province__in=scope.province_ids) | Q(round__in=_juror_rounds(user)))
    for word in fold(q).split()[:8]:
        qs = qs.filter(search_text__contains=word)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("round__year", "product_name")


def entry_get(user, pk: int) -> Entry | None:
    return entry_list(user).filter(pk=pk).first()


def round_figures(round_: Round) -> dict:
    """The round's counts by entry status (the same numbers on the page and in the API)."""
    counts = dict(round_.entries.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return {"entries": sum(counts.values()), "certified": counts.get(EntryStatus.CERTIFIED, 0)
            + counts.get(EntryStatus.NOMINATED, 0),
            "passed": sum(counts.get(s, 0) for s in (EntryStatus.PASSED, EntryStatus.CERTIFIED,
                                                     EntryStatus.NOT_SELECTED, EntryStatus.NOMINATED)),
            "failed": counts.get(EntryStatus.FAILED, 0),
            "waiting": counts.get(EntryStatus.SUBMITTED, 0) + counts.get(EntryStatus.SCREENED, 0)}


def my_sheets(user) -> QuerySet[ScoreSheet]:
    return ScoreSheet.objects.filter(juror__user=user).select_related("entry", "entry__round", "juror")


def my_entries_to_score(user) -> QuerySet[Entry]:
    """Entries waiting for this juror's sheet (the round judging, the dossier accepted)."""
    if not user.is_authenticated:
        return Entry.objects.none()
    return (Entry.objects.filter(round__members__user=user, round__members__body=Body.JURY,
                                 round__status="judging", status=EntryStatus.SCREENED)
            .select_related("round", "establishment").distinct().order_by("round__name", "product_name"))


# --- the public catalogue ---------------------------------------------------------------------------------------------


def _published(today: datetime.date) -> QuerySet[Entry]:
    """Certified products whose producer agreed to publish, with a certificate not revoked (the latest level)."""
    return (Entry.objects.filter(publish_consent=True, certificate__isnull=False,
                                 certificate__revoked_on__isnull=True)
            .select_related("round", "establishment", "province", "certificate", "establishment__commune"))


def catalogue(*, q: str = "", province: int | None = None, former: int | None = None, group: str = "", level: str = "",
              year: int | None = None, today: datetime.date | None = None) -> QuerySet[Entry]:
    today = today or timezone.localdate()
    qs = _published(today)
    for word in fold(q).split()[:8]:  # every word, in any order, without diacritics
        qs = qs.filter(search_text__contains=word)
    if province:
        qs = qs.filter(province__code=province)
    if former:  # a province before 1/7/2025: the former unit the registry recorded (a commune, district or province)
        qs = qs.filter(Q(establishment__legacy_unit__province__code=former, establishment__legacy_unit__scheme="legacy")
                       | Q(establishment__legacy_unit__code=former, establishment__legacy_unit__level="province",
                           establishment__legacy_unit__scheme="legacy"))
    if group:
        qs = qs.filter(group=group)
    if level:
        qs = qs.filter(certificate__level=level)
    if year:
        qs = qs.filter(certificate__issued_on__year=year)
    photo = EntryDocument.objects.filter(entry=OuterRef("pk"), kind__in=PHOTO_KINDS)
    return qs.annotate(has_photo=Exists(photo)).order_by("-certificate__issued_on", "product_name")


def public_entry(pk: int) -> Entry | None:
    return _published(timezone.localdate()).filter(pk=pk).first()


def certificate_by_code(code: str) -> Certificate | None:
    code = (code or "").strip().upper()[:16]
    if not code:
        return None
    return Certificate.objects.select_related("entry", "entry__establishment", "entry__round",
                                              "entry__province").filter(code=code).first()


# --- figures shown with a round and on other modules' pages -----------------------------------------------------------


def round_prize(round_: Round) -> engine.ParameterValue | None:
    """The prize per certified product of the round's level in force when the round opens (TTLT 26/2014/TTLT-BTC-BCT
    Điều 6.2.g; later amounts unverified: rule rows). None when no rule row sets one (a local round's prize is the
    province's to set)."""
    try:
        return engine.parameter(f"awards-prize-{round_.level}", round_.intake_start)
    except InvalidInput:
        return None


def valid_certificates_of_project(project_id: int, on_date: datetime.date) -> QuerySet[Certificate]:
    """The certificates the project's beneficiaries hold on the date (not revoked, within their validity), in one
    query: their products have priority for KC support (TT 26/2014/TT-BCT Điều 21)."""
    return (Certificate.objects.filter(entry__establishment__kc_project_links__project_id=project_id,
                                       revoked_on__isnull=True, issued_on__lte=on_date, valid_until__gte=on_date)
            .select_related("entry").order_by("entry__product_name", "-issued_on").distinct())
