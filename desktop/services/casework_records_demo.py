"""The demo's case notes, supervision and sign-offs (issue 19), seeded after the casework areas.

* The Tŵr family: a week of Rhian's notes in Welsh and English — the school's call about a bruise and
  the strategy call that followed flagged as significant events — so the chronology has them among the
  visits, conferences and register changes, and search finds them in both languages.
* Supervision: Carys supervised the Tŵr case three weeks ago (an action for Rhian, due in a few days);
  the Jones case has never been supervised, so that supervision is overdue in Carys's My work.
* Sign-off: every record the other areas made that needs a manager's sign-off is signed off by its
  team's manager, except the Tŵr working plan (waiting in Carys's My work) and the Pritchard Child in
  Need plan (returned to Gareth with comments).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from desktop.services.notes import NoteService
from desktop.services.oversight import SignOffService
from desktop.services.supervision import SupervisionService

_MANAGERS = {"cp": "tm_cp", "cin": "tm_cin", "cic": "tm_cic", "adult": "tm_adult"}


def _weekday(ctx: Any, n: int) -> str:
    d = ctx.today - timedelta(days=n)
    while d.weekday() >= 5:
        d -= timedelta(days=1)
    return d.isoformat()


def seed(ctx: Any) -> None:
    if "twr_cp" in ctx.cases:
        _notes(ctx)
        _supervision(ctx)
    _sign_offs(ctx)


def _notes(ctx: Any) -> None:
    notes = NoteService(ctx.session("sw_rhian"))
    case, fam, ag = ctx.cases["twr_cp"], ctx.families["twr"], ctx.agencies
    entries: list[dict[str, Any]] = [
        dict(kind="phone", occurred_on=_weekday(ctx, 9), occurred_at="09:40", language="cy", significant=True,
             category="injury", people=[fam["seren"]], agencies=[ag["ysgol_y_dderwen"]],
             others="Ffion Harries, arweinydd diogelu'r ysgol",
             body="Ffoniodd yr ysgol: roedd clais ar fraich Seren y bore 'ma. Dywedodd Seren iddi syrthio ar y"
                  " grisiau. Bydd yr ysgol yn anfon cofnod ysgrifenedig."),
        dict(kind="meeting", occurred_on=_weekday(ctx, 8), occurred_at="14:00", language="en", significant=True,
             category="police", people=[fam["seren"], fam["osian"]], agencies=[ag["police"], ag["health_board"]],
             body="Strategy call with DC Huw Morgan and the health visitor about the bruise to Seren's arm."
                  " Agreed a joint visit and a paediatric assessment."),
        dict(kind="home_visit", occurred_on=_weekday(ctx, 7), occurred_at="16:30", language="cy",
             people=[fam["gwenllian"], fam["seren"], fam["osian"]],
             body="Ymweliad â'r cartref gyda'r heddlu. Roedd y plant yn dawel; dywedodd Gwenllïan fod Dafydd wedi"
                  " symud allan dros dro."),
        dict(kind="email_letter", occurred_on=_weekday(ctx, 5), language="en", agencies=[ag["health_board"]],
             body="Paediatric assessment report received: the bruise is consistent with the account given."
                  " No further injuries seen."),
        dict(kind="phone", occurred_on=_weekday(ctx, 3), occurred_at="11:10", language="cy", people=[fam["dafydd"]],
             body="Galwad gan Dafydd ap Llŷr: mae'n dymuno gweld ei blentyn. Esboniais y cynllun a'r trefniadau"
                  " cyswllt dan oruchwyliaeth."),
        dict(kind="office", occurred_on=_weekday(ctx, 1), language="en", people=[fam["gwenllian"]],
             body="Gwenllïan came to the office to ask about the next core group; gave her the date in writing."),
    ]
    for entry in entries:
        notes.record(case, **entry)


def _supervision(ctx: Any) -> None:
    service = SupervisionService(ctx.session("tm_cp"))
    service.record(
        ctx.cases["twr_cp"], held_on=_weekday(ctx, 21),
        discussion="Progress of the plan for Seren and Osian; the household's finances; Dafydd's contact.",
        decisions="Keep the plan as it is; ask the school for attendance figures before the next core group.",
        actions=[{"description": "Ask Ysgol y Dderwen for Seren's and Osian's attendance since September",
                  "owner_id": ctx.staff["sw_rhian"], "due_on": (ctx.today + timedelta(days=3)).isoformat()}])


def _sign_offs(ctx: Any) -> None:
    """Sign off what the other areas made, as each team's manager would have, but two records."""
    keep_waiting = {("cp_plan", ctx.cases.get("twr_cp"))}
    return_to_worker = {("cin_plan", ctx.cases.get("pritchard_cin"))}
    senior = SignOffService(ctx.session("senior"))
    for item in senior.waiting():
        if (item.kind, item.case_id) in keep_waiting:
            continue
        team = ctx.store.rows("SELECT t.kind FROM case_file c JOIN team t ON t.id = c.team_id WHERE c.id = ?",
                              [item.case_id])
        choices = [k for k in (_MANAGERS.get(team[0]["kind"]) if team else None, "senior")
                   if k and ctx.staff.get(k) and ctx.staff[k] != item.made_by]
        if not choices:
            continue  # nobody here may sign it off: it stays waiting
        manager = choices[0]
        service = SignOffService(ctx.session(manager))
        if (item.kind, item.case_id) in return_to_worker:
            service.send_back(item.ref, "Add what the school will do about attendance, with a date, before I sign"
                                        " this off.")
        else:
            service.sign_off(item.ref)
