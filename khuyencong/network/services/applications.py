"""Applications to join the network, from the public page, and the centre's answer."""

import datetime
import logging
import secrets

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from khuyencong.core.audit import audit_record
from khuyencong.core.errors import InvalidInput
from khuyencong.core.text import fold
from khuyencong.geo.models import AdminUnit

from .. import standards
from ..flows import application_flow
from ..identity import protected_id
from ..models import (
    ApplicationStatus,
    Collaborator,
    CollaboratorApplication,
)
from ..selectors import regulation_in_force
from ._common import _today
from .collaborators import (
    PERSON_FIELDS,
    _check_not_in_network,
    _clean_communes,
    _clean_person,
    _insert_collaborator,
    collaborator_appoint,
)

logger = logging.getLogger(__name__)


def _new_reference(province: AdminUnit) -> str:
    while True:
        reference = f"{province.code:02d}-{secrets.token_hex(3).upper()}"
        if not CollaboratorApplication.objects.filter(reference=reference).exists():
            return reference


def application_submit(*, province: AdminUnit, data: dict, communes, id_number: str, health_declared: bool = False,
                       has_endorsement: bool = False, motivation: str = "", source_hash: str = "",
                       ) -> CollaboratorApplication:
    """Receives a person's application to join the province's network (from the public page: no account), and
    checks it against the regulation's standards."""
    if province is None or province.scheme != "current" or province.level != "province":
        raise InvalidInput(_("Choose the province."), field="province")
    today = _today()
    regulation = regulation_in_force(province, today)
    if regulation is None or not regulation.accepts_applications:
        raise InvalidInput(_("%(province)s does not take applications online at the moment; please contact its KC "
                             "centre.") % {"province": province.name}, field="province")
    person = _clean_person(data)
    protected = protected_id(id_number)
    communes = _clean_communes(communes, province, regulation)
    motivation = (motivation or "").strip()[:2000]
    with transaction.atomic():
        if CollaboratorApplication.objects.filter(province=province, id_number_hash=protected["id_number_hash"],
                                                  status=ApplicationStatus.SUBMITTED).exists():
            raise InvalidInput(_("An application with this ID number is already waiting for review in this "
                                 "province."), field="id_number")
        _check_not_in_network(province, protected["id_number_hash"])
        checks = standards.check_standards(
            regulation, on_date=today, birth_year=person["birth_year"],
            residence_commune=person.get("residence_commune"), communes=communes,
            education_level=person.get("education_level", ""), experience_years=person.get("experience_years"),
            health_declared=health_declared, has_endorsement=has_endorsement)
        application = CollaboratorApplication.objects.create(
            reference=_new_reference(province), province=province, regulation=regulation, checks=checks,
            health_declared=health_declared, has_endorsement=has_endorsement, motivation=motivation,
            source_hash=source_hash, **person, **protected)
        application.communes.set(communes)
        audit_record(actor=None, action="network.application_submit", obj=application,
                     changes={"province": [None, province.name], "communes": [None, [c.name for c in communes]]})
    return application


def application_accept(*, actor, application: CollaboratorApplication, decision_number: str,
                       decision_date: datetime.date, version: int, communes=None, term_start=None,
                       authority: str = "", signer: str = "") -> tuple[Collaborator, str | None]:
    """Accepts an application: the person becomes a collaborator appointed by the decision, with an account over the
    communes (those applied for unless others are chosen). Returns the collaborator and the password, shown once."""
    row = application_flow.check(application, actor, "accept")
    communes = list(communes) if communes is not None else list(application.communes.all())
    person = {k: getattr(application, k) for k in PERSON_FIELDS}
    protected = {k: getattr(application, k) for k in ("id_number_hash", "id_number_last3", "id_number_length")}
    with transaction.atomic():
        application_flow.commit(application, row, actor=actor, version=version, what=_("application"),
                                fields={"decided_at": timezone.now(), "decided_by": actor})
        _check_not_in_network(application.province, protected["id_number_hash"])
        collaborator = _insert_collaborator(actor=actor, province=application.province,
                                            person={**person, "name_folded": fold(person["full_name"])},
                                            protected=protected)
        collaborator, password = collaborator_appoint(
            actor=actor, collaborator=collaborator, decision_number=decision_number, decision_date=decision_date,
            communes=communes, version=collaborator.version, term_start=term_start, authority=authority,
            signer=signer)
        CollaboratorApplication.objects.filter(pk=application.pk).update(collaborator=collaborator)
        application.collaborator = collaborator
        audit_record(actor=actor, action="network.application_accept", obj=application,
                     changes={"status": [ApplicationStatus.SUBMITTED, ApplicationStatus.ACCEPTED],
                              "collaborator": [None, collaborator.code]})
        transaction.on_commit(lambda: _tell_applicant(application, decision_number))
    return collaborator, password


def application_refuse(*, actor, application: CollaboratorApplication, reason: str,
                       version: int) -> CollaboratorApplication:
    """Refuses an application, with the reason the person will be told."""
    row = application_flow.check(application, actor, "refuse", inputs={"reason": reason})
    reason = reason.strip()
    with transaction.atomic():
        application_flow.commit(application, row, actor=actor, version=version, what=_("application"),
                                fields={"refusal_reason": reason[:2000], "decided_at": timezone.now(),
                                        "decided_by": actor})
        audit_record(actor=actor, action="network.application_refuse", obj=application,
                     changes={"status": [ApplicationStatus.SUBMITTED, ApplicationStatus.REFUSED],
                              "reason": [None, reason]})
        transaction.on_commit(lambda: _tell_applicant(application))
    return application


def _tell_applicant(application: CollaboratorApplication, decision_number: str = "") -> None:
    """E-mails the person the centre's answer, when they gave an address (in Vietnamese: they applied on the public
    page). The login and password of an accepted collaborator are handed over by the centre, never e-mailed."""
    if not application.email:
        return
    with translation.override("vi"):
        centre = application.province.name[:1].lower() + application.province.name[1:]  # "tỉnh Lai Châu"
        if application.status == ApplicationStatus.REFUSED:
            subject = _("Your application to the KC collaborator network (%(reference)s) was not accepted") % {
                "reference": application.reference}
            body = _("Dear %(name)s,\n\nThe industrial promotion centre of %(province)s has reviewed your application "
                     "%(reference)s to become a KC collaborator and cannot accept it, for this reason:\n\n"
                     "%(reason)s\n\nYou may apply again when the reason no longer holds.") % {
                "name": application.full_name, "province": centre, "reference": application.reference,
                "reason": application.refusal_reason}
        else:
            subject = _("Your application to the KC collaborator network (%(reference)s) was accepted") % {
                "reference": application.reference}
            body = _("Dear %(name)s,\n\nThe industrial promotion centre of %(province)s has accepted your application "
                     "%(reference)s: you are appointed a KC collaborator by decision %(decision)s. The centre will "
                     "contact you to hand over your account.") % {
                "name": application.full_name, "province": centre, "reference": application.reference,
                "decision": decision_number}
    try:
        EmailMessage(subject=subject, body=body, to=[application.email]).send()
    except OSError:  # the decision stands; the centre still has the answer on the application's page
        logger.warning("could not e-mail the answer to application %s", application.reference, exc_info=True)

