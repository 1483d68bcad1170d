"""Request and response shapes (msgspec Structs). Domain events are never the API schema."""

from adapters.http.schemas.activities import *  # noqa: F403
from adapters.http.schemas.annual import *  # noqa: F403
from adapters.http.schemas.assessments import *  # noqa: F403
from adapters.http.schemas.audit import *  # noqa: F403
from adapters.http.schemas.base import *  # noqa: F403
from adapters.http.schemas.drafting import *  # noqa: F403
from adapters.http.schemas.lifecycle import *  # noqa: F403
from adapters.http.schemas.org import *  # noqa: F403
from adapters.http.schemas.people import *  # noqa: F403
from adapters.http.schemas.platform import *  # noqa: F403
from adapters.http.schemas.records import *  # noqa: F403
from adapters.http.schemas.recusals import *  # noqa: F403
from adapters.http.schemas.rubrics import *  # noqa: F403
from adapters.http.schemas.sign_in import *  # noqa: F403
from adapters.http.schemas.windows import *  # noqa: F403
