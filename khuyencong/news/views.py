"""Pages of news: the public portal (no account: list, per province, article, pictures, feed) and the staff pages
(list, write, preview, the flow's buttons, pictures)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts.scope import acting_provinces
from khuyencong.core.audit import audit_events_for
from khuyencong.core.errors import DomainError
from khuyencong.core.paging import int_or_none, page_context
from khuyencong.geo.models import AdminUnit

from . import selectors, services
from .flows import article_flow
from .forms import ArticleForm, ImageForm, NewArticleForm, ReasonForm
from .models import ArticleStatus, Category
from .permissions import WRITERS, can_edit, can_write

# --- the public portal --------------------------------------------------------------------------------------------


def _public_list(request, province=None):
    filters = selectors.PublicFilters(q=request.GET.get("q", "")[:200],
                                      province=province.code if province is not None else None,
                                      category=request.GET.get("category", "") if request.GET.get(
                                          "category") in Category.values else "")
    if province is None and request.GET.get("tinh") == "0":
        filters.province = 0
    qs = selectors.published_list(filters)
    return render(request, "news/public_list.html", {
        **page_context(request, qs, per_page=12), "filters": filters, "province": province,
        "provinces": selectors.published_provinces(), "categories": Category.choices,
    })


def public_list(request):
    """The national news page: every published article, national and of every province."""
    return _public_list(request)


def public_province(request, code: int):
    province = AdminUnit.objects.current().provinces().filter(code=code).first()
    if province is None:
        raise Http404
    return _public_list(request, province)


def public_article(request, code: int, slug: str):
    article = selectors.published_get(code, slug)
    if article is None:
        raise Http404
    return render(request, "news/public_article.html", {"article": article, "preview": False})


def _image_response(image):
    if image is None:
        raise Http404
    try:
        handle = image.image.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=600"
    return response


def public_image(request, pk: int):
    return _image_response(selectors.published_image(pk))


# --- the staff pages ----------------------------------------------------------------------------------------------


def _article_or_404(request, pk: int):
    article = selectors.staff_get(user=request.user, pk=pk)
    if article is None:
        raise Http404
    return article


def _writable_provinces(user):
    return list(acting_provinces(user, roles=WRITERS).order_by("name"))


@login_required
def manage_list(request):
    status = request.GET.get("status", "")
    filters = selectors.StaffFilters(q=request.GET.get("q", "")[:200],
                                     status=status if status in ArticleStatus.values else "",
                                     province=int_or_none(request.GET.get("province")))
    qs = selectors.staff_list(user=request.user, filters=filters)
    can_create = bool(_writable_provinces(request.user)) or bool(can_write(request.user, None))
    return render(request, "news/manage_list.html", {
        **page_context(request, qs), "filters": filters, "statuses": ArticleStatus.choices,
        "counts": selectors.status_counts(request.user), "can_create": can_create,
    })


def _show_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@login_required
def manage_create(request):
    provinces = _writable_provinces(request.user)
    national = bool(can_write(request.user, None))
    if not provinces and not national:
        messages.error(request, _("Only the KC centre's staff of the province write its news."))
        return redirect("news_manage_list")
    single = provinces[0] if len(provinces) == 1 and not national else None
    form = NewArticleForm(request.POST or None, provinces=provinces, national=national, province=single)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["province"]
        province = None if code == 0 else next((p for p in provinces if p.code == code), None)
        data, links = form.data_and_links()
        try:
            article = services.article_create(actor=request.user, province=province, data=data, links=links)
        except DomainError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("news_manage_detail", pk=article.pk)
    return render(request, "news/manage_form.html", {"form": form, "article": None},
                  status=422 if form.errors else 200)


@login_required
def manage_detail(request, pk: int):
    article = _article_or_404(request, pk)
    return render(request, "news/manage_detail.html", {
        "article": article, "options": article_flow.options(article, request.user),
        "can_edit": can_edit(request.user, article), "image_form": ImageForm(),
        "history": audit_events_for(article)[:30], "preview": True,
    })


@login_required
def manage_edit(request, pk: int):
    article = _article_or_404(request, pk)
    decision = can_edit(request.user, article)
    if not decision:
        messages.error(request, decision.reason)
        return redirect("news_manage_detail", pk=pk)
    form = ArticleForm(request.POST or None, province=article.province,
                       initial=None if request.method == "POST" else ArticleForm.initial_for(article))
    if request.method == "POST" and form.is_valid():
        data, links = form.data_and_links()
        try:
            services.article_update(actor=request.user, article=article, version=form.cleaned_data["version"],
                                    data=data, links=links)
        except DomainError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("news_manage_detail", pk=pk)
    return render(request, "news/manage_form.html", {"form": form, "article": article},
                  status=422 if form.errors else 200)


@login_required
@require_POST
def manage_act(request, pk: int, action: str):
    article = _article_or_404(request, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    try:
        services.article_transition(actor=request.user, article=article, action=action,
                                    version=data.get("version"), inputs={"reason": data.get("reason", "")})
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        article.refresh_from_db()
        messages.success(request, _("Done: the article is now “%(status)s”.")
                         % {"status": article.get_status_display().lower()})
    return redirect("news_manage_detail", pk=pk)


@login_required
@require_POST
def manage_image_add(request, pk: int):
    article = _article_or_404(request, pk)
    form = ImageForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect("news_manage_detail", pk=pk)
    try:
        services.image_add(actor=request.user, article=article, upload=form.cleaned_data["image"],
                           caption=form.cleaned_data["caption"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The picture is added."))
    return redirect("news_manage_detail", pk=pk)


@login_required
@require_POST
def manage_image_remove(request, pk: int, image_id: int):
    article = _article_or_404(request, pk)
    try:
        services.image_remove(actor=request.user, article=article, image_id=image_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The picture is removed."))
    return redirect("news_manage_detail", pk=pk)


@login_required
def manage_image(request, image_id: int):
    return _image_response(selectors.staff_image(user=request.user, image_id=image_id))


