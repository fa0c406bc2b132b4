import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.conflicts import Conflict, explain_conflict
from core.forms import parse_id

from . import selectors, services
from .filters import PlanFilter
from .forms import PlanForm, StepDoneForm, StepForm, StepFromTextForm
from .models import ActionPlan, ActionStep


def _may_manage(user) -> bool:
    """The owner manages every plan; a field worker only reads them and checks off their own steps."""
    return user.is_owner


def _get_plan_for_user(request, pk: int, *, manage: bool = False, today: datetime.date | None = None) -> ActionPlan:
    """The plan, if this user may do what they ask: everyone reads; only the owner changes (403 otherwise).

    With `today`, the plan comes with its progress and its steps, as the plan page shows them.
    """
    if manage and not _may_manage(request.user):
        raise PermissionDenied
    plan = selectors.plan_for_page(pk=pk, today=today) if today else selectors.plan_get(pk=pk)
    if plan is None:
        raise Http404
    return plan


def _get_step_for_user(request, pk: int, *, manage: bool = False) -> ActionStep:
    """The step, if this user may change it: the owner anything; its assignee only checks it off or reopens it."""
    step = selectors.step_get(pk=pk)
    if step is None:
        raise Http404
    if _may_manage(request.user):
        return step
    if manage or step.assignee_id != request.user.pk:
        raise PermissionDenied
    return step


def _render_steps(request, plan_id: int, *, today: datetime.date):
    """htmx answer to a reorder: the step list, and the history swapped out of band."""
    plan = _get_plan_for_user(request, plan_id, manage=True, today=today)
    context = {"plan": plan, "today": today, "may_manage": True, "oob_history": True,
               "history": selectors.plan_history(plan=plan)}
    return render(request, "actionplans/_steps.html", context)


@require_GET
def plan_list(request):
    filters = PlanFilter(request.GET, queryset=selectors.plan_list(today=timezone.localdate()))
    context = {
        "plans": filters.qs,
        "status": filters.form.cleaned_data.get("status", ""),
        "statuses": ActionPlan.Status.choices,
        "may_manage": _may_manage(request.user),
    }
    return render(request, "actionplans/plan_list.html", context)


@require_GET
def plan_detail(request, pk: int):
    today = timezone.localdate()
    plan = _get_plan_for_user(request, pk, today=today)
    may_manage = _may_manage(request.user)
    steps = list(plan.steps.all())
    context = {
        "plan": plan,
        "today": today,
        "may_manage": may_manage,
        "has_creative_step": any(step.is_creative for step in steps),
        "history": selectors.plan_history(plan=plan),
        "step_form": StepForm(plan=plan) if may_manage else None,
    }
    return render(request, "actionplans/plan_detail.html", context)


@require_http_methods(["GET", "POST"])
def plan_create(request):
    if not _may_manage(request.user):
        raise PermissionDenied
    form = PlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        plan = services.plan_create(**form.cleaned_data, changed_by=request.user)
        messages.success(request, _("Plan created. Now add its steps — and one creative service action."))
        return redirect(plan)
    return render(request, "actionplans/plan_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    plan = _get_plan_for_user(request, pk, manage=True)
    saved_title = plan.title  # the form writes what was typed onto the instance, even when invalid
    form = PlanForm(request.POST or None, instance=plan, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.plan_update(plan=plan, **form.cleaned_data, changed_by=request.user)
        messages.success(request, _("Saved."))
        return redirect(plan)
    return render(request, "actionplans/plan_form.html", {"form": form, "plan": plan, "saved_title": saved_title})


@require_http_methods(["GET", "POST"])
def plan_delete(request, pk: int):
    plan = _get_plan_for_user(request, pk, manage=True)
    if request.method == "POST":
        services.plan_delete(plan=plan, changed_by=request.user)
        messages.success(request, _("The plan “%(title)s” was deleted.") % {"title": plan.title})
        return redirect("actionplans:list")
    return render(request, "actionplans/plan_confirm_delete.html", {"plan": plan})


@require_http_methods(["GET", "POST"])
def step_create(request, plan_pk: int):
    plan = _get_plan_for_user(request, plan_pk, manage=True)
    form = StepForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        step = services.step_create(plan=plan, **form.cleaned_data, changed_by=request.user)
        warning = form.outside_plan_warning()
        if warning:
            messages.warning(request, warning)
        messages.success(request, _("Step added."))
        return redirect(step)
    return render(request, "actionplans/step_form.html", {"form": form, "plan": plan})


@require_http_methods(["GET", "POST"])
def step_edit(request, pk: int):
    step = _get_step_for_user(request, pk, manage=True)
    form = StepForm(request.POST or None, instance=step, plan=step.plan)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.step_update(step=step, **form.cleaned_data, changed_by=request.user,
                                 expected_version=form.expected_version)
        except Conflict as refused:
            conflict = explain_conflict(form, refused)
        if conflict is None or not conflict.fields:  # no conflict, or the form holds what is stored now
            warning = form.outside_plan_warning()
            if warning:
                messages.warning(request, warning)
            messages.success(request, _("Saved."))
            return redirect(step)
    return render(request, "actionplans/step_form.html",
                  {"form": form, "plan": step.plan, "step": step, "conflict": conflict})


@require_POST
def step_delete(request, pk: int):
    step = _get_step_for_user(request, pk, manage=True)
    services.step_delete(step=step, changed_by=request.user)
    messages.success(request, _("Step removed: %(what)s") % {"what": step.what})
    return redirect(step.plan)


@require_POST
def step_move(request, pk: int):
    step = _get_step_for_user(request, pk, manage=True)
    services.step_move(step=step, up=request.POST.get("direction") != "down", changed_by=request.user)
    if request.htmx:
        return _render_steps(request, step.plan_id, today=timezone.localdate())
    return redirect(step)


@require_POST
def step_toggle(request, pk: int):
    """Checks a step off (or reopens it). With htmx, answers with the step's row and the refreshed progress."""
    step = _get_step_for_user(request, pk)
    form = StepDoneForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    if request.POST.get("done") == "0":
        step = services.step_reopen(step=step, user=request.user)
    else:
        step = services.step_complete(step=step, user=request.user, note=note)
    if not request.htmx:
        messages.success(request, _("Done: %(what)s") % {"what": step.what} if step.is_done else _("Reopened."))
        return redirect(step)
    today = timezone.localdate()
    step = selectors.step_for_row(pk=step.pk)
    plan = selectors.plan_progress(plan_id=step.plan_id, today=today)
    context = {
        "step": step,
        "plan": plan,
        "today": today,
        "may_manage": _may_manage(request.user),
        "history": selectors.plan_history(plan=plan),
    }
    return render(request, "actionplans/_step_toggled.html", context)


@require_http_methods(["GET", "POST"])
def step_from_text(request):
    """"Make this a step": ?text=…&source=…&customer=<id> prefill a step for an existing or a new plan."""
    if not _may_manage(request.user):
        raise PermissionDenied
    initial = {
        "what": request.GET.get("text", "").strip()[:300],
        "source": request.GET.get("source", "").strip()[:300],
        "customer": parse_id(request.GET.get("customer")),
    }
    form = StepFromTextForm(request.POST or None, initial=initial, user=request.user)
    customer = selectors.customer_from_link(parse_id(form["customer"].value()))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        step = services.step_create_from_text(
            user=request.user, plan=data["plan"], new_plan_title=data["new_plan_title"], customer=customer,
            what=data["what"], due_date=data["due_date"], assignee=data["assignee"],
            is_creative=data["is_creative"], source=data["source"],
        )
        messages.success(request, _("Step added to “%(plan)s”.") % {"plan": step.plan.title})
        return redirect(step)
    return render(request, "actionplans/step_from_text.html", {"form": form, "customer": customer})
