"""The evaluation loop: after a run, who attended rates it, anonymously.

``services`` asks (one mail, one reminder) and takes the answer once; ``tokens`` makes and reads
the personal link in the mail (no log-in needed); ``selectors`` reads the results for the
programme manager, the college and the course page; ``views`` and ``urls`` are the pages.

The anonymity rule: an ``EvaluationAnswer`` holds the offering, the three scores, the open
answer and a date, and nothing that leads to a person (no enrolment, no user, no time of day).
``EvaluationRequest`` says only *whether* someone answered. Outside the programme manager's page
a run's answers count only once the run has ``EVALUATION_MIN_ANSWERS`` of them, so that no
total minus another total gives away a small run's answers.
"""
