"""A session as a file for the athlete's watch."""

from django.http import HttpRequest, HttpResponse
from ninja import Router

from runstrong.api.schemas import RowId
from runstrong.web.coaching.access import session_get_for_user
from runstrong.web.coaching.printouts import workout_download

router = Router(tags=["sessions"])


@router.get(
    "/sessions/{session_id}/workout.fit",
    operation_id="session_workout_fit",
    openapi_extra={
        "responses": {
            200: {
                "description": "A FIT workout file: one step per set, rests, superset order.",
                "content": {"application/vnd.ant.fit": {"schema": {"type": "string"}}},
            }
        }
    },
)
def session_workout(request: HttpRequest, session_id: RowId) -> HttpResponse:
    found = session_get_for_user(user=request.user, session_id=session_id)
    return workout_download(found)
