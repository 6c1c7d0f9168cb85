"""One parsed document -> :class:`~graphbuild.records.DocExtraction`."""
from __future__ import annotations


from datetime import date, timedelta

from spacy.tokens import Doc, Span

from ..lexicon import Lexicon, fold
from ..records import DocExtraction, Document, Interaction
from .actors import ActorTable
from .attach import Attacher
from .frames import Frame, FrameReader, TriggerMatcher, sentence_words
from .mentions import Mention, MentionFinder

__all__ = ["Extractor", "extract"]


class Extractor:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self.finder = MentionFinder(lexicon)
        self.matcher = TriggerMatcher(lexicon)
        self.frames = FrameReader(lexicon, self.matcher)
        self.attacher = Attacher(lexicon, self.matcher)
        self.deceased = {t.form for t in lexicon.triggers_of("deceased")}  # "feu l'Emir"
        self.separately = {t.form for t in lexicon.triggers_of("separately")}  # "reçus séparément"
        self.join_glue = {t.form for t in lexicon.triggers_of("join_glue")}  # "a également", "pour sa part"
        self.anaphoric = {t.form for t in lexicon.triggers_of("anaphoric")}  # "l'audience", "cet entretien"

    def __call__(self, document: Document, sdoc: Doc) -> DocExtraction:
        sents = list(sdoc.sents)
        self.finder.dateline = None
        mentions = [self.finder.find(s, i) for i, s in enumerate(sents)]
        year = int(document.date[:4]) if document.date and document.date[:4].isdigit() else None
        table = ActorTable(self.lex, home_state=self._home(document), year=year)
        for ms in mentions:  # first pass: everybody named
            for m in ms:
                if m.kind == "person":
                    m.actor = [table.add_named(m)]
                    if fold(sdoc[max(m.start - 1, 0)].text) in self.deceased or fold(sdoc[m.start].text) in self.deceased:
                        table.persons[m.actor[0]].deceased = True  # "feu l'Emir Cheikh Nawaf"
        interactions: list[Interaction] = []
        current: Interaction | None = None
        used: set[str] = set()
        mediated: list[tuple[Interaction, Interaction]] = []
        joined: set[tuple[int, str]] = set()  # (interaction id, guest who joined it later)
        past: set[int] = set()  # ids of contacts told in the pluperfect: before the trip reported
        for i, (sent, ms) in enumerate(zip(sents, mentions)):
            frames = self.frames.frames(sent, ms)
            self._resolve(ms, table, current, frames)
            new: list[Interaction] = []
            for f in frames:
                it = self._interaction(f, table, sent, i, current)
                if it is None:
                    continue
                self.attacher.modality(it, sent, f, document)
                earlier = self._pluperfect(sent.doc, f.start, sent.start)
                if self._reports_current(f, it, current, sent, table, earlier):
                    self.attacher.enrich(current, sent, ms, document, trigger=None, table=table, own=False)
                    continue
                same = self._same(it, interactions + new, strict=earlier)
                if same is not None:
                    self._merge(same, it)
                    it = same
                else:
                    new.append(it)
                current = it
                self.attacher.enrich(it, sent, ms, document, trigger=f, table=table, own=True)
                if it.date is None:
                    self._date_from_earlier(it, sent, interactions + new)
                if earlier and same is None and not self._near(it.date, document.date):
                    past.add(id(it))  # "s'étaient déjà rencontrés la semaine dernière à Doha"
            interactions.extend(new)
            if current is not None and current.mode == "message":
                # "a reçu X, porteur d'un message de Y": what follows is said at the audience
                occasion = [x for x in new if x.mode in ("meeting", "visit", "phone_call") and x.modality == "asserted"]
                if occasion:
                    current = occasion[-1]
            current = self._third_parties(sent, ms, table, new, current, interactions, mediated, joined)
            self._delegates(sent, ms, table, interactions)
            current = self._heads_of_delegations(sent, ms, table, interactions, sents, i, document) or current
            if not frames and current is not None and self.attacher.continues(current, sent, ms, table):
                self.attacher.enrich(current, sent, ms, document, trigger=None, table=table, own=False)
            for m in ms:
                for key in m.actor:
                    table.touch(key, i, subject=m.prep is None and m.kind in ("person", "nominal", "pronoun"))
        self._visits(interactions, sents, table, past, mentions)
        interactions += self._guests_together(interactions, sents, table, mentions, joined)
        interactions = self._prune(interactions, table)
        for it in interactions:
            if it.mode == "message" and it.date is None and it.modality == "asserted":
                # a letter handed over at an audience reported next to it bears the audience's date
                met = next((x for x in interactions if x.mode in ("meeting", "visit") and x.date
                            and x.modality == "asserted" and abs(x.sentence - it.sentence) <= 2
                            and set(it.addressee) & set(x.participants)), None)
                if met is not None:
                    it.date = met.date
        for med, target in mediated:
            med.acts = list(target.acts)
            med.topics = list(target.topics)
            med.date = med.date or target.date
        for it in interactions:
            used.update(it.initiator + it.addressee + it.participants + list(it.quote_by.values()))
            self.attacher.finish(it)
        actors = table.records(used)
        return DocExtraction(doc=document, actors=actors, interactions=interactions)

    def _reports_current(self, f: Frame, it: Interaction, current: Interaction | None, sent: Span,
                         table: ActorTable, earlier: bool) -> bool:
        """Does this frame tell again of the contact just reported (whose acts and
        topics it then adds to) rather than of a new one?"""
        if current is None:
            return False
        if f.cue == "verb_statement" and self._covered(it.participants, current.participants, table):
            return True  # words said to the other party of the contact just reported belong to it
        if earlier or it.modality != "asserted":
            return False  # "s'étaient déjà rencontrés": an earlier contact
        inside = set(it.participants) <= set(current.participants)
        if it.mode in ("meeting", "negotiation") and inside \
                and all(m.kind in ("pair", "pronoun") for m in f.initiator + f.addressee + f.others):
            return True  # "les deux hommes se sont entretenus"
        if current.modality != "asserted" or not f.cue.startswith("noun"):
            return False
        if inside and (it.mode == current.mode or {it.mode, current.mode} <= {"meeting", "visit"}) \
                and sent.doc[f.start - 1].lower_ in self.anaphoric:
            return True  # "Au terme de l'audience, X a ...": the audience just reported
        # "« J'ai eu une conversation productive avec le Premier ministre »": the call just reported
        return f.cue == "noun" and it.mode == "meeting" and current.mode in ("phone_call", "visit", "meeting") \
            and set(it.participants) == set(current.participants)

    def _home(self, document: Document) -> str | None:
        """The country the story is told from: its dateline ("ALGER -", "Le Caire /AA/ -"),
        else the state of a national news agency named as its source ("APS")."""
        if self.finder.dateline:
            return self.finder.dateline
        org = self.lex.org_names.get(document.source or "") or self.lex.org_names.get(fold(document.source or ""))
        return org.state or None if org is not None else None

    # ---------------------------------------------------------- resolution
    def _resolve(self, ms: list[Mention], table: ActorTable, current: Interaction | None,
                 frames: list[Frame]) -> None:
        for m in ms:
            if m.actor:
                continue
            if m.kind == "nominal":
                exclude: set[str] = set()
                if m.rank == "counterpart" and not m.states:
                    # "son homologue": the partner of the subject of this sentence
                    subj = next((x for x in ms if x.prep is None and x.actor and x is not m), None)
                    exclude = set(subj.actor) if subj else set()
                    if current and subj:
                        others = [k for k in current.participants if k not in exclude]
                        if others:
                            m.actor = others[:1]
                            continue
                here = [k for x in ms if x.kind == "person" and x.end <= m.start for k in x.actor
                        if k in table.persons]
                m.actor = table.resolve_nominal(m, exclude, here=here[::-1])
            elif m.kind == "pronoun":
                # an object pronoun ("l'a accueilli") is not the subject of its own clause
                exclude = {k for x in m.not_of for k in x.actor}
                if m.rank == "object" and m.prep == "avec":  # "il s'est entretenu avec lui": not the subject
                    exclude |= {k for x in ms if x is not m and x.start < m.start and x.prep is None for k in x.actor}
                if m.rank == "object":
                    # "X s'est entretenu avec Y, qui l'a reçu": first the other person of the sentence
                    here = [k for x in ms if x is not m and x.start < m.start and x.kind in ("person", "nominal")
                            and x.prep in (None, "et", "avec", "par")
                            for k in x.actor if k not in exclude and k in table.persons]
                    if here:
                        m.actor = here if m.plural else here[:1]  # "qui les a accueillis": both
                        continue
                else:
                    # "X effectue une visite à Washington, où il a été reçu par Y": the subject before it
                    here = [k for x in ms if x is not m and x.start < m.start and x.kind in ("person", "nominal")
                            and x.prep is None for k in x.actor if k not in exclude and k in table.persons]
                    if here:
                        m.actor = here[:1]
                        continue
                m.actor = table.resolve_pronoun(m, exclude)
            elif m.kind == "pair":
                here = [k for x in ms if x is not m and x.start < m.start and x.kind in ("person", "nominal")
                        and x.prep in (None, "et") for k in x.actor if k in table.persons]
                if fold(m.text) in ("ils", "elles") and len(set(here)) >= 2:
                    m.actor = list(dict.fromkeys(here))  # "X et Y se sont rendues à Tunis, où elles ..."
                    continue
                if current is not None:
                    m.actor = list(current.participants)
                else:
                    recent = []
                    for _, k in reversed(table.recent):
                        if k not in recent:
                            recent.append(k)
                        if len(recent) == 2:
                            break
                    m.actor = recent
            elif m.kind == "state" and m.key:
                if m.seat_kind in ("head_of_state", "head_of_government"):
                    m.actor = [table.seat_actor(m)]
                else:
                    m.actor = [table.add_state(m.key, m)]
            elif m.kind == "org" and m.key:
                m.actor = [table.add_org(m.key, m)]

    @staticmethod
    def _keys(ms: list[Mention]) -> list[str]:
        out: list[str] = []
        for m in ms:
            for k in m.actor:
                if k not in out:
                    out.append(k)
        return out

    def _interaction(self, f: Frame, table: ActorTable, sent: Span, index: int,
                     current: Interaction | None) -> Interaction | None:
        ini = self._keys(f.initiator)
        addr = self._keys(f.addressee)
        others = self._keys(f.others)
        if f.cue == "carried":
            # the carrier hands the message to the other party of the audience being reported
            if current is None or current.modality != "asserted" or current.mode not in ("meeting", "visit"):
                return None
            carrier = set(others)
            if not carrier & set(current.participants):
                return None
            addr = [k for k in current.participants if k not in carrier and k not in ini][:1]
            others = []
        if f.destination is not None and not addr:
            dest = f.destination
            if dest.kind == "state" and dest.key:
                addr = [table.add_state(dest.key)]
            elif dest.kind == "place" and dest.key:
                place = self.lex.place_names.get(fold(dest.key))
                if place and place.iso2:
                    addr = [table.add_state(place.iso2)]
        if f.directed:
            addr = [k for k in addr if k not in ini]
            if not ini or not addr:
                return None
            parts = ini + [k for k in addr if k not in ini]
            it = Interaction(mode=f.mode, initiator=ini, addressee=addr, participants=parts, directed=True)
        else:
            parts = []
            for k in ini + others + addr:
                if k not in parts:
                    parts.append(k)
            if len(parts) < 2:
                return None
            it = Interaction(mode=f.mode, participants=parts, directed=False)
        # persons beat the state they represent: "Poutine" and "la Russie" are not two parties
        it.confidence = round(f.confidence, 2)
        it.trigger = sent.doc[f.start:f.end].text
        it.sentence = index
        it.evidence = [sent.text.strip()]
        if f.destination is not None and f.destination.key:
            it.place = f.destination.key if f.destination.kind == "place" else f"state:{f.destination.key}"
        return it

    @staticmethod
    def _covered(keys: list[str], parties: list[str], table: ActorTable) -> bool:
        """Every key is a party, or a state one of the parties stands for
        ("a mis en garde Washington" in a call with the US president)."""
        states = {table.persons[k].state for k in parties if k in table.persons}
        return all(k in parties or k.startswith("s:") and k[2:] in states for k in keys)

    def _prune(self, interactions: list[Interaction], table: ActorTable) -> list[Interaction]:
        """A person does not meet or visit the state they stand for, and a
        stop in a state is no separate visit when the traveller met persons
        of that state there."""
        def state_of(key: str) -> str | None:
            side = self._side(key, table)
            return side[2:] if side and side.startswith("s:") else None

        met: set[tuple[str, str]] = set()
        for it in interactions:
            for a in it.initiator or it.participants:
                for b in it.addressee or it.participants:
                    if a != b and not b.startswith("s:") and state_of(b):
                        met.add((a, state_of(b)))
                    if a != b and not a.startswith("s:") and state_of(a):
                        met.add((b, state_of(a)))  # the guest met the host's country too
        out = []
        for it in interactions:
            if it.directed and it.addressee and all(k.startswith("s:") for k in it.addressee):
                # "les deux responsables se sont rendus à Boutcha": not the Ukrainian among them
                it.initiator = [k for k in it.initiator if ("s:" + (state_of(k) or "")) not in it.addressee]
                if not it.initiator:
                    continue
                it.participants = it.initiator + it.addressee
            parts = it.participants
            states = [k for k in parts if k.startswith("s:")]
            persons = [k for k in parts if k in table.persons]
            if states and persons and len(parts) == 2 and state_of(persons[0]) == states[0][2:]:
                continue  # "Zelensky -> Ukraine"
            if it.mode == "visit" and it.addressee and all(k.startswith("s:") for k in it.addressee) and \
                    all((ini, k[2:]) in met for ini in it.initiator for k in it.addressee):
                continue
            out.append(it)
        return out

    def _guests_together(self, interactions: list[Interaction], sents: list[Span],
                         table: ActorTable, mentions: list[list[Mention]],
                         joined: set[tuple[int, str]]) -> list[Interaction]:
        """Talks among three or more are annotated pair by pair: the guests a
        host receives together also meet each other (not when received
        "séparément", "tour à tour", "puis"), and so does a guest who joins
        them later ("les deux hommes ont été rejoints par X")."""
        out = []
        for it in interactions:
            if it.mode != "meeting" or not it.directed or it.modality != "asserted" or len(it.addressee) < 2:
                continue
            words = set(sentence_words(sents[it.sentence]))
            if words & self.separately:
                continue
            named = {k for m in mentions[it.sentence] if m.kind in ("person", "nominal", "pronoun") for k in m.actor}
            named |= {k for i, k in joined if i == id(it)}
            guests = [k for k in it.addressee if k in table.persons and k in named]
            sides = [self._side(k, table) for k in guests]
            if len(guests) < 2 or None in sides or len(set(sides)) < len(guests):
                continue  # colleagues of one delegation, or a side not known, do not meet each other
            out.append(Interaction(mode="meeting", participants=guests, directed=False, date=it.date,
                                   acts=[a for a in it.acts if a in ("discuss", "agree")], topics=list(it.topics),
                                   confidence=round(min(it.confidence, 0.6), 2), evidence=list(it.evidence),
                                   trigger=it.trigger, sentence=it.sentence, place=it.place))
        return out

    @staticmethod
    def _side(key: str, table: ActorTable) -> str | None:
        """The state or organisation an actor stands for."""
        if key.startswith(("s:", "o:")):
            return key
        p = table.persons.get(key)
        if p is None:
            return None
        if p.state:
            return "s:" + p.state
        return "o:" + p.affiliation_org if p.affiliation_org else None

    def _visits(self, interactions: list[Interaction], sents: list[Span], table: ActorTable,
                past: set[int], mentions: list[list[Mention]]) -> None:
        """Talks held by somebody on a trip are a visit (traveller -> person
        met), unless somebody is said to receive the traveller: travellers are
        those who make a visit, and guests received in a sentence that says
        they are visiting."""
        travellers: set[str] = set()
        trips: dict[int, str] = {}  # meetings whose own sentence tells whose trip it is
        stated: set[str] = set()  # said to travel, not only guests from abroad
        hosted_by: dict[str, set[str | None]] = {}  # guest -> sides of the hosts who received them
        for it in interactions:
            if it.modality != "asserted":
                continue
            if it.mode == "visit":
                travellers.update(it.initiator)
                stated.update(it.initiator)
            elif it.mode == "meeting" and not it.directed and it.participants:
                # "X a rencontré Y ..., au premier jour d'une visite de trois jours": the subject travels;
                # "lors de la tournée asiatique de M. Biden": the person the trip is of
                sent = sents[it.sentence]
                hits = [h for h in self.matcher.find(sentence_words(sent), "mode", sent.start)
                        if h.trigger.value == "visit" and h.trigger.cue == "noun_visit"]
                if hits:
                    of = [k for m in mentions[it.sentence] for h in hits if h.end <= m.start <= h.end + 3
                          and m.prep == "de" for k in m.actor if k in it.participants]
                    who = of[0] if of else it.participants[0]
                    travellers.add(who)
                    stated.add(who)
                    trips[id(it)] = who
            elif it.mode == "meeting" and it.directed:
                hits = self.matcher.find(sentence_words(sents[it.sentence]), "mode")
                if any(h.trigger.value == "visit" for h in hits):
                    travellers.update(it.addressee)
                    stated.update(it.addressee)
                else:  # a guest received by a host of another country has come from abroad
                    host = {self._side(k, table) for k in it.initiator}
                    for k in it.addressee:
                        if self._side(k, table) not in host | {None}:
                            travellers.add(k)
                            hosted_by.setdefault(k, set()).update(host)
        for it in interactions:
            if it.mode != "meeting" or it.directed or it.modality != "asserted" or id(it) in past and id(it) not in trips:
                continue
            going = [trips[id(it)]] if id(it) in trips else [k for k in it.participants if k in travellers]
            if len(going) == 1 and len(it.participants) == 2 and going[0] not in stated:
                # a guest from abroad visits only the people of the country that received them, or of
                # a country the sentence places the talks in ("La veille, au Guatemala, elle s'était
                # entretenue avec ..."); not a third party met on neutral ground
                other = self._side(next(k for k in it.participants if k not in going), table)
                here = {"s:" + m.key for m in mentions[it.sentence] if m.kind == "state" and m.key
                        and m.prep in ("à", "en", "au", "aux")}
                if other is not None and other not in hosted_by.get(going[0], set()) | here:
                    continue
            if len(going) == 1 and len(it.participants) == 2:
                it.mode = "visit"
                it.directed = True
                it.initiator = going
                it.addressee = [k for k in it.participants if k not in going]
                it.participants = it.initiator + it.addressee

    def _third_parties(self, sent: Span, ms: list[Mention], table: ActorTable, new: list[Interaction],
                       current: Interaction | None, interactions: list[Interaction],
                       mediated: list[tuple[Interaction, Interaction]],
                       joined: set[tuple[int, str]]) -> Interaction | None:
        """"sous l'égide de X": X met each party (mediator -> party);
        "ont pris part à cette audience X", "en présence de X": X joins the
        meeting, on the host's side when of the host's state, else as a guest."""
        words = sentence_words(sent)
        target = new[-1] if new else current
        if target is not None and target.mode == "message":
            # "L'audience s'est déroulée en présence de X" after a letter handed over: the audience
            target = next((x for x in reversed(interactions + new) if x.modality == "asserted"
                           and x.mode in ("meeting", "visit") and target.sentence - x.sentence <= 3), None)
        if target is None or target.mode not in ("meeting", "negotiation", "visit", "phone_call"):
            return current
        for hit in self.matcher.find(words, "third", sent.start):
            after = [m for m in ms if m.start >= hit.end and m.actor and m.kind in ("person", "nominal", "state", "org")
                     and m.start - hit.end <= 50]
            if hit.trigger.value == "join":
                # "La ministre X a également pris part à la rencontre": the subject joins
                before = [m for m in ms if m.end <= hit.start and m.actor and m.prep is None
                          and m.kind in ("person", "nominal")]
                if before and not any(t.pos_ in ("VERB", "AUX") or t.text == ";"
                                      for t in sent.doc[before[-1].end:hit.start]
                                      if fold(t.text) not in self.join_glue):
                    after = before[-1:]
            if not after:
                continue
            if hit.trigger.value == "mediator":
                if after[0].start - hit.end > 3 or after[0].kind not in ("person", "nominal"):
                    continue  # "sous l'égide des États-Unis": a sponsor, not somebody met
                med = after[0].actor[0]
                parties = [k for k in target.participants if k != med]
                if len(parties) < 1 or target.modality != "asserted":
                    continue
                if med in target.participants and not target.directed:
                    target.participants = parties
                it = Interaction(mode=target.mode, initiator=[med], addressee=parties,
                                 participants=[med] + parties, directed=True, date=target.date,
                                 modality=target.modality, confidence=round(min(target.confidence, 0.7), 2),
                                 evidence=[sent.text.strip()], trigger=sent.doc[hit.start:hit.end].text,
                                 sentence=target.sentence)
                interactions.append(it)
                mediated.append((it, target))
                continue
            joiners = [after[0]] + [m for m in after[1:] if m.prep in ("et", None) and m.kind in ("person", "nominal")]
            for m in joiners[:5]:
                key = m.actor[0]
                if key in target.participants or m.kind not in ("person", "nominal"):
                    continue
                if target.directed and target.initiator:
                    host = table.persons.get(target.initiator[0])
                    joiner = table.persons.get(key)
                    if host is not None and joiner is not None and (
                            joiner.state is None and joiner.org is None or host.state and host.state == joiner.state):
                        # an attendee whose country is not said is of the host's side
                        target.initiator.append(key)
                    else:
                        target.addressee.append(key)
                        joined.add((id(target), key))
                target.participants.append(key)
        return current

    def _date_from_earlier(self, it: Interaction, sent: Span, seen: list[Interaction]) -> None:
        """"Plus tôt dans la journée, ...", "La veille, ...", "Le lendemain, ...": the
        date of the contact reported before, shifted by the days said."""
        words = sentence_words(sent)
        shift = 0 if self.matcher.find(words, "same_day") else None
        for hit in self.matcher.find(words, "day_shift"):
            shift = int(hit.trigger.value)
        if shift is None and self.matcher.find(words, "also"):
            # "X s'est également entretenu avec Z": the day of X's contact just reported
            shared = [x.date for x in seen if x.date and x is not it and x.modality == "asserted"
                      and set(x.participants) & set(it.participants)]
            if shared:
                it.date = shared[-1]
            return
        if shift is None:
            return
        earlier = [x.date for x in seen if x.date and x is not it]
        if earlier:
            try:
                it.date = (date.fromisoformat(earlier[-1]) + timedelta(days=shift)).isoformat()
            except ValueError:
                return

    def _heads_of_delegations(self, sent: Span, ms: list[Mention], table: ActorTable,
                              interactions: list[Interaction], sents: list[Span], index: int,
                              document: Document) -> Interaction | None:
        """"La délégation pakistanaise, conduite par X, et l'équipe du Fonds, dirigée par Y,
        se sont entendues ...", after talks were reported: X and Y negotiated."""
        leaders: list[str] = []
        for _, m in self.frames.leaders(sent, ms, keep=lambda m: bool(m.actor) and m.actor[0] in table.persons):
            if m.actor[0] not in leaders:
                leaders.append(m.actor[0])
        if len(leaders) != 2:
            return None
        sides = {self._side(k, table) for k in leaders}
        if len(sides) < 2 and None not in sides:
            return None  # two leaders of one side
        talks = [(k, h) for k in range(max(0, index - 2), index + 1)
                 for h in self.matcher.find(sentence_words(sents[k]), "mode", sents[k].start)
                 if h.trigger.cue == "noun_nego"]
        if not talks:
            return None
        it = Interaction(mode="negotiation", participants=list(leaders), directed=False, confidence=0.7,
                         evidence=[sent.text.strip()], trigger=sent.doc[sent.start:sent.start].text, sentence=index)
        same = self._same(it, interactions)
        if same is not None:
            return same
        self.attacher.enrich(it, sent, ms, document, trigger=None, table=table, own=True)
        for k, h in [(index, None)] + talks[::-1]:  # the day said here, else the day the talks were reported
            if it.date is None:
                at = h.start if h is not None else sent.start
                self.attacher.date_of(it, sents[k], Frame("negotiation", at, at + 1, "noun_nego"), document)
        interactions.append(it)
        return it

    def _delegates(self, sent: Span, ms: list[Mention], table: ActorTable,
                   interactions: list[Interaction]) -> None:
        """"La délégation égyptienne, conduite par le ministre X, ...": X speaks
        for Egypt in the talks already reported between states."""
        leds = self.frames.leaders(sent, ms, reach=4, keep=lambda m: bool(m.actor) and m.actor[0] in table.persons)
        if not leds:
            return
        doc = sent.doc
        for d in self.matcher.find(sentence_words(sent), "delegation", sent.start):
            led, leader = next(((h, m) for h, m in leds if d.end <= h.start <= d.end + 6), (None, None))
            if led is None:
                continue
            states = [m.key for m in ms if m.kind == "state" and m.key and d.end <= m.start < led.start]
            for t in doc[d.end:led.start]:
                found = self.lex.demonyms.get(fold(t.text), ())
                if len(found) == 1:
                    states.append(found[0].iso2)
            if len(set(states)) != 1:
                continue
            key, state = leader.actor[0], "s:" + states[0]
            person = table.persons[key]
            if person.state not in (None, states[0]):
                continue
            for it in interactions:
                if it.mode not in ("negotiation", "meeting") or state not in it.participants \
                        or key in it.participants:
                    continue
                for keys in (it.initiator, it.addressee, it.participants):
                    keys[:] = [key if k == state else k for k in keys]
                if person.state is None:
                    person.states[states[0]] = 1

    @staticmethod
    def _near(day: str | None, reference: str | None, days: int = 3) -> bool:
        """Both dates known and at most ``days`` apart."""
        try:
            return abs((date.fromisoformat(day or "") - date.fromisoformat((reference or "")[:10])).days) <= days
        except ValueError:
            return False

    @staticmethod
    def _pluperfect(doc: Doc, start: int, floor: int) -> bool:
        """"s'étaient déjà rencontrés", "avait reçu": an auxiliary in the imperfect
        right before the trigger tells of a contact earlier than the one reported."""
        for tok in reversed(doc[max(floor, start - 4):start]):
            if tok.pos_ == "AUX":
                return "Imp" in tok.morph.get("Tense") and "Ind" in tok.morph.get("Mood")
            if tok.pos_ in ("VERB", "NOUN", "PROPN") or tok.is_punct:
                return False
        return False

    @staticmethod
    def _same(it: Interaction, seen: list[Interaction], strict: bool = False) -> Interaction | None:
        """The contact already reported that ``it`` is; ``strict`` (a pluperfect):
        only one of the very same date."""
        for other in seen:
            if other.mode == it.mode and set(other.participants) == set(it.participants) \
                    and other.modality == it.modality \
                    and (bool(it.date) and it.date == other.date if strict else (not it.date or not other.date or it.date == other.date)):
                return other
        return None

    @staticmethod
    def _merge(into: Interaction, it: Interaction) -> None:
        if not into.directed and it.directed:
            into.initiator, into.addressee, into.directed = it.initiator, it.addressee, True
        for ev in it.evidence:
            if ev not in into.evidence:
                into.evidence.append(ev)
        into.confidence = max(into.confidence, it.confidence)


_EXTRACTORS: dict[int, Extractor] = {}


def extract(document: Document, sdoc: Doc, lexicon: Lexicon) -> DocExtraction:
    ex = _EXTRACTORS.get(id(lexicon))
    if ex is None or ex.lex is not lexicon:
        ex = _EXTRACTORS[id(lexicon)] = Extractor(lexicon)
    return ex(document, sdoc)
