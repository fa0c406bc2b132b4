"""An import: the file, the choices the owner made, its progress, and what it wrote (so that it can be undone)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from customers.models import Customer


class Status(models.TextChoices):
    MAPPING = "mapping", _("Waiting for you to check the columns")
    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Running")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Stopped")
    UNDONE = "undone", _("Undone")


class Phase(models.TextChoices):
    """What a run does: a check that writes nothing, the import, or its undo."""

    NONE = "", _("Nothing yet")
    DRY_RUN = "dry_run", _("Check")
    IMPORT = "import", _("Import")
    UNDO = "undo", _("Undo")


class Duplicates(models.TextChoices):
    SKIP = "skip", _("Skip them")
    FILL = "fill", _("Fill in their empty fields")
    ADD = "add", _("Add them anyway")


class ImportBatch(models.Model):
    Status = Status
    Phase = Phase
    Duplicates = Duplicates

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("imported by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    filename = models.CharField(_("file"), max_length=255)
    kind = models.CharField(_("kind of file"), max_length=10)  # imports.readers.KINDS
    size = models.PositiveBigIntegerField(_("size in bytes"))
    header = models.JSONField(_("columns"), default=list)
    sheets = models.JSONField(default=list)

    # The owner's choices on the mapping page.
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    mapping = models.JSONField(_("column mapping"), default=list)  # a target key per column (imports.columns)
    date_order = models.CharField(_("date order"), max_length=3, blank=True)
    duplicates = models.CharField(_("duplicates"), max_length=10, choices=Duplicates, default=Duplicates.SKIP)

    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.MAPPING)
    phase = models.CharField(_("running"), max_length=10, choices=Phase, blank=True, default=Phase.NONE)
    total_rows = models.PositiveIntegerField(null=True, blank=True)  # of the current run (records, for an undo)
    done_rows = models.PositiveIntegerField(default=0)  # rows the current run has committed
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # the runner's last sign of life
    attempts = models.PositiveSmallIntegerField(default=0)  # runs of the current phase (a resume is one more)
    error = models.TextField(blank=True)

    # What the check found, and what the import did.
    checked = models.JSONField(null=True, blank=True)  # {"new", "updated", "skipped", "rejected"} of the last check
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_kept = models.PositiveIntegerField(default=0)  # customers the undo left, something being logged for them

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="import_status_valid"),
            models.CheckConstraint(condition=Q(phase__in=Phase.values), name="import_phase_valid"),
            models.CheckConstraint(condition=Q(duplicates__in=Duplicates.values), name="import_duplicates_valid"),
        ]

    def __str__(self):
        return f"{self.filename} (#{self.pk})"

    def get_absolute_url(self):
        return reverse("imports:detail", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in (Status.QUEUED, Status.RUNNING)

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.done_rows / self.total_rows))


class ImportFile(models.Model):
    """The uploaded bytes, apart from the batch so that lists never read them; dropped once the import is done.

    In the database rather than on a disk: the worker that runs the import may be on another machine."""

    batch = models.OneToOneField(ImportBatch, on_delete=models.CASCADE, primary_key=True, related_name="file")
    data = models.BinaryField()

    def __str__(self):
        return f"File of import #{self.batch_id}"


class ImportedCustomer(models.Model):
    """A customer the import created or filled in: what the undo removes or restores."""

    customer_bookkeeping = True  # not part of the customer's record (customers.relations)

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("filled in")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="records")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="import_records")
    row_number = models.PositiveIntegerField()  # the row of the file it came from (the first, when several)
    action = models.CharField(max_length=10, choices=Action)
    filled = models.JSONField(default=list)  # the fields filled in, which were empty before
    tags_added = models.JSONField(default=list)  # tag ids the import added
    version_after = models.PositiveIntegerField()  # the customer's version when the import left them
    kept = models.BooleanField(default=False)  # the undo left this customer: something was logged for them since

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["batch", "customer"], name="import_record_unique"),
            models.CheckConstraint(condition=Q(action__in=["created", "updated"]), name="import_record_action_valid"),
        ]
        indexes = [models.Index(fields=["batch", "row_number"], name="import_record_row_idx")]

    def __str__(self):
        return f"Customer #{self.customer_id} {self.action} by import #{self.batch_id}"


class ImportRowNote(models.Model):
    """A row that was not imported, and why: the rejected rows' CSV (and the skipped ones') are made from these."""

    class Kind(models.TextChoices):
        REJECTED = "rejected", _("rejected")
        SKIPPED = "skipped", _("skipped")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="notes")
    dry_run = models.BooleanField(default=False)
    kind = models.CharField(max_length=10, choices=Kind)
    row_number = models.PositiveIntegerField()
    reason = models.TextField()
    cells = models.JSONField(default=list)

    class Meta:
        ordering = ["row_number", "id"]
        indexes = [models.Index(fields=["batch", "dry_run", "kind", "row_number"], name="import_note_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["rejected", "skipped"]), name="import_note_kind_valid"),
        ]

    def __str__(self):
        return f"Row {self.row_number} {self.kind} by import #{self.batch_id}"
