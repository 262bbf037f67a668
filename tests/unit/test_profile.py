"""The profile contract: every field validated, errors naming file, field, line, allowed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from calfcoach.core.profile import Profile, ProfileError
from calfcoach.core.profile import parse_profile as parse_with_limit
from tests.conftest import MAX_PLAN_WEEKS, ROOT, TODAY

SAMPLE = (ROOT / "examples" / "marathon.toml").read_text()


def parse_profile(text: str, source: str, today: date) -> Profile:
    """core.profile.parse_profile with norms.toml's longest plan, as the services call it."""
    return parse_with_limit(text, source, today, max_plan_weeks=MAX_PLAN_WEEKS)


def test_sample_profiles_are_valid() -> None:
    for path in (ROOT / "examples").glob("*.toml"):
        profile = parse_profile(path.read_text(), path.name, TODAY)
        assert profile.athlete.body_mass_kg > 0


def test_every_contract_field_is_read() -> None:
    text = SAMPLE + (
        'previous_calf_strain = true\npainful_side = "left"\nachilles_type = "insertional"\n'
        "[assessments]\nsingle_leg_heel_raise_reps = { left = 22, right = 25 }\n"
        "seated_calf_raise_1rm_kg = 80\n"
    )
    profile = parse_profile(text, "p.toml", TODAY)
    assert profile.athlete.sex == "female"
    assert profile.athlete.birth_year == 1990
    assert profile.running.weekly_km == 45
    assert profile.strength.preferred_days == ("tuesday", "friday")
    assert profile.goal.race_distance == "marathon"
    assert profile.health.painful_side == "left"
    assert profile.health.achilles_type == "insertional"
    assert profile.health.previous_calf_strain is True
    assert profile.assessments.single_leg_heel_raise_reps is not None
    assert profile.assessments.single_leg_heel_raise_reps.right == 25
    assert profile.assessments.seated_calf_raise_1rm_kg == 80


def test_missing_optional_sections_get_defaults() -> None:
    profile = parse_profile("[athlete]\nbody_mass_kg = 70\n", "p.toml", TODAY)
    assert profile.athlete.strength_experience == "novice"
    assert profile.athlete.equipment == ("none",)
    assert profile.equipment == frozenset()
    assert profile.running.week() == ("rest",) * 7
    assert profile.strength.sessions_per_week == 2
    assert profile.goal.race_date is None
    assert profile.health.condition == "none"
    assert profile.health.pain_now == 0


@pytest.mark.parametrize(
    ("old", "new", "field", "allowed"),
    [
        ("body_mass_kg = 68", "body_mass_kg = 300", "athlete.body_mass_kg", "30 to 250"),
        ("body_mass_kg = 68", "body_mass_kg = 29.9", "athlete.body_mass_kg", "30 to 250"),
        ('tuesday = "workout"', 'tuesday = "tempo"', "running.tuesday", "rest, easy, long"),
        ('"step", "bench"]', '"step", "trampoline"]', "athlete.equipment.3", "leg_press"),
        (
            "sessions_per_week = 2",
            "sessions_per_week = 0",
            "strength.sessions_per_week",
            "1, 2, 3, 4",
        ),
        (
            "sessions_per_week = 2",
            "sessions_per_week = 5",
            "strength.sessions_per_week",
            "1, 2, 3, 4",
        ),
        (
            "race_date = 2027-04-18",
            "race_date = 2026-11-01",
            "goal.race_date",
            f"from today to {MAX_PLAN_WEEKS} weeks ahead",
        ),
        ("pain_now = 0", "pain_now = 11", "health.pain_now", "0 to 10"),
        ('units = "metric"', 'units = "furlongs"', "athlete.units", "metric, imperial"),
        (
            'strength_experience = "novice"',
            'strength_experience = "elite"',
            "athlete.strength_experience",
            "novice, intermediate, advanced",
        ),
        (
            'race_distance = "marathon"',
            'race_distance = "50k"',
            "goal.race_distance",
            "5k, 10k, half, marathon, ultra",
        ),
        ('condition = "none"', 'condition = "broken"', "health.condition", "achilles_tendinopathy"),
        ("units =", "unit =", "athlete.unit", "units"),
    ],
)
def test_invalid_value_names_field_line_and_allowed(
    old: str, new: str, field: str, allowed: str
) -> None:
    assert old in SAMPLE
    text = SAMPLE.replace(old, new, 1)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if new in row)
    with pytest.raises(ProfileError) as caught:
        parse_profile(text, "bad.toml", TODAY)
    error = caught.value
    assert error.field == field
    assert error.line == line
    assert error.allowed is not None and allowed in error.allowed
    text = error.one_line()
    assert "\n" not in text
    assert text.startswith(f"bad.toml, line {line}, field {field}: ")


def test_malformed_toml_names_the_line() -> None:
    with pytest.raises(ProfileError) as caught:
        parse_profile(SAMPLE.replace("[running]", "[running"), "bad.toml", TODAY)
    assert caught.value.line == SAMPLE.splitlines().index("[running]") + 1
    assert "not valid TOML" in caught.value.problem


@pytest.mark.parametrize("written", ["2027-02-30", "2027-13-01", "2027-2-3"])
def test_a_date_that_is_no_real_day_names_the_field_and_a_date(written: str) -> None:
    """Issue 13 (a new user's trial): TOML's own "Invalid date or datetime" named no field."""
    text = SAMPLE.replace("race_date = 2027-04-18", f"race_date = {written}  # my race", 1)
    assert written in text
    line = next(n for n, row in enumerate(text.splitlines(), 1) if written in row)
    with pytest.raises(ProfileError) as caught:
        parse_profile(text, "bad.toml", TODAY)
    assert caught.value.one_line().startswith(
        f"bad.toml, line {line}, field goal.race_date: {written} is not a real date; "
        "allowed: a date (YYYY-MM-DD)"
    )


def test_other_malformed_toml_keeps_tomls_own_words() -> None:
    with pytest.raises(ProfileError) as caught:
        parse_profile("[athlete]\nbody_mass_kg = 6-0\n", "bad.toml", TODAY)
    assert caught.value.field is None and "not valid TOML" in caught.value.problem


def test_none_cannot_be_listed_with_other_equipment() -> None:
    with pytest.raises(ProfileError, match="no equipment at all"):
        parse_profile(
            '[athlete]\nbody_mass_kg = 60\nequipment = ["none", "step"]\n', "p.toml", TODAY
        )


def test_race_date_needs_a_distance() -> None:
    with pytest.raises(ProfileError, match="race_distance is required"):
        parse_profile("[athlete]\nbody_mass_kg = 60\n[goal]\nrace_date = 2027-01-01\n", "p", TODAY)


def test_missing_athlete_section() -> None:
    with pytest.raises(ProfileError, match=r"\[athlete\] section is missing"):
        parse_profile("[running]\nmonday = 'easy'\n", "p.toml", TODAY)


def test_line_of_inline_table_value(tmp_path: Path) -> None:
    text = (
        "[athlete]\nbody_mass_kg = 60\n[assessments]\n"
        "single_leg_heel_raise_reps = { left = -1, right = 3 }\n"
    )
    with pytest.raises(ProfileError) as caught:
        parse_profile(text, "p.toml", TODAY)
    assert caught.value.field == "assessments.single_leg_heel_raise_reps.left"
    assert caught.value.line == 4


def test_running_auto_must_stand_at_the_top() -> None:
    top = 'running = "auto"\n[athlete]\nbody_mass_kg = 60\n'
    assert parse_profile(top, "p.toml", TODAY).running.auto
    misplaced = '[athlete]\nbody_mass_kg = 60\nrunning = "auto"\n'
    with pytest.raises(ProfileError) as caught:
        parse_profile(misplaced, "p.toml", TODAY)
    assert caught.value.line == 3 and "top of the file" in (caught.value.allowed or "")


def test_a_race_beyond_the_longest_plan_is_one_clear_error() -> None:
    """Issue 14: race_date = 9999-12-31 was an OverflowError; now one line, exit 2."""
    text = '[athlete]\nbody_mass_kg = 68\n[goal]\nrace_date = 9999-12-31\nrace_distance = "10k"\n'
    with pytest.raises(ProfileError) as found:
        parse_profile(text, "far.toml", TODAY)
    assert found.value.field == "goal.race_date"
    assert f"more than {MAX_PLAN_WEEKS} weeks ahead" in found.value.one_line()


def test_how_far_ahead_a_race_may_be_is_the_longest_plan_of_the_norms() -> None:
    """Issue 13: the reach was 156 * 7 days written in profile.py beside norms.toml's
    max_plan_weeks; it is now the number the caller takes from the norms."""
    text = SAMPLE.replace("race_date = 2027-04-18", "race_date = 2027-01-26", 1)  # 9 weeks
    assert parse_with_limit(text, "p.toml", TODAY, max_plan_weeks=9).goal.race_date
    with pytest.raises(ProfileError) as found:
        parse_with_limit(text, "p.toml", TODAY, max_plan_weeks=8)
    assert found.value.field == "goal.race_date"
    assert "more than 8 weeks ahead" in found.value.problem
    assert found.value.allowed == "a date (YYYY-MM-DD) from today to 8 weeks ahead"


# Wrong values of every kind the validator can meet. Each must read in calfcoach's words (what
# is wrong, the field, its line, what is allowed), never the validation library's own
# ("Expected `float` >= 30.0 - at `$.athlete.body_mass_kg`", "Input should be ...").
LIBRARY_WORDS = ("Expected `", "Object contains", "Object missing", "Input should", "$.")


def _refused_in_our_words(text: str, field: str) -> str:
    """The one error line for ``text``: it names ``field`` and none of the library's words."""
    with pytest.raises(ProfileError) as caught:
        parse_profile(text, "bad.toml", TODAY)
    line = caught.value.one_line()
    assert caught.value.field == field, line
    assert not any(words in line for words in LIBRARY_WORDS), line
    return line


@pytest.mark.parametrize(
    ("old", "new", "field", "problem"),
    [
        (
            "body_mass_kg = 68",
            'body_mass_kg = "68"',
            "athlete.body_mass_kg",
            "'68' is not a number",
        ),
        ("body_mass_kg = 68", "body_mass_kg = nan", "athlete.body_mass_kg", "nan is out of range"),
        ("body_mass_kg = 68", "body_mass_kg = inf", "athlete.body_mass_kg", "inf is out of range"),
        ("pain_now = 0", "pain_now = 3.5", "health.pain_now", "3.5 is not a whole number"),
        ("pain_now = 0", "pain_now = true", "health.pain_now", "True is not a whole number"),
        ('name = "Sam"', "name = 5", "athlete.name", "5 is not allowed"),
        ('name = "Sam"', 'name = ""', "athlete.name", "is empty"),
        ('name = "Sam"', f'name = "{"x" * 101}"', "athlete.name", "is too long"),
        ('"step", "bench"]', '"step", "step"]', "athlete.equipment", "an item is listed twice"),
        ("race_date = 2027-04-18", "race_date = 5", "goal.race_date", "5 is not a date"),
        (
            "race_date = 2027-04-18",
            "race_date = 2027-04-18T09:00:00",
            "goal.race_date",
            "2027-04-18T09:00:00 is not a date",
        ),
    ],
)
def test_every_kind_of_wrong_value_reads_in_calfcoachs_words(
    old: str, new: str, field: str, problem: str
) -> None:
    assert old in SAMPLE
    line = _refused_in_our_words(SAMPLE.replace(old, new, 1), field)
    assert f"field {field}: {problem}" in line, line


@pytest.mark.parametrize(
    ("added", "field", "problem"),
    [
        ("[equipment_loads]\ndumbbells = []\n", "equipment_loads.dumbbells", "list at least one"),
        ("[equipment_loads]\ndumbbells = 10\n", "equipment_loads.dumbbells", "wrong shape"),
        (
            "[equipment_loads]\nplates = [" + ", ".join(["5"] * 13) + "]\n",
            "equipment_loads.plates",
            "too long",
        ),
        (
            "[equipment_loads]\nkettlebells = [8, 0]\n",
            "equipment_loads.kettlebells.1",
            "0 is out of range",
        ),
        (
            "[assessments]\nsingle_leg_heel_raise_reps = { left = 20 }\n",
            "assessments.single_leg_heel_raise_reps.right",
            "missing",
        ),
        (
            "[assessments]\nsingle_leg_heel_raise_reps = 5\n",
            "assessments.single_leg_heel_raise_reps",
            "wrong shape",
        ),
    ],
)
def test_every_kind_of_wrong_table_reads_in_calfcoachs_words(
    added: str, field: str, problem: str
) -> None:
    line = _refused_in_our_words(SAMPLE + "\n" + added, field)
    assert problem in line, line


def test_a_seated_1rm_no_calf_lifts_is_refused_with_the_limit(norms) -> None:
    """A typo (900 for 90) would set every seated raise's load: beyond norms.toml's body
    weights a new profile is refused, in the profile's units; a stored one is still read
    (its diary must not lock), and a strong calf within the limit is taken."""
    limit = norms.seated_1rm_max_x_bodyweight
    text = "[athlete]\nbody_mass_kg = 90\n[assessments]\nseated_calf_raise_1rm_kg = {}\n"

    def parsed(kg: float, stored: bool = False, imperial: bool = False) -> Profile:
        written = text.format(kg)
        if imperial:
            written = written.replace("[athlete]\n", '[athlete]\nunits = "imperial"\n')
        return parse_with_limit(
            written,
            "p.toml",
            TODAY,
            max_plan_weeks=MAX_PLAN_WEEKS,
            stored=stored,
            max_seated_1rm_x_bodyweight=limit,
        )

    with pytest.raises(ProfileError) as found:
        parsed(900)
    line = found.value.one_line()
    assert found.value.field == "assessments.seated_calf_raise_1rm_kg" and found.value.line == 4
    assert "a seated 1RM of 900 kg is 10.0 × body weight (90 kg)" in line
    assert f"allowed: at most {limit:g} × body weight ({limit * 90:.0f} kg)" in line
    # (In kg for an imperial runner too: the field is seated_calf_raise_1rm_kg; a review.)
    with pytest.raises(ProfileError, match=r"of 900 kg is 10\.0 × body weight \(90 kg\)"):
        parsed(900, imperial=True)
    with pytest.raises(ProfileError, match=r"is 5\.001 × body weight \(90 kg\)"):
        parsed(limit * 90 + 0.05)  # just over: never "5.0 ×; at most 5 ×"
    assert parsed(900, stored=True).assessments.seated_calf_raise_1rm_kg == 900
    assert parsed(limit * 90).assessments.seated_calf_raise_1rm_kg == limit * 90


def test_body_mass_may_be_given_in_pounds() -> None:
    """An imperial runner typed pounds into body_mass_kg and was planned at 364 lb (a
    trial): `body_mass_lb` takes pounds in its place; both at once, or neither, is one line
    naming the field and what is allowed."""
    base = '[athlete]\nunits = "imperial"\n'
    pounds = parse_profile(base + "body_mass_lb = 165\n", "p.toml", TODAY)
    assert pounds.athlete.body_mass_kg == pytest.approx(74.84, abs=0.01)
    assert pounds.athlete.body_mass_lb == 165
    with pytest.raises(ProfileError) as both:
        parse_profile(base + "body_mass_kg = 75\nbody_mass_lb = 165\n", "p.toml", TODAY)
    assert both.value.field == "athlete.body_mass_lb" and both.value.line == 4
    assert "allowed: body_mass_kg or body_mass_lb, not both" in both.value.one_line()
    # The same mass twice (the API's profile JSON gives both back) is read (a review).
    same = parse_profile(base + "body_mass_kg = 74.84\nbody_mass_lb = 165\n", "p.toml", TODAY)
    assert same.athlete.body_mass_kg == 74.84
    for bad, said in (('"165lb"', "is not a number"), ("20", "is out of range")):
        with pytest.raises(ProfileError) as found:
            parse_profile(base + f"body_mass_lb = {bad}\n", "p.toml", TODAY)
        assert found.value.field == "athlete.body_mass_lb", found.value.one_line()
        assert said in found.value.one_line() and "66.2 to 551.1 (lb)" in found.value.one_line()
    with pytest.raises(ProfileError) as neither:
        parse_profile(base, "p.toml", TODAY)
    assert neither.value.field == "athlete.body_mass_kg"
    assert "or body_mass_lb in pounds" in neither.value.one_line()


def test_an_imperial_profile_heavier_than_the_note_says_it_back_in_pounds() -> None:
    """165 typed into body_mass_kg by an imperial runner (a trial) is said back in pounds,
    with the field to use; a metric profile, or one in pounds, hears nothing."""
    from calfcoach.services.planning import plan_for_profile

    def notes(text: str) -> tuple[str, ...]:
        profile = parse_profile("[athlete]\n" + text, "p.toml", TODAY)
        return plan_for_profile(profile, "p.toml", None, 2, TODAY).notes

    (said,) = notes('units = "imperial"\nbody_mass_kg = 165\n')
    assert said.startswith("body_mass_kg = 165 is 364 lb: if you meant pounds, write ")
    assert said.endswith("body_mass_lb = 165 in its place.")
    assert notes("body_mass_kg = 165\n") == ()
    assert notes('units = "imperial"\nbody_mass_lb = 300\n') == ()
    assert notes('units = "imperial"\nbody_mass_kg = 80\n') == ()


@pytest.mark.parametrize("written", ["SAM ", " Sam", "Sam\u00a0"])
def test_a_profile_file_with_spaces_around_its_name_still_reads(written: str) -> None:
    """A profile file is a contract: `plan` and `check` read a name with spaces around it as
    before (a review). The diary refuses such a name for a new athlete (services.athletes;
    tests/integration/test_athlete_names.py)."""
    text = SAMPLE.replace('"Sam"', f'"{written}"', 1)
    assert parse_with_limit(text, "p", TODAY, max_plan_weeks=MAX_PLAN_WEEKS).athlete.name == written
    stored = parse_with_limit(text, "p", TODAY, max_plan_weeks=MAX_PLAN_WEEKS, stored=True)
    assert stored.athlete.name == written


def test_names_a_coach_cannot_tell_apart_have_one_key() -> None:
    from calfcoach.core.profile import name_key

    assert name_key("Sam") == name_key("SAM ") == name_key(" sam") == name_key("s\u0041m")
    assert name_key("Sam Lee") == name_key("sam  LEE") == name_key("Sam\u00a0Lee")
    assert name_key("Jos\u00e9") == name_key("JOSE\u0301")  # é as one character or two
    assert name_key("Sam") != name_key("Sa m") != name_key("Samuel")
    assert name_key("Straße") == name_key("STRASSE")  # casefold, not lower()
