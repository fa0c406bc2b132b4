from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from core.forms import parse_id
from core.http import safe_next_url
from customers.access import get_customer_for_user
from customers.selectors import customer_get

from . import selectors, services
from .filters import FeedbackFilter
from .forms import AnswersForm, FeedbackForm
from .models import FeedbackItem
from .tokens import LinkProblem, check_token

FEEDBACK_PER_PAGE = 20


def _get_improvement_for_user(request, pk: int) -> FeedbackItem:
    """The improvement, if this user may act on it: only the owner turns feedback into work (403 otherwise)."""
    if not request.user.is_owner:
        raise PermissionDenied
    item = selectors.improvement_get(pk=pk)
    if item is None:
        raise Http404
    return item


def feedback_list(request):
    filterset = FeedbackFilter(request.GET, queryset=selectors.feedback_list())
    qs = filterset.qs
    customer_id = filterset.form.cleaned_data.get("customer")
    page = Paginator(qs, FEEDBACK_PER_PAGE).get_page(parse_id(request.GET.get("page")) or 1)
    feedback = list(page.object_list)
    selectors.attach_improvement_actions(feedback, user=request.user)
    months = selectors.monthly_counts(qs)
    context = {
        "form": filterset.form,
        "page": page,
        "feedback_list": feedback,
        "months": months,
        "month_max": max([1, *(m.likes for m in months), *(m.improvements for m in months)]),
        "top_words": selectors.improvement_top_words(qs),
        "customer": customer_get(pk=customer_id) if customer_id else None,
        "filter_qs": urlencode({k: v for k, v in request.GET.items() if k != "page" and v}),
    }
    return render(request, "feedback/feedback_list.html", context)


@require_http_methods(["GET", "POST"])
def feedback_create(request, customer_pk: int):
    customer = get_customer_for_user(request.user, customer_pk)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_create(customer=customer, recorded_by=request.user, **form.answers())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Feedback saved. Thank them for it!"))
            return redirect(customer.get_absolute_url() + "#feedback")
    return render(request, "feedback/feedback_form.html", {"form": form, "customer": customer})


@require_POST
def feedback_request_create(request, customer_pk: int):
    customer = get_customer_for_user(request.user, customer_pk)
    try:
        feedback_request = services.feedback_request_create(customer=customer, requested_by=request.user)
    except services.RequestRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, _("Asked for feedback: an email with a private link is on its way to %(email)s.")
            % {"email": feedback_request.email}
        )
    return redirect(customer.get_absolute_url() + "#feedback")


@require_POST
def improvement_followup_create(request, pk: int):
    item = _get_improvement_for_user(request, pk)
    # Read before the write: a request whose body cannot be read is refused without a change.
    next_url = safe_next_url(request, item.get_absolute_url())
    already = item.followup_id is not None
    item = services.improvement_followup_create(item=item, user=request.user)
    if already:
        messages.info(request, _("This improvement already has a follow-up."))
    else:
        messages.success(
            request, _("Follow-up set for %(due)s, assigned to you.") % {"due": item.followup.due_date.strftime("%a %d %b")}
        )
    return redirect(next_url)


# The customer's own link, the only page anyone can open without signing in.

def _answer_rate(group, request):
    return settings.FEEDBACK_LINK_RATE_LIMIT


def _public(response):
    # The token is in the URL: keep it out of Referer headers sent to other sites, and out of search
    # engines. ("no-referrer" would also make the browser send "Origin: null", failing the CSRF check.)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


LINK_PROBLEM_STATUS = {LinkProblem.INVALID: 404, LinkProblem.EXPIRED: 410, LinkProblem.USED: 410}


def _link_problem(request, problem: LinkProblem):
    return _public(render(request, "feedback/link_problem.html", {"problem": problem.value},
                          status=LINK_PROBLEM_STATUS[problem]))


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(group="feedback:answer", key="ip", rate=_answer_rate, block=False)
def feedback_answer(request, token: str):
    if getattr(request, "limited", False):
        return _public(render(request, "feedback/rate_limited.html", status=429))
    check = check_token(token)
    if check.problem:
        return _link_problem(request, check.problem)
    form = AnswersForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_request_answer(feedback_request=check.request, **form.answers())
        except services.AlreadyAnswered:
            return _link_problem(request, LinkProblem.USED)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _public(render(request, "feedback/answer_thanks.html"))
    return _public(render(request, "feedback/answer_form.html", {"form": form}))
