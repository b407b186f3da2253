"""What consulting puts in a user's work inbox (`web.inbox`): the contracts whose state offers the user a step (sign,
start, accept, liquidate; a contract being prepared whose client has KC support for the same work is named as a
conflict for the director to review), and, to watch, the engineers' certificates that expire within the reminder
lead time (a parameter row)."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from khuyencong.accounts.scope import acting_province_ids, user_scope
from khuyencong.core.inbox import GROUP_LIMIT, InboxGroup, InboxItem, actionable_q, allowed_labels

from . import selectors
from .catalogue import certificate_names
from .conflicts import conflicts_for
from .flows import contract_flow
from .models import Contract, ContractStatus

STEP_ACTIONS = frozenset({"sign", "start", "accept", "liquidate"})


def step_group(user, today: datetime.date) -> InboxGroup:
    condition = actionable_q(contract_flow, lambda roles: acting_province_ids(user, roles), STEP_ACTIONS)
    qs = user_scope(user).filter(Contract.objects.filter(condition), province="province_id").select_related(
        "client", "province", "service_line")
    group = InboxGroup("consulting_step", _("Service contracts waiting for your step"), total=qs.count(),
                       url=reverse("consulting_home"))
    for contract in qs.order_by("start_date", "pk")[:GROUP_LIMIT]:
        labels = allowed_labels(contract_flow, contract, user, STEP_ACTIONS)
        step = " / ".join(labels)
        if contract.status == ContractStatus.DRAFT and not contract.conflict_reviewed_by_id:
            found = conflicts_for(contract)
            if found:
                step = _("Conflict with KC project %(code)s: the director reviews it before signing") % {
                    "code": found[0]["code"]}
        if step:
            group.items.append(InboxItem(title=f"{contract.number} · {contract.client.name}", step=step,
                                         code=contract.service_line.name, where=contract.province.short_name,
                                         url=reverse("consulting_contract", args=[contract.pk]) + "#actions",
                                         since=contract.created_at.date(), due=contract.start_date))
    return group


def watch_group(user, today: datetime.date) -> InboxGroup:
    qs = selectors.expiring_certificates(user=user, on_date=today)
    names = certificate_names()
    group = InboxGroup("consulting_certificates", _("Engineers' certificates expiring"), total=qs.count(),
                       url=reverse("consulting_engineers"), watch=True)
    for cert in qs[:GROUP_LIMIT]:
        group.items.append(InboxItem(title=f"{cert.engineer} · {names.get(cert.kind, '')}",
                                     step=_("Certificate no. %(n)s") % {"n": cert.number},
                                     url=reverse("consulting_engineers"), due=cert.expires_on,
                                     late=cert.expires_on < today))
    return group


def inbox_groups(user, today: datetime.date, *, watch: bool = False) -> list[InboxGroup]:
    return [watch_group(user, today)] if watch else [step_group(user, today), watch_group(user, today)]
