"""A college's own pages: its courses and runs, participants, messages, drafts, results."""
