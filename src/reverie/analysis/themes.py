"""Themes: the life domains a client turn is about (family, partner, work, body, loss, self-worth,
sexuality, money, friendship, therapy), several at once.

Keyword lexicons give each theme with its evidence (the keyword's span); the people a turn names
count for their domain ("my sister" is family, "my manager" work, "you" said to the therapist the
therapy), through the same resolution as the people lens. Idioms that only look like a domain are
set aside first ("dead tired", "sick of", "spend time", "work out", "worth it", "I'm lost"). The
trained ``theme`` head adds the domains the lexicons miss.
"""

import re
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from reverie.analysis.document import Annotation, Document, Span
from reverie.analysis.heads import Head, head
from reverie.analysis.labelsets import THEMES
from reverie.analysis.matching import normalise, sentence_at
from reverie.analysis.people import people_in
from reverie.errors import ReverieError
from reverie.record import Speaker

if TYPE_CHECKING:
    from reverie.analysis.labelling import LabelResult

# Each theme: (regex, weight). Weight 1.0 is a clear keyword; the weaker ones count only when
# the head leans the same way.
_LEXICON: dict[str, tuple[tuple[str, float], ...]] = {
    "family": (
        (
            r"family|families|relatives|in-laws|in\s+laws|black\s+sheep|only\s+child|eldest\s+child|middle\s+child|youngest\s+child|siblings?|grandchildren|grandkids|"
            r"grandparents|growing\s+up|parenting|motherhood|fatherhood|raising\s+(?:my|the|our)\s+(?:kids|children|son|daughter)|school\s+run|custody|childcare|"
            r"christmas\s+at\s+(?:my\s+)?(?:mum|dad|mom|parents)",
            1.0,
        ),
        (r"(?:at|back)\s+home|our\s+house|my\s+childhood|as\s+kids|when\s+we\s+were\s+kids|bedtime|wedding|christening|the\s+baby", 0.6),
    ),
    "partner": (
        (
            r"married|marriage|marry|divorce|divorced|divorcing|(?:got|get|getting|are|we're|i'm|was|were|just\s+got)\s+engaged|engagement|couples?\s+(?:counselling|therapy)|"
            r"dating|(?:a|first|second|third|another|our|the)\s+date|dates|tinder|hinge|bumble|dating\s+apps?|together\s+for|been\s+together|(?:move|moving|moved)\s+in\s+together|"
            r"broke\s+up|break\s+up|breakup|break-up|split\s+up|separated|separation|cheated|cheating|affair|unfaithful|falling\s+for|fell\s+for|(?:fell|falling|be|being|i'm)\s+in\s+love|"
            r"boyfriend|girlfriend|husband|wife|fiancée?|partner|ex-husband|ex-wife|ex-boyfriend|ex-girlfriend|(?:he|she)\s+proposed|honeymoon|date\s+night|as\s+a\s+couple|"
            r"(?:our|my|the|in\s+a|this|a)\s+relationship(?!\s+with\s+(?:my\s+)?(?:mum|mom|mother|dad|father|parents|sister|brother|boss|manager|friends?|kids|son|daughter|family|food|money|work|body|you))|"
            r"(?:move|moving|moved)\s+in\s+with\s+(?:him|her)",
            1.0,
        ),
        (r"relationship|relationships|single|crush|romantic|romance|proposal|proposed|honeymoon|wedding|anniversary|love\s+life", 0.6),
    ),
    "work": (
        (
            r"work|working|job|jobs|career|boss|manager|colleagues?|coworkers?|co-workers?|office|promotion|promoted|redundant|redundancy|fired|sacked|laid\s+off|"
            r"unemployed|unemployment|job\s+interview|interview|interviews|deadline|deadlines|presentation|appraisal|annual\s+review|performance\s+review|"
            r"shift|shifts|overtime|hr|payroll|department|restructur\w*|quit(?!\s+(?:smoking|drinking|vaping|therapy))|quitting(?!\s+(?:smoking|drinking|therapy))|"
            r"resign|resigned|resignation|retrain\w*|retire|retired|retirement|clients?|customers?|team\s+meeting|workplace|phd|thesis|supervisor|internship|"
            r"apprenticeship|warehouse|shop\s+floor|on\s+the\s+ward|nine\s+to\s+five|self-employed|freelance|freelancing|my\s+shop|the\s+shop\s+(?:closed|shut)|"
            r"(?:the|my|our)\s+(?:firm|company|practice)|the\s+brief|site\s+visit|cv|applied\s+for|job\s+applications?|hired|hiring|signed\s+off|sick\s+leave|"
            r"maternity\s+leave|paternity\s+leave|furlough\w*|on\s+probation|targets|kpis|staff|employer|employee|employees|workmates?|the\s+team|my\s+team|"
            r"our\s+team|payslip|9\s*-\s*5|night\s+shifts?|day\s+shifts?",
            1.0,
        ),
        (
            r"worked|meeting|meetings|project|projects|email|emails|contract|business|workload|burnout|burnt\s+out|burned\s+out|study|studying|exams?|uni|university|"
            r"college|degree|course|coursework|dissertation|commute|commuting|zoom\s+call|teams\s+call|desk|rota",
            0.6,
        ),
    ),
    "body": (
        (
            r"sleep|sleeping|slept|asleep|insomnia|awake|waking|tired|exhausted|exhaustion|fatigue|knackered|eating|meals?|appetite|starving|binge\w*|comfort\s+eating|"
            r"purg\w+|weight|thin|skinny|diet|dieting|calories|body|bodies|skin|mirror|how\s+i\s+look|ugly|chest|heart\s+(?:racing|pounding|pounds|races)|"
            r"can't\s+breathe|breathless|dizzy|nausea|nauseous|vomit\w*|pain|painful|ache|aches|aching|headaches?|migraines?|illness|poorly|flu|covid|cancer|tumour|"
            r"diabetes|(?:it's|with|got|has|have|had)\s+ms|thyroid|diagnosis|diagnosed|symptoms?|surgery|operation|scan|tests|blood\s+test|medication|meds|"
            r"antidepressants?|sertraline|pills|tablets|pregnant|pregnancy|periods?|menopause|panic\s+attacks?|palpitations|exercise|gym|workout|yoga|drinking|drunk|"
            r"hungover|hangover|alcohol|booze|drugs|weed|smoking|cigarettes|vaping|self-harm|self\s+harm|cutting|scars?|disabled|disability|injury|injured|health|"
            r"physically|sick|(?:i'm|feel|felt|feeling|was|been|so|very|really|seriously|terminally|fell|is|are|gets|got|chronically|mentally)\s+ill|eat|ate|fat|hungry|sleepless|sleep\s+deprived|can't\s+sleep|couldn't\s+sleep|my\s+stomach|stomach\s+(?:ache|pain|churning|in\s+knots)|"
            r"knot\s+in\s+my\s+stomach|tight\s+chest|my\s+heart\s+(?:was\s+)?(?:racing|pounding)|shaking\s+hands|sweating|sweaty|trembling|headache|nosebleeds?|"
            r"lost\s+(?:\w+\s+)?(?:weight|pounds|kilos|stone)|put\s+on\s+(?:weight|\w+\s+stone)|gained\s+weight",
            1.0,
        ),
        (
            r"energy|rest(?!\s+of)|restless|healthy|unhealthy|fitness|running(?!\s+(?:late|out|away|around|a\b|the\b|my\b|on\b))|walking|walk|numb|shaking|shaky|"
            r"hair|doctor|gp|hospital|a&e|wine|beer|breathe|breathing|woke|wake\s+up|tense|tension|crying",
            0.6,
        ),
    ),
    "loss": (
        (
            r"died|dies|death|passed\s+away|passed\s+on|funeral|funerals|grief|grieving|grieve|mourning|mourn|bereavement|bereaved|miscarriage|miscarried|stillborn|"
            r"suicide|killed\s+(?:himself|herself|themselves)|had\s+to\s+put\s+(?:him|her|it|our\s+\w+|the\s+\w+)\s+down|"
            r"lost\s+(?:my|our|the|his|her)\s+(?:mum|mom|mother|dad|father|brother|sister|son|daughter|baby|child|husband|wife|partner|friend|best\s+friend|gran|nan|"
            r"grandmother|grandfather|grandad|granny|dog|cat|house|home)|losing\s+(?:my|our|the|him|her)\s+(?:mum|mom|mother|dad|father|brother|sister|son|daughter|baby|"
            r"child|husband|wife|partner|friend|gran|nan|dog|cat|house|home)|never\s+got\s+to\s+say\s+goodbye|anniversary\s+of\s+(?:his|her|their|my\s+\w+'s)\s+death|"
            r"(?:he|she)(?:'s|\s+is)\s+gone(?=\s*(?:[.,!?;]|$|\s+(?:now|forever|for\s+good|and)))|widow|widowed|widower|terminal|hospice|ashes|grave|cemetery|memorial|part\s+of\s+me\s+is\s+missing|"
            r"felt\s+like\s+a\s+death|like\s+a\s+bereavement|(?:my|our|the)\s+loss|a\s+loss|since\s+(?:he|she|mum|dad)\s+(?:died|went|passed)|"
            r"(?:he|she|mum|dad|mom|gran|nan|grandad|grandma|grandpa|my\s+\w+|\w+'s\s+\w+)\s+passed(?!\s+(?:the|my|an|a|his|her|out|over|by|on\s+the|it|them|me|round|around|away\s+the))|"
            r"lost\s+(?:him|her|them)(?!\s+(?:temper|phone|keys|job|way|mind|voice|number|place|interest))|no\s+longer\s+with\s+us|the\s+day\s+(?:he|she)\s+died|rip|"
            r"would\s+have\s+been\s+(?:his|her|their)\s+(?:birthday|\w+th)|the\s+baby\s+we\s+lost|can't\s+believe\s+(?:he|she)'s\s+gone|(?:his|her|their)\s+last\s+days",
            1.0,
        ),
        (
            r"dead|dying|loss|say\s+goodbye|said\s+goodbye|goodbye|miss\s+(?:him|her|them|my\s+\w+)|missing\s+(?:him|her|them)|gone\s+forever|ended|over\s+now|"
            r"left\s+(?:us|me)|lost|losing",
            0.6,
        ),
    ),
    "self_worth": (
        (
            r"not\s+good\s+enough|never\s+good\s+enough|worthless|worth\s+(?:anything|anyone's|nothing|less)|useless|pathetic|failure|a\s+fraud|impostor|imposter|"
            r"hate\s+myself|hate\s+who\s+i\s+am|hate\s+how\s+i|ashamed\s+of\s+(?:myself|who|me|being|how)|ashamed\s+that|disgusted\s+with\s+myself|don't\s+deserve|"
            r"a\s+burden|a\s+disappointment|the\s+disappointment|compare\s+myself|comparing\s+myself|everyone\s+else\s+(?:seems|is|has)|self-esteem|self\s+esteem|"
            r"self-worth|self\s+worth|confidence|insecure|insecurity|what's\s+wrong\s+with\s+me|something\s+wrong\s+with\s+me|unlovable|weak\s+link|inadequate|"
            r"i(?:'m|\s+am|\s+feel|\s+felt|\s+was)\s+(?:so\s+|such\s+|really\s+|just\s+|a\s+bit\s+|too\s+)?(?:stupid|an?\s+idiot|pathetic|useless|worthless|weak|ugly|"
            r"rubbish|a\s+mess|a\s+loser|a\s+joke|a\s+fraud|not\s+enough|too\s+much|disgusting|boring|thick|a\s+pushover|pushover|hopeless|unlikeable|unlovable)|"
            r"proud\s+of\s+myself|believe\s+in\s+myself|(?:like|accept|love)\s+myself|perfectionis\w+|rubbish\s+at|hopeless\s+at|assume\s+they're\s+lying|"
            r"i'?m\s+not\s+(?:smart|clever|pretty|interesting|likeable|lovable|loveable|attractive|talented|good|strong|brave|thin|funny)\s+enough|who\s+would\s+(?:want|love|like)\s+me|"
            r"(?:nobody|no\s+one)\s+(?:would|could|will)\s+(?:ever\s+)?(?:want|love|like|choose)\s+me|i'?m\s+the\s+problem|(?:it's|always)\s+my\s+fault|i\s+ruin\s+everything|"
            r"i\s+(?:always|keep)\s+mess(?:ing)?\s+(?:things|it|everything)\s+up|can't\s+(?:do|get)\s+anything\s+right|never\s+do\s+anything\s+right|"
            r"i'?m\s+(?:a|such\s+a)\s+(?:terrible|bad|awful|useless|crap|rubbish|shit)\s+(?:mum|mom|mother|dad|father|person|friend|partner|wife|husband|daughter|son|sister|brother)|"
            r"i'?m\s+not\s+a\s+good\s+(?:mum|mom|mother|dad|father|person|friend|partner|wife|husband|daughter|son)|i'?m\s+(?:nothing|nobody|worthless)|i\s+don't\s+matter|"
            r"second\s+best|not\s+as\s+good\s+as|feel\s+(?:so\s+)?small|let\s+everyone\s+down|everyone\s+is\s+better\s+than\s+me|(?:a|an)\s+embarrassment|a\s+disgrace|"
            r"hate\s+(?:my\s+body|the\s+way\s+i\s+look|my\s+face)|(?:so|really|deeply)\s+ashamed|i'?m\s+not\s+worth|not\s+worth\s+(?:it|the\s+trouble|the\s+effort|loving)",
            1.0,
        ),
        (
            r"good\s+enough|stupid|idiot|burden|ugly|disgusting|not\s+enough|too\s+much|perfect|invisible|compliment\w*|loser|ashamed|embarrassed|deserve|worth",
            0.6,
        ),
    ),
    "sexuality": (
        (
            r"sex|sexual|sexuality|sexually|sexy|bisexual|i'm\s+bi|gay|lesbian|queer|asexual|pansexual|trans|transgender|non-binary|nonbinary|i'?m\s+straight|"
            r"straight\s+(?:man|woman|guy|girl|people|couple)|attracted\s+to|attraction|libido|sex\s+drive|porn|porno|pornography|hooking\s+up|hook\s+up|hooked\s+up|"
            r"one[- ]night\s+stand|in\s+bed\s+with\s+(?:him|her|someone|somebody|a\s+(?:man|woman|guy|girl|stranger)|my\s+(?:boyfriend|girlfriend|husband|wife|partner)|another)|new\s+things\s+in\s+bed|performing\s+in\s+bed|(?:good|bad)\s+in\s+bed|sleeping\s+together|slept\s+together|"
            r"(?:sleep|slept|sleeping)\s+with\s+(?:him|her|someone|somebody|a\s+\w+|my|his|them|other|another|anyone|strangers)|"
            r"(?:came|come|coming)\s+out\s+(?:to\s+(?:my|him|her|them|people|everyone|\w+)|as\s+(?:gay|bi|bisexual|trans|queer|lesbian|non-binary))|my\s+coming\s+out|in\s+the\s+closet|orientation|intimacy|intimate|virgin|virginity|aroused|arousal|orgasm|erection|"
            r"fantasi[sz]e\s+about|kink\w*|masturbat\w+|affair|making\s+love|made\s+love|make\s+love|turned\s+on|turn\s+(?:me|him|her)\s+on|"
            r"fancy\s+(?:him|her|them|someone|women|men|girls|guys|boys)|fancied|gender\s+identity|my\s+gender|dysphoria|pronouns|condoms?|stis?|contraception|"
            r"erectile|impotence|celibate|celibacy|frigid|prude|sexting|nudes|onlyfans|physical\s+(?:intimacy|side|relationship)|"
            r"(?:don't|didn't|doesn't|never|no\s+longer|haven't)\s+(?:want\s+to\s+)?(?:touch|sleep\s+with)\s+(?:me|him|her)",
            1.0,
        ),
        (r"desire|touch|touching|naked|physical\s+with|flirt\w*|kiss\w*|crush|bed", 0.6),
    ),
    "money": (
        (
            r"money|rent|afford|affordable|credit\s+cards?|debt|debts|owe|owed|owing|bills|bank\s+balance|my\s+bank|the\s+bank|overdraft|overdrawn|salary|wages|wage|"
            r"paycheck|payslip|pay\s+rise|bonus|savings|saving\s+(?:up|for)|deposit|mortgage|loan|loans|payday|gamble|gambling|gambled|betting|quid|"
            r"(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|hundred)\s+grand|£\s?\d+|\$\s?\d+|€\s?\d+|\d+\s*(?:pounds|dollars|euros)|fees|budget|"
            r"(?:i'?m|we'?re|was|were|so|flat|completely|totally|always)\s+broke(?!\s+(?:up|down|my|the|it|into|off|in))|skint|cost\s+of\s+living|expensive|"
            r"spend\w*\s+(?:money|too\s+much|on\s+\w+)|spent\s+(?:money|too\s+much|£)|i\s+spend|benefits|universal\s+credit|pension|inheritance|income|financial|finances|"
            r"financially|bankrupt\w*|bailiffs?|(?:pay|paid)\s+(?:it|them|him|her|me)\s+back|pay\s+(?:my|the|our)\s+(?:bills|rent|way)|keep\s+paying|one\s+salary|tax|"
            r"cash|wealth|wealthy|rich|food\s+bank|maxed\s+out|in\s+the\s+red|investments?|crypto|overspend\w*|splurg\w*|(?:gas|electric|electricity|phone|energy)\s+bill|"
            r"struggling\s+to\s+pay|can't\s+pay|couldn't\s+pay|interest\s+rates?|the\s+interest|money's\s+tight|tight\s+for\s+money|penny|pennies|poverty|poor\s+family",
            1.0,
        ),
        (r"pay|paid|paying|price|prices|cost|costs|payment|cheap|shopping|bank", 0.6),
    ),
    "friendship": (
        (
            r"friend|friends|friendship|friendships|best\s+friend|bestie|mates|pals?|group\s+chat|flatmate|housemate|roommate|the\s+lads|social\s+life|"
            r"maid\s+of\s+honou?r|best\s+man|making\s+(?:new\s+)?friends|make\s+friends|bff|besties|(?:my|our|the)\s+(?:friendship\s+)?group(?!\s+chat)|the\s+gang|my\s+crew|"
            r"(?:my|a|best|old|good)\s+mate|mate's",
            1.0,
        ),
        (
            r"mate|the\s+girls|invites?\s+me|invited\s+me|left\s+out|falling[- ]out|fell\s+out|hang\s+out|hanging\s+out|lonely|loneliness|isolated|"
            r"nobody\s+to\s+talk\s+to|no\s+one\s+to\s+talk\s+to",
            0.6,
        ),
    ),
    "therapy": (
        (
            r"therapy|therapist|therapists|counselling|counseling|counsellor|counselor|session|sessions|in\s+here|coming\s+here|come\s+here|came\s+here|"
            r"this\s+room|fifty\s+minutes|50\s+minutes|the\s+couch|your\s+(?:fees?|holiday|break|room|office|couch)|summer\s+break|"
            r"(?:didn't|nearly\s+didn't|almost\s+didn't)\s+(?:want\s+to\s+)?come(?:\s+today)?|psychotherapy|psychoanalysis",
            1.0,
        ),
        (r"come\s+today|talking\s+about\s+it|talk\s+about\s+this|every\s+week|next\s+week|last\s+week|thursday", 0.3),
    ),
}

# Look like a domain, are not: removed before the lexicons run.
_IDIOMS = re.compile(
    r"(?<![\w'])(?:"
    r"work(?:ed|s|ing)?\s+out|work(?:ed|s)?\s+(?:for\s+me|fine|well|better)|(?:it|that|this)\s+(?:works|worked)|didn't\s+work|doesn't\s+work|won't\s+work|"
    r"worked\s+up|work\s+on\s+myself|working\s+(?:through|on)\s+(?:it|this|that|my|things|myself)|"
    r"dead\s+(?:tired|end|on|set|serious|good|easy|nice|quiet)|over\s+my\s+dead\s+body|dying\s+(?:to|for|of\s+embarrassment)|killing\s+me|bored\s+to\s+death|"
    r"scared\s+to\s+death|to\s+death|sick\s+of|sick\s+and\s+tired|lost\s+(?:it|track|my\s+(?:keys|phone|temper|way|head|mind|train\s+of\s+thought|voice|nerve)|the\s+plot|interest|count)|"
    r"i'?m\s+lost|feel\s+lost|felt\s+lost|(?:so|completely|a\s+bit)\s+lost|at\s+a\s+loss|weight\s+loss|hair\s+loss|loss\s+of\s+appetite|"
    r"spend\s+(?:time|the\s+\w+|all\s+day|ages|hours|my\s+life)|spent\s+(?:time|the\s+\w+|all\s+day|ages|hours|most\s+of|years|months|weeks|days|my\s+life)|"
    r"worth\s+it|worth\s+a\s+(?:try|go|shot)|pay\s+attention|paid\s+attention|paid\s+off|pays\s+off|pay\s+for\s+it\s+later|"
    r"family[- ]size|friendly|tired\s+of|i\s+bet|you\s+bet|bank\s+holiday|bank\s+on|none\s+of\s+(?:your|my)\s+business|"
    r"treat\s+(?:me\s+)?like\s+a\s+(?:child|baby)|like\s+a\s+kid|up\s+to\s+date|out\s+of\s+date|sleep\s+on\s+it|"
    r"heart\s+of\s+gold|break\s+a\s+leg|pain\s+in\s+the\s+(?:neck|arse|ass)|broke\s+(?:down|my\s+heart|the\s+news)|"
    r"stupid\s+(?:o'clock|question)|fit\s+in|fits\s+in|the\s+rest\s+of|walk\s+(?:on|all\s+over)\s+(?:eggshells|me)|make\s+me\s+sick|sick\s+joke|"
    r"(?:nearly|almost|could\s+have|could've)\s+died|(?:nobody|no\s+one|no-one)\s+(?:has\s+)?died|died\s+(?:of\s+(?:embarrassment|shame)|laughing)|"
    r"what's\s+eating|eating\s+me\s+up|eats\s+me\s+up|the\s+dead\s+of\s+night|dead\s+of\s+night|off\s+my\s+chest|weight\s+off|(?:a|the)\s+weight\s+(?:on|of)|"
    r"mental\s+health|thick\s+skin|thick-skinned|body\s+language|spread\s+(?:myself\s+)?thin|cutting\s+(?:me|him|her|them|corners|ties|off|down|it\s+fine)|growing\s+pains|"
    r"painful\s+(?:conversation|silence|memory|memories)|(?:the|a)\s+pain\s+of|in\s+pain\s+about|sick\s+to\s+death|worried\s+sick|sick\s+with\s+worry|"
    r"ill\s+at\s+ease|ate\s+me\s+up|(?:a|the)\s+(?:maths|spelling|driving)\s+tests?|pass(?:ed)?\s+(?:my|the)\s+tests?|"
    r"passed\s+(?:the|my|an|a|his|her|out|over|by|on\s+the|it|them)|sleep\s+on\s+it|wake[- ]up\s+call"
    r")(?![\w'])"
)

_PATTERNS: dict[str, tuple[tuple[re.Pattern[str], float], ...]] = {
    theme: tuple((re.compile(r"(?<![\w'])(?:" + regex + r")(?![\w])"), weight) for regex, weight in entries)
    for theme, entries in _LEXICON.items()
}
# People, resolved by the people lens, count for their domain.
_ROLE_THEME = {
    "mother": "family", "father": "family", "parent": "family", "sibling": "family", "child": "family", "grandparent": "family", "other_family": "family",
    "partner": "partner", "ex_partner": "partner", "friend": "friendship", "boss": "work", "colleague": "work", "therapist": "therapy",
}  # fmt: skip
# The head alone adds a theme from this probability; a weak keyword counts when the head gives
# its theme at least WEAK_WITH_HEAD. Both chosen by 5-fold cross-validation on the seeds (never the
# dev set) as the lowest values where what they add was at least 90% right. Without a trained
# head (no seeds yet) only the strong keywords count.
HEAD_THRESHOLD = 0.35
WEAK_WITH_HEAD = 0.15
RULE_CONFIDENCE = 0.9


def _head() -> Head | None:
    try:
        return head("theme")
    except ReverieError:
        return None


def keyword_spans(text: str) -> dict[str, list[tuple[int, int, float]]]:
    """Per theme, the keyword spans found in ``text`` (start, end, weight), idioms set aside."""
    low = normalise(text)
    blocked = [m.span() for m in _IDIOMS.finditer(low)]
    out: dict[str, list[tuple[int, int, float]]] = {}
    for theme, patterns in _PATTERNS.items():
        for pattern, weight in patterns:
            for m in pattern.finditer(low):
                if any(m.start() < e and s < m.end() for s, e in blocked):
                    continue
                out.setdefault(theme, []).append((m.start(), m.end(), weight))
    for spans in out.values():
        spans.sort()
    return out


class Themes:
    name: ClassVar[str] = "themes"
    version: ClassVar[str] = "1.0"
    requires: ClassVar[tuple[str, ...]] = ("vectors",)
    assigns: ClassVar[tuple[str, ...]] = ("themes",)

    def __call__(self, doc: Document) -> Document:
        model = _head()
        focus = [i for i, t in doc.focus_turns(Speaker.CLIENT) if t.text.strip()]
        counts = dict.fromkeys(THEMES, 0)
        if focus:
            if model is not None and doc.vectors is not None:
                probabilities = model.probabilities(doc.vectors[focus])
                index = {label: j for j, label in enumerate(model.labels)}
            else:
                probabilities, index = np.zeros((len(focus), 0)), {}
            mentions = people_in(doc)
            for row, i in enumerate(focus):
                text = doc.turns[i].text
                found = keyword_spans(text)
                for mention in mentions.get(i, []):
                    theme = _ROLE_THEME.get(mention.role)
                    if theme is not None:
                        found.setdefault(theme, []).append((mention.start, mention.end, 1.0))
                scores: dict[str, float] = {}
                for theme in THEMES:
                    p_head = float(probabilities[row, index[theme]]) if theme in index else 0.0
                    spans = sorted(found.get(theme, []), key=lambda s: (-s[2], s[0]))
                    strong = [s for s in spans if s[2] >= 1.0]
                    weak = [s for s in spans if s[2] < 1.0]
                    if strong:
                        score = max(RULE_CONFIDENCE, p_head)
                        cue, reason = strong[0], "keyword"
                    elif weak and p_head >= WEAK_WITH_HEAD:
                        score = max(0.5 + weak[0][2] * 0.3, p_head)
                        cue, reason = weak[0], "keyword and model"
                    elif model is not None and p_head >= HEAD_THRESHOLD:
                        score, cue, reason = max(p_head, 0.5), None, "model"
                    else:
                        scores[theme] = min(p_head, 0.49)
                        continue
                    scores[theme] = score
                    counts[theme] += 1
                    evidence = self._evidence(doc, i, cue)
                    doc.annotations.append(
                        Annotation("patterns", theme, round(min(score, 1.0), 3), self.name, self.version, evidence, {"source": reason})
                    )
                doc.score("theme", i, scores)
        doc.summary["themes"] = counts
        return doc

    @staticmethod
    def _evidence(doc: Document, i: int, cue: tuple[int, int, float] | None) -> tuple[Span, ...]:
        text = doc.turns[i].text
        if cue is None:
            start, end = 0, len(text)
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            return (Span(i, start, end),)
        start, end = sentence_at(text, cue[0])
        first = Span(i, cue[0], cue[1])
        return (first,) if (start, end) == (cue[0], cue[1]) else (first, Span(i, start, end))


def label_theme(doc: Document, i: int) -> "LabelResult":
    from reverie.analysis.labelling import LabelResult

    found = sorted({a.label for a in doc.found("patterns") if a.analyzer == Themes.name and a.evidence[0].turn == i})
    scores = doc.scores.get("theme", {}).get(i, dict.fromkeys(THEMES, 0.0))
    return LabelResult([t for t in THEMES if t in found], scores)
