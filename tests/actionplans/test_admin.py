from django.urls import reverse

from .factories import ActionPlanFactory, ActionStepFactory


def test_the_admin_lists_plans_and_shows_a_plans_history(admin_client):
    step = ActionStepFactory(what="Plant a rose")
    plan = step.plan
    assert "Plant a rose" in admin_client.get(reverse("admin:actionplans_actionplan_change", args=[plan.pk])).content.decode()
    assert plan.title in admin_client.get(reverse("admin:actionplans_actionplan_changelist")).content.decode()
    history = admin_client.get(reverse("admin:actionplans_actionplan_history", args=[plan.pk]))
    assert history.status_code == 200


def test_a_field_worker_cannot_reach_the_plans_admin(worker_client):
    plan = ActionPlanFactory()
    response = worker_client.get(reverse("admin:actionplans_actionplan_change", args=[plan.pk]))
    assert response.status_code == 302
