"""Demo places: the hubs in Emmeloord and Dronten, the mobile hub and online."""

from decimal import Decimal

HUB_FIRDA = "technohub-firda-emmeloord"
HUB_AERES_MBO = "technohub-aeres-mbo-emmeloord"
HUB_DRONTEN = "agri-innovatiecenter-dronten"
MOBILE_HUB = "mobiele-hub"
ONLINE = "online-ozone"

LOCATIONS = (
    {
        "slug": HUB_FIRDA,
        "name": "Technohub Firda Emmeloord",
        "name_en": "Technohub Firda Emmeloord",
        "kind": "hub",
        "street": "Nagelerweg 1",
        "postal_code": "8302 CA",
        "city": "Emmeloord",
        "latitude": Decimal("52.709700"),
        "longitude": Decimal("5.743200"),
        "description": (
            "De Technohub in de techniekvleugel van Firda Emmeloord (voorheen ROC Friese Poort), "
            "met een lasserij, een CNC-werkplaats en een automatiseringslab."
        ),
        "description_en": (
            "The Technohub in the engineering wing of Firda Emmeloord (formerly ROC Friese "
            "Poort), with a welding shop, a CNC workshop and an automation lab."
        ),
        "accessibility": (
            "Werkplaatsen en kantine zijn gelijkvloers. Een lift gaat naar de theorielokalen op "
            "de eerste verdieping; bij de hoofdingang is een invalidentoilet."
        ),
        "accessibility_en": (
            "Workshops and canteen are step-free. A lift serves the classrooms on the first "
            "floor; there is an accessible toilet by the main entrance."
        ),
        "parking": (
            "Gratis parkeren op het terrein, met twee gehandicaptenplaatsen bij de ingang. "
            "Busstation Emmeloord ligt op tien minuten lopen."
        ),
        "parking_en": (
            "Free parking on site, with two disabled bays by the entrance. Emmeloord bus "
            "station is a ten-minute walk."
        ),
    },
    {
        "slug": HUB_AERES_MBO,
        "name": "Technohub Aeres MBO Emmeloord",
        "name_en": "Technohub Aeres MBO Emmeloord",
        "kind": "hub",
        "street": "Espelerlaan 16",
        "postal_code": "8302 DC",
        "city": "Emmeloord",
        "latitude": Decimal("52.715500"),
        "longitude": Decimal("5.756000"),
        "description": (
            "Praktijklokalen van Aeres MBO Emmeloord voor hydrauliek, landbouwmechanisatie en "
            "kastechniek, met een eigen machinehal."
        ),
        "description_en": (
            "Aeres MBO Emmeloord's practical rooms for hydraulics, agricultural machinery and "
            "greenhouse technology, with a machine hall of their own."
        ),
        "accessibility": (
            "Het leslokaal en de machinehal zijn gelijkvloers bereikbaar via de zij-ingang. "
            "Meld vooraf als je hulp nodig hebt, dan staat er iemand klaar."
        ),
        "accessibility_en": (
            "The classroom and machine hall are step-free through the side entrance. Let us "
            "know beforehand if you need help and someone will be there to meet you."
        ),
        "parking": "Parkeren op het schoolplein aan de Espelerlaan; gratis.",
        "parking_en": "Park in the school yard on Espelerlaan, free of charge.",
    },
    {
        "slug": HUB_DRONTEN,
        "name": "Agri Innovatiecenter Dronten",
        "name_en": "Agri Innovation Centre Dronten",
        "kind": "hub",
        "street": "De Drieslag 4",
        "postal_code": "8251 JZ",
        "city": "Dronten",
        "latitude": Decimal("52.525300"),
        "longitude": Decimal("5.706600"),
        "description": (
            "Het Agri Innovatiecenter van Aeres Hogeschool op de campus in Dronten: proefvelden, "
            "een dronelab en trekkers met GPS/RTK en ISOBUS om mee te oefenen."
        ),
        "description_en": (
            "Aeres University of Applied Sciences' Agri Innovation Centre on the Dronten "
            "campus: trial fields, a drone lab and tractors with GPS/RTK and ISOBUS to practise "
            "on."
        ),
        "accessibility": (
            "Het hoofdgebouw is rolstoeltoegankelijk. Praktijk op de proefvelden is op "
            "onverharde grond; overleg met de docent over een aangepaste opdracht."
        ),
        "accessibility_en": (
            "The main building is wheelchair accessible. Practice on the trial fields is on "
            "unpaved ground; ask the instructor about an adapted assignment."
        ),
        "parking": "Gratis parkeren op de campus (P1). Neem laarzen mee voor de proefvelden.",
        "parking_en": "Free parking on campus (P1). Bring boots for the trial fields.",
    },
    {
        "slug": MOBILE_HUB,
        "name": "Mobiele hub",
        "name_en": "Mobile hub",
        "kind": "mobile",
        "street": "",
        "postal_code": "",
        "city": "Noordoostpolder en omgeving",
        "latitude": None,
        "longitude": None,
        "description": (
            "Een ingerichte trailer met leslokaal en werkplek die naar je bedrijf of erf komt. "
            "Het precieze adres staat in je bevestiging."
        ),
        "description_en": (
            "A fitted-out trailer with a classroom and workbench that comes to your company or "
            "farm. The exact address is in your confirmation."
        ),
        "accessibility": (
            "De trailer heeft een oprijplaat. Gebruik je een rolstoel, overleg dan vooraf over "
            "de opstelling op het terrein."
        ),
        "accessibility_en": (
            "The trailer has a ramp. If you use a wheelchair, talk to us beforehand about where "
            "it will be parked on site."
        ),
        "parking": "Parkeren volgens de afspraken van het gastbedrijf.",
        "parking_en": "Park as agreed with the host company.",
    },
    {
        "slug": ONLINE,
        "name": "Online (oZone)",
        "name_en": "Online (oZone)",
        "kind": "online",
        "street": "",
        "postal_code": "",
        "city": "",
        "latitude": None,
        "longitude": None,
        "description": (
            "Live online bijeenkomsten en zelfstudie in oZone, het leerplatform van de sector. "
            "De inloggegevens krijg je bij de bevestiging."
        ),
        "description_en": (
            "Live online sessions and self-study in oZone, the sector's learning platform. You "
            "receive your login details with the confirmation."
        ),
        "accessibility": (
            "Je hebt een laptop of tablet met camera en microfoon nodig. oZone werkt in een "
            "gewone browser en met de toetsenbordnavigatie van je computer."
        ),
        "accessibility_en": (
            "You need a laptop or tablet with camera and microphone. oZone works in an ordinary "
            "browser and with your computer's keyboard navigation."
        ),
        "parking": "",
        "parking_en": "",
    },
)
