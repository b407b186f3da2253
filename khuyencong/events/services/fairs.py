"""Fairs and exhibitions: booths booked for establishments, quoted by the rules, and the exhibitors certified."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from khuyencong.accounts.scope import user_scope
from khuyencong.core.audit import audit_record, field_changes
from khuyencong.core.errors import InvalidInput, PermissionDenied
from khuyencong.core.money import check_amount
from khuyencong.core.text import normalize_text
from khuyencong.core.versions import versioned_update
from khuyencong.registry.models import Establishment
from khuyencong.rules import engine

from ..models import Booth, Event
from ..permissions import booths_open, can_act_for, can_edit_event, certification_open
from .budget import above_quote, quote_fields
from .common import require, require_state, today


def _quote_booth(event: Event, price: int):
    province = event.province.code if event.province_id else None
    try:
        return engine.support_quote(event.content, event.fund, province, price, event.start_date), ""
    except InvalidInput as exc:
        return None, exc.message


def booth_add(*, actor, event: Event, establishment: Establishment, number: str, price: int,
              support: int | None = None, products: str = "") -> Booth:
    """Books a booth for an establishment. Its KC support is checked against the rule for the fair's content on
    the first day (e.g. a share of the booth rent for participation); without a figure, the rule's maximum."""
    require(can_edit_event(actor, event))
    if not event.is_fair:
        raise InvalidInput(_("Booths belong to fairs and exhibitions."), field="number")
    require_state(booths_open(event), field="number")
    scope = user_scope(actor)
    if not scope.covers(province_id=establishment.province_id, commune_id=establishment.commune_id):
        raise PermissionDenied(_("This establishment is outside your area."))
    number = normalize_text(number)
    if not number:
        raise InvalidInput(_("Give the booth number."), field="number")
    price = check_amount(price, field="price")
    quote, message = _quote_booth(event, price)
    if support is None:
        support = min(quote.support_vnd, price) if quote else 0
    support = check_amount(support, field="support")
    if support > price:
        raise InvalidInput(_("The KC support cannot be more than the booth price."), field="support")
    if quote is not None and support > quote.support_vnd:
        raise above_quote(_("booth %(number)s") % {"number": number}, support, quote)
    with transaction.atomic():
        if event.booths.filter(number=number).exists():
            raise InvalidInput(_("Booth %(number)s is already booked.") % {"number": number}, field="number")
        booth = Booth.objects.create(event=event, establishment=establishment, number=number[:20],
                                     products=normalize_text(products)[:300], price_vnd=price, support_vnd=support,
                                     **quote_fields(quote, message))
        audit_record(actor=actor, action="event.booth_add", obj=event,
                     changes={"booth": [None, f"{number} {establishment.name}: {price} / {support}"]})
    return booth


def booth_remove(*, actor, booth: Booth) -> None:
    event = booth.event
    require(can_edit_event(actor, event))
    require_state(booths_open(event, refusal=_("The fair has been held: its booths stay on record.")))
    with transaction.atomic():
        label = f"{booth.number} {booth.establishment.name}"
        booth.delete()
        audit_record(actor=actor, action="event.booth_remove", obj=event, changes={"booth": [label, None]})


def booth_certify(*, actor, booth: Booth, certified: bool, on_date: datetime.date | None = None) -> Booth:
    """Certifies that the exhibitor took part (or withdraws it): the list of certified exhibitors goes to the
    settlement."""
    event = booth.event
    require(can_act_for(actor, event))
    require_state(certification_open(event))
    data = {"certified": certified, "certified_on": (on_date or today()) if certified else None}
    with transaction.atomic():
        changes = field_changes(booth, data)
        if versioned_update(booth, {k: data[k] for k in changes}, booth.version, conflict=_(
                "Someone else changed this booth after you opened it. Reload and try again.")):
            audit_record(actor=actor, action="event.booth_certify", obj=event,
                         changes={f"{booth.number}.{k}": v for k, v in changes.items()})
    return booth


def requote_booths(event: Event) -> None:
    for booth in event.booths.all():
        quote, message = _quote_booth(event, booth.price_vnd)
        if quote is not None and booth.support_vnd > quote.support_vnd:
            raise above_quote(_("booth %(number)s") % {"number": booth.number}, booth.support_vnd, quote)
        Booth.objects.filter(pk=booth.pk).update(**quote_fields(quote, message))
