"""The review of an extraction: waiting for review → accepted (an event created or merged) or rejected."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.core import badges
from khuyencong.core.flows import Flow, Transition

from .models import ExtractionStatus
from .permissions import STAFF, can_review

ROWS = (
    Transition("accept", gettext_lazy("Accept and record the event"), (ExtractionStatus.PENDING,),
               ExtractionStatus.ACCEPTED, STAFF, style="success"),
    Transition("reject", gettext_lazy("Reject"), (ExtractionStatus.PENDING,), ExtractionStatus.REJECTED, STAFF,
               needs=("reason",), style="outline-danger"),
)


def _permission(flow, obj, user, row):
    return can_review(user, obj)


def _wrong_state(obj, label: str) -> str:
    return _("This article was already reviewed (%(status)s).") % {"status": obj.get_status_display()}


extraction_flow = Flow(ROWS, permission=_permission, wrong_state=_wrong_state,
                       input_messages={"reason": gettext_lazy("Give the reason for the rejection.")})

badges.register("extraction", {ExtractionStatus.PENDING: "text-bg-warning",
                               ExtractionStatus.ACCEPTED: "text-bg-success",
                               ExtractionStatus.REJECTED: "text-bg-secondary"})
