import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from customers.models import Customer

from . import selectors, services
from .forms import NEW_PLAN_DAYS, PlanForm, StepDoneForm, StepForm, StepFromTextForm
from .models import ActionPlan, ActionStep


def _may_manage(user) -> bool:
    """The owner manages every plan; a field worker only reads them and checks off their own steps."""
    return user.is_owner


def _get_plan_for_user(request, pk: int, *, manage: bool = False) -> ActionPlan:
    """The plan, if this user may do what they ask: everyone reads; only the owner changes (403 otherwise)."""
    if manage and not _may_manage(request.user):
        raise PermissionDenied
    return get_object_or_404(ActionPlan, pk=pk)


def _get_step_for_user(request, pk: int, *, manage: bool = False) -> ActionStep:
    """The step, if this user may change it: the owner anything; its assignee only checks it off or reopens it."""
    step = get_object_or_404(ActionStep.objects.select_related("plan"), pk=pk)
    if _may_manage(request.user):
        return step
    if manage or step.assignee_id != request.user.pk:
        raise PermissionDenied
    return step


def _render_steps(request, plan_id: int, *, today: datetime.date):
    """htmx answer to a reorder: the step list, and the history swapped out of band."""
    plan = selectors.plan_for_page(pk=plan_id, today=today)
    context = {"plan": plan, "today": today, "may_manage": True, "oob_history": True,
               "history": selectors.plan_history(plan=plan)}
    return render(request, "actionplans/_steps.html", context)


@require_GET
def plan_list(request):
    today = timezone.localdate()
    status = request.GET.get("status", "")
    status = status if status in ActionPlan.Status.values else ""
    context = {
        "plans": selectors.plan_list(today=today, status=status),
        "status": status,
        "statuses": ActionPlan.Status.choices,
        "may_manage": _may_manage(request.user),
    }
    return render(request, "actionplans/plan_list.html", context)


@require_GET
def plan_detail(request, pk: int):
    today = timezone.localdate()
    plan = selectors.plan_for_page(pk=pk, today=today)
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
    if request.method == "POST" and form.is_valid():
        services.step_update(step=step, **form.cleaned_data, changed_by=request.user)
        warning = form.outside_plan_warning()
        if warning:
            messages.warning(request, warning)
        messages.success(request, _("Saved."))
        return redirect(step)
    return render(request, "actionplans/step_form.html", {"form": form, "plan": step.plan, "step": step})


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
    step = ActionStep.objects.select_related("plan", "assignee", "done_by").get(pk=step.pk)
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
        "customer": request.GET.get("customer") if request.GET.get("customer", "").isdigit() else None,
    }
    form = StepFromTextForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = data["plan"]
        if plan is None:
            customer = Customer.objects.filter(pk=data["customer"]).first() if data["customer"] else None
            today = timezone.localdate()
            plan = services.plan_create(
                title=data["new_plan_title"].strip(),
                owner=request.user,
                audience_kind=ActionPlan.Audience.CUSTOMER if customer else ActionPlan.Audience.ALL,
                customer=customer,
                start_date=min(today, data["due_date"]),
                end_date=max(today + datetime.timedelta(days=NEW_PLAN_DAYS), data["due_date"]),
                status=ActionPlan.Status.DRAFT,
                changed_by=request.user,
            )
        step = services.step_create(
            plan=plan, what=data["what"], due_date=data["due_date"], assignee=data["assignee"],
            is_creative=data["is_creative"], source=data["source"], changed_by=request.user,
        )
        messages.success(request, _("Step added to “%(plan)s”.") % {"plan": plan.title})
        return redirect(step)
    customer_id = form["customer"].value()
    customer = Customer.objects.filter(pk=customer_id).first() if str(customer_id or "").isdigit() else None
    return render(request, "actionplans/step_from_text.html", {"form": form, "customer": customer})
