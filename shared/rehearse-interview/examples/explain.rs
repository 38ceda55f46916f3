//! Scores one answer and prints the dimensions and the semantic signals behind
//! the score: `cargo run -p rehearse-interview --example explain -- CATEGORY
//! "question" "answer" [role] [level]`.

#[allow(clippy::print_stdout)]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(category), Some(text), Some(answer)) = (args.first(), args.get(1), args.get(2))
    else {
        eprintln!("usage: explain CATEGORY QUESTION ANSWER [ROLE] [LEVEL]");
        std::process::exit(2);
    };
    let role = args.get(3).map_or("Software Engineer", String::as_str);
    let level = args.get(4).map_or("3-5", String::as_str);
    let category = match category.as_str() {
        "behavioral" => rehearse_interview::Category::Behavioral,
        "project" => rehearse_interview::Category::Project,
        "introduction" => rehearse_interview::Category::Introduction,
        "closing" => rehearse_interview::Category::Closing,
        "scenario" | "situational" => rehearse_interview::Category::Scenario,
        _ => rehearse_interview::Category::Technical,
    };
    let q = rehearse_interview::Question {
        id: "q1".into(),
        number: 1,
        text: text.clone(),
        category,
        difficulty: rehearse_interview::Difficulty::Medium,
        topic: String::new(),
        follow_up_of: None,
        expects_star: category == rehearse_interview::Category::Behavioral,
        keywords: Vec::new(),
    };
    let ctx = match rehearse_interview::JobContext::new(role, level, "mixed", None, None) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let e = rehearse_interview::evaluate(&q, answer, &ctx);
    println!("score {} {:?}", e.score, e.dimensions);
    println!("{}", rehearse_interview::semantic_signals(&q, answer));
    println!("feedback: {}", e.feedback);
    for i in &e.improvements {
        println!("  - {i}");
    }
}
