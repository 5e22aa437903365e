"""Techniek beleven: schools request an activity, the hub plans a visit, the host confirms.

``rules`` holds the arithmetic (target groups, supervisors, the school year, deadlines);
``selectors`` the reads shared by the public pages and the reports.
"""
