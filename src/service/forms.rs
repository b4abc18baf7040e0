//! The forms, as text typed by a person (CLI flags or TUI fields), and the
//! parsing every operation shares: codes, dates, times, yes/no, item lists.

use chrono::{NaiveDate, NaiveTime};
use std::str::FromStr;

use crate::domain::dates::{parse_date, parse_time};
use crate::domain::text;
use crate::domain::{InputError, LawfulBasis, ScopeDetails};

/// A coded choice (channel, format, venue…), or a message listing the choices.
pub fn code<T: FromStr<Err = String>>(field: &str, value: &str) -> Result<T, InputError> {
    if value.trim().is_empty() {
        return Err(InputError::new(field, "is required"));
    }
    value.parse::<T>().map_err(|e| InputError::new(field, e))
}

/// An optional coded choice (empty means not given).
pub fn opt_code<T: FromStr<Err = String>>(field: &str, value: &str) -> Result<Option<T>, InputError> {
    if value.trim().is_empty() { Ok(None) } else { code(field, value).map(Some) }
}

/// A required date; empty means today.
pub fn date_or_today(field: &str, value: &str, today: NaiveDate) -> Result<NaiveDate, InputError> {
    if value.trim().is_empty() { Ok(today) } else { parse_date(field, value, today) }
}

/// An optional date.
pub fn opt_date(field: &str, value: &str, today: NaiveDate) -> Result<Option<NaiveDate>, InputError> {
    if value.trim().is_empty() { Ok(None) } else { parse_date(field, value, today).map(Some) }
}

pub fn time(field: &str, value: &str) -> Result<NaiveTime, InputError> {
    parse_time(field, value)
}

/// `yes`/`no` (also y/n, true/false); empty is not given.
pub fn yes_no(field: &str, value: &str) -> Result<Option<bool>, InputError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "" => Ok(None),
        "y" | "yes" | "true" => Ok(Some(true)),
        "n" | "no" | "false" => Ok(Some(false)),
        other => Err(InputError::new(field, format!("'{other}' is not yes or no"))),
    }
}

/// Item numbers as `1,3` or `1 3`; `all` is every number in `all_numbers`.
pub fn item_numbers(field: &str, value: &str, all_numbers: &[i64]) -> Result<Vec<i64>, InputError> {
    let v = value.trim();
    if v.eq_ignore_ascii_case("all") {
        return Ok(all_numbers.to_vec());
    }
    if v.is_empty() || v.eq_ignore_ascii_case("none") {
        return Ok(vec![]);
    }
    let mut out = Vec::new();
    for part in v.split([',', ' ']).filter(|p| !p.is_empty()) {
        let n: i64 = part
            .parse()
            .map_err(|_| InputError::new(field, format!("'{part}' is not an item number (use e.g. 1,3 or all)")))?;
        if !out.contains(&n) {
            out.push(n);
        }
    }
    Ok(out)
}

/// A subject as typed.
#[derive(Debug, Clone, Default)]
pub struct SubjectForm {
    pub name: String,
    pub dob: String,
    pub mosaic_id: String,
}

/// Step 1 (and the first part of a direct share).
#[derive(Debug, Clone, Default)]
pub struct NewRequestForm {
    pub received: String,
    pub channel: String,
    pub organisation: String,
    pub requester_name: String,
    pub requester_role: String,
    pub requester_email: String,
    pub requester_phone: String,
    pub subjects: Vec<SubjectForm>,
    pub purpose: String,
    pub service_area: String,
    pub format: String,
    /// The BSA who owns it (login); empty means the person recording it.
    pub owner: String,
}

/// Corrections to who asked and why; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct CorrectionForm {
    pub requester_name: Option<String>,
    pub requester_role: Option<String>,
    pub requester_email: Option<String>,
    pub requester_phone: Option<String>,
    pub purpose: Option<String>,
}

/// An item asked for: description, and the agency if it is another agency's material.
#[derive(Debug, Clone, Default)]
pub struct ItemForm {
    pub description: String,
    pub third_party: String,
}

/// The lawful basis and the ICO decision-record fields.
#[derive(Debug, Clone, Default)]
pub struct BasisForm {
    pub art6: String,
    pub art9: String,
    pub power: String,
    pub notes: String,
    pub necessity: String,
    pub consent_sought: String,
    pub consent_note: String,
    pub dsa_exists: String,
    pub security: String,
    pub retention: String,
}

impl BasisForm {
    /// Parses the picklists and free text (completeness is a rule, checked later).
    pub fn parse(&self) -> Result<(LawfulBasis, ScopeDetails), InputError> {
        let basis = LawfulBasis {
            art6: opt_code("Art. 6 basis", &self.art6)?,
            art9: opt_code("Art. 9 condition", &self.art9)?,
            power: opt_code("statutory power", &self.power)?,
            notes: text::optional_text("lawful basis notes", &self.notes)?,
        };
        let details = ScopeDetails {
            necessity: text::optional_text("why sharing is necessary", &self.necessity)?,
            consent_sought: yes_no("consent sought", &self.consent_sought)?,
            consent_note: text::optional_text("consent note", &self.consent_note)?,
            dsa_exists: yes_no("data sharing agreement", &self.dsa_exists)?,
            security: text::optional_text("security arrangements", &self.security)?,
            retention: text::optional_text("retention", &self.retention)?,
        };
        Ok((basis, details))
    }
}

/// Step 3.
#[derive(Debug, Clone, Default)]
pub struct ScopeForm {
    pub returned: String,
    pub items: Vec<ItemForm>,
    /// Empty keeps the purpose given at step 1.
    pub purpose: String,
    pub basis: BasisForm,
}

/// A direct share: the request, what was shared, how and when.
#[derive(Debug, Clone, Default)]
pub struct DirectShareForm {
    pub request: NewRequestForm,
    pub items: Vec<ItemForm>,
    pub basis: BasisForm,
    pub shared_on: String,
    pub method: String,
    /// The decision to share, as for an approval: the asset owner's login, the date
    /// (default the date shared), the reason, and the owner's email when a BSA
    /// records it for them.
    pub decided_by: String,
    pub decided: String,
    pub reason: String,
    pub evidence_date: String,
    pub evidence_ref: String,
}

/// Step 4 (a refusal is an approval of no items).
#[derive(Debug, Clone, Default)]
pub struct ApprovalForm {
    /// The asset owner's login.
    pub approver: String,
    pub decided: String,
    pub evidence_date: String,
    pub evidence_ref: String,
    pub reason: String,
    /// Item numbers approved (`1,3`, `all`, or empty for none).
    pub approve: String,
}

/// Step 7.
#[derive(Debug, Clone, Default)]
pub struct BookingForm {
    pub venue: String,
    pub room: String,
    pub day: String,
    pub start: String,
    pub end: String,
    pub teams_reason: String,
}

/// A copy handed over at a viewing.
#[derive(Debug, Clone, Default)]
pub struct CopyForm {
    pub item: String,
    pub reason: String,
}

/// Step 9, one viewing.
#[derive(Debug, Clone, Default)]
pub struct ViewingForm {
    pub day: String,
    pub start: String,
    pub end: String,
    pub viewers: String,
    pub viewer_org: String,
    /// Login of the LCC staff member present.
    pub supervisor: String,
    pub method: String,
    pub items: String,
    pub notes: String,
    pub copies: Vec<CopyForm>,
    /// `yes` or `no`, asked with no default: empty is refused as not answered.
    pub supervised: String,
    /// Login of whoever confirmed the answer (the CLI gives the acting login).
    pub confirmed_by: String,
    /// Screen or Teams viewings: `yes` or `no`, only LCC devices and logins used.
    pub lcc_devices: String,
    /// Screen or Teams viewings: each item downloaded with its reason…
    pub downloads: Vec<CopyForm>,
    /// …or that nothing was.
    pub no_downloads: bool,
    pub what_happened: String,
    /// A second viewing with the same viewers and times was meant (`--confirm-duplicate`).
    pub confirm_duplicate: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_lists_and_yes_no() {
        assert_eq!(item_numbers("items", "1, 3 3", &[1, 2, 3]).unwrap(), vec![1, 3]);
        assert_eq!(item_numbers("items", "all", &[1, 2]).unwrap(), vec![1, 2]);
        assert!(item_numbers("items", "one", &[1]).unwrap_err().to_string().contains("not an item number"));
        assert_eq!(yes_no("x", "Y").unwrap(), Some(true));
        assert!(yes_no("consent sought", "maybe").is_err());
    }
}
