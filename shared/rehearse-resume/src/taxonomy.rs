//! The curated skills taxonomy (`data/skills.tsv`) and matching against it.
//!
//! Two ways in: [`Taxonomy::canonical`] for one item of a skills section, where
//! every known name counts, and [`Taxonomy::find_in_text`] for prose, where names
//! that are also ordinary words (`Go`, `Spark`, `Excel`) are held back as the
//! table's flags say. The table is compiled in and parsed once per process; a
//! malformed line is skipped at run time and reported by the unit tests, so a bad
//! edit fails CI instead of a Lambda cold start.

use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

const SOURCE: &str = include_str!("../data/skills.tsv");

/// The categories a line of the table may name.
const CATEGORIES: &[&str] = &[
    "language",
    "framework",
    "library",
    "database",
    "cloud",
    "devops",
    "tool",
    "data",
    "ml",
    "mobile",
    "testing",
    "security",
    "methodology",
    "design",
    "soft",
    "business",
    "os",
    "protocol",
    "spoken",
    "other",
];

/// The skills taxonomy, loaded once.
pub struct Taxonomy {
    /// Canonical names, indexed by skill number.
    skills: Vec<&'static str>,
    /// Each skill's category (`database`, `cloud`, `soft`...), by skill number.
    categories: Vec<&'static str>,
    /// Every name and every atom-prefix of a name, by its match key.
    names: HashMap<String, Slot>,
    /// Atoms in the longest name: no match can be longer.
    longest: usize,
}

#[derive(Default)]
struct Slot {
    /// The skill whose name has exactly this key.
    skill: Option<usize>,
    /// How each name with this key may match in prose.
    prose: Vec<Prose>,
    /// A longer name starts with this key, so a scan must keep extending.
    extends: bool,
}

enum Prose {
    AnyCase,
    /// Only with this capitalisation (whitespace and hyphens normalised).
    Exact(String),
    /// Only in a skills section.
    Never,
}

impl fmt::Debug for Taxonomy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Taxonomy")
            .field("skills", &self.skills.len())
            .field("names", &self.names.len())
            .finish_non_exhaustive()
    }
}

static TAXONOMY: LazyLock<Taxonomy> = LazyLock::new(|| parse(SOURCE).0);

/// The process-wide taxonomy.
pub fn taxonomy() -> &'static Taxonomy {
    &TAXONOMY
}

impl Taxonomy {
    /// The canonical name of a skill as listed in a skills section
    /// (`"JS"` → `"JavaScript"`, `"k8s"` → `"Kubernetes"`), if known.
    ///
    /// Case, spacing and hyphens do not matter; bullets and separators around the
    /// name, a trailing `(advanced)` and a trailing version (`Java 17`) are ignored.
    pub fn canonical(&self, name: &str) -> Option<&'static str> {
        self.skills.get(self.canonical_index(name)?).copied()
    }

    /// The skill number of `canonical`'s answer.
    fn canonical_index(&self, name: &str) -> Option<usize> {
        let name = name.trim();
        if let Some(skill) = self.lookup(name) {
            return Some(skill);
        }
        let trimmed = trim_decoration(name);
        if let Some(skill) = self
            .lookup(trimmed)
            .or_else(|| self.lookup(trimmed.trim_end_matches('.')))
        {
            return Some(skill);
        }
        if trimmed.ends_with(')')
            && let Some(before) = trimmed.rfind('(').and_then(|open| trimmed.get(..open))
            && !before.trim().is_empty()
        {
            return self.canonical_index(before);
        }
        let (rest, last) = trimmed.rsplit_once(char::is_whitespace)?;
        if is_version(last) {
            self.lookup(rest)
        } else {
            None
        }
    }

    /// The skills mentioned in free text (a summary, a job description), in order
    /// of first mention, without duplicates. Ambiguous short aliases (`Go`, `R`, `C`)
    /// are not matched in prose.
    ///
    /// A name matches whole atoms only (`Java` never inside `JavaScript`, `C` never
    /// in `C++`), across any whitespace (`Machine` and `Learning` on two lines), and
    /// the longest name starting at a position wins (`React Native` over `React`).
    /// Links and e-mail addresses are skipped.
    pub fn find_in_text(&self, text: &str) -> Vec<&'static str> {
        let atoms = atoms(text, true);
        let mut found = Vec::new();
        let mut seen = vec![false; self.skills.len()];
        let mut key = String::new();
        let mut surface = String::new();
        let mut i = 0;
        while i < atoms.len() {
            let mut best = None;
            if starts_here(&atoms, i) {
                key.clear();
                for j in i..atoms.len().min(i + self.longest) {
                    let Some(atom) = atoms.get(j) else { break };
                    if atom.kind == Kind::Break {
                        break;
                    }
                    push_atom(&mut key, atom, j == i, true);
                    let Some(slot) = self.names.get(key.as_str()) else {
                        break;
                    };
                    if let Some(skill) = slot.skill
                        && ends_here(&atoms, j)
                        && slot.allows(atoms.get(i..=j).unwrap_or_default(), &mut surface)
                    {
                        best = Some((j + 1, skill));
                    }
                    if !slot.extends {
                        break;
                    }
                }
            }
            match best {
                Some((end, skill)) => {
                    if let Some(seen) = seen.get_mut(skill)
                        && !*seen
                    {
                        *seen = true;
                        found.extend(self.skills.get(skill));
                    }
                    i = end;
                }
                None => i += 1,
            }
        }
        found
    }

    /// The category of a skill (`language`, `database`, `cloud`, `soft`...), by any
    /// of its names.
    pub fn category(&self, name: &str) -> Option<&'static str> {
        self.categories.get(self.canonical_index(name)?).copied()
    }

    /// The canonical name of a skill and its category, by any of its names: one
    /// lookup where `canonical` then `category` would make two.
    pub fn canonical_and_category(&self, name: &str) -> Option<(&'static str, &'static str)> {
        let index = self.canonical_index(name)?;
        Some((*self.skills.get(index)?, *self.categories.get(index)?))
    }

    /// Number of canonical skills.
    pub fn len(&self) -> usize {
        self.skills.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lookup(&self, name: &str) -> Option<usize> {
        let key = key_of(name)?;
        let skill = self.names.get(&key)?.skill?;
        (skill < self.skills.len()).then_some(skill)
    }
}

impl Slot {
    fn allows(&self, span: &[Atom<'_>], surface: &mut String) -> bool {
        let mut built = false;
        self.prose.iter().any(|prose| match prose {
            Prose::AnyCase => true,
            Prose::Never => false,
            Prose::Exact(exact) => {
                if !built {
                    surface.clear();
                    for (n, atom) in span.iter().enumerate() {
                        push_atom(surface, atom, n == 0, false);
                    }
                    built = true;
                }
                surface == exact
            }
        })
    }
}

/// Parse the table, with a description of every line that is malformed or
/// contradicts another (the unit tests require none).
fn parse(source: &'static str) -> (Taxonomy, Vec<String>) {
    let mut taxonomy = Taxonomy {
        skills: Vec::new(),
        categories: Vec::new(),
        names: HashMap::new(),
        longest: 0,
    };
    let mut problems = Vec::new();
    for (n, line) in source.lines().enumerate() {
        let line_no = n + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let columns: Vec<&'static str> = line.split('\t').map(str::trim).collect();
        let [canonical, category, rest @ ..] = columns.as_slice() else {
            problems.push(format!("line {line_no}: expected at least two columns"));
            continue;
        };
        if rest.len() > 2 {
            problems.push(format!("line {line_no}: more than four columns"));
            continue;
        }
        if canonical.is_empty() {
            problems.push(format!("line {line_no}: empty canonical name"));
            continue;
        }
        if !CATEGORIES.contains(category) {
            problems.push(format!("line {line_no}: unknown category {category:?}"));
        }
        let mut names = vec![*canonical];
        if let Some(aliases) = rest.first() {
            names.extend(aliases.split('|').map(str::trim).filter(|a| !a.is_empty()));
        }
        let flags =
            Flags::parse(rest.get(1).copied().unwrap_or(""), &names).unwrap_or_else(|problem| {
                problems.push(format!("line {line_no}: {problem}"));
                Flags::default()
            });

        let skill = taxonomy.skills.len();
        taxonomy.skills.push(*canonical);
        taxonomy.categories.push(*category);
        for name in names {
            let name_atoms = atoms(name, false);
            if name_atoms.is_empty() {
                problems.push(format!("line {line_no}: {name:?} has nothing to match"));
                continue;
            }
            taxonomy.longest = taxonomy.longest.max(name_atoms.len());
            let mut key = String::new();
            for (k, atom) in name_atoms.iter().enumerate() {
                push_atom(&mut key, atom, k == 0, true);
                if k + 1 < name_atoms.len() {
                    taxonomy.names.entry(key.clone()).or_default().extends = true;
                }
            }
            let slot = taxonomy.names.entry(key).or_default();
            match slot.skill {
                None => slot.skill = Some(skill),
                Some(other) if other != skill => {
                    let other = taxonomy.skills.get(other).copied().unwrap_or_default();
                    problems.push(format!(
                        "line {line_no}: {name:?} of {canonical:?} is already a name of {other:?}"
                    ));
                    continue;
                }
                Some(_) => {}
            }
            slot.prose.push(flags.prose(name, &name_atoms));
        }
    }
    (taxonomy, problems)
}

/// The fourth column: which names are `strict`, `cased` or `nocase`.
#[derive(Default)]
struct Flags {
    strict: Scope,
    cased: Scope,
    nocase: Scope,
}

#[derive(Default)]
enum Scope {
    #[default]
    Nothing,
    All,
    Only(Vec<&'static str>),
}

impl Scope {
    fn covers(&self, name: &str) -> bool {
        match self {
            Scope::Nothing => false,
            Scope::All => true,
            Scope::Only(names) => names.contains(&name),
        }
    }
}

impl Flags {
    fn parse(column: &'static str, names: &[&'static str]) -> Result<Self, String> {
        let mut flags = Flags::default();
        for flag in column.split(';').map(str::trim).filter(|f| !f.is_empty()) {
            let (kind, scope) = match flag.split_once('=') {
                None => (flag, Scope::All),
                Some((kind, listed)) => {
                    let listed: Vec<&'static str> = listed.split('|').map(str::trim).collect();
                    if let Some(stray) = listed.iter().find(|l| !names.contains(l)) {
                        return Err(format!(
                            "flag {kind} names {stray:?}, not a name of this line"
                        ));
                    }
                    (kind.trim(), Scope::Only(listed))
                }
            };
            let target = match kind {
                "strict" => &mut flags.strict,
                "cased" => &mut flags.cased,
                "nocase" => &mut flags.nocase,
                _ => return Err(format!("unknown flag {kind:?}")),
            };
            if !matches!(target, Scope::Nothing) {
                return Err(format!("flag {kind} given twice"));
            }
            *target = scope;
        }
        Ok(flags)
    }

    fn prose(&self, name: &str, name_atoms: &[Atom<'_>]) -> Prose {
        if self.strict.covers(name) {
            return Prose::Never;
        }
        if self.nocase.covers(name) {
            return Prose::AnyCase;
        }
        // Written in capitals means an acronym: "ML" the skill, not "ml" the unit.
        let acronym = name.chars().any(char::is_uppercase) && !name.chars().any(char::is_lowercase);
        if acronym || self.cased.covers(name) {
            let mut surface = String::new();
            for (n, atom) in name_atoms.iter().enumerate() {
                push_atom(&mut surface, atom, n == 0, false);
            }
            Prose::Exact(surface)
        } else {
            Prose::AnyCase
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    /// A maximal run of letters, digits and `_`.
    Word,
    /// One punctuation or symbol character (or one CJK character).
    Mark,
    /// Where a link or e-mail address was: nothing matches across it.
    Break,
}

#[derive(Clone, Copy, Debug)]
struct Atom<'a> {
    text: &'a str,
    kind: Kind,
    /// Whitespace or a hyphen comes before it: `Spring-Boot` is `Spring Boot`.
    spaced: bool,
}

/// Split text into atoms. Names and text go through the same function, so a
/// name matches exactly the texts whose atoms spell it.
fn atoms(text: &str, skip_links: bool) -> Vec<Atom<'_>> {
    let mut out = Vec::with_capacity(text.len() / 4);
    for chunk in text.split(char::is_whitespace).filter(|c| !c.is_empty()) {
        if skip_links && is_link(chunk) {
            out.push(Atom {
                text: "",
                kind: Kind::Break,
                spaced: true,
            });
            continue;
        }
        let mut spaced = true;
        let mut word_start = None;
        for (at, c) in chunk.char_indices() {
            if is_word_char(c) {
                word_start.get_or_insert(at);
                continue;
            }
            if let Some(start) = word_start.take() {
                out.push(Atom {
                    text: chunk.get(start..at).unwrap_or_default(),
                    kind: Kind::Word,
                    spaced,
                });
                spaced = false;
            }
            if matches!(c, '-' | '\u{2010}' | '\u{2011}') {
                spaced = true;
            } else {
                out.push(Atom {
                    text: chunk.get(at..at + c.len_utf8()).unwrap_or_default(),
                    kind: Kind::Mark,
                    spaced,
                });
                spaced = false;
            }
        }
        if let Some(start) = word_start {
            out.push(Atom {
                text: chunk.get(start..).unwrap_or_default(),
                kind: Kind::Word,
                spaced,
            });
        }
    }
    out
}

fn is_word_char(c: char) -> bool {
    // A soft hyphen is invisible: "Kuber\u{AD}netes" is one word.
    c == '_' || c == '\u{AD}' || (c.is_alphanumeric() && !is_cjk(c))
}

/// Chinese, Japanese and Korean text has no spaces between words, so each such
/// character is its own atom and `熟悉Python` still mentions Python.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11FF}'
        | '\u{2E80}'..='\u{9FFF}'
        | '\u{A960}'..='\u{A97F}'
        | '\u{AC00}'..='\u{D7AF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF00}'..='\u{FFEF}'
        | '\u{20000}'..='\u{2FA1F}')
}

/// A URL or e-mail address: `github.com/ada/react-app` mentions neither GitHub
/// nor React as a skill. A bare `Monday.com` is a product name, not a link.
fn is_link(chunk: &str) -> bool {
    // Every test below needs an `@`, a `/` or a leading `www.`: most words have none.
    if !chunk.contains(['@', '/'])
        && !chunk
            .get(..4)
            .is_some_and(|head| head.eq_ignore_ascii_case("www."))
    {
        return false;
    }
    let lower = chunk.to_ascii_lowercase();
    lower.contains('@')
        || lower.contains("://")
        || lower.starts_with("www.")
        || [
            ".com/", ".org/", ".net/", ".io/", ".dev/", ".me/", ".ai/", ".co/", ".edu/",
        ]
        .iter()
        .any(|tld| lower.contains(tld))
}

/// Append an atom to a key (lower-cased) or a surface (as written).
fn push_atom(out: &mut String, atom: &Atom<'_>, first: bool, lower: bool) {
    if !first && atom.spaced {
        out.push(' ');
    }
    for c in atom.text.chars().filter(|&c| c != '\u{AD}') {
        if !lower {
            out.push(c);
        } else if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

fn key_of(name: &str) -> Option<String> {
    let mut key = String::new();
    for (n, atom) in atoms(name, false).iter().enumerate() {
        push_atom(&mut key, atom, n == 0, true);
    }
    (!key.is_empty()).then_some(key)
}

/// Marks that join what is on either side into one token: `C` + `++`, `C` + `#`,
/// `ASP` + `.NET`, `R` + `&D`, a user name + `@`.
fn is_glue(mark: &str) -> bool {
    matches!(mark, "+" | "#" | "." | "@" | "&" | "$")
}

fn starts_here(atoms: &[Atom<'_>], i: usize) -> bool {
    let (Some(atom), Some(before)) = (atoms.get(i), i.checked_sub(1).and_then(|b| atoms.get(b)))
    else {
        return true;
    };
    atom.spaced
        || match before.kind {
            Kind::Break => true,
            Kind::Word => false,
            Kind::Mark => !is_glue(before.text),
        }
}

fn ends_here(atoms: &[Atom<'_>], j: usize) -> bool {
    let Some(next) = atoms.get(j + 1) else {
        return true;
    };
    if next.spaced {
        return true;
    }
    match next.kind {
        Kind::Break => true,
        Kind::Word => false,
        // A full stop ends a sentence ("... in Python."), but joins `Node` + `.js`.
        Kind::Mark if next.text == "." => atoms
            .get(j + 2)
            .is_none_or(|after| after.spaced || after.kind != Kind::Word),
        Kind::Mark => !is_glue(next.text),
    }
}

/// Bullets, commas, colons and quotes around a skills-section item; `+`, `#` and
/// `.` stay because they belong to names (`C++`, `C#`, `.NET`), and `)` stays when
/// it closes a qualifier (`Python (advanced)`) that the caller strips next.
fn trim_decoration(name: &str) -> &str {
    let name = name.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '.');
    let parenthesised = name.contains('(');
    name.trim_end_matches(|c: char| {
        let keep =
            c.is_alphanumeric() || matches!(c, '+' | '#' | '.') || (parenthesised && c == ')');
        !keep
    })
}

/// `3`, `3.10`, `v18`, `18.x`, `12+`: a version after a skill's name.
fn is_version(word: &str) -> bool {
    let digits = word.strip_prefix(['v', 'V']).unwrap_or(word);
    digits.starts_with(|c: char| c.is_ascii_digit())
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'x' | 'X' | '+'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t() -> &'static Taxonomy {
        taxonomy()
    }

    fn find(text: &str) -> Vec<&'static str> {
        t().find_in_text(text)
    }

    /// Every skill in the "skills" arrays of the public corpus ground truth
    /// (`shared/corpus/resumes/public/*.json`), with the canonical name it maps to.
    const GROUND_TRUTH: &[(&str, &str)] = &[
        // altacv-mmayer
        ("Hard-working", "Hard-working"),
        ("Persuasive", "Persuasive"),
        ("Motivator & Leader", "Motivator & Leader"),
        ("UX", "UX"),
        (
            "Mobile Devices & Applications",
            "Mobile Devices & Applications",
        ),
        (
            "Product Management & Marketing",
            "Product Management & Marketing",
        ),
        // awesome-cv-resume
        ("Kubernetes", "Kubernetes"),
        ("Terraform", "Terraform"),
        ("AWS", "AWS"),
        ("Kafka", "Kafka"),
        ("ArgoCD", "ArgoCD"),
        ("Kustomize", "Kustomize"),
        ("Docker", "Docker"),
        ("Grafana", "Grafana"),
        ("InfluxDB", "InfluxDB"),
        // billryan-resume-en, billryan-resume-zh
        ("C", "C"),
        ("Python", "Python"),
        ("C++", "C++"),
        ("Java", "Java"),
        ("Linux", "Linux"),
        ("Django", "Django"),
        ("Golang", "Go"),
        // openresume-laverne
        ("Windows", "Windows"),
        ("Mac OS", "macOS"),
        ("Microsoft Word", "Microsoft Word"),
        ("PowerPoint", "PowerPoint"),
        ("Excel", "Excel"),
        ("Spanish", "Spanish"),
        // openresume-sample
        ("HTML", "HTML"),
        ("CSS", "CSS"),
        ("TypeScript", "TypeScript"),
        ("React", "React"),
        ("GraphQL", "GraphQL"),
        ("Node.js", "Node.js"),
        ("Postgres", "PostgreSQL"),
        ("Redis", "Redis"),
        // rendercv-classic, rendercv-moderncv
        ("CUDA", "CUDA"),
        ("Rust", "Rust"),
        ("Julia", "Julia"),
        ("PyTorch", "PyTorch"),
        ("JAX", "JAX"),
        ("TensorFlow", "TensorFlow"),
        ("Ray", "Ray"),
        // resume-matcher-alfred-pennyworth
        ("Product management", "Product Management"),
        ("Agile methodologies", "Agile"),
        ("Leadership", "Leadership"),
        ("Market Research", "Market Research"),
        ("Data Analysis", "Data Analysis"),
        ("JavaScript", "JavaScript"),
        ("SQL", "SQL"),
        // resume-matcher-john-doe
        ("Spring Boot", "Spring Boot"),
        ("Hibernate", "Hibernate"),
        ("Angular", "Angular"),
        ("MySQL", "MySQL"),
        ("MongoDB", "MongoDB"),
        ("Mockito", "Mockito"),
        // resume-matcher-modern-two-column, resume-matcher-single-column
        ("Go", "Go"),
        ("PostgreSQL", "PostgreSQL"),
        ("Elasticsearch", "Elasticsearch"),
        ("gRPC", "gRPC"),
        // resume-matcher-word-john-smith
        ("Scikit-Learn", "scikit-learn"),
        ("Keras", "Keras"),
        ("Spark", "Spark"),
        ("Hadoop", "Hadoop"),
        ("Neo4j", "Neo4j"),
        ("Flask", "Flask"),
    ];

    #[test]
    fn table_parses_without_problems_or_conflicting_names() {
        let (_, problems) = parse(SOURCE);
        assert!(problems.is_empty(), "skills.tsv:\n{}", problems.join("\n"));
    }

    #[test]
    fn taxonomy_has_at_least_550_skills() {
        assert!(t().len() >= 550, "only {} skills", t().len());
        assert!(!t().is_empty());
    }

    #[test]
    fn every_ground_truth_skill_resolves() {
        for (listed, expected) in GROUND_TRUTH {
            assert_eq!(t().canonical(listed), Some(*expected), "{listed}");
        }
    }

    #[test]
    fn canonical_names_map_to_themselves() {
        for skill in &t().skills {
            assert_eq!(t().canonical(skill), Some(*skill));
        }
    }

    #[test]
    fn common_aliases_resolve() {
        let cases = [
            ("JS", "JavaScript"),
            ("js", "JavaScript"),
            ("TS", "TypeScript"),
            ("k8s", "Kubernetes"),
            ("K8s", "Kubernetes"),
            ("Postgres", "PostgreSQL"),
            ("psql", "PostgreSQL"),
            ("PostgresSQL", "PostgreSQL"),
            ("Node", "Node.js"),
            ("NodeJS", "Node.js"),
            ("node.js", "Node.js"),
            ("ReactJS", "React"),
            ("React.js", "React"),
            ("Golang", "Go"),
            ("GCP", "Google Cloud"),
            ("Google Cloud Platform", "Google Cloud"),
            ("Amazon Web Services", "AWS"),
            ("ML", "Machine Learning"),
            ("CI/CD", "CI/CD"),
            ("cpp", "C++"),
            ("csharp", "C#"),
            ("C#", "C#"),
            (".NET", ".NET"),
            ("dotnet", ".NET"),
            ("sklearn", "scikit-learn"),
            ("scikit learn", "scikit-learn"),
            ("Objective-C", "Objective-C"),
            ("ObjC", "Objective-C"),
            ("Spring Boot", "Spring Boot"),
            ("spring-boot", "Spring Boot"),
            ("NLP", "Natural Language Processing"),
            ("AI", "Artificial Intelligence"),
            ("Vue", "Vue.js"),
            ("MS SQL Server", "Microsoft SQL Server"),
            ("Apache Spark", "Spark"),
            ("RESTful APIs", "RESTful APIs"),
            ("REST", "RESTful APIs"),
        ];
        for (alias, expected) in cases {
            assert_eq!(t().canonical(alias), Some(expected), "{alias}");
        }
    }

    #[test]
    fn canonical_ignores_case_spacing_decoration_and_versions() {
        let cases = [
            ("  machine   learning ", "Machine Learning"),
            ("MACHINE LEARNING", "Machine Learning"),
            ("Python,", "Python"),
            ("• Python", "Python"),
            ("Python (advanced)", "Python"),
            ("JavaScript (ES6+)", "JavaScript"),
            ("C++;", "C++"),
            ("C#.", "C#"),
            ("Node.js.", "Node.js"),
            ("(.NET)", ".NET"),
            ("Java 17", "Java"),
            ("Python 3.10", "Python"),
            ("Angular 12+", "Angular"),
            ("Node v18.x", "Node.js"),
        ];
        for (listed, expected) in cases {
            assert_eq!(t().canonical(listed), Some(expected), "{listed:?}");
        }
        assert_eq!(t().canonical("Underwater basket weaving"), None);
        assert_eq!(t().canonical(""), None);
        assert_eq!(t().canonical(" , "), None);
        assert_eq!(t().canonical("2019"), None);
    }

    #[test]
    fn strict_names_resolve_in_a_skills_section() {
        for (name, expected) in [("Go", "Go"), ("R", "R"), ("C", "C"), ("Make", "Make")] {
            assert_eq!(t().canonical(name), Some(expected));
        }
    }

    #[test]
    fn java_does_not_match_inside_javascript() {
        assert_eq!(find("Built apps in JavaScript."), ["JavaScript"]);
        assert_eq!(find("Java and JavaScript"), ["Java", "JavaScript"]);
    }

    #[test]
    fn c_family_names_keep_their_symbols() {
        assert_eq!(find("Wrote C++ and C# services"), ["C++", "C#"]);
        assert_eq!(find("C#/.NET developer"), ["C#", ".NET"]);
        assert_eq!(
            find("services on ASP.NET Core and .NET 8"),
            ["ASP.NET Core", ".NET"]
        );
        assert_eq!(find("Objective-C and Swift"), ["Objective-C", "Swift"]);
        // Bare C is strict: never a skill in prose, not even next to C++.
        assert_eq!(find("Plan C, option C++"), ["C++"]);
    }

    #[test]
    fn strict_names_never_match_in_prose() {
        assert!(
            find("Ready to go to market; go-to-market plans.")
                .iter()
                .all(|s| *s != "Go")
        );
        assert_eq!(
            find("We Go fast. Make it work, R and D, Chef at the Puppet show"),
            [] as [&str; 0]
        );
        assert_eq!(find("Services written in Golang"), ["Go"]);
    }

    /// Each line of the table as (canonical name, all its names, flags).
    fn lines() -> Vec<(&'static str, Vec<&'static str>, Flags)> {
        let mut out = Vec::new();
        for line in SOURCE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let columns: Vec<&'static str> = line.split('\t').map(str::trim).collect();
            let canonical = columns[0];
            let mut names = vec![canonical];
            if let Some(aliases) = columns.get(2) {
                names.extend(aliases.split('|').map(str::trim).filter(|a| !a.is_empty()));
            }
            let flags = Flags::parse(columns.get(3).copied().unwrap_or(""), &names).unwrap();
            out.push((canonical, names, flags));
        }
        out
    }

    #[test]
    fn every_strict_name_is_ignored_in_prose() {
        for (canonical, names, flags) in lines() {
            for name in names.iter().filter(|n| flags.strict.covers(n)) {
                let text = format!("we use {name} daily");
                assert!(
                    !find(&text).contains(&canonical),
                    "{name:?} matched in prose"
                );
            }
        }
    }

    #[test]
    fn every_other_name_matches_in_prose_as_written() {
        for (canonical, names, flags) in lines() {
            for name in names.iter().filter(|n| !flags.strict.covers(n)) {
                let text = format!("we use {name}, daily");
                assert_eq!(find(&text), [canonical], "{text:?}");
            }
        }
    }

    #[test]
    fn acronyms_and_cased_names_match_only_as_written() {
        assert_eq!(find("ts files and ml units; js"), [] as [&str; 0]);
        assert_eq!(
            find("TS, ML and JS"),
            ["TypeScript", "Machine Learning", "JavaScript"]
        );
        assert_eq!(
            find("I excel at helping teams react to incidents"),
            [] as [&str; 0]
        );
        assert_eq!(find("Excel and React"), ["Excel", "React"]);
        assert_eq!(find("a spark of swift rust"), [] as [&str; 0]);
        assert_eq!(
            find("python, docker and kubernetes"),
            ["Python", "Docker", "Kubernetes"]
        );
        assert_eq!(find("wrote sql and html"), ["SQL", "HTML"]);
    }

    #[test]
    fn longest_name_wins() {
        assert_eq!(find("React Native apps"), ["React Native"]);
        assert_eq!(find("React.js and React"), ["React"]);
        assert_eq!(
            find("Spring Boot microservices"),
            ["Spring Boot", "Microservices"]
        );
        assert_eq!(find("Google Cloud Platform"), ["Google Cloud"]);
        assert_eq!(find("Microsoft SQL Server"), ["Microsoft SQL Server"]);
        assert_eq!(find("T-SQL and PL/SQL"), ["T-SQL", "PL/SQL"]);
    }

    #[test]
    fn multi_word_names_match_across_line_breaks_and_hyphens() {
        assert_eq!(
            find("experience in machine\nlearning"),
            ["Machine Learning"]
        );
        assert_eq!(find("Google\r\n  Cloud"), ["Google Cloud"]);
        assert_eq!(find("Spring-Boot"), ["Spring Boot"]);
        // A sentence boundary is not a space.
        assert_eq!(find("a machine. Learning"), [] as [&str; 0]);
    }

    #[test]
    fn results_keep_first_mention_order_without_duplicates() {
        assert_eq!(
            find("Kubernetes, Python and Go. Then Python again, k8s and Terraform."),
            ["Kubernetes", "Python", "Terraform"]
        );
    }

    #[test]
    fn punctuation_around_names_is_a_boundary() {
        assert_eq!(
            find("(Python), \"Django\"; Flask: Node.js. Python/Django/React"),
            ["Python", "Django", "Flask", "Node.js", "React"]
        );
        assert_eq!(
            find("React-based UI in TypeScript's strict mode"),
            ["React", "UI Design", "TypeScript"]
        );
        assert_eq!(find("ADOBE_PYTHON_SDK foo.js Node.jsx"), [] as [&str; 0]);
    }

    #[test]
    fn links_and_emails_are_not_mentions() {
        assert_eq!(
            find("ada@python.org github.com/ada/react-app https://docker.com"),
            [] as [&str; 0]
        );
        assert_eq!(find("Tracked work in Monday.com"), ["Monday.com"]);
    }

    #[test]
    fn cjk_text_without_spaces_still_mentions_skills() {
        assert_eq!(
            find("熟悉Python和Java，了解Golang"),
            ["Python", "Java", "Go"]
        );
    }

    #[test]
    fn soft_hyphens_are_invisible() {
        assert_eq!(find("Kuber\u{AD}netes"), ["Kubernetes"]);
    }

    #[test]
    fn empty_and_plain_text_find_nothing() {
        assert_eq!(find(""), [] as [&str; 0]);
        assert_eq!(find("   \n\t "), [] as [&str; 0]);
        assert_eq!(find("I like long walks on the beach."), [] as [&str; 0]);
    }
}

#[cfg(test)]
mod category_tests {
    use super::taxonomy;

    #[test]
    fn categories_by_any_name() {
        assert_eq!(taxonomy().category("Postgres"), Some("database"));
        assert_eq!(
            taxonomy().category("k8s"),
            taxonomy().category("Kubernetes")
        );
        assert!(taxonomy().category("Kubernetes").is_some());
        assert_eq!(taxonomy().category("not a skill at all"), None);
    }
}
