"""imports.columns: guessing which field each column feeds, and cleaning one row's cells into customer values."""

import datetime

import pytest
from django.utils import translation

from accounts.models import User
from customers.models import ContactMethod, Customer, Kind, Status
from imports.columns import (
    STATUS_WORDS,
    TARGETS,
    clean_row,
    detect_date_order,
    guess_mapping,
    mapping_problems,
    parse_date,
)

# Every date below is read against this "today"; the future check depends on it.
pytestmark = pytest.mark.clock("2025-06-15 12:00")
TODAY = datetime.date(2025, 6, 15)


@pytest.fixture(autouse=True)
def us_numbers(settings):
    settings.PHONENUMBER_DEFAULT_REGION = "US"


def clean(*pairs, date_order=None):
    """clean_row for (target, cell) pairs, one column each."""
    return clean_row([cell for _target, cell in pairs], [target for target, _cell in pairs], date_order=date_order)


def mapped(header):
    """{header name: target} for the columns guess_mapping imports."""
    return {name: target for name, target in zip(header, guess_mapping(header), strict=True) if target}


# guess_mapping

VCARD_HEADER = ["Name", "First name", "Last name", "Company", "Mobile", "Other phone", "Email", "Street", "Town",
                "Postcode", "Notes", "More contact details"]


def test_the_vcard_rows_map_to_every_field_they_carry():
    assert guess_mapping(VCARD_HEADER) == [
        "name", "", "", "company", "phone", "alt_phone", "email", "street", "town", "postcode", "key_points",
        "key_points",
    ]


def test_a_hand_made_excel_sheet_maps_completely():
    header = ["Full Name", "Mobile", "E-mail", "Address", "City", "Zip", "Notes", "Customer since"]

    assert guess_mapping(header) == [
        "name", "phone", "email", "street", "town", "postcode", "key_points", "customer_since",
    ]


GOOGLE_HEADER = [
    "First Name", "Middle Name", "Last Name", "Phonetic First Name", "Phonetic Middle Name", "Phonetic Last Name",
    "Name Prefix", "Name Suffix", "Nickname", "File As", "Organization Name", "Organization Title",
    "Organization Department", "Birthday", "Notes", "Photo", "Labels", "E-mail 1 - Label", "E-mail 1 - Value",
    "E-mail 2 - Label", "E-mail 2 - Value", "Phone 1 - Label", "Phone 1 - Value", "Phone 2 - Label",
    "Phone 2 - Value", "Phone 3 - Label", "Phone 3 - Value", "Address 1 - Label", "Address 1 - Formatted",
    "Address 1 - Street", "Address 1 - City", "Address 1 - PO Box", "Address 1 - Region", "Address 1 - Postal Code",
    "Address 1 - Country", "Address 1 - Extended Address", "Website 1 - Label", "Website 1 - Value",
]


def test_a_google_contacts_export_maps_values_and_skips_their_labels():
    assert mapped(GOOGLE_HEADER) == {
        "First Name": "first_name",
        "Last Name": "last_name",
        "Organization Name": "company",
        "Notes": "key_points",
        "Labels": "tags",
        "E-mail 1 - Value": "email",
        "Phone 1 - Value": "phone",
        "Phone 2 - Value": "alt_phone",
        "Address 1 - Street": "street",
        "Address 1 - City": "town",
        "Address 1 - Postal Code": "postcode",
        "Address 1 - Extended Address": "street",
    }


def test_an_older_google_export_keeps_its_full_name_column():
    header = ["Name", "Given Name", "Additional Name", "Family Name", "Nickname", "Birthday", "Notes",
              "Group Membership", "E-mail 1 - Type", "E-mail 1 - Value", "Phone 1 - Type", "Phone 1 - Value",
              "Organization 1 - Type", "Organization 1 - Name", "Organization 1 - Title"]

    assert mapped(header) == {
        "Name": "name", "Notes": "key_points", "Group Membership": "tags", "E-mail 1 - Value": "email",
        "Phone 1 - Value": "phone", "Organization 1 - Name": "company",
    }


OUTLOOK_HEADER = [
    "First Name", "Middle Name", "Last Name", "Title", "Suffix", "Initials", "Web Page", "Gender", "Birthday",
    "Anniversary", "Location", "Language", "Internet Free Busy", "Notes", "E-mail Address", "E-mail 2 Address",
    "E-mail 3 Address", "Primary Phone", "Home Phone", "Home Phone 2", "Mobile Phone", "Pager", "Home Fax",
    "Home Street", "Home Street 2", "Home Street 3", "Home Address PO Box", "Home City", "Home State",
    "Home Postal Code", "Home Country", "Spouse", "Children", "Manager's Name", "Assistant's Name", "Referred By",
    "Company Main Phone", "Business Phone", "Business Phone 2", "Business Fax", "Assistant's Phone", "Company",
    "Job Title", "Department", "Office Location", "Organizational ID Number", "Profession", "Account",
    "Business Street", "Business City", "Business State", "Business Postal Code", "Business Country",
    "Other Phone", "Other Fax", "Other Street", "Other City", "Other State", "Other Postal Code", "Other Country",
    "Callback", "Car Phone", "ISDN", "Radio Phone", "TTY/TDD Phone", "Telex", "User 1", "User 2", "Keywords",
    "Mileage", "Billing Information", "Directory Server", "Sensitivity", "Priority", "Private", "Categories",
]


def test_an_outlook_export_maps_the_home_address_and_the_two_best_phones():
    assert mapped(OUTLOOK_HEADER) == {
        "First Name": "first_name",
        "Last Name": "last_name",
        "Notes": "key_points",
        "E-mail Address": "email",
        "Primary Phone": "phone",
        "Mobile Phone": "alt_phone",
        "Home Street": "street",
        "Home Street 2": "street",
        "Home Street 3": "street",
        "Home City": "town",
        "Home Postal Code": "postcode",
        "Company": "company",
        "Categories": "tags",
    }


def test_case_accents_and_punctuation_do_not_matter():
    header = ["FIRST NAME", "last_name", "Téléphone", "E-MAIL", "ZIP-code", "Customer Since:", "  Town  "]

    assert guess_mapping(header) == ["first_name", "last_name", "phone", "email", "postcode", "customer_since", "town"]


@pytest.mark.parametrize(("name", "target"), [
    ("Given name", "first_name"), ("Forename", "first_name"), ("first_name", "first_name"),
    ("Surname", "last_name"), ("Family name", "last_name"),
    ("Cell", "phone"), ("Cell phone", "phone"), ("Mobile number", "phone"), ("Tel", "phone"), ("Tel.", "phone"),
    ("Telephone", "phone"), ("Phone number", "phone"), ("Phone #", "phone"),
    ("Home phone", "phone"), ("Work phone", "phone"), ("Landline", "phone"), ("Phone 2", "phone"),
    ("Email address", "email"), ("Mail", "email"),
    ("Zip code", "postcode"), ("Postal code", "postcode"), ("Post code", "postcode"), ("Postcode", "postcode"),
    ("Locality", "town"), ("Suburb", "town"), ("City", "town"),
    ("Address line 1", "street"), ("Address 2", "street"), ("Street", "street"),
    ("Note", "key_points"), ("Comments", "key_points"), ("Remarks", "key_points"),
    ("Access", "access_notes"), ("Gate code", "access_notes"), ("Directions", "access_notes"),
    ("Parking", "access_notes"),
    ("Tags", "tags"), ("Groups", "tags"), ("Category", "tags"),
    ("Status", "status"),
    ("Since", "customer_since"), ("Start date", "customer_since"), ("Date added", "customer_since"),
    ("Joined", "customer_since"), ("First visit", "customer_since"),
    ("Business", "company"), ("Organisation", "company"), ("Organization", "company"),
    ("Customer", "name"), ("Customer name", "name"), ("Contact", "name"), ("Display name", "name"),
])
def test_a_common_header_name_finds_its_field(name, target):
    assert guess_mapping([name]) == [target]


def test_headers_we_do_not_know_are_not_imported():
    assert guess_mapping(["Birthday", "Favourite colour", "", "Column 7", "Phone 1 - Label"]) == ["", "", "", "", ""]


def test_a_second_column_for_a_single_field_is_left_out():
    assert guess_mapping(["Email", "Email address", "City", "Town"]) == ["email", "", "town", ""]


def test_the_second_phone_column_becomes_the_other_phone_and_a_third_is_left_out():
    assert guess_mapping(["Phone", "Phone 2", "Phone 3"]) == ["phone", "alt_phone", ""]


def test_a_mobile_is_the_main_phone_even_after_a_home_phone():
    assert guess_mapping(["Home phone", "Mobile"]) == ["alt_phone", "phone"]


def test_several_columns_may_feed_the_joined_fields():
    header = ["Address line 1", "Address line 2", "Notes", "Comments", "Tags", "Groups", "Access", "Parking"]

    assert guess_mapping(header) == [
        "street", "street", "key_points", "key_points", "tags", "tags", "access_notes", "access_notes",
    ]


def test_first_and_last_name_are_kept_when_there_is_no_full_name():
    assert guess_mapping(["Surname", "Forename", "Mobile"]) == ["last_name", "first_name", "phone"]


# mapping_problems

def test_a_guessed_mapping_of_a_real_export_can_import():
    assert mapping_problems(guess_mapping(VCARD_HEADER)) == []
    assert mapping_problems(guess_mapping(GOOGLE_HEADER)) == []
    assert mapping_problems(guess_mapping(OUTLOOK_HEADER)) == []


def test_first_or_last_name_alone_is_a_name():
    assert mapping_problems(["last_name", "phone"]) == []


def test_a_mapping_without_a_name_cannot_import():
    problems = mapping_problems(["", "phone", "email"])

    assert len(problems) == 1
    assert "name" in problems[0]


def test_a_single_field_fed_by_two_columns_is_a_problem():
    problems = mapping_problems(["name", "email", "email"])

    assert problems == ["Only one column can go into “Email”, but columns 2, 3 both do: pick one."]


def test_the_joined_fields_may_have_several_columns():
    assert mapping_problems(["name", "street", "street", "tags", "tags", "key_points", "key_points"]) == []


def test_an_unknown_field_is_a_problem():
    problems = mapping_problems(["name", "shoe_size"])

    assert len(problems) == 1
    assert "Column 2" in problems[0]
    assert "shoe_size" in problems[0]


# detect_date_order

@pytest.mark.parametrize(("samples", "expected"), [
    (["31/01/2024", "02/02/2024"], ("dmy", False)),
    (["02/02/2024", "01/31/2024"], ("mdy", False)),
    (["2024-03-04", "2023-12-31"], ("ymd", False)),
    (["13.1.24", "1.1.24"], ("dmy", False)),
    (["04/03/2024", "05/06/2024"], (None, True)),
    (["31/01/2024", "01/31/2024"], (None, True)),
    (["2024-03-04", "04/03/2024"], (None, True)),
    (["3 March 2024", "Mar 2024", ""], (None, False)),
    ([], (None, False)),
])
def test_the_date_order_is_read_from_the_samples(samples, expected):
    assert detect_date_order(samples) == expected


def test_real_dates_say_nothing_about_the_order():
    assert detect_date_order([datetime.date(2024, 1, 2), datetime.datetime(2024, 3, 4, 10, 0)]) == (None, False)
    assert detect_date_order([datetime.date(2024, 1, 2), "31/01/2024"]) == ("dmy", False)


def test_samples_can_be_any_iterable():
    assert detect_date_order(text for text in ["01/31/2024"]) == ("mdy", False)


# parse_date

@pytest.mark.parametrize(("text", "expected"), [
    ("2024-03-04", datetime.date(2024, 3, 4)),
    ("2024-03-04 10:22:11", datetime.date(2024, 3, 4)),
    ("04/03/2024", datetime.date(2024, 3, 4)),
    ("4.3.2024", datetime.date(2024, 3, 4)),
    ("4-3-24", datetime.date(2024, 3, 4)),
    ("  4/3/2024 ", datetime.date(2024, 3, 4)),
    ("3 Mar 2024", datetime.date(2024, 3, 3)),
    ("3 March 2024", datetime.date(2024, 3, 3)),
    ("3rd march 2024", datetime.date(2024, 3, 3)),
    ("March 3, 2024", datetime.date(2024, 3, 3)),
    ("3-Mar-24", datetime.date(2024, 3, 3)),
    ("Sept 30 2023", datetime.date(2023, 9, 30)),
    ("Mar 2024", datetime.date(2024, 3, 1)),
])
def test_a_date_is_read_from_the_usual_forms(text, expected):
    assert parse_date(text, None) == expected


def test_numeric_dates_follow_the_order():
    assert parse_date("04/03/2024", "dmy") == datetime.date(2024, 3, 4)
    assert parse_date("04/03/2024", "mdy") == datetime.date(2024, 4, 3)
    assert parse_date("2024-04-03", "mdy") == datetime.date(2024, 4, 3)


def test_two_digit_years_before_70_are_this_century():
    assert parse_date("1/1/05", "dmy") == datetime.date(2005, 1, 1)
    assert parse_date("1/1/70", "dmy") == datetime.date(1970, 1, 1)
    assert parse_date("1/1/99", "dmy") == datetime.date(1999, 1, 1)
    with pytest.raises(ValueError, match="future"):
        parse_date("1/1/69", "dmy")


def test_real_dates_are_taken_as_they_are():
    assert parse_date(datetime.date(2020, 5, 6), "mdy") == datetime.date(2020, 5, 6)
    assert parse_date(datetime.datetime(2020, 5, 6, 23, 59), None) == datetime.date(2020, 5, 6)


def test_today_is_not_the_future():
    assert parse_date(TODAY.isoformat(), None) == TODAY


@pytest.mark.parametrize(("value", "words"), [
    ("next Tuesday", "is not a date we can read"),
    ("", "is not a date we can read"),
    ("Mar 24", "is not a date we can read"),
    ("3 Smarch 2024", "is not a date we can read"),
    ("04/03-2024", "is not a date we can read"),
    ("31/02/2024", "“31/02/2024” does not exist when read as day/month/year"),
    ("13/13/2024", "does not exist"),
    ("2024-02-30", "does not exist"),
    ("31 Feb 2024", "does not exist"),
    ((TODAY + datetime.timedelta(days=1)).isoformat(), "is in the future"),
    (TODAY + datetime.timedelta(days=1), "is in the future"),
    ("Dec 2025", "is in the future"),
])
def test_a_date_we_cannot_take_says_why(value, words):
    with pytest.raises(ValueError, match=words):
        parse_date(value, None)


def test_the_month_first_order_is_named_when_the_date_does_not_exist():
    with pytest.raises(ValueError, match="month/day/year"):
        parse_date("31/12/2024", "mdy")


# clean_row: names and texts

def test_the_name_is_built_from_first_and_last_name():
    row = clean(("first_name", "  Zoë "), ("last_name", "Ångström"))

    assert row.values == {"name": "Zoë Ångström"}
    assert row.problems == []


def test_a_name_column_wins_over_first_and_last_name_unless_it_is_empty():
    assert clean(("name", "Bob"), ("first_name", "Zoë"), ("last_name", "Ångström")).values["name"] == "Bob"
    assert clean(("name", " "), ("first_name", "Zoë"), ("last_name", "")).values["name"] == "Zoë"


def test_inner_spaces_collapse_in_one_line_fields_but_not_in_notes():
    row = clean(("name", "  José    Núñez "), ("town", "Wheat\t Ridge"), ("key_points", " Big  garden\n\nTwo dogs "))

    assert row.values == {"name": "José Núñez", "town": "Wheat Ridge", "key_points": "Big  garden\n\nTwo dogs"}


def test_a_row_without_a_name_still_returns_its_values():
    row = clean(("name", ""), ("phone", "(202) 555-0123"), ("town", "Denver"))

    assert row.problems == ["No name."]
    assert row.values == {"phone": "+12025550123", "town": "Denver"}


def test_texts_longer_than_the_field_are_refused():
    row = clean(("name", "N" * 201), ("company", "C" * 200), ("postcode", "1" * 21))

    assert row.problems == ["Name is longer than 200 characters.", "Postcode is longer than 20 characters."]
    assert row.values == {"company": "C" * 200}


def test_cells_that_look_like_formulas_stay_the_text_they_are():
    row = clean(("name", "=1+1"), ("company", "+SUM(A1:A3)"), ("street", "-5"), ("town", "@home"),
                ("key_points", "=HYPERLINK(\"http://evil.example\")"), ("phone", "+44 20 7946 0018"))

    assert row.values == {
        "name": "=1+1", "company": "+SUM(A1:A3)", "street": "-5", "town": "@home",
        "key_points": "=HYPERLINK(\"http://evil.example\")", "phone": "+442079460018",
    }
    assert row.problems == []


def test_cells_may_be_missing_none_or_dates():
    row = clean_row(["Ann", None, datetime.datetime(2024, 3, 4)], ["name", "company", "key_points", "town"],
                    date_order=None)

    assert row.values == {"name": "Ann", "key_points": "2024-03-04"}


# clean_row: joined fields and tags

def test_street_columns_join_with_commas_and_address_lines_become_parts():
    row = clean(("name", "Ann"), ("street", "12 High St\nFlat 2"), ("street", "Flat 2"), ("street", "  "),
                ("street", "Old Town"))

    assert row.values["street"] == "12 High St, Flat 2, Old Town"


def test_notes_columns_join_on_new_lines_each_part_once():
    row = clean(("name", "Ann"), ("key_points", "Big garden"), ("key_points", "Mobile: 555"),
                ("key_points", "Big garden"), ("access_notes", "Gate 1234"), ("access_notes", "Park on the drive"))

    assert row.values["key_points"] == "Big garden\nMobile: 555"
    assert row.values["access_notes"] == "Gate 1234\nPark on the drive"


def test_tags_are_split_stripped_and_deduplicated_ignoring_case():
    row = clean(("name", "Ann"), ("tags", " Gold , gold; VIP|Weekly\nvip;;"), ("tags", "Dog  owner | WEEKLY"))

    assert row.tags == ["Gold", "VIP", "Weekly", "Dog owner"]
    assert "tags" not in row.values
    assert row.problems == []


def test_google_labels_in_one_cell_are_separate_tags():
    assert clean(("name", "Ann"), ("tags", "Clients ::: Gold")).tags == ["Clients", "Gold"]


def test_a_tag_longer_than_50_characters_is_refused():
    row = clean(("name", "Ann"), ("tags", "T" * 50 + ", " + "L" * 51))

    assert row.tags == ["T" * 50]
    assert row.problems == [f"Tag “{'L' * 51}” is longer than 50 characters."]


# clean_row: phones and email

def test_phones_are_stored_in_international_form():
    row = clean(("name", "Ann"), ("phone", "(202) 555-0123"), ("alt_phone", "+44 20 7946 0018"))

    assert row.values["phone"] == "+12025550123"
    assert row.values["alt_phone"] == "+442079460018"
    assert row.phone_keys == ["12025550123", "442079460018"]


def test_a_national_number_is_read_in_the_business_region(settings):
    settings.PHONENUMBER_DEFAULT_REGION = "GB"

    row = clean(("name", "Ann"), ("phone", "020 7946 0018"))

    assert row.values["phone"] == "+442079460018"


def test_an_other_phone_equal_to_the_phone_is_kept_once():
    row = clean(("name", "Ann"), ("phone", "202-555-0123"), ("alt_phone", "+1 (202) 555 0123"))

    assert row.values == {"name": "Ann", "phone": "+12025550123"}
    assert row.phone_keys == ["12025550123"]


@pytest.mark.parametrize("typed", ["abc", "555-0123", "12345", "=1+1"])
def test_a_bad_phone_is_a_problem_and_not_kept(typed):
    row = clean(("name", "Ann"), ("phone", typed))

    assert row.problems == [f"Phone “{typed}” is not a phone number."]
    assert row.values == {"name": "Ann"}
    assert row.phone_keys == []


def test_a_bad_other_phone_says_which_phone():
    assert clean(("name", "Ann"), ("alt_phone", "call me")).problems == [
        "Other phone “call me” is not a phone number."
    ]


def test_the_email_is_kept_as_typed_and_its_key_lower_cased():
    row = clean(("name", "Ann"), ("email", "  Ann.Lee@Example.COM "))

    assert row.values["email"] == "Ann.Lee@Example.COM"
    assert row.email_key == "ann.lee@example.com"


@pytest.mark.parametrize("typed", ["bob@", "bob", "@example.com", "bob@example"])
def test_a_bad_email_is_a_problem_and_gives_no_key(typed):
    row = clean(("name", "Ann"), ("email", typed))

    assert row.problems == [f"Email “{typed}” is not an email address."]
    assert "email" not in row.values
    assert row.email_key == ""


# clean_row: status and customer since

@pytest.mark.parametrize(("typed", "status"), [
    ("Active", "active"), ("lead", "lead"), ("INACTIVE", "inactive"), ("Lost", "lost"),
    ("Customer", "active"), ("current", "active"), ("Yes", "active"),
    ("Prospect", "lead"), ("enquiry", "lead"), ("Inquiry", "lead"), ("potential", "lead"),
    ("Former", "lost"), ("past", "lost"), ("Churned", "lost"), ("Cancelled", "lost"), ("canceled", "lost"),
    ("Paused", "inactive"), ("dormant", "inactive"), ("On hold", "inactive"), ("on-hold", "inactive"),
])
def test_status_words_become_statuses(typed, status):
    row = clean(("name", "Ann"), ("status", typed))

    assert row.values["status"] == status
    assert row.problems == []


def test_an_empty_status_means_active():
    assert STATUS_WORDS[""] == "active"
    assert "status" not in clean(("name", "Ann"), ("status", "")).values  # the model's default, active


def test_an_unknown_status_is_a_problem():
    row = clean(("name", "Ann"), ("status", "maybe"))

    assert row.problems == ["Status “maybe” is not one of: active, lead, inactive, lost."]
    assert "status" not in row.values


def test_customer_since_is_read_in_the_chosen_order():
    assert clean(("name", "Ann"), ("customer_since", "04/03/2024"), date_order="mdy").values["customer_since"] == (
        datetime.date(2024, 4, 3)
    )
    assert clean(("name", "Ann"), ("customer_since", datetime.datetime(2020, 1, 2, 0, 0))).values[
        "customer_since"
    ] == datetime.date(2020, 1, 2)


def test_a_bad_customer_since_is_a_problem():
    row = clean(("name", "Ann"), ("customer_since", "31/02/2024"), ("town", "Denver"))

    assert row.problems == ["Date “31/02/2024” does not exist when read as day/month/year."]
    assert row.values == {"name": "Ann", "town": "Denver"}


# clean_row: duplicates

def a_full_row(**changes):
    cells = {"name": "Zoë Ångström", "phone": "(202) 555-0123", "email": "zoe@example.com", "town": "Denver",
             "tags": "Gold, Weekly", "customer_since": "2024-03-04"} | changes
    return clean(*cells.items())


def test_identical_rows_have_the_same_fingerprint():
    assert a_full_row().fingerprint == a_full_row().fingerprint
    assert a_full_row().fingerprint == a_full_row(phone="202.555.0123", name=" Zoë  Ångström").fingerprint


@pytest.mark.parametrize("change", [
    {"town": "Aurora"}, {"tags": "Gold"}, {"customer_since": "2024-03-05"}, {"email": "zoe@example.org"},
])
def test_a_row_with_one_value_changed_has_another_fingerprint(change):
    assert a_full_row(**change).fingerprint != a_full_row().fingerprint


def test_a_row_has_no_keys_without_phone_or_email():
    row = clean(("name", "Ann"))

    assert (row.phone_keys, row.email_key) == ([], "")


def test_google_contacts_own_groups_are_not_tags():
    row = clean_row(["Ann", "* myContacts ::: Gardening ::: * starred"], ["name", "tags"], date_order=None)
    assert row.tags == ["Gardening"]


# The customer export's own columns

EXPORT_HEADER = [
    "Id", "Name", "Company", "Household or business", "Status", "Phone", "Other phone", "Email", "Preferred contact",
    "Do not contact", "Street address", "Town or city", "Postcode", "Access notes", "Key points", "Personality",
    "What they want", "What they need", "Hard needs", "Soft needs", "How they found us", "Tags", "Looked after by",
    "Stay in touch every (days)", "Customer since", "Happy to be a reference", "Happy to try new services",
]
NEW_TARGETS = [
    "kind", "preferred_contact", "do_not_contact", "personality", "wants", "needs", "hard_needs", "soft_needs",
    "source", "contact_every_days", "happy_to_be_reference", "happy_to_try_new", "assigned_to",
]
# Customer fields a row sets directly (tags and "Looked after by" are resolved by the import service).
EXPORTED_FIELDS = [key for key, _label in TARGETS if key not in ("", "first_name", "last_name", "tags", "assigned_to")]


def test_the_customer_export_header_maps_one_to_one():
    assert guess_mapping(EXPORT_HEADER) == [
        "", "name", "company", "kind", "status", "phone", "alt_phone", "email", "preferred_contact",
        "do_not_contact", "street", "town", "postcode", "access_notes", "key_points", "personality", "wants",
        "needs", "hard_needs", "soft_needs", "source", "tags", "assigned_to", "contact_every_days",
        "customer_since", "happy_to_be_reference", "happy_to_try_new",
    ]
    assert mapping_problems(guess_mapping(EXPORT_HEADER)) == []


def test_the_new_targets_follow_the_old_ones_in_the_column_menu():
    keys = [key for key, _label in TARGETS]

    assert keys[:keys.index("customer_since") + 1] == [
        "", "name", "first_name", "last_name", "company", "phone", "alt_phone", "email", "street", "town",
        "postcode", "access_notes", "key_points", "tags", "status", "customer_since",
    ]
    assert keys[keys.index("customer_since") + 1:] == NEW_TARGETS


@pytest.mark.parametrize(("name", "target"), [
    ("Type", "kind"), ("Customer type", "kind"), ("Household or business", "kind"),
    ("Contact preference", "preferred_contact"), ("Preferred contact method", "preferred_contact"),
    ("Preferred contact", "preferred_contact"),
    ("DNC", "do_not_contact"), ("Do not call", "do_not_contact"), ("Don't contact", "do_not_contact"),
    ("Personality", "personality"), ("What they want", "wants"), ("Wants", "wants"), ("What they need", "needs"),
    ("Needs", "needs"), ("Hard needs", "hard_needs"), ("Soft needs", "soft_needs"),
    ("Source", "source"), ("Lead source", "source"), ("Referral source", "source"),
    ("How did you hear about us?", "source"), ("How they found us", "source"),
    ("Assigned to", "assigned_to"), ("Looked after by", "assigned_to"), ("Account manager", "assigned_to"),
    ("Technician", "assigned_to"),
    ("Contact every (days)", "contact_every_days"), ("Cadence", "contact_every_days"),
    ("Stay in touch every (days)", "contact_every_days"),
    ("Happy to be a reference", "happy_to_be_reference"), ("Happy to try new services", "happy_to_try_new"),
])
def test_a_header_name_finds_its_new_field(name, target):
    assert guess_mapping([name]) == [target]


@pytest.mark.parametrize("name", ["Id", "ID", "id", "Customer id", "Customer ID", "Contact ID"])
def test_an_id_column_is_not_imported(name):
    assert guess_mapping(["Name", name]) == ["name", ""]


def test_a_type_column_is_the_kind_but_a_phone_type_is_not():
    assert guess_mapping(["Type", "Phone 1 - Type", "Phone 1 - Value"]) == ["kind", "", "phone"]


def test_a_second_column_for_a_new_single_field_is_left_out_but_notes_may_have_several():
    header = ["Type", "Customer type", "Personality", "Character", "Source", "Lead source", "DNC", "Do not call"]

    assert guess_mapping(header) == [
        "kind", "", "personality", "personality", "source", "", "do_not_contact", "",
    ]


def test_two_columns_for_the_kind_are_a_problem():
    assert mapping_problems(["name", "kind", "kind"]) == [
        "Only one column can go into “Household or business”, but columns 2, 3 both do: pick one."
    ]


def test_the_long_texts_may_have_several_columns():
    mapping = ["name", "personality", "personality", "wants", "wants", "needs", "needs", "hard_needs", "hard_needs",
               "soft_needs", "soft_needs"]

    assert mapping_problems(mapping) == []


# clean_row: choices

@pytest.mark.parametrize(("target", "typed", "stored"), [
    ("kind", "Household", "household"), ("kind", "business", "business"), ("kind", "BUSINESS", "business"),
    ("kind", "Búsiness", "business"), ("kind", "Commercial", "business"), ("kind", "residential", "household"),
    ("preferred_contact", "Phone call", "phone"), ("preferred_contact", "phone", "phone"),
    ("preferred_contact", "Call", "phone"), ("preferred_contact", "Text message", "text"),
    ("preferred_contact", "text", "text"), ("preferred_contact", "SMS", "text"),
    ("preferred_contact", "E-mail", "email"), ("preferred_contact", "email", "email"),
    ("preferred_contact", "No preference", "any"), ("preferred_contact", "any", "any"),
    ("source", "Referred by a customer", "referral"), ("source", "referral", "referral"),
    ("source", "Word of mouth", "word_of_mouth"), ("source", "word_of_mouth", "word_of_mouth"),
    ("source", "Website", "website"), ("source", "Search engine", "search"), ("source", "Google", "search"),
    ("source", "Social media", "social"), ("source", "Facebook", "social"), ("source", "Advert or flyer", "advert"),
    ("source", "flyer", "advert"), ("source", "Returning customer", "repeat"), ("source", "Other", "other"),
])
def test_a_choice_takes_its_value_its_label_and_everyday_words(target, typed, stored):
    row = clean(("name", "Ann"), (target, typed))

    assert row.values[target] == stored
    assert row.problems == []


@pytest.mark.parametrize(("target", "value"), [
    (target, value) for target, choices in (("kind", Kind), ("preferred_contact", ContactMethod),
                                            ("source", Customer.Source))
    for value in choices.values if value
])
def test_every_label_the_export_writes_reads_back_as_its_value(target, value):
    field = Customer._meta.get_field(target)
    with translation.override("en"):
        label = str(dict(field.choices)[value])

    assert clean(("name", "Ann"), (target, label)).values[target] == value


def test_an_unknown_source_is_the_same_as_an_empty_cell():
    row = clean(("name", "Ann"), ("source", "Unknown"))

    assert row.values == {"name": "Ann"}
    assert row.problems == []


@pytest.mark.parametrize(("target", "typed", "sentence"), [
    ("kind", "Charity", "Household or business “Charity” is not one of: Household, Business."),
    ("preferred_contact", "Fax",
     "Preferred contact “Fax” is not one of: Phone call, Text message, Email, No preference."),
    ("source", "Carrier pigeon",
     "How they found us “Carrier pigeon” is not one of: Referred by a customer, Word of mouth, Website, "
     "Search engine, Social media, Advert or flyer, Returning customer, Other."),
])
def test_a_choice_we_do_not_know_is_a_problem_naming_the_choices(target, typed, sentence):
    row = clean(("name", "Ann"), (target, typed))

    assert row.problems == [sentence]
    assert target not in row.values


# clean_row: yes/no, days, long texts, looked after by

@pytest.mark.parametrize("target", ["do_not_contact", "happy_to_be_reference", "happy_to_try_new"])
@pytest.mark.parametrize(("typed", "meaning"), [
    ("yes", True), ("Yes", True), ("Y", True), ("true", True), ("TRUE", True), ("1", True), ("x", True),
    ("X", True), ("no", False), ("No", False), ("n", False), ("false", False), ("FALSE", False), ("0", False),
])
def test_yes_and_no_become_booleans(target, typed, meaning):
    row = clean(("name", "Ann"), (target, typed))

    assert row.values[target] is meaning
    assert row.problems == []


@pytest.mark.parametrize("typed", ["maybe", "2", "yes please", "-"])
def test_a_yes_or_no_we_cannot_read_is_a_problem(typed):
    row = clean(("name", "Ann"), ("happy_to_try_new", typed))

    assert row.problems == [f"Happy to try new services “{typed}” is not yes or no."]
    assert "happy_to_try_new" not in row.values


@pytest.mark.parametrize(("typed", "days"), [("1", 1), ("30", 30), (" 90 ", 90), ("3650", 3650), ("007", 7)])
def test_stay_in_touch_every_is_a_whole_number_of_days(typed, days):
    row = clean(("name", "Ann"), ("contact_every_days", typed))

    assert row.values["contact_every_days"] == days
    assert type(row.values["contact_every_days"]) is int
    assert row.problems == []


@pytest.mark.parametrize("typed", ["0", "3651", "7.5", "-3", "thirty", "1e3", "²"])
def test_days_outside_1_to_3650_or_not_whole_are_a_problem(typed):
    row = clean(("name", "Ann"), ("contact_every_days", typed))

    assert row.problems == [f"Stay in touch every (days) “{typed}” is not a whole number from 1 to 3650."]
    assert "contact_every_days" not in row.values


def test_the_long_texts_join_their_columns_on_new_lines_like_the_notes():
    row = clean(("name", "Ann"), ("personality", " Chatty,  likes tea "), ("personality", "Early riser"),
                ("personality", "Chatty,  likes tea"), ("wants", "A tidy lawn\nNo noise"), ("needs", "Weekly mowing"),
                ("hard_needs", "Hedge kept at 2 m"), ("soft_needs", "Call before coming"))

    assert row.values == {
        "name": "Ann", "personality": "Chatty,  likes tea\nEarly riser", "wants": "A tidy lawn\nNo noise",
        "needs": "Weekly mowing", "hard_needs": "Hedge kept at 2 m", "soft_needs": "Call before coming",
    }
    assert row.problems == []


def test_looked_after_by_is_kept_as_the_name_typed_for_the_service_to_find():
    row = clean(("name", "Ann"), ("assigned_to", "  Olivia   Owner "))

    assert row.values == {"name": "Ann", "assigned_to": "Olivia Owner"}
    assert row.problems == []


def test_a_looked_after_by_longer_than_150_characters_is_refused():
    assert clean(("name", "Ann"), ("assigned_to", "O" * 150)).values["assigned_to"] == "O" * 150

    row = clean(("name", "Ann"), ("assigned_to", "O" * 151))

    assert row.problems == ["Looked after by is longer than 150 characters."]
    assert "assigned_to" not in row.values


@pytest.mark.parametrize("target", NEW_TARGETS)
@pytest.mark.parametrize("cell", ["", "   ", None])
def test_an_empty_cell_leaves_the_field_to_the_model_default(target, cell):
    row = clean(("name", "Ann"), (target, cell))

    assert row.values == {"name": "Ann"}
    assert row.problems == []


# clean_row: a row of the customer export reads back as the customer it came from

def exported_row(customer: Customer, tags: list[str], looked_after_by: User | None) -> list[str]:
    """The row as the customer export writes it: English labels, yes/no, ISO dates, E.164 phones."""
    def yes_no(flag):
        return "yes" if flag else "no"

    with translation.override("en"):
        return [
            "17", customer.name, customer.company, customer.get_kind_display(), customer.get_status_display(),
            customer.phone.as_e164 if customer.phone else "", customer.alt_phone.as_e164 if customer.alt_phone else "",
            customer.email, customer.get_preferred_contact_display(), yes_no(customer.do_not_contact),
            customer.street, customer.town, customer.postcode, customer.access_notes, customer.key_points,
            customer.personality, customer.wants, customer.needs, customer.hard_needs, customer.soft_needs,
            customer.get_source_display() if customer.source else "", ", ".join(tags),
            (looked_after_by.get_full_name() or looked_after_by.username) if looked_after_by else "",
            str(customer.contact_every_days or ""), customer.customer_since.isoformat(),
            yes_no(customer.happy_to_be_reference), yes_no(customer.happy_to_try_new),
        ]


def exported_fields(customer: Customer) -> dict:
    return {field: getattr(customer, field) for field in EXPORTED_FIELDS}


def a_customer_with_every_field():
    return Customer(
        name="Zoë Ångström", company="Ångström Gardens", kind=Kind.BUSINESS, status=Status.LEAD,
        phone="+12025550101", alt_phone="+442079460018", email="zoe@example.com",
        preferred_contact=ContactMethod.TEXT, do_not_contact=True, street="12 High St, Flat 2", town="Denver",
        postcode="80202", access_notes="Gate 1234\nPark on the drive", key_points="Big  garden\nTwo dogs",
        personality="Chatty", wants="A tidy lawn", needs="Weekly mowing", hard_needs="Hedge kept at 2 m",
        soft_needs="Call before coming\nNo early starts", source=Customer.Source.WORD_OF_MOUTH,
        contact_every_days=45, customer_since=datetime.date(2024, 3, 4), happy_to_be_reference=True,
        happy_to_try_new=True,
    )


def test_the_exported_fields_are_every_target_the_row_sets_itself():
    assert sorted(EXPORTED_FIELDS) == sorted(set(mapped(EXPORT_HEADER).values()) - {"tags", "assigned_to"})


def test_an_exported_row_cleans_into_the_customers_own_values():
    customer = a_customer_with_every_field()
    olivia = User(username="olivia", first_name="Olivia", last_name="Owner")

    row = clean_row(exported_row(customer, ["Gold", "Weekly"], olivia), guess_mapping(EXPORT_HEADER),
                    date_order=None)

    assert row.problems == []
    assert row.values == exported_fields(customer) | {"assigned_to": "Olivia Owner"}
    assert row.tags == ["Gold", "Weekly"]


def test_an_exported_row_of_a_customer_left_at_the_defaults_builds_the_same_customer():
    customer = Customer(name="Bob")
    values = clean_row(exported_row(customer, [], None), guess_mapping(EXPORT_HEADER), date_order=None).values

    assert exported_fields(Customer(**values)) == exported_fields(customer)


def test_values_build_a_customer_once_looked_after_by_is_taken_out():
    customer = a_customer_with_every_field()
    values = clean_row(exported_row(customer, [], User(username="sam")), guess_mapping(EXPORT_HEADER),
                       date_order=None).values

    assert values.pop("assigned_to") == "sam"
    assert exported_fields(Customer(**values)) == exported_fields(customer)


def test_a_cell_our_export_escaped_is_read_back_as_typed():
    row = clean_row(["'=1+1 Ltd", "'@home"], ["name", "key_points"], date_order=None)
    assert row.values == {"name": "=1+1 Ltd", "key_points": "@home"}
