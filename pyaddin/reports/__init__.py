"""Monitoring reports (监控报告): what the seeds ask of a periodic report, as .xlsx and as one .html file."""
