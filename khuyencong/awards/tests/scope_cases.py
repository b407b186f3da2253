"""The awards' scoped records: a user of one province neither sees nor changes another province's rounds, entries,
dossiers, sheets or certificates. The public catalogue and the verification page are open to everyone by design."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile

from khuyencong.testing.scope import ScopedCase, register, unscoped

from ..models import Certificate, Complaint, EntryDocument, Member, RoundStatus
from .factories import make_entry, make_round


def _round(code: int):
    round_ = make_round(code, name=f"Đợt bình chọn phạm vi {code}")
    Member.objects.create(round=round_, body="council", full_name="Ủy viên phạm vi", role="chair")
    return round_


def _entry(code: int):
    round_ = make_round(code, status=RoundStatus.COMPLAINTS, name=f"Đợt có sản phẩm {code}",
                        announced_on=datetime.date(2027, 9, 1))
    entry = make_entry(round_, name=f"Sản phẩm phạm vi {code}", status="certified", score=Decimal("80"))
    doc = EntryDocument(entry=entry, kind="form", name="don.pdf")
    doc.file.save("don.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    Certificate.objects.create(entry=entry, number=f"00{code}/2027/CN-T", level="province", decision_number="1/QĐ",
                               issued_on=datetime.date(2027, 9, 1), valid_until=datetime.date(2029, 12, 31),
                               code=f"SCOPE{code:05d}")
    Complaint.objects.create(round=round_, complainant="Người khiếu nại", content="x",
                             received_on=datetime.date(2027, 9, 2), due_on=datetime.date(2027, 9, 16))
    return entry


register(ScopedCase(
    name="awards_round",
    make=_round,
    marker=lambda r: r.name,
    list_urls=["/awards/", "/api/v1/awards/rounds?limit=200"],
    detail_urls=lambda r: [f"/awards/rounds/{r.pk}/", f"/awards/rounds/{r.pk}/nominations.xlsx",
                           f"/awards/rounds/{r.pk}/bands/",
                           f"/api/v1/awards/rounds/{r.pk}"],
    change_requests=lambda r: [
        ("POST", f"/awards/rounds/{r.pk}/act/", {"action": "set_council", "version": r.version}),
        ("POST", f"/awards/rounds/{r.pk}/members/", {"body": "council", "full_name": "X", "role": "member"}),
        ("POST", f"/awards/rounds/{r.pk}/members/{r.members.first().pk}/remove/", {}),
        ("POST", f"/awards/rounds/{r.pk}/bands/", {"version": r.version}),
        ("POST", f"/awards/rounds/{r.pk}/bands/approve/", {"version": r.version}),
        ("POST", f"/awards/rounds/{r.pk}/complaints/", {"complainant": "X", "content": "x",
                                                         "received_on": "02/09/2027"}),
        ("POST", f"/awards/rounds/{r.pk}/nominate/", {"target": r.pk}),
        ("POST", f"/awards/rounds/{r.pk}/entries/new/", {"product_name": "X", "group": "food"}),
        ("POST", f"/api/v1/awards/rounds/{r.pk}/actions", {"action": "set_council", "version": r.version}),
    ],
    covers=["awards_round_list", "awards_round_detail", "awards_nomination_export", "awards_round_act",
            "awards_member_add", "awards_member_remove", "awards_bands", "awards_bands_approve",
            "awards_complaint_add", "awards_nominate", "awards_entry_create",
            "api:awards_round_list", "api:awards_round_detail", "api:awards_round_act"],
))


def _cert(entry):
    return Certificate.objects.get(entry=entry)


register(ScopedCase(
    name="awards_entry",
    make=_entry,
    marker=lambda e: e.product_name,
    list_urls=["/api/v1/awards/entries?limit=200"],
    detail_urls=lambda e: [f"/awards/entries/{e.pk}/", f"/awards/entries/{e.pk}/documents/{e.documents.first().pk}/",
                           f"/awards/certificates/{_cert(e).pk}/document/?format=docx",
                           f"/api/v1/awards/entries/{e.pk}"],
    change_requests=lambda e: [
        ("POST", f"/awards/entries/{e.pk}/act/", {"action": "screen", "version": e.version}),
        ("POST", f"/awards/entries/{e.pk}/documents/", {"kind": "form"}),
        ("POST", f"/awards/entries/{e.pk}/reports/", {"year": 2027, "revenue_vnd": "1000"}),
        ("POST", f"/awards/entries/{e.pk}/sheet/", {"market_demand": 10}),
        ("POST", f"/awards/certificates/{_cert(e).pk}/revoke/", {"reason": "x", "version": _cert(e).version}),
        ("POST", f"/awards/complaints/{e.round.complaints.first().pk}/answer/", {"answer": "x", "version": 1}),
        ("POST", f"/api/v1/awards/entries/{e.pk}/actions", {"action": "screen", "version": e.version}),
        ("PUT", f"/api/v1/awards/entries/{e.pk}/sheet", {"points": {"market_demand": 1}, "version": 1}),
    ],
    covers=["awards_entry_detail", "awards_document_file", "awards_certificate_document", "awards_entry_act",
            "awards_document_add", "awards_holder_report_add", "awards_sheet", "awards_certificate_revoke",
            "awards_complaint_answer", "api:awards_entry_list", "api:awards_entry_detail", "api:awards_entry_act",
            "api:awards_sheet_save"],
))

unscoped("awards_round_create", "a form for a new round: its provinces are only those the user acts in, and the "
                                "service refuses any other")
unscoped("awards_catalogue", "the public catalogue: only certified products whose producer agreed to publish")
unscoped("awards_product", "a public product page: only certified products whose producer agreed to publish")
unscoped("awards_product_photo", "a public product photo: only of certified products whose producer agreed to publish")
unscoped("awards_verify", "the public verification page of a certificate code")
unscoped("api:awards_certificate_verify", "checks one certificate code, as the public verification page does")
