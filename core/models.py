from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last time a periodic job ran, by name: /healthz tells a stopped beat from a quiet one."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    at = models.DateTimeField(_("last beat"))

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M:%S %Z}"
