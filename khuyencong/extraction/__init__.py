"""The reading Vietnamese news articles into activity records for staff to review (kind, organiser, dates, places,
head, participants, topics)."""
