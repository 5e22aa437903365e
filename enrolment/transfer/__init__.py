"""HR's question three months after a run (*toepassingsvraag*): "wordt het geleerde toegepast?",
asked once per participant who completed it (``enrolment.TransferCheck``).

``services`` asks (the daily task) and saves HR's answers; ``selectors`` reads them for the
portal and counts them per course for the hub, never with names.
"""
