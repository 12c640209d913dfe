"""Babies' permanence for the committee (seed 004: "40% of babies placed in their permanent home within
3 months"), counted from plain rows (Qt-free; read-only) so that the laptop and the server count alike.

Definitions (:func:`desktop.services.children.permanence.baby_permanence` gives the same answer for a
laptop's store):

* cohort: children who became looked after (``lac_episode.started_on``) within the period, aged under
  one year on that day;
* placed within 3 months: a placement marked ``permanent_home`` starting on or before the day three
  calendar months after they became looked after (and on or before the period end);
* proceedings open: care proceedings for the child not concluded on the period end (``ended_on`` null or
  after it);
* pending: not placed yet, but their 3 months end after the period (not a failure yet).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop.domain.calendar import add_months
from desktop.errors import ValidationError
from desktop.i18n import N_
from desktop.services.committee_source import Tables


def baby_cohort(t: Tables, period_start: date, period_end: date) -> dict[str, Any]:
    """The babies' figures (the shape :func:`desktop.services.children.permanence.baby_permanence`
    documents)."""
    if period_end < period_start:
        raise ValidationError(N_("The end of the period is before its start."), field="period_end")
    start, end = period_start.isoformat(), period_end.isoformat()
    born = {pid: dob[:10] for pid, dob, _lang in t("person") if dob}
    permanent: dict[tuple[str, str], str] = {}
    for person_id, episode_id, home, on in t("lac_placement"):
        if home and on and on[:10] <= end:
            key = (person_id, episode_id)
            permanent[key] = min(permanent.get(key, on[:10]), on[:10])
    in_court = {person_id for person_id, kind, started, ended in t("proceedings")
                if kind == "care_proceedings" and started and started[:10] <= end and (not ended or ended[:10] > end)}
    children = []
    episodes = sorted((e for e in t("lac_episode") if e[3] and start <= e[3][:10] <= end and e[2] in born),
                      key=lambda e: (e[3][:10], e[0]))
    for episode_id, case_id, person_id, started_on, _ended in episodes:
        started = date.fromisoformat(started_on[:10])
        if started >= add_months(date.fromisoformat(born[person_id]), 12):
            continue  # one year old or more on the day they became looked after
        mark = add_months(started, 3)
        permanent_on = permanent.get((person_id, episode_id))
        placed = permanent_on is not None and permanent_on <= mark.isoformat()
        children.append({
            "person_id": person_id, "case_id": case_id, "looked_after_on": started_on[:10],
            "three_months_on": mark.isoformat(), "permanent_placement_on": permanent_on,
            "placed_within_3_months": placed, "proceedings_open": person_id in in_court,
            "pending": not placed and mark > period_end,
        })
    babies = len(children)
    placed_n = sum(c["placed_within_3_months"] for c in children)
    return {
        "period_start": start,
        "period_end": end,
        "babies": babies,
        "placed_within_3_months": placed_n,
        "percent_placed": round(100 * placed_n / babies, 1) if babies else None,
        "proceedings_open": sum(c["proceedings_open"] for c in children),
        "placed_with_proceedings_open": sum(c["placed_within_3_months"] and c["proceedings_open"] for c in children),
        "pending": sum(c["pending"] for c in children),
        "children": children,
    }
