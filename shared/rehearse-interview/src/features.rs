//! What the scorer counts in an answer: words and stems, numbers, named tools,
//! examples, outcomes, the candidate's own actions, reasoning and trade-off
//! markers, filler, STAR cues, claims known to be wrong, and how much of the
//! question the answer covers. Each phrase set is looked up by first word, so
//! one answer is a fixed number of linear passes.

use std::collections::HashSet;
use std::sync::LazyLock;

use crate::bank;
use crate::model::{Category, Question, StarBreakdown};
use crate::quote::clean_quote;
use crate::skills;
use crate::text::{self, Phrases, QUESTION_NOISE, Token};

// `VOCABULARY`: the stems of the technical and professional vocabulary the
// bank's keywords use (`bank::vocabulary`), computed by build.rs: naming them
// in an answer is a sign of depth.
include!(concat!(env!("OUT_DIR"), "/vocabulary.rs"));

/// A phrase set from one `|`-separated literal (kept as data, one line per
/// few phrases, rather than one line per phrase).
macro_rules! phrases {
    ($vis:vis $name:ident, $list:expr) => {
        $vis static $name: LazyLock<Phrases> =
            LazyLock::new(|| Phrases::new(&$list.split('|').map(str::trim).collect::<Vec<_>>()));
    };
}

phrases!(
    EXPLAIN,
    "because|since|so that|which means|this means|that means|due to|in order to|\
     the reason|that way|otherwise|therefore|as a result|which is why|that's why|thus|\
     hence|this way|so we|so i|which let|which allowed|to avoid|to prevent|to make sure|\
     to ensure"
);
phrases!(
    TRADEOFF,
    "trade off|tradeoff|trade offs|tradeoffs|however|but|on the other hand|instead of|\
     rather than|downside|the cost|versus|vs|depends|depending on|whereas|alternatively|\
     pros|cons|drawback|drawbacks|limitation|limitations|at the expense|compared to|\
     compared with|unless|the risk|risky|overhead|in exchange|the catch|caveat"
);
phrases!(
    EXAMPLE,
    "for example|for instance|e g|such as|in one case|one time|once|last year|last month|\
     last quarter|specifically|recently|in my last|in my previous|in my current|\
     at my last|at my previous|at my current|in my project|on my project|in our project|\
     when i was|when we were|a few months ago|a few years ago|years ago|months ago|\
     i remember"
);
phrases!(
    RESULT,
    "as a result|result|results|resulted|outcome|in the end|eventually|ultimately|\
     we shipped|we launched|we delivered|it worked|which led to|led to|reduced|reducing|\
     increased|increasing|improved|improving|decreased|saved|saving|cut|grew|went from|\
     dropped|raised|achieved|on time|ahead of schedule|was promoted|got promoted|praised|\
     adopted|fewer|faster|lower|higher|doubled|tripled|halved|impact|the feedback|zero|\
     no longer|shipped|launched|delivered|recovered|resolved|fixed|won|passed|hit|\
     met the deadline|went well|worked well|no downtime|finished|completed|succeeded|\
     successfully|success|lesson|the lesson|from then on|since then|signed|approved|\
     accepted|stopped|never happened again|ended up|turned out|went live|in production|\
     on schedule|under budget"
);
phrases!(
    HYPOTHETICAL,
    "i would|i'd|i will|i'll|i usually|i always|i try to|i tend to|you should|\
     you need to|you have to|you can|one should"
);
phrases!(TEAM, "we|our|the team|my team|us");
phrases!(
    VAGUE,
    "some parts|some things|various|a lot of things|many things|things like that|\
     it went well|it worked well|went fine|it was fine|in general|different things|\
     and so on|and stuff|etc|something like that|somehow|stuff like that|whatever|\
     all kinds of|a bunch of|and things"
);
phrases!(
    SITUATION,
    "when i|when we|while i|while working|at my|in my previous|in my last|in my current|\
     in my role|in my first|last year|a few years ago|years ago|months ago|our team|\
     my team|we were|there was|we had|i was working|i was a|i was the|i was an|i worked|\
     i joined|the project|during my|during a|during the|situation|context|background|\
     once|at the time|our company|the company|a client|a customer|one of our|in college|\
     at university|in university|in my final|i was leading|i was in"
);
phrases!(
    TASK,
    "my role|my task|my job|my responsibility|i was responsible|responsible for|\
     i needed to|i had to|we needed to|needed to|had to|the goal|our goal|my goal|\
     the task|the challenge|challenge was|problem was|asked me to|i was asked|tasked|\
     objective|deadline|aim was|i wanted to|we wanted to|to make sure|to ensure|i owned|\
     i was in charge|in charge of|the requirement|the issue was|expected to|my part|\
     the mission|was supposed to"
);
phrases!(
    REFLECT,
    "learned|learnt|i learned|realized|realised|in hindsight|looking back|next time|\
     would do differently|differently|lesson|lessons|taught me|since then|going forward|\
     changed how|now i|i now|i still|i would|made me|i understood|i saw that|i noticed"
);
phrases!(
    ORGANIZE,
    "first|firstly|second|secondly|third|thirdly|then|next|after that|finally|lastly|\
     in summary|to summarize|to sum up|overall|in short|for example|for instance|\
     on one hand|the main|there are two|there are three|step|to start|to begin|\
     in conclusion|the key"
);
phrases!(
    FILLER,
    "um|umm|uh|uhh|uhm|erm|hmm|you know|basically|actually|literally|kind of|sort of|\
     i mean|like i said|stuff|whatever|and so on|etc|yeah|so yeah|blah|anyway|anyways|\
     or something|and stuff|and everything|totally|honestly|super|pretty much"
);
phrases!(
    HEDGE,
    "i think|maybe|probably|i guess|not sure|i'm not sure|perhaps|i believe|might be|\
     kind of|sort of|i suppose|hopefully|possibly"
);
phrases!(
    pub(crate) NON_ANSWER,
    "i don't know|i dont know|i do not know|no idea|not sure|idk|pass|skip|no comment|\
     can't answer|cannot answer|n a|nothing|none|no clue|don't remember|dont remember|\
     no answer|next question"
);
phrases!(
    EVASIVE,
    "google it|look it up|search for it|wait for someone|wait for somebody|not my job|\
     not my problem|not my call|not my responsibility|not my area|their call|their problem|\
     not up to me|just go with it|go with the flow|whatever they want|whatever they say|\
     do whatever|ask someone else|let someone else|somebody else's|someone else's|\
     i'd rather not|i would rather not|rather not say|prefer not to|can't talk about|\
     cannot talk about|can't really say|can't go into|under nda|signed an nda|it's confidential|\
     doesn't really matter|does not matter|doesn't matter|it depends on the situation|\
     figure it out then|cross that bridge|wing it|play it by ear|work harder|\
     pulling their weight|pull their weight|not sure what to say|nothing comes to mind|\
     can't think of|cannot think of|never had that|never happened to me|i never make mistakes|\
     didn't get time|didn't have time|did not have time|don't really know|do not really know|\
     not really sure|haven't looked|didn't look|didn't prepare|no idea really|\
     just need a job|need the money|any job|applied everywhere|applied to like"
);
phrases!(
    DISPARAGING,
    "didn't know what they were doing|did not know what they were doing|\
     don't know what they're doing|didn't understand it|just didn't understand|\
     knows what they're talking about|know what they're talking about|incompetent|\
     amateur|amateurish|clueless|idiot|idiots|stupid|ridiculous|\
     their fault|his fault|her fault|not my fault|wasn't my fault|was not my fault|\
     feedback is only useful|they were wrong and i was right|i was right all along"
);
phrases!(
    MERCENARY,
    "pay band|salary range|the salary|higher salary|more money|better pay|pay more|\
     the title|a better title|won't promote me|promote me|the perks|stock options"
);
phrases!(
    CLICHE,
    "team player|hard working|hardworking|hard worker|passionate about|passion for|\
     detail oriented|results driven|results oriented|go getter|self starter|self motivated|\
     think outside the box|out of the box|fast learner|quick learner|people person|\
     perfectionist|synergy|synergies|dynamic environment|fast paced environment|\
     love technology|love coding|love to learn|eager to learn|always learning|\
     wear many hats|strong work ethic|work ethic|go above and beyond|above and beyond|\
     best practices|cutting edge|game changer|leverage|innovative solutions|\
     add value|value add|win win|growth mindset|excellent communication|\
     communication skills|problem solver|problem solving skills|dedicated|motivated|\
     fast paced|thrive|thrives|lifelong learner|life long learner|soft skills|\
     continuous improvement|break down silos|t shaped|enthusiast|big believer|\
     passion|passionate|excited about the opportunity|bring my passion|people skills|\
     team oriented|self driven|forward thinking|visionary|rockstar|ninja|guru|\
     holistic|holistically|synergistic|paradigm|paradigm shift|deep dive|circle back|\
     move the needle|low hanging fruit|stakeholder alignment|best in class|world class|\
     thought leadership|streamline|streamlined|proactively|empower|empowering|\
     alignment across|single source of truth|north star alignment|seamless|seamlessly"
);
phrases!(
    NUMBER_WORDS,
    "hundred|hundreds|thousand|thousands|million|millions|billion|twice|double|doubled|\
     tripled|half|halved|percent|dozen|dozens|ten|twenty|fifty"
);

/// Past-tense and decisive verbs that make "I <verb>" an action of the candidate's own.
static ACTION_VERBS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    // Adverbs too, so "I then rewrote" and "I quickly checked" count.
    "built wrote took made set led met spoke ran went brought began chose drove found \
     gave got held kept put sent spent taught told rewrote split sat fought paired \
     decided started created designed implemented introduced proposed organized \
     organised scheduled talked asked analyzed analysed investigated refactored added \
     reached worked pushed used reviewed tested fixed prioritized prioritised negotiated \
     explained listened suggested documented automated migrated measured profiled traced \
     rolled deployed shipped mentored coached escalated presented convinced volunteered \
     owned benchmarked replaced moved removed cached indexed rebuilt simplified \
     identified gathered interviewed prototyped sketched compared checked called emailed \
     aligned agreed planned broke divided delegated trained learned learnt read studied \
     collaborated coordinated reproduced debugged monitored alerted configured optimized \
     optimised reduced increased improved launched delivered resolved handled managed \
     tracked followed opened closed drafted shared did then also immediately personally \
     quickly first"
        .split_whitespace()
        .collect()
});

/// Everything counted in one answer.
#[derive(Debug, Default)]
pub(crate) struct Features {
    pub(crate) words: usize,
    pub(crate) content: usize,
    pub(crate) stems: HashSet<String>,
    pub(crate) sentences: usize,
    pub(crate) avg_sentence: f32,
    pub(crate) numbers: usize,
    pub(crate) tools: usize,
    pub(crate) proper_nouns: usize,
    pub(crate) examples: usize,
    pub(crate) results: usize,
    pub(crate) actions: usize,
    pub(crate) explain: usize,
    pub(crate) tradeoff: usize,
    pub(crate) reflect: usize,
    pub(crate) organize: usize,
    pub(crate) fillers: usize,
    pub(crate) hedges: usize,
    pub(crate) vague: usize,
    /// "I would", "you should": a plan or a principle instead of a story.
    pub(crate) hypothetical: usize,
    /// "we", "our", "the team": who the story is about.
    pub(crate) team_refs: usize,
    pub(crate) unique_ratio: f32,
    pub(crate) stop_ratio: f32,
    pub(crate) wordlike_ratio: f32,
    pub(crate) blocks: usize,
    pub(crate) star: StarBreakdown,
    pub(crate) star_in_order: bool,
    pub(crate) domain: usize,
    pub(crate) misconceptions: Vec<(String, String)>,
    /// Share of lowercase words of three letters or more that do not read as
    /// words to the embedding model's vocabulary: keyboard mashing, not typos.
    pub(crate) unknown_ratio: f32,
    /// The same word twice in a row ("the the", "ok ok").
    pub(crate) repeats: usize,
    /// "I", "my", "me": the candidate talking about themselves.
    pub(crate) self_refs: usize,
    /// Stock phrases that say nothing ("team player", "passionate about").
    pub(crate) cliches: usize,
    /// Dodging the question: "google it", "not my job", "their call".
    pub(crate) evasive: usize,
    /// Running others down: "didn't know what they were doing", "amateur".
    pub(crate) disparaging: usize,
    /// Pay, title and perks as the reason: "the pay band", "more money".
    pub(crate) mercenary: usize,
    /// Questions asked ("Do you have any questions for us?" wants some).
    pub(crate) questions: usize,
    /// Quantities that are not years: "900 ms", "40%", "€11k", "three weeks".
    pub(crate) measures: usize,
}

fn is_year(norm: &str) -> bool {
    norm.len() == 4
        && norm
            .parse::<u32>()
            .is_ok_and(|y| (1950..=2039).contains(&y))
}

fn wordlike(t: &Token) -> bool {
    if text::is_stopword(&t.norm) || t.has_digit() {
        return true;
    }
    let letters: Vec<char> = t.norm.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.is_empty() {
        return true;
    }
    if !t.norm.is_ascii() {
        // Other scripts: no vowel heuristics, trust them.
        return true;
    }
    if letters.len() > 20 {
        return false;
    }
    let vowels = letters.iter().filter(|c| "aeiouy".contains(**c)).count();
    let ratio = vowels as f32 / letters.len() as f32;
    let mut run = 0;
    let mut max_run = 0;
    let mut same = 1;
    let mut max_same = 1;
    let mut prev = None;
    for c in &letters {
        if "aeiouy".contains(*c) {
            run = 0;
        } else {
            run += 1;
            max_run = max_run.max(run);
        }
        if prev == Some(*c) {
            same += 1;
            max_same = max_same.max(same);
        } else {
            same = 1;
        }
        prev = Some(*c);
    }
    let short_ok = letters.len() <= 3;
    (short_ok || (0.15..=0.8).contains(&ratio)) && max_run <= 4 && max_same <= 2
}

pub(crate) fn features(
    question: &Question,
    answer: &str,
) -> (Features, Vec<Token>, Vec<(usize, usize)>) {
    let toks = text::tokens(answer);
    let sents = text::sentences(answer);
    let mut f = Features {
        words: toks.len(),
        sentences: sents.len().max(usize::from(!toks.is_empty())),
        ..Features::default()
    };
    if toks.is_empty() {
        return (f, toks, sents);
    }
    // Which tokens open a sentence: a capital there is grammar, not a name.
    let mut opens = vec![false; toks.len()];
    {
        let mut si = 0;
        let mut last_sentence = usize::MAX;
        for (i, t) in toks.iter().enumerate() {
            while sents.get(si).is_some_and(|s| s.1 <= t.start) {
                si += 1;
            }
            if si != last_sentence {
                if let Some(o) = opens.get_mut(i) {
                    *o = true;
                }
                last_sentence = si;
            }
        }
    }
    let tools: Vec<&str> = rehearse_resume::taxonomy::taxonomy()
        .find_in_text(answer)
        .into_iter()
        .filter(|s| !matches!(skills::category(s), "soft" | "spoken"))
        .collect();
    let tool_words: HashSet<String> = tools
        .iter()
        .flat_map(|s| text::tokens(s))
        .map(|t| t.norm)
        .collect();
    // Naming what the question already named is not evidence.
    let question_lower = question.text.to_lowercase();
    f.tools = tools
        .iter()
        .filter(|t| !question_lower.contains(&t.to_lowercase()))
        .count();
    let q_stems: HashSet<String> = text::tokens(&question.text)
        .into_iter()
        .map(|t| t.stem)
        .collect();

    let mut distinct = HashSet::new();
    let mut numbers = HashSet::new();
    let mut proper = HashSet::new();
    let mut stops = 0;
    let mut wordlikes = 0;
    for (i, t) in toks.iter().enumerate() {
        distinct.insert(t.norm.as_str());
        if text::is_stopword(&t.norm) {
            stops += 1;
        } else if t.has_letter() {
            f.content += 1;
            f.stems.insert(t.stem.clone());
            if VOCABULARY.contains_key(&t.stem) {
                f.domain += 1;
            }
        }
        if wordlike(t) {
            wordlikes += 1;
        }
        if t.has_digit() {
            numbers.insert(t.norm.as_str());
        }
        if t.capital
            && !opens.get(i).copied().unwrap_or(true)
            && t.norm != "i"
            && !t.norm.starts_with("i'")
            && !text::is_stopword(&t.norm)
            && !tool_words.contains(&t.norm)
        {
            proper.insert(t.norm.as_str());
        }
    }
    // Domain words are counted once each: naming "cache" ten times is not depth.
    // Domain words are counted once each (naming "cache" ten times is not depth),
    // and only beyond the question's own words (echoing them is not either).
    f.domain = toks
        .iter()
        .filter(|t| {
            !text::is_stopword(&t.norm)
                && VOCABULARY.contains_key(&t.stem)
                && !q_stems.contains(&t.stem)
        })
        .map(|t| t.stem.as_str())
        .collect::<HashSet<_>>()
        .len();
    f.numbers = numbers.len() + answer.matches('%').count().min(3) + NUMBER_WORDS.count(&toks);
    f.proper_nouns = proper.len();
    f.unique_ratio = distinct.len() as f32 / toks.len() as f32;
    f.stop_ratio = stops as f32 / toks.len() as f32;
    f.wordlike_ratio = wordlikes as f32 / toks.len() as f32;
    f.avg_sentence = toks.len() as f32 / f.sentences.max(1) as f32;
    f.examples = EXAMPLE.count(&toks);
    f.results = RESULT.count(&toks);
    f.explain = EXPLAIN.count(&toks);
    f.tradeoff = TRADEOFF.count(&toks);
    f.reflect = REFLECT.count(&toks);
    f.organize = ORGANIZE.count(&toks);
    // "like" is a filler only when set off by commas ("it's, like, slow").
    let lower = answer.to_lowercase();
    f.fillers =
        FILLER.count(&toks) + lower.matches(", like,").count() + lower.matches(" like, ").count();
    f.vague = VAGUE.count(&toks);
    f.hypothetical = HYPOTHETICAL.count(&toks);
    f.team_refs = TEAM.count(&toks);
    f.hedges = HEDGE.count(&toks);
    f.blocks = answer
        .split("\n\n")
        .filter(|b| !b.trim().is_empty())
        .count()
        .max(
            answer
                .lines()
                .filter(|l| {
                    let l = l.trim_start();
                    l.starts_with('-') || l.starts_with('*') || l.starts_with('•')
                })
                .count(),
        );

    // "I <verb>" within two words: the candidate's own actions.
    for (i, t) in toks.iter().enumerate() {
        // "I would first list..." describes a plan, not something done.
        let modal = toks.get(i + 1).is_some_and(|n| {
            matches!(
                n.norm.as_str(),
                "would" | "will" | "could" | "should" | "might" | "can" | "usually" | "always"
            )
        });
        if (t.norm == "i" || t.norm == "i've") && !modal {
            let acted = toks.iter().skip(i + 1).take(2).any(|n| {
                ACTION_VERBS.contains(n.norm.as_str())
                    || (n.norm.ends_with("ed") && n.norm.len() > 4)
            });
            if acted {
                f.actions += 1;
            }
        }
    }
    let situation = SITUATION.positions(&toks);
    let result = RESULT.positions(&toks);
    let has_year = toks.iter().any(|t| {
        t.norm.len() == 4
            && t.norm
                .parse::<u32>()
                .is_ok_and(|y| (1990..=2039).contains(&y))
    });
    f.star = StarBreakdown {
        situation: !situation.is_empty() || has_year,
        task: TASK.count(&toks) > 0,
        action: f.actions > 0,
        result: !result.is_empty() || (answer.contains('%') && f.actions > 0),
    };
    f.star_in_order = match (situation.first(), result.last()) {
        (Some(s), Some(r)) => s < r,
        _ => false,
    };
    f.misconceptions = misconceptions(answer, &sents);
    let checked: Vec<&Token> = toks
        .iter()
        .filter(|t| !t.capital && t.norm.len() >= 3 && t.norm.chars().all(char::is_alphabetic))
        .collect();
    let unknown = checked
        .iter()
        .filter(|t| !rehearse_embed::looks_like_word(&t.norm))
        .count();
    f.unknown_ratio = unknown as f32 / checked.len().max(1) as f32;
    f.repeats = toks.windows(2).filter(|w| w[0].norm == w[1].norm).count();
    f.self_refs = toks
        .iter()
        .filter(|t| {
            matches!(
                t.norm.as_str(),
                "i" | "i'm" | "i've" | "i'd" | "i'll" | "my" | "me" | "mine" | "myself"
            )
        })
        .count();
    f.cliches = CLICHE.count(&toks);
    f.evasive = EVASIVE.count(&toks);
    f.disparaging = DISPARAGING.count(&toks);
    f.mercenary = MERCENARY.count(&toks);
    f.questions = answer.matches('?').count();
    f.measures = toks
        .iter()
        .filter(|t| {
            (t.has_digit() && !is_year(&t.norm))
                || matches!(
                    t.norm.as_str(),
                    "two"
                        | "three"
                        | "four"
                        | "five"
                        | "six"
                        | "seven"
                        | "eight"
                        | "nine"
                        | "eleven"
                        | "twelve"
                        | "fifteen"
                        | "thirty"
                        | "forty"
                )
        })
        .count()
        + answer.matches('%').count()
        + NUMBER_WORDS.count(&toks);
    (f, toks, sents)
}

/// Words that turn a claim around ("Docker is *not* a virtual machine", "it's a
/// *myth* that...").
fn negates(word: &str) -> bool {
    word.ends_with("n't")
        || matches!(
            word,
            "not"
                | "never"
                | "no"
                | "cannot"
                | "unlike"
                | "myth"
                | "misconception"
                | "wrong"
                | "false"
                | "incorrect"
                | "neither"
                | "nor"
                | "instead"
                | "rather"
                | "whereas"
                | "contrary"
                | "mistakenly"
                | "untrue"
        )
}

/// Claims from the bank's list of misconceptions, stated without negation: the
/// pattern's parts in order within one sentence, and no negating word among them
/// or in the four words before.
pub(crate) fn misconceptions(answer: &str, sents: &[(usize, usize)]) -> Vec<(String, String)> {
    let list = bank::bank().misconceptions;
    let mut found = Vec::new();
    for &(a, b) in sents {
        let Some(sentence) = answer.get(a..b) else {
            continue;
        };
        let words: Vec<String> = text::tokens(sentence).into_iter().map(|t| t.norm).collect();
        for m in list {
            let mut at = 0;
            let mut first = None;
            let mut in_pattern = vec![false; words.len()];
            let matched = m.parts.iter().all(|part| {
                let part: Vec<&str> = part.split(' ').collect();
                let hit = (at..words.len()).find(|&i| {
                    part.iter()
                        .enumerate()
                        .all(|(k, p)| words.get(i + k).is_some_and(|w| w == p))
                });
                match hit {
                    Some(i) => {
                        first.get_or_insert(i);
                        for flag in in_pattern.iter_mut().skip(i).take(part.len()) {
                            *flag = true;
                        }
                        at = i + part.len();
                        true
                    }
                    None => false,
                }
            });
            let Some(first) = first.filter(|_| matched) else {
                continue;
            };
            let negated = (first.saturating_sub(4)..at).any(|i| {
                !in_pattern.get(i).copied().unwrap_or(false)
                    && words.get(i).is_some_and(|w| negates(w))
            });
            if !negated && !found.iter().any(|(_, c)| c == m.correction) {
                found.push((clean_quote(sentence, 12), m.correction.to_owned()));
            }
        }
    }
    found
}

/// How much of the question's subject the answer addresses: keyword groups hit
/// and question words reused.
pub(crate) fn coverage(question: &Question, stems: &HashSet<String>) -> (f32, Vec<String>) {
    let mut hits = 0.0;
    let mut missing = Vec::new();
    for k in &question.keywords {
        let ks: Vec<String> = text::tokens(k)
            .into_iter()
            .filter(|t| !text::is_stopword(&t.norm))
            .map(|t| t.stem)
            .collect();
        if ks.is_empty() {
            continue;
        }
        // "database load" is not hit by "load" alone: two-word terms need both
        // words, longer ones two thirds of them.
        let present = ks.iter().filter(|s| stems.contains(*s)).count();
        if present * 3 >= ks.len() * 2 {
            hits += 1.0;
        } else {
            missing.push(k.clone());
        }
    }
    let q_stems: HashSet<String> = text::tokens(&question.text)
        .into_iter()
        .filter(|t| !text::is_stopword(&t.norm) && t.has_letter())
        .map(|t| t.stem)
        .filter(|s| !QUESTION_NOISE.contains(s))
        .collect();
    let q_hits = q_stems.iter().filter(|s| stems.contains(*s)).count() as f32;
    (hits + 0.5 * q_hits.min(4.0), missing)
}

/// The parts of a multi-part question ("How would you X, and how do you Y?")
/// that the answer does not touch: none of the part's own words appear in it.
pub(crate) fn unanswered_parts(question: &Question, stems: &HashSet<String>) -> Vec<String> {
    // Introductions, closings and follow-ups are conversational prompts, not
    // lists of sub-questions.
    if matches!(
        question.category,
        Category::Introduction | Category::Closing | Category::FollowUp
    ) {
        return Vec::new();
    }
    let marked = question.text.replace('?', "?|").replace(". ", ".|");
    let mut parts: Vec<String> = Vec::new();
    for sentence in marked.split('|').filter(|s| s.trim().ends_with('?')) {
        let mut rest = sentence.to_owned();
        for joint in [
            ", and how ",
            ", and what ",
            ", and which ",
            ", and why ",
            ", and when ",
            ", and where ",
            ", and who ",
            " and how ",
            " and what ",
            " and which ",
            " and why ",
        ] {
            rest = rest.replace(joint, "|");
        }
        parts.extend(
            rest.split('|')
                .filter(|p| !p.trim().is_empty())
                .map(str::to_owned),
        );
    }
    if parts.len() < 2 {
        return Vec::new();
    }
    parts
        .into_iter()
        .filter(|p| {
            let own: Vec<String> = text::tokens(p)
                .into_iter()
                .filter(|t| !text::is_stopword(&t.norm) && t.has_letter())
                .map(|t| t.stem)
                .filter(|s| !QUESTION_NOISE.contains(s))
                .collect();
            own.len() >= 2 && !own.iter().any(|s| stems.contains(s))
        })
        .map(|p| p.trim().trim_end_matches(['?', '.']).to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vocabulary build.rs compiled in is the bank's as it reads now.
    #[test]
    fn the_compiled_vocabulary_is_the_banks() {
        let (b, _) = crate::bank_source::parse(crate::bank_source::SOURCE);
        let want = crate::bank_source::vocabulary(&b);
        assert!(want.len() > 500, "{}", want.len());
        assert_eq!(VOCABULARY.len(), want.len());
        assert!(want.iter().all(|w| VOCABULARY.contains_key(w)));
    }

    #[test]
    fn negated_or_correct_statements_are_not_misconceptions() {
        let text = "Docker is not a virtual machine. Unlike a virtual machine, a container \
                    shares the kernel. POST is not idempotent, while PUT is idempotent.";
        let sents = text::sentences(text);
        assert!(misconceptions(text, &sents).is_empty());
        let wrong = "Honestly, POST is idempotent and JWTs are encrypted.";
        let sents = text::sentences(wrong);
        assert_eq!(misconceptions(wrong, &sents).len(), 2);
    }

    #[test]
    fn multi_part_questions_report_the_part_left_out() {
        let q = Question {
            id: "q1".into(),
            number: 1,
            text: "How would you shard the orders table, and how would you migrate the existing \
                   data?"
                .into(),
            category: Category::Technical,
            difficulty: crate::model::Difficulty::Hard,
            topic: "sharding".into(),
            follow_up_of: None,
            expects_star: false,
            keywords: vec![],
        };
        let stems =
            |s: &str| -> HashSet<String> { text::tokens(s).into_iter().map(|t| t.stem).collect() };
        let first_only = unanswered_parts(
            &q,
            &stems("I would shard orders by customer id with consistent hashing."),
        );
        assert_eq!(first_only.len(), 1);
        assert!(first_only[0].contains("migrate"));
        let both = stems("Shard by customer id, then migrate the existing rows with a backfill.");
        assert!(unanswered_parts(&q, &both).is_empty());
    }
}
