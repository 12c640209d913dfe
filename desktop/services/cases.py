"""Cases: the caseload, opening a case (audited), creating and allocating (Qt-free)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from desktop.domain.manager_reach import require_reach
from desktop.domain.types import CaseRole, CaseType
from desktop.domain.validation import parse_date
from desktop.errors import ValidationError
from desktop.i18n import N_
from desktop.services.permissions import Can
from desktop.services.scope import case_condition, require_case, require_person
from desktop.store import Tx, heap
from desktop.store.caseload_index import trigram_match


@dataclass(slots=True)
class CaseRow:
    """One line of the caseload list: everything the list shows, sorts and searches on."""

    case_id: str
    reference: str
    case_type: str
    subjects: str
    date_of_birth: str | None
    identifiers: str
    team_id: str | None
    team: str
    worker_id: str | None
    worker: str
    registered: bool
    search_text: str = field(repr=False, default="")


@dataclass(slots=True)
class CaseView:
    """What the case header and tabs need; built by :meth:`CaseService.open`."""

    case: dict[str, Any]
    subjects: list[dict[str, Any]]
    members: list[dict[str, Any]]
    key_people: list[dict[str, Any]]
    team: dict[str, Any] | None
    registered: bool
    work: frozenset[str] = frozenset()
    """The kinds of work (``CaseType`` values) the case holds records of: its own type, and a child's
    earlier or later work (a Child in Need plan, a looked-after episode) on the same case. Only for a
    role that reads casework; otherwise just the case's type."""


def age_on(dob: str | None, today: date) -> tuple[int, int] | None:
    """(years, months) of age on ``today``; ``None`` without a date of birth."""
    born = parse_date(dob, "date_of_birth")
    if born is None:
        return None
    months = (today.year - born.year) * 12 + today.month - born.month - (1 if today.day < born.day else 0)
    return months // 12, months % 12


class CaseService:
    def __init__(self, session: Any) -> None:
        self.session = session

    def caseload(self) -> list[CaseRow]:
        """Every case in the person's scope, one row each.

        Read as a few sequential scans joined here rather than one query joining per case: on an
        encrypted file every index lookup that misses the page cache decrypts a page, and with
        50,000 cases the per-case joins cost seconds where the scans cost a fraction of one.
        Repeated texts (team and worker names, ids) are shared between rows to keep the list small."""
        condition, params = case_condition(self.session.user, self.session.today())
        with self.session.store.reading() as db:
            cases = db.execute(
                "SELECT c.id, c.reference, c.case_type, c.team_id, c.allocated_worker_id FROM case_file c"
                f" WHERE c.deleted = 0 AND c.closed_on IS NULL AND {condition}", params).fetchall()
            if not cases:
                return []
            teams = {r[0]: r[1] or "" for r in db.execute("SELECT id, name FROM team")}
            workers = {r[0]: f"{r[1]} {r[2]}" if r[1] is not None and r[2] is not None else ""
                       for r in db.execute("SELECT id, given_names, family_name FROM practitioner")}
            registered: set[str] = set()
            if _has_table(self.session, "register_entry"):
                registered = {r[0] for r in db.execute(
                    "SELECT DISTINCT case_id FROM register_entry WHERE deleted = 0 AND deregistered_on IS NULL")}
            wanted = {r[0] for r in cases}
            subjects: dict[str, list[str]] = {}
            for case_id, person_id in db.execute(
                    "SELECT case_id, person_id FROM case_member WHERE deleted = 0 AND role = 'subject'"):
                # (a table scan gives each case's members in rowid order, as the list has always shown them)
                if case_id in wanted:
                    subjects.setdefault(case_id, []).append(person_id)
            people = {r[0]: r[1:] for r in db.execute(
                "SELECT id, given_names, family_name, COALESCE(date_of_birth, expected_date), la_number, nhs_number"
                " FROM person WHERE deleted = 0")}
            shared: dict[str, str] = {}
            share = shared.setdefault  # one string object per distinct team, worker and type
            out = []
            for case_id, ref, ctype, team_id, worker_id in cases:
                names: list[str] = []
                ids: list[str] = []
                births: list[str] = []
                for person_id in subjects.get(case_id, ()):
                    person = people.get(person_id)
                    if person is None:
                        continue
                    given, family, born, la_number, nhs_number = person
                    if family is not None:
                        names.append(f"{given or ''} {family}")
                    if born is not None:
                        births.append(born)
                    if la_number:
                        ids.append(la_number)
                    if nhs_number:
                        ids.append(nhs_number)
                subject_text = ", ".join(names)
                dob = min(births) if births else None
                identifiers = " ".join(" ".join(ids).split())
                out.append(CaseRow(
                    case_id=case_id,
                    reference=ref,
                    case_type=share(ctype, ctype),
                    subjects=subject_text,
                    date_of_birth=dob,
                    identifiers=identifiers,
                    team_id=share(team_id, team_id) if team_id is not None else None,
                    team=share(teams.get(team_id, ""), teams.get(team_id, "")),
                    worker_id=share(worker_id, worker_id) if worker_id is not None else None,
                    worker=share(workers.get(worker_id, ""), workers.get(worker_id, "")),
                    registered=case_id in registered,
                    search_text=" ".join([ref, subject_text, identifiers, dob or "", _uk_date(dob)]).casefold(),
                ))
            return out

    def caseload_page(self, query: CaseloadQuery, after: PageCursor | None = None,
                      limit: int = 200) -> CaseloadPage:
        """At most ``limit`` rows of the caseload that pass ``query``, in its order, after ``after``
        (the cursor of the previous page; ``None`` for the first), read by SQL over
        ``caseload_index`` (m0022) and, for search terms, its trigram index (m0025) without reading
        the rest. The rows and their order are exactly
        those of :meth:`caseload` filtered and stably sorted in Python (ties in case-file order).
        Only cases in the person's scope are ever read."""
        walk = driven = False
        if query.sort in _WALKABLE and trigram_match(query.terms) is not None:
            if query.sort is None:
                driven = True  # the index's own candidates in case-file order: however many, no walk and no sort
            else:
                with self.session.store.reading() as db:
                    walk = _many_candidates(db, query.terms)
        where, params, key = self._caseload_sql(query, walk=walk, driven=driven)
        tie = key if query.sort is None else "x.seq"  # one order term when there is no sort
        descending = query.descending and query.sort is not None  # case-file order has no direction
        if after is not None:
            if query.sort is None:  # the key is the tie: a plain range, which the trigram index takes too
                where += f" AND {key} > :after_key"
            elif descending:
                where += f" AND ({key} < :after_key OR ({key} = :after_key AND {tie} > :after_seq))"
            else:  # a row value: SQLite walks the index from there
                where += f" AND ({key}, {tie}) > (:after_key, :after_seq)"
            params.update(after_key=after.key, after_seq=after.seq)
        params["limit"] = max(int(limit), 0)
        direction = "DESC" if descending else "ASC"
        sql = (
            f"SELECT c.id, c.reference, c.case_type, c.team_id, c.allocated_worker_id, x.subjects, x.date_of_birth,"
            f" x.identifiers, x.search_text, {_TEAM_NAME}, {_WORKER_NAME}, {_REGISTERED}, {key}, {tie}"
            f" {_SEARCH_FROM if driven else _CASELOAD_FROM} WHERE {where} ORDER BY {key} {direction}"
            f"{'' if query.sort is None else ', ' + tie} LIMIT :limit"
        )
        with self.session.store.reading() as db:
            found = db.execute(sql, params).fetchall()  # noqa: S608 - fixed fragments, values bound
        rows = [CaseRow(case_id=r[0], reference=r[1], case_type=r[2], subjects=r[5], date_of_birth=r[6],
                        identifiers=r[7], team_id=r[3], team=r[9], worker_id=r[4], worker=r[10],
                        registered=bool(r[11]), search_text=r[8]) for r in found]
        cursor = PageCursor(found[-1][12], found[-1][13]) if found else after
        return CaseloadPage(rows, cursor, len(found) == params["limit"] and params["limit"] > 0)

    def caseload_count(self, query: CaseloadQuery) -> int:
        """How many cases in scope pass ``query`` (the list's "matching" figure), without reading them."""
        where, params, _key = self._caseload_sql(query)
        # Without search terms nothing of the search table is needed: the cases alone (a tenth of the pages).
        source = _CASELOAD_FROM if query.terms else "FROM case_file c"
        with self.session.store.reading() as db:
            found = db.execute(f"SELECT count(*) {source} WHERE {where}", params).fetchall()  # noqa: S608
        heap.give_back()  # what the pass freed goes back to the system, not kept in this worker's arena
        return int(found[0][0])

    def _caseload_sql(self, query: CaseloadQuery, *, walk: bool = False,
                      driven: bool = False) -> tuple[str, dict[str, Any], str]:
        """The WHERE clause (scope, open cases, search terms, filters), its parameters and the sort key.
        Search terms are looked up in the trigram index (m0025), whose candidates are what is read, and
        each term is still tested with ``instr`` (the index only narrows; the test decides, as over the
        whole list). ``walk``: the index is left out and SQLite walks the sort order's own index testing
        each row until the page is full (cheaper than reading every candidate when many cases match).
        ``driven`` (case-file order only, with :data:`_SEARCH_FROM`): the index is the outer table, read in
        its rowid order — the case-file order — so a page stops at its last row however many match."""
        condition, params = case_condition(self.session.user, self.session.today())
        where = [f"c.deleted = 0 AND c.closed_on IS NULL AND {condition}"]
        match = None if walk else trigram_match(query.terms)
        if match is not None:
            where.append("caseload_search MATCH :trigrams" if driven
                         else "x.seq IN (SELECT rowid FROM caseload_search WHERE caseload_search MATCH :trigrams)")
            params["trigrams"] = match
        for i, term in enumerate(query.terms):
            where.append(f"instr(x.search_text, :term{i}) > 0")
            params[f"term{i}"] = term
        for column, value in (("case_type", query.case_type), ("team_id", query.team_id),
                              ("worker_id", query.worker_id)):
            if value:
                where.append(f"c.{'allocated_worker_id' if column == 'worker_id' else column} = :f_{column}")
                params[f"f_{column}"] = value
        if query.sort == "case_type":
            from desktop.domain.types import label

            cases = " ".join(f"WHEN '{t.value}' THEN :type_{i}" for i, t in enumerate(CaseType))
            params.update({f"type_{i}": label(t.value).casefold() for i, t in enumerate(CaseType)})
            key = f"(CASE c.case_type {cases} ELSE '' END)"
        elif query.sort is None:
            # case-file order (x.seq and the index's rowid are the same number; the planner walks c by it)
            key = "s.rowid" if driven else "c.rowid"
        elif query.sort in _SORT_KEYS:
            key = _SORT_KEYS[query.sort]
        else:
            raise ValueError(f"the caseload cannot be sorted by {query.sort!r} in SQL")
        return " AND ".join(where), params, key

    def count(self) -> int:
        """How many cases :meth:`caseload` lists (the Caseload badge), without reading them."""
        condition, params = case_condition(self.session.user, self.session.today())
        with self.session.store.reading() as db:
            rows = db.execute(
                f"SELECT count(*) FROM case_file c WHERE c.deleted = 0 AND c.closed_on IS NULL AND {condition}",
                params).fetchall()
        return int(rows[0][0])

    def open(self, case_id: str) -> CaseView:
        """Open a case record: scope-checked and audited ("opening a case record is audited too")."""
        self.session.require(Can.VIEW_CASE)
        case = require_case(self.session, case_id)
        store = self.session.store
        members = store.rows(
            "SELECT m.id AS member_id, m.role, p.* FROM case_member m JOIN person p ON p.id = m.person_id"
            " WHERE m.case_id = ? AND m.deleted = 0 AND p.deleted = 0 ORDER BY m.role, p.date_of_birth",
            [case_id],
        )
        key_people = store.rows(
            "SELECT ra.role, ra.from_date, ra.person_id, pr.id AS practitioner_id, pr.given_names, pr.family_name,"
            " pr.phone, pr.scw_number FROM role_assignment ra JOIN practitioner pr ON pr.id = ra.practitioner_id"
            " WHERE ra.case_id = ? AND ra.deleted = 0 AND ra.to_date IS NULL ORDER BY ra.role",
            [case_id],
        )
        team = store.rows("SELECT * FROM team WHERE id = ?", [case["team_id"]])
        registered = False
        if _has_table(self.session, "register_entry"):
            registered = bool(
                store.rows(
                    "SELECT 1 FROM register_entry WHERE case_id = ? AND deleted = 0 AND deregistered_on IS NULL",
                    [case_id],
                )
            )
        work = {case["case_type"]}
        if self.session.can(Can.VIEW_CASEWORK):
            work |= {kind for kind, table in _WORK_TABLES if _has_table(self.session, table) and store.rows(
                f"SELECT 1 FROM {table} WHERE case_id = ? AND deleted = 0 LIMIT 1", [case_id])}  # noqa: S608
        # Committed before the case is shown, but no commit listener is told: nothing anyone shows has changed
        # (told, every caseload reloaded and redrew its whole list, as for a changed case: 0.3 s of the GUI
        # thread at 5,000 cases for each case opened).
        self.session.store.write(
            lambda tx: tx.record("open", entity="case_file", entity_id=case_id, case_id=case_id),
            actor=self.session.user.id, notify=False)
        return CaseView(
            case=case,
            subjects=[m for m in members if m["role"] == CaseRole.SUBJECT],
            members=members,
            key_people=key_people,
            team=team[0] if team else None,
            registered=registered,
            work=frozenset(work),
        )

    def create(
        self,
        case_type: str,
        *,
        subject_ids: list[str],
        team_id: str | None = None,
        worker_id: str | None = None,
        opened_on: str | None = None,
        reference: str | None = None,
    ) -> dict[str, Any]:
        """A new case for one or more subjects (siblings share a case; decisions stay per child)."""
        self.session.require(Can.CREATE_CASE)
        if case_type not in set(CaseType):
            raise ValidationError(N_("Choose the type of case."), field="case_type")
        if not subject_ids:
            raise ValidationError(N_("A case needs at least one person it is about."), field="subjects")
        for pid in subject_ids:
            require_person(self.session, pid)  # a case cannot bring someone out of scope into it
        opened = parse_date(opened_on, "opened_on") or self.session.today()
        if opened > self.session.today():
            raise ValidationError(N_("The case cannot open in the future."), field="opened_on")

        def write(tx: Tx) -> dict[str, Any]:
            ref = reference or _next_reference(tx, opened)
            case_id = str(uuid.uuid4())
            case = tx.insert(
                "case_file",
                {
                    "id": case_id,
                    "reference": ref,
                    "case_type": case_type,
                    "team_id": team_id or self.session.user.team_id,
                    "allocated_worker_id": worker_id or self.session.user.id,
                    "opened_on": opened.isoformat(),
                },
                case_id=case_id,
            )
            for pid in subject_ids:
                tx.insert("case_member", {"person_id": pid, "role": CaseRole.SUBJECT}, case_id=case["id"])
            return {**case, "case_id": case["id"]}

        return self.session.write(write)

    def add_member(self, case_id: str, person_id: str, role: str) -> dict[str, Any]:
        self.session.require(Can.EDIT_PERSON)
        require_case(self.session, case_id)
        require_person(self.session, person_id)
        if role not in set(CaseRole):
            raise ValidationError(N_("Choose the person's part in the case."), field="role")
        return self.session.write(
            lambda tx: tx.insert("case_member", {"person_id": person_id, "role": role}, case_id=case_id)
        )

    def allocate(self, case_id: str, worker_id: str, team_id: str | None = None) -> dict[str, Any]:
        """Allocate a case to a worker (managers only), and move it to ``team_id`` if given. A team manager
        allocates their own team's cases to their own team's workers, as the server allows
        (:mod:`desktop.domain.manager_reach`; ``NotYourTeam`` before anything is written)."""
        self.session.require(Can.ALLOCATE)
        case = require_case(self.session, case_id)
        worker = self.session.store.rows("SELECT team_id FROM practitioner WHERE id = ?", [worker_id])
        require_reach(self.session.user, [case["team_id"], team_id or case["team_id"],
                                          worker[0]["team_id"] if worker else None], "worker_id")
        changes: dict[str, Any] = {"allocated_worker_id": worker_id}
        if team_id:
            changes["team_id"] = team_id
        return self.session.write(lambda tx: tx.update("case_file", case_id, changes))

    def workers(self) -> list[dict[str, Any]]:
        """Practitioners who use Diogel (for filters and allocation)."""
        return self.session.store.rows(
            "SELECT id, given_names, family_name, app_role, team_id FROM practitioner"
            " WHERE deleted = 0 AND app_role IS NOT NULL ORDER BY family_name, given_names"
        )

    def teams(self) -> list[dict[str, Any]]:
        return self.session.store.rows("SELECT * FROM team WHERE deleted = 0 ORDER BY name")


_WORK_TABLES = (
    (CaseType.CHILD_IN_NEED, "cin_assessment"), (CaseType.CHILD_IN_NEED, "cin_plan"),
    (CaseType.LOOKED_AFTER, "lac_episode"), (CaseType.CHILD_PROTECTION, "register_entry"),
)
"""Records that show a case holds a kind of work besides its own type."""


SORTABLE_IN_SQL = frozenset({"reference", "subjects", "date_of_birth", "case_type", "team", "worker", "registered"})
"""The caseload columns :meth:`CaseService.caseload_page` sorts by (the due columns are not in SQL)."""

_TEAM_NAME = "COALESCE(t.name, '')"
_WORKER_NAME = ("CASE WHEN w.given_names IS NOT NULL AND w.family_name IS NOT NULL"
                " THEN w.given_names || ' ' || w.family_name ELSE '' END")
_REGISTERED = ("EXISTS (SELECT 1 FROM register_entry r WHERE r.case_id = c.id AND r.deleted = 0"
               " AND r.deregistered_on IS NULL)")
_CASELOAD_FROM = ("FROM caseload_index x JOIN case_file c ON c.id = x.case_id"
                  " LEFT JOIN team t ON t.id = c.team_id LEFT JOIN practitioner w ON w.id = c.allocated_worker_id")
_SEARCH_FROM = ("FROM caseload_search s JOIN caseload_index x ON x.seq = s.rowid JOIN case_file c ON c.id = x.case_id"
                " LEFT JOIN team t ON t.id = c.team_id LEFT JOIN practitioner w ON w.id = c.allocated_worker_id")
"""A search's page in case-file order: the trigram index (m0025) first, in its rowid order (``x.seq``), the rows
joined to each candidate — SQLite stops at the page's last row (a common word: a tenth of the rows a walk of the
case files tested, issue 22)."""
_SORT_KEYS = {  # the first three are indexed with the case-file order (x.seq) for ties
    "reference": "x.reference_key",
    "subjects": "x.subjects_key",
    "date_of_birth": "x.dob_key",
    "team": f"diogel_fold({_TEAM_NAME})",
    "worker": f"diogel_fold({_WORKER_NAME})",
    "registered": f"({_REGISTERED})",
}


_WALKABLE = frozenset({None, "reference", "subjects", "date_of_birth"})
"""The orders a first page is a walk along an index for (m0022): ``None`` is case-file order."""

WALK_FROM = 1500
"""From this many candidates in the trigram index a page in a walkable order walks that order rather
than reading every candidate (measured at 50,000 cases: a candidate read and sorted costs about four
times a row walked past; README, "Scale (issue 22)")."""


def _many_candidates(db: Any, terms: tuple[str, ...]) -> bool:
    """Whether the trigram index has more than :data:`WALK_FROM` candidates for ``terms`` (counted no
    further than that)."""
    match = trigram_match(terms)
    if match is None:
        return False
    found = db.execute("SELECT count(*) FROM (SELECT 1 FROM caseload_search WHERE caseload_search MATCH ? LIMIT ?)",
                       [match, WALK_FROM + 1]).fetchone()
    return int(found[0]) > WALK_FROM


@dataclass(frozen=True, slots=True)
class CaseloadQuery:
    """What the caseload list asks for: search terms (casefolded), the three filters, and the column
    it is sorted by (one of :data:`SORTABLE_IN_SQL`, or ``None`` for case-file order, which ``descending``
    does not turn)."""

    terms: tuple[str, ...] = ()
    case_type: str | None = None
    team_id: str | None = None
    worker_id: str | None = None
    sort: str | None = None
    descending: bool = False


@dataclass(frozen=True, slots=True)
class PageCursor:
    """Where a page ended: the last row's sort key and case-file position (keyset paging)."""

    key: Any
    seq: int


@dataclass(frozen=True, slots=True)
class CaseloadPage:
    rows: list[CaseRow]
    cursor: PageCursor | None
    more: bool
    """Whether there may be rows after this page (a full page was read)."""


def _has_table(session: Any, name: str) -> bool:
    return bool(session.store.rows("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]))


def _next_reference(tx: Tx, opened: date) -> str:
    """Case references like ``2026-00042``: year and a running number on this device's copy."""
    prefix = f"{opened.year}-"
    row = tx.query("SELECT count(*) AS n FROM case_file WHERE reference LIKE ?", [prefix + "%"])
    return f"{prefix}{row[0]['n'] + 1:05d}-{tx.device_id[:4].upper()}"


def _uk_date(iso: str | None) -> str:
    """Search by date of birth as typed in the UK (23/11/2026) as well as ISO."""
    if not iso or len(iso) < 10:
        return ""
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"
