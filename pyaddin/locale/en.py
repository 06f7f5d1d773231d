"""English user-facing text."""

TAB = "Quality"

GROUPS = {
    "data": "Data", "analysis": "Analysis", "improvement": "Improvement", "departments": "Departments",
    "appraisal": "Appraisal", "reports": "Reports",
}

ACTIONS = {
    "import_tickets": ("Import tickets", "Pick a ticket export (CSV/Excel), validate it and import it into Tickets."),
    "import_surveys": ("Import surveys", "Pick a survey export, validate it and import it into Surveys."),
    "import_inspections": ("Import inspections", "Pick an inspection file (one row per checklist item) and import it."),
    "check": ("Check data", "Check every ticket, survey, inspection, problem, root-cause and plan cell and list what cannot be read."),
    "kpi": ("Compute KPIs", "Compute every KPI for the last full month against targets, by channel, department and agent."),
    "pareto": ("Pareto", "Count problem categories and find the vital few (coming in a later version)."),
    "alerts": ("Early warning", "Overdue tickets, control-chart signals and worsened indicators (coming later)."),
    "problems": ("Add to problems", "Add the Pareto's vital few to the problem list (coming later)."),
    "fishbone": ("Fishbone", "Draw a problem's 6M fishbone diagram (coming later)."),
    "plan": ("Check plan", "SMART check, overdue actions and progress by department (coming later)."),
    "verify": ("Verify effect", "Compare the metric before and after an action and test the change (coming later)."),
    "distribute": ("Send to departments", "One workbook per department with its problems and actions (coming later)."),
    "collect": ("Collect back", "Merge returned department workbooks with a log of every change (coming later)."),
    "appraise": ("Quarterly appraisal", "Score and grade teams and agents for the quarter (coming later)."),
    "report": ("Monitoring report", "Weekly, monthly and quarterly monitoring reports (coming later)."),
}

METRICS = {
    "tickets": "Tickets", "first_response_sla_pct": "First-response SLA %", "resolution_sla_pct": "Resolution SLA %",
    "median_first_response_min": "Median first response (min)", "p90_first_response_min": "P90 first response (min)",
    "median_resolution_h": "Median resolution (h)", "fcr_pct": "First-contact resolution %",
    "reopen_rate_pct": "Reopen rate %", "complaint_rate_pct": "Complaint rate %",
    "record_completeness_pct": "Record completeness %", "backlog": "Backlog", "csat_pct": "CSAT %", "nps": "NPS",
    "qa_score_pct": "QA score %", "qa_fail_rate_pct": "QA fail rate %", "rectification_pct": "Rectification %",
}

SETTINGS = {
    "qa_pass_mark": "QA pass mark", "appraisal_complaint_points_per_pct": "Points per complaint-rate point",
    "appraisal_complaint_cap": "Complaint deduction cap", "appraisal_min_tickets": "Minimum tickets to grade",
    "grade_a": "Grade A from", "grade_b": "Grade B from", "grade_c": "Grade C from",
    "audit_sample_pct": "Ticket audit sample %", "audit_min_per_agent": "Minimum audits per agent",
    "urgent": "Urgent", "high": "High", "normal": "Normal", "low": "Low",
}

STATUS = {"met": "Met", "warning": "Warning", "missed": "Missed"}

MESSAGES = {
    "file_not_found": "File not found: {path}. Check the path.",
    "file_locked": "“{path}” is open in another program (such as Excel) or read-only; nothing was changed. Close it or make it writable, then try again.",
    "not_a_workbook": "“{path}” is not a valid Excel workbook (.xlsx/.xlsm): {reason}",
    "table_missing": "Table “{table}” (sheet “{sheet}”) is missing from the workbook. Restore it from the backup (.bak) or from a fresh copy of qualitybook.xlsm.",
    "unknown_source": "Cannot read “{path}”: only CSV, XLSX, XLSM and XLS files are supported.",
    "encoding_failed": "Cannot tell the text encoding of “{path}”. Save it from Excel as “CSV UTF-8” and try again.",
    "no_header": "No recognisable header row in “{path}”. The first row must hold column names (such as “Ticket ID”, “Created at”).",
    "missing_column": "Required column “{label}” is missing. Add it to the source file, or map an existing column to “{field}” in the Mapping table.",
    "bad_datetime": "not a date and time that can be read",
    "bad_bool": "not a yes/no value (use 是/否, Y/N, yes/no, true/false, 1/0)",
    "bad_number": "not a number",
    "bad_integer": "not a whole number",
    "bad_enum": "not an allowed value (allowed: {allowed})",
    "required": "required value is empty",
    "duplicate": "duplicate id (same as row {other})",
    "duplicate_existing": "id already in the workbook",
    "below_min": "below the minimum {minimum}",
    "above_max": "above the maximum {maximum}",
    "need_one_of": "needs at least one of: {fields}",
    "issue_line": "row {row}, column “{column}”, value “{value}”: {reason}",
    "import_done": "Imported {rows} row(s) into “{sheet}” ({total} in all).",
    "import_rejected": "{rejected} row(s) had problems and went to the Rejects table.",
    "check_ok": "Data check passed: {summary}.",
    "check_failed": "The check found {count} problem(s).",
    "more_issues": "… and {count} more problem(s) not shown.",
    "planned_action": "“{label}” comes in a later version.",
    "error_title": "QualityBook error",
    "error_box": "{message}\n\nDetails were written to the log file: {log}",
    "unexpected": "Unexpected error: {error}. The workbook was not changed. Please send the log file to support.",
    "created": "Created workbook “{path}”.",
    "choose_file": "Choose the file to import",
    "bad_period": "Cannot read the period “{value}”: {reason}. Use a form like 2026-09, 2026Q3 or 2026-09-01.",
    "kpi_refused": "{count} value(s) in the data cannot be read; no KPI was computed and the workbook is unchanged. Run Check data and fix them first.",
    "kpi_done": "KPIs for {start} to {end}: {tickets} tickets, first-response SLA {fr}%, CSAT {csat}%, QA score {qa}%. Written to the KPI sheet.",
    "not_qualitybook": "“{path}” is not a QualityBook workbook (it has no Tickets table). Check the order of the arguments: qualitybook import BOOK.xlsm EXPORT.csv --into tickets.",
    "book_busy": "The workbook “{path}” is being written by {who}; it was still busy after waiting, and nothing was changed. Try again in a moment, or ask them.",
    "book_changed": "The workbook “{path}” was saved by someone else after this run read it; to keep their changes, nothing was written. Run it again.",
    "too_many_rows": "Sheet “{sheet}” cannot hold {rows} rows (at most {limit} below the header: Excel stops at row 1,048,576); nothing was written. Import a shorter period or fewer rows.",
    "cell_in_the_way": "Cell {cell} on sheet “{sheet}” lies where the table would grow; nothing was written so it is not overwritten. Move it further right or down and try again.",
    "not_above": "must be greater than {minimum}",
    "before_other": "earlier than “{other}”",
    "above_other": "greater than “{other}”",
    "unknown_reference": "no such id in “{table}”",
    "too_long": "text longer than an Excel cell holds ({limit} characters)",
    "cell_error": "the cell holds an error value (such as a failed formula); enter a valid value",
    "existing_unreadable": "“{sheet}” already holds {count} value(s) that cannot be read; so as not to rewrite them, nothing was imported. Fix them first (listed below, or run Check data).",
    "import_missing_columns": "The file lacks required columns; nothing was written and the workbook is unchanged.",
    "import_refused_cli": "{count} data problem(s) found; nothing was written and the workbook is unchanged. Fix them and try again, or add --keep-invalid to import only the valid rows (the others go to the Rejects table).",
    "import_refused_excel": "{count} data problem(s) found; nothing was written and the workbook is unchanged. Fix the file and import it again; or import again and answer Yes when asked, to import only the valid rows and put the others in the Rejects table.",
    "ask_keep_invalid": "The file has {count} problem(s) in {bad} row(s). Import the other {good} valid rows and put the problem rows, with reasons, in the Rejects table? No imports nothing.",
    "no_file_chosen": "No file was chosen; nothing was changed.",
    "unknown_action": "Unknown action “{name}”. Available: {known}",
}

GUIDE = [
    ("QualityBook guide", ""),
    ("The monitoring loop", "Plan → Collect → Analyse → Improve → Check → Appraise & report. Each sheet serves one step."),
    ("1. Plan", "Set indicator targets, warning bands, SLA per priority and appraisal weights in Standards. Recompute to apply."),
    ("2. Collect", "Paste ticket, survey and inspection exports below the headers of their tables, or use the Import buttons. Headers may be Chinese, English or the raw Zendesk/Freshdesk names; map others in the Mapping table."),
    ("3. Analyse", "Compute KPIs compares every indicator with its target by channel, department and agent; Pareto finds the vital few."),
    ("4. Improve", "Log problems, find verified root causes with 6M and 5-Why, and plan SMART actions."),
    ("5. Check", "Track actions, flag overdue ones and verify the effect before and after."),
    ("6. Departments", "Send each department its own workbook and merge what comes back; every change is logged."),
    ("7. Appraise & report", "Quarterly appraisal scores and grades teams and agents; reports summarise the period."),
    ("Data rules", "Dates may be Excel dates, 2026-09-03, 2026/9/3 8:05, 2026年9月3日 08:05; yes/no as 是/否, Y/N, 1/0. Unreadable values are listed (row, column, reason), never silently blanked."),
    ("Safety", "Every write keeps a backup (.bak) and leaves the workbook untouched if it fails. Every action is logged."),
    ("Python setup", "Buttons call Python through xlwings: qualitybook.exe beside the workbook is used when present; otherwise set Interpreter_Win on the xlwings.conf sheet."),
]

DASHBOARD_TITLE = "Service quality KPI dashboard"
DASHBOARD = {
    "trend_rates": "Weekly trend: SLA, FCR, CSAT (%)", "trend_volume": "Weekly trend: tickets",
    "header": "Period: {start} to {end}    As of: {as_of}    Calculated: {at}",
    "overall": "Overall", "channel": "Channel", "department": "Department", "agent": "Agent",
}
