"""People: who the client talks about, resolved to a role, and what is felt or done with each.

A mention is a role word anchored by a possessive ("my sister", "me mum", "mi madre", "my old
man"), a kinship word used as a name ("Mum", "Gran"), a name bound to a role earlier in the same
document ("my sister Anna" / "Anna, my sister" / "Anna's my sister" / a name given in answer to
"and your partner?"), or "you" when it is clearly about the therapist ("I'm angry with you", "you
probably think I'm mad", "when you go on holiday") and not generic ("you just get used to it").
Names are remembered for later turns of the same document; ``People(known=...)`` carries names
learnt from a client's earlier documents. A feeling ("angry", "hurt", "close", "afraid", ...) and a
generic action ("contact", "left", "ignored", ...) in the same sentence are attached, unless
negated ("I'm not angry with Karen").
"""

import re
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from reverie.analysis.document import Annotation, Document, Span
from reverie.analysis.labelsets import ROLES
from reverie.analysis.matching import normalise, sentence_at
from reverie.record import Speaker

if TYPE_CHECKING:
    from reverie.analysis.labelling import LabelResult

# Role words that need a possessive ("my", "our", "me", "mi") or a determiner before them.
_ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "mother": ("mum", "mom", "mother", "mam", "mammy", "mummy", "mommy", "ma", "mama", "mamma", "momma", "old dear", "madre", "mamá", "mère", "mutter", "mãe",
               "stepmum", "stepmom", "stepmother", "step-mum", "step-mom", "step-mother", "step mum", "step mom"),
    "father": ("dad", "father", "daddy", "da", "pa", "papa", "pop", "pops", "old man", "padre", "papá", "père", "vater", "pai", "papà",
               "stepdad", "stepfather", "step-dad", "step-father", "step dad"),
    "parent": ("parents", "folks", "padres", "adoptive parents", "foster parents", "foster mum", "foster mom", "foster dad", "foster carer", "foster carers",
               "foster family", "stepparents", "step-parents", "guardian", "guardians", "birth parents", "birth mother", "birth mum", "birth father", "adoptive mum", "adoptive dad",
               "adoptive mother", "adoptive father", "carers"),
    "sibling": ("brother", "sister", "brothers", "sisters", "siblings", "sibling", "bro", "sis", "twin", "twin brother", "twin sister", "half-brother", "half-sister",
                "half brother", "half sister", "stepbrother", "stepsister", "step-brother", "step-sister", "hermano", "hermana", "hermanos", "frère", "sœur", "bruder",
                "schwester", "big brother", "big sister", "little brother", "little sister", "baby brother", "baby sister"),
    "partner": ("partner", "boyfriend", "girlfriend", "bf", "gf", "husband", "wife", "hubby", "fiancé", "fiancée", "fiance", "fiancee", "other half", "spouse",
                "missus", "marido", "esposo", "esposa", "mujer", "novio", "novia", "mari", "femme", "frau", "bloke", "fella", "late husband", "late wife",
                "new boyfriend", "new girlfriend", "new partner", "current partner", "wifey", "man", "woman"),
    "ex_partner": ("ex", "exes", "ex's", "ex-husband", "ex-wife", "ex-boyfriend", "ex-girlfriend", "ex-partner", "ex husband", "ex wife", "ex boyfriend", "ex girlfriend",
                   "ex partner", "ex-fiancé", "ex-fiance", "ex-fiancée", "ex fiancé", "former partner", "former husband", "former wife", "former boyfriend",
                   "former girlfriend", "previous partner", "first husband", "first wife", "old boyfriend", "old girlfriend", "old flame", "baby daddy", "baby mama",
                   "kids' dad", "kids' father", "kids' mum", "kids' mother", "children's father", "children's mother", "ex bf", "ex-bf", "ex gf", "ex-gf",
                   "old partner", "former spouse", "ex-spouse", "ex spouse"),
    "child": ("son", "daughter", "kids", "children", "child", "kid", "boys", "girls", "eldest", "youngest", "stepson", "stepdaughter", "step-son", "step-daughter",
              "toddler", "baby", "babies", "little one", "little ones", "boy", "girl", "lad", "little boy", "little girl", "teenager", "teenagers", "stepkids",
              "step-kids", "middle one", "oldest", "twins", "hijo", "hija", "hijos", "fils", "fille", "sohn", "tochter"),
    "grandparent": ("gran", "granny", "grandma", "grandmother", "nan", "nana", "nanna", "nanny", "grandad", "granddad", "grandpa", "grandfather", "grandparents",
                    "grandmum", "gramps", "grandmom", "great-grandmother", "great-grandfather", "great grandmother", "great grandfather", "great-gran", "great gran",
                    "abuela", "abuelo", "abuelos", "oma", "opa", "nonna", "nonno", "grand-mère", "grand-père"),
    "other_family": ("aunt", "auntie", "aunty", "uncle", "cousin", "cousins", "niece", "nephew", "nieces", "nephews", "mother-in-law", "father-in-law", "sister-in-law",
                     "brother-in-law", "in-laws", "in laws", "mother in law", "father in law", "sister in law", "brother in law", "son-in-law", "daughter-in-law",
                     "godmother", "godfather", "godson", "goddaughter", "great-aunt", "great aunt", "great-uncle", "great uncle", "grandson", "granddaughter",
                     "grandchildren", "grandkids", "grandchild", "grandsons", "granddaughters", "tía", "tío", "extended family", "second cousin"),
    "friend": ("friend", "friends", "best friend", "best friends", "best mate", "mate", "mates", "bestie", "besties", "bff", "pal", "pals", "buddy", "buddies",
               "old friend", "old friends", "old mate", "closest friend", "school friend", "uni friend", "mejor amiga", "mejor amigo", "amiga", "amigo", "amigos",
               "amie", "ami", "freundin", "freund", "girlfriends", "friend group"),
    "boss": ("boss", "manager", "line manager", "supervisor", "team leader", "team lead", "head of department", "director", "employer", "jefe", "jefa", "gaffer",
             "old boss", "new boss", "new manager", "ward manager", "store manager", "area manager", "regional manager", "managing director", "ceo", "superior",
             "head of year", "principal", "headteacher", "head teacher", "foreman", "editor", "head chef", "bosses", "higher-ups", "higher ups", "management",
             "senior manager", "senior partner", "sergeant"),
    "colleague": ("colleague", "colleagues", "coworker", "co-worker", "coworkers", "co-workers", "workmate", "workmates", "teammate", "teammates", "team mate",
                  "team mates", "intern", "assistant", "team", "work friends", "work friend", "compañero de trabajo", "compañera de trabajo", "compañeros"),
    "therapist": ("therapist", "counsellor", "counselor", "psychotherapist", "analyst", "last therapist", "old therapist", "previous therapist", "first therapist",
                  "last counsellor", "old counsellor", "previous counsellor"),
    "other": ("neighbour", "neighbor", "neighbours", "neighbors", "doctor", "gp", "nurse", "teacher", "teachers", "landlord", "landlady", "flatmate", "housemate",
              "flatmates", "housemates", "roommate", "tutor", "coach", "priest", "vicar", "imam", "rabbi", "pastor", "social worker", "lawyer", "solicitor",
              "psychiatrist", "dentist", "client", "clients", "patient", "patients", "student", "students", "pupil", "pupils", "cleaner", "carer", "personal trainer",
              "trainer", "midwife", "health visitor", "consultant", "surgeon", "sponsor", "key worker", "case worker", "probation officer", "mentor", "physio",
              "psychologist", "pharmacist", "vet", "hairdresser"),
}  # fmt: skip
# Kinship words used as names, with no possessive: "Mum rang", "I told Gran".
_NAME_LIKE: dict[str, str] = {
    **dict.fromkeys(("mum", "mom", "mam", "mummy", "mommy", "mama", "mamá", "momma", "mammy"), "mother"),
    **dict.fromkeys(("dad", "daddy", "papa", "papá", "pops"), "father"),
    **dict.fromkeys(
        (
            "gran",
            "granny",
            "grandma",
            "nan",
            "nana",
            "nanna",
            "grandad",
            "granddad",
            "grandpa",
            "gramps",
            "abuela",
            "abuelo",
            "oma",
            "opa",
            "nonna",
            "nonno",
        ),
        "grandparent",
    ),
}
# Only when capitalised, as a form of address: "Mother never...", "Father said".
_CAPITALISED_NAME_LIKE = {
    "mother": "mother",
    "father": "father",
    "grandmother": "grandparent",
    "grandfather": "grandparent",
    "auntie": "other_family",
    "uncle": "other_family",
    "nanny": "grandparent",
}
_ADJECTIVES = (
    "old", "little", "big", "younger", "older", "elder", "eldest", "youngest", "baby", "twin", "late", "dear", "own", "best", "real", "birth",
    "biological", "new", "current", "lovely", "poor", "darling", "stupid", "bloody", "two", "three", "four", "second", "first", "other",
    "oldest", "closest", "only", "step", "adoptive", "work", "dearest", "favourite", "favorite", "actual", "future", "last", "good", "close",
    "beloved", "grown-up", "grown", "sweet", "amazing", "fucking", "wonderful", "awful", "horrible", "annoying", "crazy", "kind", "usual", "immediate", "whole",
    "teenage", "middle", "disabled", "autistic", "sick", "elderly", "ageing", "aging", "widowed", "divorced", "alcoholic", "overbearing", "perfect",
)  # fmt: skip
_POSSESSIVE = r"(?:my|our|me|mi|mis|ma|mon|mes|meine|mein|minha|meu)"
_QUANTIFIER = (
    r"(?:(?:one|some|two|three|four|all|both|most|none|a\s+few|a\s+couple|each|either|neither|any|half|several|many|lots)\s+(?:of\s+)?)?"
)
# After "my", these are people only in a clear frame: "my baby is ill", not "my baby steps", "my man" / "my woman" likewise.
_AMBIGUOUS = frozenset({"ma", "pa", "da", "man", "woman", "team", "girls", "boys", "editor", "principal", "superior", "boy", "girl"})
_AMBIGUOUS_FRAME = re.compile(
    r"^(?:'s)?\s+(?:is|was|are|were|has|had|said|says|started|starts|won't|doesn't|didn't|keeps|kept|came|cried|cries|rang|called|told|asked|and|needs|needed|"
    r"gets|got|would|will|used|thinks|thought|wants|wanted|left|went|never|always|just)\b|^(?:'s)?\s*[,.!?]"
)
_TITLE = r"(?:mr|mrs|ms|miss|dr|mx)\.?"


def _alternatives(words: tuple[str, ...] | list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_IRREGULAR_PLURALS = {
    "wife": "wives",
    "auntie": "aunties",
    "aunty": "aunties",
    "nanny": "nannies",
    "granny": "grannies",
    "buddy": "buddies",
    "bestie": "besties",
    "man": "men",
    "woman": "women",
}
_WORD_ROLE: dict[str, str] = {}
for _role, _words in _ROLE_WORDS.items():
    for _w in _words:
        _WORD_ROLE.setdefault(_w, _role)
for _w, _role in list(_WORD_ROLE.items()):  # plurals: "my sisters", "my managers"
    if _w in ("ma", "pa", "da", "mum and dad", "folks") or not _w[-1].isalpha():
        continue
    _plural = _IRREGULAR_PLURALS.get(_w) or (_w + "es" if _w.endswith(("s", "x", "sh", "ch")) else _w + "s")
    _WORD_ROLE.setdefault(_plural, _role)
_ROLE_ALT = _alternatives(list(_WORD_ROLE))
# Lazy: "my first husband" is an ex before it is "first" + "husband".
_ADJ = r"(?:(?:" + _alternatives(list(_ADJECTIVES)) + r")\s+){0,2}?"
_END = r"(?=(?:'s|s'|')?(?![\w'-]))"
# "my (old) sister", "both my parents", and what is coordinated with it: "my mum and (my) dad".
_POSSESSED = re.compile(r"(?<![\w'])" + _QUANTIFIER + r"(?P<pos>" + _POSSESSIVE + r")\s+" + _ADJ + r"(?P<role>" + _ROLE_ALT + r")" + _END)
_COORDINATED = re.compile(
    r"^(?:'s|s'|')?\s*(?:,|and|or|&|\+|/)\s*(?P<item>(?:" + _POSSESSIVE + r"\s+)?" + _ADJ + r"(?P<role>" + _ROLE_ALT + r"))" + _END
)
# "a friend of mine", "an ex of mine"
_OF_MINE = re.compile(r"(?<![\w'])(?:a|an|one|this|that)\s+" + _ADJ + r"(?P<role>" + _ROLE_ALT + r")\s+of\s+(?:mine|ours)(?![\w'])")
# "X's husband", "his brother": people known through someone else.
_THEIRS = re.compile(r"(?<![\w'])(?P<owner>his|her|their)\s+" + _ADJ + r"(?P<role>" + _ROLE_ALT + r")" + _END)
_OWNED = re.compile(r"^(?:'s|s')\s+" + _ADJ + r"(?P<role>" + _ROLE_ALT + r")" + _END)
_NAME_LIKE_RE = re.compile(r"(?<![\w'-])(?P<role>" + _alternatives(list(_NAME_LIKE)) + r")" + _END)
_CAP_NAME_LIKE_RE = re.compile(r"(?<![\w'-])(?P<role>" + _alternatives(list(_CAPITALISED_NAME_LIKE)) + r")" + _END)
# Determiner phrases that are nevertheless roles in the client's life.
_PLACE = r"(?:team|ward|office|department|dept|shift|floor|staff\s*room|work|site|unit|practice|firm|company|job|warehouse|shop|store|restaurant|kitchen|branch|school\s+where\s+i\s+work)"
_PERSON_NOUN = r"(?:guy|guys|girl|girls|woman|women|man|men|lad|lads|bloke|blokes|lady|ladies|people|person|one|ones|nurses|teachers|staff|folk|someone|somebody|everyone|everybody|colleague|colleagues|others)"
_DETERMINED: tuple[tuple[re.Pattern[str], str, float], ...] = tuple(
    (re.compile(r"(?<![\w'])(?:" + regex + r")(?=(?:'s|s'|')?(?![\w'-]))"), role, confidence)
    for regex, role, confidence in (
        (
            r"(?:the|a|an|one|some|this|that|another|these|those)\s+(?:other\s+|new\s+|older\s+|younger\s+|senior\s+|junior\s+)?(?:\w+\s+)??"
            + _PERSON_NOUN
            + r"\s+(?:on|in|at|from)\s+(?:my|our|the)\s+"
            + _PLACE,
            "colleague",
            0.8,
        ),
        (
            r"(?:someone|somebody|people|everyone|everybody|nobody|no\s+one|a\s+guy|a\s+woman|a\s+girl|a\s+man|the\s+lads|the\s+girls|the\s+guys|the\s+others)\s+(?:at|from)\s+work",
            "colleague",
            0.8,
        ),
        (
            r"the\s+(?:other\s+)?(?:nurses|teachers|doctors|guys|lads|girls)\s+(?:on|in|at)\s+(?:my|our|the)\s+(?:ward|shift|staff\s*room|team|office)",
            "colleague",
            0.8,
        ),
        (
            r"(?:a|an|the|one|another|this|that|some|other|new|former|old)\s+(?:new\s+|older\s+|senior\s+|junior\s+|old\s+|former\s+)?(?:colleague|coworker|co-worker|workmate|teammate|team\s+mate|new\s+starter)s?"
            r"|(?<!my\s)(?<!our\s)(?:colleagues|coworkers|co-workers|workmates)",
            "colleague",
            0.8,
        ),
        (r"the\s+(?:wife|missus|missis|hubby|other\s+half)", "partner", 0.85),
        (
            r"(?:the|an|her|his)\s+ex(?:-husband|-wife|-boyfriend|-girlfriend|-partner)?|the\s+father\s+of\s+my\s+(?:kids|children|child|son|daughter|baby)|the\s+mother\s+of\s+my\s+(?:kids|children|child|son|daughter|baby)",
            "ex_partner",
            0.8,
        ),
        (
            r"(?:some|a\s+few|two|three|these|those|the|all\s+the|old|school|uni|work|close|good|other)\s+friends(?:\s+from\s+(?:\w+\s+)?\w+)?",
            "friend",
            0.75,
        ),
        (
            r"the\s+(?:kids|children|baby|little\s+ones?|twins)(?!\s+(?:at|in|from|on|next|who|that|down|across|round|outside|of|were\s+playing)\b)",
            "child",
            0.8,
        ),
        (
            r"(?:the|my\s+old|the\s+old|the\s+new|the\s+big|our)\s+(?:\w+\s+)?(?:boss|gaffer|manager|line\s+manager|head\s+of\s+department|managing\s+director|ceo)",
            "boss",
            0.8,
        ),
        (
            r"(?:a|an|another|some|one\s+of\s+the)\s+(?:old\s+|good\s+|close\s+|school\s+|uni\s+|work\s+)?(?:friend|friends|mate|mates|pal)(?:\s+from\s+(?:\w+\s+)?\w+)?",
            "friend",
            0.8,
        ),
        (
            r"(?:the|a|an|this|that|some|one)\s+(?:\w+\s+)??(?:doctor|gp|nurse|police\s+officer|policeman|policewoman|officer|priest|vicar|pastor|neighbour|neighbor|"
            r"landlord|landlady|receptionist|barista|waiter|waitress|cashier|driver|paramedic|consultant|surgeon|psychiatrist|psychologist|social\s+worker|teacher|"
            r"personal\s+trainer|trainer|coach|tutor|lawyer|solicitor|midwife|health\s+visitor|stranger|woman|man|guy|bloke|lady|girl|boy|kid|cop|nun|monk)s?"
            r"(?:\s+(?:next\s+door|downstairs|upstairs|across\s+the\s+(?:road|street|hall)|my\s+age))?",
            "other",
            0.7,
        ),
    )
)
# Texting drops the "my": "bf didn't text back", "Husband's away again."
_BARE_START = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=[.!?]))\s*(?P<role>bf|gf|hubby|husband|wife|boyfriend|girlfriend|partner|boss|manager|ex|sis|bro|bestie)"
    r"(?=(?:'s)?\s+(?:is|was|has|had|said|says|keeps|kept|didn'?t|doesn'?t|won'?t|isn'?t|can'?t|hasn'?t|wants|wanted|came|went|got|thinks|texted|called|rang|"
    r"just|never|always|and|still|away|home|out|left|told|asked|forgot|ignored|blocked|ghosted|dumped|cheated|broke|wants)\b)"
)
# Not a person: "a mum at the school gate", "his mum", "Jess's mum", "mum jeans".
_NOT_OURS = re.compile(r"(?:\b(?:a|an|the|his|her|their|your|every|any|some|other|no|that|this|whose|one)\s+|[a-z]'s\s+|s'\s+)$")
_NOT_PERSON_AFTER = re.compile(
    r"^(?:'s)?\s*(?:jeans|joke|jokes|bod|guilt|brain|life|vibes|energy|bag|friendly|mode|rock|of\s+all|figure|tongue|nature|earth|of\s+god)\b"
)
_IDIOMS = re.compile(
    r"(?<![\w'])(?:oh\s+(?:my\s+)?(?:brother|man|boy|mate|god|lord)|mother\s+of\s+all|father\s+time|mother\s+nature|mother\s+tongue|mother\s+earth|big\s+brother\s+is|"
    r"my\s+man(?=[,!.?]|\s+(?:i|you)\b)|you\s+know\s+what\s+i\s+mean\s+mate|cheers\s+mate|thanks\s+mate|sorry\s+mate|my\s+(?:friend|mate)\s*[,!?]\s*$|"
    r"man\s+of\s+the\s+(?:house|match)|the\s+man\s+(?:himself|upstairs)|a\s+man\s+of\s+his\s+word|(?:the|a)\s+(?:girl|boy|man|woman)\s+(?:who\s+)?(?:i\s+)?(?:was|used\s+to\s+be)|"
    r"like\s+a\s+(?:kid|child|baby|man|woman|girl|boy|teenager)|act\s+(?:my|your)\s+age|a\s+man\s+(?:down|up)|no\s+man's|every\s+man\s+for)"
)

# Names: capitalised words that are not function words, days, months or kinship words.
_NOT_NAME_WORDS = """i i'm i'd i've i'll me my mine the a an and but so or if then yeah yes no not oh um uh er erm well okay ok right really just like actually
    honestly anyway sorry mum dad mom mam gran nan mother father he she they we you it that this there what when why how who which where
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november
    december christmas easter god jesus christ english british spain london england uk us nhs gp a&e hr mr mrs ms miss dr mx also even still
    maybe perhaps probably because after before since until while every everyone everybody someone somebody nobody anyone his her their our your
    its was is are were be been being do did does don't didn't can't won't wouldn't couldn't shouldn't isn't wasn't hi hello bye thanks thank
    please lol omg idk tbh ngl btw fine good great sure mm mmm hmm ah aw wow hey whatever anyway either neither both all some any none one two three
    first last next new old little big long short hard easy whatsapp facebook instagram tiktok zoom teams google"""
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())
# Binding patterns run on the normalised text; the name is checked for a capital in the original.
_N = r"(?P<name>(?:" + _TITLE + r"\s+)?[^\W\d_][\w-]*)"
_BIND_PATTERNS: tuple[re.Pattern[str], ...] = (
    # my sister Anna / my sister, Anna / my sister is called Anna / my sister's name is Anna / my new boss is there, Graham
    re.compile(
        r"(?<![\w'])"
        + _POSSESSIVE
        + r"\s+"
        + _ADJ
        + r"(?P<role>"
        + _ROLE_ALT
        + r")(?:,|\s+-)?\s+(?:(?:is|was|'s)\s+(?:called|named|there,)\s+|(?:'s|s')\s+name\s+(?:is|was)\s+|called\s+|named\s+)?"
        + _N
    ),
    # Anna, my sister, ... / Anna - my sister / Anna (my sister); not "in Leeds, my dad paid"
    re.compile(
        r"(?<![\w'])(?<!in )(?<!at )(?<!to )(?<!from )(?<!near )(?<!of )(?<!on )(?<!by )"
        + _N
        + r"\s*(?:,|-|\()\s*(?:who(?:'s| is| was)\s+)?"
        + _POSSESSIVE
        + r"\s+"
        + _ADJ
        + r"(?P<role>"
        + _ROLE_ALT
        + r")(?=(?:'s|s')?\s*(?:[,.!?;:)]|-|$))"
    ),
    # Anna's my sister / Anna is my sister / Anna was my best friend
    re.compile(
        r"(?<![\w'])"
        + _N
        + r"(?:'s|\s+is|\s+was)\s+(?:actually\s+|basically\s+|like\s+|also\s+|really\s+|still\s+|now\s+)?"
        + _POSSESSIVE
        + r"\s+"
        + _ADJ
        + r"(?P<role>"
        + _ROLE_ALT
        + r")"
        + _END
    ),
    # Sam. My brother.
    re.compile(r"(?:^|[.!?]\s+)" + _N + r"\.\s+" + _POSSESSIVE + r"\s+" + _ADJ + r"(?P<role>" + _ROLE_ALT + r")" + r"\s*[.!?,]"),
)
# Relationship cues that make a name a partner: "married to Anna", "Anna proposed".
_PARTNER_CUE = re.compile(
    r"(?<![\w'])(?:married\s+to|engaged\s+to|dating|going\s+out\s+with|living\s+with|moved\s+in\s+with|split\s+up\s+with|broke\s+up\s+with|divorcing|my\s+wedding\s+to|kissed)\s+"
    + _N
    + r"|"
    + r"(?<![\w'])"
    + _N.replace("name", "name2")
    + r"\s+(?:(?:was|is)\s+asleep\s+next\s+to\s+me|and\s+i\s+(?:live|lived|moved\s+in|got\s+married|got\s+engaged|are\s+together|have\s+been\s+together|split\s+up|broke\s+up))"
)
# A therapist's "your partner?" answered by a name: "Daniel, yeah." / "Okay. Um. So. Richard."
_YOUR_ROLE = re.compile(r"(?<![\w'])your\s+" + _ADJ + r"(?P<role>" + _ROLE_ALT + r")(?:'s)?\W*$")
_ANSWER_NAME = re.compile(
    r"^(?:(?:okay|ok|um+|uh+|er+m?|so|well|yeah|yes|oh|right|mm+|hmm+|ah)\s*[,.!]*\s+)*" + _N + r"(?:[,.!?]|\s+-|\s*$|\s+yeah\b)"
)

# "you" meaning the therapist, only where it clearly is about them.
_FEEL_WORDS = r"(?:angry|cross|annoyed|upset|furious|livid|mad|pissed\s+off|disappointed|frustrated|fed\s+up|irritated|hurt|grateful|attached|close|safe|comfortable|judged|stupid|embarrassed|ashamed|jealous|envious)"
_THERAPIST_YOU = re.compile(
    r"(?<![\w'])(?:"
    + r"|".join(
        (
            _FEEL_WORDS + r"\s+(?:with|at|by|to|around|of)\s+you(?!\s+know)",
            r"i\s+(?:really\s+|actually\s+|kind\s+of\s+|sort\s+of\s+|still\s+|don't\s+|didn't\s+)?(?:trust|like|miss|missed|hate|resent|need|needed|love|envy|admire|appreciate|blame|trusted|liked|want)\s+you\b(?!\s+(?:know|to\s+(?:know|see|imagine)))",
            r"(?<!do )(?<!did )(?<!don't )you(?:'re|\s+are|\s+were)?\s+(?:probably\s+|must\s+|secretly\s+|already\s+|obviously\s+|all\s+|gonna\s+|going\s+to\s+)?(?:think|thinking|thought)\s+(?:i\b|i'm|i've|i'd|that\s+i|me\b)",
            r"you(?:'re|\s+are|\s+must\s+be|\s+must\s+get|\s+probably|'re\s+probably|\s+get|\s+might\s+be)\s+(?:so\s+|really\s+|secretly\s+)?(?:bored|judging|fed\s+up|sick\s+of\s+me|tired\s+of\s+me|disappointed\s+in\s+me|laughing\s+at\s+me|annoyed\s+with\s+me)",
            r"you(?:'re|\s+are)\s+(?:going\s+to|gonna)\s+(?:say|tell\s+me|think|laugh|judge|leave|go|be\s+away|stop|give\s+up)",
            r"(?:you|u)\s+(?:said|told\s+me|asked\s+me|mentioned)\s+(?:last|that|i\b|it\b|before|once|something)",
            r"(?:like|what)\s+you\s+said",
            r"you(?:'ve|\s+have)?\s+(?:cancelled|canceled|were\s+away|went\s+away|go\s+away|go\s+on\s+holiday|looked\s+tired|look\s+tired|seem\s+tired|remind\s+me|don't\s+care|didn't\s+care|get\s+paid|got\s+paid|don't\s+understand\s+me|don't\s+know\s+me|don't\s+get\s+it|didn't\s+notice|noticed|were\s+late)",
            r"you(?:'re|\s+are)\s+(?:away|leaving|going\s+away|on\s+holiday|on\s+leave|paid|only\s+(?:here|doing)|just\s+doing\s+your\s+job|(?:so\s+|very\s+|really\s+|quite\s+|a\s+bit\s+)?(?:direct|kind|calm|patient|cold|quiet|hard\s+to\s+read|sneaky|clever|nice))",
            r"your\s+(?:holiday|holidays|leave|break|office|room|couch|voice|notes|notebook|fee|fees|other\s+clients|other\s+patients|silence|silences|questions|cardigan|time|job)",
            r"(?:talking|talk|lying|lie|lied|coming\s+here|come\s+here|coming|come)\s+to\s+(?:you|see\s+you)",
            r"(?:seeing|disappoint|disappointing|burden|burdening|impress|please|pleasing|bore|boring|annoy|annoying|upset|upsetting|hurt|trouble|bothering|bother)\s+you(?!\s+know)",
            r"(?:didn't\s+want\s+to|don't\s+want\s+to|never\s+wanted\s+to)\s+tell\s+you|(?:never|haven't|hadn't)\s+told\s+you",
            r"(?:what|how)\s+do\s+you\s+(?:think|feel)\s+(?:of|about)\s+me",
            r"(?:do|did)\s+you\s+(?:like|hate|judge|find|care\s+about|even\s+like|ever\s+think\s+about)\s+me",
            r"are\s+you\s+(?:bored|judging|angry|annoyed|tired|fed\s+up|disappointed|cross|going\s+away|leaving)",
            r"you\s+(?:must|probably)\s+(?:hear|get)\s+(?:this|that|it)",
            r"you(?:'ve|\s+have)\s+(?:probably\s+)?heard\s+(?:it|this|that)\s+all",
            r"in\s+here\s+with\s+you|with\s+you(?=\s*(?:[.!?]|$|\s+(?:today|here|in\s+here|right\s+now|now)\b))",
        )
    )
    + r")(?![\w'])"
)
_QUOTED = re.compile(r'"[^"]{1,300}"')
# "you" that is a filler or generic: never the therapist ("you know", "you never know who you can trust").
_FILLER_YOU = re.compile(
    r"(?<![\w'])(?:you\s+know(?!\s+(?:me|that\s+i|i\b|what\s+i))|y'know|you\s+see(?!\s+me)|mind\s+you|see\s+you|bless\s+you|you\s+lot|you\s+guys|thank\s+you(?!\s+for)|if\s+you\s+ask\s+me|if\s+you\s+like|"
    r"if\s+you\s+know\s+what\s+i\s+mean|you\s+know\s+what\s+i\s+mean|if\s+you\s+will|as\s+you\s+(?:do|know))(?![\w'])"
)
_GENERIC_YOU = re.compile(
    r"(?<![\w'])(?:you\s+never\s+know|you\s+(?:just\s+|kind\s+of\s+|sort\s+of\s+)?(?:get|have|do|can't|learn|gotta|have\s+got)\s+(?:used|to|on|what|with|it|by)|you\s+have\s+to|you've\s+got\s+to|you\s+gotta|"
    r"you\s+can't(?!\s+(?:help\s+me|understand\s+me|fix\s+me|make\s+me|see\s+me|tell\s+me|leave|go|be\s+away))|you\s+can\s+never|you'd\s+(?:think|never\s+know|expect)|"
    r"you(?:'re|\s+are)\s+supposed\s+to|you\s+(?:should|shouldn't)\s+(?:always|never)|"
    r"your\s+(?:own|whole|life|body|mind|head|heart|family|kids|parents|mum|dad|mother|father)|all\s+you\s+can\s+do|you\s+do\s+what\s+you|people\s+like\s+you|"
    r"you\s+(?:work|grow\s+up|get\s+older|get\s+married|have\s+kids|lose|spend|try|give)\s+(?:all|and|your|hard|up|everything|so)|what\s+can\s+you\s+do|"
    r"you\s+know\s+what\s+(?:they|people)\s+say)(?![\w'])"
)
# "If you have kids you get it": generic, unless the client is in the sentence ("it annoys me when you go quiet").
_CONDITIONAL_YOU = re.compile(
    r"(?<![\w'])(?:if|when|once|whenever|unless|until|before|after)\s+you(?!\s+(?:said|told|asked|were\s+away|go\s+away|go\s+on|cancel|leave|retire|left|came\s+back|get\s+back|come\s+back|mentioned))"
)
_FIRST_PERSON = re.compile(r"(?<![\w'])(?:i|me|my|i'm|i've|i'd|i'll|myself)(?![\w'])")
_YOU = re.compile(r"(?<![\w'])(?:you|u|yourself)(?=(?:'(?:re|ve|ll|d|s))?(?![\w']))")

_FEELINGS: dict[str, tuple[str, ...]] = {
    "angry": ("angry", "anger", "furious", "livid", "mad at", "cross with", "annoyed", "irritated", "pissed off", "pissed", "rage", "raging", "resent", "resented", "resentful", "resentment",
              "hate", "hated", "hating", "fuming", "frustrated", "fed up with", "sick of", "can't stand", "couldn't stand", "wound me up", "winds me up", "enraged", "seething"),
    "hurt": ("hurt", "hurts", "let down", "let me down", "lets me down", "disappointed", "betrayed", "rejected", "abandoned", "unseen", "invisible", "upset", "sad", "heartbroken",
             "gutted", "crushed", "devastated", "unwanted", "unloved", "dismissed", "humiliated", "lonely"),
    "close": ("love", "loved", "loves", "close to", "miss", "missed", "misses", "adore", "adored", "trust", "trusted", "care about", "cared about", "proud of", "grateful", "safe with",
              "get on with", "get on well with", "got on with", "heard me", "understands me", "understood me", "i like", "i really like", "i liked", "fond of", "warm", "comforted"),
    "afraid": ("afraid", "scared", "frightened", "terrified", "fear", "feared", "nervous", "anxious", "dread", "dreaded", "dreading", "intimidated", "petrified", "on edge",
               "eggshells", "panicked", "panicking", "worried", "worry", "worried about"),
    "guilty": ("guilty", "guilt", "ashamed", "feel bad", "felt bad", "blame myself", "blamed myself", "responsible for"),
    "jealous": ("jealous", "envious", "envy", "envied"),
    "distant": ("don't care about", "didn't care about", "indifferent", "numb", "distant", "cold towards", "cold toward", "detached", "nothing in common"),
}  # fmt: skip
_ACTIONS: dict[str, tuple[str, ...]] = {
    "ignored": ("ignored", "ignores", "ignoring", "didn't notice", "doesn't notice", "never noticed", "didn't listen", "doesn't listen", "never listens", "never listened",
                "didn't ask", "doesn't ask", "never asks", "never asked", "turned away", "turns away", "back to me", "didn't come", "never came", "didn't turn up",
                "didn't show up", "stood me up", "forgot", "forgets", "wasn't there", "isn't there", "not there", "cancelled", "canceled", "didn't ring", "didn't call",
                "never rang", "never calls", "didn't text", "never texts", "not now", "too busy", "didn't say anything", "said nothing"),
    "criticised": ("criticised", "criticized", "criticises", "criticizes", "shouted", "shouts", "yelled", "yells", "screamed at", "told me off", "tells me off", "had a go",
                   "has a go", "snapped", "snaps", "put me down", "puts me down", "laughed at", "mocked", "blamed me", "blames me", "called me", "judged", "judges",
                   "belittled", "nagged", "nags", "moaned", "moans"),
    "supported": ("helped", "helps", "listened", "listens", "backed me up", "looked after", "looks after", "hugged", "held me", "comforted", "supported", "supports",
                  "stood up for", "was there for", "is there for", "noticed", "asked me", "asks me", "waited for", "took care", "takes care", "cared for"),
    "harmed": ("hit me", "hits me", "slapped", "smacked", "beat me", "beat us", "pushed me", "shoved", "grabbed me", "kicked", "hurt me", "abused", "touched me",
               "hit us", "threw", "punched"),
    "argued": ("argued", "argue", "arguing", "argument", "row", "rowed", "rowing", "fight", "fought", "fighting", "fell out", "falling out", "fallen out", "clashed", "bickering"),
    "left": ("left", "leaves", "walked out", "moved out", "moved away", "went away", "abandoned", "walked away", "packed", "split up", "divorced", "separated",
             "broke up", "dumped"),
    "contact": ("rang", "rings", "called", "calls", "phoned", "phones", "texted", "texts", "messaged", "messages", "emailed", "visited", "visits", "came round",
                "comes round", "facetimed", "wrote", "writes", "saw", "see", "met"),
    "controlled": ("controlled", "controls", "controlling", "checked my phone", "checks my phone", "wouldn't let", "won't let", "doesn't let", "didn't let", "made me",
                   "makes me", "forced", "forces", "tracks", "tracked"),
    "died": ("died", "dies", "passed away", "passed", "death", "funeral", "lost", "killed himself", "killed herself"),
}  # fmt: skip
_ACTION_ORDER = ("harmed", "died", "ignored", "criticised", "controlled", "left", "argued", "supported", "contact")
_FEELING_ORDER = ("afraid", "angry", "hurt", "guilty", "jealous", "distant", "close")
_NEGATORS = re.compile(
    r"(?<![\w'])(?:not|n't|never|no\s+longer|don't|doesn't|didn't|isn't|wasn't|aren't|won't|hardly|barely|without|nor)(?![\w'])"
)
_AFTER_NEGATION = re.compile(r"^[^.!?]{0,25}?(?:,|and|but)\s+i'?m\s+not\b|^[^.!?]{0,8}\bnot\s+really\b")
_NEGATED_ACTION = {"supported": "ignored", "contact": "ignored"}


def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w'])(?:" + _alternatives(words) + r")(?![\w])")


_FEELING_RE = {k: _pattern(v) for k, v in _FEELINGS.items()}
_ACTION_RE = {k: _pattern(v) for k, v in _ACTIONS.items()}


@dataclass(frozen=True, slots=True)
class Mention:
    """A person mentioned at ``start:end`` of turn ``turn``; ``name`` is the span of their name."""

    turn: int
    start: int
    end: int
    role: str
    confidence: float
    name: tuple[int, int] | None = None


def _is_name(original: str, start: int, end: int) -> bool:
    token = original[start:end]
    if not token or not token[0].isupper():
        return False
    words = token.lower().replace(".", "").split()
    return bool(words) and words[-1] not in _NOT_NAMES and words[-1] not in _WORD_ROLE and len(words[-1]) > 1


def _name_key(name: str) -> str:
    return " ".join(name.replace(".", "").split())


def _bindings_in(text: str, previous: str | None, is_client: bool) -> list[tuple[str, str, float]]:
    """(name, role, confidence) bound by what ``text`` says, and by a name given in answer to ``previous``."""
    low = normalise(text)
    found: list[tuple[str, str, float]] = []
    if is_client:
        for pattern in _BIND_PATTERNS:
            for m in pattern.finditer(low):
                start, end = m.span("name")
                if _is_name(text, start, end):
                    found.append((_name_key(text[start:end]), _WORD_ROLE[" ".join(m.group("role").split())], 0.9))
        for m in _PARTNER_CUE.finditer(low):
            group = "name" if m.group("name") else "name2"
            start, end = m.span(group)
            if _is_name(text, start, end):
                found.append((_name_key(text[start:end]), "partner", 0.6))
        if previous is not None:
            asked = _YOUR_ROLE.search(normalise(previous))
            answer = _ANSWER_NAME.match(low)
            if asked and answer:
                start, end = answer.span("name")
                if _is_name(text, start, end):
                    found.append((_name_key(text[start:end]), _WORD_ROLE[" ".join(asked.group("role").split())], 0.8))
    else:  # the therapist's "your sister Anna" / "Anna, your sister"
        your = re.sub(r"(?<![\w'])your(?![\w'])", "my  ", low)  # same length: keeps offsets
        for pattern in _BIND_PATTERNS[:3]:
            for m in pattern.finditer(your):
                start, end = m.span("name")
                if _is_name(text, start, end):
                    found.append((_name_key(text[start:end]), _WORD_ROLE[" ".join(m.group("role").split())], 0.85))
    return found


def _previous_other(doc: Document, i: int, speaker: Speaker, back: int = 3) -> str | None:
    """The text of the other speaker's turns just before turn ``i`` (up to ``back`` turns), joined."""
    texts = []
    for j in range(i - 1, max(-1, i - 1 - back), -1):
        if doc.turns[j].speaker is speaker:
            break
        texts.append(doc.turns[j].text)
    return " . ".join(reversed(texts)) if texts else None


def _name_tables(doc: Document, known: Mapping[str, str] | None = None) -> Iterator[dict[str, tuple[str, float]]]:
    """For each turn, the names known before it is read merged with those bound in it."""
    table: dict[str, tuple[str, float]] = {n: (r, 0.85) for n, r in (known or {}).items() if r in ROLES}
    for i, turn in enumerate(doc.turns):
        is_client = turn.speaker is not Speaker.THERAPIST
        previous = _previous_other(doc, i, turn.speaker) if is_client else None
        for name, role, confidence in _bindings_in(turn.text, previous, is_client):
            old = table.get(name)
            if old is None or (confidence >= old[1] and role != "other") or old[0] == "other":
                table[name] = (role, confidence)
        yield dict(table)


def resolve_names(doc: Document, known: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every name the document binds to a role (name -> role), including ``known`` ones."""
    tables = deque(_name_tables(doc, known), maxlen=1)  # the table after the last turn holds every name
    table = tables[0] if tables else {n: (r, 0.85) for n, r in (known or {}).items() if r in ROLES}
    return {name: role for name, (role, _) in table.items()}


def _overlaps(a: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in taken)


_FAMILY = frozenset({"mother", "father", "parent", "sibling", "grandparent", "other_family", "child", "partner", "ex_partner"})
_PARENTS = frozenset({"mother", "father", "parent"})
_COPULA = re.compile(r"(?:i'm|i\s+am|i\s+was|i've\s+been|i'd\s+be|to\s+be|be|being|become|became|as|like|such|was|is|are|were|being)\s+$")
_ROLE_AFTER = re.compile(r"^\s+" + _ADJ + r"(?P<role>" + _ROLE_ALT + r")" + _END)


def _derived(owner: str | None, word: str) -> str:
    """The role of someone known through another: "my sister's husband" is family, "his wife" is not."""
    role = _WORD_ROLE.get(word, "other")
    if role not in _FAMILY or owner is None:
        return "other"
    if owner in _PARENTS:
        return (
            "grandparent"
            if role in _PARENTS
            else "sibling"
            if role == "child"
            else "other"
            if role in ("partner", "ex_partner")
            else "other_family"
        )
    if owner in ("sibling", "grandparent", "other_family"):
        return "other_family"
    if owner == "partner":
        return "other" if role == "ex_partner" else "other_family"
    if owner == "child":
        return "ex_partner" if role in _PARENTS else "other_family" if role == "child" else "other"
    return "other"


def _therapist_you(low: str) -> list[tuple[int, int, float]]:
    """Each "you" addressed to the therapist: strong cues first, then any "you" that is not generic."""
    blocked = [m.span() for m in _QUOTED.finditer(low)]
    fillers = [m.span() for m in _FILLER_YOU.finditer(low)]
    generic = [m.span() for m in _GENERIC_YOU.finditer(low)]
    strong = [m.span() for m in _THERAPIST_YOU.finditer(low)]
    out: list[tuple[int, int, float]] = []
    for m in _YOU.finditer(low):
        if _overlaps(m.span(), blocked) or _overlaps(m.span(), fillers):
            continue
        if m.group(0) == "u" and not re.search(r"(?<![\w'])(?:r|ur|im|dont|cant|idk|tbh|lol|pls|thx)(?![\w'])|\?", low):
            continue  # "u" is "you" only in texting style
        if any(s <= m.start() and m.end() <= e for s, e in strong):
            out.append((m.start(), m.end(), 0.85))
            continue
        sentence = sentence_at(low, m.start())
        if _overlaps(m.span(), generic) or any(sentence[0] <= s < sentence[1] for s, _ in generic):
            continue
        part = low[sentence[0] : sentence[1]]
        conditional = [c.span() for c in _CONDITIONAL_YOU.finditer(part)]
        if conditional and (len(_YOU.findall(part)) >= 2 or not _FIRST_PERSON.search(part)):
            continue
        if len(_YOU.findall(part)) >= 3 and "?" not in part and not re.search(r"(?<![\w'])(?:i|me|my|i'm|i've|i'd)(?![\w'])", part):
            continue  # "you sit straight, you eat what there is, you don't answer back": how things were
        out.append((m.start(), m.end(), 0.7))
    for m in _THERAPIST_YOU.finditer(low):  # "your holiday", "your room"
        your = re.search(r"(?<![\w'])your(?![\w'])", low[m.start() : m.end()])
        if your and not _overlaps(m.span(), blocked):
            out.append((m.start() + your.start(), m.start() + your.end(), 0.8))
    return out


def find_mentions(text: str, turn: int, names: Mapping[str, tuple[str, float]], *, therapist_you: bool = True) -> list[Mention]:
    """Mentions of people in one client turn, given the names known so far."""
    low = normalise(text)
    idioms = [m.span() for m in _IDIOMS.finditer(low)]
    out: list[Mention] = []
    taken: list[tuple[int, int]] = list(idioms)

    def add(start: int, end: int, role: str, confidence: float, name: tuple[int, int] | None = None) -> bool:
        if _overlaps((start, end), taken):
            return False
        out.append(Mention(turn, start, end, role, confidence, name))
        taken.append((start, end))
        return True

    # Names bound in this turn take the whole "my sister Anna" / "Anna, my sister" phrase; a
    # specific role beats "other" ("my flatmate Rosie is also my best friend": a friend).
    bound: list[tuple[int, int, str, tuple[int, int]]] = []
    for pattern in _BIND_PATTERNS:
        for m in pattern.finditer(low):
            ns, ne = m.span("name")
            if _is_name(text, ns, ne):
                start, end = min(ns, m.start("role")), max(ne, m.end("role"))
                if pattern is _BIND_PATTERNS[0] or pattern is _BIND_PATTERNS[2]:
                    start = min(start, m.start())
                while start < end and not low[start].isalnum():
                    start += 1
                bound.append((start, end, _WORD_ROLE[" ".join(m.group("role").split())], (ns, ne)))
    best_role: dict[str, str] = {}
    for _, _, role, (ns, ne) in bound:
        key = _name_key(text[ns:ne])
        if key not in best_role or best_role[key] == "other":
            best_role[key] = role
    for start, end, _, (ns, ne) in bound:
        add(start, end, best_role[_name_key(text[ns:ne])], 0.95, (ns, ne))
    for pattern, role, confidence in _DETERMINED[:3]:  # "a guy on my team" before "my team"
        for m in pattern.finditer(low):
            add(m.start(), m.end(), role, confidence)
    for m in _POSSESSED.finditer(low):
        word, end = " ".join(m.group("role").split()), m.end()
        longer = _ROLE_AFTER.match(low[end:])
        if longer:  # "my oldest friend", "my baby brother"
            word, end = " ".join(longer.group("role").split()), end + longer.end()
        if _NOT_PERSON_AFTER.match(low[end:]) or (word in _AMBIGUOUS and not _AMBIGUOUS_FRAME.match(low[end:])):
            continue
        add(m.start(), end, _WORD_ROLE[word], 0.95)
        tail = end
        while c := _COORDINATED.match(low[tail:]):
            add(tail + c.start("item"), tail + c.end("item"), _WORD_ROLE[" ".join(c.group("role").split())], 0.9)
            tail += c.end()
    for m in _OF_MINE.finditer(low):
        add(m.start(), m.end(), _WORD_ROLE[" ".join(m.group("role").split())], 0.9)
    for pattern, roles, capital in ((_NAME_LIKE_RE, _NAME_LIKE, False), (_CAP_NAME_LIKE_RE, _CAPITALISED_NAME_LIKE, True)):
        for m in pattern.finditer(low):
            if capital and not text[m.start()].isupper():
                continue
            if _NOT_OURS.search(low[max(0, m.start() - 12) : m.start()]) or _NOT_PERSON_AFTER.match(low[m.end() :]):
                continue
            add(m.start(), m.end(), roles[m.group("role")], 0.85)
            tail = m.end()
            while c := _COORDINATED.match(low[tail:]):
                add(tail + c.start("item"), tail + c.end("item"), _WORD_ROLE[" ".join(c.group("role").split())], 0.85)
                tail += c.end()
    if names:
        lowercase_turn = not any(c.isupper() for c in text)
        for name, (role, confidence) in names.items():
            pattern = re.compile(r"(?<![\w'-])" + re.escape(name.lower() if lowercase_turn else name).replace(r"\ ", r"\s+") + r"(?![\w-])")
            for m in pattern.finditer(low if lowercase_turn else text):
                add(m.start(), m.end(), role, round(confidence * 0.95, 3), (m.start(), m.end()))
    for m in _BARE_START.finditer(low):
        add(m.start("role"), m.end("role"), _WORD_ROLE[m.group("role")], 0.8)
    for pattern, role, confidence in _DETERMINED[3:]:
        for m in pattern.finditer(low):
            if not _COPULA.search(low[max(0, m.start() - 16) : m.start()]):
                add(m.start(), m.end(), role, confidence)
    # People known through someone: "my sister's husband" (a second mention over the first), "his wife".
    derived: list[Mention] = []
    for owner in sorted(out, key=lambda x: x.start):
        if owner.role == "therapist":
            continue
        owned = _OWNED.match(low[owner.end :])
        if owned:
            derived.append(
                Mention(turn, owner.start, owner.end + owned.end(), _derived(owner.role, " ".join(owned.group("role").split())), 0.8)
            )
    for m in _THEIRS.finditer(low):
        if _overlaps(m.span(), taken):
            continue
        before = [x for x in out if x.end <= m.start() and m.start() - x.end < 80 and x.role != "therapist"]
        owner_role = max(before, key=lambda x: x.end).role if before else None
        word = " ".join(m.group("role").split())
        if word in _AMBIGUOUS:
            continue
        add(m.start(), m.end(), _derived(owner_role, word), 0.75)
    out.extend(derived)
    if therapist_you:
        for start, end, confidence in _therapist_you(low):
            add(start, end, "therapist", confidence)
    out.sort(key=lambda x: (x.start, x.end))
    return out


@dataclass(frozen=True, slots=True)
class _Cue:
    start: int
    end: int
    category: str
    rank: int


_CLAUSE_BREAK = re.compile(r"[,;:.!?]|(?<![\w'])(?:and|but|because|so|when|while|then)(?![\w'])")
_NEGATION_WORDS = ("didn't", "doesn't", "never", "wasn't", "isn't", "not", "can't", "couldn't", "won't", "don't", "no")


def _negated(low: str, start: int, end: int) -> bool:
    if low[start:end].split()[0] in _NEGATION_WORDS:
        return False  # the negation is part of the cue ("didn't notice", "can't stand")
    window = low[max(0, start - 25) : start]
    window = _CLAUSE_BREAK.split(window)[-1]
    if _NEGATORS.search(window):
        return True
    return bool(_AFTER_NEGATION.match(low[end:]))


def _cues(low: str, patterns: Mapping[str, re.Pattern[str]], order: tuple[str, ...], negated_as: Mapping[str, str]) -> list[_Cue]:
    """Cues by priority, without overlaps; a negated cue is dropped or becomes ``negated_as[category]``."""
    found: list[_Cue] = []
    taken: list[tuple[int, int]] = []
    for rank, category in enumerate(order):
        for m in patterns[category].finditer(low):
            if _overlaps(m.span(), taken):
                continue
            taken.append(m.span())
            if not _negated(low, m.start(), m.end()):
                found.append(_Cue(m.start(), m.end(), category, rank))
            elif category in negated_as:
                found.append(_Cue(m.start(), m.end(), negated_as[category], order.index(negated_as[category])))
    return found


_COORDINATION_GAP = re.compile(r"^(?:'s|s')?\s*(?:,|and|or|&|/)?\s*$")


def mention_details(text: str, mentions: list[Mention]) -> list[dict[str, object]]:
    """Per mention: its name span, and the feeling and action in its sentence nearest to it.

    Each cue goes to the nearest mention (or group of coordinated mentions, "my brother and
    sister") of its sentence; negated feelings are dropped, a negated "helped" or "rang" is
    "ignored".
    """
    low = normalise(text)
    feelings = _cues(low, _FEELING_RE, _FEELING_ORDER, {})
    actions = _cues(low, _ACTION_RE, _ACTION_ORDER, _NEGATED_ACTION)
    sentences = [sentence_at(text, m.start) for m in mentions]
    groups: list[int] = []
    for k, m in enumerate(mentions):
        joined = k > 0 and sentences[k] == sentences[k - 1] and bool(_COORDINATION_GAP.match(low[mentions[k - 1].end : m.start]))
        groups.append(groups[-1] if joined else k)
    chosen: list[dict[str, _Cue]] = [{} for _ in mentions]
    for kind, cues in (("feeling", feelings), ("action", actions)):
        for cue in cues:
            candidates = [k for k, sentence in enumerate(sentences) if sentence[0] <= cue.start < sentence[1]]
            if not candidates:
                continue
            distance = {k: max(mentions[k].start - cue.end, cue.start - mentions[k].end, 0) for k in candidates}
            nearest = groups[min(candidates, key=lambda k: distance[k])]
            for k in candidates:
                if groups[k] == nearest and (kind not in chosen[k] or cue.rank < chosen[k][kind].rank):
                    chosen[k][kind] = cue
    out: list[dict[str, object]] = []
    for mention, picked in zip(mentions, chosen, strict=True):
        feeling, action = picked.get("feeling"), picked.get("action")
        out.append(
            {
                "name_span": list(mention.name) if mention.name else None,
                "feeling": feeling.category if feeling else None,
                "action": action.category if action else None,
            }
        )
    return out


def document_mentions(doc: Document, known: Mapping[str, str] | None = None) -> dict[int, list[Mention]]:
    """Mentions in every client turn of the document (focus or context), names carried forward."""
    out: dict[int, list[Mention]] = {}
    for i, names in enumerate(_name_tables(doc, known)):
        turn = doc.turns[i]
        if turn.speaker is Speaker.CLIENT:
            out[i] = find_mentions(turn.text, i, names)
    return out


def people_in(doc: Document) -> dict[int, list[Mention]]:
    """The mentions per client turn: the people lens's own when it has run (it may know names from
    earlier documents), else found here with the names this document gives."""
    if "people" not in doc.assigned:
        return document_mentions(doc)
    out: dict[int, list[Mention]] = {}
    for a in doc.annotations:
        if a.analyzer == People.name and a.lens == "relationships":
            first = a.evidence[0]
            name = a.detail.get("name_span")
            out.setdefault(first.turn, []).append(
                Mention(first.turn, first.start, first.end, a.label, a.confidence, (name[0], name[1]) if name else None)
            )
    return out


class People:
    name: ClassVar[str] = "people"
    version: ClassVar[str] = "1.0"
    requires: ClassVar[tuple[str, ...]] = ("turns",)
    assigns: ClassVar[tuple[str, ...]] = ("people",)

    def __init__(self, known: Mapping[str, str] | None = None) -> None:
        """``known``: names learnt from the client's earlier documents (name -> role)."""
        self.known = dict(known or {})

    def __call__(self, doc: Document) -> Document:
        mentions = document_mentions(doc, self.known)
        counts: dict[str, int] = {}
        for i, _turn in doc.focus_turns(Speaker.CLIENT):
            text = doc.turns[i].text
            best: dict[str, float] = dict.fromkeys(ROLES, 0.0)
            found = mentions.get(i, [])
            for mention, detail in zip(found, mention_details(text, found), strict=True):
                s, e = sentence_at(text, mention.start)
                evidence = (Span(i, mention.start, mention.end), Span(i, s, e))
                doc.annotations.append(
                    Annotation("relationships", mention.role, mention.confidence, self.name, self.version, evidence, detail)
                )
                counts[mention.role] = counts.get(mention.role, 0) + 1
                best[mention.role] = max(best[mention.role], mention.confidence)
            doc.score("people", i, best)
        doc.summary["people"] = dict(sorted(counts.items()))
        return doc


def label_people(doc: Document, i: int) -> "LabelResult":
    from reverie.analysis.labelling import LabelResult

    found = [a for a in doc.found("relationships") if a.analyzer == People.name and a.evidence[0].turn == i]
    scores = doc.scores.get("people", {}).get(i, dict.fromkeys(ROLES, 0.0))
    people = [{"mention": doc.quote(a.evidence[0]), "role": a.label} for a in found]
    return LabelResult(sorted({a.label for a in found}), scores, {"people": people})
