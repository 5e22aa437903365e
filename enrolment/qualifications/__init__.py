"""Qualifications people hold (VCA, NEN 3140, …) and when they expire.

``services`` grants one when a certificate is issued for a course that grants it, and lets HR
enter, correct and remove one earned elsewhere; ``selectors`` reads the latest row per person
and qualification (the one that counts) for HR's matrix, its export and the demand board;
``alarms`` mails the holder and their HR before expiry with the next runs of the refresher
courses; ``views``, ``forms`` are HR's pages (``portal:qualifications`` and around it).
"""
