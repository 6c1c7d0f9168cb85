"""A synthetic diplomatic graph with the RDF shape graphbuild emits (docs/rdf-shape.md).

Used by the benchmarks to measure what users get on graphs much bigger than the
sample corpus.  Everything comes from one seeded ``random.Random``: the same
arguments give the same triples (and, through ``graphbuild.export``, the same bytes).

    from synthetic_diplomacy import synthetic_graph
    graph = synthetic_graph(actors=2000, interactions=10000, seed=7)

Actors are states, organisations and persons who represent a state (most) or an
organisation; who takes part in an interaction follows a Zipf-like law (a few
busy heads of state, a long tail), and every actor takes part in at least one
interaction when there are enough interactions (``interactions >= actors / 2``).
Interactions have a mode class, a date (most of them), speech acts, topics
(topics, places, states), evidence sentences (with « », ``<`` and ``&`` now and
then, as real articles have), sometimes a quote, a confidence, ``dip:Asserted``,
and one or two source documents.
"""
from __future__ import annotations

import datetime as dt
import itertools
import random
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from graphbuild.lexicon import slugify
from graphbuild.vocab import DIP, RES, WD, bind_prefixes

MODES = [  # (class, French label, share, CAMEO, PLOVER)
    (DIP.PhoneCall, "Appel téléphonique", 0.30, "041", "CONSULT"),
    (DIP.Meeting, "Rencontre", 0.25, "040", "CONSULT"),
    (DIP.Visit, "Visite", 0.12, "042", "CONSULT"),
    (DIP.Message, "Message", 0.15, "040", "CONSULT"),
    (DIP.Statement, "Déclaration", 0.12, "010", "ASSERT"),
    (DIP.Negotiation, "Négociation", 0.06, "046", "CONSULT"),
]
ACTS = [DIP.Discuss, DIP.Congratulate, DIP.Condole, DIP.Thank, DIP.Invite, DIP.Praise,
        DIP.Support, DIP.Criticize, DIP.Agree, DIP.Request, DIP.Inform]
ROLES = ["président", "Premier ministre", "ministre des Affaires étrangères", "ambassadeur",
         "ministre de la Défense", "porte-parole", "secrétaire général", "envoyé spécial",
         "vice-président", "conseiller diplomatique"]
FIRST = ["Ahmed", "Anna", "Boris", "Carlos", "Chen", "Dmitri", "Élise", "Fatou", "Giorgos", "Hana",
         "Ibrahim", "Jean", "Kemal", "Leïla", "Maria", "Nadia", "Olaf", "Pedro", "Rania", "Sergueï",
         "Tarek", "Ursula", "Viktor", "Wang", "Yasmine", "Zoran", "Aïcha", "Björn", "Cyril", "Dilma"]
SYLLABLES = ["ba", "ko", "ri", "sa", "mu", "le", "ta", "vo", "ni", "ga", "dé", "lo", "ra", "ki",
             "me", "zu", "pa", "ho", "ne", "ï", "ch", "tr", "ov", "ez", "an", "ul"]
TOPIC_WORDS = ["processus de paix", "sécurité régionale", "coopération économique", "énergie",
               "migrations", "lutte contre le terrorisme", "nucléaire", "climat", "commerce",
               "santé publique", "droits de l'homme", "réfugiés", "sanctions", "cessez-le-feu",
               "reconstruction", "investissements", "eau", "cybersécurité", "agriculture", "dette"]


def _name(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()


def _unique(rng: random.Random, seen: set[str], make) -> str:
    """A fresh name whose slug is unused (IRIs are built from slugs)."""
    for attempt in itertools.count():
        name = make() if attempt < 20 else f"{make()} {attempt}"
        if slugify(name) not in seen:
            seen.add(slugify(name))
            return name
    raise AssertionError("unreachable")


def _fr(text: str) -> Literal:
    return Literal(text, lang="fr")


def synthetic_graph(*, actors: int = 2000, interactions: int = 10000, seed: int = 7) -> Graph:
    """An rdflib Graph of ``actors`` actors and ``interactions`` asserted interactions."""
    if actors < 2 or interactions < 1:
        raise ValueError("need at least 2 actors and 1 interaction")
    rng = random.Random(seed)
    g = Graph()
    bind_prefixes(g)
    for prefix in ("person", "state", "org", "place", "topic", "event", "doc"):
        g.bind(prefix, URIRef(f"{RES}{prefix}/"))

    n_states = min(195, max(1, actors // 10))
    n_orgs = max(0, min(actors - n_states - 1, actors // 10))
    n_persons = actors - n_states - n_orgs
    seen: set[str] = set()

    states = []
    for i in range(n_states):
        name = _unique(rng, seen, lambda: _name(rng, rng.randint(2, 4)) + rng.choice(["ie", "an", "ande", "istan", "a"]))
        iri = RES[f"state/{slugify(name)}"]
        g.add((iri, RDF.type, DIP.State))
        g.add((iri, RDFS.label, _fr(name)))
        g.add((iri, SKOS.altLabel, _fr(f"la capitale de {name}")))
        g.add((iri, DIP.isoCode, Literal(f"{chr(65 + i // 26 % 26)}{chr(65 + i % 26)}")))
        g.add((iri, OWL.sameAs, WD[f"Q{1000 + i}"]))
        states.append((iri, name))
    orgs = []
    for i in range(n_orgs):
        name = _unique(rng, seen, lambda: "Organisation " + _name(rng, 3))
        iri = RES[f"org/{slugify(name)}"]
        g.add((iri, RDF.type, DIP.Organization))
        g.add((iri, RDFS.label, _fr(name)))
        g.add((iri, SKOS.altLabel, _fr("O" + name.split()[-1][:3].upper())))
        orgs.append((iri, name))
    persons = []
    for _ in range(n_persons):
        name = _unique(rng, seen, lambda: f"{rng.choice(FIRST)} {_name(rng, rng.randint(2, 4))}")
        iri = RES[f"person/{slugify(name)}"]
        role = rng.choice(ROLES)
        g.add((iri, RDF.type, DIP.Person))
        g.add((iri, RDFS.label, _fr(name)))
        g.add((iri, SKOS.altLabel, _fr(f"M. {name.split()[-1]}")))
        g.add((iri, SKOS.altLabel, _fr(f"le {role} {name}")))
        g.add((iri, DIP.role, Literal(role)))
        if orgs and rng.random() < 0.15:
            g.add((iri, DIP.represents, rng.choice(orgs)[0]))
        else:
            g.add((iri, DIP.represents, rng.choice(states)[0]))
        persons.append((iri, name))

    places = []
    for _ in range(max(1, actors // 10)):
        name = _unique(rng, seen, lambda: _name(rng, rng.randint(2, 3)))
        iri = RES[f"place/{slugify(name)}"]
        g.add((iri, RDF.type, DIP.Place))
        g.add((iri, RDFS.label, _fr(name)))
        g.add((iri, DIP.inState, rng.choice(states)[0]))
        places.append((iri, name))
    topics = []
    for i in range(max(1, actors // 8)):
        name = f"{TOPIC_WORDS[i % len(TOPIC_WORDS)]} ({i // len(TOPIC_WORDS) + 1})"
        iri = RES[f"topic/{slugify(name)}"]
        g.add((iri, RDF.type, DIP.Topic))
        g.add((iri, RDFS.label, _fr(name)))
        topics.append((iri, name))

    start = dt.date(2015, 1, 1)
    documents = []
    for i in range(max(1, interactions // 2)):
        ident = f"depeche-{i:06d}.txt"
        iri = RES[f"doc/{slugify(ident)}"]
        day = start + dt.timedelta(days=rng.randrange(3650))
        g.add((iri, RDF.type, DIP.Document))
        g.add((iri, DCTERMS.identifier, Literal(ident)))
        g.add((iri, DCTERMS.title, _fr(f"Dépêche {i} : diplomatie & «\u00a0{rng.choice(TOPIC_WORDS)}\u00a0»")))
        g.add((iri, DCTERMS.date, Literal(day.isoformat(), datatype=XSD.date)))
        documents.append((iri, day))

    everyone = states + orgs + persons
    order = list(range(len(everyone)))
    rng.shuffle(order)
    cumulative = list(itertools.accumulate(1.0 / (rank + 1) ** 0.9 for rank in range(len(order))))
    # the first interactions pair the actors off, so that each one takes part at least once
    cover = [order[i:i + 2] for i in range(0, len(order) - 1, 2)]
    if len(order) % 2:
        cover[-1].append(order[-1])
    mode_weights = [m[2] for m in MODES]
    slugs_used: set[str] = set()
    for n in range(interactions):
        if n < len(cover):
            chosen = [everyone[i] for i in cover[n]]
        else:
            k = 3 if rng.random() < 0.1 else 2
            picked: list[int] = []
            while len(picked) < k:
                i = order[rng.choices(range(len(order)), cum_weights=cumulative)[0]]
                if i not in picked:
                    picked.append(i)
            chosen = [everyone[i] for i in picked]
        cls, label, _, cameo, plover = rng.choices(MODES, weights=mode_weights)[0]
        directed = len(chosen) == 2 and rng.random() < 0.75
        doc_iri, doc_day = rng.choice(documents)
        day = doc_day - dt.timedelta(days=rng.randrange(3)) if rng.random() < 0.9 else None
        slug = "-".join([day.isoformat() if day else "undated", cls.split("#")[-1].lower(),
                         *(slugify(name) for _, name in chosen[:2])])
        if slug in slugs_used:
            slug += f"-{n}"
        slugs_used.add(slug)
        ev = RES[f"event/{slug}"]
        g.add((ev, RDF.type, DIP.Interaction))
        g.add((ev, RDF.type, cls))
        sep = " → " if directed else " — "
        g.add((ev, RDFS.label, _fr(f"{label} : {sep.join(name for _, name in chosen)}")))
        if directed:
            g.add((ev, DIP.initiator, chosen[0][0]))
            g.add((ev, DIP.addressee, chosen[1][0]))
        for iri, _ in chosen:
            g.add((ev, DIP.participant, iri))
        for act in rng.sample(ACTS, rng.choice([0, 1, 1, 2, 2, 3])):
            g.add((ev, DIP.act, act))
        about = rng.sample(topics, rng.randint(0, 2)) + rng.sample(places, rng.randint(0, 1)) \
            + rng.sample(states, rng.choice([0, 0, 1]))
        for iri, _ in about:
            g.add((ev, DIP.topic, iri))
        if day:
            g.add((ev, DIP.date, Literal(day.isoformat(), datatype=XSD.date)))
        if rng.random() < 0.3:
            g.add((ev, DIP.place, rng.choice(places)[0]))
        g.add((ev, DIP.modality, DIP.Asserted))
        g.add((ev, DIP.confidence, Literal(Decimal(rng.randrange(50, 96)) / 100, datatype=XSD.decimal)))
        first, second = chosen[0][1], chosen[1][1]
        g.add((ev, DIP.evidence, _fr(
            f"{first} s'est entretenu avec {second} de {rng.choice(TOPIC_WORDS)}, "
            f"a indiqué un communiqué publié à l'issue de l'échange (réf. {n}).")))
        if rng.random() < 0.2:
            g.add((ev, DIP.evidence, _fr(
                f"Selon {first}, les deux parties « ont progressé » sur le dossier <{rng.choice(TOPIC_WORDS)}> & la suite.")))
        if rng.random() < 0.2:
            g.add((ev, DIP.quote, _fr(f"nous avançons ensemble vers {rng.choice(TOPIC_WORDS)}")))
        g.add((ev, DIP.cameoCode, Literal(cameo)))
        g.add((ev, DIP.ploverCategory, Literal(plover)))
        g.add((ev, PROV.wasDerivedFrom, doc_iri))
        if rng.random() < 0.15:
            g.add((ev, PROV.wasDerivedFrom, rng.choice(documents)[0]))
    return g
