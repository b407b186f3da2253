"""The mission report (báo cáo kết quả chuyến công tác) of a study tour, drafted from the tour's data in the
Vietnamese administrative format (NĐ 30/2020/NĐ-CP): national title and motto, issuing body, number, place and date,
title, sections, recipients and signature block.

``report_document`` turns the stored, edited report (``MissionReport``) into an official document that
``khuyencong.core.documents`` renders to PDF and DOCX; the text the centre edited is the text printed.

The document is Vietnamese whatever the interface language (like the law's own words in the rules): it is the text
the centre signs. Names of places and organisations are those of the time of the tour.
"""

import datetime
import re
from collections import Counter

from khuyencong.core import documents as d
from khuyencong.core.documents import place_date_line  # noqa: F401 (the date line of the report's page)
from khuyencong.core.money import format_vnd

from .models import Event, Origin, ParticipantRole
from .vocab import TOPIC_NAMES_VI

ORIGIN_WORDS = {
    Origin.DOIT: "Sở Công Thương",
    Origin.CENTRE: "Trung tâm Khuyến công",
    Origin.COMMUNE_OFFICE: "phòng chuyên môn cấp huyện, xã",
    Origin.COLLABORATOR: "cộng tác viên khuyến công",
    Origin.ESTABLISHMENT: "cơ sở công nghiệp nông thôn",
    Origin.OTHER: "đơn vị khác",
}
LINE_WORDS = {"transport": "Thuê xe, đi lại", "per_diem": "Tiền ăn, phụ cấp lưu trú", "lodging": "Tiền thuê phòng nghỉ",
              "airfare": "Vé máy bay", "booth_rent": "Thuê gian hàng", "venue": "Thuê hội trường, thiết bị",
              "teachers": "Thù lao giảng viên, báo cáo viên", "materials": "Tài liệu", "publicity": "Tuyên truyền",
              "other": "Chi khác"}
FOLLOWUP_WORDS = {"policy": "Đề xuất cơ chế, chính sách", "network_rule": "Sửa đổi quy chế mạng lưới cộng tác viên",
                  "project_idea": "Ý tưởng đề án mới", "other": "Khác"}
STATUS_WORDS = {"proposed": "đề xuất", "in_progress": "đang thực hiện", "adopted": "đã áp dụng",
                "dropped": "không thực hiện"}


def dmy(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def _province_word(event: Event) -> str:
    unit = event.organiser_unit_then or event.province
    return unit.short_name if unit else ""


def header_defaults(event: Event, on_date: datetime.date) -> dict:
    organiser = event.organiser
    governing = organiser.parent.name if organiser.parent_id else ""
    if event.organiser_unit_then_id:  # the body as it was: a former province's centre under its own DoIT
        name = event.organiser_unit_then.name
        governing = f"Sở Công Thương {d.in_sentence(name)}"
    report_date = max(on_date, event.end_date)
    head = event.participants.filter(role=ParticipantRole.HEAD).first()
    return {
        "issuing_body": event.organiser_name_then or organiser.name,
        "governing_body": governing,
        "place": _province_word(event),
        "report_date": report_date,
        "recipients": "- Sở Công Thương (để báo cáo);\n- Ban Giám đốc Trung tâm;\n- Lưu: VT.",
        "signer_title": "TRƯỞNG ĐOÀN" if head else "GIÁM ĐỐC",
        "signer_name": head.full_name if head else "",
    }


def build_body(event: Event) -> str:
    """Sections I–V from the data; the centre edits the text before signing."""
    participants = list(event.participants.select_related("establishment", "organisation"))
    members = [p for p in participants if p.origin != Origin.HOST]
    head = next((p for p in members if p.role == ParticipantRole.HEAD), None)
    days = list(event.itinerary.select_related("host_province").prefetch_related("visits"))
    hosts = [d.in_sentence(name) for name in dict.fromkeys(day.host_province.name for day in days)] or [
        d.in_sentence(p.unit.name) for p in event.places.all()]
    lessons = list(event.lessons.prefetch_related("followups"))
    lines = list(event.budget_lines.all())

    out = []
    out.append("I. MỤC ĐÍCH, THÀNH PHẦN ĐOÀN")
    out.append(f"1. Mục đích: {event.purpose or event.title}")
    out.append(f"2. Thời gian: từ ngày {dmy(event.start_date)} đến ngày {dmy(event.end_date)}; "
               f"địa điểm: {', '.join(hosts) or '—'}.")
    counts = Counter(p.origin for p in members)
    parts = [f"{n} {ORIGIN_WORDS.get(origin, 'thành viên')}" for origin, n in counts.most_common()]
    composition = f"3. Thành phần đoàn: {len(members)} thành viên"
    if head:
        composition += f", do {head.position + ' ' if head.position else ''}{head.full_name} làm trưởng đoàn"
    composition += f" ({'; '.join(parts)})." if parts else "."
    if not members and (event.planned_state_paid or event.planned_non_state):
        composition = (f"3. Thành phần đoàn (dự kiến): {event.planned_state_paid + event.planned_non_state} "
                       "thành viên.")
    out.append(composition)
    establishments = [p.establishment.name for p in members if p.establishment_id]
    if establishments:
        out.append("   Các cơ sở công nghiệp nông thôn tham gia: " + "; ".join(dict.fromkeys(establishments)) + ".")

    out.append("")
    out.append("II. LỊCH TRÌNH VÀ NỘI DUNG LÀM VIỆC")
    if not days:
        out.append("(Chưa ghi lịch trình.)")
    for i, day in enumerate(days, start=1):
        host = day.host_name or day.host_province.name
        out.append(f"{i}. Ngày {dmy(day.day)}, tại {d.in_sentence(day.host_province.name)}: làm việc với {host}.")
        if day.activities:
            out.append(f"   {day.activities}")
        if day.topics:
            out.append("   Nội dung trao đổi: " + "; ".join(TOPIC_NAMES_VI.get(t, t) for t in day.topics) + ".")
        for visit in day.visits.all():
            note = f" ({visit.note.rstrip('.')})" if visit.note else ""
            verb = "Làm việc" if visit.kind == "office" else "Tham quan"
            out.append(f"   - {verb}: {visit.name}{note}.")

    out.append("")
    out.append("III. KẾT QUẢ VÀ BÀI HỌC KINH NGHIỆM")
    if not lessons:
        out.append("(Chưa ghi bài học kinh nghiệm.)")
    for i, lesson in enumerate(lessons, start=1):
        where = lesson.organisation_name or (lesson.organisation.name if lesson.organisation_id else "")
        out.append(f"{i}. {lesson.title} ({TOPIC_NAMES_VI.get(lesson.topic, '')}"
                   f"{'; ' + where if where else ''}).")
        out.append(f"   Cách làm: {lesson.practice}")
        if lesson.why_it_works:
            out.append(f"   Vì sao hiệu quả: {lesson.why_it_works}")
        if lesson.how_to_apply:
            out.append(f"   Vận dụng tại địa phương: {lesson.how_to_apply}")

    out.append("")
    out.append("IV. ĐỀ XUẤT, KIẾN NGHỊ")
    followups = [f for lesson in lessons for f in lesson.followups.all()]
    if not followups:
        out.append("(Chưa có đề xuất.)")
    for i, f in enumerate(followups, start=1):
        out.append(f"{i}. {FOLLOWUP_WORDS.get(f.kind, '')}: {f.proposal} — đơn vị chủ trì: {f.owner} "
                   f"({STATUS_WORDS.get(f.status, f.status)}).")

    out.append("")
    out.append("V. KINH PHÍ")
    if not lines:
        out.append("(Chưa lập dự toán.)")
    for line in lines:
        spent = f"; thực chi {format_vnd(line.spent_vnd)}" if line.spent_vnd is not None else ""
        out.append(f"- {LINE_WORDS.get(line.kind, line.kind)}: {format_vnd(line.amount_vnd)} "
                   f"(kinh phí khuyến công {format_vnd(line.support_vnd)}{spent}).")
    if lines:
        out.append(f"Tổng cộng: {format_vnd(sum(x.amount_vnd for x in lines))}; trong đó kinh phí khuyến công "
                   f"{format_vnd(sum(x.support_vnd for x in lines))}.")
    return "\n".join(out)


def subtitle(event: Event) -> str:
    """“Kết quả chuyến công tác học tập kinh nghiệm tại …”, naming the hosts as they were then."""
    hosts = [d.in_sentence(name) for name in dict.fromkeys(day.host_province.name for day in event.itinerary.all())]
    hosts = hosts or [d.in_sentence(p.unit.name) for p in event.places.all()]
    where = f" tại {', '.join(hosts)}" if hosts else ""
    return f"Kết quả chuyến công tác học tập kinh nghiệm{where}"


SECTION_HEADING = re.compile(r"^(?:[IVX]{1,4})\.\s")


def body_sections(body: str) -> list[d.Section]:
    """The edited text as sections: a line “I. …”, “II. …” starts a section; every other non-empty line is a
    paragraph."""
    sections = [d.Section()]
    for line in body.splitlines():
        text = line.strip()
        if not text:
            continue
        if SECTION_HEADING.match(text):
            sections.append(d.Section(heading=text))
        else:
            sections[-1].blocks.append(text)
    return [s for s in sections if s.heading or s.blocks]


def report_document(event: Event, report) -> d.OfficialDocument:
    """The mission report as it stands (draft or signed) in the administrative format."""
    number = report.number.strip()
    return d.OfficialDocument(
        header=d.Header(issuing_body=report.issuing_body, parent_body=report.governing_body),
        number=number, symbol="" if number else "BC-……", place=report.place, date=report.report_date,
        kind="Báo cáo", subject=subtitle(event), sections=body_sections(report.body),
        recipients=report.recipients.splitlines(),
        signer=d.Signer.from_text(report.signer_title, report.signer_name, signed=report.signed),
    )
