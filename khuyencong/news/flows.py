"""The lifecycle of an article, as a transition table of the core engine (core/flows.py):

draft → in review (the centre submits) → approved (the DoIT reviews) → published (the centre publishes) → withdrawn
(with the reason); a reviewer may return an article in review or approved to draft with the reason, and a withdrawn
article may be taken back as a draft to be corrected. Only a draft is edited (permissions.can_edit).
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from khuyencong.core import badges
from khuyencong.core.flows import Act, Flow, Transition
from khuyencong.core.permissions import Decision

from .models import ArticleStatus
from .permissions import REVIEWERS, WITHDRAWERS, WRITERS, acting


def _permission(flow: Flow, obj, user, row: Transition) -> Decision:
    return acting(user, obj.province_id, row.roles_for(obj))


def _publish_date(act: Act) -> dict:
    """Publishing dates the article today unless a date was set (an article written about a past event)."""
    if act.obj.published_on:
        return {}
    return act.set(published_on=timezone.localdate())


def _note(act: Act) -> dict:
    return act.set(status_note=act.input("reason"))


def _clear_note(act: Act) -> dict:
    return act.set(status_note="") if act.obj.status_note else {}


ARTICLE_ROWS = (
    Transition("submit", gettext_lazy("Send for review"), (ArticleStatus.DRAFT,), ArticleStatus.REVIEW, WRITERS,
               effects=(_clear_note,)),
    Transition("approve", pgettext_lazy("article", "Approve"), (ArticleStatus.REVIEW,), ArticleStatus.APPROVED,
               REVIEWERS, style="success"),
    Transition("return", pgettext_lazy("article", "Return to draft"),
               (ArticleStatus.REVIEW, ArticleStatus.APPROVED), ArticleStatus.DRAFT, REVIEWERS, effects=(_note,),
               needs=("reason",), style="outline-danger"),
    Transition("publish", pgettext_lazy("article", "Publish"), (ArticleStatus.APPROVED,), ArticleStatus.PUBLISHED,
               WRITERS, effects=(_publish_date,), style="success"),
    Transition("withdraw", gettext_lazy("Withdraw from the portal"), (ArticleStatus.PUBLISHED,),
               ArticleStatus.WITHDRAWN, WITHDRAWERS, effects=(_note,), needs=("reason",), style="outline-danger"),
    Transition("redraft", gettext_lazy("Take back as a draft"), (ArticleStatus.WITHDRAWN,), ArticleStatus.DRAFT,
               WRITERS, style="outline-secondary"),
)


def _wrong_state(obj, label: str) -> str:
    return _("This article is %(status)s: “%(action)s” is not possible now.") % {
        "status": obj.get_status_display().lower(), "action": label}


article_flow = Flow(
    ARTICLE_ROWS, permission=_permission, wrong_state=_wrong_state,
    input_messages={"reason": gettext_lazy("Give the reason.")},
)

badges.register("article", {
    ArticleStatus.DRAFT: "text-bg-light border",
    ArticleStatus.REVIEW: "text-bg-warning",
    ArticleStatus.APPROVED: "text-bg-info",
    ArticleStatus.PUBLISHED: "text-bg-success",
    ArticleStatus.WITHDRAWN: "text-bg-secondary",
})
