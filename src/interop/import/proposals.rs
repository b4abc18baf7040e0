//! Reference data an import did not find: the organisations, service areas and
//! people a workbook names that the database does not have, each listed once with
//! the rows that need it, and what to do about each (create it, or take an
//! organisation's name as an alias of one registered). The dry run can write the
//! proposals as a TOML file (`--write-proposals`); once reviewed, a second run
//! reads it (`--proposals`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::OrgKind;

/// What a name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    Organisation,
    ServiceArea,
    /// A member of staff: an approver (asset owner) or a supervisor.
    Person,
}

impl Missing {
    pub fn label(self) -> &'static str {
        match self {
            Missing::Organisation => "organisation",
            Missing::ServiceArea => "service area",
            Missing::Person => "person",
        }
    }
}

/// One unknown name, the rows that need it and what is proposed.
#[derive(Debug, Clone, Serialize)]
pub struct Unknown {
    pub what: Missing,
    /// As first written in the workbook.
    pub name: String,
    /// (sheet, row) of every row naming it, in order.
    pub rows: Vec<(String, usize)>,
    /// For a person: approves requests, so is an asset owner (manager).
    pub approves: bool,
    /// What would be done: "create as local_authority", "alias of X", or why it
    /// cannot be created without a word from the reviewer.
    pub proposal: String,
    /// Whether this run creates it (with --create-missing or --proposals).
    pub resolved: bool,
}

/// `rows 4, 9, 17–23` per sheet: "Requests rows 4, 9, 17–23; Tracker row 2".
pub fn rows_text(rows: &[(String, usize)], limit: Option<usize>) -> String {
    let mut sheets: Vec<(String, Vec<usize>)> = Vec::new();
    for (sheet, row) in rows {
        match sheets.iter_mut().find(|(s, _)| s == sheet) {
            Some((_, rs)) => rs.push(*row),
            None => sheets.push((sheet.clone(), vec![*row])),
        }
    }
    let parts: Vec<String> = sheets
        .into_iter()
        .map(|(sheet, mut rs)| {
            rs.sort_unstable();
            rs.dedup();
            let mut runs: Vec<(usize, usize)> = Vec::new();
            for r in &rs {
                match runs.last_mut() {
                    Some((_, end)) if *end + 1 == *r => *end = *r,
                    _ => runs.push((*r, *r)),
                }
            }
            let shown = limit.unwrap_or(usize::MAX);
            let mut text: Vec<String> =
                runs.iter().take(shown).map(|(a, b)| if a == b { a.to_string() } else { format!("{a}–{b}") }).collect();
            if runs.len() > shown {
                text.push("…".into());
            }
            format!("{sheet} row{} {}", if rs.len() == 1 { "" } else { "s" }, text.join(", "))
        })
        .collect();
    parts.join("; ")
}

/// The kind an organisation's name tells, if it does: "… Council", "… CC",
/// "… MBC", "London Borough of …" are local authorities; "Constabulary" and
/// "Police" the police; "NHS", "Trust", "Hospital" health; "Solicitors", "LLP" a
/// solicitor; "CAFCASS" itself.
pub fn infer_kind(name: &str) -> Option<OrgKind> {
    let l = name.to_lowercase();
    let words: Vec<&str> = l.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let has = |ws: &[&str]| words.iter().any(|w| ws.contains(w));
    if has(&["cafcass"]) {
        Some(OrgKind::Cafcass)
    } else if has(&["police", "constabulary"]) {
        Some(OrgKind::Police)
    } else if has(&["nhs", "trust", "hospital", "icb", "health"]) {
        Some(OrgKind::Health)
    } else if has(&["solicitors", "solicitor", "llp"]) {
        Some(OrgKind::Solicitor)
    } else if has(&["council", "cc", "mbc", "bc", "dc", "borough", "county", "authority", "la"]) {
        Some(OrgKind::LocalAuthority)
    } else {
        None
    }
}

/// A reviewed proposals file.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Proposals {
    #[serde(default)]
    pub organisations: BTreeMap<String, OrgProposal>,
    #[serde(default)]
    pub service_areas: BTreeMap<String, AreaProposal>,
    #[serde(default)]
    pub people: BTreeMap<String, PersonProposal>,
}

/// An organisation: `create = "local_authority"` (its kind) or
/// `alias-of = "Registered Organisation"`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OrgProposal {
    pub create: Option<String>,
    pub alias_of: Option<String>,
}

/// A service area: `create = true`, with `asset-owner` when no row names its approver.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AreaProposal {
    #[serde(default)]
    pub create: bool,
    pub asset_owner: Option<String>,
}

/// A person: `create = true`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PersonProposal {
    #[serde(default)]
    pub create: bool,
}

/// A name as a TOML key, quoted.
fn key(name: &str) -> String {
    toml::Value::String(name.to_string()).to_string()
}

impl Proposals {
    /// Reads a reviewed file; a misspelt key is refused, not ignored.
    pub fn from_toml(text: &str) -> Result<Proposals, String> {
        let p: Proposals = toml::from_str(text).map_err(|e| format!("proposals file: {e}"))?;
        for (name, o) in &p.organisations {
            if o.create.is_some() == o.alias_of.is_some() {
                return Err(format!(
                    "proposals file: organisation {} needs either create = \"KIND\" or alias-of = \"ORGANISATION\"",
                    key(name)
                ));
            }
        }
        Ok(p)
    }

    /// The entry for `name` (any case), if the file has one.
    pub fn organisation(&self, name: &str) -> Option<&OrgProposal> {
        self.organisations.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v)
    }
    pub fn service_area(&self, name: &str) -> Option<&AreaProposal> {
        self.service_areas.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v)
    }
    pub fn person(&self, name: &str) -> Option<&PersonProposal> {
        self.people.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v)
    }
}

/// The proposals file a dry run writes: every unknown name with its rows as a
/// comment and the proposal filled in (commented out where the reviewer must choose).
pub fn write_toml(file: &str, unknown: &[Unknown], suggestions: &BTreeMap<String, String>) -> String {
    let mut out = format!(
        "# Proposals for importing {file}: review every entry, then import with --proposals THIS-FILE.\n\
         # organisations: create = \"KIND\" (local_authority, cafcass, police, health, solicitor, individual, other)\n\
         #                or alias-of = \"An organisation already registered\" (caseshare org list).\n\
         # service-areas: create = true; asset-owner = \"login or name\" when no row names its approver.\n\
         # people:        create = true (a staff record that cannot log in; see docs/migration.md).\n\
         # Delete an entry to leave its rows out of this import (they are then reported).\n"
    );
    for (what, table) in
        [(Missing::Organisation, "organisations"), (Missing::ServiceArea, "service-areas"), (Missing::Person, "people")]
    {
        for u in unknown.iter().filter(|u| u.what == what) {
            out.push_str(&format!("\n[{table}.{}]\n# {}\n", key(&u.name), rows_text(&u.rows, Some(8))));
            match what {
                Missing::Organisation => match (suggestions.get(&u.name), infer_kind(&u.name)) {
                    (Some(existing), kind) => {
                        out.push_str(&format!("alias-of = {}\n", key(existing)));
                        out.push_str(&format!(
                            "# create = \"{}\"\n",
                            kind.map(|k| k.as_code()).unwrap_or("local_authority")
                        ));
                    }
                    (None, Some(kind)) => out.push_str(&format!("create = \"{}\"\n", kind.as_code())),
                    (None, None) => {
                        out.push_str("# the name does not tell its kind: choose one\n# create = \"local_authority\"\n")
                    }
                },
                Missing::ServiceArea => {
                    out.push_str("create = true\n");
                    if u.proposal.contains("needs an asset owner") {
                        out.push_str("# asset-owner = \"login or name\"\n");
                    }
                }
                Missing::Person => {
                    out.push_str("create = true\n");
                    if u.approves {
                        out.push_str("# approves requests: created as a manager (an asset owner)\n");
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_listed_in_runs_per_sheet() {
        let rows: Vec<(String, usize)> = [4, 9, 17, 18, 19, 20, 21, 22, 23]
            .iter()
            .map(|r| ("Requests".to_string(), *r))
            .chain([("Tracker".to_string(), 2)])
            .collect();
        assert_eq!(rows_text(&rows, None), "Requests rows 4, 9, 17–23; Tracker row 2");
        assert_eq!(rows_text(&rows, Some(2)), "Requests rows 4, 9, …; Tracker row 2");
    }

    #[test]
    fn a_name_tells_its_kind_or_nothing_is_guessed() {
        assert_eq!(infer_kind("Exampleshire CC"), Some(OrgKind::LocalAuthority));
        assert_eq!(infer_kind("Newtown Borough Council"), Some(OrgKind::LocalAuthority));
        assert_eq!(infer_kind("Fictional Constabulary"), Some(OrgKind::Police));
        assert_eq!(infer_kind("Imaginary NHS Foundation Trust"), Some(OrgKind::Health));
        assert_eq!(infer_kind("Madeup & Co Solicitors"), Some(OrgKind::Solicitor));
        assert_eq!(infer_kind("Exampletown"), None);
    }

    #[test]
    fn a_proposals_file_is_checked_and_read_in_any_case() {
        let text = "[organisations.\"Exampleshire CC\"]\nalias-of = \"Exampleshire County Council\"\n\
                    [organisations.\"Newtown MBC\"]\ncreate = \"local_authority\"\n\
                    [service-areas.\"Early Help\"]\ncreate = true\nasset-owner = \"mgr\"\n\
                    [people.\"Pat Example\"]\ncreate = true\n";
        let p = Proposals::from_toml(text).unwrap();
        assert_eq!(p.organisation("exampleshire cc").unwrap().alias_of.as_deref(), Some("Exampleshire County Council"));
        assert!(p.service_area("EARLY HELP").unwrap().create);
        assert!(p.person("pat example").unwrap().create);
        let both = "[organisations.\"X\"]\ncreate = \"other\"\nalias-of = \"Y\"\n";
        assert!(Proposals::from_toml(both).unwrap_err().contains("needs either create"));
        let typo = "[organisations.\"X\"]\nalias_of = \"Y\"\n";
        assert!(Proposals::from_toml(typo).unwrap_err().contains("unknown field"));
    }

    #[test]
    fn the_written_file_reads_back_as_it_proposes() {
        let u = |what, name: &str| Unknown {
            what,
            name: name.into(),
            rows: vec![("Requests".into(), 3)],
            approves: false,
            proposal: String::new(),
            resolved: false,
        };
        let unknown = [
            u(Missing::Organisation, "Exampleshire CC"),
            u(Missing::Organisation, "Newtown MBC"),
            u(Missing::ServiceArea, "Early Help"),
            u(Missing::Person, "Pat \"Quoted\" Example"),
        ];
        let mut suggest = BTreeMap::new();
        suggest.insert("Exampleshire CC".to_string(), "Exampleshire County Council".to_string());
        let text = write_toml("council.xlsx", &unknown, &suggest);
        let p = Proposals::from_toml(&text).unwrap();
        assert_eq!(p.organisation("Exampleshire CC").unwrap().alias_of.as_deref(), Some("Exampleshire County Council"));
        assert_eq!(p.organisation("Newtown MBC").unwrap().create.as_deref(), Some("local_authority"));
        assert!(p.service_area("Early Help").unwrap().create);
        assert!(p.person("Pat \"Quoted\" Example").unwrap().create);
    }
}
