"""Proposals: from a need to a course, with companies and colleges at the table."""
