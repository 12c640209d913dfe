"""Children in Need (CiN team) and Children in Care (CiC team) casework (Qt-free), one module per area:

* :mod:`.cin` — assessment (who was spoken to, findings, conclusion, category of need N1–N9), the Child
  in Need plan (outcomes, actions with owners), review meetings, the request for an initial child
  protection conference (the CP journey continues on the same case), pre-proceedings and care
  proceedings by stage and date;
* :mod:`.looked_after` — becoming looked after (legal status; the case moves from the CiN team to the
  CiC team with its history), care and support plan, statutory visits, IRO and looked-after reviews,
  health (assessments, GP, dentist), PEPs, change of worker, team and worker history;
* :mod:`.placements` — placements anywhere (country code), moves with reasons, overlap refused,
  placement plan signed by the appropriate person;
* :mod:`.permanence` — route, target, achieved; babies' permanence figures for the committee;
* :mod:`.voice` — wishes and feelings, life story work (append-only), worker changes over time;
* :mod:`.facts` — the engine's facts for L1–L11 (the ``looked_after`` "My work" provider) and the C21
  alignment of CP review conferences with looked-after reviews;
* :mod:`.cin_facts` — the engine's facts for CIN1, the plan's own review date (the ``child_in_need``
  provider);
* :mod:`.demo` — demo journeys (``seed(ctx)``).

Importing this package registers the ``looked_after`` and ``child_in_need`` providers and the C21
adjuster with :mod:`desktop.services.my_work`.
"""

from __future__ import annotations

from desktop.services.children import cin_facts, facts
from desktop.services.children.cin import ChildInNeedService
from desktop.services.children.looked_after import LookedAfterService
from desktop.services.children.permanence import PermanenceService, baby_permanence, permanence_summary
from desktop.services.children.placements import PlacementService
from desktop.services.children.voice import VoiceService, worker_history
from desktop.services.my_work import register_adjuster, register_provider

register_provider("looked_after", facts.subjects, actions=facts.ACTIONS, day_free=True)
register_provider("child_in_need", cin_facts.subjects, actions=cin_facts.ACTIONS, day_free=True)
register_provider("proceedings", cin_facts.proceedings_subjects, actions=cin_facts.PROCEEDINGS_ACTIONS, day_free=True)
register_adjuster(facts.align_due_items, day_free=True)  # C21: CP review timed with the looked-after review

__all__ = [
    "ChildInNeedService",
    "LookedAfterService",
    "PermanenceService",
    "PlacementService",
    "VoiceService",
    "baby_permanence",
    "permanence_summary",
    "worker_history",
]
