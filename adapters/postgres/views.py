"""The tenant's read models in its schema: boards, history, schools, users, and tracking."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import Connection
from psycopg.sql import SQL, Composed, Identifier, Literal
from psycopg.types.json import set_json_dumps

from adapters.postgres.annual_views import TABLE as ANNUAL_TABLE
from adapters.postgres.annual_views import AnnualBoardViews
from adapters.postgres.board_views import BoardViews
from adapters.postgres.mapper import encode
from adapters.postgres.record_views import RecordViews
from domain.school import School
from domain.security import Refusal
from domain.unit import Unit
from domain.user import User
from services.history import HistoryEntry

TRACKING_NAME = "views"
HISTORY_TYPES = ("int8", "uuid", "timestamptz", "text", "text", "text", "text", "text", "uuid",
                 "uuid", "text", "jsonb", "jsonb")
# The shape of the view tables. A version built with an older layout is rebuilt at start-up
# (views are disposable: they are folded again from the log).
LAYOUT = 9  # 4: archived records, the rubric list; 5: boards keep why judges are recused;
# 6: a refusal row counts the repeats of its minute; 7: a board is a header and a row per subject
# 8: annual boards (年度考核, ADR 0026); 9: an activity keeps its 主办/承办/协办 units, so those
# held before are credited to their co-hosts in compliance too (ADR 0028)


def view_tables(schema: str) -> list[Composed]:
    s = Identifier(schema)
    statements = [
        "CREATE TABLE IF NOT EXISTS {s}.view_tracking ("
        " name text PRIMARY KEY, position bigint NOT NULL)",
        "INSERT INTO {s}.view_tracking (name, position) VALUES ('views', 0) "
        "ON CONFLICT DO NOTHING",
        "INSERT INTO {s}.view_tracking (name, position) VALUES ('layout', {layout}) "
        "ON CONFLICT DO NOTHING",
        "CREATE TABLE IF NOT EXISTS {s}.boards ("
        " assessment_id uuid PRIMARY KEY, position bigint NOT NULL, state jsonb NOT NULL)",
        "CREATE TABLE IF NOT EXISTS {s}.board_subjects ("
        " assessment_id uuid NOT NULL, subject_id uuid NOT NULL, position bigint NOT NULL,"
        " part jsonb NOT NULL, PRIMARY KEY (assessment_id, subject_id))",
        "CREATE TABLE IF NOT EXISTS {s}.history ("
        " position bigint PRIMARY KEY, assessment_id uuid NOT NULL,"
        " recorded_at timestamptz NOT NULL, type text NOT NULL, actor_id text NOT NULL,"
        " actor_role text NOT NULL, request_id text NOT NULL, reason text,"
        " subject_id uuid, judge_id uuid, component text,"
        " changes jsonb NOT NULL, details jsonb NOT NULL)",
        "CREATE INDEX IF NOT EXISTS history_assessment_idx ON {s}.history"
        " (assessment_id, position)",
        "CREATE TABLE IF NOT EXISTS {s}.schools ("
        " id uuid PRIMARY KEY, position bigint NOT NULL, name text NOT NULL,"
         ' "group" text NOT NULL, stage text NOT NULL, zone text, external boolean NOT NULL,'
        " archived boolean NOT NULL DEFAULT false)",
        "CREATE TABLE IF NOT EXISTS {s}.users ("
        " id uuid PRIMARY KEY, position bigint NOT NULL, name text NOT NULL,"
        " role text NOT NULL, affiliations jsonb NOT NULL, subject text,"
        " archived boolean NOT NULL DEFAULT false)",
        "CREATE TABLE IF NOT EXISTS {s}.refusals ("
        " position bigint PRIMARY KEY, recorded_at timestamptz NOT NULL, actor_id text NOT NULL,"
        " actor_role text NOT NULL, request_id text NOT NULL, kind text NOT NULL,"
        " method text NOT NULL, route text NOT NULL, detail text NOT NULL,"
        " refusal_id uuid, count integer NOT NULL DEFAULT 1)",
        "CREATE INDEX IF NOT EXISTS refusals_id_idx ON {s}.refusals (refusal_id)",
        "CREATE TABLE IF NOT EXISTS {s}.activities ("
        " id uuid PRIMARY KEY, position bigint NOT NULL, unit_id uuid NOT NULL,"
        " status text NOT NULL, held_on date, doc jsonb NOT NULL)",
        "CREATE INDEX IF NOT EXISTS activities_unit_idx ON {s}.activities (unit_id, held_on)",
        "CREATE TABLE IF NOT EXISTS {s}.certificates ("
        " code text PRIMARY KEY, activity_id uuid NOT NULL, holder text NOT NULL,"
        " theme text NOT NULL, held_on date NOT NULL)",
        "CREATE TABLE IF NOT EXISTS {s}.communities ("
        " id uuid PRIMARY KEY, position bigint NOT NULL, doc jsonb NOT NULL)",
        "CREATE TABLE IF NOT EXISTS {s}.units ("
        " id uuid PRIMARY KEY, position bigint NOT NULL, kind text NOT NULL, name text NOT NULL,"
        " school_id uuid, subject text, host_user_id uuid, member_user_ids jsonb NOT NULL,"
        " parent_id uuid, archived boolean NOT NULL DEFAULT false)",
        "CREATE TABLE IF NOT EXISTS {s}.rubrics ("
        " id uuid PRIMARY KEY, position bigint NOT NULL, doc jsonb NOT NULL)",
        ANNUAL_TABLE,
    ]
    return [SQL(statement).format(s=s, layout=Literal(LAYOUT))  # type: ignore[arg-type]
            for statement in statements]


class PgViews(BoardViews, RecordViews, AnnualBoardViews):
    """Reads and writes of the views, on a connection the caller owns (and its transaction)."""

    def __init__(self, conn: Connection[Any], schema: str) -> None:
        self.conn = conn
        self.s = Identifier(schema)

    def _sql(self, text: str) -> Composed:
        return SQL(text).format(s=self.s)  # type: ignore[arg-type]

    # -- tracking --------------------------------------------------------------------------

    def lock_position(self) -> int:
        row = self.conn.execute(
            self._sql("SELECT position FROM {s}.view_tracking WHERE name = %s FOR UPDATE"),
            (TRACKING_NAME,),
        ).fetchone()
        return int(row["position"])

    def layout(self) -> int:
        row = self.conn.execute(
            self._sql("SELECT position FROM {s}.view_tracking WHERE name = 'layout'")).fetchone()
        return int(row["position"]) if row else 1

    def position(self) -> int:
        row = self.conn.execute(
            self._sql("SELECT position FROM {s}.view_tracking WHERE name = %s"), (TRACKING_NAME,)
        ).fetchone()
        return int(row["position"]) if row else 0

    def set_position(self, position: int) -> None:
        self.conn.execute(
            self._sql("UPDATE {s}.view_tracking SET position = %s WHERE name = %s"),
            (position, TRACKING_NAME),
        )

    # -- writes (ViewWriter) ---------------------------------------------------------------

    def add_history(self, entries: list[HistoryEntry]) -> None:
        """One row per event, a batch's rows by binary COPY: PostgreSQL takes the rows as
        they come while Python writes the next (about half the time of one INSERT from a
        JSON array, which PostgreSQL parsed whole before inserting a row)."""
        if not entries:
            return
        with self.conn.cursor() as cur:
            set_json_dumps(encode, context=cur)  # changes and details, by msgspec
            with cur.copy(self._sql(
                    "COPY {s}.history (position, assessment_id, recorded_at, type, actor_id,"
                    " actor_role, request_id, reason, subject_id, judge_id, component,"
                    " changes, details) FROM STDIN (FORMAT BINARY)")) as copy:
                copy.set_types(HISTORY_TYPES)
                write = copy.write_row
                for e in entries:
                    write((e.position, e.assessment_id, e.at, e.type, e.actor_id,
                           e.actor_role, e.request_id, e.reason, e.subject_id, e.judge_id,
                           e.component, e.changes, e.details))

    def put_school(self, school_id: UUID, position: int, event: School.Registered) -> None:
        self.conn.execute(
            self._sql(
                'INSERT INTO {s}.schools (id, position, name, "group", stage, zone, external)'
                " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING"
            ),
            (school_id, position, event.name, event.group, event.stage, event.zone,
             event.external),
        )

    def put_user(self, user_id: UUID, position: int, event: User.Registered) -> None:
        self.conn.execute(
            self._sql(
                "INSERT INTO {s}.users (id, position, name, role, affiliations, subject)"
                " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING"
            ),
            (user_id, position, event.name, event.role, encode(event.affiliations).decode(),
             event.subject),
        )

    def set_affiliations(self, position: int, event: User.AffiliationsChanged) -> None:
        self.conn.execute(
            self._sql("UPDATE {s}.users SET position = %s, affiliations = %s WHERE id = %s"),
            (position, encode(event.affiliations).decode(), event.originator_id),
        )

    def set_unit_members(self, position: int, event: Unit.MembersChanged) -> None:
        self.conn.execute(
            self._sql("UPDATE {s}.units SET position = %s, host_user_id = %s,"
                      " member_user_ids = %s WHERE id = %s"),
            (position, event.host_user_id, encode(event.member_user_ids).decode(),
             event.originator_id),
        )

    def put_unit(self, unit_id: UUID, position: int, event: Unit.Registered) -> None:
        self.conn.execute(
            self._sql(
                "INSERT INTO {s}.units (id, position, kind, name, school_id, subject,"
                " host_user_id, member_user_ids, parent_id)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING"
            ),
            (unit_id, position, event.kind, event.name, event.school_id, event.subject,
             event.host_user_id, encode(event.member_user_ids).decode(), event.parent_id),
        )

    def add_refusal(self, position: int, at: datetime, event: Refusal.Recorded) -> None:
        cause = event.cause
        self.conn.execute(
            self._sql("INSERT INTO {s}.refusals (position, recorded_at, actor_id, actor_role,"
                      " request_id, kind, method, route, detail, refusal_id)"
                      " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"),
            (position, at, cause.actor_id, cause.actor_role, cause.request_id, event.kind,
             event.method, event.route, event.detail, event.originator_id),
        )

    def count_refusals(self, event: Refusal.Repeated) -> None:
        """A closed minute's repeats: the row of its first refusal says how many there were."""
        self.conn.execute(
            self._sql("UPDATE {s}.refusals SET count = greatest(count, %s)"
                      " WHERE refusal_id = %s"), (event.count, event.originator_id))

    def refusals(self, after: int, limit: int) -> list[dict[str, Any]]:
        return self.conn.execute(
            self._sql("SELECT * FROM {s}.refusals WHERE position > %s ORDER BY position"
                      " LIMIT %s"), (after, limit)).fetchall()

    def load_activity(self, activity_id: UUID) -> dict[str, Any] | None:
        row = self.conn.execute(
            self._sql("SELECT doc FROM {s}.activities WHERE id = %s"), (activity_id,)
        ).fetchone()
        return row["doc"] if row else None

    def save_activity(self, activity: dict[str, Any], position: int) -> None:
        self.conn.execute(
            self._sql("INSERT INTO {s}.activities (id, position, unit_id, status, held_on, doc)"
                      " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET"
                      " position = excluded.position, status = excluded.status,"
                      " held_on = excluded.held_on, doc = excluded.doc"),
            (activity["id"], position, activity["unit_id"], activity["status"],
             activity["held_on"], encode(activity).decode()),
        )

    def add_certificates(self, activity: dict[str, Any], certificates: list[Any]) -> None:
        with self.conn.cursor() as cur:
            cur.executemany(
                self._sql("INSERT INTO {s}.certificates VALUES (%s, %s, %s, %s, %s)"
                          " ON CONFLICT (code) DO NOTHING"),
                [(c.code, activity["id"], c.holder, activity["theme"], activity["held_on"])
                 for c in certificates])

    def activities(self, unit_id: UUID | None = None,
                   status: str | None = None) -> list[dict[str, Any]]:
        return [r["doc"] for r in self.conn.execute(
            self._sql("SELECT doc FROM {s}.activities"
                      " WHERE (%(unit)s::uuid IS NULL OR unit_id = %(unit)s)"
                      " AND (%(status)s::text IS NULL OR status = %(status)s)"
                      " ORDER BY coalesce(held_on, (doc->>'planned_on')::date), id"),
            {"unit": unit_id, "status": status}).fetchall()]

    def held_between(self, start: Any, end: Any) -> list[dict[str, Any]]:
        return [r["doc"] for r in self.conn.execute(
            self._sql("SELECT doc FROM {s}.activities WHERE status IN ('held', 'summarised')"
                      " AND held_on BETWEEN %s AND %s"), (start, end)).fetchall()]

    def planned_between(self, start: Any, end: Any) -> list[dict[str, Any]]:
        return [r["doc"] for r in self.conn.execute(
            self._sql("SELECT doc FROM {s}.activities WHERE status <> 'cancelled'"
                      " AND (doc->>'planned_on')::date BETWEEN %s AND %s"),
            (start, end)).fetchall()]

    def certificate(self, code: str) -> dict[str, Any] | None:
        return self.conn.execute(
            self._sql("SELECT holder, theme, held_on FROM {s}.certificates WHERE code = %s"),
            (code,)).fetchone()

    def load_community(self, community_id: UUID) -> dict[str, Any] | None:
        row = self.conn.execute(
            self._sql("SELECT doc FROM {s}.communities WHERE id = %s"), (community_id,)
        ).fetchone()
        return row["doc"] if row else None

    def save_community(self, community: dict[str, Any], position: int) -> None:
        self.conn.execute(
            self._sql("INSERT INTO {s}.communities (id, position, doc) VALUES (%s, %s, %s)"
                      " ON CONFLICT (id) DO UPDATE SET position = excluded.position,"
                      " doc = excluded.doc"),
            (community["id"], position, encode(community).decode()),
        )

    # -- reads -----------------------------------------------------------------------------

    def communities(self, archived: bool = False) -> list[dict[str, Any]]:
        return [r["doc"] for r in self.conn.execute(
            self._sql("SELECT doc FROM {s}.communities"
                      " WHERE %s OR NOT coalesce((doc->>'archived')::boolean, false)"
                      " ORDER BY doc->>'name'"), (archived,)).fetchall()]

    def units(self, archived: bool = False) -> list[dict[str, Any]]:
        return self.conn.execute(
            self._sql("SELECT u.id, u.kind, u.name, u.school_id, s.name AS school_name,"
                      " u.subject, u.host_user_id, u.member_user_ids, u.parent_id, u.archived"
                      " FROM {s}.units u LEFT JOIN {s}.schools s ON s.id = u.school_id"
                      " WHERE %s OR NOT u.archived ORDER BY u.kind, u.name"), (archived,)
        ).fetchall()

    def teachers(self, school_id: UUID, subject: str) -> int:
        row = self.conn.execute(
            self._sql("SELECT count(*) AS n FROM {s}.users WHERE role = 'teacher'"
                      " AND NOT archived AND subject = %s AND affiliations @> %s::jsonb"),
            (subject, encode([{"kind": "school", "id": school_id}]).decode())).fetchone()
        return int(row["n"])

    def schools(self, archived: bool = False) -> list[dict[str, Any]]:
        return self.conn.execute(
            self._sql('SELECT id, name, "group", stage, zone, external, archived'
                      ' FROM {s}.schools WHERE %s OR NOT archived ORDER BY "group", name'),
            (archived,),
        ).fetchall()

    def users(self, role: str | None = None, archived: bool = False) -> list[dict[str, Any]]:
        return self.conn.execute(
            self._sql("SELECT id, name, role, affiliations, subject, archived FROM {s}.users"
                      " WHERE (%(role)s::text IS NULL OR role = %(role)s)"
                      " AND (%(archived)s OR NOT archived) ORDER BY role, name"),
            {"role": role, "archived": archived},
        ).fetchall()

    def assessments(self) -> list[dict[str, Any]]:
        return self.conn.execute(
            self._sql("SELECT assessment_id, state->'setup'->>'name' AS name,"
                      " state->>'status' AS status FROM {s}.boards ORDER BY position DESC")
        ).fetchall()

    def history(
        self,
        assessment_id: UUID,
        *,
        subject_id: UUID | None = None,
        judge_id: UUID | None = None,
        component: str | None = None,
        type: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        after: int = 0,
        limit: int = 100,
    ) -> list[dict[str, Any]]:
        return self.conn.execute(
            self._sql(
                "SELECT position, recorded_at, type, actor_id, actor_role, request_id, reason,"
                " subject_id, judge_id, component, changes, details FROM {s}.history"
                " WHERE assessment_id = %(a)s AND position > %(after)s"
                " AND (%(subject)s::uuid IS NULL OR subject_id = %(subject)s)"
                " AND (%(judge)s::uuid IS NULL OR judge_id = %(judge)s)"
                " AND (%(component)s::text IS NULL OR component = %(component)s)"
                " AND (%(type)s::text IS NULL OR type = %(type)s)"
                " AND (%(since)s::timestamptz IS NULL OR recorded_at >= %(since)s)"
                " AND (%(until)s::timestamptz IS NULL OR recorded_at <= %(until)s)"
                " ORDER BY position LIMIT %(limit)s"
            ),
            {"a": assessment_id, "after": after, "subject": subject_id, "judge": judge_id,
             "component": component, "type": type, "since": since, "until": until,
             "limit": limit},
        ).fetchall()

    def history_steps(self, assessment_id: UUID, upto: int | None = None) -> int:
        """How many history entries the assessment has (up to position ``upto``)."""
        row = self.conn.execute(
            self._sql("SELECT count(*) AS n FROM {s}.history WHERE assessment_id = %s"
                      " AND (%s::bigint IS NULL OR position <= %s)"),
            (assessment_id, upto, upto)).fetchone()
        return int(row["n"])

    def history_step(self, assessment_id: UUID, nth: int) -> dict[str, Any] | None:
        """The ``nth`` (from 1) history entry's position and time: a step of the auditor's
        slider over the round's changes."""
        return self.conn.execute(  # type: ignore[no-any-return]
            self._sql("SELECT position, recorded_at FROM {s}.history WHERE assessment_id = %s"
                      " ORDER BY position OFFSET %s LIMIT 1"), (assessment_id, max(nth - 1, 0))
        ).fetchone()
