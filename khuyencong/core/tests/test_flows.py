"""The lifecycle engine on a small lifecycle of its own: the table is read by state and variant, who may act, the
guards' reasons, required inputs, effects and the return to a remembered state."""

import datetime
from dataclasses import dataclass
from functools import cached_property

import pytest

from khuyencong.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from khuyencong.core.flows import PREVIOUS, Flow, FlowContext, Transition
from khuyencong.core.permissions import ALLOW, deny

D = datetime.date


@dataclass
class Thing:
    status: str = "draft"
    kind: str = "a"
    province_id: int = 1
    pages: int = 0
    before: str = ""
    stamped: datetime.date | None = None


@dataclass
class Person:
    roles: tuple[str, ...]


class Ctx(FlowContext):
    reads = 0

    @cached_property
    def pages(self) -> int:
        Ctx.reads += 1
        return self.obj.pages


def has_pages(ctx: Ctx):
    return ALLOW if ctx.pages else deny("Write a page first.")


def not_in_future(ctx: Ctx):
    return ALLOW if ctx.on_date <= D(2026, 12, 31) else deny("Too late.")


def stamp(act):
    act.obj.stamped = act.on_date
    return {"stamped": act.on_date, "note": act.input("note")}


def remember(act):
    act.obj.before = act.obj.status
    return {}


def permission(flow, obj, user, row):
    return ALLOW if set(user.roles) & set(row.roles_for(obj)) else deny(f"Only {row.who_for(obj) or 'them'}.")


ROWS = [
    Transition("submit", "Submit", ("draft", "returned"), "submitted", ("author",), guards=(has_pages, not_in_future),
               effects=(stamp,), optional=("note",)),
    Transition("return", "Return", ("submitted",), "returned", ("boss",), needs=("note",), who="the boss"),
    Transition("approve", "Approve", ("submitted",), "approved", ("boss",), variant="a"),
    Transition("approve", "Approve", ("submitted",), "approved", ("minister",), variant="b"),
    Transition("pause", "Pause", ("submitted", "approved"), "paused", lambda thing: ("boss",),
               effects=(remember,)),
    Transition("resume", "Resume", ("paused",), PREVIOUS, ("boss",)),
]


def make_flow(**kwargs) -> Flow:
    options = {"wrong_state": lambda obj, label: f"“{label}” is not possible while {obj.status}.",
               "permission": permission, "variant_of": lambda obj: obj.kind, "context": Ctx, **kwargs}
    return Flow(ROWS, **options)


AUTHOR, BOSS, MINISTER = Person(("author",)), Person(("boss",)), Person(("minister",))


def test_options_list_the_state_actions_with_every_reason():
    flow = make_flow()
    options = {o.action: o for o in flow.options(Thing(), BOSS, on_date=D(2027, 1, 5))}
    assert list(options) == ["submit"]
    assert not options["submit"].allowed
    assert options["submit"].reasons == ["Only them.", "Write a page first.", "Too late."]
    assert options["submit"].reason == "Only them."
    assert options["submit"].inputs == ("note",) and options["submit"].needs == ()


def test_guards_read_their_facts_once_per_page():
    Ctx.reads = 0
    flow = make_flow()
    flow.options(Thing(status="submitted", pages=3), BOSS)
    flow.options(Thing(pages=3), AUTHOR)
    assert Ctx.reads == 1  # the draft's one guard that reads pages; submitted rows have no guard


def test_a_refused_role_is_not_told_the_guards_when_the_flow_says_so():
    decision = make_flow(explain_to_others=False).decide(Thing(), BOSS, "submit")
    assert (decision.allowed, decision.reasons, decision.failure) == (False, ("Only them.",), "permission")


def test_decide_names_the_failing_check():
    flow = make_flow()
    assert flow.decide(Thing(pages=1), AUTHOR, "submit", on_date=D(2026, 5, 1)).allowed
    assert flow.decide(Thing(), AUTHOR, "submit").failure == "guard"
    assert flow.decide(Thing(), AUTHOR, "approve").failure == "state"
    assert flow.decide(Thing(), AUTHOR, "approve").reason == "“Approve” is not possible while draft."


def test_variant_selects_the_rows():
    flow = make_flow()
    assert flow.decide(Thing(status="submitted", kind="a"), BOSS, "approve").allowed
    assert not flow.decide(Thing(status="submitted", kind="b"), BOSS, "approve").allowed
    assert flow.decide(Thing(status="submitted", kind="b"), MINISTER, "approve").allowed


def test_check_raises_each_refusal():
    flow = make_flow(state_error=Conflict, unknown_error=NotFound)
    with pytest.raises(NotFound):
        flow.check(Thing(), AUTHOR, "teleport")
    with pytest.raises(Conflict) as wrong_state:
        flow.check(Thing(), BOSS, "approve")
    assert wrong_state.value.code == "wrong_state"
    with pytest.raises(PermissionDenied) as role:
        flow.check(Thing(status="submitted"), AUTHOR, "return", inputs={"note": "x"})
    assert role.value.message == "Only the boss."
    with pytest.raises(InvalidInput) as guard:
        flow.check(Thing(), AUTHOR, "submit")
    assert (guard.value.code, guard.value.message) == ("guard", "Write a page first.")
    with pytest.raises(InvalidInput) as missing:
        flow.check(Thing(status="submitted"), BOSS, "return", inputs={"note": "  "})
    assert missing.value.field == "note"
    assert flow.check(Thing(status="submitted"), BOSS, "return", inputs={"note": "fix it"}).target == "returned"


def test_input_messages_are_the_flows_own():
    flow = make_flow(input_messages={"note": "Say why."})
    with pytest.raises(InvalidInput) as missing:
        flow.check(Thing(status="submitted"), BOSS, "return")
    assert missing.value.message == "Say why."


def test_apply_runs_effects_and_moves_the_state():
    flow = make_flow()
    thing = Thing(pages=2)
    row = flow.check(thing, AUTHOR, "submit", on_date=D(2026, 3, 2))
    changes = flow.apply(thing, row, actor=AUTHOR, inputs={"note": "ready"}, on_date=D(2026, 3, 2))
    assert changes == {"status": ["draft", "submitted"], "stamped": D(2026, 3, 2), "note": "ready"}
    assert (thing.status, thing.stamped) == ("submitted", D(2026, 3, 2))


def test_resume_returns_to_the_remembered_state():
    flow = make_flow()
    thing = Thing(status="approved")
    flow.apply(thing, flow.check(thing, BOSS, "pause"), actor=BOSS)
    assert (thing.status, thing.before) == ("paused", "approved")
    changes = flow.apply(thing, flow.check(thing, BOSS, "resume"), actor=BOSS, previous=thing.before)
    assert changes["status"] == ["paused", "approved"] and thing.status == "approved"


def test_a_table_with_two_rows_for_one_state_and_action_is_refused():
    with pytest.raises(AssertionError):
        Flow([ROWS[0], ROWS[0]], wrong_state=lambda obj, label: "", permission=permission)
