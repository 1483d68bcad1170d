"""The litestar application: routes, the one guard, the error table, OpenAPI."""

from __future__ import annotations

from typing import Any

from litestar import Litestar, Request
from litestar.config.cors import CORSConfig
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme

from adapters.container import Container
from adapters.http.activities import ActivityController
from adapters.http.affiliations import AffiliationController
from adapters.http.annual import AnnualReviewController
from adapters.http.apidoc import finish
from adapters.http.apidoc.refusals import document_refusals
from adapters.http.assessments import AssessmentController
from adapters.http.audit import AuditController
from adapters.http.bodies import strict_bodies
from adapters.http.context import RequestContext, context_of, request_context
from adapters.http.deadline_sheets import DeadlineSheetController
from adapters.http.docs import assets, swagger_page
from adapters.http.drafting import DraftController
from adapters.http.errors import EXCEPTION_HANDLERS, record_refused
from adapters.http.evidence import EvidenceController
from adapters.http.health import healthz, readyz
from adapters.http.i18n.asgi import localised_problems
from adapters.http.imports import ImportController
from adapters.http.lifecycle import LifecycleController
from adapters.http.org_levels import OrgController
from adapters.http.organisation import OrganisationController
from adapters.http.people import PeopleController
from adapters.http.platform import PlatformController
from adapters.http.ratelimit import RateLimiter, SharedRateLimiter
from adapters.http.record_reads import RecordReadController
from adapters.http.record_sheets import RecordSheetController
from adapters.http.records import RecordController
from adapters.http.rubrics import RubricController
from adapters.http.scoring import ScoringController
from adapters.http.settings import SettingsController
from adapters.http.sheets import SheetController
from adapters.http.sign_in import SignInController
from adapters.http.targets import clean_targets
from adapters.http.waiting import PositionWaiters, release_gate
from adapters.http.windows import WindowsController
from adapters.http.zone import ZonedResponse
from adapters.postgres.catalogue import shared_secret
from adapters.web.routes import web_routes
from adapters.web.templating import template_config


def provide_container(state: State) -> Container:
    return state.container  # type: ignore[no-any-return]


def provide_context(request: Request[Any, Any, Any], container: Container) -> RequestContext:
    # ``container`` is not needed here: depending on it puts the two providers in two
    # batches, which litestar resolves one after the other, instead of in one batch, for
    # which it starts a task group per request.
    del container
    return context_of(request.scope)


def page_forms(container: Container) -> CSRFConfig:
    """Every page's form posts with a CSRF token (double-submit, keyed by a secret every
    worker shares). The API is not a browser's: bearer tokens are not sent by a browser on
    its own, so ``/api/`` needs none."""
    return CSRFConfig(secret=shared_secret(container.pool, "csrf"), cookie_name="kaoping_csrf",
                      cookie_samesite="lax", cookie_httponly=True,
                      exclude=["^/api/", "^/schema", "^/static/", "^/healthz", "^/readyz"])


def create_app(
    container: Container, *, manage_lifecycle: bool = False,
    limiter: RateLimiter | SharedRateLimiter | None = None,
) -> Litestar:
    """Build the HTTP app over a container. With ``manage_lifecycle`` the app starts the
    projector on start-up and closes the container on shutdown."""
    settings = container.settings
    limiter = limiter or SharedRateLimiter(container.admission_pool or container.pool,
                                           settings.rate_per_second, settings.rate_burst,
                                           principals=container.catalogue.principals)
    cors = CORSConfig(allow_origins=list(settings.cors_origins)) if settings.cors_origins else None
    on_startup = [container.projector.start, container.refusals.start] if manage_lifecycle else []
    waiters = PositionWaiters(settings.read_waiters)
    container.projector.on_reached(waiters.reached)
    on_shutdown = [container.close] if manage_lifecycle else []
    app = Litestar(
        route_handlers=[healthz, readyz, PlatformController, PeopleController,
                        OrganisationController, RubricController,
                        AssessmentController, ScoringController, AuditController,
                        ActivityController, SettingsController, DraftController,
                        LifecycleController, RecordController, RecordReadController,
                        EvidenceController, AffiliationController, SignInController, assets,
                        WindowsController,
                        AnnualReviewController,
                        OrgController,  # 组织层级、学期 (issue 16)
                        ImportController, SheetController, RecordSheetController,
                        DeadlineSheetController,
                        *web_routes()],
        dependencies={
            "container": Provide(provide_container, sync_to_thread=False),
            "ctx": Provide(provide_context, sync_to_thread=False),
        },
        exception_handlers=EXCEPTION_HANDLERS,
        after_exception=[record_refused],
        response_class=ZonedResponse,
        middleware=[release_gate,
                    strict_bodies(settings.max_body_bytes, settings.evidence_max_bytes)],
        state=State({"container": container, "limiter": limiter, "waiters": waiters}),
        cors_config=cors,
        csrf_config=page_forms(container),
        template_config=template_config(),
        request_max_body_size=max(settings.max_body_bytes, settings.evidence_max_bytes) + 65536,
        on_startup=on_startup,
        on_shutdown=on_shutdown,
        openapi_config=OpenAPIConfig(
            title="kaoping 考评 API",
            version="1",
            description="Event-sourced, multi-tenant teaching-research assessment.",
            path="/schema",
            components=Components(security_schemes={
                "bearer": SecurityScheme(type="http", scheme="bearer"),
            }),
            security=[{"bearer": []}],
            render_plugins=[swagger_page()],
        ),
        logging_config=None,  # structlog is configured once, by the composition root
        debug=False,
    )
    # Outermost: sees every refusal. Bad bytes in the path or query stop before routing.
    # Outermost: every answer, refusals before the body included, carries the request id and
    # the security headers, and is logged once with its real status.
    app.asgi_handler = request_context(localised_problems(clean_targets(app.asgi_handler)))
    finish(app.openapi_schema)  # descriptions and example bodies, once
    document_refusals(app.openapi_schema, app.routes)  # problem+json, public, closed bodies
    return app
