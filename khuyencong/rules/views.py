"""The "Quy định" pages: rules in force on a date, and the support calculator (an htmx partial)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from khuyencong.core.errors import DomainError

from . import engine, selectors
from .forms import BrowseForm, QuoteForm

QUOTE_PREFIX = "quote"


def _quote_context(request, on_date=None) -> dict:
    """The calculator's form and, when it was filled in, the quote or the reason there is none."""
    bound = any(name.startswith(f"{QUOTE_PREFIX}-") for name in request.GET)
    form = QuoteForm(request.GET if bound else None, prefix=QUOTE_PREFIX, initial={"on_date": on_date})
    context = {"quote_form": form, "quote": None, "quote_error": ""}
    if bound and form.is_valid():
        data = form.cleaned_data
        try:
            context["quote"] = engine.support_quote(
                data["content"], data["fund"], data["province"], data["cost"], data["on_date"],
                variant=data["variant"] or None, priority=data["priority"],
            )
        except DomainError as exc:
            context["quote_error"] = exc.message
    return context


@login_required
def rule_index(request):
    browse = BrowseForm(request.GET or None)
    on_date = browse.on_date()
    content = browse.cleaned_data.get("content", "") if browse.is_bound and browse.is_valid() else ""
    context = {
        "browse_form": browse,
        "on_date": on_date,
        "rules": selectors.rules_on(on_date=on_date, content=content),
        **_quote_context(request, on_date=on_date),
    }
    return render(request, "rules/index.html", context)


@login_required
def rule_quote(request):
    """The calculator's result, re-rendered as the user types (htmx); a full page without JavaScript."""
    if not request.htmx:
        return rule_index(request)
    return render(request, "rules/_quote_result.html", _quote_context(request))
