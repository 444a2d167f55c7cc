from django.urls import path

from runstrong.web.coaching.views import (
    account,
    athlete,
    calendar,
    club,
    coach,
    exports,
    me,
    offline,
    printouts,
    testdays,
    tokens,
)

app_name = "coaching"

urlpatterns = [
    path("coach/", coach.overview, name="overview"),
    path("coach/athletes/<int:athlete_id>/", coach.athlete_detail, name="athlete"),
    path("coach/sessions/<int:session_id>/", coach.session_detail, name="session"),
    path("coach/athletes/<int:athlete_id>/edit/", coach.athlete_edit, name="athlete-edit"),
    path("coach/athletes/<int:athlete_id>/delete/", coach.athlete_delete, name="athlete-delete"),
    path("coach/plans/new/", coach.plan_new, name="plan-new"),
    path("coach/plans/review/", coach.plan_review, name="plan-review"),
    path("coach/plans/publish/", coach.plan_publish_all, name="plan-publish"),
    path("coach/items/<int:item_id>/edit/", coach.item_edit, name="item-edit"),
    path("coach/items/<int:item_id>/edit/remove/", coach.item_edit_remove, name="item-edit-remove"),
    path("coach/export/<str:kind>.<str:fmt>", exports.export, name="export-squad"),
    path(
        "coach/athletes/<int:athlete_id>/export/<str:kind>.<str:fmt>",
        exports.export,
        name="export-athlete",
    ),
    path("coach/standards/", club.standards, name="standards"),
    path("coach/standards.json", club.standards_json, name="standards-json"),
    path("coach/benchmarks/", club.benchmark_matrix, name="benchmarks"),
    path("coach/test-days/", testdays.test_days, name="test-days"),
    path("coach/test-days/<int:test_day_id>/", testdays.test_day, name="test-day"),
    path(
        "coach/test-days/<int:test_day_id>/move/", testdays.test_day_move_view, name="test-day-move"
    ),
    path(
        "coach/test-days/<int:test_day_id>/sheet.pdf",
        printouts.test_day_sheet,
        name="test-day-sheet",
    ),
    path("coach/athletes/<int:athlete_id>/season.pdf", printouts.season, name="season-pdf"),
    path("sessions/<int:session_id>/card.pdf", printouts.session_card, name="session-card"),
    path("coach/roster/", club.roster, name="roster"),
    path("coach/flags/<int:flag_id>/resolve/", club.flag_resolve, name="flag-resolve"),
    path("account/", account.account, name="account"),
    path("account/tokens/", tokens.tokens, name="tokens"),
    path("account/tokens/<int:token_id>/revoke/", tokens.token_revoke_view, name="token-revoke"),
    path("account/calendar/", calendar.subscription, name="calendar"),
    path("today/", athlete.today, name="today"),
    path("sw.js", offline.service_worker, name="service-worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("sessions/<int:session_id>/log/", athlete.session_log, name="session-log"),
    path("sessions/<int:session_id>/set/", athlete.session_set, name="session-set"),
    path("sessions/<int:session_id>/missed/", athlete.session_missed, name="session-missed"),
    path("history/", me.history, name="history"),
    path("history/<int:session_id>/", me.history_session, name="history-session"),
    path("progress/", me.progress, name="progress"),
    path("progress/tests/", me.tests, name="my-tests"),
    path("weeks/", me.upcoming, name="upcoming"),
    path("weeks/races/", me.races, name="races"),
]
