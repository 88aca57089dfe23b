"""Built-in sample credentials, used by the demo, the documentation and the tests.

The institutions, people and identifiers are fictitious; the vocabulary concepts and
ESCO skills are real. The samples cover several countries and languages, EQF levels 4
to 7, different assessment, participation and quality-assurance types, stackability
towards a named qualification, a joint award by two bodies, and one draft that does not
meet Annex I.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from eumicro._model import (
    Assessment,
    CredentialReference,
    Grade,
    Identifier,
    Learner,
    LearningOutcome,
    LegalIdentifier,
    Level,
    MicroCredential,
    Organisation,
    Participation,
    QualityAssurance,
    Specification,
    Stackability,
    StackabilityOption,
    Workload,
)
from eumicro._text import Text

__all__ = ["SAMPLES", "load", "names"]

_ESCO = "http://data.europa.eu/esco/skill/"
ESCO_CREATIVITY = _ESCO + "ccdf3597-5c80-410f-896d-e1bdfa223de9"  # stimulate creativity in the team
ESCO_COMMUNICATE = (
    _ESCO + "80f308e6-0e09-404a-80cd-ec5f50f6f304"
)  # communicate with target community
ESCO_COLLABORATE = (
    _ESCO + "326809fc-238d-40c2-881e-40042f7f2f0d"
)  # establish collaborative relations
ESCO_DIGITAL_CONTENT = _ESCO + "5fd5c985-eaaa-47aa-8314-62359c54505a"  # develop digital content
ESCO_MATH_TOOLS = (
    _ESCO + "db77825e-0f3e-47d0-abdb-356794484272"
)  # use mathematical tools and equipment
ESCO_ANALYTICAL_MATH = (
    _ESCO + "31c69100-b612-4a61-8db5-fd314318854c"
)  # execute analytical mathematical calculations
ESCO_GEODESY = _ESCO + "7d4e4636-f136-46f6-ae23-2a7639d6b861"  # geodesy


def _utc(year: int, month: int, day: int, hour: int = 9, tz_hours: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=dt.timezone(dt.timedelta(hours=tz_hours)))


def _data_literacy_ie() -> MicroCredential:
    body = Organisation(
        id="urn:eumicro:sample:org:liffey-university",
        name=Text(en="Liffey University", ga="Ollscoil na Life"),
        country="IRL",
        region="IE061",
        registration=LegalIdentifier(value="IE-HEA-0421", country="IRL", scheme="HEA register"),
        eidas_identifier=LegalIdentifier(value="IE/IE/9876543W", country="IRL", scheme="eIDAS"),
        vat_identifier=LegalIdentifier(value="IE9876543W", country="IRL", scheme="VAT"),
        homepage="https://www.liffey-university.example/",
        email="credentials@liffey-university.example",
        address="College Green 2, Dublin 2, D02 XY00, Ireland",
    )
    spec = Specification(
        id="urn:eumicro:sample:spec:liffey:data-literacy",
        title=Text(en="Data Literacy for Professionals", ga="Litearthacht Sonraí do Ghairmithe"),
        description=Text(
            en="A twelve-week online micro-credential on reading, cleaning and presenting data."
        ),
        learning_outcomes=(
            LearningOutcome(
                title=Text(en="Use spreadsheet and statistical tools to analyse a data set"),
                esco_skills=(ESCO_MATH_TOOLS, ESCO_ANALYTICAL_MATH),
                skill_type="skill",
                reusability_level="cross-sector",
            ),
            LearningOutcome(
                title=Text(en="Present findings from data to a non-specialist audience"),
                esco_skills=(ESCO_COMMUNICATE,),
                skill_type="skill",
                reusability_level="transversal",
            ),
            LearningOutcome(
                title=Text(en="Produce reproducible digital reports"),
                esco_skills=(ESCO_DIGITAL_CONTENT,),
            ),
        ),
        workload=Workload(ects=5, hours=125),
        level=Level(eqf=6, qf_ehea="1"),
        assessment=Assessment(
            types=("written examination", "project work"),
            modes=("Online",),
            description=Text(en="Online proctored examination (60%) and a data project (40%)."),
        ),
        participation=Participation(
            modes=("Online",), setting="formal learning", schedule="Part time light"
        ),
        quality_assurance=(
            QualityAssurance(
                type="Institutional Quality Assurance",
                description=Text(en="Reviewed under the university's QQI-approved QA procedures."),
                agency=Organisation(
                    name=Text(en="Quality and Qualifications Ireland"),
                    country="IRL",
                    homepage="https://www.qqi.ie/",
                ),
            ),
        ),
        prerequisites=Text(en="A Leaving Certificate or equivalent; basic computer skills."),
        stackability=Stackability(option=StackabilityOption.STAND_ALONE),
        further_information=Text(en="Delivered on the university's virtual learning environment."),
        languages=("ENG",),
        fields=("0688", "0542"),
        opportunity_type="Course",
        provider=body,
        homepage="https://www.liffey-university.example/micro/data-literacy",
    )
    return MicroCredential(
        id="urn:eumicro:sample:credential:liffey:2024:00017",
        specification=spec,
        learner=Learner(
            id="did:example:learner:aoife",
            full_name="Aoife Byrne",
            given_name="Aoife",
            family_name="Byrne",
            date_of_birth=dt.date(1991, 3, 14),
            email="aoife.byrne@mail.example",
            identifiers=(Identifier(value="S2211873", scheme="Student number"),),
            citizenship=("IRL",),
        ),
        awarding_bodies=(body,),
        issued=_utc(2024, 6, 14, 10),
        valid_from=_utc(2024, 7, 1, 0, tz_hours=1),
        grade=Grade(value="Distinction", scheme=Text(en="Pass, Merit, Distinction")),
        supervision="70be69aaf9",
        identifiers=(Identifier(value="LU-MC-2024-00017", scheme="Certificate number"),),
    )


def _tu_rhein() -> Organisation:
    return Organisation(
        id="urn:eumicro:sample:org:tu-rheinland",
        name=Text(
            de="Technische Hochschule Rheinland", en="Rhineland University of Applied Sciences"
        ),
        country="DEU",
        region="DEA23",
        registration=LegalIdentifier(value="HRB 40712", country="DEU", scheme="Handelsregister"),
        eidas_identifier=LegalIdentifier(value="DE/DE/HRB40712", country="DEU", scheme="eIDAS"),
        homepage="https://www.th-rheinland.example/",
    )


def _cyber_master() -> CredentialReference:
    return CredentialReference(
        id="urn:eumicro:sample:qualification:th-rheinland:msc-cyber-security",
        title=Text(de="M.Sc. Cyber-Sicherheit", en="M.Sc. Cyber Security"),
    )


def _cybersecurity_de() -> MicroCredential:
    tu_rhein = _tu_rhein()
    spec = Specification(
        id="urn:eumicro:sample:spec:th-rheinland:secure-networks",
        title=Text(de="Sichere Netzwerke", en="Secure Networks"),
        description=Text(
            de="Blended-Learning-Modul zu Netzwerksicherheit, Firewalls und Intrusion Detection.",
            en="Blended module on network security, firewalls and intrusion detection.",
        ),
        learning_outcomes=(
            LearningOutcome(
                title=Text(
                    de="Sicherheitsrisiken in Unternehmensnetzwerken analysieren und bewerten",
                    en="Analyse and assess security risks in enterprise networks",
                ),
                skill_type="skill",
                reusability_level="sector-specific",
            ),
            LearningOutcome(
                title=Text(
                    de="Mit dem Betriebsteam zur Härtung der Infrastruktur zusammenarbeiten",
                    en="Work with the operations team to harden infrastructure",
                ),
                esco_skills=(ESCO_COLLABORATE,),
            ),
        ),
        workload=Workload(ects=6, hours=180),
        level=Level(eqf=7, qf_ehea="2"),
        assessment=Assessment(
            types=("written examination", "practical assessment"),
            modes=("Presential",),
        ),
        participation=Participation(modes=("Blended",), setting="formal learning"),
        quality_assurance=(
            QualityAssurance(
                type="Program Quality Assurance",
                description=Text(
                    de="Programmakkreditierung durch eine beim Akkreditierungsrat registrierte Agentur.",
                    en="Programme accreditation by an agency registered with the German Accreditation Council.",
                ),
                report="https://www.th-rheinland.example/akkreditierung/2023.pdf",
            ),
        ),
        prerequisites=Text(
            de="Bachelorabschluss in Informatik oder vergleichbare Berufserfahrung.",
            en="A bachelor's degree in computing or comparable work experience.",
        ),
        stackability=Stackability(
            option=StackabilityOption.STACKABLE,
            towards=(_cyber_master(),),
            description=Text(
                de="Wird auf das Modul NS-1 des Masterstudiengangs angerechnet.",
                en="Recognised as module NS-1 of the master's programme.",
            ),
        ),
        languages=("DEU", "ENG"),
        fields=("0612",),
        opportunity_type="Programme module",
        provider=tu_rhein,
    )
    return MicroCredential(
        id="urn:eumicro:sample:credential:th-rheinland:2024:0815",
        specification=spec,
        learner=Learner(
            given_name="Jonas",
            family_name="Becker",
            date_of_birth=dt.date(1988, 11, 2),
            identifiers=(Identifier(value="7734021", scheme="Matrikelnummer"),),
        ),
        awarding_bodies=(tu_rhein,),
        issued=_utc(2024, 3, 28, 14, tz_hours=1),
        grade=Grade(value="1,7", scheme=Text(de="Deutsche Notenskala 1,0–5,0; bestanden bis 4,0")),
        supervision="Supervised with ID Verification",
    )


def _welding_pl() -> MicroCredential:
    centre = Organisation(
        id="urn:eumicro:sample:org:wielkopolska-welding-centre",
        name=Text(pl="Wielkopolskie Centrum Spawalnictwa", en="Greater Poland Welding Centre"),
        country="POL",
        region="PL41",
        vat_identifier=LegalIdentifier(value="PL7781234567", country="POL", scheme="NIP"),
        eidas_identifier=LegalIdentifier(value="PL/PL/7781234567", country="POL", scheme="eIDAS"),
    )
    spec = Specification(
        id="urn:eumicro:sample:spec:wcs:visual-weld-inspection",
        title=Text(
            pl="Kontrola wizualna złączy spawanych", en="Visual inspection of welded joints"
        ),
        learning_outcomes=(
            LearningOutcome(
                title=Text(
                    pl="Ocenia niezgodności spawalnicze zgodnie z normą ISO 5817",
                    en="Assesses weld imperfections against ISO 5817",
                ),
                skill_type="skill",
                reusability_level="occupation-specific",
            ),
            LearningOutcome(
                title=Text(
                    pl="Posługuje się przyrządami pomiarowymi do spoin",
                    en="Uses weld gauges and measuring tools",
                ),
                esco_skills=(ESCO_MATH_TOOLS,),
            ),
        ),
        workload=Workload(ecvet=3, hours=80),
        level=Level(eqf=4),
        assessment=Assessment(
            types=("practical assessment", "oral examination"), modes=("Presential",)
        ),
        participation=Participation(
            modes=("Presential", "Workbased"), setting="non-formal learning"
        ),
        quality_assurance=(
            QualityAssurance(
                type="Institutional License",
                description=Text(
                    pl="Ośrodek egzaminacyjny uznany przez Urząd Dozoru Technicznego.",
                    en="Examination centre recognised by the Office of Technical Inspection.",
                ),
            ),
        ),
        prerequisites=Text(pl="Ukończone 18 lat.", en="Aged 18 or over."),
        languages=("POL",),
        fields=("0715",),
        opportunity_type="Course",
    )
    return MicroCredential(
        id="urn:eumicro:sample:credential:wcs:2023:1204",
        specification=spec,
        learner=Learner(
            full_name="Katarzyna Nowak",
            national_id=LegalIdentifier(value="90051201234", country="POL", scheme="PESEL"),
        ),
        awarding_bodies=(centre,),
        issued=_utc(2023, 12, 4, 12, tz_hours=1),
        valid_until=_utc(2026, 12, 4, 12, tz_hours=1),
        grade=Grade(
            value="zaliczony", scheme=Text(pl="zaliczony / niezaliczony", en="pass / fail")
        ),
        supervision="Supervised with ID Verification",
    )


def _ai_ethics_fr() -> MicroCredential:
    body = Organisation(
        id="urn:eumicro:sample:org:universite-loire",
        name=Text(fr="Université de la Loire", en="University of the Loire"),
        country="FRA",
        region="FRG",
        eidas_identifier=LegalIdentifier(
            value="FR/FR/19441234500017", country="FRA", scheme="SIRET"
        ),
        identifiers=(Identifier(value="F NANTES99", scheme="Erasmus code"),),
        homepage="https://www.univ-loire.example/",
    )
    spec = Specification(
        id="urn:eumicro:sample:spec:univ-loire:ethique-ia",
        title=Text(
            fr="Éthique de l'intelligence artificielle", en="Ethics of Artificial Intelligence"
        ),
        learning_outcomes=(
            LearningOutcome(
                title=Text(
                    fr="Analyser les risques éthiques d'un système d'IA au regard du droit de l'Union",
                    en="Analyse the ethical risks of an AI system in the light of EU law",
                ),
                skill_type="knowledge",
            ),
            LearningOutcome(
                title=Text(
                    fr="Animer un atelier participatif sur l'IA responsable",
                    en="Facilitate a participatory workshop on responsible AI",
                ),
                esco_skills=(ESCO_CREATIVITY, ESCO_COMMUNICATE),
            ),
        ),
        workload=Workload(ects=3, hours=75),
        level=Level(eqf=7, qf_ehea="2"),
        assessment=Assessment(types=("portfolio", "peer assessment"), modes=("Online",)),
        participation=Participation(modes=("Online",), setting="formal learning"),
        quality_assurance=(
            QualityAssurance(
                type="Program Quality Assurance",
                description=Text(
                    fr="Évaluation Hcéres du programme.", en="Programme evaluated by Hcéres."
                ),
            ),
        ),
        stackability=Stackability(option=StackabilityOption.STACKABLE),
        languages=("FRA", "ENG"),
        fields=("0223", "0613"),
        opportunity_type="MOOC",
    )
    return MicroCredential(
        id="urn:eumicro:sample:credential:univ-loire:2025:ia-311",
        specification=spec,
        learner=Learner(full_name="Camille Martin", email="camille.martin@mail.example"),
        awarding_bodies=(body,),
        issued=_utc(2025, 1, 20, 16, tz_hours=1),
        grade=Grade(value="15/20", scheme=Text(fr="Note sur 20, seuil de réussite 10")),
        supervision="Unsupervised without ID Verification",
        further_information=Text(fr="Délivré dans le cadre du programme France 2030."),
    )


def _tourism_es() -> MicroCredential:
    body = Organisation(
        id="urn:eumicro:sample:org:escuela-turismo-baleares",
        name=Text(es="Escuela Superior de Turismo de Baleares", en="Balearic School of Tourism"),
        country="ESP",
        region="ES53",
        vat_identifier=LegalIdentifier(value="ESQ0700001A", country="ESP", scheme="NIF"),
        eidas_identifier=LegalIdentifier(value="ES/ES/Q0700001A", country="ESP", scheme="eIDAS"),
    )
    spec = Specification(
        id="urn:eumicro:sample:spec:estb:turismo-sostenible",
        title=Text(es="Gestión del turismo sostenible", en="Sustainable tourism management"),
        learning_outcomes=(
            LearningOutcome(
                title=Text(
                    es="Diseñar un plan de reducción de la huella de carbono de un destino",
                    en="Design a carbon-footprint reduction plan for a destination",
                ),
            ),
            LearningOutcome(
                title=Text(
                    es="Establecer alianzas con la comunidad local",
                    en="Build partnerships with the local community",
                ),
                esco_skills=(ESCO_COLLABORATE, ESCO_COMMUNICATE),
            ),
        ),
        workload=Workload(ects=4, hours=100),
        level=Level(eqf=5, qf_ehea="short"),
        assessment=Assessment(types=("project work", "group performance")),
        participation=Participation(modes=("Blended",), setting="formal learning"),
        quality_assurance=(
            QualityAssurance(
                type="Institutional Quality Assurance",
                description=Text(
                    es="Sistema de garantía interna de calidad certificado por ANECA."
                ),
            ),
        ),
        stackability=Stackability(
            option=StackabilityOption.STACKABLE,
            towards=(
                CredentialReference(
                    id="urn:eumicro:sample:qualification:estb:tecnico-superior-turismo",
                    title=Text(es="Técnico Superior en Gestión de Alojamientos Turísticos"),
                ),
            ),
        ),
        languages=("SPA", "CAT"),
        fields=("1015",),
        opportunity_type="Short learning programme",
    )
    return MicroCredential(
        id="urn:eumicro:sample:credential:estb:2024:st-0042",
        specification=spec,
        learner=Learner(
            given_name="Lucía", family_name="García Pons", date_of_birth=dt.date(2001, 7, 30)
        ),
        awarding_bodies=(body,),
        issued=_utc(2024, 7, 5, 11, tz_hours=2),
        grade=Grade(value="Sobresaliente (9,1)"),
        supervision="Unsupervised with ID Verification",
    )


def _digital_health_fi() -> MicroCredential:
    helsinki = Organisation(
        id="urn:eumicro:sample:org:helsinki-health-academy",
        name=Text(
            fi="Helsingin terveysakatemia",
            sv="Helsingfors hälsoakademi",
            en="Helsinki Health Academy",
        ),
        country="FIN",
        region="FI1B",
        registration=LegalIdentifier(value="2345678-9", country="FIN", scheme="Business ID"),
        eidas_identifier=LegalIdentifier(value="FI/FI/23456789", country="FIN", scheme="eIDAS"),
    )
    tallinn = Organisation(
        id="urn:eumicro:sample:org:tallinn-digital-college",
        name=Text(et="Tallinna Digikolledž", en="Tallinn Digital College"),
        country="EST",
        region="EE001",
        registration=LegalIdentifier(value="70001234", country="EST", scheme="Registry code"),
    )
    spec = Specification(
        id="urn:eumicro:sample:spec:hha-tdc:digital-health-data",
        title=Text(
            fi="Terveysdatan hallinta",
            sv="Hantering av hälsodata",
            en="Managing digital health data",
        ),
        learning_outcomes=(
            LearningOutcome(
                title=Text(
                    fi="Soveltaa EU:n tietosuoja-asetusta terveysdatan käsittelyyn",
                    en="Apply the GDPR to the processing of health data",
                ),
                skill_type="knowledge",
            ),
            LearningOutcome(
                title=Text(
                    fi="Tuottaa digitaalista sisältöä potilasviestintään",
                    en="Develop digital content for patient communication",
                ),
                esco_skills=(ESCO_DIGITAL_CONTENT,),
            ),
        ),
        learning_outcome_summary=Text(
            en="Health-data governance and patient-facing digital content."
        ),
        workload=Workload(ects=10, hours=270),
        level=Level(eqf=7),
        assessment=Assessment(types=("marked assignment", "written examination")),
        participation=Participation(
            modes=("Online",), setting="formal learning", schedule="Part time intensive"
        ),
        quality_assurance=(
            QualityAssurance(
                type="Institutional Quality Assurance",
                description=Text(
                    en="Both institutions are audited by their national QA agencies (FINEEC, EKKA)."
                ),
            ),
        ),
        stackability=Stackability(
            option=StackabilityOption.STACKABLE,
            towards=(
                CredentialReference(
                    id="urn:eumicro:sample:qualification:hha:master-health-informatics",
                    title=Text(en="Master of Health Informatics (joint)"),
                ),
            ),
        ),
        languages=("FIN", "SWE", "ENG"),
        fields=("0919", "0688"),
        opportunity_type="Short learning programme",
    )
    return MicroCredential(
        id="urn:eumicro:sample:credential:hha-tdc:2025:dh-77",
        specification=spec,
        learner=Learner(
            full_name="Mikael Virtanen",
            email="mikael.virtanen@mail.example",
            citizenship=("FIN", "SWE"),
        ),
        awarding_bodies=(helsinki, tallinn),
        issuer=helsinki,
        issued=_utc(2025, 5, 30, 12, tz_hours=3),
        grade=Grade(value="4/5", scheme=Text(en="0–5, pass mark 1")),
        supervision="Supervised with ID Verification",
    )


def _draft_green_skills() -> MicroCredential:
    body = Organisation(
        id="urn:eumicro:sample:org:hogeschool-ijssel",
        name=Text(nl="Hogeschool IJssel", en="IJssel University of Applied Sciences"),
        country="NLD",
    )
    spec = Specification(
        id="urn:eumicro:sample:spec:hij:green-skills",
        title=Text(nl="Groene vaardigheden voor de bouw", en="Green skills for construction"),
        learning_outcomes=(
            LearningOutcome(
                title=Text(
                    nl="Past circulaire bouwprincipes toe",
                    en="Applies circular construction principles",
                )
            ),
        ),
        workload=Workload(ects=3),
        level=Level(eqf=5),
        assessment=Assessment(types=("project work",)),
        participation=Participation(modes=("Presential",)),
        languages=("NLD",),
        fields=("0732",),
    )
    return MicroCredential(
        id="urn:eumicro:sample:credential:hij:draft:0001",
        specification=spec,
        learner=Learner(full_name="Sem de Vries"),
        awarding_bodies=(body,),
    )


SAMPLES: dict[str, Callable[[], MicroCredential]] = {
    "data-literacy-ie": _data_literacy_ie,
    "secure-networks-de": _cybersecurity_de,
    "weld-inspection-pl": _welding_pl,
    "ai-ethics-fr": _ai_ethics_fr,
    "sustainable-tourism-es": _tourism_es,
    "digital-health-fi-ee": _digital_health_fi,
    "draft-green-skills": _draft_green_skills,
}


def names() -> tuple[str, ...]:
    """Names of the built-in samples.

    >>> names()[:2]
    ('data-literacy-ie', 'secure-networks-de')
    """
    return tuple(SAMPLES)


def load(name: str) -> MicroCredential:
    """Build the sample credential called ``name``."""
    try:
        factory = SAMPLES[name]
    except KeyError:
        raise KeyError(f"no sample {name!r}; samples are: {', '.join(SAMPLES)}") from None
    return factory()


def load_all() -> tuple[MicroCredential, ...]:
    """All built-in sample credentials."""
    return tuple(factory() for factory in SAMPLES.values())
