"""Schemathesis against the API's own OpenAPI schema: generated requests to every operation on
a real SQLite database holding an athlete and a plan find no 5xx, and every response matches
the schema (status code, content type, body)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from calfcoach.services import athletes, context
from calfcoach.web.app import WebSettings, create_app
from tests.conftest import ROOT

TODAY = date(2026, 11, 30)


@pytest.fixture(scope="module")
def api_app(tmp_path_factory: pytest.TempPathFactory):
    path: Path = tmp_path_factory.mktemp("schemathesis") / "calfcoach.sqlite"
    database = context.open_database(f"sqlite:///{path}")
    athletes.init_athlete(database, ROOT / "examples" / "profile.toml", TODAY, TODAY)
    return schemathesis.openapi.from_asgi(
        "/api/v1/openapi.json", create_app(WebSettings(database, lambda: TODAY))
    )


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_api_conforms_to_its_schema(api_app: schemathesis.BaseSchema) -> None:
    # Each operation in turn, with Hypothesis drawing the cases (schemathesis's own pytest
    # plugin does not run under pytest 9 yet).
    operations = [result.ok() for result in api_app.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(checks=CHECKS)

        check()
