"""What belongs to an interaction: acts, topics, date, modality, quotes."""
from __future__ import annotations

import re
from datetime import timedelta

from spacy.tokens import Span

from ..lexicon import Lexicon, fold
from ..records import Document, Interaction, Topic
from .actors import ActorTable
from .dates import WEEKDAYS, find_dates, parse_reference
from .frames import Frame, TriggerMatcher, quotes_of, sentence_words
from .mentions import DETERMINERS, Mention

CONTINUATION_CUES = {"entretien", "conversation", "appel", "echange", "visite", "rencontre", "audience",
                     "entrevue", "reunion", "message", "lettre", "telegramme", "pourparlers", "negociations",
                     "ils", "cote", "part", "tour", "outre", "egalement", "aussi"}
TOPIC_POS = {"NOUN", "PROPN", "ADJ", "ADP", "DET", "NUM"}
TOPIC_STOP_HEADS = {"occasion", "cadre", "part", "cours", "issue", "niveau", "sens", "lors", "fois", "suite",
                    "moment", "message", "entretien", "appel", "conversation", "communiqué", "nom", "homologue",
                    "président", "ministre", "téléphone", "tour", "côté", "place", "façon", "manière", "base"}
DEFAULT_DISCUSS = {"phone_call", "meeting", "visit", "negotiation"}
NEGATION = {"pas", "jamais", "aucun", "aucune", "ni"}
INFINITIVE_CUES = {"effectuer", "faire", "tenir", "organiser", "rendre", "avoir", "entreprendre", "mener"}


class Attacher:
    def __init__(self, lexicon: Lexicon, matcher: TriggerMatcher) -> None:
        self.lex = lexicon
        self.matcher = matcher
        self.event_heads = {t.form for t in lexicon.triggers_of("event_head")}
        self.speech = {t.form for t in lexicon.triggers_of("speech")}  # "a déclaré", "a précisé"
        self.urging = {t.form for t in lexicon.triggers_of("urging")}  # "a appelé X à ..."

    # ------------------------------------------------------------ public
    def continues(self, it: Interaction, sent: Span, ms: list[Mention], table: ActorTable) -> bool:
        """Does a sentence with no trigger of its own still talk about ``it``?"""
        keys = {k for m in ms for k in m.actor}
        if keys & set(it.participants):
            return True
        words = set(sentence_words(sent))
        if any(m.kind == "pair" for m in ms):
            return True
        if ("«" in sent.text or '"' in sent.text) and words & self.speech:
            return True  # "« ... », a-t-il ajouté": words said in the interaction being reported
        return bool(words & CONTINUATION_CUES)

    def enrich(self, it: Interaction, sent: Span, ms: list[Mention], document: Document, *,
               trigger: Frame | None, table: ActorTable, own: bool) -> None:
        words = sentence_words(sent)
        for hit in self.matcher.find(words, "act", sent.start):
            act = hit.trigger.value
            if act == "agree" and any(w in ("audience",) for w in words[hit.end - sent.start:hit.end - sent.start + 3]):
                continue
            if act not in it.acts:
                it.acts.append(act)
        self._topics(it, sent, ms, table)
        doc = sent.doc
        for qstart, qend, q in quotes_of(doc):
            if not (sent.start_char < qend <= sent.end_char) or not q or len(q.split()) < 3:
                continue  # each quote once, with the sentence it ends in
            if q not in it.quotes:
                it.quotes.append(q)
            speaker = self._speaker(sent, ms, table, qstart, qend)
            if speaker and q not in it.quote_by:
                it.quote_by[q] = speaker
        if own and trigger is not None:
            self.date_of(it, sent, trigger, document)

    def _speaker(self, sent: Span, ms: list[Mention], table: ActorTable, qstart: int, qend: int) -> str | None:
        """Who said the quote between characters qstart and qend of the
        sentence: the subject of a speech verb right after it ("», a déclaré
        X", "a-t-il dit") or right before it ("X a déclaré : « … »")."""
        doc = sent.doc
        toks = [t for t in sent]
        after = [t for t in toks if t.idx >= qend][:6]
        before = [t for t in toks if t.idx < qstart][-5:]
        verb = next((t for t in after if fold(t.text) in self.speech or t.lower_ == "selon"), None)
        if verb is not None:
            for t in [*after[:after.index(verb)], *doc[verb.i + 1:min(sent.end, verb.i + 4)]]:
                if t.lower_ in ("-t-il", "-il", "-t-elle", "-elle", "il", "elle", "a-t-il", "a-t-elle"):  # "a-t-il dit"
                    return self._pronoun(table, "f" if "elle" in t.lower_ else "m")
            for m in ms:
                if verb.i < m.start <= verb.i + 8 and m.actor and m.kind in ("person", "nominal", "org", "state"):
                    return m.actor[0]
            return None
        verb = next((t for t in reversed(before) if fold(t.text) in self.speech), None)
        if verb is not None:
            subj = [m for m in ms if m.end <= verb.i and m.prep is None and m.actor
                    and m.kind in ("person", "nominal", "pronoun", "org", "state")]
            if subj:
                return subj[-1].actor[0]
        return None

    @staticmethod
    def _pronoun(table: ActorTable, gender: str) -> str | None:
        keys = table.resolve_pronoun(Mention(0, 0, "pronoun", 0, gender=gender))
        return keys[0] if keys else None

    def finish(self, it: Interaction) -> None:
        if it.mode in DEFAULT_DISCUSS and "discuss" not in it.acts and (it.topics or it.acts):
            it.acts.append("discuss")
        it.acts = sorted(set(it.acts))
        seen = set()
        topics = []
        for t in it.topics:
            k = (fold(t.label), t.kind)
            if k not in seen:
                seen.add(k)
                topics.append(t)
        it.topics = topics

    # ----------------------------------------------------------- pieces
    def date_of(self, it: Interaction, sent: Span, f: Frame, document: Document) -> None:
        """Date ``it`` from the date expression of ``sent`` closest to ``f`` (a
        planned weekday or day of the month lies ahead); planned when that date is."""
        ref = parse_reference(document.date)
        text = sent.text
        dates = find_dates(text, ref)
        trig_char = sent.doc[f.start].idx - sent.start_char
        if dates:
            best = min(dates, key=lambda d: abs(d.start - trig_char))
            when = best.date
            if when and ref and it.modality == "planned" and when < ref and \
                    fold(best.text.split()[0]) in WEEKDAYS and len(best.text.split()) == 1:
                when = when + timedelta(days=7)  # "doit s'entretenir mercredi": the coming Wednesday
            elif when and ref and it.modality == "planned" and when < ref and not re.search(r"\d{4}", best.text) \
                    and "dernier" not in best.text:
                try:  # "se rendra à Strasbourg le 16 janvier", written on 3 January: this year's
                    when = when.replace(year=when.year + 1) if when.replace(year=when.year + 1) >= ref else when
                except ValueError:
                    pass
            if when and not it.date:
                it.date = when.isoformat()
            if best.future and it.modality == "asserted":
                it.modality = "planned"

    def modality(self, it: Interaction, sent: Span, f: Frame, document: Document) -> None:
        """Planned, requested or denied when the words around the trigger say so."""
        ref = parse_reference(document.date)
        trig_char = sent.doc[f.start].idx - sent.start_char
        dates = find_dates(sent.text, ref)
        if dates and min(dates, key=lambda d: abs(d.start - trig_char)).future:
            it.modality = "planned"
        doc = sent.doc
        lo = max(sent.start, f.start - 5)
        window = [fold(t.text) for t in doc[lo:f.start]]
        after = [fold(t.text) for t in doc[f.start:min(sent.end, f.end + 2)]]
        trig = fold(doc[f.start:f.end].text)
        if any(w in NEGATION for w in window[-4:] + after) or "ne" in window[-3:] or "n'" in window[-3:]:
            it.modality = "denied"
        for hit in self.matcher.find(window, "modality"):
            it.modality = hit.trigger.value if it.modality == "asserted" else it.modality
        if f.cue.startswith("noun") and it.modality == "asserted":
            # "a appelé Moscou à engager des négociations": what the call is for has not happened
            wide = [fold(t.text) for t in doc[max(sent.start, f.start - 8):f.start]]
            urged = [n for n, w in enumerate(wide) if w in self.urging]
            if urged and "a" in wide[urged[0] + 1:]:
                it.modality = "requested"
        rest = [fold(t.text) for t in doc[f.end:sent.end]]
        if it.modality == "asserted" and self.matcher.find(rest, "refuted"):
            it.modality = "denied"  # "une conversation entre X et Y ... relève de la pure fiction"
        if f.cue.startswith("noun") and it.modality == "asserted":
            # "la rencontre prévue entre X et Y": a participle right after the noun;
            # "une rencontre avec X est envisagée": the verb the noun is the subject of
            words = [fold(t.text) for t in doc[f.end:min(sent.end, f.end + 2)]]
            head = doc[f.start].head
            if head.i > f.end and head.pos_ in ("VERB", "AUX", "ADJ"):
                words.append(fold(head.text))
            for hit in self.matcher.find(words, "modality"):
                if hit.trigger.value == "planned":
                    it.modality = "planned"
                    break
        verbs = [t for t in doc[f.start:f.end] if t.pos_ in ("VERB", "AUX")]
        # the verb as written: "rencontré" is no infinitive, "a reçu une lettre" is not "lettre"
        last = (verbs[-1] if verbs else doc[f.end - 1]).lower_
        verbal = not f.cue.startswith("noun") and f.cue != "carried"
        if verbal and (re.search(r"(ra|ront|rai|ras)$", last) or re.search(r"(er|ir|re)$", last)):
            it.modality = "planned" if it.modality == "asserted" else it.modality  # future or infinitive
        if not verbal and any(re.search(r"(er|ir|re)$", w) and w in INFINITIVE_CUES for w in window[-3:]):
            it.modality = "planned" if it.modality == "asserted" else it.modality  # "à effectuer une visite"
        if it.modality != "asserted":
            it.confidence = round(min(it.confidence, 0.7), 2)

    def _topics(self, it: Interaction, sent: Span, ms: list[Mention], table: ActorTable) -> None:
        doc = sent.doc
        words = sentence_words(sent)
        participants = set(it.participants)
        for hit in self.matcher.find(words, "topic_cue", sent.start):
            k = hit.end
            while k < sent.end and fold(doc[k].text) in DETERMINERS | {"de", "du", "des", "d'", "l'"}:
                k += 1
            for _ in range(4):  # "ont évoqué X, Y ainsi que Z": each of the list
                phrase, end = self._phrase_end(sent, k)
                if not phrase:
                    break
                kind = "event" if any(phrase.lower().startswith(h) for h in self.event_heads) else "topic"
                it.topics.append(Topic(label=phrase, kind=kind))
                k = end
                if k < sent.end and doc[k].text == ",":
                    k += 1
                if k + 1 < sent.end and doc[k].lower_ == "ainsi" and doc[k + 1].lower_ == "que":
                    k += 2
                elif k < sent.end and doc[k].lower_ == "et":
                    k += 1
                elif k == end:
                    break
                while k < sent.end and fold(doc[k].text) in DETERMINERS | {"de", "du", "des", "d'", "l'"}:
                    k += 1
        for m in ms:
            if m.kind == "place" and m.key:
                it.topics.append(Topic(label=m.key, kind="place", ref=m.key))
            elif m.kind == "state" and m.key and not (set(m.actor) & participants) and not m.seat_kind \
                    and not m.capital and not any(table.persons.get(p) and table.persons[p].state == m.key
                                                  for p in participants):
                st = self.lex.state(m.key)
                if st:
                    it.topics.append(Topic(label=st.name, kind="state", ref=m.key))
        # places the model knows but the gazetteer does not
        for ent in sent.ents:
            if ent.label_ == "LOC" and not any(m.start <= ent.start < m.end for m in ms) \
                    and ent.text[:1].isupper() and len(ent.text) > 2 and fold(ent.text) not in self.lex.state_names \
                    and ent[0].pos_ not in ("ADP", "DET") and ent[0].lower_ not in WEEKDAYS \
                    and not ent.text.isupper() and not any(t.text in ("-", "—", "–", "/", "--") for t in ent):
                # not a dateline ("TRIPOLI - L'", "Nouakchott /AMI/ - La", "PARIS")
                it.topics.append(Topic(label=ent.text, kind="place", ref=ent.text))

    @staticmethod
    def _phrase_end(sent: Span, k: int) -> tuple[str | None, int]:
        """The noun phrase starting at token k (no determiner, no trailing
        preposition) and the index of the token after it."""
        doc = sent.doc
        if k >= sent.end or doc[k].pos_ not in ("NOUN", "PROPN"):
            return None, k
        if doc[k].lower_ in TOPIC_STOP_HEADS:
            return None, k
        out = []
        j = k
        while j < sent.end and len(out) < 8:
            t = doc[j]
            if t.pos_ not in TOPIC_POS or t.text in (",", ";", ":", "«", "»", "(", ")", "."):
                break
            if t.pos_ == "ADP" and t.lower_ not in ("de", "d'", "du", "des", "à", "au", "aux", "en", "sur", "contre"):
                break
            out.append(t)
            j += 1
        while out and (out[-1].pos_ in ("ADP", "DET") or out[-1].lower_ in ("de", "d'", "du", "des", "la", "le", "l'")):
            out.pop()
        if not out:
            return None, k
        text = doc[out[0].i:out[-1].i + 1].text
        return " ".join(text.split()), out[-1].i + 1
