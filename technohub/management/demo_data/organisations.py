"""Demo organisations: providers (colleges), clusters and companies with their people."""

from typing import NamedTuple

PROVIDERS = (
    {
        "slug": "firda",
        "name": "Firda (voorheen ROC Friese Poort)",
        "kind": "college",
        "website": "https://www.firda.nl",
        "description": "Mbo-instelling met een vestiging in Emmeloord; techniek en veiligheid.",
    },
    {
        "slug": "aeres-mbo",
        "name": "Aeres MBO Emmeloord",
        "kind": "college",
        "website": "https://www.aeresmbo.nl",
        "description": "Groen mbo: landbouwmechanisatie, hydrauliek en kastechniek.",
    },
    {
        "slug": "aeres-hogeschool",
        "name": "Aeres Hogeschool Dronten",
        "kind": "college",
        "website": "https://www.aereshogeschool.nl",
        "description": "Hogeschool voor landbouw en voedsel; precisielandbouw en drones.",
    },
    {
        "slug": "opleidingsbedrijf-metaal",
        "name": "Opleidingsbedrijf Metaal",
        "kind": "other",
        "website": "",
        "description": "Praktijkopleider voor de metaal: lassen, verspanen en onderhoud.",
    },
    {
        "slug": "agrotechniek-dronten",
        "name": "Agrotechniek Dronten",
        "kind": "company",
        "website": "",
        "description": "Mechanisatiebedrijf dat monteurs en boeren traint op ISOBUS en melkrobots.",
    },
    {
        "slug": "polder-machinebouw",
        "name": "Polder Machinebouw",
        "kind": "company",
        "website": "",
        "description": "Machinebouwer uit Emmeloord die cobottrainingen verzorgt.",
    },
)

CLUSTER_METAL = "innovatiecluster-noordoostpolder"
CLUSTER_AGRI = "agrofoodcluster"

CLUSTERS = (
    {
        "slug": CLUSTER_METAL,
        "name": "Innovatiecluster Noordoostpolder",
        "description": "Samenwerkende bedrijven uit de metaal- en maakindustrie in de polder.",
    },
    {
        "slug": CLUSTER_AGRI,
        "name": "Agrofoodcluster",
        "description": "Akkerbouw, veehouderij, loonwerk, kassen en voedselverwerking.",
    },
)


# Departments and job titles (functies) of the demo companies' people, handed out in turn, so
# that the roster's filters have something to filter. HR staff are in department HR.
EMPLOYEE_ROLES = (
    ("Productie", "Lasser"),
    ("Productie", "CNC-operator"),
    ("Onderhoud", "Monteur"),
    ("Werkvoorbereiding", "Werkvoorbereider"),
    ("Kwaliteit", "QA-medewerker"),
    ("Logistiek", "Magazijnmedewerker"),
)
HR_ROLE = ("HR", "HR-adviseur")


class CompanySpec(NamedTuple):
    """A member company; its HR contact is ``hr@<domain>``, employees ``first.last@<domain>``."""

    slug: str
    name: str
    kvk_number: str
    cluster: str
    city: str
    sector_fund: str
    requires_approval: bool
    domain: str
    hr: str
    employees: tuple[str, ...]


# A name's first word is the first name, the rest the surname ("Jan de Vries").
COMPANIES = (
    CompanySpec(
        slug="kampstaal",
        name="Kampstaal",
        kvk_number="39083517",
        cluster=CLUSTER_METAL,
        city="Emmeloord",
        sector_fund="aom",
        requires_approval=False,
        domain="kampstaal.example",
        hr="Annemiek Kramer",
        employees=(
            "Jan de Vries",
            "Piotr Nowak",
            "Sander Bos",
            "Ruben Meijer",
            "Kevin Hoekstra",
            "Jeroen Kok",
        ),
    ),
    CompanySpec(
        slug="suplacon",
        name="Suplacon",
        kvk_number="39071284",
        cluster=CLUSTER_METAL,
        city="Emmeloord",
        sector_fund="oom",
        requires_approval=False,
        domain="suplacon.example",
        hr="Esther Veenstra",
        employees=(
            "Bas van der Meer",
            "Niels Prins",
            "Thijs Koster",
            "Daan Schipper",
            "Martijn Brink",
        ),
    ),
    CompanySpec(
        slug="polder-machinebouw",
        name="Polder Machinebouw",
        kvk_number="64219873",
        cluster=CLUSTER_METAL,
        city="Emmeloord",
        sector_fund="aom",
        requires_approval=True,
        domain="poldermachinebouw.example",
        hr="Carla Post",
        employees=(
            "Wouter de Jong",
            "Lars Hendriks",
            "Tim Vermeulen",
            "Stefan Boersma",
            "Yvonne Wiersma",
        ),
    ),
    CompanySpec(
        slug="hoekstra-lastechniek",
        name="Hoekstra Lastechniek",
        kvk_number="70358216",
        cluster=CLUSTER_METAL,
        city="Ens",
        sector_fund="oom",
        requires_approval=False,
        domain="hoekstralastechniek.example",
        hr="Margreet Hoekstra",
        employees=("Gert Hoekstra", "Dennis Mol", "Ronald Zijlstra"),
    ),
    CompanySpec(
        slug="draaierij-marknesse",
        name="Draaierij Marknesse",
        kvk_number="58122406",
        cluster=CLUSTER_METAL,
        city="Marknesse",
        sector_fund="aom",
        requires_approval=False,
        domain="draaierijmarknesse.example",
        hr="Petra de Haan",
        employees=("Rik Kuiper", "Arjen van Wijk", "Bram Molenaar", "Femke Jonker"),
    ),
    CompanySpec(
        slug="elektrotechniek-bant",
        name="Elektrotechniek Bant",
        kvk_number="81904735",
        cluster=CLUSTER_METAL,
        city="Bant",
        sector_fund="other",
        requires_approval=False,
        domain="elektrotechniekbant.example",
        hr="Linda Feenstra",
        employees=("Erwin Sikkema", "Joost Timmer", "Mark Bouma"),
    ),
    CompanySpec(
        slug="loonbedrijf-van-der-veen",
        name="Loonbedrijf Van der Veen",
        kvk_number="39046651",
        cluster=CLUSTER_AGRI,
        city="Marknesse",
        sector_fund="other",
        requires_approval=False,
        domain="loonbedrijfvanderveen.example",
        hr="Anneke van der Veen",
        employees=(
            "Hendrik van der Veen",
            "Jelle Bakker",
            "Sjoerd Hofstra",
            "Roy Smits",
            "Gerben Tol",
        ),
    ),
    CompanySpec(
        slug="telerscooperatie-nop",
        name="Telerscoöperatie Noordoostpolder",
        kvk_number="39098310",
        cluster=CLUSTER_AGRI,
        city="Emmeloord",
        sector_fund="none",
        requires_approval=False,
        domain="telers-nop.example",
        hr="Ingrid Roos",
        employees=("Harm Wijnja", "Klaas de Boer", "Marjolein Dekker", "Teun van Loon"),
    ),
    CompanySpec(
        slug="kaskracht-techniek",
        name="Kaskracht Techniek",
        kvk_number="67430952",
        cluster=CLUSTER_AGRI,
        city="Luttelgeest",
        sector_fund="oom",
        requires_approval=False,
        domain="kaskracht.example",
        hr="Monique Brouwer",
        employees=("Bart Huisman", "Mehmet Yilmaz", "Dirk Visser", "Sanne Kroon"),
    ),
    CompanySpec(
        slug="agrotechniek-dronten",
        name="Agrotechniek Dronten",
        kvk_number="32117489",
        cluster=CLUSTER_AGRI,
        city="Dronten",
        sector_fund="oom",
        requires_approval=False,
        domain="agrotechniekdronten.example",
        hr="Saskia Blom",
        employees=("Joris van Dam", "Freek Vos", "Lennart de Groot", "Michiel Verhoef"),
    ),
    CompanySpec(
        slug="melkveebedrijf-dijkstra",
        name="Melkveebedrijf Dijkstra",
        kvk_number="75260148",
        cluster=CLUSTER_AGRI,
        city="Kraggenburg",
        sector_fund="none",
        requires_approval=False,
        domain="dijkstramelkvee.example",
        hr="Hilde Dijkstra",
        employees=("Jan-Willem Dijkstra", "Marit Dijkstra", "Wessel Boon"),
    ),
    CompanySpec(
        slug="aardappelverwerking-nagele",
        name="Aardappelverwerking Nagele",
        kvk_number="60893327",
        cluster=CLUSTER_AGRI,
        city="Nagele",
        sector_fund="none",
        requires_approval=True,
        domain="aardappelverwerkingnagele.example",
        hr="Wilma Stam",
        employees=("Tom Scholten", "Eva Lammers", "Robin Faber", "Anouk Veldman", "Kees Groen"),
    ),
)
