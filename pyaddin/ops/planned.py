"""Actions that later stages deliver (the open issues): declared now, so the ribbon shows the whole loop.

Their buttons are greyed out; run anyway, they say so.  Each states what it will read and
write, so that the prefetch and the lossless test need no change when it lands.
"""
from __future__ import annotations

from .. import schema
from ..action import planned

T = schema

distribute = planned("distribute", group="departments", icon="FileSendAsAttachment",
                     reads=(T.PROBLEMS.name, T.ROOTCAUSE.name, T.PLAN.name, T.KPI.name))
collect = planned("collect", group="departments", icon="FileOpen",
                  reads=(T.PROBLEMS.name, T.ROOTCAUSE.name, T.PLAN.name),
                  writes=(T.PROBLEMS.name, T.ROOTCAUSE.name, T.PLAN.name))
