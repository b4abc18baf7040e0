//! The subject report (SPEC section 4): for one child, every request naming them, each
//! decision and what was shown or sent, and every lookup of them. The value is built
//! by the service; [`text::lines`] is the one rendering both faces show.

pub mod text;

pub use text::{decision_record_lines, lines};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::lookups::{LookupRecord, normalise};
use super::request::RequestFile;

/// Which child the report is about, as asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectQuery {
    /// A Mosaic person ID: matched trimmed, in any case.
    MosaicId(String),
    /// A name: matched in any case with runs of spaces made one.
    Name(String),
}

impl SubjectQuery {
    /// The words the report uses for how the child was matched.
    pub fn matched_by(&self) -> String {
        match self {
            SubjectQuery::MosaicId(id) => format!("Mosaic ID {} (trimmed, any case)", id.trim()),
            SubjectQuery::Name(n) => format!("name \"{}\" (any case, spaces collapsed)", n.trim()),
        }
    }
    /// Whether a subject row is this child.
    pub fn matches(&self, name: &str, mosaic_id: &str) -> bool {
        match self {
            SubjectQuery::MosaicId(id) => !id.trim().is_empty() && id.trim().eq_ignore_ascii_case(mosaic_id.trim()),
            SubjectQuery::Name(n) => !normalise(n).is_empty() && normalise(n) == normalise(name),
        }
    }
    /// The query as its event records it: `{"mosaic_id": …}` or `{"name": …}`.
    pub fn as_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("queries serialise")
    }
    /// The text a later report tests with [`super::lookups::query_names`].
    pub fn text(&self) -> &str {
        match self {
            SubjectQuery::MosaicId(t) | SubjectQuery::Name(t) => t,
        }
    }
}

/// One child matched, as a subject row spells them (so two children of the same
/// name can be told apart).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SubjectMatch {
    pub name: String,
    pub dob: Option<NaiveDate>,
    pub mosaic_id: String,
}

/// Everything the report says.
#[derive(Debug, Clone, Serialize)]
pub struct SubjectReport {
    pub query: SubjectQuery,
    /// When the report was made, and by whom.
    pub generated_at: DateTime<Utc>,
    pub generated_by: String,
    /// The children matched (distinct name, date of birth, Mosaic ID).
    pub subjects: Vec<SubjectMatch>,
    /// Every request with a subject row matching, whole, oldest first (the shape the
    /// event log records a request in).
    pub requests: Vec<RequestFile>,
    /// Every recorded lookup whose query named a matched child, oldest first.
    pub lookups: Vec<LookupRecord>,
    /// The requests disposed of so far: their residue names no one, so none can be
    /// matched to this child, and the report says how many there are.
    pub disposed: Disposed,
}

/// Requests disposed of under the retention schedule, in all.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Disposed {
    pub requests: i64,
    pub first_on: Option<chrono::NaiveDate>,
    pub last_on: Option<chrono::NaiveDate>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mosaic_id_matches_trimmed_in_any_case_and_a_name_whole() {
        let id = SubjectQuery::MosaicId(" demo-1008 ".into());
        assert!(id.matches("Anyone", "DEMO-1008"));
        assert!(id.matches("Anyone", " Demo-1008"));
        assert!(!id.matches("Anyone", "DEMO-10080"));
        assert!(!id.matches("DEMO-1008", ""), "a name is not a Mosaic ID");
        let name = SubjectQuery::Name("hana   SPECIMEN".into());
        assert!(name.matches(" Hana Specimen ", "X"));
        assert!(!name.matches("Hana Specimen-Jones", "X"), "the whole name, not a part");
        assert!(!SubjectQuery::Name("  ".into()).matches("", ""), "nothing asked matches nothing");
        assert_eq!(id.as_json(), serde_json::json!({ "mosaic_id": " demo-1008 " }));
    }
}
