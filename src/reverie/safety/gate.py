"""The output gate: every reply passes it before it is shown, from a template or from an LLM.

Reverie is not a therapist and must not talk like a bad one (DESIGN.md, promise 2). Five kinds of
sentence are stopped, each with a stable reason code that is stored with the event:

``means``
    Anything that helps a person hurt themselves: how to, doses, lethal amounts, heights and
    bridges, methods and how they compare, tying knots, "how many pills". Also a reply that
    *answers* a means question with bare facts ("the bridge is 75 metres above the water").
``diagnosis``
    Naming a disorder in the person or someone in their life ("you have depression", "sounds
    like PTSD", "your mother is a narcissist"). A diagnosis needs a clinician's assessment.
``confidentiality_promise``
    Promises of secrecy Reverie cannot keep: risk events reach the clinician (promise 1).
``stop_medication``
    Telling someone to stop, skip or change medication, or that they do not need it. Only the
    prescriber can advise that; stopping some medicines suddenly is dangerous.
``promise``
    Unconditional promises about the future ("everything will be fine", "I promise it gets
    better"): nobody can keep them, and a broken one costs trust when it is needed most.

The rules are phrase patterns over a normalised copy of the reply (case folded, curly quotes
straightened, every run of whitespace one space), so changes of case or spacing can never make an
unsafe reply pass. Each family has narrow guards for the safe sentences that share its words:
a refusal ("I can't tell you how ..."), a question about the person's own worry ("you wonder
whether you have ADHD"), advice *not* to stop medication without the GP, an honest limit on
confidentiality ("this isn't completely confidential"). A guard only looks back within the same
clause, so a guard word in another sentence cannot excuse a match. The gate leans towards
blocking: a blocked safe reply costs one bland turn; a shown unsafe one can cost far more.
"""

import re
from dataclasses import dataclass, field

MEANS = "means"
DIAGNOSIS = "diagnosis"
CONFIDENTIALITY = "confidentiality_promise"
STOP_MEDICATION = "stop_medication"
PROMISE = "promise"
REASONS = (MEANS, DIAGNOSIS, CONFIDENTIALITY, STOP_MEDICATION, PROMISE)

SAFE_FALLBACK = "I'm listening. Would you like to say a little more about what's on your mind?"


@dataclass(frozen=True, slots=True)
class GateFinding:
    """One stopped phrase: why, and where in the original reply (character offsets)."""

    reason: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class GateResult:
    """The verdict on one reply. ``reasons`` are stable codes from ``REASONS``, in that order."""

    passed: bool
    reasons: list[str] = field(default_factory=list)
    findings: tuple[GateFinding, ...] = ()


# -- normalisation -------------------------------------------------------------------------------

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u2032": "'", "`": "'", "\u201c": '"', "\u201d": '"'})
_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}


def _normalise(text: str) -> tuple[str, list[int]]:
    """Case-folded text with one space for each whitespace run, and each character's original offset."""
    out: list[str] = []
    where: list[int] = []
    pending_space = False
    for i, ch in enumerate(text):
        if ch in _ZERO_WIDTH:
            continue
        if ch.isspace():
            pending_space = bool(out)
            continue
        if pending_space:
            out.append(" ")
            where.append(i - 1)
            pending_space = False
        for folded in ch.translate(_QUOTES).casefold():
            out.append(folded)
            where.append(i)
    return "".join(out), where


# -- patterns --------------------------------------------------------------------------------------


def _rx(*alternatives: str) -> re.Pattern[str]:
    """Whole-word alternatives over the normalised text."""
    return re.compile(r"(?<![\w'])(?:" + "|".join(alternatives) + r")(?![\w'])")


def _guard(words: str, reach: int) -> re.Pattern[str]:
    """A guard: one of ``words`` at most ``reach`` words before the end of the clause so far."""
    return re.compile(r"(?<![\w'])(?:" + words + r")(?![\w'])(?: \S+){0," + str(reach) + r"} ?$")


@dataclass(frozen=True, slots=True)
class _Rule:
    """A phrase pattern; with ``near``, it counts only where that also occurs within 80 characters."""

    pattern: re.Pattern[str]
    near: re.Pattern[str] | None = None


def _rules(*patterns: re.Pattern[str] | _Rule) -> tuple[_Rule, ...]:
    return tuple(p if isinstance(p, _Rule) else _Rule(p) for p in patterns)


# fmt: off
_NUMWORD = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a hundred|hundreds of|a few hundred|several hundred|a couple of hundred)"
_NUM = r"(?:\d+(?:[.,]\d+)?|" + _NUMWORD + r")"
_PILLS = (
    r"(?:pills?|tablets?|capsules?|paracetamol|acetaminophen|tylenol|ibuprofen|aspirin|painkillers?|sleeping (?:pills|tablets)|antidepressants?|insulin"
    r"|opioids?|codeine|tramadol|morphine|oxycodone|fentanyl|benzos?|diazepam|valium|xanax|lithium|amitriptyline)"
)
_SELF = r"(?:yourself|myself|oneself|himself|herself|themselves|themself)"
_HIGH_PLACE = r"(?:bridges?|cliffs?|buildings?|towers?|roofs?|rooftops?|ledges?|balcon(?:y|ies)|car parks?|parking (?:garages?|structures?)|multi-storeys?|viaducts?|overpass(?:es)?|dams?|quarr(?:y|ies))"
_HEIGHT_CONTEXT = re.compile(_HIGH_PLACE + r"|\b(?:drop|fall|falls|falling|jump|jumping|height|high|tall|above the|below|survive|fatal|lethal|deadly|top floor|edge|platform)\b")
_DIE = (
    r"(?:die|dying|death|kill (?:you|" + _SELF + r")|killing (?:you|" + _SELF + r")|end (?:it all|(?:your|my|one's|their|a) life)"
    r"|ending (?:it all|(?:your|my|one's|their|a) life)|suicide|not wake up|never wake up|do it|go through with it|be fatal|be lethal|overdose)"
)

MEANS_RULES = _rules(
    # how to ... a method
    _rx(
        r"how (?:to|you(?:'d| would| could| can)?|one (?:would|could|can)|people) (?:\w+ )?(?:kill " + _SELF + r"|hang " + _SELF + r"|overdose|od|end (?:it all|your life|my life|one's life|their life)"
        r"|commit suicide|die|poison " + _SELF + r"|suffocate|drown " + _SELF + r"|shoot " + _SELF + r"|slit|cut (?:" + _SELF + r"|your wrists?|deep|deeper)|jump (?:off|from)|tie (?:a|the) (?:noose|rope))"
    ),
    _rx(
        r"how (?:many|much) (?:\w+ ){0,2}(?:" + _PILLS + r"|meds|medication|mg|milligrams?|grams?)",
        r"how (?:high|tall|far down|far) (?:\w+ ){0,3}(?:" + _HIGH_PLACE + r"|fall|drop|jump)",
    ),
    # lethal amounts and doses
    _rx(r"(?:lethal|fatal|deadly|toxic|overdose|killing) (?:dose|doses|dosage|amount|amounts|quantity|quantities|level|levels|threshold|limit|height|heights)"),
    _rx(r"(?:enough|sufficient|plenty) (?:\w+ ){0,3}?to (?:kill|die|end it|end your life|overdose|stop (?:your|the|a) heart|do it|be fatal|be lethal|not wake up)"),
    _rx(r"(?:would|will|could|can|should|is going to|are going to) (?:definitely |certainly |probably |likely |usually |almost certainly |easily )?(?:kill you|be fatal|be lethal|be deadly|stop your heart|do it for you|finish you off)"),
    _rx(r"(?:is|are|becomes?|would be|can be) (?:\w+ ){0,2}?(?:lethal|fatal|deadly)"),
    _rx(_NUM + r" ?(?:mg|milligrams?|g|grams?|mcg|micrograms?|ml|millilitres?|milliliters?|units)"),
    _rx(_NUM + r" (?:of (?:your |the |those |these |my |his |her |their )?)?(?:\w+ )?(?:pills|tablets|capsules|paracetamol|painkillers)"),
    _rx(r"(?:take|taking|took|swallow|swallowing|need|needing|about|around|over|more than|at least) " + _NUM + r" (?:\w+ )?" + _PILLS),
    # heights, bridges and falls
    _Rule(
        _rx(r"\d+(?:[.,]\d+)? ?(?:m|metres?|meters?|ft|feet|foot|storeys?|stories|floors?)", _NUMWORD + r" (?:metres?|meters?|storeys?|stories|floors?)", _NUMWORD + r" (?:feet|foot)(?! tall)"),
        near=_HEIGHT_CONTEXT,
    ),
    _rx(r"(?:highest|tallest|deepest|busiest|nearest|closest|quietest|emptiest) (?:\w+ )?" + _HIGH_PLACE, r"(?:highest|tallest) (?:point|drop|place)s?"),
    _rx(r"(?:fall|falls|falling|drop|drops|jump|jumping|plunge) (?:of|from) (?:over |more than |about |around |at least |roughly )?(?:" + _NUM + r"|a height|that height|this height|such a height)"),
    _rx(
        r"(?:survive|survived|survives|surviving|survivable|unsurvivable) (?:a |the |that |such a )?(?:fall|jump|drop|overdose|impact)",
        r"(?:survival|fatality|death|mortality|lethality) rates?",
        r"(?:nobody|no one|few people|most people don't|most people do not|rarely anyone) survives?",
    ),
    _Rule(
        _rx(r"(?:no|without|isn't any|aren't any|not any) (?:\w+ )?(?:suicide )?(?:barriers?|fences?|fencing|nets?|netting|railings?|cctv)", r"unguarded|unfenced|unmonitored|unpatrolled"),
        near=re.compile(_HIGH_PLACE + r"|\b(?:tracks|platform|edge|top|railway|river|drop)\b"),
    ),
    _Rule(
        _rx(r"(?:non-stopping|fast|express|freight) trains?", r"trains? (?:that )?(?:don't|do not|doesn't|does not|won't) stop", r"trains? (?:pass|passes|run|runs|come|comes|go|goes) (?:through )?(?:every|at full speed|fast|without stopping|at \d)"),
        near=re.compile(r"\b(?:platform|tracks|rail(?:way)? line|level crossing|don't stop|do not stop|doesn't stop|without stopping|pass(?:es)? through|speed|every \d+ minutes)\b"),
    ),
    # methods and how they compare
    _rx(
        r"(?:most|least|more|less) (?:painless|effective|lethal|reliable|certain|successful|deadly|peaceful|quick|foolproof) (?:way|ways|method|methods|means|option|options)",
        r"(?:quickest|easiest|surest|fastest|best|simplest|least painful|most painless|cleanest|only sure) (?:way|ways|method|methods|means|option) (?:to|of) " + _DIE,
        r"painless (?:death|suicide|way to (?:die|go))",
        r"(?:suicide|self-harm|overdose|hanging) (?:method|methods|technique|techniques)",
        r"(?:methods?|techniques?) (?:of|for) (?:suicide|self-harm|killing " + _SELF + r"|dying|ending (?:it|your life|a life))",
    ),
    _rx(r"(?:hanging|overdosing|an overdose|drowning|shooting " + _SELF + r"|poisoning|suffocation|asphyxiation|carbon monoxide|gassing|jumping (?:off|from)|exsanguination) (?:is|are|would be|tends to be|works|takes|causes|leads)"),
    _rx(
        r"carbon monoxide", r"exhaust (?:fumes|pipe)", r"hose ?pipe (?:to|from|into|on) (?:the )?(?:exhaust|car|window)", r"helium (?:tank|canister|cylinder|hood|bag)", r"inert gas",
        r"exit bag", r"suicide bag", r"charcoal (?:burning|grill|burner)", r"plastic bag over", r"sodium nitrite", r"pentobarbital", r"nembutal",
    ),
    _rx(
        r"(?:die|death|dead|unconscious|lose consciousness|losing consciousness|pass out|black out|bleed out|stop breathing|brain damage|liver failure|organ failure) (?:\w+ )?(?:within|in|after|takes?|taking|over)"
        r" (?:about |around |roughly |under |less than |only |just )?(?:" + _NUM + r" |a few |several |a couple of )?(?:seconds|minutes|hours|days)"
    ),
    _rx(r"takes? (?:about |around |roughly |only |just )?(?:" + _NUM + r"|a few|several) (?:seconds|minutes|hours|days) (?:to|before you) (?:die|lose consciousness|pass out|black out|bleed out)"),
    # knots and ligatures
    _rx(
        r"(?:tie|ties|tied|tying|make|making|form|forming|loop|looping) (?:a|an|the) (?:\w+ )?(?:noose|slip ?knot|hangman'?s? knot|running knot)",
        r"(?:tie|ties|tied|tying) (?:a|an) (?:\w+ )?knot",
        r"noose (?:is|should|needs|must|around|knot|tight)",
        r"(?:rope|cord|belt|ligature|cable|scarf) (?:a?round|over) (?:your|the|my|his|her|their) neck",
        r"(?:anchor|attach|fasten|secure|tie) (?:the |a )?(?:rope|cord|belt|ligature) (?:to|on|around|from)",
    ),
    # cutting
    _rx(r"cut (?:vertically|lengthwise|along the (?:vein|artery|arm)|across the (?:vein|artery|wrist)|deep enough|deeper)", r"(?:which|the) (?:vein|artery|arteries|veins) (?:to|you)"),
)

# A refusal just before a means phrase: "I can't tell you how to ...", "I won't give information on ...".
_MEANS_GUARD = re.compile(
    r"(?<![\w'])(?:can't|cannot|can not|won't|will not|wouldn't|not going to|unable to|not able to|refuse to|don't|do not|never)"
    r" (?:\w+ )?(?:tell|give|share|help|provide|explain|discuss|describe|offer|say|go into|talk about|list|look up|search for|answer)"
    r"(?: you)?(?: (?:with|about|on|any|information|details|advice|facts|anything|questions))*(?: (?:on|about|like|for|of))?(?: the)? ?$"
)

_CONDITION = (
    r"(?:(?:clinical |major |severe |mild |moderate |chronic |postnatal |postpartum |seasonal |atypical )?depression|major depressive disorder|depressive disorder|dysthymia"
    r"|bipolar(?: disorder| i| ii| 1| 2)?|manic depression|cyclothymia"
    r"|c-?ptsd|ptsd|post-traumatic stress(?: disorder)?|complex trauma|complex ptsd"
    r"|ocd|obsessive-compulsive disorder|obsessive compulsive disorder|adhd|attention deficit(?: hyperactivity)? disorder"
    r"|autism|autism spectrum disorder|asperger'?s(?: syndrome)?"
    r"|bpd|npd|(?:borderline|narcissistic|antisocial|avoidant|dependent|histrionic|paranoid|schizoid|obsessive-compulsive) personality(?: disorder)?|(?:a )?personality disorder"
    r"|schizophrenia|schizoaffective(?: disorder)?|psychosis|(?:a )?psychotic disorder|(?:a )?delusional disorder"
    r"|(?:an )?anxiety disorder|generali[sz]ed anxiety(?: disorder)?|gad|social anxiety(?: disorder)?|social phobia|panic disorder|agoraphobia|health anxiety|hypochondria(?:sis)?"
    r"|(?:an )?eating disorder|anorexia(?: nervosa)?|bulimia(?: nervosa)?|binge[- ]eating disorder|arfid"
    r"|dissociative identity disorder|(?:a )?dissociative disorder|depersonali[sz]ation disorder"
    r"|(?:an )?attachment disorder|(?:an )?adjustment disorder|(?:an )?addiction|alcoholism|(?:a )?substance use disorder|insomnia disorder"
    r"|(?:a )?(?:mental|psychiatric) (?:illness|disorder)|(?:a )?(?:mood|conduct) disorder|sociopathy|psychopathy)"
)
_LABEL = (
    r"(?:bipolar|manic-depressive|manic|narcissistic|a narcissist|borderline|sociopathic|a sociopath|psychopathic|a psychopath|schizophrenic|a schizophrenic|psychotic"
    r"|autistic|on the (?:autism |autistic )?spectrum|anorexic|an anorexic|bulimic|ocd|adhd|obsessive-compulsive|clinically depressed|an addict|an alcoholic|alcoholic"
    r"|a hypochondriac|agoraphobic|codependent|co-dependent|a narcissistic \w+|a psychopathic \w+|mentally ill)"
)
_OTHER = r"(?:mother|mum|mom|father|dad|parents?|partner|husband|wife|boyfriend|girlfriend|ex|boss|manager|friend|sister|brother|son|daughter|child|colleague|stepmother|stepfather|family)"
_WHO = r"(?:you|he|she|they|your (?:\w+ )?" + _OTHER + r")"
_HEDGE = r"(?:probably|clearly|definitely|obviously|certainly|likely|actually|really|just|most likely|almost certainly|surely|undoubtedly|also|might|may|could|must|seem to|seems to|appear to|appears to|do|does)"
_FILLER = (
    r"(?:a|an|some|the|classic|textbook|typical|clinical|severe|mild|moderate|full-blown|undiagnosed|untreated|clear|obvious|signs of|symptoms of|traits of|all the signs of"
    r"|every sign of|a form of|a case of|a touch of|a bit of|high-functioning|really|very|quite|clearly|definitely|probably|exactly|just|consistent with)"
)

DIAGNOSIS_RULES = _rules(
    _rx(
        _WHO + r"(?: " + _HEDGE + r")*(?: have| has| have got| has got|'ve got|'s got| suffer from| suffers from| are suffering from| is suffering from| are showing| is showing| show| shows"
        r"| display| displays| are dealing with| live with| lives with| are living with) (?:" + _FILLER + r" )*" + _CONDITION
    ),
    _rx(
        r"(?:you are|you're|he is|he's|she is|she's|they are|they're|your (?:\w+ )?" + _OTHER + r"(?: is| are|'s)"
        r"|" + _WHO + r" (?:might|may|could|must|would|will) be|" + _WHO + r" (?:seem|seems|sound|sounds|appear|appears)(?: to be)?(?: like)?|sounds? like you're|sounds? like (?:he|she)'s)"
        r" (?:(?:probably|clearly|definitely|obviously|likely|certainly|a bit|kind of|sort of|quite|so|very|really|actually|just|textbook|classic|a classic|such|a textbook|somewhat|a little|a real|a total|an actual) )*" + _LABEL
    ),
    _rx(r"(?:sounds?|seems?|looks?|sounding|seeming|looking) (?:a lot |very much |exactly |just )?(?:like|as if|as though) (?:(?:" + _FILLER + r"|you're describing|you're experiencing|you've got) )*" + _CONDITION),
    _rx(r"(?:classic|textbook|typical|clear|obvious|all the|the classic|the typical) (?:signs?|symptoms?|case|example|presentation|features?|traits?|markers?|hallmarks?) of (?:a |an )?" + _CONDITION),
    _rx(
        r"(?:this|that|it|these|those|what you(?:'re| are)? describ\w*|what you(?:'ve| have)? (?:told me|said|described))(?: is| are|'s| sounds? like| seems? like| looks? like| fits?| matches| points to| suggests?)"
        r" (?:" + _FILLER + r" )*" + _CONDITION
    ),
    _rx(
        r"(?:meet|meets|fit|fits|match|matches) (?:all |most |the |many )*(?:dsm(?:-5)? |diagnostic )?criteria (?:for|of)",
        r"i(?:'d| would| will|'ll| can| could)? diagnose",
        r"(?:your|my|the) diagnosis (?:is|would be|here is)",
        r"(?:you|he|she|they) (?:would|could|might|will|should) (?:probably |likely |definitely |certainly |easily )?(?:be diagnosed|get diagnosed|get a diagnosis|qualify for a diagnosis)",
        r"(?:you're|you are) diagnosable",
        r"(?:you|you're|you are) (?:a|an) (?:classic|textbook|typical) (?:case|example)",
    ),
)
# Reflecting the person's own worry or question, reporting a clinician's or someone else's word.
_DIAGNOSIS_GUARD = _guard(
    r"whether|if|wonder|wondering|wondered|worry|worried|worries|worrying|afraid|scared|fear|fears|feared|frightened|ask|asking|asked|question|find out|not sure|unsure"
    r"|don't know|do not know|not saying|not suggesting|not telling you|can't (?:tell|say|know|judge)|cannot (?:tell|say|know|judge)|no way of knowing"
    r"|you (?:said|mentioned|told me|wrote|shared|described|explained)|you (?:feel|felt|feeling) (?:like|as if|that)"
    r"|(?:gp|doctor|psychiatrist|psychologist|therapist|clinician|consultant|nurse|specialist)(?: has| had)? (?:said|says|told you|thinks|thought|believes|suggested|mentioned|diagnosed|found)"
    r"|(?:were|was|been|being|get|got) (?:told|diagnosed)|(?:called|calls|call|labelled|labeled|label) you"
    r"|(?:he|she|they|your \w+) (?:said|says|told you|thinks|thought|believes|insists|keeps saying|claims)|read that|heard that|googled|quiz",
    6,
)

_SPEECH = (
    r"(?:what you (?:say|said|tell me|told me|share|shared|write|wrote)(?: here| to me)?|(?:everything|anything|whatever) you (?:say|tell me|share|write)(?: here| to me)?"
    r"|this conversation|our (?:chats?|conversations?|talks?)|this chat|your secrets?|what we talk about|what happens here|what's said here|all of this)"
)
_KEPT = r"(?:between us|between you and me|between the two of us|with me|private|secret|a secret|our secret|confidential|off the record|safe with me|anonymous|untraceable)"
_STRONG = r"(?: always| totally| completely| just| only| strictly| entirely| 100%| absolutely)*"

CONFIDENTIALITY_RULES = _rules(
    _rx(
        r"i (?:won't|will not|will never|'ll never|wont|would never|am not going to|'m not going to|promise not to|promise i won't|swear i won't|never) (?:ever )?"
        r"(?:tell(?! you (?:what|how|which|whether|to)\b)|share|repeat|pass on|report|mention|reveal|let (?:anyone|anybody|them|your \w+) (?:know|see|read)|say a word)",
        r"i(?:'ll| will) keep (?:this|it|that|your secrets?|what you (?:say|said|tell me|told me|share|shared|write|wrote)|everything(?: you \w+)?) (?:a )?(?:secret|to myself|between us|private|confidential|safe|quiet|just between us)",
        r"(?:this|it|that|" + _SPEECH + r")(?:'ll stay| stays| will stay| is going to stay| remains| will remain| gets kept| is kept| will be kept| stay)" + _STRONG + r" " + _KEPT,
        _SPEECH + r"(?: is| are| will be|'s|'ll be)" + _STRONG + r" " + _KEPT,
        r"(?:this|it|that)(?: is|'s| will be|'ll be)" + _STRONG + r" (?:between us|between you and me|between the two of us|confidential|a secret|our secret|off the record|safe with me)",
        r"(?:completely|totally|fully|entirely|strictly|100%|one hundred percent|absolutely|perfectly) (?:confidential|private|anonymous|secret|off the record)",
        r"(?:no one|nobody|no-one|not a soul|nobody else|no one else) (?:will|would|can|could|is going to|needs to|has to|'ll) (?:ever )?(?:know|see|read|find out|hear|be told|have access)",
        r"(?:your|the) secrets? (?:is|are) safe(?: with me)?",
        r"(?:just|only|strictly) between (?:us|you and me|the two of us|ourselves)",
        r"(?:i|we) (?:never|don't|do not|won't|will not) (?:share|pass on|report|tell(?! you (?:what|how|which|whether|to)\b))",
        r"you(?: can| have|'ve got) my word",
    ),
)
# An honest limit: "this isn't completely confidential", "I can't promise to keep this private".
_CONFIDENTIALITY_GUARD = _guard(
    r"isn't|is not|aren't|are not|won't be|will not be|can't be|cannot be|not|never|nothing|no longer|can't promise|cannot promise|can not promise|won't promise"
    r"|not able to promise|unable to promise|can't guarantee|cannot guarantee|wish i could say|can't say|cannot say|can't keep|cannot keep|not always|not entirely",
    4,
)
_CONFIDENTIALITY_AFTER = re.compile(r"[^.!?;]*?\b(?:unless|except|apart from|other than|but if|but when|but your (?:therapist|clinician)|but i (?:may|might|would|will) have to)\b")

_MEDS = (
    r"(?:meds|medication|medications|medicine|medicines|pills|tablets|antidepressants?|ssris?|snris?|mood stabili[sz]ers?|antipsychotics?|prescriptions?|dose|doses|dosage"
    r"|lithium|sertraline|fluoxetine|citalopram|escitalopram|paroxetine|venlafaxine|duloxetine|mirtazapine|bupropion|quetiapine|olanzapine|aripiprazole|risperidone|lamotrigine"
    r"|valproate|methylphenidate|ritalin|adderall|prozac|zoloft|lexapro|wellbutrin|seroquel|abilify|propranolol|diazepam|lorazepam|clonazepam|pregabalin|zopiclone|insulin)"
)
_STOP_VERB = (
    r"(?:stop|stopping|stopped|quit|quitting|come off|coming off|get off|getting off|go off|going off|ditch|ditching|skip|skipping|drop|dropping|cut down on|cutting down on"
    r"|cut back on|cutting back on|cut down|cut back|reduce|reducing|lower|lowering|halve|halving|double|doubling|increase|increasing|(?<!bring )(?<!brought )(?<!bringing )(?<!pick )(?<!picking )(?<!picked )up"
    r"|upping|wean (?:yourself )?off|weaning (?:yourself )?off|taper off|tapering off|throw away|throwing away|bin|binning|flush|flushing|give up|giving up|pause|pausing"
    r"|change|changing|switch|switching|swap|swapping|ignore|ignoring)"
)
_DET = r"(?:your|the|those|these|that|this|any|all|some of your|half of your|half your|half the)"

STOP_MEDICATION_RULES = _rules(
    _rx(_STOP_VERB + r" (?:taking |using )?(?:all )?(?:of )?" + _DET + r" (?:\w+ )?" + _MEDS),
    _rx(r"(?:don't|do not|no need to|never) (?:bother )?(?:take|taking|use|using|fill|refill|collect|pick up) " + _DET + r" (?:\w+ )?" + _MEDS),
    _rx(r"(?:don't|do not|no longer|won't|will not|never) (?:really )?need (?:to (?:take|be on|keep taking|stay on) )?(?:" + _DET + r" |all your )?(?:\w+ )?" + _MEDS),
    _rx(r"(?:you(?:'d| would)?|you'll|you will) (?:be|feel|do) (?:\w+ )?(?:better|fine|ok|okay|happier|healthier|more yourself) (?:off )?without (?:" + _DET + r" )?(?:\w+ )?" + _MEDS),
    _rx(
        _MEDS + r" (?:are|is|were|was) (?:just |only |really |probably )?(?:a crutch|numbing you|poison|poisoning you|making you worse|not helping|bad for you|unnecessary|not necessary"
        r"|the problem|masking|holding you back|a waste|pointless|useless|doing more harm)"
    ),
    _rx(r"(?:try|consider|think about|how about|why not) (?:going |coming |getting )?(?:off|without|stopping|quitting|skipping|ditching|coming off|reducing|halving|lowering|doubling|increasing) (?:" + _DET + r" )?(?:\w+ )?" + _MEDS),
    _rx(r"(?:take|taking) (?:an extra|another|a double|double|two|more|less|fewer|half) (?:of )?(?:your |the )?(?:\w+ )?(?:dose|doses|pills?|tablets?|meds|medication)"),
    _rx(r"(?:natural|herbal) (?:alternatives?|remedies|remedy|options?|supplements?) (?:instead of|rather than|in place of) (?:your |the )?" + _MEDS, r"(?:instead of|rather than) (?:taking )?(?:" + _DET + r" )?(?:\w+ )?" + _MEDS),
)
# Advice *not* to stop, a reflection of the person's own wish, or a pointer to the prescriber.
_MEDICATION_GUARD = _guard(
    r"don't|do not|never|not to|shouldn't|should not|wouldn't|would not|without|before you|rather than|instead of|isn't safe to|is not safe to|not safe to|dangerous to|risky to"
    r"|careful about|not recommend|not advise|not saying|not suggesting|not telling you|thinking about|thought about|thinking of|considering|considered|wondering about|wondering whether to"
    r"|wonder about|want to|wanted to|wanting to|feel like|felt like|tempted to|urge to|wish you could|wished you could|decided to|decision to|whether to|if you should|about whether"
    r"|(?:talk|talking|speak|speaking) to (?:your|a) (?:gp|doctor|psychiatrist|prescriber|pharmacist|nurse)|ask(?:ing)? (?:your|a) (?:gp|doctor|psychiatrist|prescriber|pharmacist)"
    r"|with (?:your|a) (?:gp|doctor|psychiatrist|prescriber|pharmacist)|only your (?:gp|doctor|psychiatrist|prescriber)|you said|you mentioned|you've been|you have been|you'd like to|plans? to|about",
    4,
)
_MEDICATION_AFTER = re.compile(
    r"[^.!?;]*?\b(?:with your (?:gp|doctor|psychiatrist|prescriber|pharmacist)|(?:talk|talking|speak|speaking) (?:to|with) (?:your|a) (?:gp|doctor|psychiatrist|prescriber|pharmacist)"
    r"|is something to (?:talk|discuss|bring)|is worth (?:talking|discussing|raising|bringing))"
)

_FUT = r"(?:'ll| will|'s going to|'re going to| is going to| are going to|'s gonna|'re gonna| is gonna| are gonna| going to| gonna)"
_SURE = r"(?: (?:definitely|certainly|surely|absolutely|totally|100%|all|really|honestly|completely|be))*"

PROMISE_RULES = _rules(
    _rx(
        r"(?:everything|it all|all of this|things|it|this|life|all)" + _FUT + _SURE + r" (?:be|turn out|work out|end up)(?: all)? (?:fine|okay|ok|alright|all right|good|great|better|perfect|well|right|sorted|for the best)",
        r"(?:everything|things|it all|it|life)" + _FUT + _SURE + r" (?:work out|get better|get easier|improve|come good|fall into place|sort itself out|sort themselves out)",
    ),
    _rx(r"i (?:promise|swear|guarantee|can promise|can guarantee|give you my word)", r"(?:that's|it's|this is) a (?:promise|guarantee)"),
    _rx(r"(?:guaranteed|certain|bound|sure) to (?:get better|improve|work out|feel better|be fine|be okay|recover|pass)"),
    _rx(r"(?:it|things|life)(?: always| definitely| really| does| do)? gets? (?:better|easier)"),
    _rx(
        r"you" + _FUT + _SURE + r" (?:be (?:fine|okay|ok|alright|all right|happy again|well again|better)|get (?:better|through (?:this|it)|over (?:this|it|him|her|them))|feel better|find someone|recover"
        r"|make it|pull through|love again|beat this)"
    ),
    _rx(r"(?:this|it|the pain|the feeling|these feelings|this feeling|that feeling|the sadness|the grief|your depression|the anxiety|this too)(?:" + _FUT + r"| shall)" + _SURE + r" (?:pass|go away|end|fade|stop|lift|disappear|ease)"),
    _rx(r"nothing (?:bad )?(?:will|is going to|can) (?:ever )?(?:happen|go wrong|hurt you)"),
    _rx(r"i(?:'ll| will) always be (?:here|there|around|with you)"),
    _rx(r"(?:he|she|they|your \w+)" + _FUT + _SURE + r" (?:come back|change|forgive you|apologi[sz]e|love you again|see sense|miss you)"),
    _rx(r"you(?:'ll| will) never (?:feel|be) (?:like this|this way|alone) again"),
)
# Hedged hope, a report of what others find, or an honest refusal to promise.
_PROMISE_GUARD = _guard(
    r"hope|hoping|hoped|hopefully|wish|wishing|not sure|unsure|can't promise|cannot promise|won't promise|not going to promise|wouldn't promise|can't say|cannot say|can't tell you"
    r"|cannot tell you|(?:no one|nobody|none of us) (?:can|could) (?:promise|say|know|tell)|nobody knows|no one knows|don't know|do not know|whether|(?:know|sure|ask|asking|asked|wonder|wondering|see) if"
    r"|find|found|finds|people say|say that|worry|worried|afraid|fear|doubt|pretend|pretending|wonder|wondering|often|sometimes|for some people|many people"
    r"|(?:want|wanted|wanting|need|needed|needing) (?:to hear|me to say|me to tell you|to believe|to know)|hard to believe|find it hard",
    3,
)

_FAMILIES: tuple[tuple[str, tuple[_Rule, ...], re.Pattern[str] | None, re.Pattern[str] | None], ...] = (
    (MEANS, MEANS_RULES, _MEANS_GUARD, None),
    (DIAGNOSIS, DIAGNOSIS_RULES, _DIAGNOSIS_GUARD, None),
    (CONFIDENTIALITY, CONFIDENTIALITY_RULES, _CONFIDENTIALITY_GUARD, _CONFIDENTIALITY_AFTER),
    (STOP_MEDICATION, STOP_MEDICATION_RULES, _MEDICATION_GUARD, _MEDICATION_AFTER),
    (PROMISE, PROMISE_RULES, _PROMISE_GUARD, None),
)
# fmt: on
# Guards look back only to the start of the clause: a sentence end, a comma, a dash or "but".
_CLAUSE_END = re.compile(r"[.!?;:,\u2014\u2013]|(?<![\w'])but(?![\w'])| - ")
_NEAR = 80
_CLAUSE_REACH = 240  # no guard reaches further back than this many characters


def _clause_before(text: str, start: int) -> str:
    """The part of the clause that precedes position ``start``."""
    head = text[max(0, start - _CLAUSE_REACH) : start]
    cut = 0
    for m in _CLAUSE_END.finditer(head):
        cut = m.end()
    return head[cut:].lstrip()


def check_reply(text: str) -> GateResult:
    """Judge one reply: which of the five kinds of unsafe sentence it contains, and where."""
    folded, where = _normalise(text)
    findings: list[GateFinding] = []
    for reason, rules, guard_before, guard_after in _FAMILIES:
        for rule in rules:
            for m in rule.pattern.finditer(folded):
                if rule.near is not None and not rule.near.search(folded, max(0, m.start() - _NEAR), m.end() + _NEAR):
                    continue
                if guard_before is not None and guard_before.search(_clause_before(folded, m.start())):
                    continue
                if guard_after is not None and guard_after.match(folded, m.end()):
                    continue
                start, end = where[m.start()], where[m.end() - 1] + 1
                findings.append(GateFinding(reason, start, end, text[start:end]))
    findings = sorted(set(findings), key=lambda f: (REASONS.index(f.reason), f.start, f.end))
    reasons = [r for r in REASONS if any(f.reason == r for f in findings)]
    return GateResult(passed=not findings, reasons=reasons, findings=tuple(findings))


def gate(text: str) -> tuple[str, GateResult]:
    """The reply to show: ``text`` if it passes, otherwise ``SAFE_FALLBACK``; and the verdict to store."""
    result = check_reply(text)
    return (text if result.passed else SAFE_FALLBACK), result
