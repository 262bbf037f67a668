"""Adapters that write the plan and the diary out: iCalendar, FIT workouts, printable pages and
CSV. They take plain values (plan documents, rows) and return bytes or text; the services
decide what to export and keep any state in the database."""
