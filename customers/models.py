from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from core.text import fold

from .search import phone_digits


def display_phone(number) -> str:
    """A number as the pages show it (national format), or "" for none: stored, so pages do not parse it."""
    if not number:
        return ""
    return getattr(number, "as_national", None) or str(number)


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=50)
    contact_every_days = models.PositiveSmallIntegerField(
        _("stay in touch every (days)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("Customers with this tag are due a contact this often, unless they have their own cadence."),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="tag_name_unique_ci"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("customers:list") + f"?tag={self.pk}"


# At module level so that Meta's check constraints can read their values (a nested Meta cannot see the
# model's own class attributes); the model offers them as Customer.Kind, .Status and .ContactMethod.
class Kind(models.TextChoices):
    HOUSEHOLD = "household", _("Household")
    BUSINESS = "business", _("Business")


class Status(models.TextChoices):
    LEAD = "lead", _("Lead")
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    LOST = "lost", _("Lost")


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message")
    EMAIL = "email", _("Email")
    ANY = "any", _("No preference")


# Worked out from the others by Customer.refresh_derived_fields(), for look-up and display: never edited by hand,
# saved along with any change (a bulk write that bypasses save() lists them too), and kept out of the history.
DERIVED_FIELDS = ["phone_digits", "alt_phone_digits", "phone_display", "alt_phone_display", "search_text", "sort_name"]


class Customer(models.Model):
    Kind = Kind
    Status = Status
    ContactMethod = ContactMethod

    class Source(models.TextChoices):
        REFERRAL = "referral", _("Referred by a customer")
        WORD_OF_MOUTH = "word_of_mouth", _("Word of mouth")
        WEBSITE = "website", _("Website")
        SEARCH = "search", _("Search engine")
        SOCIAL = "social", _("Social media")
        ADVERT = "advert", _("Advert or flyer")
        REPEAT = "repeat", _("Returning customer")
        OTHER = "other", _("Other")
        UNKNOWN = "", _("Unknown")

    kind = models.CharField(_("household or business"), max_length=10, choices=Kind, default=Kind.HOUSEHOLD)
    name = models.CharField(_("name"), max_length=200, help_text=_("The person we deal with."))
    company = models.CharField(_("company"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ACTIVE)

    phone = PhoneNumberField(_("phone"), blank=True)
    alt_phone = PhoneNumberField(_("other phone"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    preferred_contact = models.CharField(
        _("preferred contact"), max_length=10, choices=ContactMethod, default=ContactMethod.ANY
    )
    do_not_contact = models.BooleanField(_("do not contact"), default=False)

    street = models.CharField(_("street address"), max_length=200, blank=True)
    town = models.CharField(_("town or city"), max_length=100, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    access_notes = models.TextField(
        _("access notes"), blank=True, help_text=_("Gate code, pets, parking, where the key is.")
    )

    key_points = models.TextField(
        _("key points"), blank=True, help_text=_("About their home or business: size, garden, equipment.")
    )
    personality = models.TextField(_("personality"), blank=True)
    wants = models.TextField(_("what they want"), blank=True)
    needs = models.TextField(_("what they need"), blank=True)
    hard_needs = models.TextField(_("hard needs"), blank=True, help_text=_("The work itself."))
    soft_needs = models.TextField(_("soft needs"), blank=True, help_text=_("How they want to be treated."))

    source = models.CharField(_("how they found us"), max_length=20, choices=Source, blank=True, default="")
    referred_by = models.ForeignKey(
        "self",
        verbose_name=_("referred by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="customers")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("looked after by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="customers",
    )

    # Derived on save, for look-up: never edited by hand.
    phone_digits = models.CharField(max_length=20, blank=True, editable=False, db_index=True)
    alt_phone_digits = models.CharField(max_length=20, blank=True, editable=False, db_index=True)
    search_text = models.TextField(blank=True, editable=False)
    # Derived on save, for display: parsing and formatting a number costs more than the rest of a
    # list row, so pages show these instead of phone.as_national (issue 16).
    phone_display = models.CharField(max_length=40, blank=True, editable=False)
    alt_phone_display = models.CharField(max_length=40, blank=True, editable=False)
    sort_name = models.CharField(max_length=200, editable=False, default="")

    # Keep your customers: how often to be in touch (else the shortest among their tags', else the business's).
    contact_every_days = models.PositiveSmallIntegerField(
        _("stay in touch every (days)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )
    # A customer brought in from a notebook may have been one for years: the date the figures count from.
    customer_since = models.DateField(_("customer since"), default=timezone.localdate)
    happy_to_be_reference = models.BooleanField(_("happy to be a reference"), default=False)
    happy_to_try_new = models.BooleanField(_("happy to try new services"), default=False)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Bumped by every save through the services: a form opened before someone else's save is refused
    # instead of silently overwriting it (core.services.model_update with expected_version).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    # Who changed what, shown on the card. Erasing a customer for good removes these rows too
    # (trash.services), so the history may hold everything the card shows.
    history = HistoricalRecords(
        excluded_fields=[*DERIVED_FIELDS, "updated_at", "version"]
    )

    class Meta:
        ordering = ["sort_name", "id"]
        indexes = [
            # The customer list orders and pages by (sort_name, id): customers.selectors.customer_page.
            models.Index(fields=["sort_name", "id"], name="customer_sort_idx"),
            models.Index(fields=["status", "sort_name", "id"], name="customer_status_sort_idx"),
            models.Index(fields=["email"], name="customer_email_idx"),
            # Duplicates are found by email in any case (the import, the possible-duplicates page).
            models.Index(Lower("email"), name="customer_email_lower_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="customer_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="customer_kind_valid"),
            models.CheckConstraint(
                condition=Q(preferred_contact__in=ContactMethod.values), name="customer_preferred_contact_valid"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="customer_name_not_empty"),
            models.CheckConstraint(condition=~Q(referred_by=models.F("id")), name="customer_not_self_referred"),
        ]

    def __str__(self):
        if self.company and self.kind == self.Kind.BUSINESS:
            return f"{self.name} ({self.company})"
        return self.name

    def get_absolute_url(self):
        return reverse("customers:detail", args=[self.pk])

    def refresh_derived_fields(self):
        self.phone_digits = phone_digits(self.phone)
        self.alt_phone_digits = phone_digits(self.alt_phone)
        self.phone_display = display_phone(self.phone)
        self.alt_phone_display = display_phone(self.alt_phone)
        self.sort_name = fold(self.name)[:200]
        self.search_text = " ".join(
            fold(part) for part in (self.name, self.company, self.email, self.street, self.town, self.postcode) if part
        )

    def save(self, *args, **kwargs):
        self.refresh_derived_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = set(update_fields) | set(DERIVED_FIELDS)
        super().save(*args, **kwargs)

    @property
    def phone_e164(self) -> str:
        """What a tel: link needs, from the stored digits (E.164 is "+" and the digits), so no number is parsed."""
        return f"+{self.phone_digits}" if self.phone_digits else ""

    @property
    def alt_phone_e164(self) -> str:
        return f"+{self.alt_phone_digits}" if self.alt_phone_digits else ""

    @property
    def address(self) -> str:
        return ", ".join(part for part in (self.street, self.town, self.postcode) if part)

    @property
    def maps_url(self) -> str:
        from urllib.parse import quote_plus

        return f"https://www.google.com/maps/search/?api=1&query={quote_plus(self.address)}" if self.address else ""
