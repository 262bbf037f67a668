"""A calf strain's return-to-running checklist on the Today page (DOMAIN.md §6), in Chromium:
every criterion shown met or not with the numbers, ticked by tests recorded with their pain on
the Progress page."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot


def first_run_with_a_calf_strain(page: Page, server: str) -> None:
    page.goto(server + "/")
    expect(page).to_have_url(re.compile(r"/setup$"))
    page.get_by_label("Name").fill("Ana")
    page.get_by_label("Body mass").fill("61")
    for item in ("dumbbells", "step", "bench"):
        page.get_by_label(item, exact=True).check()
    page.get_by_label("Calf or heel condition").select_option("calf_strain")
    page.get_by_label("First week of the plan").select_option("this_week")
    page.get_by_role("button", name="Make my plan").click()
    expect(page).to_have_url(re.compile(r"/week\?athlete=Ana"))


def criterion(page: Page, key: str):
    return page.locator(f'.checklist li[data-criterion="{key}"]')


def test_the_checklist_shows_each_criterion_and_tests_tick_it(phone: Page, server: str) -> None:
    first_run_with_a_calf_strain(phone, server)
    phone.goto(server + "/today")
    checklist = phone.get_by_role("region", name="Return to running")
    expect(checklist).to_contain_text("fast running waits")
    expect(checklist.locator("li.unmet")).to_have_count(4)
    expect(criterion(phone, "heel_raises")).to_contain_text("no heel-raise test yet")
    expect(criterion(phone, "hop_pain_free")).to_contain_text("no hop test yet")
    screenshot(phone, "return-to-running-unmet")

    phone.goto(server + "/progress")
    phone.get_by_label("Left, reps to failure").fill("31")
    phone.get_by_label("Right, reps to failure").fill("27")
    phone.get_by_label(re.compile("^Pain during the test")).fill("0")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Save test", exact=True).tap()
    phone.get_by_label("Pain while hopping, 0–10").fill("1")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Save hop test").tap()

    phone.goto(server + "/today")
    expect(criterion(phone, "heel_raises")).to_contain_text("left 31 of 30, right 27 of 30")
    expect(criterion(phone, "heel_raises")).to_have_class(re.compile("unmet"))
    expect(criterion(phone, "symmetry")).to_contain_text("0.87 of 0.90")
    expect(criterion(phone, "raises_pain_free")).to_have_class(re.compile(r"\bmet\b"))
    expect(criterion(phone, "hop_pain_free")).to_contain_text("pain 1/10")
    expect(criterion(phone, "hop_pain_free")).to_contain_text("Not met")

    phone.goto(server + "/progress")
    phone.get_by_label("Left, reps to failure").fill("31")
    phone.get_by_label("Right, reps to failure").fill("32")
    phone.get_by_label(re.compile("^Pain during the test")).fill("0")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Save test", exact=True).tap()
    phone.get_by_label("Pain while hopping, 0–10").fill("0")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Save hop test").tap()
    phone.goto(server + "/today")
    checklist = phone.get_by_role("region", name="Return to running")
    expect(checklist.locator("li.met")).to_have_count(4)
    expect(checklist).to_contain_text("Every criterion is met")
    screenshot(phone, "return-to-running-met")


def test_a_test_pain_above_10_is_refused_with_the_field(phone: Page, server: str) -> None:
    first_run_with_a_calf_strain(phone, server)
    response = phone.request.post(
        server + "/api/v1/assessments/hop?athlete=Ana", data={"date": "2026-12-01", "pain": 11}
    )
    assert response.status == 422
    assert response.json()["error"]["field"] == "pain"
