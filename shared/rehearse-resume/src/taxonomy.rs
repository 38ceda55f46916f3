//! The curated skills taxonomy (`data/skills.tsv`) and matching against it.
//!
//! Two ways in: [`Taxonomy::canonical`] for one item of a skills section, where
//! every known name counts, and [`Taxonomy::find_in_text`] for prose, where names
//! that are also ordinary words (`Go`, `Spark`, `Excel`) are held back as the
//! table's flags say. The table is read at build time (`build.rs`, with
//! `taxonomy_table.rs`) into a perfect-hash map compiled into the binary, so a
//! cold start builds nothing; a malformed line is skipped there and reported by
//! the unit tests, so a bad edit fails CI.

use std::fmt;

use rehearse_strmap::StrMap;

use crate::taxonomy_atoms::{Atom, Kind, atoms, key_of, push_atom};

/// The skills taxonomy, compiled in.
pub struct Taxonomy {
    /// Canonical names, indexed by skill number.
    skills: &'static [&'static str],
    /// Each skill's category (`database`, `cloud`, `soft`...), by skill number.
    categories: &'static [&'static str],
    /// Every name and every atom-prefix of a name, by its match key.
    names: &'static StrMap<Slot>,
    /// Atoms in the longest name: no match can be longer.
    longest: usize,
}

/// Plain numbers, no pointers (see rehearse-strmap): the map has ~5,000 of them.
#[derive(Debug, Clone, Copy)]
struct Slot {
    /// The skill whose name has exactly this key.
    skill: Option<u32>,
    /// How each name with this key may match in prose: `PROSE[prose.0..prose.1]`.
    prose: (u32, u32),
    /// A longer name starts with this key, so a scan must keep extending.
    extends: bool,
}

#[derive(Debug, Clone, Copy)]
enum Prose {
    AnyCase,
    /// Only with this capitalisation (whitespace and hyphens normalised):
    /// `SURFACES[.0...1]`.
    Exact(u32, u32),
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

// `SKILLS`, `SKILL_CATEGORIES`, `NAMES`, `PROSE`, `SURFACES` and `LONGEST`,
// written by build.rs.
include!(concat!(env!("OUT_DIR"), "/taxonomy_snapshot.rs"));

static TAXONOMY: Taxonomy = Taxonomy {
    skills: SKILLS,
    categories: SKILL_CATEGORIES,
    names: &NAMES,
    longest: LONGEST,
};

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
                    if let Some(skill) = slot.skill.map(|s| s as usize)
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
        let skill = self.names.get(&key)?.skill? as usize;
        (skill < self.skills.len()).then_some(skill)
    }
}

impl Slot {
    fn prose(&self) -> &'static [Prose] {
        PROSE
            .get(self.prose.0 as usize..self.prose.1 as usize)
            .unwrap_or_default()
    }

    fn allows(&self, span: &[Atom<'_>], surface: &mut String) -> bool {
        let mut built = false;
        self.prose().iter().any(|prose| match *prose {
            Prose::AnyCase => true,
            Prose::Never => false,
            Prose::Exact(start, end) => {
                let exact = SURFACES
                    .get(start as usize..end as usize)
                    .unwrap_or_default();
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
    use crate::taxonomy_table::{Flags, SOURCE, TableProse, parse};

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

    /// The map build.rs compiled in is the table as the parser reads it now.
    #[test]
    fn the_compiled_map_is_the_table() {
        let (table, _) = parse(SOURCE);
        assert_eq!(t().skills, table.skills.as_slice());
        assert_eq!(t().categories, table.categories.as_slice());
        assert_eq!(t().longest, table.longest);
        assert_eq!(t().names.len(), table.names.len());
        for (key, want) in &table.names {
            let got = t()
                .names
                .get(key.as_str())
                .unwrap_or_else(|| panic!("{key:?} missing"));
            let prose: Vec<TableProse> = got
                .prose()
                .iter()
                .map(|p| match *p {
                    Prose::AnyCase => TableProse::AnyCase,
                    Prose::Never => TableProse::Never,
                    Prose::Exact(a, b) => {
                        TableProse::Exact(SURFACES[a as usize..b as usize].to_owned())
                    }
                })
                .collect();
            assert_eq!(
                (got.skill.map(|s| s as usize), prose, got.extends),
                (want.skill, want.prose.clone(), want.extends),
                "{key:?}"
            );
        }
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
        for skill in t().skills {
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
