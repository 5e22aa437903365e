"""Demo catalogue: themes, funding notes and the courses, Dutch with English variants."""

from decimal import Decimal

THEMES = (
    ("lassen", "Lassen", "Welding"),
    ("cnc", "CNC", "CNC machining"),
    ("plc-automatisering", "PLC/automatisering", "PLC/automation"),
    ("robotica", "Robotica", "Robotics"),
    ("precisielandbouw", "Precisielandbouw", "Precision farming"),
    ("drones", "Drones", "Drones"),
    ("veiligheid", "Veiligheid", "Safety"),
    ("digitale-vaardigheden", "Digitale vaardigheden", "Digital skills"),
    ("communicatie", "Communicatie", "Communication"),
    ("hydrauliek", "Hydrauliek", "Hydraulics"),
    ("onderhoud", "Onderhoud", "Maintenance"),
)

# (Dutch, English) funding notes, referred to by key from the courses.
FUNDING_NOTES = {
    "metal": (
        "Vaak (deels) vergoed door het sectorfonds: OOM voor de metaal en techniek, A+O "
        "Metalektro voor de metalektro. Je HR-afdeling weet welk fonds voor jou geldt.",
        "Often (partly) reimbursed by the sector fund: OOM for metal and engineering, A+O "
        "Metalektro for the metalektro industry. Your HR department knows which fund applies.",
    ),
    "agri": (
        "Agrarische werkgevers kunnen een bijdrage aanvragen bij hun sectorfonds, zoals Colland "
        "Arbeidsmarkt. Loonbedrijven en mechanisatiebedrijven vragen het na bij hun eigen fonds.",
        "Agricultural employers can apply for a contribution from their sector fund, such as "
        "Colland Arbeidsmarkt. Contractors and machinery dealers should ask their own fund.",
    ),
    "digital": (
        "Metalektrobedrijven kunnen 90 % van de cursusprijs (excl. btw, hoogstens € 1.000) "
        "terugkrijgen via de regeling Ontwikkelen digitale vaardigheden van A+O Metalektro.",
        "Metalektro companies can get 90% of the course fee (excl. VAT, at most €1,000) back "
        "through A+O Metalektro's scheme Developing digital skills.",
    ),
    "safety": (
        "Veiligheidscertificaten worden door de meeste sectorfondsen vergoed, ook voor "
        "uitzendkrachten die langer bij jullie werken.",
        "Most sector funds reimburse safety certificates, also for agency staff who work for "
        "you longer term.",
    ),
}

OZONE_BASE_URL = "https://app.ozone.nl/bibliotheek/technohub-nop/"

# Keys match Course fields except: ``themes`` and ``provider`` (slugs), ``learning_outcomes``
# and ``learning_outcomes_en`` (tuples, one outcome each), ``funding`` (a FUNDING_NOTES key or
# None) and ``ozone`` (True: the course has an online part in oZone).
COURSES = (
    # Metal ----------------------------------------------------------------------------------
    {
        "slug": "mig-mag-lassen",
        "title": "MIG/MAG-lassen",
        "title_en": "MIG/MAG welding",
        "sector": "metal",
        "provider": "opleidingsbedrijf-metaal",
        "mode": "on_site",
        "level": "basic",
        "themes": ("lassen",),
        "study_hours": Decimal("40"),
        "price_excl_vat": Decimal("1195.00"),
        "vat_rate": Decimal("0"),
        "funding": "metal",
        "summary": "Leer staal lassen met MIG/MAG in alle posities, van hoeklas tot stompe las, "
        "in de lasserij van de Technohub.",
        "summary_en": "Learn to MIG/MAG weld steel in all positions, from fillet to butt welds, "
        "in the Technohub's welding shop.",
        "description": "Een praktijkcursus in de lasserij met een eigen lascabine per "
        "deelnemer. Je stelt de machine zelf in, leert lasfouten herkennen en oefent naar het "
        "niveau van een lasserskwalificatie.",
        "description_en": "A hands-on course in the welding shop with a booth for every "
        "participant. You set up the machine yourself, learn to spot weld defects and practise "
        "towards a welder qualification.",
        "learning_outcomes": (
            "De lasmachine instellen op materiaal en plaatdikte",
            "Hoek- en stompe lassen maken in PA, PB en PF",
            "Lasfouten herkennen en voorkomen",
            "Veilig werken met lasrook en beschermgas",
        ),
        "learning_outcomes_en": (
            "Set up the welding machine for material and plate thickness",
            "Make fillet and butt welds in PA, PB and PF",
            "Recognise and prevent weld defects",
            "Work safely with welding fumes and shielding gas",
        ),
        "audience": "Productiemedewerkers en monteurs die (beter) willen leren lassen.",
        "audience_en": "Production staff and fitters who want to learn to weld, or weld better.",
    },
    {
        "slug": "tig-lassen-rvs",
        "title": "TIG-lassen RVS",
        "title_en": "TIG welding stainless steel",
        "sector": "metal",
        "provider": "opleidingsbedrijf-metaal",
        "mode": "on_site",
        "level": "advanced",
        "themes": ("lassen",),
        "study_hours": Decimal("32"),
        "price_excl_vat": Decimal("1395.00"),
        "vat_rate": Decimal("0"),
        "funding": "metal",
        "summary": "TIG-lassen van roestvast staal: dunne plaat en buis, schone lassen zonder "
        "aanloopkleuren, voor de voedingsmiddelen- en procesindustrie.",
        "summary_en": "TIG welding of stainless steel: thin sheet and tube, clean welds without "
        "heat tint, for the food and process industries.",
        "description": "Voor lassers die al MIG/MAG beheersen. Je oefent met dunne RVS-plaat en "
        "buis, met en zonder toevoegmateriaal, en leert werken met formeergas.",
        "description_en": "For welders who already master MIG/MAG. You practise on thin "
        "stainless sheet and tube, with and without filler, and learn to use backing gas.",
        "learning_outcomes": (
            "Een TIG-installatie instellen voor RVS",
            "Dunne plaat en buis lassen met formeergas",
            "Aanloopkleuren voorkomen en beitsen",
        ),
        "learning_outcomes_en": (
            "Set up a TIG machine for stainless steel",
            "Weld thin sheet and tube with backing gas",
            "Prevent heat tint and pickle welds",
        ),
        "audience": "Lassers met ervaring in MIG/MAG-lassen.",
        "audience_en": "Welders with MIG/MAG experience.",
    },
    {
        "slug": "robotlassen",
        "title": "Robotlassen: programmeren en instellen",
        "title_en": "Robotic welding: programming and set-up",
        "sector": "metal",
        "provider": "opleidingsbedrijf-metaal",
        "mode": "on_site",
        "level": "specialist",
        "themes": ("lassen", "robotica"),
        "study_hours": Decimal("24"),
        "price_excl_vat": Decimal("1995.00"),
        "vat_rate": Decimal("0"),
        "funding": "metal",
        "summary": "Programmeer een lasrobot, stel lasparameters en mallen in en los de "
        "meest voorkomende storingen zelf op.",
        "summary_en": "Program a welding robot, set welding parameters and fixtures, and solve "
        "the most common faults yourself.",
        "description": "Drie praktijkdagen aan een lasrobotcel. Je schrijft en test programma's "
        "met de teach pendant en leert hoe je een serie stabiel en snel laat lopen.",
        "description_en": "Three practical days at a robotic welding cell. You write and test "
        "programs with the teach pendant and learn how to run a batch stable and fast.",
        "learning_outcomes": (
            "Een lasprogramma maken met de teach pendant",
            "Lasparameters en toortshoeken optimaliseren",
            "Storingen in de robotcel veilig verhelpen",
        ),
        "learning_outcomes_en": (
            "Write a welding program with the teach pendant",
            "Optimise welding parameters and torch angles",
            "Clear faults in the robot cell safely",
        ),
        "audience": "Ervaren lassers en operators die een lasrobot gaan bedienen.",
        "audience_en": "Experienced welders and operators who will run a welding robot.",
    },
    {
        "slug": "tekeninglezen",
        "title": "Technisch tekeninglezen",
        "title_en": "Reading technical drawings",
        "sector": "metal",
        "provider": "firda",
        "mode": "blended",
        "level": "introductory",
        "themes": ("cnc", "lassen"),
        "study_hours": Decimal("16"),
        "price_excl_vat": Decimal("395.00"),
        "vat_rate": Decimal("0"),
        "funding": "metal",
        "summary": "Lees werktekeningen, aanzichten, maatvoering, toleranties en lassymbolen, "
        "zodat je in één keer goed produceert.",
        "summary_en": "Read workshop drawings, views, dimensions, tolerances and welding "
        "symbols, so you get it right first time.",
        "description": "Vier avonden in de hub, met tussendoor oefeningen in oZone. Je werkt met "
        "echte tekeningen uit de bedrijven van het Innovatiecluster.",
        "description_en": "Four evenings at the hub with exercises in oZone in between. You "
        "work with real drawings from the Innovatiecluster's companies.",
        "learning_outcomes": (
            "Aanzichten en doorsneden lezen",
            "Maten, toleranties en ruwheid interpreteren",
            "Lassymbolen volgens ISO 2553 begrijpen",
        ),
        "learning_outcomes_en": (
            "Read views and sections",
            "Interpret dimensions, tolerances and surface roughness",
            "Understand ISO 2553 welding symbols",
        ),
        "audience": "Iedereen in productie die met werktekeningen werkt.",
        "audience_en": "Anyone in production who works from drawings.",
        "ozone": True,
    },
    {
        "slug": "cnc-draaien",
        "title": "CNC-draaien",
        "title_en": "CNC turning",
        "sector": "metal",
        "provider": "firda",
        "mode": "on_site",
        "level": "basic",
        "themes": ("cnc",),
        "study_hours": Decimal("32"),
        "price_excl_vat": Decimal("1295.00"),
        "vat_rate": Decimal("0"),
        "funding": "metal",
        "summary": "Programmeer en bedien een CNC-draaibank: nulpunten, gereedschapscorrecties, "
        "cycli en een eerste product binnen tolerantie.",
        "summary_en": "Program and run a CNC lathe: work offsets, tool offsets, cycles and a "
        "first part within tolerance.",
        "description": "Vier praktijkdagen op de draaibanken van de hub. Je programmeert in "
        "G-code en met de cycli van de besturing en meet je eigen werkstukken na.",
        "description_en": "Four practical days on the hub's lathes. You program in G-code and "
        "with the control's cycles, and measure your own parts.",
        "learning_outcomes": (
            "Een draaiprogramma opbouwen met G-code en cycli",
            "Nulpunten en gereedschapscorrecties instellen",
            "Werkstukken meten en bijstellen",
        ),
        "learning_outcomes_en": (
            "Build a turning program with G-code and cycles",
            "Set work and tool offsets",
            "Measure parts and correct the program",
        ),
        "audience": "Operators en verspaners die de stap naar CNC maken.",
        "audience_en": "Operators and machinists moving to CNC.",
    },
    {
        "slug": "cnc-frezen",
        "title": "CNC-frezen",
        "title_en": "CNC milling",
        "sector": "metal",
        "provider": "opleidingsbedrijf-metaal",
        "mode": "on_site",
        "level": "basic",
        "themes": ("cnc",),
        "study_hours": Decimal("32"),
        "price_excl_vat": Decimal("1345.00"),
        "vat_rate": Decimal("0"),
        "funding": "metal",
        "summary": "Leer een CNC-freesmachine programmeren en instellen, van opspanning en "
        "gereedschapskeuze tot een maatvast product.",
        "summary_en": "Learn to program and set up a CNC milling machine, from clamping and "
        "tool choice to a part that is true to size.",
        "description": "Je programmeert contouren, kamers en boorcycli, kiest snijwaarden en "
        "leert hoe je ingrijpt als het misgaat.",
        "description_en": "You program contours, pockets and drilling cycles, choose cutting "
        "data and learn how to intervene when things go wrong.",
        "learning_outcomes": (
            "Een werkstuk veilig opspannen en nullen",
            "Contouren, kamers en boorcycli programmeren",
            "Snijwaarden kiezen en gereedschapsslijtage beoordelen",
        ),
        "learning_outcomes_en": (
            "Clamp and zero a workpiece safely",
            "Program contours, pockets and drilling cycles",
            "Choose cutting data and judge tool wear",
        ),
        "audience": "Operators en verspaners met basiskennis van verspanen.",
        "audience_en": "Operators and machinists with basic machining knowledge.",
    },
    {
        "slug": "plc-programmeren-tia-portal",
        "title": "PLC-programmeren (TIA Portal)",
        "title_en": "PLC programming (TIA Portal)",
        "sector": "metal",
        "provider": "firda",
        "mode": "blended",
        "level": "basic",
        "themes": ("plc-automatisering",),
        "study_hours": Decimal("40"),
        "price_excl_vat": Decimal("1650.00"),
        "vat_rate": Decimal("0"),
        "funding": "metal",
        "summary": "Programmeer een Siemens S7-1200 in TIA Portal: ladder en FBD, timers, "
        "tellers, een HMI-scherm en storingzoeken in een bestaand programma.",
        "summary_en": "Program a Siemens S7-1200 in TIA Portal: ladder and FBD, timers, "
        "counters, an HMI screen and troubleshooting an existing program.",
        "description": "Vijf avonden aan de trainingspanelen in het automatiseringslab, met "
        "theorie en oefenopdrachten in oZone. Je sluit af met een eigen besturing van een "
        "transportband.",
        "description_en": "Five evenings at the training panels in the automation lab, with "
        "theory and exercises in oZone. You finish with your own conveyor control.",
        "learning_outcomes": (
            "Een project opzetten in TIA Portal",
            "Programmeren in ladder (LAD) en FBD",
            "Een eenvoudig HMI-scherm maken",
            "Storingen opsporen met online monitoring",
        ),
        "learning_outcomes_en": (
            "Set up a project in TIA Portal",
            "Program in ladder (LAD) and FBD",
            "Build a simple HMI screen",
            "Find faults with online monitoring",
        ),
        "audience": "Monteurs, elektriciens en operators die PLC's willen begrijpen en aanpassen.",
        "audience_en": "Fitters, electricians and operators who want to understand and adapt PLCs.",
        "ozone": True,
    },
    {
        "slug": "cobot-programmeren",
        "title": "Cobot programmeren",
        "title_en": "Programming a cobot",
        "sector": "metal",
        "provider": "polder-machinebouw",
        "mode": "on_site",
        "level": "introductory",
        "themes": ("robotica", "plc-automatisering"),
        "study_hours": Decimal("16"),
        "price_excl_vat": Decimal("895.00"),
        "vat_rate": Decimal("21.00"),
        "funding": "metal",
        "summary": "Twee dagen zelf een collaboratieve robot programmeren: pick-and-place, "
        "grijpers, veiligheidszones en een risicobeoordeling.",
        "summary_en": "Two days programming a collaborative robot yourself: pick and place, "
        "grippers, safety zones and a risk assessment.",
        "description": "Gegeven door de engineers van Polder Machinebouw, die cobots bij "
        "bedrijven in de regio installeren. Je werkt in tweetallen aan een eigen cobot.",
        "description_en": "Taught by engineers of Polder Machinebouw, who install cobots at "
        "companies in the region. You work in pairs on a cobot of your own.",
        "learning_outcomes": (
            "Een pick-and-place-taak programmeren",
            "Veiligheidszones en snelheden instellen",
            "Een eenvoudige risicobeoordeling opstellen",
        ),
        "learning_outcomes_en": (
            "Program a pick-and-place task",
            "Set safety zones and speeds",
            "Draw up a simple risk assessment",
        ),
        "audience": "Operators, monteurs en werkvoorbereiders in de maakindustrie.",
        "audience_en": "Operators, fitters and production planners in manufacturing.",
    },
    {
        "slug": "3d-printen",
        "title": "3D-printen voor de werkplaats",
        "title_en": "3D printing for the workshop",
        "sector": "metal",
        "provider": "firda",
        "mode": "on_site",
        "level": "introductory",
        "themes": ("digitale-vaardigheden",),
        "study_hours": Decimal("8"),
        "price_excl_vat": Decimal("395.00"),
        "vat_rate": Decimal("0"),
        "funding": "digital",
        "summary": "Ontwerp en print in één dag je eigen mallen, hulpstukken en "
        "vervangingsonderdelen.",
        "summary_en": "Design and print your own jigs, fixtures and spare parts in one day.",
        "description": "Je tekent een eenvoudig onderdeel in CAD, kiest het juiste materiaal en "
        "print het op de printers van de hub.",
        "description_en": "You draw a simple part in CAD, pick the right material and print it "
        "on the hub's printers.",
        "learning_outcomes": (
            "Een eenvoudig onderdeel tekenen in CAD",
            "Een printopdracht voorbereiden in de slicer",
            "Het juiste filament kiezen",
        ),
        "learning_outcomes_en": (
            "Draw a simple part in CAD",
            "Prepare a print job in the slicer",
            "Choose the right filament",
        ),
        "audience": "Medewerkers in productie en onderhoud die zelf hulpmiddelen willen maken.",
        "audience_en": "Production and maintenance staff who want to make their own tools.",
    },
    {
        "slug": "storingzoeken-onderhoud",
        "title": "Storingzoeken en preventief onderhoud",
        "title_en": "Troubleshooting and preventive maintenance",
        "sector": "metal",
        "provider": "opleidingsbedrijf-metaal",
        "mode": "on_site",
        "level": "basic",
        "themes": ("onderhoud", "plc-automatisering"),
        "study_hours": Decimal("24"),
        "price_excl_vat": Decimal("895.00"),
        "vat_rate": Decimal("0"),
        "funding": "metal",
        "summary": "Zoek storingen systematisch op en maak een onderhoudsplan dat stilstand "
        "voorkomt.",
        "summary_en": "Find faults systematically and draw up a maintenance plan that prevents "
        "downtime.",
        "description": "Aan de hand van storingskoffers en een productielijn in het klein oefen "
        "je een vaste aanpak voor mechanische, pneumatische en elektrische storingen.",
        "description_en": "Using fault-finding cases and a small production line, you practise "
        "a fixed approach for mechanical, pneumatic and electrical faults.",
        "learning_outcomes": (
            "Storingen volgens een vaste methode opsporen",
            "Een onderhoudsplan opstellen",
            "Oorzaken vastleggen zodat ze niet terugkomen",
        ),
        "learning_outcomes_en": (
            "Trace faults using a fixed method",
            "Draw up a maintenance plan",
            "Record root causes so faults do not return",
        ),
        "audience": "Monteurs en operators met een technische achtergrond.",
        "audience_en": "Fitters and operators with a technical background.",
    },
    # Metal and agri -------------------------------------------------------------------------
    {
        "slug": "b-vca",
        "title": "Basisveiligheid VCA (B-VCA)",
        "title_en": "Basic safety VCA (B-VCA)",
        "sector": "both",
        "provider": "firda",
        "mode": "on_site",
        "level": "introductory",
        "themes": ("veiligheid",),
        "study_hours": Decimal("16"),
        "price_excl_vat": Decimal("295.00"),
        "vat_rate": Decimal("0"),
        "funding": "safety",
        "summary": "De cursus en het examen voor het B-VCA-diploma: veilig werken op de "
        "werkvloer en bij opdrachtgevers.",
        "summary_en": "The course and exam for the B-VCA certificate: working safely on the "
        "shop floor and at clients' sites.",
        "description": "Een lesdag met de examenstof en een tweede dag met herhaling en het "
        "officiële examen. Ook in het Engels te volgen.",
        "description_en": "One day covering the exam material and a second day with revision "
        "and the official exam. Also available in English.",
        "learning_outcomes": (
            "Risico's op de werkplek herkennen",
            "Persoonlijke beschermingsmiddelen juist gebruiken",
            "Weten wat te doen bij een ongeval",
        ),
        "learning_outcomes_en": (
            "Recognise hazards at the workplace",
            "Use personal protective equipment correctly",
            "Know what to do after an accident",
        ),
        "audience": "Medewerkers die bij VCA-gecertificeerde bedrijven of opdrachtgevers werken.",
        "audience_en": "Staff who work at VCA-certified companies or clients.",
    },
    {
        "slug": "vol-vca",
        "title": "VOL-VCA",
        "title_en": "VOL-VCA (safety for supervisors)",
        "sector": "both",
        "provider": "firda",
        "mode": "on_site",
        "level": "basic",
        "themes": ("veiligheid",),
        "study_hours": Decimal("24"),
        "price_excl_vat": Decimal("445.00"),
        "vat_rate": Decimal("0"),
        "funding": "safety",
        "summary": "Veiligheid voor operationele leidinggevenden: wetgeving, "
        "taakrisicoanalyses, toolboxmeetings en het VOL-VCA-examen.",
        "summary_en": "Safety for operational supervisors: legislation, task risk analyses, "
        "toolbox meetings and the VOL-VCA exam.",
        "description": "Drie dagen met veel praktijkvoorbeelden uit de metaal en de landbouw, "
        "afgesloten met het officiële examen.",
        "description_en": "Three days with many practical examples from metal and farming, "
        "finished with the official exam.",
        "learning_outcomes": (
            "Een taakrisicoanalyse maken",
            "Een toolboxmeeting leiden",
            "De Arbowet toepassen op het eigen werk",
        ),
        "learning_outcomes_en": (
            "Carry out a task risk analysis",
            "Lead a toolbox meeting",
            "Apply health and safety law to your own work",
        ),
        "audience": "Voorlieden, ploegleiders en zelfstandigen.",
        "audience_en": "Foremen, shift leaders and self-employed workers.",
    },
    {
        "slug": "nen-3140",
        "title": "NEN 3140 voor voldoende onderricht persoon (VOP)",
        "title_en": "NEN 3140 for instructed persons (VOP)",
        "sector": "both",
        "provider": "firda",
        "mode": "mobile",
        "level": "basic",
        "themes": ("veiligheid", "onderhoud"),
        "study_hours": Decimal("8"),
        "price_excl_vat": Decimal("345.00"),
        "vat_rate": Decimal("21.00"),
        "funding": "safety",
        "summary": "Veilig eenvoudige elektrotechnische werkzaamheden doen volgens NEN 3140, "
        "op je eigen bedrijf in de mobiele hub.",
        "summary_en": "Carry out simple electrical work safely under NEN 3140, at your own "
        "company in the mobile hub.",
        "description": "De mobiele hub komt naar je bedrijf. In één dag leer je de regels en "
        "oefen je met spanningzoekers en afschermen aan de installatie in de trailer.",
        "description_en": "The mobile hub comes to your company. In one day you learn the rules "
        "and practise with voltage testers and isolation on the trailer's installation.",
        "learning_outcomes": (
            "De rollen uit NEN 3140 kennen",
            "Spanningsloos maken en controleren",
            "Veilig meten met een spanningzoeker",
        ),
        "learning_outcomes_en": (
            "Know the roles in NEN 3140",
            "Isolate and verify absence of voltage",
            "Measure safely with a voltage tester",
        ),
        "audience": "Monteurs en operators die eenvoudige elektrische handelingen doen.",
        "audience_en": "Fitters and operators who do simple electrical tasks.",
    },
    {
        "slug": "hydrauliek",
        "title": "Hydrauliek in de praktijk",
        "title_en": "Practical hydraulics",
        "sector": "both",
        "provider": "aeres-mbo",
        "mode": "on_site",
        "level": "basic",
        "themes": ("hydrauliek", "onderhoud"),
        "study_hours": Decimal("24"),
        "price_excl_vat": Decimal("795.00"),
        "vat_rate": Decimal("0"),
        "funding": "metal",
        "summary": "Hydraulische schema's lezen, componenten herkennen en storingen vinden in "
        "machines en werktuigen.",
        "summary_en": "Read hydraulic diagrams, recognise components and find faults in "
        "machines and implements.",
        "description": "Je bouwt schakelingen op de hydrauliekpanelen, meet drukken en "
        "volumestromen en zoekt storingen aan een echte werktuigaansluiting.",
        "description_en": "You build circuits on the hydraulics panels, measure pressures and "
        "flows, and trace faults on a real implement connection.",
        "learning_outcomes": (
            "Hydraulische schema's lezen",
            "Drukken en volumestromen meten",
            "Veilig werken aan systemen onder druk",
        ),
        "learning_outcomes_en": (
            "Read hydraulic diagrams",
            "Measure pressures and flows",
            "Work safely on pressurised systems",
        ),
        "audience": "Monteurs in de metaal en in de landbouwmechanisatie.",
        "audience_en": "Fitters in metalworking and agricultural machinery.",
    },
    {
        "slug": "excel-werkvloer",
        "title": "Excel voor de werkvloer",
        "title_en": "Excel for the shop floor",
        "sector": "both",
        "provider": "firda",
        "mode": "online",
        "level": "introductory",
        "themes": ("digitale-vaardigheden",),
        "study_hours": Decimal("6"),
        "price_excl_vat": Decimal("295.00"),
        "vat_rate": Decimal("21.00"),
        "funding": "digital",
        "summary": "Drie online avonden: lijsten bijhouden, formules, filters en een "
        "overzichtelijke grafiek van je productie- of oogstcijfers.",
        "summary_en": "Three online evenings: keep lists, use formulas and filters, and make a "
        "clear chart of your production or harvest figures.",
        "description": "Live online lessen met opdrachten in oZone tussendoor. Je werkt met "
        "voorbeeldbestanden uit de praktijk.",
        "description_en": "Live online lessons with assignments in oZone in between. You work "
        "with sample files from practice.",
        "learning_outcomes": (
            "Gegevens invoeren, sorteren en filteren",
            "Eenvoudige formules gebruiken",
            "Een grafiek maken",
        ),
        "learning_outcomes_en": (
            "Enter, sort and filter data",
            "Use simple formulas",
            "Make a chart",
        ),
        "audience": "Medewerkers die weinig met de computer werken.",
        "audience_en": "Staff who rarely work with a computer.",
        "ozone": True,
    },
    {
        "slug": "cyberveilig-werken",
        "title": "Cyberveilig werken",
        "title_en": "Working cyber-safely",
        "sector": "both",
        "provider": "firda",
        "mode": "online",
        "level": "introductory",
        "themes": ("digitale-vaardigheden", "veiligheid"),
        "study_hours": Decimal("4"),
        "price_excl_vat": Decimal("295.00"),
        "vat_rate": Decimal("21.00"),
        "funding": "digital",
        "summary": "Herken phishing, kies sterke wachtwoorden en weet wat je doet als een "
        "machine of pc vreemd gaat doen.",
        "summary_en": "Recognise phishing, choose strong passwords and know what to do when a "
        "machine or PC starts acting strangely.",
        "description": "Eén live online avond en een korte e-learning in oZone, met voorbeelden "
        "uit bedrijven waar het misging.",
        "description_en": "One live online evening and a short e-learning module in oZone, with "
        "examples from companies where things went wrong.",
        "learning_outcomes": (
            "Phishing en nepfacturen herkennen",
            "Veilig omgaan met wachtwoorden en tweestapsverificatie",
            "Een incident melden",
        ),
        "learning_outcomes_en": (
            "Recognise phishing and fake invoices",
            "Handle passwords and two-step verification safely",
            "Report an incident",
        ),
        "audience": "Alle medewerkers.",
        "audience_en": "All staff.",
        "ozone": True,
    },
    {
        "slug": "communiceren-leidinggevende",
        "title": "Communiceren als leidinggevende",
        "title_en": "Communicating as a supervisor",
        "sector": "both",
        "provider": "aeres-mbo",
        "mode": "blended",
        "level": "basic",
        "themes": ("communicatie",),
        "study_hours": Decimal("16"),
        "price_excl_vat": Decimal("745.00"),
        "vat_rate": Decimal("0"),
        "funding": None,
        "summary": "Werkoverleg leiden, feedback geven en lastige gesprekken voeren, voor wie "
        "net leiding geeft op de werkvloer.",
        "summary_en": "Lead team meetings, give feedback and hold difficult conversations, for "
        "new shop-floor supervisors.",
        "description": "Vier bijeenkomsten met een trainingsacteur en korte opdrachten in "
        "oZone, waarin je oefent met situaties uit je eigen werk.",
        "description_en": "Four sessions with a training actor and short assignments in oZone, "
        "practising situations from your own work.",
        "learning_outcomes": (
            "Een kort werkoverleg leiden",
            "Feedback geven en ontvangen",
            "Een lastig gesprek voorbereiden en voeren",
        ),
        "learning_outcomes_en": (
            "Lead a short team meeting",
            "Give and receive feedback",
            "Prepare and hold a difficult conversation",
        ),
        "audience": "Voorlieden, ploegleiders en teamleiders.",
        "audience_en": "Foremen, shift leaders and team leaders.",
        "ozone": True,
    },
    # Agri -----------------------------------------------------------------------------------
    {
        "slug": "gps-rtk-automatisch-sturen",
        "title": "GPS/RTK en automatisch sturen",
        "title_en": "GPS/RTK and auto-steering",
        "sector": "agri",
        "provider": "aeres-hogeschool",
        "mode": "on_site",
        "level": "basic",
        "themes": ("precisielandbouw",),
        "study_hours": Decimal("12"),
        "price_excl_vat": Decimal("495.00"),
        "vat_rate": Decimal("0"),
        "funding": "agri",
        "summary": "Haal meer uit je stuursysteem: RTK-correctie, AB-lijnen, kopakkers en "
        "sectieafsluiting, op de proefvelden in Dronten.",
        "summary_en": "Get more out of your steering system: RTK correction, AB lines, "
        "headlands and section control, on the trial fields in Dronten.",
        "description": "Twee dagen met uitleg in het Agri Innovatiecenter en oefenen met "
        "trekkers van verschillende merken op de proefvelden.",
        "description_en": "Two days of explanation at the Agri Innovation Centre and practice "
        "on the trial fields with tractors of several brands.",
        "learning_outcomes": (
            "Het verschil tussen GPS, EGNOS en RTK uitleggen",
            "AB-lijnen en kopakkers instellen",
            "Veelvoorkomende storingen in het stuursysteem oplossen",
        ),
        "learning_outcomes_en": (
            "Explain the difference between GPS, EGNOS and RTK",
            "Set up AB lines and headlands",
            "Solve common steering system faults",
        ),
        "audience": "Trekkerchauffeurs, loonwerkers en akkerbouwers.",
        "audience_en": "Tractor drivers, contractors and arable farmers.",
    },
    {
        "slug": "taakkaarten-precisielandbouw",
        "title": "Taakkaarten in de precisielandbouw",
        "title_en": "Task maps in precision farming",
        "sector": "agri",
        "provider": "aeres-hogeschool",
        "mode": "blended",
        "level": "advanced",
        "themes": ("precisielandbouw", "digitale-vaardigheden"),
        "study_hours": Decimal("16"),
        "price_excl_vat": Decimal("595.00"),
        "vat_rate": Decimal("0"),
        "funding": "agri",
        "summary": "Maak taakkaarten voor plaatsspecifiek zaaien, bemesten en spuiten, van "
        "bodemscan tot bestand in de terminal.",
        "summary_en": "Make task maps for variable-rate seeding, fertilising and spraying, from "
        "soil scan to file in the terminal.",
        "description": "Drie avonden in Dronten en opdrachten in oZone. Je werkt met de "
        "perceelsgegevens van je eigen bedrijf of van de proefboerderij.",
        "description_en": "Three evenings in Dronten and assignments in oZone. You work with "
        "field data from your own farm or from the trial farm.",
        "learning_outcomes": (
            "Bodemscans en satellietbeelden interpreteren",
            "Een taakkaart maken in farm management software",
            "Een taakkaart in de trekkerterminal laden en controleren",
        ),
        "learning_outcomes_en": (
            "Interpret soil scans and satellite images",
            "Make a task map in farm management software",
            "Load and check a task map in the tractor terminal",
        ),
        "audience": "Akkerbouwers, loonwerkers en adviseurs met ervaring in automatisch sturen.",
        "audience_en": "Arable farmers, contractors and advisers experienced with auto-steering.",
        "ozone": True,
    },
    {
        "slug": "drones-a1-a3-gewasmonitoring",
        "title": "Drones: A1/A3 en gewasmonitoring",
        "title_en": "Drones: A1/A3 and crop monitoring",
        "sector": "agri",
        "provider": "aeres-hogeschool",
        "mode": "blended",
        "level": "basic",
        "themes": ("drones", "precisielandbouw"),
        "study_hours": Decimal("16"),
        "price_excl_vat": Decimal("645.00"),
        "vat_rate": Decimal("0"),
        "funding": "agri",
        "summary": "Haal het EU-dronebewijs A1/A3 en leer met een drone gewassen monitoren en "
        "beelden omzetten in actie op het perceel.",
        "summary_en": "Get the EU A1/A3 drone certificate and learn to monitor crops with a "
        "drone and turn images into action in the field.",
        "description": "De theorie voor A1/A3 volg je in oZone. In Dronten vlieg je vluchten "
        "boven de proefvelden en verwerk je de beelden tot een vegetatie-index.",
        "description_en": "You study the A1/A3 theory in oZone. In Dronten you fly missions "
        "over the trial fields and process the images into a vegetation index.",
        "learning_outcomes": (
            "Veilig en volgens de regels vliegen in de open categorie",
            "Een vliegplan voor gewasmonitoring maken",
            "Een vegetatie-index (NDVI) interpreteren",
        ),
        "learning_outcomes_en": (
            "Fly safely and legally in the open category",
            "Plan a crop-monitoring flight",
            "Interpret a vegetation index (NDVI)",
        ),
        "audience": "Akkerbouwers, telers en adviseurs.",
        "audience_en": "Arable farmers, growers and advisers.",
        "ozone": True,
    },
    {
        "slug": "isobus",
        "title": "ISOBUS in de praktijk",
        "title_en": "ISOBUS in practice",
        "sector": "agri",
        "provider": "agrotechniek-dronten",
        "mode": "on_site",
        "level": "basic",
        "themes": ("precisielandbouw", "onderhoud"),
        "study_hours": Decimal("8"),
        "price_excl_vat": Decimal("425.00"),
        "vat_rate": Decimal("21.00"),
        "funding": "agri",
        "summary": "Trekker en werktuig laten samenwerken via ISOBUS: aansluiten, "
        "TC-SC en TC-Rate instellen en storingen begrijpen.",
        "summary_en": "Make tractor and implement work together over ISOBUS: connect, set up "
        "TC-SC and TC-Rate, and understand faults.",
        "description": "Een praktijkdag van de monteurs van Agrotechniek Dronten, met "
        "terminals en werktuigen van verschillende merken.",
        "description_en": "A practical day by the mechanics of Agrotechniek Dronten, with "
        "terminals and implements of several brands.",
        "learning_outcomes": (
            "Een werktuig aanmelden op de terminal",
            "Sectieafsluiting en variabele dosering instellen",
            "Foutmeldingen lezen en oplossen",
        ),
        "learning_outcomes_en": (
            "Register an implement on the terminal",
            "Set up section control and variable rate",
            "Read and resolve error messages",
        ),
        "audience": "Trekkerchauffeurs, loonwerkers en monteurs landbouwmechanisatie.",
        "audience_en": "Tractor drivers, contractors and agricultural machinery mechanics.",
    },
    {
        "slug": "melkrobot-onderhoud",
        "title": "Melkrobot: dagelijks onderhoud en storingen",
        "title_en": "Milking robot: daily maintenance and faults",
        "sector": "agri",
        "provider": "agrotechniek-dronten",
        "mode": "mobile",
        "level": "basic",
        "themes": ("onderhoud", "robotica"),
        "study_hours": Decimal("12"),
        "price_excl_vat": Decimal("595.00"),
        "vat_rate": Decimal("21.00"),
        "funding": "agri",
        "summary": "Houd de melkrobot draaiend: dagelijkse controles, reinigen, "
        "tepelbekerwissel en de meest voorkomende storingen zelf oplossen.",
        "summary_en": "Keep the milking robot running: daily checks, cleaning, changing liners "
        "and solving the most common faults yourself.",
        "description": "De mobiele hub komt naar een melkveebedrijf in de regio. Je oefent aan "
        "een echte robot, onder begeleiding van een servicemonteur.",
        "description_en": "The mobile hub comes to a dairy farm in the region. You practise on "
        "a real robot, guided by a service engineer.",
        "learning_outcomes": (
            "De dagelijkse en wekelijkse controles uitvoeren",
            "Tepelbekers en slangen vervangen",
            "Alarmen lezen en eenvoudige storingen verhelpen",
        ),
        "learning_outcomes_en": (
            "Carry out daily and weekly checks",
            "Replace liners and hoses",
            "Read alarms and clear simple faults",
        ),
        "audience": "Melkveehouders en medewerkers op melkveebedrijven.",
        "audience_en": "Dairy farmers and dairy farm staff.",
    },
    {
        "slug": "reparatielassen-landbouw",
        "title": "Reparatielassen voor de agrarische werkplaats",
        "title_en": "Repair welding for the farm workshop",
        "sector": "agri",
        "provider": "aeres-mbo",
        "mode": "mobile",
        "level": "introductory",
        "themes": ("lassen", "onderhoud"),
        "study_hours": Decimal("16"),
        "price_excl_vat": Decimal("545.00"),
        "vat_rate": Decimal("0"),
        "funding": "agri",
        "summary": "Werktuigen en hekwerk veilig en stevig repareren met de lasapparatuur die "
        "je op het erf hebt.",
        "summary_en": "Repair implements and fencing safely and soundly with the welding kit "
        "you have on the farm.",
        "description": "Twee dagen in de mobiele hub op het erf van een van de deelnemers. Je "
        "oefent met elektrode- en MAG-lassen op slijtdelen en frames.",
        "description_en": "Two days in the mobile hub at one participant's farm. You practise "
        "stick and MAG welding on wear parts and frames.",
        "learning_outcomes": (
            "Een reparatie voorbereiden en het juiste lasproces kiezen",
            "Slijtdelen oplassen",
            "Veilig lassen in de schuur en op het erf",
        ),
        "learning_outcomes_en": (
            "Prepare a repair and choose the right welding process",
            "Hardface wear parts",
            "Weld safely in the barn and in the yard",
        ),
        "audience": "Boeren, loonwerkers en medewerkers van agrarische bedrijven.",
        "audience_en": "Farmers, contractors and farm staff.",
    },
    {
        "slug": "sensordata-akkerbouw",
        "title": "Sensoren en data op het akkerbouwbedrijf",
        "title_en": "Sensors and data on the arable farm",
        "sector": "agri",
        "provider": "aeres-hogeschool",
        "mode": "online",
        "level": "basic",
        "themes": ("precisielandbouw", "digitale-vaardigheden"),
        "study_hours": Decimal("10"),
        "price_excl_vat": Decimal("395.00"),
        "vat_rate": Decimal("0"),
        "funding": "agri",
        "summary": "Bodemvochtsensoren, weerstations en bewaringssensoren: wat meten ze, hoe "
        "lees je de data en welke beslissingen neem je ermee?",
        "summary_en": "Soil moisture sensors, weather stations and storage sensors: what they "
        "measure, how to read the data and which decisions it supports.",
        "description": "Twee live online avonden en opdrachten in oZone met echte data van de "
        "proefboerderij.",
        "description_en": "Two live online evenings and assignments in oZone with real data "
        "from the trial farm.",
        "learning_outcomes": (
            "Sensordata ophalen en beoordelen",
            "Beregening en bewaring onderbouwen met data",
            "Dashboards van leveranciers kritisch lezen",
        ),
        "learning_outcomes_en": (
            "Retrieve and assess sensor data",
            "Base irrigation and storage decisions on data",
            "Read suppliers' dashboards critically",
        ),
        "audience": "Akkerbouwers, bedrijfsleiders en teeltadviseurs.",
        "audience_en": "Arable farmers, farm managers and crop advisers.",
        "ozone": True,
    },
    {
        "slug": "klimaatcomputer-kas",
        "title": "Klimaatcomputer en sensoren in de kas",
        "title_en": "Climate computer and sensors in the greenhouse",
        "sector": "agri",
        "provider": "aeres-mbo",
        "mode": "blended",
        "level": "basic",
        "themes": ("plc-automatisering", "digitale-vaardigheden"),
        "study_hours": Decimal("16"),
        "price_excl_vat": Decimal("695.00"),
        "vat_rate": Decimal("0"),
        "funding": "agri",
        "summary": "Begrijp en stel de klimaatcomputer in: temperatuur, vocht, CO2 en "
        "energieschermen, en controleer de sensoren die hem sturen.",
        "summary_en": "Understand and set the climate computer: temperature, humidity, CO2 and "
        "energy screens, and check the sensors that drive it.",
        "description": "Drie avonden met uitleg en oefenen op een klimaatcomputer-simulator, "
        "met voorbereiding in oZone.",
        "description_en": "Three evenings of explanation and practice on a climate computer "
        "simulator, with preparation in oZone.",
        "learning_outcomes": (
            "De regelkringen van een klimaatcomputer uitleggen",
            "Instellingen aanpassen aan gewas en weer",
            "Sensoren controleren en kalibreren",
        ),
        "learning_outcomes_en": (
            "Explain a climate computer's control loops",
            "Adjust settings to crop and weather",
            "Check and calibrate sensors",
        ),
        "audience": "Teeltmedewerkers en servicemonteurs in de glastuinbouw.",
        "audience_en": "Growers and service engineers in greenhouse horticulture.",
        "ozone": True,
    },
    {
        "slug": "onderhoud-trekkers-werktuigen",
        "title": "Onderhoud van trekkers en werktuigen",
        "title_en": "Maintaining tractors and implements",
        "sector": "agri",
        "provider": "aeres-mbo",
        "mode": "on_site",
        "level": "basic",
        "themes": ("onderhoud", "hydrauliek"),
        "study_hours": Decimal("24"),
        "price_excl_vat": Decimal("745.00"),
        "vat_rate": Decimal("0"),
        "funding": "agri",
        "summary": "Zelf het periodieke onderhoud doen aan trekkers en werktuigen en slijtage "
        "op tijd zien, zodat je in het seizoen niet stilstaat.",
        "summary_en": "Do the periodic maintenance of tractors and implements yourself and spot "
        "wear in time, so you keep going during the season.",
        "description": "Drie praktijkdagen in de machinehal van Aeres MBO Emmeloord: "
        "smeerschema's, filters, banden, remmen en hefinrichting.",
        "description_en": "Three practical days in Aeres MBO Emmeloord's machine hall: "
        "lubrication schedules, filters, tyres, brakes and linkage.",
        "learning_outcomes": (
            "Een onderhoudsbeurt volgens het instructieboek uitvoeren",
            "Slijtage aan werktuigen beoordelen",
            "Onderhoud vastleggen en plannen",
        ),
        "learning_outcomes_en": (
            "Carry out a service following the manual",
            "Judge wear on implements",
            "Record and plan maintenance",
        ),
        "audience": "Boeren, loonwerkers en beginnende monteurs.",
        "audience_en": "Farmers, contractors and junior mechanics.",
    },
    # Published, but no run planned: the forklift certificates that expire show up as demand.
    {
        "slug": "heftruck-rijden",
        "title": "Veilig heftruck rijden",
        "title_en": "Safe forklift driving",
        "sector": "both",
        "provider": "opleidingsbedrijf-metaal",
        "mode": "on_site",
        "level": "introductory",
        "themes": ("veiligheid",),
        "study_hours": Decimal("8"),
        "price_excl_vat": Decimal("325.00"),
        "vat_rate": Decimal("0"),
        "funding": "safety",
        "summary": "Een dag theorie en rijden op het terrein, afgesloten met het praktijkexamen "
        "voor het heftruckcertificaat.",
        "summary_en": "A day of theory and driving on site, finished with the practical exam "
        "for the forklift certificate.",
        "description": "Je leert de heftruck controleren, lasten veilig verplaatsen en stapelen, "
        "en wat je doet als het toch misgaat. Ook als herhaling na vijf jaar.",
        "description_en": "You learn to check the forklift, move and stack loads safely, and "
        "what to do when something goes wrong. Also as a refresher after five years.",
        "learning_outcomes": (
            "De dagelijkse controle van de heftruck uitvoeren",
            "Lasten veilig heffen, verplaatsen en stapelen",
            "Weten wat je doet bij een aanrijding of omvallende last",
        ),
        "learning_outcomes_en": (
            "Carry out the forklift's daily check",
            "Lift, move and stack loads safely",
            "Know what to do after a collision or a falling load",
        ),
        "audience": "Medewerkers in magazijn, productie en op het erf.",
        "audience_en": "Staff in the warehouse, in production and on the yard.",
    },
    # A concept the programme manager is still working on: not published, no offerings yet.
    {
        "slug": "elektrificatie-landbouwmachines",
        "title": "Elektrificatie van landbouwmachines (in ontwikkeling)",
        "title_en": "Electrification of farm machinery (in development)",
        "sector": "agri",
        "provider": "aeres-hogeschool",
        "mode": "blended",
        "level": "advanced",
        "themes": ("onderhoud", "veiligheid"),
        "study_hours": Decimal("16"),
        "price_excl_vat": Decimal("795.00"),
        "vat_rate": Decimal("0"),
        "funding": None,
        "summary": "Elektrische en hybride trekkers en werktuigen: hoe ze werken en hoe je er "
        "veilig aan werkt.",
        "summary_en": "Electric and hybrid tractors and implements: how they work and how to "
        "work on them safely.",
        "description": "Concept: de inhoud wordt samen met het Agrofoodcluster uitgewerkt.",
        "description_en": "Draft: the content is being developed with the Agrofoodcluster.",
        "learning_outcomes": (),
        "learning_outcomes_en": (),
        "audience": "Monteurs landbouwmechanisatie.",
        "audience_en": "Agricultural machinery mechanics.",
        "is_published": False,
    },
)
