"""imports.columns: guessing which field each column feeds, and cleaning one row's cells into customer values."""

import datetime

import pytest

from imports.columns import (
    STATUS_WORDS,
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
