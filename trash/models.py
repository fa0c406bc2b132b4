"""The trash: a deleted customer, kept outside the live tables with everything that went with them.

Holding the rows here, not flagged in place, keeps every list, search, count and email free of trashed
customers without a filter in any of their queries: a trashed customer is simply not in the customers table.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class TrashedCustomer(models.Model):
    # The customer's own id, which they get back on restore (the live row is gone, so no foreign key).
    customer_pk = models.PositiveBigIntegerField(_("customer id"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deleted_at = models.DateTimeField(_("deleted"))
    purge_after = models.DateTimeField(_("erased for good after"))
    # What went with them, for the list: [{"model": "interactions.interaction", "count": 3}, ...] and the
    # links that were cut: [{"field": "customers.customer.referred_by", "count": 1}, ...].
    contents = models.JSONField(_("what went with them"), default=list)
    cut_links = models.JSONField(_("links cut"), default=list)
    # Every row that went, as Django's serializer writes them (primary keys kept), parents first.
    payload = models.JSONField(default=list)
    # The rows that stayed but lost a link into the deleted rows (a referral's "referred by"), to put back:
    # [{"field": "customers.customer.referred_by", "rows": [[referral id, customer id], ...]}, ...].
    links = models.JSONField(default=list)

    class Meta:
        ordering = ["-deleted_at", "-id"]
        verbose_name = _("trashed customer")
        verbose_name_plural = _("trashed customers")
        indexes = [
            # The trash page, newest first: trash.selectors.trash_list.
            models.Index(fields=["-deleted_at", "-id"], name="trashedcustomer_list_idx"),
            # The purge task polls what is due: trash.services.trash_purge_due.
            models.Index(fields=["purge_after"], name="trashedcustomer_purge_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(purge_after__gte=models.F("deleted_at")), name="trashedcustomer_purge_after_deleted"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("trash:list") + f"#trashed-{self.pk}"
