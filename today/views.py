from django.shortcuts import render

from core.registries import today_sections

from .selectors import today_agenda


def today(request):
    agenda = today_agenda(user=request.user)
    sections = today_sections.render_list(user=request.user, today=agenda.today, request=request)
    return render(request, "today/today.html", {"agenda": agenda, "sections": sections})
