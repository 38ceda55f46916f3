//! `resume-quality`: parses every PDF of a corpus directory with
//! `rehearse_resume::parse_pdf`, compares each with its `.json` ground truth, and
//! reports per-field precision/recall/F1, per-file results and the median parse
//! time, next to pypdf's extraction time when given its measurements
//! (`bench/resume-quality.sh` runs both in one go).
//!
//! A measuring tool only: it depends on the parser crates and nothing of Lambda,
//! Postgres or S3, and every number it prints is measured in the run.

mod score;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::hint::black_box;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use rehearse_resume::{Limits, Resume};
use serde::{Deserialize, Serialize};

use score::{FieldScore, ListScore, Prf, SkillScore, Span};

const USAGE: &str = "\
usage: resume-quality [CORPUS_DIR] [--runs N] [--warmup N] [--pypdf PYPDF.json]
                      [--json OUT.json] [--details] [--check]
       resume-quality [CORPUS_DIR] --dump-text OUT_DIR

  CORPUS_DIR   directory of X.pdf + X.json (default ../shared/corpus/resumes/public)
  --runs N     timed parses per file; the median is reported (default 20)
  --warmup N   untimed parses per file first (default 2)
  --pypdf F    pypdf timings from bench/pypdf_extract.py, shown side by side
  --json F     also write every result as JSON to F
  --details    list each file's misses and wrong predictions
  --check      exit with status 1 when any bar fails
  --dump-text D  only write each PDF's extracted lines to D/X.txt in the notation of
               fuzz/fuzz_targets/parse_text.rs (seeds for that fuzz target)";

/// Bars from the issues: email and phone always right, every other field (accuracy
/// or F1) at least 0.95, and ten times pypdf's speed.
const BAR_EMAIL: f64 = 1.0;
const BAR_PHONE: f64 = 1.0;
const BAR_FIELD: f64 = 0.95;
const BAR_SPEEDUP: f64 = 10.0;

#[derive(Debug)]
struct Args {
    corpus: PathBuf,
    runs: usize,
    warmup: usize,
    pypdf: Option<PathBuf>,
    json: Option<PathBuf>,
    details: bool,
    check: bool,
    dump_text: Option<PathBuf>,
}

fn parse_args() -> Result<Args> {
    let mut args = Args {
        corpus: PathBuf::from("../shared/corpus/resumes/public"),
        runs: 20,
        warmup: 2,
        pypdf: None,
        json: None,
        details: false,
        check: false,
        dump_text: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .with_context(|| format!("{name} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--runs" => args.runs = value("--runs")?.parse().context("--runs")?,
            "--warmup" => args.warmup = value("--warmup")?.parse().context("--warmup")?,
            "--pypdf" => args.pypdf = Some(value("--pypdf")?.into()),
            "--json" => args.json = Some(value("--json")?.into()),
            "--details" => args.details = true,
            "--check" => args.check = true,
            "--dump-text" => args.dump_text = Some(value("--dump-text")?.into()),
            "-h" | "--help" => bail!("{USAGE}"),
            s if s.starts_with('-') => bail!("unknown option {s}\n{USAGE}"),
            s => args.corpus = PathBuf::from(s),
        }
    }
    if args.runs == 0 {
        bail!("--runs must be at least 1");
    }
    Ok(args)
}

/// The ground truth file's fields that are scored. The lists that only some truth
/// files carry (job locations, languages, certifications, projects) are scored only
/// where present.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Truth {
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    location: Option<String>,
    links: Vec<String>,
    skills: Vec<String>,
    experience: Vec<TruthJob>,
    education: Vec<TruthSchool>,
    languages: Option<Vec<String>>,
    certifications: Option<Vec<String>>,
    projects: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TruthJob {
    title: Option<String>,
    company: Option<String>,
    location: Option<String>,
    start: Option<String>,
    end: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TruthSchool {
    institution: Option<String>,
    degree: Option<String>,
    end: Option<String>,
}

impl Truth {
    /// Values of the truth that are not skills, as normalised text.
    fn not_skills(&self) -> BTreeSet<String> {
        let jobs = self
            .experience
            .iter()
            .flat_map(|j| [&j.title, &j.company, &j.location]);
        let schools = self
            .education
            .iter()
            .flat_map(|s| [&s.institution, &s.degree]);
        let lists = [&self.languages, &self.certifications, &self.projects]
            .into_iter()
            .flatten()
            .flatten();
        [&self.name, &self.location]
            .into_iter()
            .chain(jobs)
            .chain(schools)
            .flatten()
            .chain(lists)
            .map(|s| score::norm_text(s))
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// A spoken language the truth lists among skills is expected in languages
    /// (the parser keeps skills for skills).
    fn move_spoken_languages(&mut self) {
        let taxonomy = rehearse_resume::taxonomy::taxonomy();
        let (spoken, skills): (Vec<String>, Vec<String>) = std::mem::take(&mut self.skills)
            .into_iter()
            .partition(|s| taxonomy.category(s) == Some("spoken"));
        self.skills = skills;
        if !spoken.is_empty() {
            let languages = self.languages.get_or_insert_with(Vec::new);
            for l in spoken {
                if !languages.iter().any(|x| x.eq_ignore_ascii_case(&l)) {
                    languages.push(l);
                }
            }
        }
    }
}

/// What bench/pypdf_extract.py prints.
#[derive(Debug, Deserialize)]
struct PypdfReport {
    pypdf_version: String,
    python: String,
    runs: usize,
    files: BTreeMap<String, PypdfFile>,
}

#[derive(Debug, Deserialize)]
struct PypdfFile {
    median_ms: Option<f64>,
    error: Option<String>,
}

#[derive(Debug, Serialize)]
struct FileResult {
    file: String,
    /// The parser's error, when it rejected the file.
    error: Option<String>,
    /// Median of `parse_pdf` (extraction + structure), milliseconds.
    parse_ms: f64,
    /// Median of `rehearse_pdf::extract` alone, milliseconds.
    extract_ms: f64,
    pypdf_ms: Option<f64>,
    pypdf_error: Option<String>,
    /// Whether a `.json` ground truth exists (nothing below is scored without it).
    has_truth: bool,
    name: Option<FieldScore>,
    email: Option<FieldScore>,
    phone: Option<FieldScore>,
    location: Option<FieldScore>,
    links: Option<ListScore>,
    skills: Option<SkillScore>,
    titles: Option<ListScore>,
    companies: Option<ListScore>,
    places: Option<ListScore>,
    dates: Option<ListScore>,
    institutions: Option<ListScore>,
    degrees: Option<ListScore>,
    languages: Option<ListScore>,
    certifications: Option<ListScore>,
    projects: Option<ListScore>,
}

/// Median (the mean of the middle two for an even count); 0 for none.
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let mid = |i: usize| values.get(i).copied().unwrap_or(0.0);
    match n {
        0 => 0.0,
        n if n % 2 == 1 => mid(n / 2),
        n => (mid(n / 2 - 1) + mid(n / 2)) / 2.0,
    }
}

/// Median wall time of `f` in milliseconds over `runs` calls after `warmup` calls.
fn time_ms<T>(runs: usize, warmup: usize, mut f: impl FnMut() -> T) -> f64 {
    for _ in 0..warmup {
        black_box(f());
    }
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    median(&mut times)
}

fn evaluate(pdf: &Path, args: &Args, pypdf: Option<&PypdfReport>) -> Result<FileResult> {
    let file = pdf
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = std::fs::read(pdf).with_context(|| format!("reading {}", pdf.display()))?;
    let limits = Limits::default();

    let parsed = rehearse_resume::parse_pdf(&bytes, &limits);
    let parse_ms = time_ms(args.runs, args.warmup, || {
        rehearse_resume::parse_pdf(black_box(&bytes), &limits)
    });
    let extract_ms = time_ms(args.runs, args.warmup, || {
        rehearse_pdf::extract(black_box(&bytes), &limits)
    });
    let page_text = rehearse_pdf::extract(&bytes, &limits)
        .map(|e| e.text())
        .unwrap_or_default();

    let (resume, error) = match parsed {
        Ok(r) => (r, None),
        Err(e) => (Resume::default(), Some(format!("{}: {e}", e.code()))),
    };
    let py = pypdf.and_then(|p| p.files.get(&file));

    let truth_path = pdf.with_extension("json");
    let truth: Option<Truth> = if truth_path.exists() {
        let text = std::fs::read_to_string(&truth_path)
            .with_context(|| format!("reading {}", truth_path.display()))?;
        Some(
            serde_json::from_str(&text)
                .with_context(|| format!("parsing {}", truth_path.display()))?,
        )
    } else {
        None
    };

    let mut result = FileResult {
        file,
        error,
        parse_ms,
        extract_ms,
        pypdf_ms: py.and_then(|p| p.median_ms),
        pypdf_error: py.and_then(|p| p.error.clone()),
        has_truth: truth.is_some(),
        name: None,
        email: None,
        phone: None,
        location: None,
        links: None,
        skills: None,
        titles: None,
        companies: None,
        places: None,
        dates: None,
        institutions: None,
        degrees: None,
        languages: None,
        certifications: None,
        projects: None,
    };
    let Some(mut truth) = truth else {
        return Ok(result);
    };
    truth.move_spoken_languages();

    result.name = Some(FieldScore::new(
        truth.name.as_deref(),
        resume.name.as_deref(),
        score::norm_text,
    ));
    result.email = Some(FieldScore::new(
        truth.email.as_deref(),
        resume.email.as_deref(),
        score::norm_email,
    ));
    result.phone = Some(FieldScore::new(
        truth.phone.as_deref(),
        resume.phone.as_deref(),
        score::norm_phone,
    ));
    result.location = Some(FieldScore::new(
        truth.location.as_deref(),
        resume.location.as_deref(),
        score::norm_text,
    ));
    let links = &resume.links;
    let predicted_links: Vec<String> = [&links.linkedin, &links.github, &links.portfolio]
        .into_iter()
        .flatten()
        .chain(&links.other)
        .cloned()
        .collect();
    result.links = Some(score::score_links(
        &predicted_links,
        &truth.links,
        &page_text,
    ));
    result.skills = Some(score::score_skills(
        &resume.skills,
        &truth.skills,
        &page_text,
        &truth.not_skills(),
    ));

    let some = |items: Vec<&Option<String>>| -> Vec<String> {
        items.into_iter().flatten().cloned().collect()
    };
    let jobs = &resume.experience;
    let schools = &resume.education;
    result.titles = Some(score::match_lists(
        &some(jobs.iter().map(|e| &e.title).collect()),
        &some(truth.experience.iter().map(|e| &e.title).collect()),
    ));
    result.companies = Some(score::match_lists(
        &some(jobs.iter().map(|e| &e.company).collect()),
        &some(truth.experience.iter().map(|e| &e.company).collect()),
    ));
    if truth.experience.iter().any(|e| e.location.is_some()) {
        result.places = Some(score::match_lists(
            &some(jobs.iter().map(|e| &e.location).collect()),
            &some(truth.experience.iter().map(|e| &e.location).collect()),
        ));
    }
    let span = |start: &Option<String>, end: &Option<String>| Span {
        start: start.clone(),
        end: end.clone(),
    };
    let job_dates = score::match_dates(
        &jobs
            .iter()
            .map(|e| span(&e.start, &e.end))
            .collect::<Vec<_>>(),
        &truth
            .experience
            .iter()
            .map(|e| span(&e.start, &e.end))
            .collect::<Vec<_>>(),
    );
    let school_dates = score::match_dates(
        &schools
            .iter()
            .map(|e| span(&e.start, &e.end))
            .collect::<Vec<_>>(),
        &truth
            .education
            .iter()
            .map(|e| span(&None, &e.end))
            .collect::<Vec<_>>(),
    );
    result.dates = Some(job_dates.plus(school_dates));
    result.institutions = Some(score::match_lists(
        &some(schools.iter().map(|e| &e.institution).collect()),
        &some(truth.education.iter().map(|e| &e.institution).collect()),
    ));
    let degrees: Vec<String> = schools
        .iter()
        .filter_map(|e| {
            let degree = e.degree.as_deref()?;
            Some(match e.field.as_deref() {
                Some(field) if !degree.contains(field) => format!("{degree} {field}"),
                _ => degree.to_owned(),
            })
        })
        .collect();
    result.degrees = Some(score::match_lists_by(
        &degrees,
        &some(truth.education.iter().map(|e| &e.degree).collect()),
        score::norm_degree,
        score::loosely_equal,
    ));
    let project_names: Vec<String> = resume
        .projects
        .iter()
        .filter_map(|p| p.title.clone())
        .collect();
    for (slot, predicted, expected) in [
        (&mut result.languages, &resume.languages, &truth.languages),
        (
            &mut result.certifications,
            &resume.certifications,
            &truth.certifications,
        ),
        (&mut result.projects, &project_names, &truth.projects),
    ] {
        *slot = expected
            .as_ref()
            .map(|expected| score::match_lists(predicted, expected));
    }
    Ok(result)
}

/// Accuracy of a single field over the files whose truth has it.
#[derive(Debug, Default, Serialize)]
struct Accuracy {
    correct: usize,
    scored: usize,
    /// Predictions where the truth has no value (not scored).
    unscored_predictions: usize,
    accuracy: f64,
}

fn accuracy<'a>(fields: impl Iterator<Item = &'a FieldScore>) -> Accuracy {
    let mut a = Accuracy::default();
    for f in fields {
        match f.correct {
            Some(ok) => {
                a.scored += 1;
                a.correct += usize::from(ok);
            }
            None => a.unscored_predictions += usize::from(f.predicted.is_some()),
        }
    }
    a.accuracy = if a.scored == 0 {
        1.0
    } else {
        a.correct as f64 / a.scored as f64
    };
    a
}

/// Micro-averaged list scores.
#[derive(Debug, Default, Serialize)]
struct ListTotals {
    field: &'static str,
    /// Files whose truth has this list.
    files: usize,
    matched: usize,
    on_page: usize,
    predicted: usize,
    truth: usize,
    #[serde(flatten)]
    prf: Prf,
}

fn list_totals<'a>(field: &'static str, lists: impl Iterator<Item = &'a ListScore>) -> ListTotals {
    let mut t = ListTotals {
        field,
        ..ListTotals::default()
    };
    for l in lists {
        t.files += 1;
        t.matched += l.matched;
        t.on_page += l.on_page;
        t.predicted += l.predicted;
        t.truth += l.truth;
    }
    t.prf = Prf::from_counts(t.matched + t.on_page, t.predicted, t.matched, t.truth);
    t
}

impl FileResult {
    /// The list fields, by name, in report order.
    fn lists(&self) -> [(&'static str, Option<&ListScore>); 10] {
        [
            ("links", self.links.as_ref()),
            ("titles", self.titles.as_ref()),
            ("companies", self.companies.as_ref()),
            ("places", self.places.as_ref()),
            ("dates", self.dates.as_ref()),
            ("institutions", self.institutions.as_ref()),
            ("degrees", self.degrees.as_ref()),
            ("languages", self.languages.as_ref()),
            ("certifications", self.certifications.as_ref()),
            ("projects", self.projects.as_ref()),
        ]
    }

    fn fields(&self) -> [(&'static str, Option<&FieldScore>); 4] {
        [
            ("name", self.name.as_ref()),
            ("email", self.email.as_ref()),
            ("phone", self.phone.as_ref()),
            ("location", self.location.as_ref()),
        ]
    }
}

#[derive(Debug, Default, Serialize)]
struct SkillTotals {
    predicted: usize,
    truth: usize,
    in_truth: usize,
    on_page: usize,
    #[serde(flatten)]
    prf: Prf,
}

#[derive(Debug, Serialize)]
struct Bar {
    what: String,
    value: f64,
    minimum: f64,
    /// `None` when it could not be measured in this run.
    pass: Option<bool>,
}

#[derive(Debug, Serialize)]
struct Summary {
    corpus: String,
    runs: usize,
    warmup: usize,
    release_build: bool,
    pypdf_version: Option<String>,
    files: Vec<FileResult>,
    name: Accuracy,
    email: Accuracy,
    phone: Accuracy,
    location: Accuracy,
    skills: SkillTotals,
    /// The list fields scored in this corpus (some truth files have them).
    lists: Vec<ListTotals>,
    /// Median over files of each file's median `parse_pdf` time.
    parse_ms_median: f64,
    extract_ms_median: f64,
    /// Median over files of pypdf's per-file medians (files it read).
    pypdf_ms_median: Option<f64>,
    /// pypdf's median / ours.
    speedup: Option<f64>,
    bars: Vec<Bar>,
}

fn summarise(args: &Args, pypdf: Option<&PypdfReport>, files: Vec<FileResult>) -> Summary {
    let skills = {
        let mut t = SkillTotals::default();
        for s in files.iter().filter_map(|f| f.skills.as_ref()) {
            t.predicted += s.predicted;
            t.truth += s.truth;
            t.in_truth += s.in_truth;
            t.on_page += s.on_page;
        }
        t.prf = Prf::from_counts(t.in_truth + t.on_page, t.predicted, t.in_truth, t.truth);
        t
    };
    let name = accuracy(files.iter().filter_map(|f| f.name.as_ref()));
    let email = accuracy(files.iter().filter_map(|f| f.email.as_ref()));
    let phone = accuracy(files.iter().filter_map(|f| f.phone.as_ref()));
    let location = accuracy(files.iter().filter_map(|f| f.location.as_ref()));
    let lists: Vec<ListTotals> = (0..10)
        .filter_map(|i| {
            let field = files.first()?.lists().get(i)?.0;
            let scores = files
                .iter()
                .filter_map(move |f| f.lists().get(i).and_then(|(_, l)| *l));
            let totals = list_totals(field, scores);
            (totals.files > 0).then_some(totals)
        })
        .collect();

    let parse_ms_median = median(&mut files.iter().map(|f| f.parse_ms).collect::<Vec<_>>());
    let extract_ms_median = median(&mut files.iter().map(|f| f.extract_ms).collect::<Vec<_>>());
    let mut py_times: Vec<f64> = files.iter().filter_map(|f| f.pypdf_ms).collect();
    let pypdf_ms_median = (!py_times.is_empty()).then(|| median(&mut py_times));
    let speedup = pypdf_ms_median
        .filter(|_| parse_ms_median > 0.0)
        .map(|p| p / parse_ms_median);

    let bar = |what: &str, value: f64, minimum: f64| Bar {
        what: what.to_owned(),
        value,
        minimum,
        // A tiny tolerance so that exactly 1.0 computed as 0.999... still passes.
        pass: Some(value + 1e-9 >= minimum),
    };
    let mut bars = vec![
        bar("email accuracy", email.accuracy, BAR_EMAIL),
        bar("phone accuracy", phone.accuracy, BAR_PHONE),
        bar("name accuracy", name.accuracy, BAR_FIELD),
    ];
    if location.scored > 0 {
        bars.push(bar("location accuracy", location.accuracy, BAR_FIELD));
    }
    bars.push(bar("skills F1", skills.prf.f1, BAR_FIELD));
    for l in &lists {
        bars.push(bar(&format!("{} F1", l.field), l.prf.f1, BAR_FIELD));
    }
    bars.push(Bar {
        what: "speed: pypdf median / ours".to_owned(),
        value: speedup.unwrap_or(0.0),
        minimum: BAR_SPEEDUP,
        pass: speedup.map(|s| s >= BAR_SPEEDUP),
    });

    Summary {
        corpus: args.corpus.display().to_string(),
        runs: args.runs,
        warmup: args.warmup,
        release_build: !cfg!(debug_assertions),
        pypdf_version: pypdf.map(|p| p.pypdf_version.clone()),
        files,
        name,
        email,
        phone,
        location,
        skills,
        lists,
        parse_ms_median,
        extract_ms_median,
        pypdf_ms_median,
        speedup,
        bars,
    }
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn opt_ms(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_owned(), |v| format!("{v:.2}"))
}

fn counts(l: Option<&ListScore>) -> String {
    l.map_or_else(|| "-".to_owned(), ListScore::counts)
}

fn render(s: &Summary, pypdf: Option<&PypdfReport>, details: bool) -> Result<String> {
    let mut o = String::new();
    writeln!(o, "Resume parser quality and speed: {}", s.corpus)?;
    writeln!(
        o,
        "{} files; times are the median of {} runs after {} warm-up runs per file, in milliseconds.",
        s.files.len(),
        s.runs,
        s.warmup
    )?;
    if !s.release_build {
        writeln!(
            o,
            "WARNING: a debug build; its times say nothing about production speed (build with --release)."
        )?;
    }
    match pypdf {
        Some(p) => writeln!(
            o,
            "pypdf {} on Python {} ({} runs per file): PdfReader over the file's bytes + extract_text() of every page.",
            p.pypdf_version, p.python, p.runs
        )?,
        None => writeln!(
            o,
            "pypdf: not measured in this run (use bench/resume-quality.sh)."
        )?,
    }
    writeln!(
        o,
        "ours = rehearse_resume::parse_pdf (extraction + structure); extract = rehearse_pdf::extract alone."
    )?;
    writeln!(o)?;
    writeln!(o, "{}", score::RULES)?;
    writeln!(o)?;

    writeln!(o, "Per file: times and single fields")?;
    writeln!(
        o,
        "{:<38} {:>8} {:>8} {:>8} {:>6}  {:<5} {:<5} {:<5} {:<5}",
        "file", "ours", "extract", "pypdf", "ratio", "name", "email", "phone", "loc."
    )?;
    for f in &s.files {
        let ratio = f
            .pypdf_ms
            .filter(|_| f.parse_ms > 0.0)
            .map_or_else(|| "-".to_owned(), |p| format!("{:.1}x", p / f.parse_ms));
        let mark = |x: Option<&FieldScore>| x.map_or("-", FieldScore::mark);
        writeln!(
            o,
            "{:<38} {:>8.2} {:>8.2} {:>8} {:>6}  {:<5} {:<5} {:<5} {:<5}",
            f.file,
            f.parse_ms,
            f.extract_ms,
            opt_ms(f.pypdf_ms),
            ratio,
            mark(f.name.as_ref()),
            mark(f.email.as_ref()),
            mark(f.phone.as_ref()),
            mark(f.location.as_ref()),
        )?;
        if let Some(e) = &f.error {
            writeln!(o, "    parser error: {e}")?;
        }
        if let Some(e) = &f.pypdf_error {
            writeln!(o, "    pypdf error: {e}")?;
        }
        if !f.has_truth {
            writeln!(
                o,
                "    no ground truth ({}): timed only",
                Path::new(&f.file).with_extension("json").display()
            )?;
        }
    }
    writeln!(o)?;

    writeln!(
        o,
        "Per file: lists as matched/predicted/truth (+N verified on the page); skills correct/predicted, found/truth"
    )?;
    let heads = [
        "skl P", "skl R", "links", "titles", "compan.", "places", "dates", "instit.", "degrees",
        "langs", "certs", "projects",
    ];
    write!(o, "{:<38}", "file")?;
    for h in heads {
        write!(o, " {h:>8}")?;
    }
    writeln!(o)?;
    for f in &s.files {
        write!(o, "{:<38}", f.file)?;
        let (skill_p, skill_r) = f.skills.as_ref().map_or_else(
            || ("-".to_owned(), "-".to_owned()),
            |k| {
                (
                    format!("{}/{}", k.correct(), k.predicted),
                    format!("{}/{}", k.in_truth, k.truth),
                )
            },
        );
        write!(o, " {skill_p:>8} {skill_r:>8}")?;
        for (_, list) in f.lists() {
            write!(o, " {:>8}", counts(list))?;
        }
        writeln!(o)?;
        if details {
            render_details(&mut o, f)?;
        }
    }
    writeln!(o)?;

    writeln!(o, "Totals:")?;
    for (what, a) in [
        ("name", &s.name),
        ("email", &s.email),
        ("phone", &s.phone),
        ("location", &s.location),
    ] {
        writeln!(
            o,
            "  {what:<15} accuracy {:>6}  ({}/{} files with a truth value; {} predictions where the truth has none)",
            pct(a.accuracy),
            a.correct,
            a.scored,
            a.unscored_predictions
        )?;
    }
    writeln!(
        o,
        "  {:<15} P {:.3}  R {:.3}  F1 {:.3}  ({} predicted: {} in truth + {} on page; {} truth)",
        "skills",
        s.skills.prf.precision,
        s.skills.prf.recall,
        s.skills.prf.f1,
        s.skills.predicted,
        s.skills.in_truth,
        s.skills.on_page,
        s.skills.truth
    )?;
    for t in &s.lists {
        let page = if t.on_page > 0 {
            format!(" + {} on page", t.on_page)
        } else {
            String::new()
        };
        writeln!(
            o,
            "  {:<15} P {:.3}  R {:.3}  F1 {:.3}  ({} matched{page}, {} predicted, {} truth; {} files)",
            t.field,
            t.prf.precision,
            t.prf.recall,
            t.prf.f1,
            t.matched,
            t.predicted,
            t.truth,
            t.files
        )?;
    }
    let unscored: Vec<&str> = s
        .files
        .first()
        .map(|f| f.lists().map(|(name, _)| name).to_vec())
        .unwrap_or_default()
        .into_iter()
        .filter(|name| !s.lists.iter().any(|t| t.field == *name))
        .collect();
    if !unscored.is_empty() {
        writeln!(
            o,
            "  not scored here (no truth file lists them): {}",
            unscored.join(", ")
        )?;
    }
    writeln!(
        o,
        "  {:<15} ours {:.2} ms (extract alone {:.2} ms), pypdf {} ms, ratio {}",
        "median time",
        s.parse_ms_median,
        s.extract_ms_median,
        opt_ms(s.pypdf_ms_median),
        s.speedup
            .map_or_else(|| "-".to_owned(), |r| format!("{r:.1}x"))
    )?;
    writeln!(o)?;

    writeln!(o, "Bars:")?;
    for b in &s.bars {
        let (value, minimum) = if b.what.starts_with("speed") {
            (format!("{:.1}x", b.value), format!("{:.0}x", b.minimum))
        } else if b.what.ends_with("F1") {
            (format!("{:.3}", b.value), format!("{:.2}", b.minimum))
        } else {
            (pct(b.value), pct(b.minimum))
        };
        let verdict = match b.pass {
            Some(true) => "PASS",
            Some(false) => "FAIL",
            None => "NOT MEASURED",
        };
        writeln!(
            o,
            "  {verdict:<4}  {:<28} {value:>8}  (bar >= {minimum})",
            b.what
        )?;
    }
    Ok(o)
}

fn render_details(o: &mut String, f: &FileResult) -> Result<()> {
    for (what, field) in f.fields() {
        if let Some(x) = field
            && (x.correct == Some(false) || (x.correct.is_none() && x.predicted.is_some()))
        {
            writeln!(
                o,
                "    {what}: truth {:?}, predicted {:?}",
                x.expected.as_deref().unwrap_or("-"),
                x.predicted.as_deref().unwrap_or("-")
            )?;
        }
    }
    if let Some(k) = &f.skills {
        if !k.missed.is_empty() {
            writeln!(o, "    skills missed: {}", k.missed.join(", "))?;
        }
        if !k.wrong.is_empty() {
            writeln!(
                o,
                "    skills wrong (not on the page, or not skills): {}",
                k.wrong.join(", ")
            )?;
        }
    }
    for (what, list) in f.lists() {
        if let Some(l) = list {
            if !l.missed.is_empty() {
                writeln!(o, "    {what} missed: {}", l.missed.join(" | "))?;
            }
            if !l.unmatched.is_empty() {
                writeln!(
                    o,
                    "    {what} unmatched predictions: {}",
                    l.unmatched.join(" | ")
                )?;
            }
        }
    }
    Ok(())
}

/// Writes each PDF's extracted lines as text in the parse_text fuzz target's
/// notation: a form feed between pages, `#` before a bold line, `|` before a line
/// right of the first column.
fn dump_text(pdfs: &[PathBuf], dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    for pdf in pdfs {
        let bytes = std::fs::read(pdf).with_context(|| format!("reading {}", pdf.display()))?;
        let Ok(extracted) = rehearse_pdf::extract(&bytes, &Limits::default()) else {
            continue;
        };
        let mut text = String::new();
        for (i, page) in extracted.pages.iter().enumerate() {
            if i > 0 {
                text.push('\x0c');
            }
            for line in page {
                let bold = if line.bold { "#" } else { "" };
                let column = if line.column > 0 { "|" } else { "" };
                writeln!(text, "{bold}{column}{}", line.text)?;
            }
        }
        let name = pdf.with_extension("txt");
        let name = name.file_name().unwrap_or_default();
        std::fs::write(dir.join(name), text)?;
    }
    Ok(())
}

fn main() -> Result<()> {
    let args = parse_args()?;
    let pypdf: Option<PypdfReport> = match &args.pypdf {
        Some(p) => {
            let text =
                std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            Some(serde_json::from_str(&text).with_context(|| format!("parsing {}", p.display()))?)
        }
        None => None,
    };

    let mut pdfs: Vec<PathBuf> = std::fs::read_dir(&args.corpus)
        .with_context(|| format!("reading the corpus directory {}", args.corpus.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")))
        .collect();
    pdfs.sort();
    if pdfs.is_empty() {
        bail!("no .pdf files in {}", args.corpus.display());
    }

    if let Some(dir) = &args.dump_text {
        return dump_text(&pdfs, dir);
    }

    let files = pdfs
        .iter()
        .map(|p| evaluate(p, &args, pypdf.as_ref()))
        .collect::<Result<Vec<_>>>()?;
    let summary = summarise(&args, pypdf.as_ref(), files);

    let report = render(&summary, pypdf.as_ref(), args.details)?;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(report.as_bytes())?;
    stdout.flush()?;

    if let Some(path) = &args.json {
        let json = serde_json::to_string_pretty(&summary)?;
        std::fs::write(path, json).with_context(|| format!("writing {}", path.display()))?;
    }
    if args.check && summary.bars.iter().any(|b| b.pass != Some(true)) {
        std::process::exit(1);
    }
    Ok(())
}
