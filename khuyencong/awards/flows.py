"""The two lifecycles of the awards, as transition tables of the core engine (core/flows.py):

- a round: planned → council set → taking entries → judging → results recognised → complaint window → closed;
- an entry: submitted → dossier accepted → scored (when every juror's sheet is in) → passed / did not pass (at the
  recognition of the round, by the mean and the pass score) → certified / not selected → nominated to the next level.

Pages and the API ask `flow.options(obj, user)` for the buttons and the reasons; the badge tones are registered here.
"""

from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from khuyencong.accounts.models import Role
from khuyencong.accounts.scope import role_permission
from khuyencong.core import badges
from khuyencong.core.flows import Flow, FlowContext, Transition
from khuyencong.core.locks import Lock
from khuyencong.core.permissions import ALLOW, Decision, deny

from . import rules
from .models import REQUIRED_KINDS, BandsStatus, Body, DocumentKind, EntryStatus, Level, MemberRole, RoundStatus

MANAGERS = (Role.DOIT_OFFICER, Role.DOIT_MANAGER, Role.CENTRE_STAFF, Role.MINISTRY_OFFICER)
LEVEL_WORDS = {Level.COMMUNE: "cấp xã", Level.PROVINCE: "cấp tỉnh", Level.REGION: "cấp khu vực",
               Level.NATIONAL: "cấp quốc gia"}


class RoundContext(FlowContext):
    @cached_property
    def members(self):
        return list(self.obj.members.all())

    @cached_property
    def entry_statuses(self) -> list[str]:
        return list(self.obj.entries.values_list("status", flat=True))


def council_size_check(level: str, count: int, on_date) -> Decision:
    """A council has exactly the smaller or the larger number of members of its level (Art 9: a province's 7 or 9,
    a region's 9 or 11, the ministry's 11 or 13), the figures being rule rows."""
    low, high = rules.council_size(level, on_date)
    if count not in (low.as_int, high.as_int):
        return deny(_("A council %(level)s has %(low)s or %(high)s members (%(basis)s); it has %(n)s.") % {
            "level": LEVEL_WORDS[level], "low": low.as_int, "high": high.as_int, "basis": low.basis, "n": count})
    return ALLOW


def jury_size_check(count: int, on_date) -> Decision:
    """A jury has an odd number of members (Art 11), at least the rule row's minimum."""
    low = rules.jury_min(on_date)
    if count < low.as_int or count % 2 == 0:
        return deny(_("The jury needs an odd number of members, at least %(low)s (%(basis)s); it has %(n)s.") % {
            "low": low.as_int, "basis": low.basis, "n": count})
    return ALLOW


def _council_size(ctx: RoundContext) -> Decision:
    council = [m for m in ctx.members if m.body == Body.COUNCIL]
    decision = council_size_check(ctx.obj.level, len(council), ctx.on_date)
    if not decision:
        return decision
    if not any(m.role == MemberRole.CHAIR for m in council):
        return deny(_("Name the chair of the council."))
    return ALLOW


def _jury_odd(ctx: RoundContext) -> Decision:
    jury = [m for m in ctx.members if m.body == Body.JURY]
    decision = jury_size_check(len(jury), ctx.on_date)
    if not decision:
        return decision
    if not any(m.role == MemberRole.HEAD for m in jury):
        return deny(_("Name the head of the jury: the head proposes the scoring bands."))
    if any(m.user_id is None for m in jury):
        return deny(_("Link every jury member to a user account so that they can score."))
    return ALLOW


def _has_entries(ctx: RoundContext) -> Decision:
    if not any(s == EntryStatus.SCREENED for s in ctx.entry_statuses):
        return deny(_("Accept the dossier of at least one entry first."))
    return ALLOW


def _bands_approved(ctx: RoundContext) -> Decision:
    if ctx.obj.bands_status != BandsStatus.APPROVED:
        return deny(_("The council chair has not approved the scoring bands the jury head proposed."))
    return ALLOW


def _all_scored(ctx: RoundContext) -> Decision:
    left = sum(1 for s in ctx.entry_statuses if s in (EntryStatus.SUBMITTED, EntryStatus.SCREENED))
    if left:
        return deny(_("%(n)s entries are not scored by every juror yet.") % {"n": left})
    return ALLOW


def _all_decided(ctx: RoundContext) -> Decision:
    if any(s == EntryStatus.PASSED for s in ctx.entry_statuses):
        return deny(_("Certify or leave out every entry that passed first."))
    return ALLOW


def _window_over(ctx: RoundContext) -> Decision:
    if ctx.obj.announced_on is None:
        return ALLOW
    deadline = rules.complaint_deadline(ctx.obj.announced_on)
    if ctx.on_date <= deadline:
        return deny(_("Complaints may be filed until %(day)s.") % {"day": deadline.strftime("%d/%m/%Y")})
    if ctx.obj.complaints.filter(answered_on__isnull=True).exists():
        return deny(_("Answer every complaint first."))
    return ALLOW


ROUND_ROWS = (
    Transition("set_council", gettext_lazy("Council and jury set"), (RoundStatus.PLANNED,), RoundStatus.COUNCIL_SET,
               MANAGERS, guards=(_council_size, _jury_odd)),
    Transition("open_intake", gettext_lazy("Open the intake of entries"), (RoundStatus.COUNCIL_SET,),
               RoundStatus.INTAKE_OPEN, MANAGERS),
    Transition("start_judging", gettext_lazy("Start judging"), (RoundStatus.INTAKE_OPEN,), RoundStatus.JUDGING,
               MANAGERS, guards=(_has_entries, _bands_approved)),
    Transition("recognise", gettext_lazy("Recognise the results"), (RoundStatus.JUDGING,), RoundStatus.RECOGNISED,
               MANAGERS, guards=(_all_scored,), needs=("reference",)),
    Transition("announce", gettext_lazy("Announce the results"), (RoundStatus.RECOGNISED,), RoundStatus.COMPLAINTS,
               MANAGERS, guards=(_all_decided,)),
    Transition("close", gettext_lazy("Close the round"), (RoundStatus.COMPLAINTS,), RoundStatus.CLOSED, MANAGERS,
               guards=(_window_over,), style="outline-secondary"),
)


# --- the lock: a closed round promises no more changes (core/locks.py); every write of the round refuses with it

round_lock = Lock(
    "awards.round_closed", states=(RoundStatus.CLOSED,), test=lambda r: r.status == RoundStatus.CLOSED,
    reason=lambda r: _("The award round is closed: it can no longer be changed."))


def _wrong_round(obj, label: str) -> str:
    return _("“%(action)s” is not possible while the round is “%(status)s”.") % {
        "action": label, "status": obj.get_status_display()}


round_flow = Flow(ROUND_ROWS, permission=role_permission, wrong_state=_wrong_round, context=RoundContext,
                  province_of=lambda r: r.province_id,
                  input_messages={"reference": gettext_lazy("Give the number of the recognition decision.")})


class EntryContext(FlowContext):
    @cached_property
    def kinds(self) -> set[str]:
        return set(self.obj.documents.values_list("kind", flat=True))


def _dossier_complete(ctx: EntryContext) -> Decision:
    missing = [k for k in REQUIRED_KINDS if k not in ctx.kinds]
    if missing:
        return deny(_("The dossier lacks: %(kinds)s.") % {"kinds": ", ".join(str(DocumentKind(k).label).lower()
                                                                              for k in missing)})
    if ctx.obj.round.level != Level.COMMUNE and ctx.obj.lower_certificate_id is None and \
            "nomination" not in ctx.kinds:
        return deny(_("From province level up, an entry needs a still-valid lower-level certificate or the lower "
                      "authority's nomination list."))
    return ALLOW


def _round_open(ctx: FlowContext) -> Decision:
    return round_lock(ctx.obj.round)


def _round_in(*states):
    def guard(ctx: FlowContext) -> Decision:
        if ctx.obj.round.status not in states:
            return deny(_("The round is “%(status)s”.") % {"status": ctx.obj.round.get_status_display()})
        return ALLOW
    return guard


ENTRY_ROWS = (
    Transition("screen", gettext_lazy("Accept the dossier"), (EntryStatus.SUBMITTED,), EntryStatus.SCREENED,
               MANAGERS,
               guards=(_round_open, _round_in(RoundStatus.INTAKE_OPEN, RoundStatus.JUDGING), _dossier_complete)),
    Transition("certify", pgettext_lazy("awards", "Certify"), (EntryStatus.PASSED,), EntryStatus.CERTIFIED, MANAGERS,
               guards=(_round_open, _round_in(RoundStatus.RECOGNISED)), style="success"),
    Transition("leave_out", gettext_lazy("Not selected"), (EntryStatus.PASSED,), EntryStatus.NOT_SELECTED, MANAGERS,
               guards=(_round_open, _round_in(RoundStatus.RECOGNISED)), style="outline-secondary"),
)


def _wrong_entry(obj, label: str) -> str:
    return _("“%(action)s” is not possible while the entry is “%(status)s”.") % {
        "action": label, "status": obj.get_status_display()}


def _entry_province(entry):
    return entry.round.province_id


entry_flow = Flow(ENTRY_ROWS, permission=role_permission, wrong_state=_wrong_entry, context=EntryContext,
                  province_of=_entry_province)


def actions_of(flow: Flow, obj, user) -> dict:
    return {o.action: o for o in flow.options(obj, user)}


SUCCESS, WAITING, CLOSED, NEW, DANGER = ("text-bg-success", "text-bg-warning", "text-bg-secondary", "text-bg-info",
                                         "text-bg-danger")
badges.register("awards.round", {RoundStatus.PLANNED: NEW, RoundStatus.COUNCIL_SET: NEW,
                                 RoundStatus.INTAKE_OPEN: WAITING, RoundStatus.JUDGING: WAITING,
                                 RoundStatus.RECOGNISED: SUCCESS, RoundStatus.COMPLAINTS: WAITING,
                                 RoundStatus.CLOSED: CLOSED})
badges.register("awards.entry", {EntryStatus.SUBMITTED: NEW, EntryStatus.SCREENED: WAITING,
                                 EntryStatus.SCORED: WAITING, EntryStatus.PASSED: SUCCESS, EntryStatus.FAILED: DANGER,
                                 EntryStatus.CERTIFIED: SUCCESS, EntryStatus.NOT_SELECTED: CLOSED,
                                 EntryStatus.NOMINATED: SUCCESS})
