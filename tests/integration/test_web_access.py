"""Signing in, API tokens and isolation in the web app (issue 16), through FastAPI's test client
on a real SQLite file and a real PostgreSQL server.

The isolation matrix is generated from the OpenAPI document, so a new API route is in it the
day it is added: every operation, as anonymous, athlete A, athlete B, A's coach with view, with
edit, and an unrelated coach.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from calfcoach.services import access, accounts, checkins, context, diary
from calfcoach.services import athletes as athletes_service
from calfcoach.services.access import LOCAL_OWNER
from calfcoach.web.app import WebSettings, create_app
from tests.conftest import ROOT

SAMPLE = (ROOT / "examples" / "profile.toml").read_text()
RILEY = SAMPLE.replace('name = "Sam"', 'name = "Riley"')
TODAY = date(2026, 12, 1)  # week 1's Tuesday: a strength session
PASSWORD = "correct horse battery"
ROLES = ("anonymous", "athlete_a", "athlete_b", "coach_view", "coach_edit", "stranger")


class Club:
    """A database with athletes Sam (A) and Riley (B), their accounts, and three coaches."""

    def __init__(self, database_url: str) -> None:
        self.db = context.open_database(database_url)
        start = date(2026, 11, 30)
        for text in (SAMPLE, RILEY):
            athletes_service.init_athlete_from_text(self.db, text, "profile", start, TODAY)
        add = accounts.add_user
        add(self.db, "sam", "athlete", PASSWORD, "Sam", LOCAL_OWNER)
        add(self.db, "riley", "athlete", PASSWORD, "Riley", LOCAL_OWNER)
        for coach in ("viewer", "editor", "stranger"):
            add(self.db, coach, "coach", PASSWORD, None, LOCAL_OWNER)
        accounts.grant(self.db, "Sam", "viewer", "view", LOCAL_OWNER)
        accounts.grant(self.db, "Sam", "editor", "edit", LOCAL_OWNER)
        names = {
            "athlete_a": "sam",
            "athlete_b": "riley",
            "coach_view": "viewer",
            "coach_edit": "editor",
            "stranger": "stranger",
        }
        self.tokens = {
            role: accounts.new_token(self.db, n, LOCAL_OWNER) for role, n in names.items()
        }
        self.sam_set = self.fresh_set()

    def fresh_set(self) -> int:
        """A new set of Sam's (a DELETE allowed to one identity leaves none for the next)."""
        request = diary.LogRequest("pogo-hops", 1, 10, "0", None, None)
        logged = diary.log_sets(self.db, "Sam", TODAY, request, TODAY)
        return logged[0].id or 0

    def headers(self, role: str) -> dict[str, str]:
        return {} if role == "anonymous" else {"Authorization": f"Bearer {self.tokens[role]}"}


@pytest.fixture
def club(database_url: str) -> Club:
    return Club(database_url)


@pytest.fixture
def client(club: Club):
    settings = WebSettings(club.db, lambda: TODAY)
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


def api_operations(client: TestClient) -> list[tuple[str, str, bool]]:
    """(method, path, takes an athlete) of every operation in the OpenAPI document."""
    schema = client.app.openapi()  # type: ignore[attr-defined]
    found = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            params = {p["name"] for p in operation.get("parameters", [])}
            found.append((method.upper(), path, "athlete" in params))
    return found


def expected(role: str, method: str, takes_athlete: bool) -> str:
    """What each identity may do with an operation about athlete A (Sam)."""
    if role == "anonymous":
        return "unauthorized"
    if not takes_athlete:
        return "allowed"
    reading = method in ("GET", "HEAD")
    if role in ("athlete_a", "coach_edit") or (role == "coach_view" and reading):
        return "allowed"
    if role == "coach_view":
        # The coach knows Sam: a write is refused as view access only, not "no such
        # athlete" (issue 13).
        return "forbidden"
    return "hidden"


def test_the_isolation_matrix_covers_every_api_operation(club: Club, client: TestClient) -> None:
    operations = api_operations(client)
    assert len(operations) >= 15  # the API as README lists it; a broken schema reads as none
    unknown = client.get(
        "/api/v1/plan", params={"athlete": "Nobody"}, headers=club.headers("athlete_b")
    )
    assert unknown.status_code == 404
    failures = []
    for method, path, takes_athlete in operations:
        for role in ROLES:
            set_id = club.fresh_set() if method == "DELETE" else club.sam_set
            url = path.replace("{set_id}", str(set_id)).replace(
                "{client_id}", "0b7f5e32-8a0e-4d5c-9a39-7a1f0a9e2b11"
            )
            url = re.sub(r"\{[^}]+\}", "1", url)
            params = {"athlete": "Sam"} if takes_athlete else {}
            # An empty body: an allowed write is refused as invalid (422) and changes nothing,
            # a forbidden one never gets as far as reading it.
            body: Any = {} if method in ("POST", "PUT", "PATCH") else None
            response = client.request(
                method, url, params=params, json=body, headers=club.headers(role)
            )
            want = expected(role, method, takes_athlete)
            got = response.status_code
            ok = {
                "unauthorized": got == 401,
                "hidden": got == 404 and response.json() == unknown.json(),
                "allowed": got not in (401, 403, 404) and got < 500,
                "forbidden": got == 403
                and response.json()["error"]["code"] == "forbidden"
                and response.json()["error"]["message"].startswith("view access only"),
            }[want]
            if not ok:
                failures.append(f"{method} {path} as {role}: {got}, expected {want}")
    assert not failures, "\n".join(failures)


def test_a_forbidden_athlete_reads_like_an_unknown_one_and_names_no_one(
    club: Club, client: TestClient
) -> None:
    riley = club.headers("athlete_b")
    forbidden = client.get("/api/v1/plan", params={"athlete": "Sam"}, headers=riley)
    unknown = client.get("/api/v1/plan", params={"athlete": "Nobody"}, headers=riley)
    assert forbidden.status_code == unknown.status_code == 404
    assert forbidden.json() == unknown.json()
    assert "Sam" not in forbidden.text and "Riley" not in forbidden.text
    assert client.get("/api/v1/athletes", headers=riley).json() == [{"name": "Riley"}]
    assert client.get("/api/v1/athletes", headers=club.headers("stranger")).json() == []
    # Leaving the athlete out means one's own diary.
    own = client.get("/api/v1/athlete", headers=riley).json()
    assert own["name"] == "Riley"


def test_nobody_overwrites_another_athlete_by_posting_their_name(
    club: Club, client: TestClient
) -> None:
    heavy = SAMPLE.replace("body_mass_kg = 68", "body_mass_kg = 249")
    # Adding an athlete whose name is taken answers the same whoever asks, and whether they
    # may see that athlete or not (a coach's trial: one they may not see answered 404 "no
    # such athlete", one they may see "Sam exists already"): it names no one and says
    # nothing of whether the name is an athlete they may see.
    answers = set()
    for role in ("coach_view", "stranger", "coach_edit"):
        for profile in (heavy, heavy.replace('"Sam"', '"SAM"'), RILEY):
            response = client.post(
                "/api/v1/athletes", json={"profile_toml": profile}, headers=club.headers(role)
            )
            assert response.status_code == 422, (role, response.text)
            answers.add(response.text)
    assert answers == {
        '{"error":{"code":"invalid_input","message":"'
        + access.NAME_TAKEN
        + '","field":"athlete.name"}}'
    }
    assert "Sam" not in access.NAME_TAKEN and "no such athlete" not in access.NAME_TAKEN
    # An athlete's account adds nobody, and is told so (whether the name exists or not).
    for role in ("athlete_a", "athlete_b"):
        response = client.post(
            "/api/v1/athletes", json={"profile_toml": heavy}, headers=club.headers(role)
        )
        assert response.status_code == 403, response.text
        assert response.json()["error"]["message"] == "only coaches and admins add athletes"
    sam = client.get("/api/v1/athlete", headers=club.headers("athlete_a")).json()
    assert "body_mass_kg = 68" in sam["profile_toml"]
    # Edit access may change it, where a profile is changed.
    changed = client.put(
        "/api/v1/athlete",
        params={"athlete": "Sam"},
        json={"profile_toml": heavy},
        headers=club.headers("coach_edit"),
    )
    assert changed.status_code == 200 and changed.json()["created"] is False


def test_the_first_run_form_refuses_a_taken_name_in_the_same_words_for_every_coach(
    club: Club,
) -> None:
    app = create_app(WebSettings(club.db, lambda: TODAY))
    alerts = set()
    for coach in ("viewer", "editor", "stranger"):
        with TestClient(app) as client:
            assert sign_in(client, coach, PASSWORD).status_code == 303
            for name in ("Sam", "riley"):
                form = {
                    "csrf_token": csrf_of(client.get("/setup")),
                    "athlete.name": name,
                    "athlete.body_mass_kg": "60",
                    "body_mass_unit": "kg",
                    "health.pain_now": "0",
                }
                page = client.post("/setup", data=form, follow_redirects=False)
                assert page.status_code == 422, (coach, name, page.text)
                alert = re.search(r'role="alert"[^>]*>([^<]*)<', page.text)
                assert alert is not None, page.text
                alerts.add(alert.group(1))
    assert len(alerts) == 1, alerts
    assert "no such athlete" not in alerts.pop()


def test_a_coach_who_adds_an_athlete_may_edit_them(club: Club, client: TestClient) -> None:
    new = SAMPLE.replace('name = "Sam"', 'name = "Ola"')
    made = client.post(
        "/api/v1/athletes", json={"profile_toml": new}, headers=club.headers("stranger")
    )
    assert made.status_code == 201, made.text
    plan = client.get("/api/v1/plan", params={"athlete": "Ola"}, headers=club.headers("stranger"))
    assert plan.status_code == 200
    history = accounts.audit_of(club.db, "Ola")
    assert [(row.actor, row.action) for row in history] == [("stranger", "profile_add")]
    # An athlete account adds nobody.
    other = SAMPLE.replace('name = "Sam"', 'name = "Mo"')
    refused = client.post(
        "/api/v1/athletes", json={"profile_toml": other}, headers=club.headers("athlete_a")
    )
    assert refused.status_code == 403
    assert refused.json()["error"] == {
        "code": "forbidden",
        "message": "only coaches and admins add athletes",
        "field": None,
    }
    assert "Mo" not in access.visible_names(club.db, LOCAL_OWNER)


def test_a_revoked_token_stops_working(club: Club, client: TestClient) -> None:
    headers = club.headers("athlete_a")
    assert client.get("/api/v1/plan", headers=headers).status_code == 200
    accounts.revoke_tokens(club.db, "sam", LOCAL_OWNER)
    refused = client.get("/api/v1/plan", headers=headers)
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"].startswith("Bearer")
    assert refused.json()["error"]["code"] == "unauthorized"


def test_pages_send_strangers_to_the_sign_in_page(client: TestClient) -> None:
    for page in ("/", "/today", "/week?athlete=Sam", "/plan", "/athletes", "/account"):
        landed = client.get(page, follow_redirects=False)
        assert landed.status_code == 303, page
        assert landed.headers["location"].startswith("/signin?next=%2F"), page
    assert client.get("/signin").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/static/app.css").status_code == 200


def sign_in(client: TestClient, name: str, password: str, next_path: str = "/today") -> Any:
    form = client.get("/signin")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token is not None
    return client.post(
        "/signin",
        data={"name": name, "password": password, "csrf_token": token.group(1), "next": next_path},
        follow_redirects=False,
    )


def test_signing_in_sets_a_safe_session_cookie_and_signing_out_ends_it(
    client: TestClient,
) -> None:
    signed = sign_in(client, "sam", PASSWORD, "/week")
    assert (signed.status_code, signed.headers["location"]) == (303, "/week")
    cookie = signed.headers["set-cookie"]
    assert cookie.startswith("calfcoach_session=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Max-Age=" in cookie
    assert "Secure" not in cookie  # plain HTTP here; behind TLS it is set
    week = client.get("/week", follow_redirects=False)
    assert week.status_code == 200 and "Sam" in week.text
    # Riley's week, for Sam's session: the same 404 as an athlete nobody has.
    assert client.get("/week", params={"athlete": "Riley"}).status_code == 404
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/account").text)
    assert csrf is not None
    out = client.post("/signout", data={"csrf_token": csrf.group(1)}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/week", follow_redirects=False).status_code == 303


def test_the_session_cookie_is_secure_behind_tls(club: Club) -> None:
    settings = WebSettings(club.db, lambda: TODAY)
    app = create_app(settings)
    with TestClient(app, base_url="https://testserver") as secure:
        cookie = sign_in(secure, "sam", PASSWORD).headers["set-cookie"]
    assert "Secure" in cookie


def test_sign_in_never_sends_you_to_another_site(client: TestClient) -> None:
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        signed = sign_in(client, "sam", PASSWORD, target)
        assert signed.headers["location"] == "/", target


def test_a_forged_or_tampered_session_is_refused(client: TestClient) -> None:
    signed = sign_in(client, "sam", PASSWORD)
    value = signed.cookies["calfcoach_session"]
    client.cookies.clear()
    client.cookies.set("calfcoach_session", value[:-2] + ("AA" if value[-2:] != "AA" else "BB"))
    assert client.get("/api/v1/plan").status_code == 401


def test_sign_in_is_rate_limited(client: TestClient) -> None:
    for _ in range(accounts.SIGN_IN_ATTEMPTS):
        wrong = sign_in(client, "sam", "not the password")
        assert wrong.status_code == 401 and "wrong user name or password" in wrong.text
    limited = sign_in(client, "sam", PASSWORD)
    assert limited.status_code == 429 and "too many failed sign-ins" in limited.text
    # Another account is not locked by Sam's failures.
    assert sign_in(client, "riley", PASSWORD).status_code == 303


def test_a_password_change_signs_out_the_other_sessions(club: Club) -> None:
    app = create_app(WebSettings(club.db, lambda: TODAY))
    with TestClient(app) as phone, TestClient(app) as laptop:
        sign_in(phone, "sam", PASSWORD)
        sign_in(laptop, "sam", PASSWORD)
        page = laptop.get("/account")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert csrf is not None
        wrong = laptop.post(
            "/account/password",
            data={
                "csrf_token": csrf.group(1),
                "current_password": "guess",
                "new_password": "a brand new one",
            },
        )
        assert wrong.status_code == 422 and "wrong password" in wrong.text
        changed = laptop.post(
            "/account/password",
            data={
                "csrf_token": csrf.group(1),
                "current_password": PASSWORD,
                "new_password": "a brand new one",
            },
        )
        assert changed.status_code == 200 and "Password changed" in changed.text
        assert laptop.get("/api/v1/plan").status_code == 200
        assert phone.get("/api/v1/plan").status_code == 401


def test_the_calendar_link_is_shown_only_to_its_athlete(club: Club, client: TestClient) -> None:
    from calfcoach.services import exporting

    token = exporting.feed_token(club.db, "Sam", create=True)
    assert token is not None
    own = client.get("/plan", headers=club.headers("athlete_a"))
    assert own.status_code == 200 and token in own.text
    coach = client.get("/plan", params={"athlete": "Sam"}, headers=club.headers("coach_edit"))
    assert coach.status_code == 200 and token not in coach.text and "calendar-h" not in coach.text
    # The feed itself still opens by its secret address, with no sign-in.
    assert client.get(f"/calendar/{token}.ics").status_code == 200


def test_without_accounts_the_local_owner_needs_no_sign_in(database_url: str) -> None:
    db = context.open_database(database_url)
    athletes_service.init_athlete_from_text(db, SAMPLE, "profile", date(2026, 11, 30), TODAY)
    with TestClient(create_app(WebSettings(db, lambda: TODAY))) as owner:
        assert owner.get("/api/v1/plan").status_code == 200
        assert owner.get("/today").status_code == 200
        # Even the owner's errors list no athletes.
        unknown = owner.get("/api/v1/plan", params={"athlete": "Nobody"})
        assert unknown.status_code == 404 and "Sam" not in unknown.text


def test_every_web_write_records_who_made_it(club: Club, client: TestClient) -> None:
    body = {"date": TODAY.isoformat(), "exercise": "pogo-hops", "reps": 12}
    by_coach = client.post(
        "/api/v1/sets", params={"athlete": "Sam"}, json=body, headers=club.headers("coach_edit")
    )
    assert by_coach.status_code == 201, by_coach.text
    by_sam = client.post("/api/v1/sets", json=body, headers=club.headers("athlete_a"))
    assert by_sam.status_code == 201, by_sam.text
    # A refused write and a read leave no row.
    refused = client.post(
        "/api/v1/sets", params={"athlete": "Sam"}, json=body, headers=club.headers("stranger")
    )
    assert refused.status_code == 404
    client.get("/api/v1/sets", headers=club.headers("athlete_a"))
    history = accounts.audit_of(club.db, "Sam")
    writes = [(row.actor, row.action) for row in history if row.action.startswith("POST")]
    assert writes == [("sam", "POST /api/v1/sets"), ("editor", "POST /api/v1/sets")]
    assert all(row.athlete == "Sam" for row in history)
    riley = accounts.audit_of(club.db, "Riley")
    assert [row.action for row in riley] == ["user_add"]  # her account, nothing of Sam's


def test_a_paired_device_and_the_owner_are_told_apart(database_url: str) -> None:
    db = context.open_database(database_url)
    athletes_service.init_athlete_from_text(db, SAMPLE, "profile", date(2026, 11, 30), TODAY)
    body = {"date": TODAY.isoformat(), "exercise": "pogo-hops", "reps": 12}
    app = create_app(WebSettings(db, lambda: TODAY))
    with TestClient(app, client=("127.0.0.1", 5000)) as here:
        assert here.post("/api/v1/sets", json=body).status_code == 201
    with TestClient(app, client=("192.168.1.20", 5000)) as phone:
        assert phone.post("/api/v1/sets", json=body).status_code == 201
    actors = [row.actor for row in accounts.audit_of(db, "Sam")]
    assert actors == ["device", "owner"]


def csrf_of(page: Any) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def test_invite_accept_then_the_athlete_ends_it_and_the_coach_gets_404(club: Club) -> None:
    app = create_app(WebSettings(club.db, lambda: TODAY))
    with TestClient(app) as coach, TestClient(app) as athlete:
        sign_in(coach, "stranger", PASSWORD)
        sign_in(athlete, "sam", PASSWORD)
        assert coach.get("/week", params={"athlete": "Sam"}).status_code == 404
        page = coach.get("/sharing", params={"invite": "1"})
        link = re.search(r'value="(http://testserver/invite/[^"]+)"', page.text)
        assert link is not None
        path = link.group(1).removeprefix("http://testserver")
        offer = athlete.get(path)
        assert offer.status_code == 200 and "stranger asks to follow your training" in offer.text
        # Access starts only when the athlete accepts, at the level the athlete chooses.
        assert coach.get("/week", params={"athlete": "Sam"}).status_code == 404
        accepted = athlete.post(
            path, data={"csrf_token": csrf_of(offer), "level": "view"}, follow_redirects=False
        )
        assert accepted.status_code == 303
        assert coach.get("/week", params={"athlete": "Sam"}).status_code == 200
        body = {"date": TODAY.isoformat(), "exercise": "pogo-hops", "reps": 12}
        refused = coach.post("/api/v1/sets", params={"athlete": "Sam"}, json=body)
        assert refused.status_code == 403  # view only, and said so
        assert refused.json()["error"]["message"].startswith("view access only")
        mine = athlete.get("/sharing")
        assert "stranger" in mine.text and "view" in mine.text
        assert "grant" in mine.text  # the change is in the diary's history
        ended = athlete.post(
            "/sharing/end",
            data={"csrf_token": csrf_of(mine), "other": "stranger"},
            follow_redirects=False,
        )
        assert ended.status_code == 303
        assert coach.get("/week", params={"athlete": "Sam"}).status_code == 404
        # A forged or altered invitation is refused.
        forged = athlete.get("/invite/" + path.rsplit("/", 1)[1][:-3] + "xyz")
        assert forged.status_code == 404 and "not valid" in forged.text


def test_the_coach_dashboard_lists_only_granted_athletes_red_first(club: Club) -> None:
    checkins.record_checkin(club.db, "Riley", TODAY, 8, None)  # red
    accounts.grant(club.db, "Riley", "editor", "view", LOCAL_OWNER)
    app = create_app(WebSettings(club.db, lambda: TODAY))
    with TestClient(app) as editor, TestClient(app) as stranger:
        sign_in(editor, "editor", PASSWORD)
        page = editor.get("/coach")
        assert page.status_code == 200
        rows = re.findall(r'<th scope="row">([^<]+)</th>', page.text)
        assert rows == ["Riley", "Sam"]  # Riley's red check-in first
        assert "red" in page.text and "today" in page.text  # Sam logged today
        sign_in(stranger, "stranger", PASSWORD)
        empty = stranger.get("/coach")
        assert "No athlete has given you access yet" in empty.text
        assert "Sam" not in empty.text and "Riley" not in empty.text


def test_a_coachs_home_is_the_dashboard(club: Club, client: TestClient) -> None:
    sign_in(client, "viewer", PASSWORD)
    home = client.get("/", follow_redirects=False)
    assert (home.status_code, home.headers["location"]) == (303, "/coach")


ADD_LINK = re.compile(r'<a[^>]*href="/setup"[^>]*>Add an athlete</a>')


def test_a_coach_finds_adding_an_athlete_where_athletes_are_listed(club: Club) -> None:
    """A coach's trial found no way to /setup: the dashboard, /sharing and /account had no
    link to it. The pages listing a coach's athletes offer it; an athlete account, which
    adds nobody, is not offered it."""
    app = create_app(WebSettings(club.db, lambda: TODAY))
    with TestClient(app) as coach, TestClient(app) as stranger, TestClient(app) as athlete:
        assert sign_in(coach, "editor", PASSWORD).status_code == 303
        assert sign_in(stranger, "stranger", PASSWORD).status_code == 303
        assert sign_in(athlete, "sam", PASSWORD).status_code == 303
        for client in (coach, stranger):  # with athletes, and with none yet
            for path in ("/coach", "/sharing", "/athletes"):
                page = client.get(path)
                assert page.status_code == 200, (path, page.text)
                assert ADD_LINK.search(page.text), (path, page.text)
        for path in ("/sharing", "/athletes"):
            page = athlete.get(path)
            assert page.status_code == 200 and not ADD_LINK.search(page.text), path
        assert coach.get("/setup").status_code == 200
