//! The curated skills taxonomy (`data/skills.tsv`) and matching against it.
//!
//! Being written: see `Taxonomy`'s API below.

/// The skills taxonomy, loaded once.
#[derive(Debug)]
pub struct Taxonomy {
    _private: (),
}

/// The process-wide taxonomy.
pub fn taxonomy() -> &'static Taxonomy {
    static T: Taxonomy = Taxonomy { _private: () };
    &T
}

impl Taxonomy {
    /// The canonical name of a skill as listed in a skills section
    /// (`"JS"` → `"JavaScript"`, `"k8s"` → `"Kubernetes"`), if known.
    pub fn canonical(&self, name: &str) -> Option<&'static str> {
        let _ = name;
        None
    }

    /// The skills mentioned in free text (a summary, a job description), in order
    /// of first mention, without duplicates. Ambiguous short aliases (`Go`, `R`, `C`)
    /// are not matched in prose.
    pub fn find_in_text(&self, text: &str) -> Vec<&'static str> {
        let _ = text;
        Vec::new()
    }

    /// Number of canonical skills.
    pub fn len(&self) -> usize {
        0
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
