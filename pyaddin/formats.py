"""Exports of the ticket systems people use, recognised by their headers, with no mapping to set up.

Each system writes two header forms (DOMAIN.md §3): the labels of a UI export and the field or API
names of a CSV, API or data-loader export; both are listed here, each with the columns that identify
it and what its columns mean.  The column names are those of the vendors' documented exports:
Zendesk's ticket CSV export, Explore and ticket API; Freshdesk's ticket export and API; ServiceNow's
incident list (labels, and the list CSV's field names); Jira Service Management's issue CSV;
Salesforce Service Cloud's case report and Case API names.  A format is named only when its id and
creation-time columns are present and at least one column only that vendor writes; otherwise a near
miss is said, never a wrong name.  A vendor's numeric codes (Freshdesk's priority, status and source)
are decoded only under that vendor's name.  Value words (``1 - Critical``, ``Web form``, ``Highest``…)
are in the schema's vocabularies, so the same words from any source are read alike.  A user's own
mapping still wins over a format's.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .schema import norm


@dataclass(frozen=True)
class Format:
    name: str
    table: str  # the table it fills
    ids: tuple[str, ...]  # the id column, as this form writes it (any one)
    created: tuple[str, ...]  # the creation-time column (any one)
    own: tuple[str, ...]  # columns only this vendor writes (at least one must be present)
    columns: dict[str, str]  # source header → field key
    codes: dict[str, dict[str, str]] = field(default_factory=dict)  # field → {numeric code: value key}

    def present(self, headers: set[str]) -> int:
        """How many of this format's columns the headers hold."""
        return len({norm(h) for h in (*self.ids, *self.created, *self.own, *self.columns)} & headers)

    def lacks(self, headers: set[str]) -> list[str]:
        """The identifying columns missing from ``headers``: the id, the creation time, a vendor's own column."""
        return [group[0] for group in (self.ids, self.created, self.own)
                if not any(norm(h) in headers for h in group)]


_ZENDESK_METRICS = {"First reply time in minutes": "first_response_min",
                    "Full resolution time in minutes": "resolution_min"}
FRESHDESK_CODES = {  # the numeric codes of Freshdesk's API (developers.freshdesk.com)
    "priority": {"1": "low", "2": "normal", "3": "high", "4": "urgent"},
    "status": {"2": "open", "3": "pending", "4": "solved", "5": "closed"},
    "channel": {"1": "email", "2": "other", "3": "phone", "4": "other", "5": "social", "6": "social", "7": "chat",
                "8": "app", "9": "other", "10": "email"},
}

FORMATS = (
    Format("Zendesk (ticket CSV export)", "tickets", ("Id",), ("Created at",), ("Via", "Assignee", "Requester"),
           {"Id": "ticket_id", "Created at": "created_at", "Via": "channel", "Group": "department",
            "Assignee": "agent", "Priority": "priority", "Solved at": "resolved_at", "Reopens": "reopened",
            "Status": "status", "Ticket type": "category", **_ZENDESK_METRICS}),
    Format("Zendesk (API field names)", "tickets", ("id",), ("created_at",),
           ("via", "via.channel", "assignee", "assignee_id"),
           {"id": "ticket_id", "created_at": "created_at", "via": "channel", "via.channel": "channel",
            "group": "department", "group.name": "department", "assignee": "agent", "assignee.name": "agent",
            "priority": "priority", "status": "status", "type": "category", "solved_at": "resolved_at",
            "reopens": "reopened", "reply_time_in_minutes.calendar": "first_response_min",
            "full_resolution_time_in_minutes.calendar": "resolution_min"}),
    Format("Zendesk Explore", "tickets", ("Ticket ID",), ("Ticket created - Timestamp",),
           ("Ticket created - Timestamp", "Ticket solved - Timestamp", "Ticket group", "Assignee name"),
           {"Ticket ID": "ticket_id", "Ticket created - Timestamp": "created_at",
            "Ticket solved - Timestamp": "resolved_at", "Ticket group": "department", "Assignee name": "agent",
            "Ticket channel": "channel", "Ticket priority": "priority", "Ticket type": "category",
            "Ticket status": "status", "Reopens": "reopened", "First reply time (min)": "first_response_min",
            "Full resolution time (min)": "resolution_min", "Full resolution time (hrs)": "resolution_h"}),
    Format("Freshdesk (ticket export)", "tickets", ("Ticket ID",), ("Created time",),
           ("Resolved time", "Initial response time", "First response time (in hrs)", "Resolution time (in hrs)",
            "Customer interactions", "Agent interactions"),
           {"Ticket ID": "ticket_id", "Created time": "created_at", "Source": "channel", "Group": "department",
            "Agent": "agent", "Priority": "priority", "Type": "category", "Resolved time": "resolved_at",
            "Closed time": "closed_at", "Status": "status", "Initial response time": "first_response_at",
            "First response time (in hrs)": "first_response_h", "Resolution time (in hrs)": "resolution_h",
            "Customer interactions": "contacts"}),
    Format("Freshdesk (API field names)", "tickets", ("id",), ("created_at",),
           ("source", "responder", "responder_id", "fr_due_by", "stats.resolved_at"),
           {"id": "ticket_id", "created_at": "created_at", "source": "channel", "group": "department",
            "group_name": "department", "responder": "agent", "responder_name": "agent", "priority": "priority",
            "status": "status", "type": "category", "stats.resolved_at": "resolved_at",
            "stats.closed_at": "closed_at", "stats.first_responded_at": "first_response_at"},
           FRESHDESK_CODES),
    Format("ServiceNow (incident list)", "tickets", ("Number",), ("Opened", "Created"),
           ("Assignment group", "Short description", "Reopen count", "Contact type"),
           {"Number": "ticket_id", "Opened": "created_at", "Contact type": "channel",
            "Assignment group": "department", "Assigned to": "agent", "Priority": "priority",
            "Category": "category", "Resolved": "resolved_at", "Closed": "closed_at", "Reopen count": "reopened",
            "Close notes": "resolution_note", "Resolution notes": "resolution_note", "State": "status",
            "Incident state": "status"}),
    Format("ServiceNow (list CSV, field names)", "tickets", ("number",), ("opened_at", "sys_created_on"),
           ("sys_created_on", "assignment_group", "sys_id", "opened_by"),
           {"number": "ticket_id", "opened_at": "created_at", "sys_created_on": "created_at",
            "contact_type": "channel", "assignment_group": "department", "assigned_to": "agent",
            "priority": "priority", "category": "category", "resolved_at": "resolved_at", "closed_at": "closed_at",
            "reopen_count": "reopened", "close_notes": "resolution_note", "incident_state": "status",
            "state": "status"}),
    Format("Jira Service Management (issue CSV)", "tickets", ("Issue key",), ("Created",),
           ("Issue key", "Customer Request Type", "Custom field (Customer Request Type)"),
           {"Issue key": "ticket_id", "Created": "created_at", "Assignee": "agent", "Priority": "priority",
            "Resolved": "resolved_at", "Status": "status", "Customer Request Type": "category",
            "Custom field (Customer Request Type)": "category", "Component/s": "department",
            "Custom field (Team)": "department"}),
    Format("Salesforce Service Cloud (case report)", "tickets", ("Case Number",), ("Date/Time Opened", "Opened Date"),
           ("Case Number", "Case Origin", "Case Owner", "Case Reason"),
           {"Case Number": "ticket_id", "Date/Time Opened": "created_at", "Opened Date": "created_at",
            "Case Origin": "channel", "Case Owner": "agent", "Case Owner Role": "department",
            "Owner Role": "department", "Priority": "priority", "Case Reason": "category", "Status": "status",
            "Date/Time Closed": "resolved_at"}),
    Format("Salesforce Service Cloud (Case API names)", "tickets", ("CaseNumber",), ("CreatedDate",),
           ("CaseNumber", "IsClosed", "OwnerId"),
           {"CaseNumber": "ticket_id", "CreatedDate": "created_at", "Origin": "channel", "Owner.Name": "agent",
            "Owner.UserRole.Name": "department", "Priority": "priority", "Reason": "category", "Status": "status",
            "ClosedDate": "resolved_at"}),
)


def detect(table_key: str, headers: list[str]) -> Format | None:
    """The export format these headers come from: id, creation time and a vendor's own column all present."""
    present = {norm(h) for h in headers}
    best, score = None, 0
    for f in FORMATS:
        if f.table == table_key and not f.lacks(present) and f.present(present) > score:
            best, score = f, f.present(present)
    return best


def near_miss(table_key: str, headers: list[str]) -> tuple[Format, list[str]] | None:
    """The format these headers look like without being it: a vendor's own column and two or more of its
    columns, but no id or no creation time; with the identifying columns it lacks."""
    present = {norm(h) for h in headers}
    best, score = None, 1
    for f in FORMATS:
        if f.table != table_key or not any(norm(h) in present for h in f.own):
            continue
        if f.lacks(present) and f.present(present) > score:
            best, score = f, f.present(present)
    return (best, best.lacks(present)) if best else None
