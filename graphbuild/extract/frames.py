"""Interaction triggers in a sentence and who plays which part.

A trigger (from ``triggers.tsv``) has a *cue* that says how its actors are
found: ``verb`` (subject -> object), ``recip`` (undirected), ``noun``
(frame read around it: "a reçu un appel de", "entre X et Y", "avec Y"),
``visit_verb`` / ``noun_visit`` (traveller -> host or state visited),
``noun_message`` (sender -> recipient), ``noun_nego`` (all parties).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..lexicon import split_form, Lexicon, Trigger, fold

from spacy.tokens import Doc, Span

from .mentions import Mention

ACTOR_KINDS = {"person", "nominal", "pronoun", "pair", "state", "org"}
CLAUSE_BREAKS = {";", ":", "«", "»", '"'}


@dataclass
class Hit:
    start: int
    end: int
    trigger: Trigger


@dataclass
class Frame:
    mode: str
    start: int
    end: int
    cue: str
    initiator: list[Mention] = field(default_factory=list)
    addressee: list[Mention] = field(default_factory=list)
    others: list[Mention] = field(default_factory=list)  # undirected partners
    destination: Mention | None = None
    directed: bool = True
    confidence: float = 0.8
    passive: bool = False
    hosted: bool = False  # somebody is said to receive the guest (a reception, a meal in their honour)


class TriggerMatcher:
    """Finds trigger phrases (folded words, ``*`` a prefix wildcard) in a
    sentence; at each position the longest phrase wins. Phrases are indexed by
    their first word (or its first letters for a wildcard) so a sentence costs
    a few dictionary look-ups per word."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.by_category: dict[str, list[tuple[list[str], Trigger]]] = {}
        for t in lexicon.triggers:
            words = split_form(t.form)
            self.by_category.setdefault(t.category, []).append((words, t))
        self._exact: dict[str, dict[str, list[tuple[int, list[str], Trigger]]]] = {}
        self._wild: dict[str, dict[str, list[tuple[int, list[str], Trigger]]]] = {}
        self._memo: dict[tuple[str, str], list[tuple[int, list[str], Trigger]]] = {}
        for category, lst in self.by_category.items():
            lst.sort(key=lambda x: -len(x[0]))
            exact: dict[str, list] = {}
            wild: dict[str, list] = {}
            for rank, (words, trig) in enumerate(lst):
                first = words[0]
                if first.endswith("*"):
                    wild.setdefault(first[:-1][:3], []).append((rank, words, trig))
                else:
                    exact.setdefault(first, []).append((rank, words, trig))
            self._exact[category], self._wild[category] = exact, wild

    @staticmethod
    def _word_match(pattern: str, word: str) -> bool:
        if pattern.endswith("*"):
            return word.startswith(pattern[:-1])
        return word == pattern

    def _candidates(self, category: str, word: str) -> list[tuple[int, list[str], Trigger]]:
        key = (category, word)
        got = self._memo.get(key)
        if got is None:
            got = self._memo[key] = self._lookup(category, word)
            if len(self._memo) > 200_000:
                self._memo.clear()
        return got

    def _lookup(self, category: str, word: str) -> list[tuple[int, list[str], Trigger]]:
        cands = list(self._exact.get(category, {}).get(word, ()))
        wild = self._wild.get(category, {})
        if wild:
            for k in {word[:n] for n in range(0, 4)}:
                cands.extend(c for c in wild.get(k, ()) if word.startswith(c[1][0][:-1]))
        cands.sort(key=lambda c: c[0])
        return cands

    def find(self, words: list[str], category: str, offset: int = 0) -> list[Hit]:
        hits: list[Hit] = []
        taken: set[int] = set()
        for i in range(len(words)):
            if i in taken:
                continue
            for _, pattern, trig in self._candidates(category, words[i]):
                n = len(pattern)
                if i + n <= len(words) and all(self._word_match(p, w) for p, w in zip(pattern, words[i:i + n])):
                    if any(k in taken for k in range(i, i + n)):
                        continue
                    hits.append(Hit(offset + i, offset + i + n, trig))
                    taken.update(range(i, i + n))
                    break
        return sorted(hits, key=lambda h: h.start)


def sentence_words(sent: Span) -> list[str]:
    """The folded words of a sentence (computed once per sentence and document)."""
    cache = sent.doc.user_data.setdefault("graphbuild_words", {})
    key = (sent.start, sent.end)
    words = cache.get(key)
    if words is None:
        words = cache[key] = [fold(t.text) for t in sent]
    return list(words)


QUOTE = re.compile(r"«\s*([^»]{3,}?)\s*»|\"([^\"]{3,}?)\"")


def quotes_of(doc: Doc) -> list[tuple[int, int, str]]:
    """The quotes of the whole text, « ... » or "...", as (start char, end char, words);
    one may run over several sentences.  Computed once per document."""
    quotes = doc.user_data.get("graphbuild_quotes")
    if quotes is None:
        quotes = doc.user_data["graphbuild_quotes"] = [
            (m.start(), m.end(), " ".join((m.group(1) or m.group(2) or "").split()))
            for m in QUOTE.finditer(doc.text)]
    return quotes


class FrameReader:
    def __init__(self, lexicon: Lexicon, matcher: TriggerMatcher) -> None:
        self.lex = lexicon
        self.matcher = matcher
        self.recv = {tuple(w): t.value for w, t in matcher.by_category.get("recv", [])}
        self.hold = {t.form for t in lexicon.triggers_of("hold")}  # "ont tenu des négociations"
        self.modals = {t.form for t in lexicon.triggers_of("modal")}  # "qui pourraient se retrouver"
        self.letters = {t.form for t in lexicon.triggers_of("mode") if t.cue == "noun_message" and " " not in t.form}
        self.planned_verbs = {t.form for t in lexicon.triggers_of("modality") if t.value == "planned"
                              and " " not in t.form}
        self.took_place = {t.form for t in lexicon.triggers_of("took_place")}  # "ont eu lieu"
        self.occasion = {t.form for t in lexicon.triggers_of("occasion")}  # "lors de", "au cours de"
        self.send = {t.form for t in lexicon.triggers_of("send")}  # "un message adressé à"
        self.receive = {t.form for t in lexicon.triggers_of("receive")}  # "a reçu X, porteur d'un message"
        self.passive_aux = {t.form for t in lexicon.triggers_of("passive_aux")}  # "a été reçu par"

    def frames(self, sent: Span, mentions: list[Mention]) -> list[Frame]:
        doc = sent.doc
        words = sentence_words(sent)
        hits = self.matcher.find(words, "mode", sent.start)
        actors = [m for m in mentions if m.kind in ACTOR_KINDS]
        phone_marked = bool(self.matcher.find(words, "phone_marker", sent.start))
        published = bool(self.matcher.find(words, "publish", sent.start))
        frames: list[Frame] = []
        consumed: set[int] = set()
        invites = [h.start for h in self.matcher.find(words, "act", sent.start) if h.trigger.value == "invite"]
        quoted = self._quoted(sent)
        outside = [m for m in actors if m.start not in quoted] if quoted else actors
        for hit in hits:
            if hit.start in consumed or self._invited(doc, hit, invites):
                continue
            # words quoted are not the parties of a contact the narrative reports
            f = self._frame(doc, sent, hit, actors if hit.start in quoted else outside, mentions, hits, consumed)
            if f is None:
                continue
            if phone_marked and f.mode == "meeting" and f.cue in ("recip", "noun", "verb_meet"):
                f.mode = "phone_call"
            if f.mode == "message" and f.cue == "noun_message" and published:
                f.mode = "statement_to"  # a post on a social network, addressed to someone
            frames.append(f)
        return self._reconcile(frames, doc)

    def leaders(self, sent: Span, mentions: list[Mention], reach: int = 3,
                keep: Callable[[Mention], bool] | None = None) -> list[tuple[Hit, Mention]]:
        """Each "conduite par", "dirigée par" ... of the sentence with the person (or
        title) named right after it: ``(hit, mention)``, the mention starting at most
        ``reach`` tokens after the phrase and passing ``keep``."""
        out = []
        for h in self.matcher.find(sentence_words(sent), "led_by", sent.start):
            m = next((m for m in mentions if h.end <= m.start <= h.end + reach and m.kind in ("person", "nominal")
                      and (keep is None or keep(m))), None)
            if m is not None:
                out.append((h, m))
        return out

    # ----------------------------------------------------------- helpers
    @staticmethod
    def _quoted(sent: Span) -> set[int]:
        """Token indexes inside the quotes that open and close in this sentence (a quote
        running on may hold the very words that address someone: "s'est adressé aux
        belligérants : « J'appelle le général X ...")."""
        spans = [(a, b) for a, b, _ in quotes_of(sent.doc) if a >= sent.start_char and b <= sent.end_char]
        return {t.i for t in sent if any(a < t.idx and t.idx + len(t) < b for a, b in spans)}

    @staticmethod
    def _invited(doc: Doc, hit: Hit, invites: list[int]) -> bool:
        """"l'invitation ... à effectuer une visite", "invité à se rendre": the
        contact is what the invitation is for, not something that happened."""
        if hit.trigger.cue not in ("noun", "noun_visit", "noun_weak", "visit_verb", "noun_audience", "verb_meet"):
            return False
        for s in invites:
            if 0 < hit.start - s <= 10 and not any(doc[k].text in ".;" for k in range(s, hit.start)):
                return True
        return False

    @staticmethod
    def _clause_start(doc: Doc, sent: Span, i: int) -> int:
        k = i - 1
        while k > sent.start and doc[k].text not in CLAUSE_BREAKS:
            k -= 1
        return k if doc[k].text in CLAUSE_BREAKS else sent.start

    def _subject_raw(self, doc: Doc, sent: Span, start: int, actors: list[Mention]) -> list[Mention]:
        """Prep-less actor mentions before ``start`` in its clause, closest
        first, with coordinated ones ("X et Y")."""
        lo = self._clause_start(doc, sent, start)
        before = [m for m in actors if lo <= m.start and m.end <= start]
        subj: list[Mention] = []
        for m in reversed(before):
            if m.prep is None or (m.prep == "et" and subj == []):
                subj.append(m)
                # coordination: "X et Y ont ..."
                k = before.index(m)
                listed = m.prep == "et"
                while k > 0 and listed:
                    prev = before[k - 1]
                    gap = doc[prev.end:m.start]
                    if len(gap) <= 2 and all(t.text in ("et", ",") for t in gap):
                        subj.append(prev)  # "X, Y et Z ont ..."
                        m = prev
                        k -= 1
                    else:
                        break
                if m.prep is None or m.prep == "et":
                    break
            elif m.prep in ("de", "à", "par", "avec", "pour", "sur", "entre", "en", "chez", "selon", "contre"):
                continue
        subj = [m for m in subj if m.prep in (None, "et")]
        return list(reversed(subj))

    @staticmethod
    def _dep_subject(doc: Doc, sent: Span, start: int, actors: list[Mention]) -> list[Mention]:
        """The grammatical subject of the verb at ``start`` when the parser
        gives one that falls in an actor mention (with "X et Y" coordinated)."""
        verb = doc[start]
        if verb.pos_ not in ("VERB", "AUX"):
            return []
        if verb.dep_ in ("xcomp", "conj") and not any(c.dep_.startswith("nsubj") for c in verb.children):
            verb = verb.head  # "X a reçu et remercié Y": the first verb's subject
        found: list[Mention] = []
        for c in verb.children:
            if not c.dep_.startswith("nsubj") or c.i > start:
                continue
            head = next((m for m in actors if m.start <= c.i < m.end), None)
            span = range(head.start, head.end) if head is not None else range(c.i, c.i + 1)
            conj = [x for k in span for x in doc[k].children if x.dep_ == "conj"]
            for tok in (c, *conj):
                if tok.i > start:
                    continue  # a conjunct after the verb is a parser slip ("accueilli au Caire")
                m = next((m for m in actors if m.start <= tok.i < m.end), None)
                if m is not None and m not in found and m.prep in (None, "et"):
                    found.append(m)
        for m in list(found):  # "X et son homologue Y": the parser may only give Y
            while m.prep == "et":
                prev = next((x for x in actors if x.end == m.start - 1 and doc[x.end].lower_ == "et"), None)
                if prev is None or prev in found:
                    break
                found.append(prev)
                m = prev
        return sorted(found, key=lambda m: m.start)

    def _relative_subject(self, doc: Doc, sent: Span, start: int, actors: list[Mention]) -> list[Mention]:
        """"..., X, qui a exhorté Y": the subject of a verb after "qui" is the
        actor the relative clause hangs on."""
        k = start - 1
        while k > sent.start and start - k <= 4 and doc[k].lower_ != "qui" and doc[k].text != "," and \
                (doc[k].pos_ in ("AUX", "ADV", "PRON") or fold(doc[k].text) in self.modals):
            k -= 1
        if doc[k].lower_ != "qui" or k == sent.start:
            return []
        j = k - 1 if doc[k - 1].text == "," else k
        m = next((m for m in actors if m.end == j), None)
        if m is None or m.kind not in ("person", "nominal", "state", "org"):
            return []
        if m.prep == "et" and any("Plur" in t.morph.get("Number") for t in doc[k + 1:start + 1]):
            # "entre X et Y, qui pourraient se retrouver": both
            prev = next((x for x in actors if x.end == m.start - 1 and doc[x.end].lower_ == "et"), None)
            if prev is not None:
                return [prev, m]
        return [m]

    def _subject(self, doc: Doc, sent: Span, start: int, actors: list[Mention]) -> list[Mention]:
        rel = self._relative_subject(doc, sent, start, actors)
        if rel:
            return rel
        dep = self._dep_subject(doc, sent, start, actors)
        if dep:
            return dep
        # a mention right after a verb is its object, not a subject ("félicité M. Sall")
        objects = {id(m) for m in actors if m.start > sent.start and doc[m.start - 1].pos_ in ("VERB", "AUX")
                   and doc[m.start - 1].lower_ not in ("est", "a", "ont", "sont")}
        kept = [m for m in actors if id(m) not in objects or m.start >= start]
        return self._subject_raw(doc, sent, start, kept)

    @staticmethod
    def _clitic_object(doc: Doc, sent: Span, hit: Hit, mentions: list[Mention]) -> Mention | None:
        """The object pronoun before the verb ("l'a accueilli", "lui a
        téléphoné"), as a pronoun mention resolved later to somebody other
        than the subject."""
        for k in range(hit.start - 1, max(sent.start, hit.start - 4) - 1, -1):
            tok = doc[k]
            if tok.lower_ in ("l'", "le", "la", "les", "lui", "leur") and tok.pos_ == "PRON" \
                    and doc[k - 1].lower_ != "à":  # "a quant à lui appelé": not an object
                m = Mention(k, k + 1, "pronoun", mentions[0].sent if mentions else 0, rank="object",
                            plural=tok.lower_ in ("les", "leur"), text=tok.text)
                mentions.append(m)
                return m
            if tok.pos_ not in ("AUX", "ADV", "PRON"):
                return None
        return None

    @staticmethod
    def _agent_apposed(doc: Doc, sent: Span, hit: Hit, actors: list[Mention]) -> list[Mention]:
        """"reçu par le Serviteur des deux saintes mosquées, le roi X": the
        agent phrase is no actor, the apposition after it is."""
        par = next((k for k in range(hit.end, min(sent.end, hit.end + 4)) if doc[k].lower_ == "par"), None)
        if par is None:
            return []
        for m in actors:
            if par < m.start <= par + 12 and m.prep is None and doc[m.start - 1].text == ",":
                return [m] if m.kind in ("person", "nominal") else []
        return []

    @staticmethod
    def _after(actors: list[Mention], end: int, preps: set, limit: int | None = None) -> list[Mention]:
        out = [m for m in actors if m.start >= end and (m.prep in preps)]
        if limit is not None:
            out = [m for m in out if m.start - end <= limit]
        return out

    def _main_subject_after(self, doc, sent, end, actors) -> list[Mention]:
        """"Dans un entretien avec Y, X a ...": the first prep-less actor
        after the comma that closes the opening phrase."""
        k = end
        while k < sent.end and doc[k].text != ",":
            k += 1
        for m in actors:
            if m.start > k and m.prep is None:
                return [m]
        return []

    # ------------------------------------------------------------ frames
    def _frame(self, doc, sent, hit: Hit, actors, mentions, hits, consumed) -> Frame | None:
        cue, mode = hit.trigger.cue, hit.trigger.value
        words_after = [fold(t.text) for t in doc[hit.end:min(sent.end, hit.end + 6)]]
        before1 = fold(doc[hit.start - 1].text) if hit.start > sent.start else ""
        before2 = fold(doc[hit.start - 2].text) if hit.start - 1 > sent.start else ""
        f = Frame(mode, hit.start, hit.end, cue)
        if cue in ("verb", "verb_call", "verb_meet", "verb_visit"):
            # "reçu un appel / une lettre de X": the receiving frame
            if mode == "meeting" and hit.trigger.form.startswith(("recu", "recoit", "recev")):
                for words, value in sorted(self.recv.items(), key=lambda x: -len(x[0])):
                    for j in range(0, 7):  # "a reçu, hier, un appel"
                        if tuple(words_after[j:j + len(words)]) == words:
                            return self._receive(doc, sent, hit, value, j + len(words), actors, hits, consumed)
            if cue == "verb_call":
                nxt = words_after[0] if words_after else ""
                if nxt in ("à", "a", "au", "aux") or before1 in ("s'", "se"):
                    return None  # "a appelé à la retenue": a request, not a call
                named = False  # an actor named right after the verb: "a appelé Mme X pour la féliciter au nom de"
                for k in range(hit.end, min(sent.end - 2, hit.end + 10)):
                    nxt_i = k + 2 if doc[k + 1].text in ("«", '"') else k + 1  # "à « parler d'une seule voix »"
                    if doc[k].lower_ == "à" and doc[nxt_i].pos_ in ("VERB", "AUX") and "Inf" in doc[nxt_i].morph.get("VerbForm"):
                        return None  # "a appelé la communauté internationale à sanctionner": an appeal, not a call
                    named = named or any(m.start == k for m in actors)
                    if not named and doc[k].lower_ == "à" and doc[k + 1].pos_ == "DET" and doc[k + 2].pos_ == "NOUN" \
                            and fold(doc[k + 2].text) != "telephone" and not any(m.start in (k + 1, k + 2) for m in actors):
                        return None  # "a appelé ses militants à la retenue": an appeal
            before_adj = hit.start - 2 >= sent.start and doc[hit.start - 1].pos_ == "ADJ" and \
                doc[hit.start - 2].pos_ == "DET"  # "une éventuelle rencontre", "leur dernière rencontre"
            if cue == "verb_meet" and (before1 in ("la", "une", "cette", "leur", "sa", "son") or before_adj
                                       or words_after[:1] == ["entre"]):
                f.cue = cue = "noun"
                return self._noun(doc, sent, hit, f, actors)
            before3 = fold(doc[hit.start - 3].text) if hit.start - 2 > sent.start else ""
            reflexive = before2 in ("s'", "se") or before3 in ("s'", "se")  # "s'étaient rencontrés"
            passive = not reflexive and (before1 in self.passive_aux or (before2 in self.passive_aux and before1 in ("ete", "y")))
            agents = self._after(actors, hit.end, {"par"}, limit=16) or self._agent_apposed(doc, sent, hit, actors)
            if passive or (agents and mode == "meeting" and before1 != "a"):
                f.passive = True
                f.addressee = self._subject(doc, sent, hit.start, actors)
                if not f.addressee and agents and hit.start - sent.start <= 1:
                    # "Reçu par le président X, le ministre Y a plaidé ...": the main clause's subject
                    f.addressee = [m for m in self._main_subject_after(doc, sent, agents[0].end, actors)
                                   if m.kind in ("person", "nominal", "pronoun")]
                f.initiator = agents[:1]
                f.confidence = 0.85
                return f if f.initiator and f.addressee else None
            subj = self._subject(doc, sent, hit.start, actors)
            main: list[Mention] = []
            if not subj and before1 in ("avoir", "etre") and hit.start - sent.start <= 4:
                # "Après avoir reçu X, le président Y a téléphoné ...": the main clause's subject
                main = self._main_subject_after(doc, sent, hit.end, actors)
                subj = [m for m in main if m.kind in ("person", "nominal", "pronoun")]
            preps = {None} if mode == "meeting" else {None, "à"}
            objs = [m for m in self._after(actors, hit.end, preps, limit=12) if m not in main
                    if not (m.kind == "state" and (m.capital or m.prep == "à") and mode != "phone_call")
                    and not (m.kind == "state" and m.capital and m.prep == "à")]
            with_ = self._after(actors, hit.end, {"avec"}, limit=10)
            if cue == "verb_meet" or (with_ and not objs):
                f.directed = False
                f.initiator = subj
                f.others = (objs or with_)[:1]
                if before1 in ("se", "s'") or not f.others:
                    f.others = f.others or []
                f.confidence = 0.75
                return f if len(subj) + len(f.others) >= 2 or (subj and f.others) else (
                    f if len(subj) >= 2 or any(m.kind == "pair" for m in subj) else None)
            if not objs and subj and mode in ("phone_call", "meeting"):
                # "a reçu une délégation du Congrès américain conduite par le sénateur X": X
                led = next((m for h, m in self.leaders(sent, actors) if hit.end <= h.start <= hit.end + 15), None)
                if led is not None:
                    objs = [led]
                    # "conduite par le secrétaire d'Etat X et le secrétaire à la Sécurité intérieure Y"
                    objs += [m for m in actors if m.start > led.end and m.prep == "et"
                             and m.kind in ("person", "nominal") and m.start - led.end <= 2][:1]
            if not objs and subj and mode in ("phone_call", "meeting"):
                # "a téléphoné aux deux généraux qui ..., le chef de l'armée X et le commandant Y"
                far = [m for m in self._after(actors, hit.end + 1, {None}, limit=35)
                       if m.kind in ("person", "nominal") and m.start > hit.end + 12
                       and doc[m.start - 1].text == ","]
                if far:
                    objs = far[:1]
            if not objs and subj:
                clitic = self._clitic_object(doc, sent, hit, mentions)
                if clitic is not None:
                    clitic.not_of = list(subj)
                    objs = [clitic]  # "Museveni l'a accueilli", "il lui a téléphoné"
            if not objs and cue == "verb" and mode == "meeting":
                return None  # "reçu" with no guest: "a reçu le soutien de"
            addr = objs[:1]
            coord = [m for m in self._after(actors, hit.end, {"et", None}, limit=50)
                     if m.kind in ("person", "nominal", "state", "org")]
            for m in coord:  # "a accueilli X et Y", "X et le commandant des FSR, Y"
                if not addr or m.start <= addr[-1].end or addr[-1].end >= sent.end:
                    continue
                gap = doc[addr[-1].end:m.start]
                lead = [t.lower_ for t in gap[:3] if t.text != ","]
                if not lead or lead[0] not in ("et", "puis") and lead[:2] != ["ainsi", "que"]:
                    continue  # "X et Y", "X, puis son homologue éthiopien, Y", "X ainsi que Y"
                after_et = doc[m.start - 1].lower_ in ("et", "puis", "que") or \
                    doc[m.start - 2].lower_ == "et" and doc[m.start - 1].pos_ == "ADJ"  # "congolais X et rwandais Y"
                if m.prep in ("et", None) and m.start - addr[-1].end <= 3 and after_et or \
                        m.prep is None and len(gap) <= 14 and doc[m.start - 1].text == "," \
                        and not any(t.pos_ in ("VERB", "AUX") for t in gap):
                    addr.append(m)
            f.initiator, f.addressee = subj, addr
            f.confidence = 0.9 if subj and objs else 0.6
            return f
        if cue == "verb_statement":
            subj = self._subject(doc, sent, hit.start, actors)
            objs = [m for m in self._after(actors, hit.end, {None, "à", "et"}, limit=8)
                    if m.kind in ("person", "nominal", "state", "org")]
            if not subj or not objs:
                return None
            f.initiator, f.addressee = subj[:1], objs[:1]
            more = [m for m in actors if m.start > objs[0].end and m.start - objs[0].end <= 3
                    and "et" in (doc[m.start - 1].lower_, doc[m.start - 2].lower_)
                    and m.kind in ("person", "nominal", "state", "org")]
            f.addressee += more[:1]  # "s'est adressé au Premier ministre X et au président Y"
            f.confidence = 0.6
            return f
        if cue == "recip_refl":
            # "s'étaient vus", "se sont retrouvés": only with the reflexive pronoun ("a vu" is not a meeting)
            if not {fold(t.text) for t in doc[max(sent.start, hit.start - 3):hit.start]} & {"se", "s'"}:
                return None
            cue = f.cue = "recip"
        if cue == "recip":
            subj = self._subject(doc, sent, hit.start, actors)
            with_ = self._after(actors, hit.end, {"avec"}, limit=12) or [
                # "s'est entretenu dimanche à Abuja, en marge du sommet de la CEDEAO, avec son homologue X"
                m for m in actors if m.prep == "avec" and hit.end < m.start <= hit.end + 45
                and not any(t.pos_ in ("VERB", "AUX") and "Part" not in t.morph.get("VerbForm")
                            for t in doc[hit.end:m.start])][:1]
            if with_:  # "avec le chancelier allemand X et le président français Y"
                for m in actors:
                    if m.prep == "et" and m.start - with_[-1].end <= 1 and m.start > with_[-1].start:
                        with_.append(m)
            f.directed = False
            f.initiator = subj
            f.others = with_[:3]
            if not subj and not with_:
                # "un entretien téléphonique a réuni X et Y"
                objs = self._after(actors, hit.end, {None, "et"}, limit=30)
                objs = [m for m in objs if m.kind in ("person", "nominal", "state", "org")]
                if len(objs) >= 2 and objs[0].prep is None and objs[1].prep == "et":
                    f.initiator, f.others = objs[:1], objs[1:2]
            f.confidence = 0.8
            return f
        if cue == "visit_verb":
            if not {fold(t.text) for t in doc[max(sent.start, hit.start - 4):hit.start]} & {"se", "s'"}:
                return None  # "a rendu hommage"
            return self._visit(doc, sent, hit, f, actors, mentions)
        if cue == "noun_visit":
            return self._visit(doc, sent, hit, f, actors, mentions)
        if cue == "visit_stop":  # "a fait escale à Kiribati", "est arrivé mardi à Kiev"
            f.cue = "visit_verb"
            return self._visit(doc, sent, hit, f, actors, mentions)
        held_before = {fold(t.text) for t in doc[max(sent.start, hit.start - 12):hit.start]} & self.hold
        # "Lors de sa conversation téléphonique avec X, Y ...", "... après leur entretien à Bruxelles"
        occasion = bool({fold(t.text) for t in doc[max(sent.start, hit.start - 4):hit.start]} & self.occasion)
        if cue.startswith("noun") and before1 in ("ses", "leurs", "leur", "son", "sa") and cue != "noun_message" \
                and not (cue == "noun_nego" and held_before) and not occasion:  # "ont repris ... leurs négociations"
            return None  # "ses discussions avec X": an earlier occasion, referred to
        if cue in ("noun", "noun_weak", "noun_audience", "noun_message", "phrase_statement"):
            if cue == "noun_weak" and not any(w in ("de", "du", "à", "au") for w in words_after[:2]):
                return None
            return self._noun(doc, sent, hit, f, actors)
        if cue == "noun_nego":
            f.directed = False
            between = self._after(actors, hit.end, {"entre", "et", "avec"}, limit=12)
            held = {fold(t.text) for t in doc[max(sent.start, hit.start - 12):hit.start]} & self.hold
            if not between and not held:
                return None  # "ont réitéré le lancement des négociations": talked about, not held
            subj = self._subject(doc, sent, hit.start, actors)
            f.initiator = subj
            f.others = [m for m in between if m not in subj]
            f.confidence = 0.7
            return f
        return None

    def _receive(self, doc, sent, hit, mode, skip, actors, hits, consumed) -> Frame | None:
        f = Frame(mode, hit.start, hit.end + skip, "recv")
        for h in hits:
            if hit.start < h.start <= hit.end + skip + 2:
                consumed.add(h.start)
        f.addressee = self._subject(doc, sent, hit.start, actors)
        senders = self._after(actors, hit.end, {"de"}, limit=skip + 8) or [
            m for m in actors if hit.end + skip <= m.start <= hit.end + skip + 5 and m.kind in ("person", "nominal")]
        f.initiator = senders[:1]
        f.confidence = 0.85
        return f if f.initiator and f.addressee else None

    @staticmethod
    def _kin_sender(doc, sent, k: int, actors, span: int = 3) -> list:
        """"un message écrit de son frère, le président du Niger, M. X", "adressé au
        président par son frère, Son Excellence X": the person named after a
        possessive word and a comma."""
        for j in range(k, min(sent.end - 3, k + span)):
            if doc[j].lower_ in ("de", "d'", "par") and doc[j + 1].lower_ in ("son", "sa", "leur"):
                comma = next((c for c in range(j + 2, min(sent.end, j + 6)) if doc[c].text == ","), None)
                if comma is None:
                    return []
                return [m for m in actors if comma < m.start <= comma + 2
                        and m.kind in ("person", "nominal")][:1]
        return []

    @staticmethod
    def _on_behalf(doc, sent, k: int, actors) -> list:
        """"un message écrit à X, de la part de son frère, le roi Y": Y."""
        for j in range(k, min(sent.end - 4, k + 20)):
            if doc[j].lower_ == "de" and doc[j + 1].lower_ == "la" and doc[j + 2].lower_ == "part" \
                    and doc[j + 3].lower_ in ("de", "du", "d'"):
                after = [m for m in actors if j + 3 <= m.start <= j + 5 and m.kind in ("person", "nominal")]
                return after[:1] or FrameReader._kin_sender(doc, sent, j + 3, actors)
        return []

    def _noun(self, doc, sent, hit, f: Frame, actors) -> Frame | None:
        if f.mode == "meeting" and self.matcher.find(sentence_words(sent)[hit.end - sent.start:hit.end - sent.start + 4],
                                                     "interview"):
            return None  # "dans un entretien diffusé jeudi", "un entretien accordé au quotidien": the press
        lo = max(sent.start, hit.start - 4)
        verbs_before = {fold(t.text) for t in doc[lo:hit.start]}
        if verbs_before & {"recu", "recoit", "recevait"} and f.mode in ("phone_call", "message"):
            f.cue = "recv"
            f.addressee = self._subject(doc, sent, hit.start, actors)
            f.initiator = self._after(actors, hit.end, {"de"}, limit=10)[:1]
            return f if f.initiator and f.addressee else None
        if f.cue == "noun_audience" and verbs_before & {"recu", "recue", "recus"}:
            return None  # "a reçu en audience": the verb frame has it
        honoured = [m for h in self.matcher.find(sentence_words(sent), "reception", sent.start)
                    if h.start >= hit.start for m in actors if h.end <= m.start <= h.end + 4
                    and m.kind in ("person", "nominal")]
        if f.mode == "meeting" and honoured:
            # "a offert un déjeuner d'Etat en l'honneur du dirigeant américain": host -> guest
            host = self._subject(doc, sent, hit.start, actors)
            if not host and doc[hit.start].head.pos_ in ("VERB", "AUX"):
                host = self._dep_subject(doc, sent, doc[hit.start].head.i, actors)  # "X a présidé la cérémonie"
            if host and honoured[0] not in host:
                f.initiator, f.addressee = host[:1], honoured[:1]
                f.confidence = 0.8
                f.hosted = True
                return f
        between = self._after(actors, hit.end, {"entre"}, limit=4)
        if not between and f.cue != "noun_message":
            # "Des discussions ont eu lieu lundi à Genève entre X et Y"
            between = [m for m in self._after(actors, hit.end, {"entre"}, limit=10)
                       if {fold(t.text) for t in doc[hit.end:m.start]} & self.took_place
                       and not any(t.text in (",", ";") for t in doc[hit.end:m.start])]
        if between:
            idx = actors.index(between[0])
            parts = [between[0]] + [m for m in actors[idx + 1:idx + 3] if m.prep == "et"][:1]
            f.directed = False
            f.initiator, f.others = parts[:1], parts[1:]
            f.confidence = 0.85
            return f
        sender = self._after(actors, hit.end, {"de"}, limit=4) or self._kin_sender(doc, sent, hit.end, actors) \
            or self._on_behalf(doc, sent, hit.end, actors)
        if not sender and any(fold(t.text) in self.send for t in doc[hit.end:min(sent.end, hit.end + 3)]):
            # "un message adressé au président par X" / "par son frère, X"
            sender = self._after(actors, hit.end, {"par"}, limit=12) or \
                self._kin_sender(doc, sent, hit.end, actors, span=12)
        to = self._after(actors, hit.end, {"à"}, limit=12)
        with_ = self._after(actors, hit.end, {"avec"}, limit=8)
        sending = bool(verbs_before & self.send) or any(
            fold(t.text) in self.send for t in doc[hit.end:min(sent.end, hit.end + 6)])
        opening = hit.start - sent.start <= 5 and not self._subject(doc, sent, hit.start, actors)
        subj = self._main_subject_after(doc, sent, hit.end, actors) if opening else \
            self._subject(doc, sent, hit.start, actors)
        if f.cue == "noun_message" and not to and subj:
            # "X a félicité Y dans un message": the object of the verb before
            to = [m for m in actors if subj[-1].end <= m.start < hit.start and m.prep in (None, "à")
                  and m not in subj and m.kind in ("person", "nominal", "state", "org")]
        if f.cue == "noun_message" and sender and not to:
            # "a reçu X, porteur d'un message de Y" / "X, qui lui a remis un message de Y":
            # the message goes to whoever receives the carrier
            root = sent.root
            if any(c.dep_ == "aux:pass" for c in root.children):
                # "X a été reçu par Y, à qui il a remis un message de Z": the host is the agent
                host = [m for m in self._after(actors, root.i + 1, {"par"}, limit=16) if m not in sender]
            else:
                host = [m for m in self._dep_subject(doc, sent, root.i, actors) if m not in sender]
            if host and fold(root.text) in self.receive:
                to = host[:1]
        if f.cue == "noun_message" and sender and not to and subj and subj[0] not in sender:
            # "le ministre gambien a transmis un message du président Barrow": carried to whoever
            # the carrier is meeting; the extractor finds that party in the current interaction
            f.cue = "carried"
            f.initiator, f.others = sender[:1], subj[:1]
            f.confidence = 0.7
            return f
        if f.cue in ("noun_message", "phrase_statement") or (sending and to):
            f.initiator = sender[:1] or subj
            f.addressee = to[:1]
            f.confidence = 0.8
            return f if f.initiator and f.addressee else None
        if sender and to:
            f.initiator, f.addressee = sender[:1], to[:1]
            return f
        if with_:
            f.directed = False
            f.initiator = subj
            f.others = with_[:1] + [m for m in actors if m.prep == "et" and m.start > with_[0].end
                                    and m.start - with_[0].end <= 1 and m.kind in ("person", "nominal")][:1]
            f.confidence = 0.8
            return f
        if to and f.cue == "noun_audience" and subj:
            f.initiator, f.addressee = subj, to[:1]
            return f
        if len(subj) >= 2:  # "X et Y ont eu un entretien"
            f.directed = False
            f.initiator = subj
            return f
        if f.cue in ("noun", "noun_audience") and not subj:
            # "remis par X à Y lors de l'audience que ce dernier lui a accordée":
            # the two persons of the sentence met; "ce dernier" is the host
            people = [m for m in actors if m.kind in ("person", "nominal") and m.start < hit.start]
            if len(people) >= 2:
                a, b = people[-2], people[-1]
                after = " ".join(fold(t.text) for t in doc[hit.end:min(sent.end, hit.end + 4)])
                if "ce dernier" in after or "cette derniere" in after:
                    f.initiator, f.addressee = [b], [a]
                else:
                    f.directed = False
                    f.initiator, f.others = [a], [b]
                f.confidence = 0.6
                return f
        return None

    def _visit(self, doc, sent, hit, f: Frame, actors, mentions) -> Frame | None:
        places = [m for m in mentions if m.start >= hit.end and m.kind in ("state", "place")
                  and m.prep in ("à", "en", "de", None) and m.start - hit.end <= 8]
        traveller = self._after(actors, hit.end, {"de"}, limit=2) if f.cue == "noun_visit" else []
        traveller = [m for m in traveller if m.kind in ("person", "nominal")]
        apposed = False
        if not traveller and f.cue == "noun_visit" and hit.start - 2 >= sent.start \
                and doc[hit.start - 1].lower_ == "en" and doc[hit.start - 2].text == ",":
            # "... avec le président sénégalais X, en visite d'Etat en Chine": X travels
            traveller = [m for m in actors if m.end == hit.start - 2 and m.kind in ("person", "nominal")]
            apposed = bool(traveller)
        if apposed:
            host = [m for m in actors if m.start < traveller[0].start and m.kind in ("person", "nominal")
                    and m.prep is None]
            if host:
                f.initiator, f.addressee = traveller, host[:1]
                f.confidence = 0.75
                return f
        if not traveller:
            # "Au sixième jour d'une visite en Inde, X s'est entretenu avec Y": the clause's subject
            root = sent.root
            if root.i > hit.end:
                traveller = [m for m in self._dep_subject(doc, sent, root.i, actors)
                             if m.start > hit.end and m.kind in ("person", "nominal", "pronoun")][:1]
        if not traveller:
            # "Dernière étape de la tournée, l'Ethiopie : M. Lavrov s'y est entretenu": a person travels
            travelling = [m for m in actors if m.kind in ("person", "nominal", "pronoun", "pair")]
            opening = hit.start - sent.start <= 5
            traveller = (self._main_subject_after(doc, sent, hit.end, travelling) if opening else []) or \
                self._subject(doc, sent, hit.start, travelling)
        host = [m for m in self._after(actors, hit.end, {"avec", None, "à"}, limit=40)
                if m.kind in ("person", "nominal") and m not in traveller]
        host += [m for m in actors if hit.end < m.start <= hit.end + 12 and m.kind in ("person", "nominal")
                 and doc[m.start - 2].lower_ == "auprès" and m not in traveller and m not in host]  # "auprès de X"
        host.sort(key=lambda m: m.prep != "avec")  # "s'est entretenu ... avec X" names the person met
        # "s'était rendu à Kiev pour y réunir les ministres ...": a purpose, not the person met
        for t in doc[hit.end:sent.end]:
            if t.lower_ == "pour" and any("Inf" in x.morph.get("VerbForm") for x in doc[t.i + 1:min(sent.end, t.i + 4)]
                                          if x.pos_ in ("VERB", "AUX")):
                host = [m for m in host if m.start < t.i]
                break
        # "en visite en Algérie, porteur d'un message de X à son homologue Y": Y gets the letter
        letter = next((t.i for t in doc[hit.end:sent.end] if fold(t.text) in self.letters), None)
        if letter is not None:
            host = [m for m in host if m.start < letter]
        # "qui effectue une visite en Algérie, doit coprésider mardi avec M. X": X is a plan, not the host
        later = next((t.i for t in doc[hit.end:sent.end] if t.pos_ in ("AUX", "VERB")
                      and fold(t.text) in self.planned_verbs), None)
        if later is not None:
            host = [m for m in host if m.start < later]
        if not traveller:
            return None
        f.initiator = traveller[:1]
        if host:
            f.addressee = host[:1]
        elif places:
            f.destination = places[0]
        else:
            return None
        f.confidence = 0.75
        return f

    # ------------------------------------------------------- reconcile
    def _reconcile(self, frames: list[Frame], doc: Doc) -> list[Frame]:
        """A host "a reçu" the traveller: a meeting, not also a visit; a visit
        absorbs the talks held during it; one frame per set of mentions."""
        hosted = any(f.mode == "meeting" and (f.cue in ("verb",) or f.passive or f.hosted) for f in frames)
        if any(f.mode != "statement_to" for f in frames):
            frames = [f for f in frames if f.mode != "statement_to" or f.cue in ("phrase_statement",)]
        out: list[Frame] = []
        seen: set[tuple] = set()
        for f in frames:
            key = (f.mode, tuple(id(m) for m in f.initiator))
            if f.initiator and key in seen:
                continue
            seen.add(key)
            if f.mode == "visit" and hosted:
                continue
            if f.mode == "meeting" and f.cue in ("recip", "verb_meet", "noun") and not f.hosted and any(
                    g.mode == "visit" for g in frames) and not hosted:
                continue
            if f.mode == "visit" and not f.addressee and f.initiator:
                # "X a rencontré Y, qui effectue une visite en Egypte": Y visits X, not the country
                for g in frames:
                    if g.mode == "meeting" and g.cue in ("recip", "verb_meet", "noun"):
                        parties = g.initiator + g.others + g.addressee
                        ids = {id(m) for m in parties}
                        if id(f.initiator[0]) in ids:
                            host = [m for m in parties if m is not f.initiator[0]]
                            if host:
                                f.addressee, f.destination = host[:1], None
                            break
            out.append(f)
        return out
