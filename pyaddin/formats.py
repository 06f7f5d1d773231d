"""Exports of the ticket systems people use, recognised by their headers, with no mapping to set up.

Each format lists the headers that identify it and what its columns mean.  The column names
are those of the vendors' documented exports: Zendesk's ticket CSV export and Explore,
Freshdesk's ticket export, ServiceNow's incident list, Jira Service Management's issue CSV
and Salesforce Service Cloud's case report.  Their value words (``1 - Critical``, ``Web
form``, ``Highest``…) are in the schema's vocabularies, so the same words from any source
are read alike.  A user's own mapping still wins over a format's.
"""
from __future__ import annotations

from dataclasses import dataclass

from .schema import norm


@dataclass(frozen=True)
class Format:
    name: str
    table: str  # the table it fills
    signature: tuple[str, ...]  # headers that, together, identify the export
    columns: dict[str, str]  # source header → field key
    need: int = 3  # how many signature headers must be present

    def matches(self, headers: set[str]) -> int:
        return sum(norm(h) in headers for h in self.signature)


FORMATS = (
    Format("Zendesk (ticket CSV export)", "tickets",
           ("Id", "Requester", "Assignee", "Group", "Via", "Created at", "Solved at", "Reopens", "Replies",
            "First reply time in minutes", "Full resolution time in minutes"),
           {"Id": "ticket_id", "Created at": "created_at", "Via": "channel", "Group": "department",
            "Assignee": "agent", "Priority": "priority", "Solved at": "resolved_at", "Reopens": "reopened",
            "First reply time in minutes": "first_response_min",
            "Full resolution time in minutes": "resolution_min"}, need=5),
    Format("Zendesk Explore", "tickets",
           ("Ticket ID", "Ticket created - Timestamp", "Ticket solved - Timestamp", "Ticket group", "Assignee name",
            "Ticket channel", "Ticket priority", "First reply time (min)", "Full resolution time (min)"),
           {"Ticket ID": "ticket_id", "Ticket created - Timestamp": "created_at",
            "Ticket solved - Timestamp": "resolved_at", "Ticket group": "department", "Assignee name": "agent",
            "Ticket channel": "channel", "Ticket priority": "priority", "Ticket type": "category",
            "Reopens": "reopened", "First reply time (min)": "first_response_min",
            "Full resolution time (min)": "resolution_min", "Full resolution time (hrs)": "resolution_h"}),
    Format("Freshdesk (ticket export)", "tickets",
           ("Ticket ID", "Created time", "Resolved time", "Source", "Agent", "Group", "Initial response time",
            "First response time (in hrs)", "Resolution time (in hrs)", "Customer interactions"),
           {"Ticket ID": "ticket_id", "Created time": "created_at", "Source": "channel", "Group": "department",
            "Agent": "agent", "Priority": "priority", "Type": "category", "Resolved time": "resolved_at",
            "Initial response time": "first_response_at", "First response time (in hrs)": "first_response_h",
            "Resolution time (in hrs)": "resolution_h", "Customer interactions": "contacts"}, need=4),
    Format("ServiceNow (incident list)", "tickets",
           ("Number", "Opened", "Short description", "Assignment group", "Assigned to", "Contact type", "Resolved",
            "Reopen count", "Caller", "State"),
           {"Number": "ticket_id", "Opened": "created_at", "Contact type": "channel",
            "Assignment group": "department", "Assigned to": "agent", "Priority": "priority",
            "Category": "category", "Resolved": "resolved_at", "Reopen count": "reopened",
            "Close notes": "resolution_note", "Resolution notes": "resolution_note"}, need=4),
    Format("Jira Service Management (issue CSV)", "tickets",
           ("Issue key", "Issue id", "Summary", "Issue Type", "Created", "Resolved", "Assignee", "Reporter",
            "Customer Request Type", "Custom field (Customer Request Type)", "Component/s"),
           {"Issue key": "ticket_id", "Created": "created_at", "Assignee": "agent", "Priority": "priority",
            "Resolved": "resolved_at", "Customer Request Type": "category",
            "Custom field (Customer Request Type)": "category", "Component/s": "department",
            "Custom field (Team)": "department"}, need=4),
    Format("Salesforce Service Cloud (cases)", "tickets",
           ("Case Number", "Case Origin", "Case Owner", "Date/Time Opened", "Date/Time Closed", "Case Reason",
            "Status", "Subject"),
           {"Case Number": "ticket_id", "Date/Time Opened": "created_at", "Case Origin": "channel",
            "Case Owner": "agent", "Case Owner Role": "department", "Owner Role": "department",
            "Priority": "priority", "Case Reason": "category", "Date/Time Closed": "resolved_at"}, need=4),
)


def detect(table_key: str, headers: list[str]) -> Format | None:
    """The export format these headers come from, if they are one we know."""
    present = {norm(h) for h in headers}
    best, score = None, 0
    for f in FORMATS:
        if f.table != table_key:
            continue
        n = f.matches(present)
        if n >= f.need and n > score:
            best, score = f, n
    return best
