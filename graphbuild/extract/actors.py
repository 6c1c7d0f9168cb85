"""Within-document actor resolution: named persons merged by surname,
nominal mentions, pronouns and "les deux dirigeants" resolved to them,
states and organisations as actors."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..lexicon import KnownPerson, Lexicon, fold, sound_key
from ..records import Actor
from .mentions import PARTICLES, Mention

HEAD_RANKS = {"head_of_state", "royal", "leader"}
PATRONYMIC = {"ben", "bin", "ibn", "bint", "ould", "ag", "ibni"}  # "X ben Y": Y is the father
PARTICLE_KEYS = PARTICLES | {sound_key(p) for p in PARTICLES}  # as lexicon.person_tokens gives them

COMPATIBLE = {
    "head_of_state": {"head_of_state", "leader", "royal", None},
    "royal": {"royal", "head_of_state", "leader", None},
    "head_of_government": {"head_of_government", "leader", None},
    "foreign_minister": {"foreign_minister", "minister", None},
    "minister": {"minister", "foreign_minister", None},
    "leader": {"head_of_state", "head_of_government", "royal", "leader", None},
    "counterpart": None,  # anything
    "diplomat": {"diplomat"},
    "official": {"official", None},
    "military": {"military", "head_of_state", None},
    "international_official": {"international_official", None},
    "authority": set(),  # "les autorités congolaises": the state itself
}


_AMBIGUOUS: dict[int, frozenset] = {}


def _ambiguous_pairs(lexicon: Lexicon) -> frozenset:
    got = _AMBIGUOUS.get(id(lexicon))
    if got is None:
        got = frozenset(frozenset((a.iso2, b.iso2)) for states in lexicon.demonyms.values()
                        for a in states for b in states if a.iso2 != b.iso2)
        _AMBIGUOUS[id(lexicon)] = got
    return got


def name_tokens(name: str) -> list[str]:
    return [t for t in fold(name).replace("-", " ").split() if t not in PARTICLES and len(t) > 1]


@dataclass
class Person:
    key: str
    names: list[str] = field(default_factory=list)
    role: str | None = None
    rank: str | None = None
    states: dict[str, int] = field(default_factory=dict)  # iso2 -> votes
    org: str | None = None
    gender: str = ""
    last_sent: int = -1
    ranks: set[str] = field(default_factory=set)  # every office the text gives ("vice-Premier ministre, ministre des AE")
    known: KnownPerson | None = None  # the office holder of the gazetteer this person is
    deceased: bool = False

    @property
    def name(self) -> str:
        full = [n for n in self.names if len(name_tokens(n)) >= 2]
        pool = full or self.names
        if not full and self.known is not None:
            return self.known.name
        return max(pool, key=lambda n: (len(name_tokens(n)), len(n), n))

    @property
    def state(self) -> str | None:
        if not self.states:
            return self.known.state or None if self.known is not None else None
        voted = max(sorted(self.states), key=lambda s: self.states[s])
        if self.known is not None and self.known.state and self.known.state != voted:
            return self.known.state  # matched across an ambiguous demonym: the gazetteer knows better
        return voted

    @property
    def affiliation_org(self) -> str | None:
        if self.org:
            return self.org
        if self.known is not None and self.known.org and not self.states:
            return self.known.org
        return None


class ActorTable:
    """The actors of one document, filled as mentions are resolved."""

    def __init__(self, lexicon: Lexicon, home_state: str | None = None, year: int | None = None) -> None:
        self.lex = lexicon
        self.year = year
        # state pairs one demonym can name ("congolais": Congo and the DRC)
        self.ambiguous = _ambiguous_pairs(lexicon)
        self.persons: dict[str, Person] = {}
        self.states: set[str] = set()
        self.orgs: set[str] = set()
        self.aliases: dict[str, set[str]] = {}  # state and organisation keys -> phrases used for them
        self.home_state = home_state
        self.recent: list[tuple[int, str]] = []  # (sentence, person key) in mention order
        self.subjects: list[str] = []

    # --------------------------------------------------------------- persons
    def _find_person(self, name: str, role: str | None = None) -> Person | None:
        toks = name_tokens(name)
        if not toks:
            return None
        best = None
        for p in self.persons.values():
            for n in p.names:
                ptoks = name_tokens(n)
                if not ptoks:
                    continue  # a name of particles only ("Al")
                short, long_ = (toks, ptoks) if len(toks) <= len(ptoks) else (ptoks, toks)
                if len(short) == 1 and short[0] != long_[-1] and role and p.role and fold(role) != fold(p.role):
                    continue  # "le prince William" is not "le président William Ruto"
                if toks == ptoks or (set(short) <= set(long_) and (
                        len(short) == 1 or short[0] == long_[0] or self._tail(short, n if long_ is ptoks else name))):
                    # "Salmane ben Abdelaziz" is not "Mohammed ben Salmane ben Abdelaziz"
                    # a single token must be the surname-like last token or a token of a longer name
                    best = p
                    break
            if best:
                break
        return best

    @staticmethod
    def _tail(short: list[str], full: str) -> bool:
        """"López Obrador" ends "Andrés Manuel López Obrador"; but "Salmane ben
        Abdelaziz" is the father in "Mohammed ben Salmane ben Abdelaziz"."""
        words = [w for w in fold(full).replace("-", " ").split() if len(w) > 1]
        n = len(short)
        if len(words) <= n:
            return False
        kept = [w for w in words if w not in PARTICLES]
        if kept[-n:] != list(short):
            return False
        first = len(words) - 1 - words[::-1].index(short[0])
        return first > 0 and words[first - 1] not in PATRONYMIC

    def add_named(self, m: Mention) -> str:
        p = self._find_person(m.name or "", m.role)
        if p is None:
            key = f"p{len(self.persons) + 1}"
            p = Person(key)
            self.persons[key] = p
        if m.name and m.name not in p.names:
            p.names.append(m.name)
        self._enrich(p, m)
        if p.known is None:
            p.known = self._known(p)
            if p.known is not None:
                if p.rank is None:
                    p.rank = p.known.rank
                if p.role is None:
                    p.role = p.known.role
        return p.key

    def _known(self, p: Person) -> KnownPerson | None:
        """The gazetteer's office holder this person is: every token of the
        written name must be in one of the holder's names, a one-word name
        must be the holder's surname, and the holder must fit what the text
        says (state, organisation); one holder in office at the document's
        date wins over the others."""
        toks = max((self.lex.person_tokens(n) for n in p.names), key=len, default=())
        if not toks:
            return None
        cands: set[KnownPerson] = set()
        for t in toks:
            if t not in PARTICLE_KEYS:
                cands.update(self.lex.person_by_token.get(t, ()))
        fit = []
        for kp in sorted(cands, key=lambda k: (k.name, k.start or 0, k.end or 9999, k.role, k.rank, k.state, k.org)):
            names = [self.lex.person_tokens(n) for n in (kp.name, *kp.aliases)]
            if not any(set(toks) <= set(n) or (len(n) >= 2 and set(n) <= set(toks)) for n in names):
                continue
            if len(toks) == 1 and not any(n and (n[-1] == toks[0] or p.role and n[0] == toks[0]) for n in names):
                continue  # a surname, or a first name after a title ("le roi Salmane", "l'émir Tamim")
            if p.states and kp.state and kp.state not in p.states and \
                    not any(frozenset((kp.state, s)) in self.ambiguous for s in p.states):
                continue
            if p.org and kp.org and kp.org != p.org:
                continue
            fit.append(kp)
        if not fit:
            return None
        first = [kp for kp in fit if any(self.lex.person_tokens(n)[:1] == toks[:1] for n in (kp.name, *kp.aliases))]
        if len(toks) > 1 and first:
            fit = first  # "Mohammed ben Salmane ben Abdelaziz" is Mohammed, not Salmane
        if p.role:
            same_role = [kp for kp in fit if fold(kp.role) == fold(p.role)]
            if same_role:
                fit = same_role  # "le roi Salmane" is the king, not the crown prince Mohammed ben Salmane
            elif p.rank:
                same_rank = [kp for kp in fit if kp.rank == p.rank]
                if same_rank:
                    fit = same_rank  # "le prince William": the royal, not the minister William Hague
        people = {kp.name for kp in fit}
        now = [kp for kp in fit if kp.in_office(self.year)]
        if len({kp.name for kp in now}) == 1:
            return now[0]
        if len(people) == 1:
            return max(fit, key=lambda kp: kp.start or 0)
        return None

    def _enrich(self, p: Person, m: Mention) -> None:
        if m.role and (p.role is None or (p.rank == "counterpart")):
            p.role = m.role
        if m.rank and m.rank != "counterpart" and (p.rank is None or p.rank in ("leader", "counterpart")):
            p.rank = m.rank
        p.ranks.update(r for r in [m.rank, *m.more_ranks] if r and r != "counterpart")
        for s in m.states[:1]:
            p.states[s] = p.states.get(s, 0) + 1
        if m.org and not p.org:
            p.org = m.org
        if m.gender and not p.gender:
            p.gender = m.gender

    def _alias(self, key: str, m: Mention) -> None:
        text = " ".join(m.text.split())
        if text:
            self.aliases.setdefault(key, set()).add(text)

    def touch(self, key: str, sent: int, subject: bool = False) -> None:
        if key in self.persons:
            self.recent.append((sent, key))
            self.persons[key].last_sent = sent
            if subject:
                self.subjects.append(key)

    # ------------------------------------------------------------ nominals
    def resolve_nominal(self, m: Mention, exclude: set[str] = frozenset(), here: list[str] = ()) -> list[str]:
        """Persons a title-only phrase points at, most recent first (``here``: persons
        named earlier in the same sentence, first of all); a state actor when none
        is known."""
        wanted = m.states or [None]
        out: list[str] = []
        for state in wanted:
            key = None
            if state:  # "la visite de M. Petro ..., le président colombien avait été reçu": Petro
                key = self._best_person(state, m.rank, exclude | set(out), m.org, role=m.role, only=here)
            key = key or self._best_person(state, m.rank, exclude | set(out), m.org, role=m.role)
            if not key and state and m.rank in ("diplomat", "international_official"):
                key = self._envoy(exclude | set(out))
            if key:
                out.append(key)
            elif state and m.rank != "diplomat":  # an unnamed official stands for the state; envoys often serve others
                out.append(self.add_state(state, m))
        return out

    def _best_person(self, state, rank, exclude, org=None, role=None, only=None) -> str | None:
        compatible = COMPATIBLE.get(rank or "leader", None) if rank else None
        if only is not None:
            order = list(only)
        else:
            order = [k for _, k in reversed(self.recent)]
            order += sorted(self.persons)  # persons named later in the text (first pass)
        if rank in ("royal", "head_of_government", "foreign_minister", "international_official", "diplomat"):
            # "le roi": a person of that very rank first, the merely compatible ones after
            same = [k for k in order if self.persons[k].rank == rank or rank in self.persons[k].ranks]
            order = same + order
        if not state and rank in ("head_of_state", "head_of_government"):
            # an unqualified "le chef de l'Etat" is the head of the country the story is told from
            home = self.home_state or self._home()
            order = [k for k in order if home and self.persons[k].state == home] + order
        if role and not state:
            # "le chef de l'Etat", "le Président de la République": whoever was given that very title
            same = [k for k in order if self.persons[k].role and fold(self.persons[k].role) == fold(role)]
            order = same + order
        seen = set()
        for key in order:
            if key in seen or key in exclude:
                continue
            seen.add(key)
            p = self.persons[key]
            if p.deceased:
                continue
            if state and p.state != state:
                continue
            if org and p.org and p.org != org:
                continue
            if org and not p.org and not state:
                continue
            if compatible is not None and p.rank not in compatible and not (p.ranks & compatible):
                continue
            return key
        return None

    def _envoy(self, exclude: set[str]) -> str | None:
        """"le diplomate sénégalais" when nobody of Senegal is known: the most recent
        official of an organisation (whose nationality is not their affiliation)."""
        for _, key in reversed(self.recent):
            p = self.persons.get(key)
            if p is not None and key not in exclude and not p.deceased and p.state is None \
                    and p.affiliation_org and p.rank in ("diplomat", "international_official"):
                return key
        return None

    def resolve_pronoun(self, m: Mention, exclude: set[str] = frozenset()) -> list[str]:
        for key in reversed(self.subjects):
            p = self.persons.get(key)
            if p and key not in exclude and not p.deceased and (not m.gender or not p.gender or p.gender == m.gender):
                return [key]
        for _, key in reversed(self.recent):
            if key not in exclude:
                return [key]
        return []

    # ---------------------------------------------------- states and orgs
    def _add(self, prefix: str, members: set[str], code: str, m: Mention | None) -> str:
        key = f"{prefix}:{code}"
        members.add(code)
        if m is not None:
            self._alias(key, m)
        return key

    def add_state(self, iso2: str, m: Mention | None = None) -> str:
        return self._add("s", self.states, iso2, m)

    def add_org(self, org: str, m: Mention | None = None) -> str:
        return self._add("o", self.orgs, org, m)

    def seat_actor(self, m: Mention) -> str:
        """"le Kremlin", "la Maison-Blanche": the leader when the text names
        one, else the state."""
        iso = m.key or ""
        if m.seat_kind in ("head_of_state", "head_of_government"):
            rank = m.seat_kind
            key = self._best_person(iso, rank, set())
            if key:
                self._alias(key, m)
                return key
        return self.add_state(iso, m)

    def _home(self) -> str | None:
        """The state of the first person of the text whose state is known."""
        for key in sorted(self.persons, key=lambda k: int(k[1:]) if k[1:].isdigit() else 0):
            st = self.persons[key].state
            if st:
                return st
        return None

    # --------------------------------------------------------------- export
    def records(self, used: set[str]) -> list[Actor]:
        out: list[Actor] = []
        for key, p in sorted(self.persons.items()):
            if key not in used and not p.names:
                continue
            state = p.state
            home = self.home_state or self._home()
            if state is None and p.affiliation_org is None and home and p.role and \
                    p.rank not in ("international_official", "counterpart"):
                # "le Premier ministre, X" with no nationality: the country the story is told from
                state = home
            # the names the text gives, not the title phrases they came in ("le ministre turc, X"):
            # a person's labels are names; the role and state have their own properties
            aliases = sorted({a for a in p.names if a != p.name})
            org = p.affiliation_org
            out.append(Actor(key=key, type="person", name=p.name, aliases=aliases, role=p.role,
                             state=state, org=org, wikidata=p.known.wikidata or None if p.known else None))
            if state:
                self.states.add(state)
            if org:
                self.orgs.add(org)
        for iso in sorted(self.states):
            st = self.lex.state(iso)
            if st is None:
                continue
            key = f"s:{iso}"
            aliases = sorted({a for a in self.aliases.get(key, set())} - {st.name})
            out.append(Actor(key=key, type="state", name=st.name, aliases=aliases, iso2=iso,
                             wikidata=st.wikidata or None))
        for org in sorted(self.orgs):
            o = self.lex.org_by_key.get(org)
            if o is None:
                continue
            key = f"o:{org}"
            aliases = sorted(set(o.acronyms) | {a for a in self.aliases.get(key, set())} - {o.name})
            out.append(Actor(key=key, type="organization", name=o.name, aliases=aliases, org_key=org,
                             wikidata=o.wikidata or None, state=o.state or None))
        return out
