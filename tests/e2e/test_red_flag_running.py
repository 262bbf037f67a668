"""A red flag not cleared on the Today and Why pages, in Chromium (issue 13, physio review S4;
DOMAIN.md §6 red flags, R11): no run-day text suggests running, each says to see a clinician
before running."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import Page, expect

from tests.e2e.conftest import E2E_TODAY, screenshot
from tests.e2e.test_return_to_running import first_run_with_a_calf_strain


def test_red_flag_r11_pages_say_see_a_clinician_before_running(phone: Page, server: str) -> None:
    first_run_with_a_calf_strain(phone, server)
    phone.goto(server + "/today")
    # Held before the flag: the checklist says runs stay easy and short.
    expect(phone.get_by_role("region", name="Return to running")).to_contain_text("easy and short")
    response = phone.request.post(
        server + "/api/v1/checkins?athlete=Ana",
        data={"date": E2E_TODAY, "pain_during": 2, "red_flag": "sudden_pop"},
    )
    assert response.status == 201, response.text()
    phone.goto(server + "/today")
    checklist = phone.get_by_role("region", name="Return to running")
    expect(checklist).to_contain_text(
        f"see a clinician before running (a sudden pop reported on {E2E_TODAY})"
    )
    expect(phone.locator("main")).not_to_contain_text("easy and short")
    # A pop can be a torn tendon or muscle: today, not at the next appointment.
    expect(phone.locator("main")).to_contain_text("see a clinician today")
    screenshot(phone, "red-flag-before-running")
    # The Why page of each run day left this week says the same.
    warned = 0
    first = date.fromisoformat(E2E_TODAY)
    for n in range(1, 6):
        phone.goto(server + f"/explain?date={first + timedelta(days=n)}")
        notes = phone.locator("ul.warnings")
        if notes.count() and "return to running" in notes.inner_text():
            warned += 1
            expect(notes).to_contain_text("see a clinician before running")
            expect(notes).not_to_contain_text("easy and short")
    assert warned, "no run day's Why page carried the return-to-running warning"
