"""Risk: suicide and self-harm severity after the C-SSRS, and the flags harm_to_others and abuse.

This lens runs on every client turn and is read by ``safety`` before anything else happens.
Missing a crisis is far worse than a false alarm, so every layer leans up: when two levels are
possible the higher is chosen. The layers:

1. Normalisation that keeps offsets: case, curly quotes, repeated letters, texting spellings and
   common typos ("kms", "unalive", "tonite", "pils"), so the patterns see one spelling.
2. Phrase patterns per level for direct, indirect and euphemistic language and for means
   (heights, bridges, trains, pills, ropes, blades, cars, guns).
3. Guards for idiom ("this commute is killing me"), someone else's story, fiction and work, and
   history long past (which is an indicator, not ideation).
4. The earlier turns: an answer to a question about suicidal thoughts, or a plan after ideation.
5. Similarity of the turn to developer-written prototypes, for wording no pattern foresaw.

Sentiment is never used: VADER scores "everyone would be better off without me" as positive.
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from reverie.analysis.document import Annotation, Document, Span
from reverie.analysis.matching import one_edit
from reverie.record import Speaker

if TYPE_CHECKING:
    from reverie.analysis.labelling import LabelResult

LEVELS = ("none", "indicator", "ideation", "behavior", "attempt")
RANK = {level: n for n, level in enumerate(LEVELS)}
SEEDS = Path(__file__).parent / "seeds" / "risk.seed.jsonl"

# -- 1. normalisation --------------------------------------------------------------------------

_SPELLINGS = {
    "kms": "kill myself", "kys": "kill yourself", "unalive": "kill", "unaliving": "killing", "unalived": "killed",
    "ctb": "kill myself", "sui": "suicide", "suicde": "suicide", "sucide": "suicide", "suicid": "suicide", "suicidal": "suicidal",
    "wanna": "want to", "gonna": "going to", "gotta": "got to", "tryna": "trying to", "im": "i'm", "ive": "i've", "id": "i'd",
    "dont": "don't", "cant": "can't", "wont": "won't", "didnt": "didn't", "wasnt": "wasn't", "isnt": "isn't",
    "doesnt": "doesn't", "couldnt": "couldn't", "wouldnt": "wouldn't", "shouldnt": "shouldn't", "theyre": "they're",
    "thats": "that's", "whats": "what's", "its": "it's", "ded": "dead", "dieing": "dying", "myslef": "myself",
    "wnat": "want", "wuold": "would", "wld": "would", "beter": "better", "wihtout": "without", "abotu": "about", "abt": "about",
    "evry": "every", "evrything": "everything", "everythig": "everything", "sometims": "sometimes", "poitn": "point",
    "thinkin": "thinking", "latly": "lately", "dissapear": "disappear", "forver": "forever", "bak": "back", "tryed": "tried",
    "yestrday": "yesterday", "brige": "bridge", "sory": "sorry", "cutt": "cut", "agian": "again", "nite": "night",
    "tonite": "tonight", "leter": "letter", "savin": "saving", "boght": "bought", "stuf": "stuff", "bruned": "burned",
    "purpos": "purpose", "realy": "really", "rly": "really", "wierd": "weird", "tok": "took", "pils": "pills", "pilss": "pills",
    "cabnet": "cabinet", "anymor": "anymore", "anymoore": "anymore", "goodbey": "goodbye", "tmrw": "tomorrow", "tmr": "tomorrow",
    "rn": "right now", "smth": "something", "bc": "because", "cuz": "because", "u": "you", "ur": "your", "msg": "message",
    "w": "with", "thx": "thanks", "pls": "please", "plz": "please", "alot": "a lot", "b4": "before", "2nite": "tonight",
    "2day": "today", "2morrow": "tomorrow", "sh": "self-harm", "sh'd": "self-harmed", "shd": "self-harmed", "livng": "living",
    "wating": "waiting", "finaly": "finally", "enuf": "enough", "nuthin": "nothing", "nothin": "nothing", "lyf": "life",
}  # fmt: skip
# Words a typo of which should still be read as the word ("suicdie", "tabelts", "myslef").
_FUZZY_TARGETS = (
    "suicide", "suicidal", "myself", "overdose", "overdosed", "tablets", "swallowed", "tonight", "goodbye", "anymore",
    "everyone", "without", "better", "bridge", "living", "existing", "disappear", "forever", "nothing", "kill myself",
    "dying", "alive", "wanted", "wishing", "thinking", "thoughts", "prescription", "medication", "razor", "noose",
)  # fmt: skip


@cache
def _known_words() -> frozenset[str]:
    """Whole words of the encoder's vocabulary: a token found here is a word, not a typo."""
    from reverie.analysis.embed import TOKENIZER

    vocab = json.loads(TOKENIZER.read_text(encoding="utf-8"))["model"]["vocab"]
    return frozenset(w for w in vocab if w.isalpha())


@cache
def _correct(token: str) -> str:
    if len(token) < 5 or not token.isalpha() or token in _FUZZY_TARGETS or token in _known_words():
        return token
    for target in _FUZZY_TARGETS:
        if " " not in target and one_edit(token, target):
            return target
    # Any other word: one letter typed twice, or two neighbours swapped, when that gives a word.
    candidates = {token[:k] + token[k + 1 :] for k in range(1, len(token)) if token[k] == token[k - 1]}
    candidates |= {token[:k] + token[k + 1] + token[k] + token[k + 2 :] for k in range(len(token) - 1)}
    known = sorted(c for c in candidates if c in _known_words())
    return known[0] if len(known) == 1 else token


_TOKEN = re.compile(r"[\w'\-*]+|[^\w\s]")
_REPEATS = re.compile(r"(\w)\1{2,}")


@dataclass(frozen=True)
class Normalised:
    """Canonical text plus, for each canonical character, the original character it came from."""

    text: str
    origin: tuple[int, ...]
    source: str

    def span(self, start: int, end: int) -> tuple[int, int]:
        a = self.origin[start]
        b = self.origin[max(start, end - 1)] + 1
        while b < len(self.source) and (self.source[b].isalnum() or self.source[b] in "'"):
            b += 1  # finish the original word (a spelling may be shorter than what it replaced)
        return a, b


@lru_cache(maxsize=4096)
def normalise(text: str) -> Normalised:
    pieces: list[str] = []
    origin: list[int] = []
    for m in _TOKEN.finditer(text.replace("\u2019", "'").replace("\u2018", "'")):
        token = _REPEATS.sub(r"\1\1", m.group().lower())
        token = token.replace("*", "").strip("'") or "'"
        token = _SPELLINGS.get(token, token)
        token = _correct(token)
        if pieces:
            pieces.append(" ")
            origin.append(m.start())
        pieces.append(token)
        origin.extend([m.start()] * len(token) if len(token) != len(m.group()) else range(m.start(), m.end()))
    return Normalised("".join(pieces), tuple(origin), text)


# -- 2. patterns -------------------------------------------------------------------------------


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w'])(?:" + "|".join(alternatives) + r")(?![\w'])")


I = r"(?:i|i'm|i've|i'd|i'll|me|my|myself|i am|i was|i have|i had)"  # noqa: E741 - a first-person cue
MEANS = r"(?:pills?|tablets?|paracetamol|medication|meds|prescription|overdose|rope|noose|belt|blade|razor|knife|gun|bridge|ledge|roof|balcony|cliff|platform|tracks|train|lorry|bus|car|engine|garage|river|sea|bath|cord|ligature|jump|hang)"
NOW = r"(?:tonight|right now|now|today|this evening|this afternoon|this morning|in an hour|when (?:we|this call|the call|you) (?:hang up|ends?|finish)|when i hang up|after (?:work|my shift|they leave|everyone's asleep|the kids are in bed)|at midnight|by morning|soon)"

ATTEMPT = _rx(
    r"(?:i|i've|i have|i just|already) (?:took|taken|swallowed|drank|drunk|overdosed)(?: \w+){0,4} (?:pills?|tablets?|everything|it all|bottle|prescription|medicine|strip|packet|box)",
    r"(?:took|swallowed|taken|drank) (?:all (?:of )?(?:the |my |\w+'s )?(?:pills|tablets|meds|medication|medicine|prescription|them|of them)|everything|the whole (?:bottle|box|packet|strip|lot)|my whole prescription|enough|a lot of (?:my |the |\w+'s )*(?:pills|tablets|meds)|an overdose|loads of (?:pills|tablets))",
    r"overdosed|took an overdose|(?:pumped my stomach|stomach pumped)",
    r"(?:tried|try|tryed|attempted) (?:to )?(?:kill (?:myself|me)|end it|end my life|hang (?:myself|my self)|drown myself|die|kill myself)",
    r"(?:tried|attempted) (?:it )?(?:last night|yesterday|on \w+day|this morning|last week|earlier)",
    r"i tried (?:last night|yesterday|on \w+day|this morning|earlier)",
    r"(?:i'm|i am|i'm now|i am now|now i'm|now i am) (?:on|at|standing on|sitting on|up on) (?:the )?(?:bridge|ledge|roof|edge|tracks|cliff|cliff top|platform|balcony|railway)",
    r"(?:i )?take all the (?:tablets|pills)(?: now)?",
    r"(?:i'm|i am) (?:going to|gonna|about to) (?:drive off|jump off|step off|walk into|drive into|jump in|jump from)",
    r"about to (?:jump|do it|take them|end it|kill myself|go)",
    r"(?:taken|took|drank|drunk|swallowed) (?:some )?(?:poison|bleach)",
    r"i'm (?:on|at) the (?:bridge|ledge|roof|tracks|station|cliff)",
    r"(?:writing|write) (?:this )?from the (?:roof|bridge|ledge)",
    r"engine running",
    r"(?:pills?|tablets?|blade|razor|knife|rope|gun) (?:are |is )?in my hand",
    r"(?:going to|will|gonna|about to|i'll) (?:kill myself|end it(?: all)?|end my life|do it|take them|jump|finish it|end both of us|drive off|step(?:ping)? (?:off|out)|kill me)(?: \w+){0,4} " + NOW,
    NOW + r"(?: \w+){0,3} (?:i'm|i am|i will|i'll|is) (?:going to |gonna )?(?:do it|end it|kill myself|finish it|the night|finally going to do it|happening)",
    r"(?:i'm|i am) (?:doing it|going to do it|going now|ready) (?:tonight|this evening|today|properly)",
    r"(?:go|going|walk|walking|drive|driving|swim|swimming)(?: \S+){0,6} (?:river|sea|lake|bridge|cliff|tracks|train|woods|water|inside)(?: \S+){0,3} (?:and |to )?not (?:come|coming) (?:back|out)",
    r"go inside and not come out",
    r"doing it (?:tonight|tonite|this evening|after work|at midnight)",
    r"(?:it's|its|it is) happening (?:now|tonight)",
    r"tonight's the night|tonight is the night|this (?:is my|night is my) last (?:night|message)|my last message",
    r"(?:not|won't) (?:going to )?be (?:alive|here|around) (?:tomorrow|by (?:morning|tomorrow))",
    r"(?:i'm|i am) not going to be alive",
    r"(?:by the time|when) (?:anyone|you|they) (?:reads?|see|finds?) this",
    r"(?:signing off|logging off) for good|(?:bye|goodbye) (?:everyone|all|forever)|this is goodbye|said my goodbyes",
    r"(?:i'm|i am|i've|i have) (?:already )?(?:done it|did it)",
    r"(?:cut|cutting|slit) (?:my wrists?|very deep|too deep|deep)(?: \w+){0,3}(?: to die)?",
    r"(?:cut|cutting|drank|drunk|took|taken|swallowed|jumped|hurt myself|stepped)(?: \S+){0,8} to (?:try to )?die|(?:tried|try|trying) to die|to die (?:last night|yesterday|this morning|on \w+day)",
    r"i (?:jumped|stepped out|stepped in front|jumping in)",
    r"(?:jumped|jumping) (?:from|off|in|into)",
    r"(?:stepping off|step off|stepped off) the platform",
    r"(?:can feel it|i can feel it) working|(?:starting to|i) feel (?:dizzy|very sleepy|weird|really weird)",
    r"lot of blood|there's a lot of blood",
    r"(?:i|i've) (?:locked the door so|run the bath and)",
    r"(?:i'm|i am) (?:going to|gonna) (?:do it|end it) properly",
    r"(?:i'll|i will) (?:finish it|do it) (?:then|tonight)",
    r"finish(?:ed)? it tonight|tonight i will finish",
    r"woke up (?:in|on) (?:a&e|hospital|the bathroom floor|the floor)",
    r"(?:writing|i'm writing) from the hospital|out of hospital",
)

BEHAVIOR = _rx(
    r"(?:saving|saved|collecting|stockpiling|hoarding|keeping|kept|stashing)(?: \w+){0,3} (?:my |the |all (?:of )?(?:my|the) )?(?:pills|tablets|meds|medication|prescription)",
    r"(?:saving|collecting|stockpiling)(?: \w+){0,2} (?:up )?(?:my )?(?:pills|tablets|meds)",
    r"(?:pills?|tablets|meds)(?: \w+){0,3} (?:saved|aside|in a tin|in a sock|in the drawer)",
    r"(?:have|got) enough saved",
    r"i have (?:now )?many",
    r"(?:got|bought|have|ordered|found)(?: \w+){0,3} (?:a |the )?(?:rope|noose|gun|blade|razor|ligature|what i need|everything i need|the stuff i need|the thing|kit|it all)",
    r"(?:bought|ordered|asked for|collected|got)(?: \w+){0,4} (?:painkillers|sleeping (?:pills|tablets)|tablets|pills|prescription|more of the)",
    r"i've got (?:a |the )?(?:rope|gun|blade)|got a rope|keep a blade|unalive kit|kill kit",
    r"everything (?:i need|ready|is ready|set up|planned)|(?:got|have) everything ready|it's all (?:set up|planned|ready|sorted)|(?:i )?make everything ready",
    r"(?:wrote|written|writing|recorded|write)(?: \w+){0,3} (?:a |my |the )?(?:goodbye|suicide|last|farewell)? ?(?:note|notes|letters?|letter|post|video|message|msg|eulogy)(?: \w+){0,4}(?: to (?:say sorry|explain|everyone|mum|my|you)| for my| afterwards| to go with)?",
    r"(?:goodbye|suicide|last) (?:note|letter|post|message|msg)",
    r"(?:wrote|written) (?:letters?|the letters|a letter) (?:to|for)",
    r"eulogy|playlist for my funeral|my funeral (?:playlist|plans)",
    r"(?:gave|giving|give|given|gave away|giving away|sold|dropped)(?: \w+){0,6} (?:away|to (?:my|her|him|them|tom|sam|everyone|a)|back)",
    r"(?:won't|wont|will not) (?:be )?(?:need(?:ing)?|use|using|playing|around to)(?: \w+){0,2} (?:it|them|anymore|again|more|soon)",
    r"(?:don't|not) need (?:it|them|any of (?:it|them)|my \w+) (?:anymore|any more|where i'm going)",
    r"(?:won't|will not) need (?:it|them|any)",
    r"(?:said|started saying) goodbye",
    r"(?:updated|wrote|made|sorted)(?: \w+){0,2} (?:my )?will|list of who gets what|put (?:all )?(?:the )?account details|passwords",
    r"cancelled my (?:phone|contract|subscriptions)|paid off (?:the|my) (?:credit card|debts?)|deleted my accounts|emptied my (?:inbox|locker)",
    r"(?:extra|more) life insurance|checked it pays out",
    r"(?:look after|take|have) (?:him|her|\w+|the dog|the cat|my \w+) if (?:anything happens|anything happened|i'm not)(?: to me)?",
    r"gave (?:everyone|them all|each of them|people)|(?:gave|given) (?:\w+ ){0,3}something of mine|gave (?:\w+ ){1,4}my (?:diaries|things|stuff|ring|watch|books|necklace|jewellery|guitar|bike|tools|camera|phone|laptop|hoodies|switch)",
    r"who would take (?:him|her|the dog|the cat)",
    r"(?:cat's|dog's) things|food for a month",
    r"spare key|key for my neighbour|won't be answering",
    r"(?:researching|researched|looked up|looking up|checked|bookmarked)(?: \w+){0,4} (?:how to|ways to|methods|the pages|the times|tallest|trains go through)",
    r"(?:i )?(?:tried|try) how it would feel",
    r"(?:picked|chose|chosen|decided on)(?: \w+){0,2} (?:which|the) (?:bridge|place|spot|day|date)",
    r"sat in the garage|with the car keys",
    r"(?:cut|cutting|cuts|sliced|carved|scratch(?:ed|ing)?|burn(?:ed|t|ing)?|bruned|bang(?:ed|ing)|biting|bit my|pulled out)(?: \w+){0,3} (?:myself|my (?:arm|arms|wrist|wrists|leg|legs|thigh|skin|head|hair|knuckles)|till (?:it|they) (?:bled|bleeds|bruise)|until (?:it|they) (?:bled|bleeds|bruise|leaves marks)|on purpose|to punish myself|into my arm)",
    r"(?:hit(?:ting)?|punch(?:ed|ing)?|bang(?:ed|ing)?) (?:myself|my (?:legs?|head|arms?)|the (?:brick )?wall on purpose)",
    r"(?:cuts?|cutting) (?:are |is )?(?:getting )?(?:deeper|worse)",
    r"(?:keeping|kept|hiding|hid|have) (?:them|it) (?:in a tin|in a sock|in the drawer|aside|hidden|in my bag|in the boot)",
    r"(?:everything|what) i(?:'d)? need(?: \w+){0,4} (?:hid|hidden|ready|loft|bag|boot|order|online|sells|bought)|sells what i need|put in the order|placed the order",
    r"not going to (?:use|need|play|wear|be needing)(?: \w+){0,2}",
    r"rehomed (?:the|my) (?:cat|dog)",
    r"(?:cutting|cut|the cutting|cuts are) (?:again|deeper)|started cutting|cut again|relapsed(?: \w+){0,2} (?:blade|cutting)|self-harm(?:ed|ing)?|hurt(?:ing)? myself(?: badly)? on purpose",
    r"(?:pressed|press) the (?:hot )?iron|with (?:a|the) (?:lighter|cig|cigarette)|reopening the cuts|stroking the blade",
    r"(?:taking|took|take)(?: \w+){0,2} (?:extra|a few extra) (?:tablets|pills)",
    r"(?:to the doctors?|gp)(?: \w+){0,6} (?:more of the|sleeping)",
    r"(?:lied|lying) about why",
    r"(?:standing on the chair|on the chair) with it",
    r"clearing the flat|clearing out my",
    r"the place where i (?:would|will|'d|'ll) do it|where i(?:'d| would) do it|to practise|to practice",
    r"(?:the )?means (?:ready|hidden|sorted)|got (?:hold of )?the means|affairs in order|after i'm gone|when i'm gone",
    r"noose|picked a date|set a date|chose a date|searched for (?:methods|ways)|saved the instructions",
    r"(?:weapon|gun|knife|blade|razor)(?: \w+){0,3} (?:to use )?on myself|self harm(?:ed|ing)?|self-harm(?:ed|ing)? again",
    r"handed out(?: \w+){0,2} (?:belongings|things|stuff|possessions)",
)

IDEATION = _rx(
    r"kill(?:ing)? myself|killing me(?! softly)|end(?:ing)? (?:it all|my life|it)|take my (?:own )?life|taking my (?:own )?life|finish my life|take me in my sleep",
    r"suicid(?:e|al)|self-harm thoughts|sewer slide|the kms kind|kms",
    r"(?:want|wants|wanted|wanting|wish|wished|wishing|hope|hoping|hoped)(?: \w+){0,3} (?:to die|to be dead|i was dead|i were dead|i'd die|i'd never woken|i wasn't (?:alive|here|born)|i weren't (?:alive|here)|i was ded|i wasnt born|not to wake|to not wake|i didn't wake|i won't wake)",
    r"(?:wish|wishing) i (?:was|were|wasn't|weren't|had never|'d never)(?: \w+){0,2} (?:dead|alive|born|here|woken)",
    r"(?:don't|do not|dont|not) (?:want|wanting|wanna) (?:to )?(?:be )?(?:alive|here|living|live|exist|to exist|go on|be living|wake up|do this anymore)",
    r"i'm not wanting to live|not wanting to be here|the not-wanting-to-be-here",
    r"(?:better|happier|fine) (?:off )?(?:dead|without me|if i (?:was|were|wasn't|weren't|just|died|stopped|disappeared|was gone|wasn't around|dipped))",
    r"better (?:off|for everyone) (?:dead|if i|without me)|(?:is )?better (?:i|that i) (?:die|am not|am dead)|for me is better to be dead|better to be dead",
    r"(?:manage|get on|be fine|be better|be happier|have (?:a )?(?:better|more good) life)(?: \w+){0,2} without me",
    r"(?:worth|worthy) more (?:to them )?dead|insurance money than with me",
    r"(?:rather|prefer to) be dead|i'd (?:rather|be glad to) (?:be dead|die|go)|glad to go",
    r"(?:want|wanna|want to|wish i could|like to|would like to) (?:just )?(?:disappear|vanish|not exist|stop existing|go to sleep forever|sleep forever|sleep and not wake|die|be gone)",
    r"(?:not|never) (?:to )?wake up|(?:didn't|didnt|don't|not) wake(?: up)?(?: \w+){0,2}|stay asleep|go to sleep (?:and|forever)",
    r"(?:no|what's the|whats the|what is the) (?:point|reason)(?: \w+){0,4} (?:living|being here|me being here|going on|to live|stay on this earth|existing|of living|alive|continue)",
    r"(?:why|idk why) (?:am i|i'm|i am|i must) (?:even )?(?:still )?(?:here|alive|living|continue)",
    r"(?:don't|dont|can't) (?:see|picture) (?:myself|me) (?:there|getting old|being around|around)|can't picture being around|there's no future where i'm|no future with me",
    r"(?:thinking|think|thought|thinkin|thoughts?)(?: \w+){0,3} (?:about|of|abt|to)? ?(?:dying|death|killing|suicide|ending|being dead|not being here|not existing|how i'd do it|how and where|the bridge|jumping|stepping|turning the wheel|it, the fall|going inside and not|jump|take my life|finish my life)",
    r"(?:dying|death|being dead|to be dead) (?:sounds|would be|feels|would feel)|how peaceful it would be|peaceful to be dead",
    r"(?:tired|sick|done) (?:of|with) (?:being alive|living|life|this life|being here|it all|all of it)|too much tired from this life|i'm done\. done",
    r"can't go on|cannot go on|can't do this anymore|don't want to do this anymore|can't keep going",
    r"(?:nothing|no one|nobody) (?:to live for|would (?:even )?notice if i|would miss me|need me here|must care for me)",
    r"(?:disappear|vanish)(?:ed)? (?:forever|for good|permanently|off the earth)|quietly disappeared|not be around|not being around|to not be here|not be here|not be living",
    r"(?:if|hope|hoping|wish)(?: \w+){0,4} (?:hit|hits) me|wouldn't mind if|i genuinely wouldn't mind|hope (?:it|the scan|my heart)|hoped it would|plane goes down|car it hits me|something hits me|smth hits me|get ill with something quick|heart just gives",
    r"everything (?:to be|was) over for good|all to stop for good|it all to stop|want it (?:all )?to stop",
    r"(?:picture|imagine|imagining|see)(?: \w+){0,3} (?:stepping forward|my funeral|turning the wheel|jumping|the fall)",
    r"(?:who|anyone) would (?:come to|be at) my funeral",
    r"(?:envy|swap places with)(?: \w+){0,3} (?:people who die|anyone in that cemetery)",
    r"lived too long|had enough of (?:life|living|this life|it all|everything|being here|being alive)|need to hang about|why i need to hang about|waiting for it to be over",
    r"(?:i )?should be dead|a voice that tells me",
    r"(?:a )?door i keep checking|the easy way out|log off(?: from life)?|respawn|dipped dipped|just dipped|bad thoughts are back|dark thoughts|the not being here ones|not being here",
    r"(?:weight|drain|burden) (?:around|on) (?:everyone|them)|i'm a drain|they'd float|only problem for my family",
    r"don't see myself getting old|don't see myself there|nothing there",
    r"death would be|cant stop thinking (?:about|abt) dying|think about dying|thinking about dying",
    r"it would be (?:so )?(?:easy|easier|kinder)(?: \w+){0,5} (?:not be around|disappeared|if i|to not)",
    r"a subscription i forgot to cancel",
    r"(?:nobody|no one|noone) would (?:really |even )?(?:miss me|notice)|if i just stopped",
    r"(?:don't|do not) want (?:\w+ ){0,2}(?:running|going|to keep going|to carry on) anymore|i'm the machine",
    r"want (?:it|everything|this|life|it all) (?:all )?to be over",
    r"no (?:wish|desire|will|reason) to (?:go on|live|keep living|be alive|carry on)|(?:never|not) (?:to )?wake(?: again)?",
    r"(?:life|living|my life) (?:isn't|is not|ain't|isnt) worth (?:living|it)|not worth living",
    r"welcome death|death would be welcome|wouldn't fight it if|(?:something|someone|anything) (?:would|could) (?:just )?kill me|let me die",
    r"stop existing|stopped existing|cease to exist|not get up again",
    r"if i (?:wasn't|weren't|was not|were not) (?:around|here|alive)",
    r"(?:want|wants|wanting|wanted) to kill(?! (?:him|her|them|you|my|the|his|a|it|time|someone|everyone|people|that|this))",
    r"not (?:waking|wake|woken) up|never (?:waking|woke) up",
    r"(?:wouldn't|would not|won't) (?:care|mind|be sad) if (?:i|it) (?:died|was dead|didn't wake|happened)",
    r"(?:daydream\w*|dream\w*|fantasi\w*) about (?:dying|being dead|death|not being here)",
    r"(?:going to|gonna|want to|think to) jump",
    r"this could be the last one",
    r"hold the kitchen knife|a second longer than i need",
    r"i have the thoughts to|the thoughts? to kill",
    r"(?:river|balcony|bridge|platform|window)(?: \w+){0,8} (?:to jump|go inside and not come out|think about it|think to jump|the fall)",
    r"(?:i'll|i will) kill myself",
    r"if the appeal fails|after my daughter's wedding|i'll do it after",
    r"worked out (?:roughly )?how|how i'd do it|more about how",
)

INDICATOR = _rx(
    r"can't see the point(?! of (?:living|being here|going on|me being here|life))|hopeless|no hope|can't see (?:it|things|a way)(?: \w+){0,3}|won't ever get better|will ever get better|never get better|nothing (?:ever )?(?:changes|will change)",
    r"worthless|useless|a failure|a burden|hate (?:myself|everything about my life|my life)|can't cope|cannot cope|falling apart",
    r"drinking every night|haven't left the (?:flat|house)|not eating|can't sleep|numb",
    r"(?:tried|took|cut|burned|overdosed|attempt)(?: \w+){0,6} (?:years ago|as a teenager|when i was|at (?:fifteen|sixteen|\d+))",
    r"(?:as a teenager|when i was (?:\d+|a teenager|younger)|years ago|before, in my country)(?: \w+){0,8} (?:tried|took|cut|burned|overdose|self-harm|hurt myself|to die)",
    r"scare myself|carrying a knife",
    r"exhausted|at the end of my rope|can't take (?:it|much more)|too much",
    r"(?:beat|hit|abused) me as a child|still flinch",
    r"family history|my (?:dad|father|mum|mother|brother|sister|uncle|aunt) (?:killed himself|killed herself|took (?:his|her) (?:own )?life)",
)

HARM_TO_OTHERS = _rx(
    r"(?:i'll|i will|i'm going to|i am going to|going to|gonna|i want to|i could|i'm taking|thinking about|fantasi[sz]ing about|i keep thinking about|i'd like to)(?: really)?(?: \w+){0,2} (?:kill|killing|hurt|hurting|stab|stabbing|shoot|shooting|beat|punch|strangle|batter|end|torch|burn|break|smash|attack|get back at) (?:him|her|them|you|someone|people|everyone|both of us|each of them|his|her|their|my (?!life|own|self)\w+|the \w+)",
    r"taking (?:him|her|them) with me|make (?:them|him|her) (?:all )?pay|(?:he|she|they)(?:'ll| will) pay for|(?:he's|she's|they're) going to get what's coming|deserves? everything (?:she|he|they) gets?",
    r"what i'm going to do to (?:each of )?(?:them|him|her)|list of the (?:kids|people) who",
    r"(?:keep|carry|carrying|bought|got) a (?:bat|knife|gun|weapon|crowbar)(?: \S+){0,5} (?:for when|for him|for her|to use|when i visit|in case i see)",
    r"i (?:hit|shook|hurt|slapped|punched|kicked|shoved|strangled) (?:my|the|him|her)(?: \w+){0,2}(?: \S+){0,10} (?:again|do it again|did it again|can't control)",
    r"bought a gun(?: \w+){0,3} he'll pay",
)
ABUSE = _rx(
    r"(?:he|she|they|my \w+(?:'s)?(?: \w+){0,2})(?: \S+){0,4} (?:hits?|hitting|beat|beats|kicks?|kicked|slaps?|slapped|punch(?:es|ed)|shoves?|shoved|push(?:es|ed)|strangled?|strangles|chokes?|choked|grabbed|grabs|hurts?|burns|locks?|locked|touches|held a knife to|threw(?: \S+){1,4} at|threaten(?:s|ing|ed)? to(?: \w+)? (?:stab|hurt|kill|hit|beat|throw)) (?:me|my (?:head|face|arms?|neck|body|legs?|hair|throat|chest))",
    r"(?:he|she|they|my \w+(?:'s)?(?: \w+){0,2})(?: \S+){0,4} (?:takes|took|checks|keeps|controls) my (?:phone|money|pension|bank card|card|passport|keys|wages|benefits)",
    r"said (?:he'd|she'd|they'd)(?: \S+){0,6} (?:kill|hurt|beat) me|(?:he|she|they)(?:'ll| will) (?:beat|hurt|kill) me|beat me up again|kicked me out of the car|bruises on my \w+ from where|lose my (?:visa|job|kids) if i (?:complain|tell|report)|hurt me if",
    r"(?:scared|afraid|frightened|terrified) (?:of what )?(?:he|she|they)(?:'ll| will| might) (?:do|hurt|kill)",
)

# Phrases that are risk only with support: risk words in the same turn, risk in the turns just
# before, or an answer to the therapist's question about risk. ("I'm doing it now", "I'm ready".)
STANDING = _rx(
    r"(?:stood|standing|stand|went|go|going|gone|climbed)(?: \S+){0,8} (?:edge|railings?|barrier|bridge|platform|crossing|train line|ledge|cliff|multi-storey|top floor)(?: \S+){0,6} (?:to see if i could|to see how it is|working up to it|just to see|only to look|to look down|climbed over|i am practising|for a while\. just to see)",
    r"(?:practised|practiced|practising|rehearsed|rehearsing|tried out|tested)(?: \w+){0,2} (?:tying|the knot|how it (?:would )?feel|with the belt|the noose)",
)
WEAK_ATTEMPT = _rx(
    r"doing it (?:right )?now|using it now|(?:gone|went|go) through with it",
    r"(?:i'm|i am) there now",
    r"(?:(?:it's|its) )?too late(?: now)?",
    r"already did",
    r"(?:the )?next (?:fast )?train",
    r"i'm not coming down|(?:i|i'm) (?:don't|won't|will not|not) (?:come|coming) back(?! (?:to|here|until|till|later|next|tomorrow|on|after|in))",
    r"when i hang up|when this (?:call|song) (?:ends|finishes)",
    r"not much longer now",
    r"(?:i|i've|i have|i just|already) (?:took|taken|swallowed|drank) (?:them|the lot|them all|all of them)",
    r"i'm done talking|done talking|this is it|(?:i'm|i am) doing it now|(?:i go|i'm going|going) now to the (?:train|bridge|river|tracks|station|cliff)",
)
WEAK_BEHAVIOR = _rx(
    r"(?:the )?letters(?: , i mean)?|the note|an envelope|my bike|my stuff",
    r"(?:practised|practiced|practising|practicing|rehearsed|rehearsing|tried out|tested)(?: \w+){0,3} (?:tying|the knot|how it would feel|it|with the belt)",
    r"(?:stood|standing|stand|went|go|going|gone|climbed)(?: \w+){0,6} (?:edge|railings?|barrier|bridge|platform|crossing|train line|ledge|cliff|multi-storey|top floor)(?: \w+){0,4}(?: to see| just to| working up| only to| every night)?",
)
WEAK_IDEATION = _rx(
    r"not come (?:out|back)|never come back",
)
SUPPORT = _rx(
    r"(?:swallowed|taken|took) them ?,? i'm (?:so |really )?sorry|don't come back|won't come back|thank you for trying|goodbye \.|^goodbye|die|dying|dead|death|kill myself|suicid\w*|end it|end my life|overdose|pills|tablets|rope|noose|bridge|jump|last message|bye everyone|goodbye everyone|this is goodbye|sorry for everything|can't do this anymore|for good|forever|nobody can stop|don't try to stop|don't call anyone|tell my (?:mum|mother|dad|father|kids)|love (?:you all|her|him)|not coming back|won't be here|the end",
)

# Guards: words that make a risk phrase not about the speaker's own life and death now.
IDIOM = _rx(
    r"(?:is|it's|was|were|this|that|they're|job|commute|work|feet|back|heat|kids|exams?|playlist|song|suspense|shoes)(?: \w+){0,3} killing me",
    r"killing me softly|killed (?:it|at)|kill(?:ed|ing)? (?:two birds|time|the vibe|the mood|the lights|a bottle|the engine)|murder (?:a|for a) \w+|could murder",
    r"dying (?:to|for)|to die for|die of (?:embarrassment|shame|laughter|boredom)|nearly died (?:laughing|of|when i saw)|i thought i was going to die|(?:phone|battery|laptop|car|plant|plants|battery) (?:died|is dead|dead)",
    r"dead (?:tired|on my feet|serious|end|easy|good|funny|quiet)|deadline|drop dead gorgeous|over my dead body|dead to me",
    r"(?:going to|gonna|will) kill me(?: if| when| for)?|kill me now|(?:she's|he's|they're|mum's|dad's|boss is|sister's) going to kill me",
    r"end (?:it|things) with (?:him|her|them)|ending it with|end of the day|end of my tether|ended it with|ended things",
    r"bored to death|scared to death|to death of|sick to death",
    r"jump (?:at|on) the (?:chance|bandwagon)|jump in the (?:shower|car|bath)|jumping (?:the queue|to conclusions)",
    r"take (?:a )?(?:pill|tablet|tablets|paracetamol) for",
    r"(?:time capsule|future self)",
    r"(?:knees?|feet|back|head|legs|shoulders|neck|eyes|stomach|hands)(?: \w+){0,2} (?:are|is) killing me",
    r"(?:battery|phone|laptop)\S*(?: \S+){0,6} (?:about to die|going to die|dying)|(?:integral|exam|essay|homework|maths|meeting|shift|spreadsheet|assignment)(?: \w+){0,4} (?:i'm|i am) (?:going|about) to die|(?:i'm|i am) (?:going|about) to die (?:of|from) (?:boredom|embarrassment)",
    r"(?:i'd|i would) rather die than|rather die than",
    r"not (?:waking|wake) up (?:until|till|before|early)|(?:don't|do not) want to be here ?,? (?:this|at this|tonight at|at this party)|disappear for (?:a|the) (?:weekend|day|week|bit|while|few days)|just want to disappear for",
)
OTHERS = _rx(
    r"(?:my|his|her|their|our|a) (?:friend|brother|sister|cousin|mate|flatmate|neighbour|colleague|client|patient|student|uncle|aunt|son|daughter|friend's \w+)(?: \w+){0,3} (?:tried|took|killed|died|is suicidal|was suicidal|cuts|self-harms|overdosed|jumped|wants to die)",
    r"(?:he|she|they) (?:tried|took|killed (?:himself|herself|themselves)|wants to die|is suicidal|cuts|overdosed|jumped)",
    r"killed (?:himself|herself|themselves)|took (?:his|her|their) (?:own )?life",
)
DREAMT = _rx(r"in (?:the|my|that) dream|i dreamt|i dreamed|in the nightmare|nightmare")
FICTION_OR_WORK = _rx(
    r"film|movie|book|novel|series|episode|character|game|poem|poems|poet|song|lyrics|syllabus|documentary|podcast|play|plot|story|scene|essay|assignment|module|lecture",
    r"as a (?:nurse|doctor|paramedic|firefighter|police officer|officer|teacher|carer|social worker|psychiatrist|counsellor)|on (?:shift|the ward)|coroner|inquest|verdict|my patients?|the patient|at work we|in my job",
    r"screening|questionnaire|training|course on|first aid|paladin|mod|dialogue|crisis line|every shift|supervision|asist|phd|prevention|research|the trial|placebo|data|clinical|study",
)
NEGATED = _rx(
    r"(?:i'm|i am|i'm really|i'm definitely) not suicidal|(?:would|will|could) never (?:kill myself|do (?:that|it|anything)|hurt myself)|never (?:thought|think) (?:about|of) (?:killing|ending|suicide)",
    r"no (?:thoughts|plans?) (?:of|to|about) (?:suicide|killing|ending|hurting)|not (?:thinking|thought) (?:about|of) (?:suicide|killing myself|ending it)",
    r"(?:don't|do not) want to die|(?:don't|do not) want to kill myself|not going to kill myself|(?:wasn't|was not|weren't|not|never) (?:trying|wanting|meaning|going) to (?:die|kill myself|end it)",
    r"not thinking about ending anything|no thoughts of (?:death|dying|suicide|ending)",
)
HISTORY = _rx(
    r"(?:back )?in (?:january|february|march|april|may|june|july|august|september|october|november|december)|(?:months|weeks) ago|last year|gone for months|(?:it's|they're|those are) gone|not anymore|haven't had (?:them|those thoughts|that)|(?:years|decades|a long time) ago|as a (?:teenager|kid|child|student)|when i was (?:\d+|a teenager|young|younger|at school|at uni|a kid|fifteen|sixteen|seventeen|fourteen)|in my (?:teens|twenties|thirties)|back (?:then|in \d+)|at (?:fifteen|sixteen|seventeen|\d\d)|before, in my country|that part of my life is over|i'm (?:well|okay|fine|better) now|now is many years",
)
PRESENT = _rx(r"now|again|lately|these days|this week|tonight|still|today|recently|since|at the moment|right now|currently|anymore|every day|every night")

# Everyday reasons that make a "behaviour" phrase ordinary: a climbing rope, a leaving do.
BENIGN = _rx(
    r"for (?:the )?(?:climbing|camping|photos|holiday|trip|party|garden|boat|tent|charity|move|washing)|climbing wall|at sunset|for photos|e-reader|outgrown|since we had the baby|grown-up|leaving do|new job|i'm off to|off to (?:australia|\w+ for)|moving to|moving house|like a good (?:boy|girl)|doctor will be proud|as prescribed|with breakfast|will post|see you (?:soon|later|in)|for a year",
)
JOKE = _rx(r"lol|lmao|lmfao|jk|haha|hahaha|rofl")
SERIOUS = _rx(r"not (?:really )?a joke|not joking|not kidding|for real|fr|not the tiktok version|seriously|i mean it|deadass")
# Giving things away or putting affairs in order is behaviour only with a sign that it is final.
FINAL = _rx(
    r"won't need|wouldn't need|wont need|don't need|not going to (?:use|need|play|wear)|will not use|won't be (?:playing|using|needing|around|here)|remember me|keep (?:them|it) safe|understand later|no point keeping|thank you|something of mine|to have something|but i'm not|where i'm going|anymore|after i'm gone|if anything happens|when i'm gone",
)
ARRANGEMENTS = _rx(r"will|account details|passwords?|life insurance|insurance|letters?|spare key|bills|mortgage|cancelled|paid off|deleted my accounts|emptied|list of who gets what|solicitor|papers")
_FIRST_WORD = re.compile(r"(?<![\w'])(?:i|i'm|i've|i'd|i'll|i am|me|my|myself|mine)(?![\w'])")
_THIRD_SUBJECT = re.compile(
    r"(?<![\w'])(?:he|she|they|he's|she's|they're|he'd|she'd|shed|they'd|hed|him|his|her|them|someone|somebody|"
    r"(?:my|a|his|her|their|our|the)(?: \w+'s)? (?:\w+ )?(?:mum|mom|mother|dad|father|brother|sister|friend|mate|gf|bf|girlfriend|boyfriend|wife|husband|partner|son|daughter|uncle|aunt|cousin|nan|gran|grandad|neighbour|colleague|boss|flatmate|character|paladin|boy|girl|man|woman|client|patient|student|kid|teenager|stepdad|stepmum)(?:'s)?)(?![\w'])"
)

_DEATH_WORDS = _rx(
    r"die|dies|died|dying|dead|death|deathly|alive|living|live|life|lives|end|ending|ended|gone|exist|existing|kill|killing|hurt|hurting|harm|suicid\w*|point|over|disappear|vanish|wake|waking|sleep forever|bridge|pills|tablets|overdose|jump|jumping|cut|cutting|blood|bleeding|goodbye|bye|anymore|better off|burden|rope|noose|funeral|grave|cemetery|heaven|peace|peaceful|tired of|done with|can't go on|no way out|escape",
)
ASKED = _rx(
    r"suicid\w*|kill(?:ing)? yourself|end(?:ing)? your life|ending it|end it|wishing you were dead|better off dead|hurt(?:ing)? yourself|harm yourself|self-harm|not want(?:ing)? to be here|thoughts of (?:death|dying)|what kind of thoughts|dark thoughts|taken anything|tried to (?:hurt|kill|end)|acting on (?:it|that|those)|done anything (?:about|to prepare|to try)|made any plans|gone any further|got close to acting|the cutting|urge to cut|saving (?:any )?(?:of )?your (?:tablets|pills)|where are you (?:right now|at the moment|now)|are you safe|planning to use|still just thinking|(?:put|move) them (?:somewhere|out of reach)|how are you feeling right now|images|pictures in your head",
)
AFFIRM = _rx(
    r"yes|yeah|yep|yup|sometimes|often|every day|pretty much|more than half|most days|a lot|same as|that's what i mean|a bit|mostly|constantly|all the time|daily|nearly every|i did|already|the kms kind|i think so",
)
DENY = _rx(r"no|nope|not really|never|i'm fine|i'm safe|not anymore|i don't|not at all|nothing like that")
PLAN = _rx(
    r"tonight|tomorrow|when|how|where|plan|planned|pills?|tablets?|rope|bridge|jump|it's all set|set up|ready|bought|written|wrote|gave|given|stood|went|tried|decided|after|soon|date|day",
)


_STRONG = (("attempt", ATTEMPT), ("behavior", BEHAVIOR), ("behavior", STANDING), ("ideation", IDEATION), ("indicator", INDICATOR))
_WEAK = (("attempt", WEAK_ATTEMPT), ("behavior", WEAK_BEHAVIOR), ("ideation", WEAK_IDEATION))


@dataclass
class Finding:
    level: str
    start: int
    end: int
    reason: str


class Risk:
    """Risk level per client turn; see the module docstring for the layers."""

    name: ClassVar[str] = "risk"
    version: ClassVar[str] = "1.1"
    requires: ClassVar[tuple[str, ...]] = ("vectors",)
    assigns: ClassVar[tuple[str, ...]] = ("risk",)
    # Cosine similarity to a risk prototype above which an unexplained turn is raised to its level.
    # Nearest neighbours: how many, the share of them at ideation or above that raises a turn
    # (to ideation with a word about death, else to a check-in), and the similarity the nearest
    # must reach to count at all.
    neighbours: ClassVar[int] = 5
    neighbour_share: ClassVar[float] = 0.8
    neighbour_check_in: ClassVar[float] = 0.6
    neighbour_similarity: ClassVar[float] = 0.5
    # Probability from the learned "ideation or above" head above which an unexplained turn is raised.
    head_threshold: ClassVar[float] = 0.9
    # Above this, a turn no rule explains is at least an indicator: the companion checks in.
    check_in_threshold: ClassVar[float] = 0.6

    def __call__(self, doc: Document) -> Document:
        levels: dict[int, str] = {}
        own: dict[int, str] = {}  # levels from each turn's own words, the only thing context reads
        for i, turn in doc.focus_turns():
            if turn.speaker is not Speaker.CLIENT:
                continue
            finding, flags = self.assess(doc, i, own)
            levels[i] = finding.level
            doc.score("risk", i, {level: 1.0 if level == finding.level else 0.0 for level in LEVELS})
            if finding.level != "none":
                a, b = finding.start, finding.end
                doc.annotations.append(Annotation("risk", finding.level, 0.9, self.name, self.version, (Span(i, a, b), doc.whole(i)), {"reason": finding.reason, "flags": sorted(flags)}))
            for flag, (a, b) in flags.items():
                doc.annotations.append(Annotation("risk", flag, 0.8, self.name, self.version, (Span(i, a, b),), {"reason": f"{flag.replace('_', ' ')} phrase", "flags": [flag]}))
        doc.summary["risk"] = {"highest": max(levels.values(), key=RANK.__getitem__, default="none"), "turns": {lvl: list(levels.values()).count(lvl) for lvl in LEVELS if lvl != "none"}}
        return doc

    def assess(self, doc: Document, i: int, earlier: dict[int, str]) -> tuple[Finding, dict[str, tuple[int, int]]]:
        text = doc.turns[i].text
        n = normalise(text)
        best = self._strongest(n, _STRONG)
        if self._supported(doc, i, n, earlier):
            weak = self._strongest(n, _WEAK)
            if RANK[weak.level] > RANK[best.level]:
                best = weak
        flags = {}
        for flag, pattern in (("harm_to_others", HARM_TO_OTHERS), ("abuse", ABUSE)):
            for m in pattern.finditer(n.text):
                sentence = _sentence(n.text, m.start())
                # Abuse long past ("thirty years ago ... he hit me") is history, not a harm going on now.
                if not IDIOM.search(sentence) and not (flag == "abuse" and HISTORY.search(n.text) and not PRESENT.search(sentence)):
                    flags[flag] = n.span(m.start(), m.end())
                    break
        earlier[i] = best.level
        best = self._from_context(doc, i, n, best, earlier)
        if RANK[best.level] < RANK["ideation"]:
            best = self._from_prototypes(doc, i, best)
        if RANK[best.level] < RANK["ideation"]:
            best = self._from_head(doc, i, n, best)
        return best, flags

    def _from_head(self, doc: Document, i: int, n: Normalised, best: Finding) -> Finding:
        """The learned layer, for wording no pattern foresaw; the guards still apply to it."""
        if doc.vectors is None:
            return best
        from reverie.analysis.heads import head

        if not _DEATH_WORDS.search(n.text):
            return best  # the head confirms what a word suggests; alone it mistakes tone for risk
        p = float(head("risk").probabilities(doc.vectors[i : i + 1])[0, 0])
        if p < self.check_in_threshold:
            return best
        if _guarded(n.text):
            return best
        if p >= self.head_threshold:
            return Finding("ideation", 0, len(doc.turns[i].text), "close to the crisis examples the model learned from")
        if RANK[best.level] < RANK["indicator"]:
            # Unsure: a gentle check-in, never silence ("when unsure, choose the higher").
            return Finding("indicator", 0, len(doc.turns[i].text), "some resemblance to the crisis examples")
        return best

    def _strongest(self, n: Normalised, patterns: tuple[tuple[str, re.Pattern[str]], ...]) -> Finding:
        best = Finding("none", 0, len(n.source), "no risk language")
        for level, pattern in patterns:
            for found in self._matches(n, pattern, level):
                if RANK[found.level] > RANK[best.level]:
                    best = found
        return best

    def _matches(self, n: Normalised, pattern: re.Pattern[str], level: str) -> Iterator[Finding]:
        for m in pattern.finditer(n.text):
            sentence = _sentence(n.text, m.start())
            clause_start = n.text.rfind(sentence) if sentence else 0
            before = n.text[clause_start : m.start()]
            if _overlaps(IDIOM, n.text, m):
                continue
            if level != "indicator" and _someone_else(before, m.group()):
                continue
            if JOKE.search(sentence) and not SERIOUS.search(n.text) and re.search(r"kill myself|die|dead|kill me", m.group()):
                continue
            if FICTION_OR_WORK.search(sentence) and not _FIRST_WORD.search(m.group()):
                continue  # a plot, a study, a shift at work: unless the phrase itself is about me
            if level in ("behavior", "attempt") and BENIGN.search(sentence):
                continue
            if level == "behavior" and _needs_finality(m.group()) and not FINAL.search(n.text):
                continue
            if level == "behavior" and _is_arrangement(m.group()) and len({a.group() for a in ARRANGEMENTS.finditer(n.text)}) < 2 and not FINAL.search(n.text):
                continue
            if level in ("ideation", "attempt") and HARM_TO_OTHERS.search(sentence) and not re.search(r"myself|suicide|i'll be done|be dead|to die|both of us|done too", sentence):
                continue  # "how I'd do it" about hurting someone else: a flag, not suicidality
            if level != "indicator" and NEGATED.search(sentence) and not _reaffirmed(sentence):
                yield Finding("indicator" if level in ("ideation", "behavior") and _distress(sentence) else "none", *n.span(m.start(), m.end()), "denied")
                continue
            found_level = level
            if level in ("ideation", "behavior", "attempt") and DREAMT.search(sentence):
                found_level = "indicator"  # dream content is material to explore, not a current intent
            elif level in ("ideation", "behavior", "attempt") and HISTORY.search(sentence) and not PRESENT.search(sentence):
                found_level = "indicator"  # history long past, nothing now: C-SSRS past history
            a, b = n.span(m.start(), m.end())
            yield Finding(found_level, a, b, f"{level} phrase")

    def _supported(self, doc: Document, i: int, n: Normalised, earlier: dict[int, str]) -> bool:
        if SUPPORT.search(n.text):
            return True
        spans = sorted((m.start(), m.end()) for pattern in (WEAK_ATTEMPT, WEAK_BEHAVIOR, WEAK_IDEATION) for m in pattern.finditer(n.text))
        separate = [spans[k] for k in range(len(spans)) if k == 0 or spans[k][0] >= max(e for _, e in spans[:k])]
        if len(separate) >= 2:
            return True  # two weak signals support each other ("already swallowed them. too late now")
        before = [j for j in range(i - 1, max(-1, i - 4), -1)]
        if before and _asked_about_risk(doc, i):
            return True
        recent = [self._level_of(doc, j, earlier) for j in before if doc.turns[j].speaker is Speaker.CLIENT][:2]
        return any(RANK[level] >= RANK["ideation"] for level in recent)

    def _from_context(self, doc: Document, i: int, n: Normalised, best: Finding, earlier: dict[int, str]) -> Finding:
        previous = [j for j in range(i - 1, max(-1, i - 4), -1)]
        if not previous:
            return best
        text = n.text
        if _asked_about_risk(doc, i):
            client_before = [self._level_of(doc, j, earlier) for j in previous if doc.turns[j].speaker is Speaker.CLIENT]
            prior = max(client_before, key=RANK.__getitem__, default="none")
            if AFFIRM.search(text) or RANK[prior] >= RANK["ideation"] or (re.search(MEANS, text) and not _only_denial(text)):
                level = "ideation"
                if RANK[prior] >= RANK["ideation"] and PLAN.search(text) and not _only_denial(text):
                    level = max(("behavior" if re.search(r"bought|written|wrote|gave|given|stood|went|got|tried|ready|set up|saving|keeping|cut|cutting|did it", text) else "ideation", prior), key=RANK.__getitem__)
                    if re.search(r"tonight|now|already|half an hour ago|hour ago|took|swallowed|when i hang up|that's when|there now|it's all set up|can feel it", text):
                        level = "attempt"
                if RANK[level] > RANK[best.level]:
                    return Finding(level, 0, len(n.source), "answer to a question about risk")
        return best

    def _level_of(self, doc: Document, j: int, earlier: dict[int, str]) -> str:
        """The level of an earlier turn from its own words only, so one finding never cascades."""
        if j in earlier:
            return earlier[j]
        earlier[j] = self._strongest(normalise(doc.turns[j].text), _STRONG).level
        return earlier[j]

    def _from_prototypes(self, doc: Document, i: int, best: Finding) -> Finding:
        """Nearest neighbours among the crisis examples the lens learnt from, for new wording."""
        if doc.vectors is None:
            return best
        from reverie.analysis.heads import risk_examples

        n = normalise(doc.turns[i].text)
        if _guarded(n.text):
            return best
        vectors, risky = risk_examples()
        similarity = vectors @ doc.vectors[i]
        nearest = np.argpartition(-similarity, self.neighbours)[: self.neighbours]
        share = float(risky[nearest].mean())
        if float(similarity.max()) < self.neighbour_similarity:
            return best
        # Neighbours alone raise the crisis response only when a word points the same way;
        # without one they still earn a check-in ("when unsure, choose the higher").
        # History long past ("when I was sixteen I cut ... and then I stopped") is an indicator, as in the rules.
        long_past = HISTORY.search(n.text) is not None and PRESENT.search(n.text) is None
        if share >= self.neighbour_share and _DEATH_WORDS.search(n.text) and not long_past:
            return Finding("ideation", 0, len(doc.turns[i].text), "close to crisis examples the lens learnt from")
        if share >= self.neighbour_share and RANK[best.level] < RANK["indicator"]:
            return Finding("indicator", 0, len(doc.turns[i].text), "close to crisis examples, without a word about death")
        if share >= self.neighbour_check_in and RANK[best.level] < RANK["indicator"]:
            return Finding("indicator", 0, len(doc.turns[i].text), "some resemblance to crisis examples")
        return best


def _sentence(text: str, position: int) -> str:
    start = max(text.rfind(". ", 0, position), text.rfind("! ", 0, position), text.rfind("? ", 0, position))
    ends = [e for e in (text.find(". ", position), text.find("! ", position), text.find("? ", position)) if e != -1]
    return text[start + 1 : min(ends) if ends else len(text)]


def _guarded(text: str) -> bool:
    """A reason the learned layers must not raise this turn: idiom, denial, dream, everyday use,
    a joke, a story or job, or someone else's life."""
    return bool(
        IDIOM.search(text)
        or NEGATED.search(text)
        or DREAMT.search(text)
        or BENIGN.search(text)
        or (JOKE.search(text) and not SERIOUS.search(text))
        or (FICTION_OR_WORK.search(text) and not _FIRST_WORD.search(text))
        or (_THIRD_SUBJECT.search(text) and not _FIRST_WORD.search(text))
    )


def _asked_about_risk(doc: Document, i: int) -> bool:
    """The therapist's turn just before asks about suicide, self-harm or safety."""
    if i == 0 or doc.turns[i - 1].speaker is not Speaker.THERAPIST:
        return False
    text = normalise(doc.turns[i - 1].text).text
    return "?" in text and bool(ASKED.search(text))


def _someone_else(before: str, matched: str) -> bool:
    """Whether the nearest subject before a risk phrase is someone other than the speaker."""
    if _FIRST_WORD.search(matched):
        return False
    first = [m.end() for m in _FIRST_WORD.finditer(before)]
    third = [m.end() for m in _THIRD_SUBJECT.finditer(before)]
    return bool(third) and (not first or third[-1] > first[-1])


def _needs_finality(matched: str) -> bool:
    return bool(re.match(r"(?:gave|giving|give|given|sold|dropped|rehomed)", matched))


def _is_arrangement(matched: str) -> bool:
    return bool(re.search(r"will|account details|passwords|cancelled|paid off|deleted|insurance", matched))


def _overlaps(pattern: re.Pattern[str], text: str, m: re.Match[str]) -> bool:
    return any(g.start() < m.end() and m.start() < g.end() for g in pattern.finditer(text))


def _first_person_risk(sentence: str) -> bool:
    return bool(re.search(r"\b(?:i|i'm|i've|i'd|me|myself)\b(?: \w+){0,4} (?:want|wish|think|thought|tried|took|going|kill|die|dead|cut)", sentence))


def _reaffirmed(sentence: str) -> bool:
    """'I'm not going to do anything, but I think about dying': the denial covers only a part."""
    return bool(re.search(r"\b(?:but|just|only|still)\b(?: \w+){0,6} (?:think|thinking|want|wish|dying|dead|die|don't want to (?:exist|be here|live))", sentence))


def _distress(sentence: str) -> bool:
    return bool(re.search(r"hopeless|can't cope|numb|worthless|miserable|tired of (?:everything|life|it all)", sentence))


def _only_denial(text: str) -> bool:
    return bool(DENY.search(text)) and not AFFIRM.search(text) and not re.search(r"thought|think|want|wish|just|but", text)


def label_risk(doc: Document, i: int) -> "LabelResult":
    from reverie.analysis.labelling import LabelResult

    found = [a for a in doc.annotations if a.lens == "risk" and a.evidence[0].turn == i]
    levels = [a.label for a in found if a.label in LEVELS]
    level = max(levels, key=RANK.__getitem__, default="none")
    flags = sorted({f for a in found for f in a.detail.get("flags", [])})
    scores = doc.scores.get("risk", {}).get(i, {lvl: 1.0 if lvl == level else 0.0 for lvl in LEVELS})
    return LabelResult([level], scores, {"flags": flags})
