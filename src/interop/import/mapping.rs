//! Which sheet and header holds each field: the export's layout by default, or a
//! TOML mapping file.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::interop::export::{REQUEST_HEADERS, TRACKER_HEADERS};

/// The canonical fields of the requests tab, in the export's order of headers.
pub(super) const REQUEST_FIELDS: &[&str] = &[
    "reference",
    "requester",
    "requester_role",
    "organisation",
    "child",
    "mosaic_id",
    "service_area",
    "format",
    "received",
    "form_sent",
    "form_returned",
    "approver",
    "approved_on",
    "decision",
    "completed",
    "kind",
    "status",
];
pub(super) const REQUEST_REQUIRED: &[&str] = &["organisation", "received"];

/// The canonical fields of the tracker tab.
pub(super) const TRACKER_FIELDS: &[&str] = &[
    "date",
    "start",
    "end",
    "reference",
    "child",
    "mosaic_id",
    "items",
    "viewers",
    "organisation",
    "method",
    "supervisor",
    "supervised",
    "copies",
];
/// A council's tracker often has no reference and no supervisor: a row is matched
/// to its request by child, organisation and date, and a supervisor it does not
/// name is recorded as not recorded.
pub(super) const TRACKER_REQUIRED: &[&str] = &["date", "items", "viewers"];

/// Which sheet and which header holds each field.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TableMap {
    pub sheet: String,
    /// field → header in the sheet.
    pub columns: BTreeMap<String, String>,
}

/// What an import may assume when it creates missing reference data
/// (`--create-missing`): a mapping file's `[defaults]`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Defaults {
    /// The kind of an organisation whose name does not tell it
    /// (`local_authority`, `police`, …).
    pub organisation_kind: Option<String>,
    /// The asset owner (login or name) of a service area created when none of its
    /// rows names an approver.
    pub asset_owner: Option<String>,
    /// Whether the viewings of a tracker that does not say (no column, or a blank
    /// cell) were supervised throughout: the council's practice, stated by whoever
    /// reviews the import; without it such a row is a problem, never assumed.
    pub supervised: Option<bool>,
}

/// A mapping file: `[requests]` and `[tracker]` tables, and optional `[defaults]`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Mapping {
    pub requests: TableMap,
    pub tracker: Option<TableMap>,
    #[serde(default)]
    pub defaults: Defaults,
}

impl Default for Mapping {
    /// The layout `caseshare export` writes.
    fn default() -> Self {
        let table = |sheet: &str, fields: &[&str], headers: &[&str]| TableMap {
            sheet: sheet.to_string(),
            columns: fields.iter().zip(headers).map(|(f, h)| (f.to_string(), h.to_string())).collect(),
        };
        Mapping {
            requests: table("Requests", REQUEST_FIELDS, REQUEST_HEADERS),
            tracker: Some(table("Tracker", TRACKER_FIELDS, TRACKER_HEADERS)),
            defaults: Defaults::default(),
        }
    }
}

impl Mapping {
    /// Reads a mapping file; unknown fields are refused so a typo is not silently ignored.
    pub fn from_toml(text: &str) -> Result<Mapping, String> {
        let m: Mapping = toml::from_str(text).map_err(|e| format!("mapping file: {e}"))?;
        for (name, table, fields) in
            [("requests", Some(&m.requests), REQUEST_FIELDS), ("tracker", m.tracker.as_ref(), TRACKER_FIELDS)]
        {
            if let Some(t) = table
                && let Some(bad) = t.columns.keys().find(|k| !fields.contains(&k.as_str()))
            {
                return Err(format!(
                    "mapping file: [{name}.columns] has no field '{bad}' (fields: {})",
                    fields.join(", ")
                ));
            }
        }
        Ok(m)
    }
}
