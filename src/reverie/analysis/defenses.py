"""Avoidance, part one: Perry's defenses (DMRS: 30 defenses in 7 levels) and the session's ODF.

Each client turn is read by phrase and pattern rules, one small set per defense, written for
speech as it is transcribed (no apostrophes, "u", "im", non-native word order) and checked for
negation ("I don't think he's an idiot" is no devaluation). Reported speech in double quotes and
stage directions such as "(pause)" are masked first, except for the few defenses that live in
what was said to someone (self-assertion, affiliation, reaction formation, passive aggression).

The trained ``defense`` head (DMRS levels over the turn's sentence vector) is the backup: it
scores every turn and finds a defense where no rule fired, but only when it is confident, and more
confident still for level 7 (published systems over-predict the high-adaptive level; here a
level-7 finding needs a clear cue or a very sure head). The name of a head-only finding is the
defense of that level whose seed examples lie closest to the turn.

Overall Defensive Functioning (ODF) is the mean level of all defenses found, each counted as
often as it occurs (CLINICAL.md); it is ``None`` when none was found.
"""

import json
import re
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from reverie.analysis.document import Annotation, Document, Span
from reverie.analysis.heads import head
from reverie.analysis.labelsets import DEFENSE_LEVEL, DMRS_LEVELS
from reverie.analysis.matching import negated_before, normalise, sentence_at, trim_span
from reverie.record import Speaker

if TYPE_CHECKING:
    from reverie.analysis.labelling import LabelResult

SEEDS = Path(__file__).parent / "seeds"

# Generic reasons: stored in clear, so they never quote the client.
REASONS: dict[str, str] = {
    "acting_out": "feeling discharged in impulsive action",
    "passive_aggression": "hostility expressed indirectly (forgetting, delay, compliance in form only)",
    "help_rejecting_complaining": "complaint with rejection of every help offered",
    "splitting_of_self_image": "self seen as all good or all bad",
    "splitting_of_object_image": "another person seen as all good or all bad",
    "projective_identification": "own feeling attributed to another and then provoked in them",
    "denial": "feeling or fact disavowed",
    "projection": "own feeling or judgement attributed to another",
    "rationalization": "plausible reasons offered instead of the feeling",
    "autistic_fantasy": "retreat into daydream instead of action or relationship",
    "omnipotence": "self presented as powerful or not needing anyone",
    "idealization_of_self_image": "self presented as exceptionally good",
    "idealization_of_object_image": "another person presented as flawless",
    "devaluation_of_self_image": "self put down in global terms",
    "devaluation_of_object_image": "another person or the therapy put down in global terms",
    "repression": "content or its cause cannot be recalled",
    "dissociation": "detachment from body, surroundings or time",
    "reaction_formation": "feeling replaced by its opposite",
    "displacement": "feeling redirected onto a safer target",
    "isolation_of_affect": "events told as facts with the feeling left out",
    "intellectualization": "abstract or technical explanation in place of feeling",
    "undoing": "statement or act taken back or made up for",
    "affiliation": "turning to others for support while owning the feeling",
    "altruism": "helping others in a way that also meets own needs",
    "anticipation": "feelings foreseen and planned for",
    "humor": "the funny side seen without hiding the feeling",
    "self_assertion": "feeling or need stated directly to the person concerned",
    "self_observation": "reflection on own feelings and patterns",
    "sublimation": "feeling channelled into creative or physical work",
    "suppression": "a concern consciously put aside until later",
}
assert set(REASONS) == set(DEFENSE_LEVEL)


@dataclass(frozen=True)
class Rule:
    defense: str
    pattern: re.Pattern[str]
    confidence: float
    quoted: bool = False  # may match inside double-quoted reported speech
    negatable: bool = True  # a negator just before the cue cancels it
    context: re.Pattern[str] | None = None  # must also occur in this turn or the few before it


def _rx(*alternatives: str) -> re.Pattern[str]:
    """Whole-word alternatives; an apostrophe is optional (texting) and a space is any spacing."""
    body = "|".join(a.replace("'", "'?").replace(" ", r"\s+") for a in alternatives)
    # The end needs a word boundary, unless the cue itself ends in a space ("noticed that ").
    return re.compile(r"(?<![\w'])(?:" + body + r")(?:(?<=\s)|(?!\w))")


def _rules(defense: str, confidence: float, *alternatives: str, quoted: bool = False, negatable: bool = True, context: re.Pattern[str] | None = None) -> Rule:
    return Rule(defense, _rx(*alternatives), confidence, quoted, negatable, context)


# Building blocks.
_OTHER = r"(?:he|she|they|you|u|it|my (?:\w+)|his (?:\w+)|her (?:\w+)|(?!i\b|i'm\b|im\b|that\b|this\b|it\b|which\b|there\b|what\b)[a-z]+)"
_IS = r"(?:'s| is| are| was| were|'re)"
_ADV = r"(?: (?:just|honestly|completely|totally|such|so|really|truly|absolutely|basically|actually|probably))*"
_I_M = r"(?:i'm|i am|im)"
_WILL = r"(?:'ll| will)"
_HOSTILE = _rx(
    r"credit", r"criticis\w*", r"criticiz\w*", r"angry", r"furious", r"annoy\w*", r"scream\w*", r"hurt", r"unfair", r"stole", r"took (?:my|the)",
    r"hate\w*", r"mean to", r"wanted to (?:scream|cry|hit|shout)", r"cancel\w*", r"moved on", r"left (?:him|her|me)", r"rude", r"snippy", r"pressure",
)  # fmt: skip

RULES: tuple[Rule, ...] = (
    # ---- level 1: action ----
    _rules("acting_out", 0.8,
        r"i (?:just )?(?:punched|smashed|kicked|hit|banged) (?:the |a |my )?(?:wall|table|door|desk|window|mirror)",
        r"i stood up and (?:i )?(?:hit|banged|slammed|shouted|walked out)",
        r"drank (?:until|till|myself)", r"got (?:drunk|wasted|hammered|smashed|blackout drunk)", r"went on a (?:bender|binge|spending spree)",
        r"went straight (?:out )?(?:to the pub|and (?:spent|bought|got drunk|drank))", r"went (?:out )?and (?:spent|bought|got drunk|drank)",
        r"i (?:just )?(?:walked|stormed|marched) out", r"i (?:just )?quit (?:my job|on the spot|the same)", r"handed in my notice",
        r"i (?:just )?hung up(?: on)?", r"pressed (?:the red button|send)", r"i (?:just )?(?:blocked|deleted) (?:him|her|them|all|everything|his|her)",
        r"drove (?:off|away|for hours|two hours|\w+ hours|way too fast|to the coast)", r"(?:a )?drive at (?:two|three|four|\d) in the morning",
        r"i took my (?:jacket|coat|keys|bag) and (?:i )?(?:went|walked|left)", r"went home with (?:someone|a stranger|some guy|some girl)",
        r"ordered (?:\w+ )?(?:hundred|thousand) (?:pounds|dollars|euros)", r"i didn't even (?:think|read it|read it again|stop)",
        r"at (?:two|three|four|2|3|4)(?: am| a\.m\.)?,? i (?:got up|opened the laptop|wrote|sent)", r"i didn't take the phone",
    ),
    _rules("passive_aggression", 0.8,
        r"funny how i keep forgetting", r"forgot\W+(?:genuinely|honestly|conveniently) forgot", r"genuinely forgot\W+mostly",
        r"i didn't (?:text|reply|write|ring|call|answer)(?: back| my phone| him| her)? (?:till|until|for (?:hours|days|a day|ages)|that weekend|all day)",
        r"just didn't (?:answer|reply|pick up|respond)", r"left (?:him|her|them) on read",
        r"(?:^|\. )fine\W+whatever", r"i'm sure your other clients are more important",
        r"don't bother", r"i (?:scraped|threw|binned|tipped) (?:it|the whole thing|all of it|the (?:dinner|food|lot))(?: all)? (?:in|into) the bin",
        r"only enough for one", r"i didn't know when you'd be back", r"i'll just be (?:a bit |an hour )?late", r"in comic sans",
        r"leave them dripping", r"took my (?:sweet )?time", r"(?:i was|was) just,? like,? polite", r"didn't (?:really )?talk to (?:him|her)\W+all day",
        r"(?:gave|give|giving) (?:him|her|them) the silent treatment", r"left for work without saying goodbye", r"see how you like it",
        r"i did (?:it|them),? just (?:in|late|badly)", r"it's no problem\W*$",
        quoted=True,
    ),
    _rules("help_rejecting_complaining", 0.75,
        r"nothing (?:ever )?(?:works|helps|will help|is going to help|you say)", r"none of (?:it|them|that) (?:helps|helped|works|worked|did anything)",
        r"i've tried everything", r"(?:it's|that's|it is|that is) not going to help", r"(?:it |that )?won't help(?: either)?",
        r"so what else have you got", r"what's the point(?:,? though)?", r"there's no point", r"nothing (?:would|will|is going to) change",
        r"everyone's got a suggestion", r"everyone (?:keeps|kept) (?:telling|saying)", r"i don't see why this will be different",
        r"tell me what i'm supposed to do", r"it's easy for them", r"what am i supposed to do with that", r"i don't know what i'm supposed to do with",
        r"you'll say something (?:now|clever)", r"they say get a", r"people say join",
        negatable=False,
    ),
    # ---- level 2: major image-distorting ----
    _rules("splitting_of_object_image", 0.8,
        rf"(?:he|she|they|my \w+){_IS}{_ADV} (?:a |an )?(?:monster|evil|toxic|heartless|cruel|horrible|devil)",
        r"(?:there is|there's) nothing good about (?:him|her|them)", rf"(?:he|she){_IS} always been (?:selfish|cruel|horrible|toxic|like that|a \w+)",
        r"(?:he|she)(?:'s| is) just selfish", r"(?:he|she) always was",
        r"(?:never|not once) did anything (?:wrong|right)", r"(?:everything|all) (?:he|she) (?:ever )?did was (?:manipulation|lies|fake)",
        r"a (?:horrible|fake|evil) person the whole time", r"(?:a )?cold,? heartless",
        r"the only person who has ever helped me", r"everyone else in my life is",
    ),
    _rules("splitting_of_self_image", 0.8,
        r"i'm either", r"no in between", r"rotten all the way through", r"two different people", r"that's the real me",
        r"everything good i (?:ever )?did doesn't count", r"nothing good in me", r"(?:feel|felt) like a genius",
        r"the other one was fake", r"(?:a|the) good version of me", r"(?:best|good) mother in the world or",
    ),
    _rules("projective_identification", 0.7,
        r"(?:so )?i was right(?: about (?:you|her|him|them))?", r"which (?:proves|shows) (?:he|she|they|who)", r"(?:that|this) (?:proves|shows) who",
        r"before (?:she|he|they) (?:controls?|hurts?|leaves?|rejects?|gets?) me", r"i have to (?:keep )?test(?:ing)? (?:her|him|them)",
        r"(?:keep|kept) testing", r"pushed and pushed", r"kept at (?:him|her) (?:all night|until)", r"out to get me", r"i'm just responding",
        r"i have to (?:control|be hostile|be \w+ back)",
    ),
    # ---- level 3: disavowal ----
    _rules("denial", 0.75,
        rf"{_I_M} (?:fine|ok|okay),? (?:honestly|really|totally|now|seriously)", rf"honestly,? {_I_M} (?:fine|ok|okay)", rf"{_I_M} (?:fine|okay|ok) now",
        r"i wasn't (?:upset|angry|hurt|bothered|sad|jealous)", rf"{_I_M} not (?:even )?(?:upset|angry|hurt|bothered|sad|furious|jealous|worried)",
        r"(?:it|that|this|the \w+ thing) doesn't (?:really )?(?:bother|worry|affect|upset) me", r"(?:it|that) didn't (?:really )?(?:bother|affect|upset) me",
        r"hasn't affected me", r"doesn't worry me", r"(?:is|isn't|is not) (?:not )?a problem", r"(?:it )?wasn't (?:some|a) big (?:deal|tragedy|thing)",
        r"it's nothing(?! (?:to do|like|compared|new|serious))", r"(?:it's|it|that's|that) (?:got |has got )?nothing to do with (?:it|last week|him|her|that|the)",
        r"i don't (?:even )?think about (?:him|her|it)", r"i haven't (?:even )?thought about", r"i turned out fine", r"we're (?:fine|ok|okay) now",
        r"(?:totally|completely) back to normal", rf"{_I_M} (?:okay|ok|fine) about it", r"it wasn't about (?:him|her|that|them)",
        r"i don't think there's anything to mind", rf"(?:^|\. |maybe\. ){_I_M} just tired", r"(?:he|she)'ll be fine", r"it's good for (?:him|her|them)",
        r"(?:she|he) wouldn't do that", r"must be a friend's", r"i don't think i was upset", r"i don't know why i'm crying",
        r"it was fine\W+honestly", r"i just got on with it", r"it doesn't matter now anyway", r"it doesn't really bother me",
        r"i don't feel anything about it", r"it's not that kind of bad", r"it's in the past", r"it's just paperwork",
        r"i'm not even upset", r"i haven't been upset", r"i just forgot", r"it went completely out of my head", r"it passed\W+it was fine",
        r"no,? (?:my|it|that) \w* ?doesn't worry me", r"i genuinely just didn't want it", r"nothing much to report", r"(?:a )?good week,? honestly",
        negatable=False,
    ),
    _rules("projection", 0.75,
        r"you(?:'re| are|r) (?:probably |clearly |obviously |definitely )?(?:judging|bored|irritated|annoyed|sick of|fed up|counting the minutes)",
        r"you probably think", r"you(?:'d| would) (?:probably )?be relieved", r"(?:she|he|you)(?:'s| is|'re| are) probably relieved",
        r"i was sure you(?:'d| would)", r"you(?:'ll| will) (?:probably )?(?:think|say) i'm", r"they(?:'re| are) (?:all )?(?:jealous|judging|watching)",
        r"(?:they're|they are) the ones(?: with the problem)?", r"(?:you're|she's|he's) the one with the problem", r"you clearly are",
        r"i can tell (?:by|from) (?:how|the way) (?:they|she|he|you)", r"you (?:must|probably) (?:hate|think|find) me", r"get me off your list",
        r"(?:she|he)(?:'s| is) (?:so )?(?:competitive|jealous|critical) (?:with|of) me", r"(?:is|are) the one who wants to",
        r"(?:hate|hates) us", r"so critical\W+they're always judging", r"i can see it in the way",
    ),
    _rules("rationalization", 0.7,
        r"it's (?:just |all )?normal(?:,| isn't it|\.| in| for)", r"it was normal (?:then|in|back)", r"that was normal",
        r"(?:that's|it's) (?:just |literally )?(?:how|what) (?:it works|the job is|things are|happens|texting works|it is|it was|doctors do)",
        r"that's how it works", r"everyone (?:does (?:it|that)|is like that|i know (?:with|does|has))", r"everybody (?:does (?:it|that)|talks loud|drives like that|is like that|goes through)",
        r"every (?:couple|good \w+)(?:'s| is| does)", r"you can't (?:really )?(?:blame|expect|be annoyed|change|compete|keep)",
        r"anyone would(?:'ve| have)?", r"anybody would", r"for (?:their|his|her|your) own good", r"to be fair", r"it's cultural",
        r"(?:it was )?a different (?:time|generation)", r"(?:another|that) generation", rf"(?:she|he|they){_IS} (?:just )?busy",
        r"(?:she|he)(?:'s| has)? got (?:a lot|loads) on", r"(?:she|he) had a lot on", r"it(?:'s| was| is) easier (?:to|for everyone)",
        r"what would be the point of saying", r"more practical", r"actually an investment", r"technically i'm", r"would(?:'ve| have) been unfair",
        r"it wasn't about being", r"these things happen", r"(?:he|she) was young", r"(?:she|he)(?:'s| is) doing (?:her|his) (?:job|best)",
        r"(?:she|he) does (?:her|his) best", r"it's not like (?:he|she) did", r"(?:he|she) should have texted", r"(?:was|is) (?:justified|politics)",
        r"(?:somebody|someone) had to", r"i had to say something", r"in every book", r"i do it for (?:safety|efficiency)",
        r"that's my problem,? no", r"loads of (?:girls|people|kids) (?:at|did|do)", r"it suits us both", r"we're just not \w+ people",
        r"cards are easier", r"people go away", r"like anyone else", r"it's just what happens", r"so i'm the one",
        r"it's not really (?:his|her|my) thing", r"what's he supposed to do", r"he deserved", r"you have to defend yourself",
        r"it would be weird to", r"it was better for", r"for (?:my|the) own", r"it's expensive", r"they're overprescribed",
        r"it must have been hard for (?:him|her)", r"i'd probably have (?:left|done)", r"it's not all me", r"he's doing his job",
        r"so it's not like", r"it's fine,? (?:he's|she's)", r"it's the culture", r"(?:it|that) doesn't really matter", r"a stupid award",
        r"was the bus", r"it was the bus", r"work ran over", r"i do it because", r"swaps happen", r"not doing his job",
    ),
    _rules("autistic_fantasy", 0.8,
        r"i (?:just )?(?:imagine|picture|daydream|fantasi[sz]e) (?:a|i'm|myself|being|winning|that|living)", r"i(?:'ve)? imagined (?:our|a|the|my)",
        r"(?:go|went|going) off in my head", r"in my head to", r"a story i've been building", r"i spend (?:hours|most evenings|whole days) (?:on|imagining|picturing)",
        r"whole days go", r"picture winning", r"in my version", r"i was in \w+ for the whole", r"i did the \w+ thing", r"i've got the whole thing furnished",
        r"i do it (?:on the bus|in meetings|every night)", r"nicer than the real thing",
    ),
    # ---- level 4: minor image-distorting ----
    _rules("omnipotence", 0.8,
        r"i don't need (?:anyone|anybody|nobody|help|a (?:babysitter|man|therapist)|his|her|their|him|you|anything)",
        r"i (?:never|didn't) need(?:ed)? (?:anything|anyone|anybody|help)", r"i (?:'ll|will|can) handle (?:it|him|her|this|graham|my own|everything)",
        r"i handled worse", r"nobody (?:could|can) [^.]{0,40}without me", r"i always come out on top", r"i know what i'm worth",
        r"i could (?:run|do|write) [^.]{0,40}(?:better|eyes closed|on a napkin)", r"with my eyes closed", r"i run the best",
        r"best (?:numbers|site|results) in the", r"doesn't get to me (?:the way|like)", r"i know what (?:he|she|they)(?:'s| is)? going to say",
        r"like a book", r"i built (?:my life|everything)", r"i can handle (?:it )?alone", r"the calmest man", r"the problem is not me",
        r"more thoroughly than", r"i ran that site", r"the whole thing collapses", r"nobody helped me", r"(?:i'm|i am) not taking it",
        negatable=False,
    ),
    _rules("idealization_of_self_image", 0.75,
        rf"{_I_M} the (?:fair|reasonable|good|best|calm|patient|one everybody|strong)", r"i was always the best", r"i have never once",
        r"my only flaw", r"more mature than", r"too generous", r"(?:the kids|everyone|they all) adored me", rf"{_I_M} (?:an )?(?:extremely|incredibly) (?:generous|kind|patient|good)",
    ),
    _rules("idealization_of_object_image", 0.75,
        rf"(?:he|she|you|they|my \w+){_IS}{_ADV} (?:perfect|a genius|a saint|an angel|amazing|incredible|wonderful|brilliant)(?! (?:timing|sense|fit|for|at))",
        r"the (?:best|kindest|nicest|greatest) (?:person|man|woman|dad|mum|father|mother|boss|therapist|friend|teacher)(?: i know| i've ever| in the world| ever)",
        r"best \w+ in the world", r"everybody loved (?:him|her)", r"never said a harsh word", r"doesn't have a (?:single )?fault",
        r"(?:everything|all) (?:he|she) (?:did|does|said) was right", r"i don't know what i'd do without (?:you|her|him)", r"you get me in a way",
        r"(?:he|she) was the fun one", r"(?:he|she) did all the",
    ),
    _rules("devaluation_of_self_image", 0.75,
        r"pathetic", r"drama queen",
        rf"{_I_M}{_ADV} (?:a |an |the )?(?:absolute |complete |total )?(?:idiot|useless|hopeless|mess|pushover|weak|boring|ridiculous|stupid|baby|nightmare|failure|loser|worthless|too much|needy|terrible \w+|worst \w+|such a \w+)(?! (?:you|him|her|them))",
        r"i felt like (?:such |a complete |a total )?(?:an? )?(?:idiot|fool|failure)", r"i mess up everything", r"i've got nothing to offer",
        r"(?:whatever|what) i say[^.]{0,20}(?:stupid|rubbish)", r"(?:the|my) (?:sketches|drawings|ideas|work)(?:'s| are| is) (?:rubbish|crap|worthless|stupid)",
        r"(?:it|that) sounds so (?:pathetic|needy|stupid|silly)", r"i'm being (?:ridiculous|stupid|silly|pathetic|a \w+)", r"i was being a (?:drama queen|baby|child|idiot)",
        r"(?:that's|it's|this is) so stupid", r"who(?:'d| would) want", r"i'm hopeless", r"other (?:people|women|men) (?:would have|manage)",
        r"a grown (?:woman|man) (?:who|crying)", r"i shouldn't need", rf"{_I_M} (?:\d+|twenty|thirty|forty|fifty)[\w-]* and i'm", rf"{_I_M} (?:\d+|twenty|thirty|forty)[\w-]*\.",
        r"i'm (?:not )?(?:good|clever|smart) enough", r"i can't do anything right", r"not someone who's basically fine", r"i'm not that evolved",
        r"i felt (?:like )?(?:such|a complete|a total) (?:an? )?\w+", r"that's stupid", r"it's stupid\W+it's pathetic", r"which is silly",
    ),
    _rules("devaluation_of_object_image", 0.75,
        rf"{_OTHER}{_IS}{_ADV} (?:an? )?(?:idiot|useless|hopeless|incompetent|worthless|joke|clueless|dinosaur|snake|a nobody|moron|waste of space|all talk|all mouth|\w+-year-old teenager)",
        r"(?:these|the|this) (?:sessions|therapy)(?:'s| are| is)?(?: kind of| a bit| just)? (?:a waste|pointless|useless)", r"a waste of (?:time|money)",
        r"paid friendship", r"(?:it's|it is) a lot of talking", r"no offence,? but", r"doesn't know what (?:he|she|they)(?:'s| is| are) doing",
        r"(?:couldn't|can't) organi[sz]e a", r"never (?:lifted|ran|had) [^.]{0,30}in (?:his|her) life", r"little accountant", r"a consultant with a badge",
        r"weird set-up", r"for free", r"for the price of", r"you just (?:repeat|nod|sit)", r"not one of them knows", r"learning to swim from a book",
        r"all talk and no", r"(?:advice|feedback|help)(?:'s| is) worthless", r"(?:are|is) all incompetent", r"spreadsheet man", r"all mouth and no",
    ),
    # ---- level 5: other neurotic ----
    _rules("repression", 0.75,
        r"i (?:honestly |really |just )?(?:can't|don't|do not) remember (?:anything|much|any of it|a thing|that year|what)",
        r"(?:it's|it was|is) (?:just |completely )?(?:a )?blank", r"(?:it's|is) just gone", r"no idea why", r"for no reason",
        r"like somebody took it out", r"not one thing", r"nothing in between", r"out of nowhere\W+nothing's wrong", r"i've completely lost it\W*$",
        r"i (?:can't|don't) remember\W*$",
    ),
    _rules("dissociation", 0.8,
        r"left my body", r"out of (?:my )?body", r"watching (?:the two of us|us) from", r"like (?:a film set|being in a film|watching a film)",
        r"(?:seemed|felt|all) unreal", r"behind glass", r"(?:didn't|don't) feel like (?:mine|my own|real)", r"lost (?:about )?(?:an|a couple of|two|three) hours?",
        r"(?:just )?found myself (?:in|at|on)", r"don't remember (?:driving|getting|walking|how i got)", r"(?:everything|it all) (?:goes|went) (?:flat and far away|far away|foggy)",
        r"voices (?:are|were) coming through", r"spaced out", r"zoned out", r"couldn't tell you what happened",
    ),
    _rules("reaction_formation", 0.7,
        r"(?:really,? )?really (?:happy|thrilled|pleased) for", r"honestly thrilled", r"(?:so|really) happy for (?:him|her|them)", r"i think it's wonderful",
        r"sent (?:them|her|him) a (?:lovely|nice) card", r"i'm not someone who gets angry", r"i never feel even a little", r"i (?:just )?smile and tell",
        r"i was so nice to (?:her|him)", r"i made sure (?:she|he) (?:always )?got the (?:first|best)", r"made a point of (?:congratulating|thanking|praising)",
        r"poor you", r"no worries at all", r"have a lovely (?:evening|weekend|day|time)", r"(?:this|a) really (?:bright|sweet|cheerful) voice",
        r"like a nurse", r"isn't it cosy", r"like an air hostess", r"couldn't have done it without you", r"the most patient person",
        r"i (?:went and )?(?:got|bought|made|brought) (?:her|him|them) (?:a coffee|a flat white|a cup|brownies|flowers|a present|a second cup)",
        r"started baking for", r"(?:i've )?even offered to help", r"i offered",
        quoted=True, context=_HOSTILE,
    ),
    _rules("displacement", 0.75,
        r"(?:shouted|yelled|screamed|snapped|went off|bit (?:his|her|their) head off|kicked|slammed|screaming match|picking a fight|picked a fight|so short with|nearly lost it|tore into) "
        r"[^.]{0,80}(?:didn't do anything|not (?:his|her|their) fault|poor \w+|a cat|a dog|out of nowhere|over (?:a|the) \w+|the coffee|not even the one|because (?:lucía|she|he) moved|the drums|the dishes|(?:a|the) (?:cup|mug|bowl|dog|cat|cupboard|parking attendant|van|guy))",
        r"(?:my|the) (?:son|daughter|kids?|dog|cat|roommate|barista|kyle|biscuit)[^.]{0,40}(?:didn't do anything|not (?:his|her) fault|just wanted)",
        r"poor (?:biscuit|sam|kyle|guy)", r"it's not his fault my", r"he's a cat", r"(?:when|after) i got home[^.]{0,30}(?:yelled|shouted|snapped|kicked)",
        r"after i hung up[^.]{0,20}i (?:kicked|threw|slammed|shouted)", r"whenever [^.]{0,40}(?:i end up )?picking a fight",
        r"bit his head off", r"had a screaming match with", r"(?:shouted|yelled) at (?:him|her) like a madman", r"i was so short with",
        r"slammed the cupboard", r"i just went off", r"shouted at (?:mateo|kyle|the kids|my son|my daughter|the dog|biscuit)",
    ),
    # ---- level 6: obsessional ----
    _rules("isolation_of_affect", 0.75,
        r"(?:that's|those are|it's) (?:just )?(?:the )?facts(?: of it)?", r"just a fact", r"(?:it|that) doesn't (?:really )?feel like anything",
        r"i don't (?:really )?(?:feel|have) (?:much|anything|any feelings|feelings) about (?:it|her|him|them)", r"i don't (?:really )?have feelings about",
        r"(?:just|only) what happened", r"like the weather", r"just logistics", r"no real reaction", r"the way you'd register", r"like reading someone else's",
        r"just a case", r"like a file", r"that's about it\W*$", r"anyway\W+do you want to hear about", r"it was quite boring,? honestly",
        r"it was fine\W*$", r"you get good at it", r"one way or the other", r"that's it\W*$",
    ),
    _rules("intellectualization", 0.8,
        r"i (?:read|was reading|'ve been reading) (?:this thing|something|about|an article|up on|a lot about)", r"(?:there's|there is) (?:a lot of )?research",
        r"(?:well|quite well|very well) (?:documented|researched)", r"textbook", r"the proper term", r"theoretically", r"statistically",
        r"evolutionary", r"neurologically", r"cortisol", r"(?:just|basically) (?:brain )?chemistry", r"freud would say", r"symboli[sz]es?",
        r"attachment (?:styles?|theory)", r"parentification", r"literally a diagram", r"i googled it", r"i looked it up", r"(?:meant|supposed) to (?:be about|symboli[sz]e|represent)",
        r"predictive model", r"data point", r"nervous system", r"adaptive strategy", r"in general terms", r"intergenerational", r"adverse childhood",
        r"phallic symbol", r"classic stress dream", r"rem sleep", r"the good object", r"depending (?:which|on the) (?:site|website)", r"hyper-?attuned",
        r"it's all formed", r"mating strategies", r"in a sense we're", r"from a \w+ point of view",
    ),
    _rules("undoing", 0.8,
        r"i take it back", r"forget i said (?:that|it)", r"sorry,? that(?:'s| was) (?:not fair|mean|horrible|unfair|out of order)", r"that sounded (?:horrible|awful|mean|bad)",
        r"i didn't mean it like that", r"well,? (?:he's|she's) not,? (?:he|she) tries", r"cancels? it out", r"knock(?:ed)? on (?:the )?(?:desk|wood|table)",
        r"to make up for (?:it|what i)", r"(?:to tell (?:her|him) how much i|cooking (?:his|her) favourite)", r"that's not fair,? (?:she|he)",
        r"i hope you do have a nice time",
    ),
    # ---- level 7: high-adaptive (clear cues only) ----
    _rules("affiliation", 0.75,
        r"i (?:texted|rang|called|messaged|asked|told|phoned) [^.]{0,50}(?:i'm not (?:okay|ok)|can (?:you|we) (?:come|talk|meet)|could you come|on my own|help me|come with me|i need|i'm really nervous)",
        r"support group", r"(?:they|she|he) just sat with me", r"it helped not to be", r"having (?:her|him|them) there meant", r"because i was scared,? and having",
        r"not (?:carrying|doing) it alone", r"i don't (?:really )?want to (?:be|do it) on my own",
        quoted=True,
    ),
    _rules("altruism", 0.75,
        r"volunteer(?:ing|ed|s)?", r"i mentor", r"help(?:ing)? other (?:families|people)", r"(?:run|started|running) a free", r"for other families",
        r"gives me (?:real )?satisfaction", r"makes what i went through mean something",
    ),
    _rules("anticipation", 0.75,
        r"i(?:'ve| have) (?:sort of |already )?(?:thought|been thinking) about (?:how it(?:'ll| will) go|what i(?:'ll| will) do|it properly)",
        r"i know (?:that's what's going to happen|it's going to (?:hurt|be hard))", r"i expect i(?:'ll| will) (?:be|feel)",
        r"i(?:'ll| will) probably feel [^.]{0,40}so i", r"next time (?:she|he|they|i) [^.]{0,30}i(?:'m| am) going to", r"(?:so|this time) [^.]{0,60}i(?:'m| am) going to",
        r"i(?:'ve| have) (?:planned|lined up|booked|arranged)", r"i(?:'m| am) going to feel", r"if it's \w+ minutes,? it's",
        r"i(?:'ve| have) decided i(?:'ll| will)", r"already thinking about what i(?:'ll| will)", r"this time i thought", r"i(?:'m| am) not going to (?:sit|plan|wait)",
        r"(?:if|when) (?:she|he) (?:starts|doesn't)[^.]{0,60}i(?:'ll| will)", r"i know it's going to",
    ),
    _rules("humor", 0.7,
        r"(?:i|we) (?:both )?(?:cracked up|laughed out loud)", r"(?:see|saw) the funny side", r"joking about it", r"laugh at myself", r"our little staff meeting",
        r"someone should check on me", r"take lessons from the", r"quite a trick", r"load-bearing", r"a serial \w+", r"it's a record",
    ),
    _rules("self_assertion", 0.75,
        r"i (?:said|told (?:him|her|them|my \w+|\w+))[^\"]{0,25}\"[^\"]{0,120}?(?:i (?:want|need|feel|felt|don't want|can't|won't|'m not|am not|'m really|was (?:really )?hurt)|i'd (?:really )?like|it matters|it's not fine|that's not (?:ok|okay|fair))",
        r"i told (?:my \w+|him|her|them),? (?:calmly,? )?that i (?:felt|was|wanted|would like|'d like|need)", r"i let (?:him|her|my \w+|them) know (?:i|that i)",
        r"i asked (?:my \w+|him|her|them|\w+) (?:in writing |properly |directly )?(?:to (?:fix|stop|come|help)|about the)", r"it matters to me",
        r"i'm not comfortable", r"i(?:'d| would) (?:really )?like (?:you|her|him) to", r"i'm telling you now", r"stood up for myself",
        r"i (?:spoke|speak) up", r"i didn't make a scene", r"just so it's clear",
        r"i said to (?:him|her|them|\w+)[^\"]{0,50}\"(?:i want|i need|i'd like|it's not|i'm not|i can't)",
        quoted=True,
    ),
    _rules("self_observation", 0.8,
        r"i (?:can|could) (?:sort of )?(?:hear|see|feel|catch) (?:myself|me)", r"i can feel (?:this|it) and", r"i did notice it", r"i knew exactly what (?:it was|i was doing)", r"i(?:'ve| have)? noticed (?:that |on |i |it |how |the |i didn't)",
        r"i (?:realise|realize)d? (?:that |i |i've )", r"i catch it", r"i think (?:it's|that's) because", r"i think that's me", r"i think i(?:'m| am| was) (?:avoiding|waiting|scared)",
        r"i did the thing", r"i did it to you", r"i do it with (?:\w+|everyone)", r"same feeling underneath", r"i'm starting to see", r"i knew exactly what i was doing",
        r"pre-decide", r"i heard (?:it|myself)", r"properly got it", r"i can see (?:it's|it|that it|me)", r"watching myself", r"i keep choosing",
        r"i say it's (?:fine|nothing),? (?:and )?then", r"the \"[^\"]{1,20}\" (?:voice|thing)", r"i can feel both", r"that's not true\W+i can",
        r"i've just decided for", r"i shrink it", r"before anyone (?:else )?can", r"i can see (?:the|a) (?:pattern|film)", r"same film",
        r"i think i was waiting", r"it waited till it was safe", r"which is different\W+i can see", r"i (?:could|can) (?:actually )?feel the old",
        r"i could feel it\W+the", r"i think (?:some of )?the stuff i can't say",
        quoted=True,
    ),
    _rules("sublimation", 0.75,
        r"(?:started|been|i've been|i'm|i am) (?:writing|painting|drawing|sketching|composing) (?:songs|again|a lot|poems|music|pictures|the)",
        r"(?:put|goes|go|went|gone) (?:a lot of )?(?:my |the |all the )?(?:anger|rage|grief|frustration|sadness|stuff)[^.]{0,30}(?:into|in there|in them|onto)",
        r"gives? (?:the|my) (?:grief|anger|sadness|rage) somewhere to go", r"onto the paper", r"turned something (?:ugly|bad|painful)",
        r"when i'm (?:drawing|painting|writing)", r"into the lines",
    ),
    _rules("suppression", 0.75,
        r"i(?:'ll| will) (?:take|bring) (?:it|this|that) (?:to|on|here)", r"(?:this|it)(?:'s| is) a (?:monday|tuesday|wednesday|thursday|friday|session) thing",
        r"not now,? later", r"wasn't going to (?:think|worry) about it until", r"held it together until", r"on hold until", r"(?:the rest )?i put away",
        r"i'm not doing the whole", r"i(?:'ll| will) think about it (?:there|later|tomorrow|on)", r"i(?:'ll| will) deal with it (?:later|after|on)",
        r"choosing when to deal", r"let me come back to you", r"let myself feel it", r"not at (?:two|three|four)", r"i(?:'ll| will) bring it\b", r"i'll take this to",
        quoted=True,
    ),
)

# General phrasings, one set per defense, for the ways people say these things outside any one
# transcript (slightly lower confidence than the specific cues above).
_KIN = r"(?:my )?(?:mum|mom|mother|dad|father|sister|brother|son|daughter|kids|children|partner|husband|wife|boyfriend|girlfriend|friend|friends|boss|manager|family|parents)"
_FEEL = r"(?:sad|upset|angry|mad|hurt|bothered|worried|stressed|scared|anxious|jealous|lonely|depressed|annoyed|furious|resentful|bitter)"
GENERAL_RULES: tuple[Rule, ...] = (
    _rules("acting_out", 0.7,
        r"before i knew it", r"next thing i knew", r"i didn't think,? i just", r"i couldn't stop myself", r"without (?:thinking|telling anyone|a word)",
        r"(?:a|the) whole bottle", r"(?:blackout|black-out) drunk", r"maxed out (?:my|the)", r"i just snapped and", r"i (?:just )?(?:ghosted|binged|purged)",
        r"i (?:just )?(?:grabbed|threw|smashed|ripped up|tore up|broke) (?:my|the|his|her|a) \w+", r"i (?:just )?(?:got in the car|took off|ran off) and",
        r"slept with (?:someone|a stranger|his|her|my ex)", r"i (?:just )?left without (?:a word|saying)", r"spent (?:all|my whole|the whole) (?:my )?(?:savings|wages|pay|money)",
        r"(?:started|got into|picked) a (?:fight|fistfight)", r"i (?:quit|dropped out|walked off)",
    ),
    _rules("passive_aggression", 0.7,
        r"i'll get (?:round|around) to it", r"(?:accidentally|conveniently) forgot", r"whatever you say", r"if you say so", r"sure,? whatever",
        r"(?:dragging|drag|dragged) my feet", r"on purpose,? (?:just )?to", r"let (?:him|her|them) (?:wait|stew|sweat)", r"silent treatment",
        r"i (?:just )?ignored (?:him|her|them|his|her|their)", r"don't worry about me", r"must be nice", r"thanks for nothing", r"i'll just do it myself(?:,)? then",
        r"it's not like i (?:matter|count)", r"i made sure (?:i was|to be) late", r"i did (?:it|them) (?:badly|slowly|wrong) (?:on purpose|deliberately)",
        r"(?:nodded|smiled) and (?:then )?(?:didn't|never|did nothing)", r"i just won't (?:bother|answer|reply|turn up|show up)",
        quoted=True,
    ),
    _rules("help_rejecting_complaining", 0.7,
        r"i've (?:already )?tried (?:that|it|all that|all of that|everything)", r"(?:that|it|nothing) (?:doesn't|won't|never) work(?:s)? for me", r"(?:no one|nobody) (?:can|ever|could) help(?:s)? me",
        r"nothing anyone (?:says|does)", r"what good would (?:that|it) do", r"easy for you to say", r"it won't make any difference", r"why (?:even )?bother",
        r"(?:yes|yeah),? but (?:i've|that|it|they|he|she)", r"(?:all|none of) (?:the|their|your) (?:advice|suggestions|ideas)", r"(?:doctors|therapists|people) (?:have|keep) (?:tried|told)",
        r"(?:seen|tried|had) (?:\w+ )?(?:therapists|doctors|counsellors|counselors)[^.]{0,30}(?:none|nothing|didn't)",
        negatable=False,
    ),
    _rules("splitting_of_object_image", 0.7,
        r"(?:used to think|at first)[^.]{0,60}(?:perfect|amazing|an angel|the best|wonderful)[^.]{0,80}(?:now|then|but)[^.]{0,60}(?:monster|evil|horrible|toxic|hate|fake|snake|the worst)",
        r"(?:he|she|they)(?:'s| is|'re| are) (?:all|completely|totally|pure) (?:good|bad|evil)", r"(?:is|are) dead to me", r"can do no right",
        rf"(?:everyone|everybody) else(?: in my life)?{_IS} (?:useless|evil|horrible|selfish|against me)", r"the only (?:one|person) who (?:ever )?(?:understands|cares|cared|helped|gets)",
        r"(?:one (?:day|minute)|some days)[^.]{0,60}(?:perfect|amazing|the best|an angel)[^.]{0,80}(?:next|other days|then)[^.]{0,60}(?:monster|evil|horrible|the worst|hate)",
    ),
    _rules("splitting_of_self_image", 0.7,
        r"(?:one (?:day|minute)|some days|when)[^.]{0,60}(?:amazing|brilliant|a genius|on top of the world|invincible|perfect)[^.]{0,80}(?:next|then|other days|the moment)[^.]{0,60}(?:worthless|useless|garbage|a failure|nothing|a fraud|disgusting)",
        r"either (?:perfect|amazing|the best|brilliant) or (?:a |the |completely |totally )?(?:worthless|useless|nothing|failure|worst|garbage)", r"all good or all bad",
        r"no middle (?:ground|bit)", r"(?:the )?(?:real|true) me is (?:disgusting|rotten|bad|evil|worthless)",
    ),
    _rules("projective_identification", 0.65,
        r"(?:kept|keep|kept on) (?:pushing|poking|provoking|needling|pushing him|pushing her)", r"(?:made|make) (?:sure )?(?:him|her|them|you) (?:angry|annoyed|hate me|leave|snap)",
        r"(?:proves|proved|proof) (?:that )?(?:he|she|they|you|i was right)", r"(?:see|you see),? (?:he|she|you|they) (?:does|do|did) hate", r"wound (?:him|her|them) up until",
        r"i knew (?:he|she|you|they) (?:would|were going to) (?:snap|turn|leave|hate)",
    ),
    _rules("denial", 0.65,
        rf"{_I_M} (?:totally|completely|absolutely|perfectly|honestly) (?:fine|ok|okay|over it|cool with it)", rf"{_I_M} over (?:it|him|her|them)",
        r"(?:it|that|this) (?:doesn't|didn't|does not|did not) (?:bother|affect|matter to|touch|get to) me", r"i don't care (?:about it|at all|anymore|any more)",
        r"i (?:don't|didn't) (?:even )?(?:miss|care about|mind) (?:him|her|them|it)", r"everything's (?:fine|ok|okay)", r"no big deal", r"not a big deal",
        rf"{_I_M} not {_FEEL}", r"there's nothing wrong", r"i don't have a problem", r"i can stop (?:any ?time|whenever)", r"(?:it's|that's) not (?:a|an) (?:issue|problem)",
        rf"why would i be {_FEEL}", r"(?:is|are) (?:exaggerating|overreacting)", r"i'm (?:not|never) (?:an? )?(?:alcoholic|addict)",
        rf"i'm not (?:even )?(?:that |really )?{_FEEL}", r"it's all fine", r"i'm fine(?:,)? (?:really|seriously)", r"it (?:really )?doesn't matter",
        negatable=False,
    ),
    _rules("projection", 0.65,
        r"(?:he|she|they|you|everyone|everybody|people)(?:'s| is|'re| are) (?:always |all )?(?:jealous of|judging|against|looking down on|laughing at|talking about|out to get) me",
        r"(?:everyone|everybody|people|they all|you all) (?:hate|hates|judge|judges|despise) me", r"i can tell (?:you|she|he|they)(?:'re| are|'s| is)? (?:annoyed|angry|bored|judging|disappointed|irritated)",
        r"you(?:'re| are| must be) (?:disappointed|annoyed|tired|sick|fed up) (?:in|of|with) me", r"you (?:must|probably) think i'm", r"i'm not the one who",
        r"(?:he|she|they)(?:'s| is|'re| are) the (?:one|ones) who (?:is|are|gets|has|wants)", r"(?:they|he|she) just (?:can't|cannot) stand that",
    ),
    _rules("rationalization", 0.6,
        r"(?:because|since|cos|cause) (?:it's|it was|that's|it is) (?:cheaper|healthier|more practical|better|safer|more efficient|the smart)",
        r"i didn't (?:really )?want (?:it|to go|the job|him|her|that) anyway", r"(?:probably )?for the best", r"everything happens for a reason",
        r"(?:it's|it is) only (?:natural|fair|logical|sensible)", r"(?:any|every) (?:sensible|normal|reasonable) person would", r"who wouldn't",
        r"i had no (?:choice|option)", r"(?:he|she)(?:'s| is| was) (?:just )?(?:tired|stressed|under (?:a lot of )?pressure)", r"(?:lucky|narrow) escape", r"dodged a bullet",
        r"wasn't (?:that|even that) (?:good|great|important) anyway", r"(?:it|that) (?:makes|made) (?:total |perfect )?sense (?:really|to|because)", r"the (?:real|only) reason (?:i|was)",
        r"(?:it's|it was) not (?:my|his|her) fault,? (?:really|because)", r"(?:just )?being (?:practical|realistic|sensible)",
    ),
    _rules("autistic_fantasy", 0.7,
        r"(?:spend|spent|lose|lost) (?:hours|whole (?:days|evenings|nights)|all day|most of the day|most nights)(?: \w+){0,3} (?:imagining|daydreaming|picturing|in my head|fantasi[sz]ing)",
        r"in my head (?:i'm|i am|we're|we are|i have|he's|she's)", r"(?:my|this) (?:fantasy|daydream|imaginary) (?:world|life|boyfriend|girlfriend|family|friend)",
        r"i (?:live|lived|retreat|escape|disappear) (?:in|into) my (?:head|imagination|own world)", r"i (?:rehearse|replay) (?:conversations|it|them|arguments) in my head",
        r"(?:instead|rather than)[^.]{0,40}(?:imagine|daydream|fantasi[sz]e|picture)", r"(?:imagining|daydreaming|fantasi[sz]ing) about",
    ),
    _rules("omnipotence", 0.7,
        r"i (?:can|could) (?:do|handle|fix|manage) (?:anything|everything|it all|it myself)", r"(?:nobody|no one) (?:can|could) (?:tell|teach) me",
        r"i (?:know|knew) (?:better|best|more) than (?:them|him|her|anyone|the doctors|you|everyone)", rf"{_I_M} (?:smarter|better|stronger|tougher|cleverer) than (?:all|everyone|them|most|any)",
        r"(?:rules|that) don't apply to me", rf"{_I_M} (?:untouchable|invincible|indestructible|unstoppable|bulletproof)", r"(?:fall apart|collapse|go under) without me",
        r"i (?:don't|do not|never) need (?:therapy|this|anyone|anybody|help|people)", r"i (?:never|don't) (?:get|feel) (?:stressed|scared|tired|ill|sick) (?:like|the way)",
        negatable=False,
    ),
    _rules("idealization_of_self_image", 0.65,
        rf"{_I_M} (?:the )?(?:most (?:loyal|generous|caring|honest|patient|reliable))", r"i (?:never|don't ever) (?:make mistakes|get it wrong|lose my temper|lie)",
        r"(?:everyone|everybody) (?:loves|adores|looks up to|admires) me", rf"{_I_M} (?:too )?(?:nice|good|kind|generous|honest) for (?:my own good|this world)",
        rf"{_I_M} (?:always )?the (?:good|nice|loyal|responsible|strong|sensible|mature) one", r"i'm (?:basically )?perfect",
    ),
    _rules("idealization_of_object_image", 0.65,
        r"can do no wrong", r"never (?:does|did|makes|made) (?:anything|a (?:single )?mistake) wrong", r"(?:knows?|know) exactly what to (?:say|do)",
        r"(?:everything|all) (?:he|she|you) (?:says?|do(?:es)?) is (?:right|perfect|amazing|wise)", r"(?:on a )?pedestal", r"(?:he|she)(?:'s| is| was) (?:my|a) (?:hero|idol|role model)",
        r"(?:so|too) (?:good|perfect) for me", r"flawless", r"(?:the )?(?:best|greatest|most amazing|most wonderful) (?:\w+ )?(?:ever|in the world|alive)",
    ),
    _rules("devaluation_of_self_image", 0.65,
        rf"{_I_M}{_ADV} (?:so |such an? |a complete |a total )?(?:worthless|stupid|an idiot|a failure|a loser|a joke|a fraud|disgusting|unlovable|a disappointment|a burden|rubbish|crap|dumb|a waste of space|useless|pathetic)",
        r"i (?:can't|never) do anything right", r"i (?:always )?(?:ruin|ruined|mess up|messed up|screw up|screwed up) everything", r"(?:nobody|no one) would (?:want|love|miss|hire|pick) (?:me|someone like me)",
        r"why would (?:anyone|anybody|they|he|she) (?:want|love|pick|choose|hire|like) me", rf"{_I_M} not (?:worth|good enough|smart enough|pretty enough|clever enough)",
        r"i don't deserve", rf"{_I_M} nothing\b", r"i hate myself", r"stupid me", r"typical me", rf"{_I_M} the worst", r"what an? (?:idiot|loser|failure) i am",
    ),
    _rules("devaluation_of_object_image", 0.65,
        rf"(?:he|she|they|you|this|therapy|these sessions|my \w+){_IS}{_ADV} (?:so |such an? |a |an |complete |total |utter )?(?:useless|worthless|pathetic|stupid|idiots?|incompetent|a joke|rubbish|crap|clueless|morons?|losers?|pointless|hopeless|lazy|dumb|a waste)",
        r"(?:what|such) an? (?:idiot|joke|loser|moron)", r"(?:psychobabble|mumbo jumbo|waste of (?:time|money|breath|space))", r"what do you (?:even )?know",
        r"you don't (?:even )?know what you're", r"good for nothing", r"(?:they're|they are) all (?:the same|useless|idiots|incompetent)", r"(?:jumped-up|glorified) \w+",
        r"(?:he|she|they) (?:never|can't) (?:do|get) anything right",
    ),
    _rules("repression", 0.65,
        r"i (?:can't|cannot|don't) (?:really )?(?:remember|recall) (?:anything|much|a thing|any of it|why|what happened|most of)", r"mind (?:goes|went|just goes|just went) blank",
        r"(?:it's|it is|it was) (?:all )?(?:a|just a|completely) (?:blank|blur)", r"(?:i have|i've got|there's) no (?:memory|memories) of", r"(?:blocked|blanked) (?:it|that|the whole thing) out",
        r"out of nowhere", r"for some reason i (?:can't|don't)", r"i (?:must have|must've) (?:forgotten|blocked)", r"no idea where (?:it|that) comes from",
    ),
    _rules("dissociation", 0.7,
        r"(?:felt|feel|feels|was|seemed) like (?:i was |i'm )?(?:floating|outside (?:of )?(?:my body|myself)|not (?:really )?there|in a dream|in a fog|underwater|in a bubble)",
        r"on autopilot", r"watching (?:myself|it all|everything) (?:from|like|happen)", r"(?:time|hours) (?:just )?(?:disappeared|vanished|went missing)", r"(?:came|come) to (?:and|in|on)",
        r"(?:blanked|zoned|spaced) out", r"(?:it was|everything was|felt) like (?:a|being in a) (?:dream|film|movie)", r"(?:don't|didn't|can't) remember (?:how i got|getting|coming)",
        r"everything went (?:quiet|silent|white|grey|gray|fuzzy|distant)", r"(?:felt|feel) (?:detached|disconnected|unreal|numb)", r"like i wasn't (?:in|inside) my",
    ),
    _rules("reaction_formation", 0.6,
        r"(?:so|really|genuinely|honestly|totally) (?:happy|thrilled|delighted|glad|pleased|excited) for (?:him|her|them)", r"(?:would )?never (?:feel|get|be) (?:angry|jealous|resentful|bitter)",
        r"(?:extra|super|especially|overly) (?:nice|sweet|kind|polite|helpful) to (?:him|her|them)", r"(?:went|go) out of my way to (?:help|be nice|be kind|please)", r"kill (?:him|her|them) with kindness",
        r"(?:smile|smiled|smiling) (?:and|even) (?:when|while|as)", r"(?:not|never) (?:jealous|angry|resentful)[^.]{0,60}(?:so |really )?(?:happy|proud|glad)",
        quoted=True, context=_HOSTILE,
    ),
    _rules("displacement", 0.7,
        r"(?:took|take|taking) it out on", r"(?:came|come|got) home and (?:i )?(?:yelled|shouted|snapped|screamed|kicked|started a fight|picked a fight)",
        rf"(?:after|because of) {_KIN}[^.]{{0,80}}(?:yelled|shouted|snapped|screamed|kicked|slammed|picked a fight)",
        r"(?:yelled|shouted|snapped|screamed) at (?:the|my|a|this) (?:poor )?(?:kids|dog|cat|son|daughter|children|waiter|waitress|barista|cashier|driver|stranger|guy|girl|woman|man)",
        r"got the brunt", r"over (?:nothing|something so small|a tiny thing|the smallest thing|something stupid)", r"(?:angry|furious|mad) at (?:the|my) \w+ instead",
        r"(?:didn't|don't) deserve (?:it|that)",
    ),
    _rules("isolation_of_affect", 0.65,
        r"i (?:just )?(?:don't|didn't) (?:really )?feel (?:anything|much|a thing)(?: about (?:it|that|him|her))?", r"(?:it's|it was|that's) just (?:information|data|how it is)",
        r"(?:like|as if) (?:it happened to|i'm talking about|talking about) someone else", r"(?:no|without any) (?:emotion|feeling|reaction)", r"matter[- ]of[- ]fact",
        r"(?:anyway|so),? (?:moving on|that's that)", r"like (?:reading|giving) a (?:report|list|shopping list)", r"(?:objectively|factually) speaking",
    ),
    _rules("intellectualization", 0.7,
        r"(?:studies|research|the literature|statistics|the data) (?:says?|shows?|suggests?)", r"(?:statistically|objectively|logically|rationally) speaking",
        r"(?:from an?|in) (?:psychological|evolutionary|biological|neurological|sociological|developmental|theoretical|logical|rational|scientific) (?:point of view|perspective|terms|standpoint)",
        r"(?:a|the) (?:classic|typical|textbook|common|normal) (?:\w+ )?(?:response|reaction|pattern|case|example|symptom)", r"(?:defen[cs]e|coping) mechanisms?",
        r"(?:amygdala|dopamine|serotonin|neurotransmitters?|fight or flight|stages of grief|kubler-ross|cognitive dissonance|attachment theory)",
        r"i (?:read|saw|found) (?:a|an|this) (?:study|paper|article|book|podcast|documentary)", r"as a (?:concept|phenomenon)", r"if you (?:think|look at) (?:about )?it (?:logically|rationally|objectively)",
    ),
    _rules("undoing", 0.7,
        r"(?:no,? )?(?:wait|sorry),? (?:that's|that was) (?:not fair|mean|unfair|horrible|harsh|not true|out of order|rude|a horrible thing)", r"(?:wait|sorry),? i (?:don't|didn't) mean (?:that|it)", r"i (?:shouldn't|should not) have said (?:that|it)", r"scratch that",
        r"i didn't mean (?:it|that)", r"(?:forget|ignore) what i (?:just )?said", r"(?:to )?make (?:it )?up to (?:him|her|them)", r"(?:touch|knock on) wood", r"cross(?:ed)? my fingers",
        r"(?:well,? )?(?:that's not true|not really),? (?:he|she|they)(?:'s| is| are)? (?:lovely|great|wonderful|good|kind)", r"(?:overcompensated|overcompensate|overcompensating)",
    ),
    _rules("affiliation", 0.7,
        r"i (?:reached out|opened up|leaned on|lean on|turned to) (?:to )?(?:my|a|some|her|him|them|friends?|family)",
        rf"(?:told|asked|called|rang|texted|phoned) {_KIN}[^.]{{0,60}}(?:how (?:i|i'm) (?:felt|feeling)|i (?:needed|need)|for (?:help|support)|to come|to be with|what was going on|to listen)",
        r"(?:asked|ask) for (?:help|support)", r"(?:relied|rely) on (?:my|her|him|them|friends)", r"(?:talked|talk) it through with", r"(?:they|she|he) (?:listened to me|held me|hugged me|sat with me|stayed with me)",
        r"helped (?:to )?(?:talk|share|not be alone)", r"i didn't (?:want to )?(?:go through|do) (?:it|this) alone",
        quoted=True,
    ),
    _rules("altruism", 0.65,
        r"charity", r"fundrais\w*", r"(?:helping|help) (?:others|other people|people who)", r"i (?:mentor|coach|tutor) (?:a|some|kids|young)", r"give (?:something )?back",
        r"(?:feels|felt) good to help",
    ),
    _rules("anticipation", 0.65,
        r"i(?:'ve| have) (?:been )?(?:thinking|thought|planning|planned|preparing|prepared) (?:ahead|about how i|for (?:when|how))",
        r"(?:i know|i expect|i'm expecting) (?:it(?:'s| is| will|'ll)|i(?:'ll| will)) (?:going to )?(?:be|feel) (?:hard|difficult|sad|rough|painful|awkward|upsetting|lonely|tough|emotional)",
        r"(?:so|and) i(?:'ve| have) (?:planned|arranged|booked|made a plan|lined up)", r"ahead of time", r"(?:brace|bracing|prepare|preparing) myself", r"(?:a|my) plan for (?:when|if|the)",
    ),
    _rules("humor", 0.65,
        r"(?:see|saw|find|found) the funny side", r"(?:you have to|you've got to|gotta) laugh", r"(?:laugh|laughing|laughed) (?:about it|at myself|at ourselves)",
        r"(?:make|made|making) (?:a )?jokes? about (?:it|myself)", r"(?:dark|gallows|black) humou?r", r"if i didn't laugh,? i'd cry", r"(?:we|i) both (?:laughed|cracked up)",
    ),
    _rules("self_assertion", 0.7,
        r"i (?:told|said to|let) (?:him|her|them|my \w+|\w+) (?:know )?(?:that )?i (?:felt|feel|wanted|want|need|needed|didn't like|don't like|wasn't (?:okay|ok|happy)|won't|would like|'d like|'m not|(?:was|am|'m) (?:hurt|upset|angry|nervous|scared|annoyed|disappointed|sad|cross))",
        r"(?:stood|stand|standing) up for myself", r"(?:set|setting|drew|draw) (?:a )?boundar(?:y|ies)", r"i (?:made|make) it clear", r"i (?:pushed|push) back",
        r"i put my foot down", r"i (?:asked|ask) (?:him|her|them) (?:directly|clearly|to stop|not to)", r"i (?:said|told (?:him|her|them)),? \"(?:please|no|stop|that's not)",
        quoted=True,
    ),
    _rules("self_observation", 0.7,
        r"i (?:notice|noticed|realise|realised|realize|realized|recognise|recognised|recognize|recognized) (?:that )?i (?:tend to|always|often|keep|do|did|get|go|start|was|am|'m|have been|'ve been)",
        r"(?:noticed|realised|realized|see) (?:a|the|this) pattern", r"when i (?:feel|get|am) \w+,? i (?:tend to|always|usually|go|get|start)", r"(?:i think|maybe) (?:it's|that's) because i",
        r"part of me (?:wants|wanted|knows|knew|feels|felt|is|was)", r"i can see (?:now |how |that |why )(?:i|my)", r"(?:starting|beginning) to (?:see|understand|notice|realise|realize) (?:that )?(?:i|my|how)",
        r"(?:looking back|in hindsight),? i (?:can see|think|realise|realize)", r"that's (?:my|the) (?:old )?(?:pattern|habit)", r"i (?:caught|catch) myself", r"i (?:tend|always tend) to",
        quoted=True,
    ),
    _rules("sublimation", 0.7,
        r"(?:channel|channelled|channeled|pour|poured|pouring|put|putting) (?:all )?(?:my |that |the |all that )?(?:anger|rage|grief|sadness|frustration|energy|pain|feelings?|emotions?) (?:into|in)",
        r"(?:an|my) outlet", r"(?:turned|turn|turning) (?:it|that|the \w+) into (?:something (?:good|beautiful|useful)|a song|art|songs|a painting|a poem)",
    ),
    _rules("suppression", 0.7,
        r"i(?:'ll| will|'m going to| am going to) (?:deal with|think about|worry about|look at|process) (?:it|that|this) (?:later|tomorrow|after|when|on|at the weekend|next)",
        r"(?:put|putting|set|setting|park|parked|parking) (?:it|that|this|those thoughts)(?: to one side| aside| on (?:the )?back burner| on hold| away for now)",
        r"(?:decided|deciding|chose|choose) (?:not to|to not) (?:think|dwell|worry) (?:about it )?(?:until|till|for now|right now|today)", r"(?:kept|keep) it together (?:until|till)",
        r"one thing at a time", r"(?:save|saving|saved) it for (?:later|therapy|here|the session)",
        quoted=True,
    ),
)
RULES = RULES + GENERAL_RULES

# Texting style and non-native word order (the apostrophe is already optional everywhere).
TEXTING_RULES: tuple[Rule, ...] = (
    _rules("denial", 0.6, r"idc", r"i dont even care", r"not bothered tbh", rf"{_I_M} (?:so )?over it", r"(?:is|it's) not (?:a )?problem for me", r"for me (?:is|it's) (?:not|no) (?:a )?(?:problem|big thing|big deal)", r"no problem for me", negatable=False),
    _rules("rationalization", 0.55, r"is normal(?: for| in| here|,|\.)", r"is the culture", r"(?:everybody|everyone) do it", r"in my country (?:everybody|everyone|we|is)"),
    _rules("omnipotence", 0.65, r"i (?:am )?not need (?:nobody|anybody|anyone|help)", r"i no need", negatable=False),
    _rules("devaluation_of_self_image", 0.6, r"i suck(?: at everything)?", rf"{_I_M} (?:such )?(?:trash|garbage|a clown)", r"i'm so dumb"),
    _rules("devaluation_of_object_image", 0.6, rf"(?:he|she|they|u|you){_IS}? (?:such )?(?:trash|garbage|a clown|clowns|useless af|a joke lol)"),
)
RULES = RULES + TEXTING_RULES

# Kept apart: all-good and all-bad words about someone in one turn make splitting, not idealization.
_ALL_GOOD = _rx(r"a saint", r"an angel", r"perfect", r"the best \w+", r"amazing", r"wonderful")
_ALL_BAD = _rx(r"a monster", r"evil", r"toxic", r"cruel", r"heartless", r"selfish", r"horrible", r"useless")
_STAGE = re.compile(r"\((?:[a-z]+(?: [a-z]+){0,3})\)")
_QUOTED = re.compile(r'"[^"\n]{1,300}"')
_CUE_WORDS = re.compile(r"[\w']+")
_FRAGMENT = re.compile(r"(?:\.\.\.|…|-|—)\s*$")
# Facts told flat: a painful event listed in short sentences and no feeling word (isolation).
_EVENT = _rx(r"died", r"death", r"divorced?", r"left us", r"moved out", r"malignant", r"cancer", r"biopsy", r"funeral", r"fired", r"let go", r"cut (?:my|myself)", r"hit me", r"miscarriage", r"stroke", r"lock(?:ed)? me")
_HYPOTHETICAL = _rx(r"(?:nearly|almost|could have|could've|if \w+(?: had)?|nobody|no one|hasn't|haven't) (?:\w+ )?(?:died|fired|let go)", r"i died")
_FEELING = _rx(
    r"sad\w*", r"upset", r"angry", r"anger", r"hurt", r"cry\w*", r"cried", r"scared", r"afraid", r"awful", r"miss\w*", r"lonely", r"grief", r"devastated", r"heartbroken",
    r"feel\w*", r"felt", r"terrible", r"horrible", r"shock\w*", r"numb", r"furious", r"ashamed", r"guilty",
)  # fmt: skip


@dataclass(frozen=True)
class Finding:
    defense: str
    confidence: float
    start: int
    end: int
    source: str  # "rule" or "head"

    @property
    def level(self) -> int:
        return DEFENSE_LEVEL[self.defense]


def _masked(text: str) -> tuple[str, str]:
    """(normalised text with stage directions blanked, the same also with quoted speech blanked)."""
    low = normalise(text)
    low = _STAGE.sub(lambda m: " " * len(m.group()), low)
    unquoted = _QUOTED.sub(lambda m: " " * len(m.group()), low)
    return low, unquoted


def words(text: str) -> int:
    return len(_CUE_WORDS.findall(_STAGE.sub(" ", normalise(text))))


def rule_findings(doc: Document, i: int) -> list[Finding]:
    """Every defense the rules find in turn ``i`` (one finding per defense, its strongest cue)."""
    return _rule_findings(doc, i)[0]


def _rule_findings(doc: Document, i: int) -> tuple[list[Finding], bool]:
    """(findings, whether some cue was found but negated: "I don't think he's an idiot")."""
    text = doc.turns[i].text
    low, unquoted = _masked(text)
    context = " ".join(_masked(doc.turns[j].text)[0] for j in range(max(0, i - 4), i)) + " " + low
    best: dict[str, Finding] = {}
    negated = False
    for rule in RULES:
        source = low if rule.quoted else unquoted
        cues = []
        for m in rule.pattern.finditer(source):
            start, end = trim_span(text, m.start(), m.end())
            if end <= start:
                continue
            if rule.negatable and negated_before(source, m.start()):
                negated = True
            else:
                cues.append((start, end))
        # A rule with a context needs it, or the cue more than once (exaggeration is its own context).
        if not cues or (rule.context is not None and len(cues) < 2 and not rule.context.search(context)):
            continue
        current = best.get(rule.defense)
        if current is None or rule.confidence > current.confidence:
            best[rule.defense] = Finding(rule.defense, rule.confidence, cues[0][0], cues[0][1], "rule")
    _flat_facts(text, unquoted, best)
    _resolve(low, unquoted, best)
    return sorted(best.values(), key=lambda f: f.start), negated


def _flat_facts(text: str, unquoted: str, best: dict[str, Finding]) -> None:
    """A painful event told in short, feeling-free sentences: isolation of affect."""
    if "isolation_of_affect" in best:
        return
    event = _EVENT.search(unquoted)
    if event is None or _FEELING.search(unquoted) or negated_before(unquoted, event.start()) or _HYPOTHETICAL.search(unquoted[max(0, event.start() - 30) : event.end()]):
        return
    if len(_CUE_WORDS.findall(unquoted)) < 20:
        return
    lengths = [len(_CUE_WORDS.findall(unquoted[a:b])) for a, b in _sentences(unquoted)]
    if len(lengths) >= 3 and sum(lengths) / len(lengths) <= 9:
        start, end = trim_span(text, event.start(), event.end())
        best["isolation_of_affect"] = Finding("isolation_of_affect", 0.6, start, end, "rule")


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^.!?]+", text) if m.group().strip()]


def _resolve(low: str, unquoted: str, best: dict[str, Finding]) -> None:
    """Settle pairs of findings that describe the same movement two ways."""
    if "idealization_of_object_image" in best and _ALL_BAD.search(unquoted) and _ALL_GOOD.search(unquoted):
        f = best.pop("idealization_of_object_image")
        best.setdefault("splitting_of_object_image", Finding("splitting_of_object_image", f.confidence, f.start, f.end, "rule"))
    if "splitting_of_self_image" in best:
        best.pop("devaluation_of_self_image", None)
    if "splitting_of_object_image" in best:
        best.pop("devaluation_of_object_image", None)
        best.pop("idealization_of_object_image", None)
    if "dissociation" in best:
        best.pop("repression", None)
    if "self_observation" in best:
        # Naming one's own "it's fine" (or quoting oneself) is observing the defense, not using it.
        observed = best["self_observation"].start
        for name in [n for n in best if n != "self_observation"]:
            f = best[name]
            quoted = low[f.start : f.end] != unquoted[f.start : f.end]
            if (quoted and f.level < 7) or (name in ("denial", "isolation_of_affect") and f.start > observed):
                best.pop(name)
    if "displacement" in best:
        best.pop("acting_out", None)
    for own, other in (("devaluation_of_self_image", "devaluation_of_object_image"), ("idealization_of_self_image", "idealization_of_object_image")):
        if own in best and other in best and best[own].start <= best[other].start < best[own].end:
            best.pop(other)  # "I'm such an idiot" is about the speaker


# ---- the head and the seed prototypes that name its findings ----

_prototypes: dict[str, np.ndarray] = {}
_prototype_lock = threading.Lock()


def _seed_prototypes() -> dict[str, np.ndarray]:
    """Mean seed vector per defense name (from the packaged seed files), computed once."""
    with _prototype_lock:
        if not _prototypes:
            from reverie.analysis.embed import shared_encoder

            texts: list[str] = []
            names: list[str] = []
            for path in sorted(SEEDS.glob("defense*.seed.jsonl")):
                for line in path.read_text(encoding="utf-8").splitlines():
                    row = json.loads(line) if line.strip() else {}
                    for name in row.get("defenses", []):
                        if name in DEFENSE_LEVEL:
                            texts.append(row["text"])
                            names.append(name)
            if texts:
                vectors = shared_encoder().encode(texts)
                for name in set(names):
                    rows = vectors[[k for k, n in enumerate(names) if n == name]]
                    mean = rows.mean(axis=0)
                    _prototypes[name] = mean / max(float(np.linalg.norm(mean)), 1e-9)
        return _prototypes


def _closest_defense(vector: np.ndarray, level: int) -> str:
    candidates = [name for name, lvl in DEFENSE_LEVEL.items() if lvl == level]
    prototypes = _seed_prototypes()
    known = [name for name in candidates if name in prototypes]
    if not known:
        return candidates[0]
    return max(known, key=lambda name: float(vector @ prototypes[name]))


class Defenses:
    """DMRS defenses per client turn (lens ``avoidance``) and the session's ODF."""

    name: ClassVar[str] = "defenses"
    version: ClassVar[str] = "1.0"
    requires: ClassVar[tuple[str, ...]] = ("vectors",)
    assigns: ClassVar[tuple[str, ...]] = ("defenses",)
    # The head alone finds a defense only when it is this sure of the level (7 needs more).
    head_threshold: ClassVar[float] = 0.35
    head_threshold_high_adaptive: ClassVar[float] = 0.55
    head_min_words: ClassVar[int] = 8
    short_words: ClassVar[int] = 4

    def __call__(self, doc: Document) -> Document:
        assert doc.vectors is not None
        model = head("defense")
        focus = [i for i, t in doc.focus_turns(Speaker.CLIENT)]
        levels: list[int] = []
        if focus:
            probabilities = model.probabilities(doc.vectors[focus])
            for row, i in enumerate(focus):
                p = {label: float(v) for label, v in zip(model.labels, probabilities[row], strict=True)}
                findings = self._findings(doc, i, p)
                for f in findings:
                    levels.append(f.level)
                    self._annotate(doc, i, f)
                doc.score("defense", i, _level_scores(doc.turns[i].text, findings, p, self.short_words))
        doc.summary["defenses"] = odf_summary(levels)
        return doc

    def _findings(self, doc: Document, i: int, p: dict[str, float]) -> list[Finding]:
        findings, negated = _rule_findings(doc, i)
        if findings:
            return [Finding(f.defense, round(min(0.97, f.confidence + 0.1 * p.get(str(f.level), 0.0)), 3), f.start, f.end, "rule") for f in findings]
        text = doc.turns[i].text
        if negated or words(text) < self.head_min_words:
            return []  # a negated cue ("I don't think he's an idiot") is not left to the head
        level, confidence = max(((lvl, p.get(str(lvl), 0.0)) for lvl in range(1, 8)), key=lambda x: x[1])
        threshold = self.head_threshold_high_adaptive if level == 7 else self.head_threshold
        if confidence < threshold or confidence <= p.get("0", 0.0) or confidence <= p.get("8", 0.0):
            return []
        assert doc.vectors is not None
        name = _closest_defense(doc.vectors[i], level)
        start, end = trim_span(text, 0, len(text))
        return [Finding(name, round(confidence * 0.8, 3), start, end, "head")]

    def _annotate(self, doc: Document, i: int, f: Finding) -> None:
        text = doc.turns[i].text
        evidence = [Span(i, f.start, f.end)]
        if f.source == "rule":
            s, e = sentence_at(text, f.start)
            s, e = trim_span(text, s, e)
            if e > s and (s, e) != (f.start, f.end) and s <= f.start and e >= f.end:
                evidence.append(Span(i, s, e))
        reason = REASONS[f.defense] if f.source == "rule" else "the trained model's reading of the turn (no phrase rule fired)"
        doc.annotations.append(Annotation("avoidance", f.defense, f.confidence, Defenses.name, Defenses.version, tuple(evidence), {"level": f.level, "reason": reason}))


def _level_scores(text: str, findings: list[Finding], p: dict[str, float], short_words: int) -> dict[str, float]:
    """Scores over the nine DMRS levels: the chosen level first, the head's view for the rest."""
    chosen, confidence = _chosen(text, findings, p, short_words)
    rest = {lvl: p.get(lvl, 0.0) for lvl in DMRS_LEVELS if lvl != chosen}
    total = sum(rest.values()) or 1.0
    scores = {lvl: (1 - confidence) * v / total for lvl, v in rest.items()}
    scores[chosen] = confidence
    return {lvl: scores[lvl] for lvl in DMRS_LEVELS}


def _chosen(text: str, findings: list[Finding], p: dict[str, float], short_words: int) -> tuple[str, float]:
    if findings:
        # Against the high-adaptive bias: a level-7 finding wins only when clearly stronger.
        top = max(findings, key=lambda f: f.confidence - (0.06 if f.level == 7 else 0.0))
        return str(top.level), max(0.5, top.confidence)
    n = words(text)
    if n < short_words or (n < 12 and (p.get("8", 0.0) >= max(p.values()) or _FRAGMENT.search(text))):
        return "8", max(0.6, p.get("8", 0.0))
    return "0", max(0.5, p.get("0", 0.0))


def odf_summary(levels: list[int]) -> dict[str, object]:
    counts = Counter(levels)
    n = len(levels)
    return {
        "odf": round(sum(levels) / n, 3) if n else None,
        "n": n,
        "levels": {str(lvl): round(counts[lvl] / n, 3) for lvl in sorted(counts)},
    }


def label_defense(doc: Document, i: int) -> "LabelResult":
    from reverie.analysis.labelling import LabelResult

    scores = doc.scores.get("defense", {}).get(i)
    if scores is None:  # not a client turn: nothing was rated
        scores = {lvl: (1.0 if lvl == "8" else 0.0) for lvl in DMRS_LEVELS}
    label = max(DMRS_LEVELS, key=lambda lvl: scores.get(lvl, 0.0))
    found = [a for a in doc.found("avoidance") if a.analyzer == Defenses.name and a.evidence[0].turn == i]
    names = sorted({a.label for a in found}, key=lambda n: -max(a.confidence for a in found if a.label == n))
    return LabelResult([label], scores, {"defenses": names})
