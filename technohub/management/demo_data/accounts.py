"""Demo accounts: the hub's staff and the passwords printed by ``seed_demo``."""

PROGRAMME_MANAGER_EMAIL = "beheer@technohub-nop.nl"
PROGRAMME_MANAGER_NAME = "Marieke Bosma"

MANAGER_PASSWORD = "technohub-beheer"
# A college's trainer (group Opleider, works for Firda) and a read-only colleague.
TRAINER_EMAIL = "opleider@firda.example"
TRAINER_NAME = "Henk Visser"
TRAINER_PROVIDER = "firda"
TRAINER_PASSWORD = "technohub-opleider"
READ_ONLY_EMAIL = "inzage@technohub-nop.nl"
READ_ONLY_NAME = "Fleur Mulder"
READ_ONLY_PASSWORD = "technohub-inzage"
# Techniek beleven: the coordinator of technology promotion, teachers (password for all of them
# TEACHER_PASSWORD, see ``schools``), and the hosts' contacts, employees of their companies.
COORDINATOR_EMAIL = "techniek@technohub-nop.nl"
COORDINATOR_NAME = "Ilse Wijbenga"
COORDINATOR_PASSWORD = "technohub-techniek"
COORDINATOR_GROUP = "Coördinator techniekpromotie"
TEACHER_EMAIL = "docent@zuyderzee.example"
SECOND_TEACHER_EMAIL = "docent@dezeebodem.example"
TEACHER_PASSWORD = "technohub-docent"
KAMPSTAAL_CONTACT_EMAIL = "sander.bos@kampstaal.example"
AGRI_CONTACT_EMAIL = "joris.vandam@agrotechniekdronten.example"
HR_PASSWORD = "technohub-hr"
EMPLOYEE_PASSWORD = "technohub-demo"

# Everyone prefers Dutch except these learners, so the English side of the site has a user too.
ENGLISH_SPEAKERS = frozenset({"piotr.nowak@kampstaal.example"})

# The logins worth showing on screen, as (role, email, password). ``run_hub`` prints them too.
DEMO_LOGINS = (
    ("programmamanager", PROGRAMME_MANAGER_EMAIL, MANAGER_PASSWORD),
    ("opleider Firda", TRAINER_EMAIL, TRAINER_PASSWORD),
    ("alleen lezen", READ_ONLY_EMAIL, READ_ONLY_PASSWORD),
    ("HR Kampstaal (A+O)", "hr@kampstaal.example", HR_PASSWORD),
    ("HR Suplacon (OOM)", "hr@suplacon.example", HR_PASSWORD),
    ("HR Polder Machinebouw", "hr@poldermachinebouw.example", HR_PASSWORD),
    ("HR Loonbedrijf", "hr@loonbedrijfvanderveen.example", HR_PASSWORD),
    ("medewerker", "jan.devries@kampstaal.example", EMPLOYEE_PASSWORD),
    ("medewerker (Engels)", "piotr.nowak@kampstaal.example", EMPLOYEE_PASSWORD),
    ("medewerker", "wouter.dejong@poldermachinebouw.example", EMPLOYEE_PASSWORD),
    ("medewerker", "jelle.bakker@loonbedrijfvanderveen.example", EMPLOYEE_PASSWORD),
    ("coördinator scholen", COORDINATOR_EMAIL, COORDINATOR_PASSWORD),
    ("docent vo Zuyderzee", TEACHER_EMAIL, TEACHER_PASSWORD),
    ("docent po Zeebodem", SECOND_TEACHER_EMAIL, TEACHER_PASSWORD),
    ("contact Kampstaal", KAMPSTAAL_CONTACT_EMAIL, EMPLOYEE_PASSWORD),
    ("contact Agrotechniek", AGRI_CONTACT_EMAIL, EMPLOYEE_PASSWORD),
)
