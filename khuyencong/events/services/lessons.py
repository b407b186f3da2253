"""Lessons learned, their follow-ups and model practices: read by every province, changed by the author's."""

from django.db import transaction
from django.utils.translation import gettext as _

from khuyencong.accounts.scope import roles_in, user_scope
from khuyencong.core.audit import audit_record, field_changes
from khuyencong.core.errors import InvalidInput, PermissionDenied
from khuyencong.core.text import fold, normalize_text
from khuyencong.core.versions import versioned_update
from khuyencong.geo.models import AdminUnit, Level, Scheme

from ..models import Event, FollowUp, FollowUpKind, FollowUpStatus, Lesson, ModelPractice
from ..permissions import can_edit_lesson, can_edit_practice, can_mark_practice, can_write_lesson
from ..vocab import TOPIC_NAMES_VI, Topic
from .common import current_province_of, require

LESSON_FIELDS = ("topic", "title", "practice", "province", "place_then", "organisation", "organisation_name", "site",
                 "establishment", "why_it_works", "how_to_apply", "event", "observed_on")


def lesson_search_text(lesson: Lesson, followups=()) -> str:
    parts = [lesson.title, lesson.practice, lesson.why_it_works, lesson.how_to_apply, lesson.site,
             lesson.organisation_name, lesson.organisation.name if lesson.organisation_id else "",
             lesson.province.name, lesson.place_then.name if lesson.place_then_id else "",
             TOPIC_NAMES_VI.get(lesson.topic, ""), str(Topic(lesson.topic).label) if lesson.topic else ""]
    parts += [f.proposal for f in followups]
    return fold(" | ".join(p for p in parts if p))


def _refresh_lesson_search(lesson: Lesson) -> None:
    lesson.search_text = lesson_search_text(lesson, lesson.followups.all())
    Lesson.objects.filter(pk=lesson.pk).update(search_text=lesson.search_text)


def _clean_lesson(actor, data: dict, current: Lesson | None = None) -> dict:
    merged = {name: getattr(current, name) for name in LESSON_FIELDS} if current else {}
    merged.update({k: v for k, v in data.items() if k in LESSON_FIELDS})
    if merged.get("topic") not in Topic.values:
        raise InvalidInput(_("Choose the lesson's topic."), field="topic")
    for key in ("title", "organisation_name", "site"):
        merged[key] = normalize_text(merged.get(key))
    for key in ("practice", "why_it_works", "how_to_apply"):
        merged[key] = (merged.get(key) or "").strip()
    if not merged["title"]:
        raise InvalidInput(_("Sum the lesson up in a title."), field="title")
    if not merged["practice"]:
        raise InvalidInput(_("Describe the practice observed."), field="practice")
    province = merged.get("province")
    if province is None or province.scheme != Scheme.CURRENT or province.level != Level.PROVINCE:
        raise InvalidInput(_("Choose where the practice was observed (one of today's provinces)."), field="province")
    place_then = merged.get("place_then")
    if place_then is not None:
        if place_then.scheme != Scheme.LEGACY:
            raise InvalidInput(_("The province at the time is a former province."), field="place_then")
        if current_province_of(place_then) != province:
            raise InvalidInput(_("%(then)s is today part of %(today)s, not %(province)s.") % {
                "then": place_then.name, "today": getattr(current_province_of(place_then), "name", "?"),
                "province": province.name}, field="place_then")
    event = merged.get("event")
    if event is not None:
        if not event.is_study_tour:
            raise InvalidInput(_("Lessons come from study tours."), field="event")
        if not (roles_in(actor, event.province_id) or (current and current.event_id == event.pk)):
            raise PermissionDenied(_("This study tour is outside your area."))
    if merged.get("establishment") is not None and merged["establishment"].province_id != province.pk:
        raise InvalidInput(_("The establishment is not in that province."), field="establishment")
    return merged


def _author_province_of(actor, event: Event | None, requested: AdminUnit | None) -> AdminUnit:
    if event is not None and event.province_id:
        return event.province
    if requested is not None:
        return requested
    homes = user_scope(actor).province_ids  # where the actor holds a role for the whole province
    if len(homes) == 1:
        return AdminUnit.objects.get(pk=next(iter(homes)))
    raise InvalidInput(_("Say which province records the lesson."), field="author_province")


def lesson_create(*, actor, data: dict, author_province: AdminUnit | None = None,
                  followups: list[dict] = ()) -> Lesson:
    """Records a lesson learned, readable by every province; the author's province keeps the right to change it."""
    clean = _clean_lesson(actor, data)
    author_province = _author_province_of(actor, clean.get("event"), author_province)
    require(can_write_lesson(actor, author_province.pk))
    event = clean.get("event")
    if event is not None and clean.get("observed_on") is None:
        clean["observed_on"] = event.start_date
    organisation = next((a.organisation for a in actor.assignments.select_related("organisation")
                         if a.is_active and a.organisation.province_id == author_province.pk), None)
    with transaction.atomic():
        lesson = Lesson.objects.create(**clean, author_province=author_province, author=actor,
                                       author_organisation=organisation)
        for item in followups:
            _followup_create(lesson, item)
        _refresh_lesson_search(lesson)
        audit_record(actor=actor, action="lesson.create", obj=lesson, changes={"title": [None, lesson.title]})
    return lesson


def lesson_update(*, actor, lesson: Lesson, data: dict, version: int) -> Lesson:
    require(can_edit_lesson(actor, lesson))
    clean = _clean_lesson(actor, data, current=lesson)
    changed = {k: v for k, v in clean.items() if getattr(lesson, k) != v}
    with transaction.atomic():
        changes = field_changes(lesson, changed)
        for key, value in changed.items():
            setattr(lesson, key, value)
        if changed:
            changed["search_text"] = lesson_search_text(lesson, lesson.followups.all())
        if versioned_update(lesson, changed, version, conflict=_(
                "Someone else changed this lesson after you opened it. Reload to see their changes; your input is "
                "kept below.")):
            audit_record(actor=actor, action="lesson.update", obj=lesson, changes=changes)
    return lesson


def _clean_followup(data: dict) -> dict:
    clean = {"kind": data.get("kind"), "proposal": (data.get("proposal") or "").strip(),
             "owner": normalize_text(data.get("owner")), "due_date": data.get("due_date"),
             "status": data.get("status") or FollowUpStatus.PROPOSED, "outcome": (data.get("outcome") or "").strip(),
             "project": data.get("project")}
    if clean["kind"] not in FollowUpKind.values:
        raise InvalidInput(_("Choose the kind of follow-up."), field="kind")
    if not clean["proposal"]:
        raise InvalidInput(_("Describe the proposal."), field="proposal")
    if not clean["owner"]:
        raise InvalidInput(_("Name who carries the follow-up."), field="owner")
    if clean["status"] not in FollowUpStatus.values:
        raise InvalidInput(_("Choose the status."), field="status")
    if clean["status"] == FollowUpStatus.ADOPTED and not clean["outcome"]:
        raise InvalidInput(_("Say what changed: an adopted follow-up shows its outcome."), field="outcome")
    return clean


def _followup_create(lesson: Lesson, data: dict) -> FollowUp:
    return FollowUp.objects.create(lesson=lesson, **_clean_followup(data))


def followup_add(*, actor, lesson: Lesson, data: dict) -> FollowUp:
    """Adds a proposed follow-up (policy proposal, network-rule change, project idea) with its owner."""
    require(can_edit_lesson(actor, lesson))
    with transaction.atomic():
        followup = _followup_create(lesson, data)
        _refresh_lesson_search(lesson)
        audit_record(actor=actor, action="lesson.followup_add", obj=lesson,
                     changes={"followup": [None, followup.proposal[:120]]})
    return followup


def followup_update(*, actor, followup: FollowUp, data: dict, version: int) -> FollowUp:
    lesson = followup.lesson
    require(can_edit_lesson(actor, lesson))
    current = {k: getattr(followup, k) for k in ("kind", "proposal", "owner", "due_date", "status", "outcome",
                                                 "project")}
    clean = _clean_followup({**current, **data})
    with transaction.atomic():
        changes = field_changes(followup, clean)
        if versioned_update(followup, {k: clean[k] for k in changes}, version, conflict=_(
                "Someone else changed this follow-up after you opened it. Reload and try again.")):
            _refresh_lesson_search(lesson)
            audit_record(actor=actor, action="lesson.followup_update", obj=lesson, changes=changes)
    return followup


PRACTICE_FIELDS = ("province", "topic", "title", "description", "evidence", "organisation", "establishment",
                   "project", "since")


def practice_search_text(practice: ModelPractice) -> str:
    parts = [practice.title, practice.description, practice.evidence, practice.province.name,
             practice.organisation.name if practice.organisation_id else "", TOPIC_NAMES_VI.get(practice.topic, "")]
    return fold(" | ".join(p for p in parts if p))


def _clean_practice(data: dict, current: ModelPractice | None = None) -> dict:
    merged = {name: getattr(current, name) for name in PRACTICE_FIELDS} if current else {}
    merged.update({k: v for k, v in data.items() if k in PRACTICE_FIELDS})
    if merged.get("topic") not in Topic.values:
        raise InvalidInput(_("Choose the topic."), field="topic")
    merged["title"] = normalize_text(merged.get("title"))
    merged["description"] = (merged.get("description") or "").strip()
    merged["evidence"] = (merged.get("evidence") or "").strip()
    if not merged["title"]:
        raise InvalidInput(_("Name the model practice."), field="title")
    if not merged["description"]:
        raise InvalidInput(_("Describe the practice."), field="description")
    if not merged["evidence"]:
        raise InvalidInput(_("Give the evidence that it works: a model practice is marked with its evidence."),
                           field="evidence")
    province = merged.get("province")
    if province is None or province.scheme != Scheme.CURRENT or province.level != Level.PROVINCE:
        raise InvalidInput(_("Choose the province."), field="province")
    for key in ("organisation", "establishment", "project"):
        record = merged.get(key)
        if record is not None and record.province_id != province.pk:
            raise InvalidInput(_("The linked record is not in %(province)s.") % {"province": province.name},
                               field=key)
    return merged


def practice_create(*, actor, data: dict) -> ModelPractice:
    """A province marks one of its own practices as a model (mô hình tiêu biểu), with its evidence."""
    clean = _clean_practice(data)
    require(can_mark_practice(actor, clean["province"].pk))
    with transaction.atomic():
        practice = ModelPractice(**clean, marked_by=actor)
        practice.search_text = practice_search_text(practice)
        practice.save()
        audit_record(actor=actor, action="practice.create", obj=practice, changes={"title": [None, practice.title]})
    return practice


def practice_update(*, actor, practice: ModelPractice, data: dict, version: int) -> ModelPractice:
    require(can_edit_practice(actor, practice))
    clean = _clean_practice(data, current=practice)
    if clean["province"] != practice.province:
        raise InvalidInput(_("A model practice stays with its province."), field="province")
    changed = {k: v for k, v in clean.items() if getattr(practice, k) != v}
    with transaction.atomic():
        changes = field_changes(practice, changed)
        for key, value in changed.items():
            setattr(practice, key, value)
        if changed:
            changed["search_text"] = practice_search_text(practice)
        if versioned_update(practice, changed, version, conflict=_(
                "Someone else changed this practice after you opened it. Reload and try again.")):
            audit_record(actor=actor, action="practice.update", obj=practice, changes=changes)
    return practice
