//! Which recorded lookups name a child: the one rule the subject report (to list
//! them) and disposal (to erase them) share.
//!
//! A lookup's query names a child when, normalised (trimmed, runs of whitespace made
//! one space, case-folded), it is at least [`MIN_QUERY`] characters long and either
//! contains the child's full name or Mosaic ID, or is itself contained in one of
//! them: the search would have found that child and is specific enough to be a
//! search for them. An empty or very short query (the tracker opened on every
//! child's viewings) names no one.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// The shortest query that can name a child.
pub const MIN_QUERY: usize = 3;

/// Trimmed, whitespace collapsed, case-folded.
pub fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Whether a lookup of `query` named the child called `name` with Mosaic ID `mosaic_id`.
pub fn query_names(query: &str, name: &str, mosaic_id: &str) -> bool {
    let q = normalise(query);
    if q.chars().count() < MIN_QUERY {
        return false;
    }
    [normalise(name), normalise(mosaic_id)]
        .iter()
        .filter(|target| !target.is_empty())
        .any(|target| q.contains(target.as_str()) || target.contains(q.as_str()))
}

/// One recorded lookup, as the subject report lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LookupRecord {
    pub event_id: i64,
    pub at: DateTime<Utc>,
    pub login: String,
    /// `who_viewed`, `lookup` or `subject_report`.
    pub op: String,
    /// How the query was settled (`cli`, `opened`, `enter`, `esc`, `idle`, `left`,
    /// `quit`); empty for a subject report.
    pub settled: String,
    /// The query as recorded (its parts joined by " / ").
    pub query: String,
}

impl LookupRecord {
    /// Which face made the lookup and how, in words.
    pub fn face(&self) -> String {
        let tui = |how: &str| format!("tracker or list ({how})");
        match self.settled.as_str() {
            "cli" => "command line".into(),
            "opened" => tui("opened"),
            "enter" => tui("Enter"),
            "esc" => tui("Esc"),
            "idle" => tui("typed, then paused"),
            "left" => tui("screen left"),
            "quit" => tui("app closed"),
            "" => "subject report".into(),
            other => other.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_names_a_child_it_contains_or_is_part_of() {
        let (name, id) = ("Ava Example", "MOS-1001");
        for q in
            ["Ava Example", "  ava   EXAMPLE ", "mos-1001", " MOS-1001 ", "ava", "Exam", "1001", "Ava Example MOS-1001"]
        {
            assert!(query_names(q, name, id), "{q:?} should name the child");
        }
    }

    #[test]
    fn short_empty_or_other_queries_name_no_one() {
        let (name, id) = ("Ava Example", "MOS-1001");
        for q in ["", "  ", "av", "zz9", "Ben Other", "MOS-1002", "example council"] {
            assert!(!query_names(q, name, id), "{q:?} should not name the child");
        }
        // A blanked (disposed) subject is named by nothing.
        assert!(!query_names("Ava Example", "", ""));
    }
}
