"""Actor mentions in a parsed sentence: named persons (with the title phrase
around them), nominal mentions ("le président russe", "son homologue",
"le maître du Kremlin"), pronouns, "les deux dirigeants", states (names,
capitals, seats of power), organisations and places.

Works on surface order and the gazetteer spans: the statistical parse of
long news sentences is too unreliable to carry the roles alone.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..components.gazetteer import SPAN_KEY
from ..lexicon import Lexicon, fold, split_form

DETERMINERS = {"le", "la", "l'", "les", "son", "sa", "ses", "leur", "leurs", "un", "une", "ce", "cet", "cette",
               "notre", "votre"}
CONTRACTIONS = {"au": "à", "aux": "à", "du": "de", "des": "de"}
PREPOSITIONS = {"à", "a", "avec", "de", "d'", "par", "entre", "et", "pour", "chez", "sur", "contre", "selon",
                "envers", "auprès", "vers", "en"}
PARTICLES = {"el", "al", "ben", "bin", "ibn", "bint", "ould", "ag", "de", "da", "del", "van", "von", "der", "den",
             "di", "du", "la", "le", "y", "dos", "das", "abou", "abu", "bou", "ter"}
FRENCH_PARTICLES = {"de", "du", "des", "d'", "la", "le", "les", "l'"}
KINSHIP = {"frère", "frères", "sœur", "soeur", "ami", "amie", "hôte", "homologue"}
CONNECTORS = {"de", "du", "d'", "des", "de la", "de l'", "en"}
PRONOUNS = {"il": "m", "elle": "f"}
NOT_NAMES = {"président", "présidente", "ministre", "premier", "roi", "reine", "prince", "chef", "l'", "le", "la",
             "les", "selon", "source", "m.", "mme", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi",
             "dimanche", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
             "octobre", "novembre", "décembre", "dans", "lors", "après", "avant", "par", "pour", "en", "au",
             "son", "sa", "ses", "leur", "cette", "ce", "un", "une", "il", "elle", "ils", "elles", "de", "du",
             "des", "et", "à", "a", "avec", "sur"}


@dataclass
class Mention:
    start: int  # token span of the whole phrase, title included
    end: int
    kind: str  # person, nominal, pronoun, pair, state, org, place
    sent: int
    name: str | None = None  # persons: the name as written (honorifics removed)
    name_start: int = -1
    role: str | None = None
    rank: str | None = None
    states: list[str] = field(default_factory=list)  # iso2 codes from demonyms / "de la Russie"
    org: str | None = None  # organisation key
    key: str | None = None  # state iso2, org key or place name for those kinds
    seat_kind: str | None = None  # a seat of power ("Kremlin") rather than the state's name
    capital: bool = False
    plural: bool = False
    gender: str = ""
    prep: str | None = None  # the preposition right before the phrase
    actor: list[str] = field(default_factory=list)  # resolved actor keys
    text: str = ""
    not_of: list["Mention"] = field(default_factory=list)  # an object pronoun never points at these
    more_ranks: list[str] = field(default_factory=list)  # further offices: "vice-Premier ministre, ministre des AE"


def _is_namey(tok: Token) -> bool:
    t = tok.text
    if not t or fold(t) in NOT_NAMES and not t[0].isupper():
        return False
    if t[0].isupper() and any(c.isalpha() for c in t) and t.lower() not in NOT_NAMES:
        return True
    return False


def _name_run(doc: Doc, i: int, stop: int, blocked: set[int]) -> int:
    """End (exclusive) of a person-name run starting at token i, or i."""
    if i < stop and doc[i].lower_ in FRENCH_PARTICLES:
        return i  # "du Conseil", "de la Défense": a complement, not a name
    j = i
    while j < stop and (j not in blocked or j > i and doc[j - 1].lower_ in PARTICLES
                        and doc[j].text[:1].isupper() and j + 1 < stop and _is_namey(doc[j + 1])):
        # a title word inside a name is part of it: "Mohamed Ould Cheikh El Ghazouani"
        tok = doc[j]
        low = tok.lower_
        if _is_namey(tok) or (j > i and tok.text.startswith("-") and tok.text[1:2].isalpha()
                              and doc[j - 1].whitespace_ == ""):
            j += 1
            continue
        if tok.text == "-" and j > i and doc[j - 1].whitespace_ == "" and tok.whitespace_ == "" \
                and j + 1 < stop and doc[j + 1].is_alpha:
            j += 2  # "Moon Jae-in", "Kim Jong-un"
            continue
        if low in PARTICLES or tok.text in ("-",) or (low.endswith("-") and len(low) > 1):
            # a particle or hyphen must be followed by more of the name
            if j + 1 < stop and (j + 1) not in blocked and (_is_namey(doc[j + 1]) or doc[j + 1].text == "-"):
                j += 1
                continue
            if j + 2 < stop and doc[j + 1].lower_ in PARTICLES and _is_namey(doc[j + 2]) and j > i:
                j += 2  # "von der Leyen", "van der Bellen"
                continue
        break
    # do not end on a particle
    while j > i and (doc[j - 1].lower_ in PARTICLES or doc[j - 1].text == "-"):
        j -= 1
    return j


class MentionFinder:
    def __init__(self, lexicon: Lexicon) -> None:
        self.dateline: str | None = None  # state of the first sentence's dateline, set by find()
        self.lex = lexicon
        self.honorifics = {h.lower() for h in lexicon.honorifics}
        self.modifiers = {t.form for t in lexicon.triggers_of("title_modifier")}
        self.suffixes = {t.form for t in lexicon.triggers_of("title_suffix")}
        self.pair_forms: dict[str, list[list[str]]] = {}  # first folded word -> phrases, in file order
        for trig in lexicon.triggers_of("pair"):
            words = split_form(trig.form)
            self.pair_forms.setdefault(words[0], []).append(words)
        # head words of seat periphrases: "maître du {seat}" -> (maître, head_of_state)
        self.seat_heads: dict[str, str] = {}
        self.nominal_heads: dict[str, str] = {}
        for pattern, meaning in lexicon.nominals:
            head = fold(pattern.split("{")[0].strip())
            for conn in (" du", " de l'", " de la", " de", " d'"):
                if head.endswith(conn):
                    head = head[: -len(conn)]
                    break
            if "{seat}" in pattern or "{capital}" in pattern or "{state}" in pattern:
                self.seat_heads[head] = meaning
            else:
                self.nominal_heads[head] = meaning

    # ------------------------------------------------------------------ spans
    def _gaz(self, sent: Span) -> tuple[dict[int, Span], dict[int, Span]]:
        titles, ents = {}, {}
        for sp in sent.doc.spans.get(SPAN_KEY, []):
            if sp.start < sent.start or sp.end > sent.end:
                continue
            if sp.label_ in ("TITLE", "HONORIFIC"):
                titles[sp.start] = sp
            else:
                ents[sp.start] = sp
        # a title cut short where a state or organisation starts inside it
        for start, sp in list(titles.items()):
            for k in range(sp.start + 1, sp.end):
                if k in ents:
                    end = k
                    while end > sp.start + 1 and fold(sent.doc[end - 1].text) in {"de", "d'", "du", "la", "l'", "des"}:
                        end -= 1
                    titles[start] = Span(sent.doc, sp.start, end, label=sp.label_, kb_id=fold(sent.doc[sp.start:end].text))
                    break
        return titles, ents

    def _title(self, span: Span):
        form = fold(span.text)
        t = self.lex.title_forms.get(form)
        if t is None:
            t = self.lex.title_forms.get(fold(span[0].text))
        return t

    def find(self, sent: Span, sent_index: int) -> list[Mention]:
        doc = sent.doc
        titles, ents = self._gaz(sent)
        self._titles = titles  # for complements that hold another office ("de l'envoyé du secrétaire général")
        ent_tokens = {k for sp in ents.values() for k in range(sp.start, sp.end)}
        mentions: list[Mention] = []
        used: set[int] = set()
        i = sent.start
        while i < sent.end:
            if i in used:
                i += 1
                continue
            tok = doc[i]
            low = tok.lower_
            m = None
            if i in titles or low in self.seat_heads or low in self.nominal_heads:
                m = self._title_phrase(doc, i, sent, titles, ents, ent_tokens, sent_index)
                if m is not None and len(m.states) >= 2 and fold(doc[i].text).endswith("s") or \
                        m is not None and m.kind == "nominal" and m.plural:
                    split = self._plural_apposition(doc, m, sent, titles, ent_tokens, sent_index)
                    if split:
                        for x in split:
                            x.prep = self._prep(doc, x.start, sent) if x is split[0] else "et"
                            x.text = doc[x.start:x.end].text
                            mentions.append(x)
                            used.update(range(x.start, x.end))
                        i = split[-1].end
                        continue
            elif _is_namey(tok) and i not in ent_tokens:
                end = self._known_tail(doc, i, _name_run(doc, i, sent.end, ent_tokens | set(titles)), sent)
                if end > i and self._accept_bare_name(doc, i, end, sent):
                    m = Mention(i, end, "person", sent_index, name=self._name_text(doc, i, end), name_start=i)
                    self._apposition(doc, m, sent, titles, ents, ent_tokens)
            elif i in ents:
                sp = ents[i]
                m = self._entity(sp, sent_index)
            elif low in ("lui", "elle") and i > sent.start and doc[i - 1].lower_ == "avec":
                # "s'est entretenu avec lui": somebody other than the subject
                m = Mention(i, i + 1, "pronoun", sent_index, gender="f" if low == "elle" else "", rank="object")
            elif low in PRONOUNS and tok.pos_ == "PRON" or low in PRONOUNS and i > sent.start and \
                    doc[i - 1].text in (",", "-") or low in PRONOUNS and i == sent.start:
                m = Mention(i, i + 1, "pronoun", sent_index, gender=PRONOUNS[low])
            if m is None:
                pair = self._pair(doc, i, sent)
                if pair:
                    m = Mention(i, pair, "pair", sent_index, plural=True)
            dateline = self._dateline(doc, m, sent) if m is not None and m.kind in ("state", "place") \
                and m.start == sent.start and m.end < sent.end else 0
            if dateline:
                used.update(range(m.start, dateline))  # a dateline: "NEW DELHI —", "Téhéran, IRNA -"
                if sent_index == 0 and m.kind == "state" and m.key:
                    self.dateline = m.key  # where the story is told from
                i = dateline
                continue
            if m is not None and m.kind == "person" and m.name and fold(m.name) in self.lex.not_persons:
                used.update(range(m.start, m.end))
                i = m.end
                continue
            if m is None and i in titles and titles[i].label_ == "HONORIFIC":
                i = titles[i].end  # an honorific alone is nobody's name
                continue
            if m is None:
                i += 1
                continue
            m.prep = self._prep(doc, m.start, sent)
            m.text = doc[m.start:m.end].text
            mentions.append(m)
            used.update(range(m.start, m.end))
            i = m.end
        return self._named_after(doc, mentions)

    @staticmethod
    def _named_after(doc: Doc, mentions: list[Mention]) -> list[Mention]:
        """"l'envoyé spécial ... et chef de la Mission d'appui des Nations unies en Libye
        (MANUL), Abdoulaye Bathily": an office phrase whose complement the lexicon
        does not know, then a bare name after a comma: one person."""
        out: list[Mention] = []
        skip: set[int] = set()
        for n, m in enumerate(mentions):
            if id(m) in skip:
                continue
            if m.kind == "nominal" and not m.plural and m.rank not in (None, "counterpart"):
                nxt = next((x for x in mentions[n + 1:] if x.kind == "person"), None)
                if nxt is not None and (nxt.role is None or nxt.rank == m.rank) and 0 < nxt.start - m.end <= 20 \
                        and doc[nxt.start - 1].text == "," \
                        and not any(t.pos_ in ("VERB", "AUX") and "Part" not in t.morph.get("VerbForm")
                                    or t.text in (";", ":", "«", "»")
                                    or t.lower_ in ("par", "avec", "à", "au", "aux", "pour", "entre", "auprès")
                                    or t.lower_ == "et" and doc[t.i + 1].lower_ not in ("de", "du", "des", "d'")
                                    for t in doc[m.end:nxt.start]):
                    between = [x for x in mentions[n + 1:] if m.end <= x.start < nxt.start]
                    if all(x.kind in ("state", "org", "place") for x in between):
                        m.kind, m.name, m.name_start, m.end, m.text = \
                            "person", nxt.name, nxt.name_start, nxt.end, doc[m.start:nxt.end].text
                        m.states = m.states or nxt.states  # "..., le président nigérian X"
                        m.org = m.org or nxt.org
                        skip.update(id(x) for x in between + [nxt])
            out.append(m)
        return out

    @staticmethod
    def _dateline(doc: Doc, m: Mention, sent: Span) -> int:
        """End of a dateline opening the text, 0 when there is none: a place before a
        dash, with the date and agency between ("NEW DELHI —", "Le Caire /AA/ -",
        "Pékin, 14 avril (Xinhua) --", "Téhéran, IRNA -")."""
        for k in range(m.end, min(sent.end, m.end + 10)):
            if doc[k].text in ("—", "–", "-", "--"):
                while k + 1 < sent.end and doc[k + 1].text in ("—", "–", "-"):
                    k += 1
                return k + 1 if k > m.end or doc[m.start].text[:1].isupper() else 0
            if doc[k].pos_ in ("VERB", "AUX") or doc[k].text in (".", ";", ":"):
                break
        if doc[m.end].text in ("(", ",") and doc[m.start:m.end].text.isupper():
            return m.end  # "WASHINGTON (AFP) ..." with no dash: the place only
        return 0

    def _plural_apposition(self, doc: Doc, m: Mention, sent: Span, titles, ent_tokens, sent_index) -> list[Mention]:
        """"Les ministres des Affaires étrangères de la RDC et du Rwanda, X et Y":
        one person per name, each with the state of the same rank."""
        k = m.name_start - 1 if m.kind == "person" else m.end
        if k + 1 >= sent.end or doc[k].text != ",":
            return []
        blocked = ent_tokens | set(titles)
        out: list[Mention] = []
        n = k + 1
        while n < sent.end and len(out) < len(m.states):
            end = _name_run(doc, n, sent.end, blocked)
            if end <= n:
                break
            start = m.start if not out else n
            out.append(Mention(start, end, "person", sent_index, name=self._name_text(doc, n, end), name_start=n,
                               role=m.role, rank=m.rank, states=[m.states[len(out)]], org=m.org))
            if end < sent.end and doc[end].lower_ in ("et", ",") and len(out) < len(m.states):
                n = end + 1
                continue
            break
        return out if len(out) == len(m.states) else []

    # ------------------------------------------------------------- pieces
    def _pair(self, doc: Doc, i: int, sent: Span) -> int | None:
        first = fold(doc[i].text)
        for words in self.pair_forms.get(first, ()):
            if i + len(words) <= sent.end and [fold(t.text) for t in doc[i:i + len(words)]] == words:
                if words in (["ils"], ["elles"]) and doc[i].pos_ != "PRON":
                    continue
                return i + len(words)
        return None

    def _prep(self, doc: Doc, start: int, sent: Span) -> str | None:
        k = start - 1
        if k < sent.start:
            return None
        if k - 1 > sent.start and doc[k].lower_ in KINSHIP and doc[k - 1].lower_ in ("son", "sa", "leur"):
            k -= 2  # "de son frère le Premier ministre": the preposition before "son frère"
        if k > sent.start and doc[k].pos_ == "ADJ" and doc[k].text[:1].islower() \
                and doc[k - 1].lower_ in CONTRACTIONS:
            k -= 1  # "au nouveau locataire de Downing Street"
        low = doc[k].lower_
        if low in CONTRACTIONS:
            return CONTRACTIONS[low]
        if low in PREPOSITIONS:
            # "de la", "à l'": the article sits between
            return "à" if low == "a" else ("de" if low == "d'" else low)
        if low in ("la", "l'", "les") and k - 1 >= sent.start and doc[k - 1].lower_ in PREPOSITIONS:
            return "de" if doc[k - 1].lower_ == "d'" else doc[k - 1].lower_
        return None

    def _entity(self, sp: Span, sent_index: int) -> Mention | None:
        label, key = sp.label_, sp.kb_id_
        start = sp.start
        if start > sp.doc[:].start and sp.doc[start - 1].lower_ in ("la", "le", "l'", "les"):
            start -= 1
        if label == "STATE":
            return Mention(start, sp.end, "state", sent_index, key=key, states=[key])
        if label == "CAPITAL":
            return Mention(start, sp.end, "state", sent_index, key=key, states=[key], capital=True)
        if label == "SEAT":
            iso, _, kind = key.partition(":")
            return Mention(start, sp.end, "state", sent_index, key=iso, states=[iso], seat_kind=kind or "government")
        if label == "ORG":
            return Mention(start, sp.end, "org", sent_index, key=key, org=key)
        if label == "PLACE":
            return Mention(start, sp.end, "place", sent_index, key=key)
        return None  # a demonym alone is not an actor

    def _accept_bare_name(self, doc: Doc, i: int, end: int, sent: Span) -> bool:
        span = doc[i:end]
        if doc[i].pos_ in ("AUX", "VERB", "ADP", "DET", "CCONJ", "SCONJ"):
            return False  # "Ont pris part", "Selon": a capitalised word, not a name
        if end - i == 1 and i > sent.start and doc[i - 1].lower_ in ("la", "le", "l'", "les", "du", "des", "au", "aux"):
            return False  # "au Palais de la République, le ministre": an institution, not a name
        if self._known_name(span.text):
            return True  # an office holder of the gazetteer, whatever the parser thought
        if i == sent.start and end - i == 1 and not any(e.label_ == "PER" for e in doc.ents
                                                        if e.start <= i < e.end):
            return False  # a capitalised first word alone
        if any(e.label_ == "PER" and e.start <= i < e.end for e in doc.ents):
            return True
        # two or more capitalised words in a row look like a name when NER agrees it is an entity
        if end - i >= 2 and any(e.start <= i < e.end and e.label_ in ("PER", "MISC", "ORG", "LOC") for e in doc.ents):
            return self._followed_by_title(doc, end, sent) or any(
                e.label_ == "PER" for e in doc.ents if e.start <= i < e.end)
        return self._followed_by_title(doc, end, sent) and span[0].text[0].isupper()

    def _known_tail(self, doc: Doc, i: int, end: int, sent: Span) -> int:
        """"Kim Jong Un": a last word the run stopped at ("Un" looks like an
        article) when the longer name is an office holder's."""
        if i < end < sent.end and doc[end].text[:1].isupper() and \
                self.lex.person_tokens(doc[i:end + 1].text) and self._known_name(doc[i:end + 1].text) and \
                len(self.lex.person_tokens(doc[i:end + 1].text)) > len(self.lex.person_tokens(doc[i:end].text)):
            return end + 1
        return end

    def _known_name(self, text: str) -> bool:
        """Is this the full name, or the surname, of an office holder of persons.tsv?"""
        toks = self.lex.person_tokens(text)
        if not toks:
            return False
        for kp in self.lex.person_by_token.get(toks[-1], ()):
            for n in (kp.name, *kp.aliases):
                nt = self.lex.person_tokens(n)
                if len(toks) >= 2 and set(toks) <= set(nt) or len(toks) == 1 and len(toks[0]) > 3 and nt[-1:] == toks:
                    return True
        return False

    def _followed_by_title(self, doc: Doc, end: int, sent: Span) -> bool:
        if end + 2 < sent.end and doc[end].text == ",":
            k = end + 1
            if doc[k].lower_ in DETERMINERS:
                k += 1
            return fold(doc[k].text) in self.lex.title_forms
        return False

    @staticmethod
    def _name_text(doc: Doc, i: int, end: int) -> str:
        text = doc[i:end].text
        return " ".join(text.replace(" - ", "-").replace("- ", "-").replace(" -", "-").split())

    def _apposition(self, doc, m: Mention, sent, titles, ents, ent_tokens) -> None:
        """"Vladimir Poutine, le président russe," / "X, président de la Russie"."""
        k = m.end
        if k >= sent.end or doc[k].text != ",":
            return
        k += 1
        if k < sent.end and doc[k].lower_ in DETERMINERS:
            k += 1
        if k in titles:
            t = self._title(titles[k])
            states, org, end = self._complements(doc, titles[k].end, sent, ents)
            if end < sent.end and _is_namey(doc[end]) or (states and m.states and states[0] not in m.states):
                return  # "X, le président iranien Hassan Rohani": a second person
            if end < sent.end and doc[end].pos_ in ("VERB", "AUX"):
                return  # "Dans un message adressé au président X, le secrétaire général a ...": a new subject
            after = self._unknown_complement(doc, end, sent)
            for _ in range(3):  # "..., le ministre des Affaires étrangères et des Expatriés, Y"
                if after + 2 < sent.end and doc[after].lower_ == "et" and doc[after + 1].lower_ in ("de", "du", "des", "d'"):
                    after = self._unknown_complement(doc, after + 1, sent)
                else:
                    break
            if after + 1 < sent.end and doc[after].text == "," and _is_namey(doc[after + 1]) \
                    and doc[after + 1].lower_ not in FRENCH_PARTICLES and after + 1 not in titles:
                return  # "Reçu par le président X, le ministre italien des Affaires étrangères, Y, ...": Y's title
            if t and t.rank != "counterpart":
                m.role, m.rank = t.role, t.rank
            m.states = m.states or states
            m.org = m.org or org
            m.end = self._more_titles(doc, end, sent, titles, ents, m)
            if not m.states and not m.org:  # "X, ministre ... et de la Coopération du Niger"
                m.states = self._states_in_title(doc, k, m.end, ents)

    def _more_titles(self, doc: Doc, k: int, sent: Span, titles, ents, m: Mention | None = None) -> int:
        """"..., prince héritier, vice-président du Conseil des ministres et
        ministre de la Défense": further offices of the same person, each
        after a comma or "et", joined to the phrase. Returns the new end."""
        while k + 1 < sent.end and doc[k].text in (",", "et"):
            j = k + 1
            if doc[j].lower_ in DETERMINERS and doc[j].lower_ not in ("son", "sa", "ses", "leur", "leurs"):
                j += 1
            if j not in titles or titles[j].label_ != "TITLE":
                break
            t = self._title(titles[j])
            if t is None or t.rank == "counterpart":
                break
            states, org, end = self._complements(doc, titles[j].end, sent, ents)
            for _ in range(3):  # "... et des Expatriés du Royaume hachémite de Jordanie"
                end = self._unknown_complement(doc, end, sent)
                if end + 1 < sent.end and doc[end].lower_ == "et" and doc[end + 1].lower_ in ("de", "du", "des", "d'"):
                    end += 1
                    continue
                more, org2, end2 = self._complements(doc, end, sent, ents)
                if end2 > end:
                    states.extend(x for x in more if x not in states)
                    org = org or org2
                    end = end2
                    continue
                break
            if end < sent.end and _is_namey(doc[end]) and doc[end].lower_ not in FRENCH_PARTICLES and end not in ents:
                break  # "..., et le ministre X": somebody else (not "président du parti Russie unie")
            if m is not None:
                if states and m.states and states[0] not in m.states:
                    break
                m.states = m.states or states
                m.org = m.org or org
                if t.rank:
                    m.more_ranks.append(t.rank)
            k = end
        return k

    @staticmethod
    def _unknown_complement(doc: Doc, k: int, sent: Span) -> int:
        """"du Conseil des ministres", "de la Coopération internationale": an
        office's complement the lexicon does not know, up to a comma, "et"
        followed by more, or a verb."""
        if k >= sent.end or doc[k].lower_ not in ("de", "du", "d'", "des", "chargé", "chargée"):
            return k
        j = k
        while j < min(sent.end, k + 8) and doc[j].text not in (",", ";", ".", "(", ")") \
                and doc[j].pos_ not in ("VERB", "AUX") and not (doc[j].lower_ == "et" and j > k + 1):
            if j > k and doc[j].text[:1].isupper() and not doc[j - 1].text[:1].isupper() \
                    and doc[j - 1].lower_ not in ("de", "du", "des", "d'", "la", "l'", "le", "les", "et", "à"):
                break  # "des Affaires étrangères Prak Sokhonn": the name begins
            j += 1
        return j

    def _complements(self, doc: Doc, k: int, sent: Span, ents: dict[int, Span]):
        """Demonyms and "de la Russie" / "de l'ONU" after a title; returns
        (states, org, end)."""
        states: list[str] = []
        org = None
        titles = getattr(self, "_titles", {})
        while k < sent.end:
            if fold(doc[k].text) in self.suffixes and k not in ents:
                k += 1  # "le secrétaire d'Etat adjoint américain"
                continue
            # "l'envoyé spécial du secrétaire général des Nations unies": the office of another,
            # whose organisation is this person's too
            if doc[k].lower_ in ("du", "de", "d'", "des") and k + 1 < sent.end:
                j = k + 1 if (k + 1) in titles else (k + 2 if (k + 2) in titles and doc[k + 1].lower_ in ("la", "l'") else None)
                if j is not None and titles[j].label_ == "TITLE":
                    _, inner_org, end = self._complements(doc, titles[j].end, sent, ents)
                    if inner_org or end > titles[j].end:
                        org = org or inner_org
                        k = end
                        continue
            # "pour la Libye", "auprès de": where the office is exercised, not whom it represents
            if doc[k].lower_ == "pour" and k + 1 < sent.end:
                j = k + 1
                while j < sent.end and doc[j].lower_ in ("la", "le", "l'", "les") and j - k < 3:
                    j += 1
                if j in ents and ents[j].label_ in ("STATE", "PLACE", "CAPITAL"):
                    k = ents[j].end
                    continue
            if k in ents and ents[k].label_ == "DEMONYM":
                states.extend(self._demonym_states(ents[k]))
                k = ents[k].end
                if k + 1 < sent.end and doc[k].lower_ == "et" and (k + 1) in ents and ents[k + 1].label_ == "DEMONYM":
                    k += 1
                    continue
                continue
            # "l'ambassadeur du Pakistan auprès des Nations unies": the posting, not the affiliation
            if doc[k].lower_ == "auprès" and k + 1 < sent.end and doc[k + 1].lower_ in ("de", "du", "des", "d'"):
                j = k + 1
                while j < sent.end and doc[j].lower_ in ("de", "du", "des", "d'", "la", "l'") and j - k < 4:
                    j += 1
                if j in ents and ents[j].label_ in ("ORG", "STATE", "CAPITAL"):
                    k = ents[j].end
                    if k + 2 < sent.end and doc[k].text == "(" and doc[k + 2].text == ")":
                        k += 3
                    continue
                break
            # connectors "de", "du", "de la", "de l'", "des", "en"; "et du Rwanda" after a first state
            j = k
            if states and doc[k].lower_ in ("et", ",") and k + 1 < sent.end and doc[k + 1].lower_ in ("de", "du", "d'", "des"):
                # "de la France, de l'Allemagne et du Royaume-Uni"
                j = k + 1
                k0 = k
                while j < sent.end and doc[j].lower_ in ("de", "du", "d'", "des", "la", "l'") and j - k0 < 3:
                    j += 1
                if j in ents and ents[j].label_ == "STATE":
                    iso = ents[j].kb_id_.split(":")[0]
                    if iso not in states:
                        states.append(iso)
                    k = ents[j].end
                    continue
                break
            j = k
            while j < sent.end and doc[j].lower_ in ("de", "du", "d'", "des", "la", "l'", "en", "au", "aux") and j - k < 2:
                j += 1
            if j > k and j in ents and ents[j].label_ in ("STATE", "ORG", "SEAT", "CAPITAL"):
                sp = ents[j]
                after = sp.end
                if after + 2 < sent.end and doc[after].text == "(" and doc[after + 2].text == ")":
                    sp = Span(doc, sp.start, after + 3, label=sp.label_, kb_id=sp.kb_id_)  # "(OMS)"
                if sp.label_ == "ORG":
                    if org is None:
                        org = sp.kb_id_
                        o = self.lex.org_by_key.get(org)
                        if o and o.state and not states:
                            states.append(o.state)
                elif not states or doc[k].lower_ != "en":
                    iso = sp.kb_id_.split(":")[0]
                    if iso not in states and not (states and doc[k].lower_ == "en"):
                        states.append(iso)
                k = sp.end
                continue
            break
        return states, org, k

    def _demonym_states(self, sp: Span) -> list[str]:
        cands = self.lex.demonyms.get(fold(sp.text), ())
        return [cands[0].iso2] if cands else []

    def _title_phrase(self, doc, i, sent, titles, ents, ent_tokens, sent_index) -> Mention | None:
        low = doc[i].lower_
        start = i
        if i > sent.start and i in titles and titles[i].label_ == "TITLE" and titles[i].end - i == 1 \
                and doc[i - 1].pos_ == "NOUN" and doc[i - 1].text[:1].islower() and doc[i].text[:1].islower():
            return None  # "au siège du secrétariat général": an adjective after a noun, not an office
        if start > sent.start and doc[start - 1].lower_ in ("un", "une", "des", "premier", "première", "seul", "seule",
                                                             "autre", "autres") and i in titles \
                and not (doc[start - 1].lower_ in ("premier", "première") and doc[start - 1].text[0].isupper()):
            return None  # "un chef de gouvernement": not a reference to anybody
        if start - 1 > sent.start and fold(doc[start - 1].text) in self.modifiers \
                and doc[start - 2].lower_ in DETERMINERS:
            start -= 1  # "le nouveau président de la République"
        if start > sent.start and doc[start - 1].lower_ in DETERMINERS:
            start -= 1
        honor = None
        role = rank = None
        gender = ""
        states: list[str] = []
        org = None
        seat_kind = None
        extra_ranks: list[str] = []  # further offices of the same person
        if i in titles and titles[i].label_ == "HONORIFIC":
            honor = titles[i]
            k = honor.end
            if k + 1 < sent.end and doc[k].lower_ in DETERMINERS and (k + 1) in titles \
                    and titles[k + 1].label_ == "TITLE":
                k += 1  # "Son Excellence le président de ..."
                honor = None  # the title phrase goes on as without an honorific
            if k in titles and titles[k].label_ == "TITLE":
                t = self._title(titles[k])
                if t:
                    role, rank, gender = t.role, t.rank, t.gender
                k = titles[k].end
        elif i in titles:
            t = self._title(titles[i])
            if t:
                role, rank, gender = t.role, t.rank, t.gender
            k = titles[i].end
        else:
            # "le maître du Kremlin", "le dirigeant syrien"
            meaning = self.seat_heads.get(low) or self.nominal_heads.get(low)
            k = i + 1
            j = k
            while j < sent.end and doc[j].lower_ in ("de", "du", "d'", "la", "l'") and j - k < 2:
                j += 1
            if low in self.seat_heads and j > k and j in ents and ents[j].label_ in ("SEAT", "CAPITAL", "STATE"):
                sp = ents[j]
                states.append(sp.kb_id_.split(":")[0])
                rank, seat_kind = meaning, "head_of_state"
                seat = self.lex.seats.get(fold(sp.text)) if sp.label_ == "SEAT" else None
                if seat is not None and seat[1] == "head_of_government" and meaning == "head_of_state":
                    rank = seat_kind = "head_of_government"  # "le locataire de Downing Street": the Prime Minister
                k = sp.end
            elif low in self.nominal_heads and k in ents and ents[k].label_ == "DEMONYM":
                rank = meaning
                role = low if low not in ("dirigeant", "dirigeante", "numéro") else None
            else:
                return None
        more, org, k = self._complements(doc, k, sent, ents)
        states.extend(s for s in more if s not in states)
        plural = doc[i].lower_.endswith("s") and doc[i].lower_ not in ("ministre des affaires étrangères",) \
            and len(states) > 1
        # the name after the title, possibly after a comma
        if org and not states and rank in ("head_of_state", "head_of_government", "leader", "royal"):
            rank = "international_official"  # "le président de la Commission de l'UA"
        if k < sent.end and doc[k].lower_ == "et" and not plural:
            # "le vice-Premier ministre et ministre des Affaires étrangères de l'Irak, X"
            probe = Mention(start, k, "nominal", sent_index, states=list(states), org=org)
            k2 = self._more_titles(doc, k, sent, titles, ents, probe)
            if k2 > k:
                k = k2
                states, org = probe.states, probe.org
                extra_ranks.extend(probe.more_ranks)
        n = k
        if n < sent.end and doc[n].text == "," and n + 1 < sent.end and _is_namey(doc[n + 1]) and honor is None:
            n += 1
        elif n + 2 < sent.end and doc[n].text == "," and honor is None and (
                (n + 1) in titles or doc[n + 1].lower_ in DETERMINERS and (n + 2) in titles):
            n = n + 1 if (n + 1) in titles else n + 2
            while n in titles:  # "le prince héritier d'Abou Dhabi, cheikh Mohammed ben Zayed"
                t2 = self._title(titles[n])
                if t2 is not None and t2.rank:
                    extra_ranks.append(t2.rank)  # "le vice-Premier ministre, ministre des AE ..., X"
                n = titles[n].end
            if n < sent.end and not _is_namey(doc[n]):
                # "l'envoyé de l'ASEAN, le ministre cambodgien des Affaires étrangères Prak Sokhonn"
                _, _, n2 = self._complements(doc, n, sent, ents)
                n2 = self._unknown_complement(doc, n2, sent)
                if n2 < sent.end and _is_namey(doc[n2]):
                    n = n2
        if n == k:
            while n in titles:  # "l'Emir Cheikh Tamim", "le président le général X"
                n = titles[n].end
        blocked = ent_tokens | set(titles)
        if n < sent.end and not _is_namey(doc[n]) and honor is None:
            n = self._name_further(doc, n, sent, titles)
        end = _name_run(doc, n, sent.end, blocked) if n < sent.end else n
        end = self._known_tail(doc, n, end, sent)
        if end > n and (n == k or self._looks_like_person(doc, n, end)):
            name = self._name_text(doc, n, end)
            if not states:  # "le roi Abdallah II de Jordanie"
                more, org2, k2 = self._complements(doc, end, sent, ents)
                if more and doc[end].lower_ in ("de", "du", "d'"):
                    states.extend(more)
                    end = k2
            if not states and not org:  # "ministre ... et de la Coopération de la République du Niger, M. X"
                states = self._states_in_title(doc, start, n, ents)
            m = Mention(start, end, "person", sent_index, name=name, name_start=n, role=role, rank=rank,
                        states=states, org=org, gender=gender, more_ranks=extra_ranks)
            if rank == "counterpart":
                m.role = m.rank = None
                m.rank = "counterpart"
            self._apposition(doc, m, sent, titles, ents, ent_tokens)
            return m
        if honor is not None:
            return None
        nominal = Mention(start, k, "nominal", sent_index, role=role if rank != "counterpart" else None, rank=rank,
                          states=states, org=org, gender=gender, plural=plural, seat_kind=seat_kind)
        if rank != "counterpart" and not plural and seat_kind is None:
            nominal.end = self._more_titles(doc, k, sent, titles, ents, nominal)
            if not nominal.states and not nominal.org:
                nominal.states = self._states_in_title(doc, start, nominal.end, ents)
        return nominal

    @staticmethod
    def _states_in_title(doc: Doc, a: int, b: int, ents: dict[int, Span]) -> list[str]:
        """The one state an office's words name as its own ("de la République du
        Niger" after complements the lexicon does not know), not where it is
        exercised ("pour la Libye", "auprès de", "à", "en")."""
        found: list[str] = []
        for j in range(a, b):
            sp = ents.get(j)
            if sp is None or sp.label_ != "STATE" or sp.end > b:
                continue
            prev = [t.lower_ for t in doc[max(a, j - 3):j]]
            if not prev or prev[-1] not in ("de", "du", "d'", "des", "la", "l'"):
                continue
            if any(w in ("auprès", "pour", "à", "en", "au", "aux", "avec", "entre") for w in prev):
                continue
            iso = sp.kb_id_.split(":")[0]
            if iso not in found:
                found.append(iso)
        return found if len(found) == 1 else []

    @staticmethod
    def _name_further(doc: Doc, n: int, sent: Span, titles: dict[int, Span]) -> int:
        """"le président du Conseil de souveraineté du Soudan, le général Abdel
        Fattah al-Burhane": skip an unknown "de ..." complement up to a comma
        followed by an optional article and titles, then the name."""
        start = n
        while n + 1 < sent.end and doc[n].pos_ == "ADJ" and doc[n].text[:1].islower() and n - start < 2:
            n += 1  # "le président du Conseil militaire de transition, X"
        if n > start and doc[n].text == "," and n + 1 < sent.end:
            k = n + 1
            if doc[k].lower_ in DETERMINERS:
                k += 1
            while k in titles:
                k = titles[k].end
            return k if k < sent.end and _is_namey(doc[k]) else start
        if doc[n].text in (",", "et") and n + 1 < sent.end and doc[n + 1].lower_ in ("de", "du", "d'", "des"):
            n += 1  # "le ministre des Affaires étrangères, de la Coopération africaine et ..., M. X"
            # "le ministre des Affaires étrangères et des Expatriés, X"
        if doc[n].lower_ not in ("de", "du", "d'", "des", "pour", "auprès", "chargé", "chargée"):
            return start
        k = n
        while k < min(sent.end, n + 16) and doc[k].text != "," and (
                doc[k].pos_ not in ("VERB", "AUX") or "Part" in doc[k].morph.get("VerbForm")):
            k += 1  # a participle stays in the office's name: "des Marocains résidant à l'étranger"
        if k >= sent.end or doc[k].text != ",":
            return start
        k += 1
        if k < sent.end and doc[k].lower_ in DETERMINERS:
            k += 1
        while k in titles:
            k = titles[k].end
        return k if k < sent.end and _is_namey(doc[k]) else start

    @staticmethod
    def _looks_like_person(doc: Doc, n: int, end: int) -> bool:
        return any(e.label_ == "PER" and e.start <= n < e.end for e in doc.ents) or end - n >= 2
