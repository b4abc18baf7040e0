//! The forms, as text typed by a person (CLI flags or TUI fields), and the
//! parsing every operation shares: codes, dates, times, yes/no, item lists.

use chrono::{NaiveDate, NaiveTime};
use std::str::FromStr;

use crate::domain::dates::{parse_date, parse_time};
use crate::domain::text;
use crate::domain::{
    AgreementAnswer, CA2004_S11, CA2004_S11_REFUSED, Guidance, InputError, LawfulBasis, Sch1Condition, ScopeDetails,
    StatutoryPower,
};

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
    /// The Art. 9(2) gateway code, or `none`.
    pub art9: String,
    /// The Schedule 1 condition the gateway needs.
    pub sch1: String,
    pub consent_not_obtained: String,
    /// `no`, or the Schedule 1 condition for the criminal offence data involved.
    pub criminal: String,
    pub power: String,
    pub power_detail: String,
    /// Guidance codes, comma separated.
    pub guidance: String,
    pub guidance_other: String,
    pub notes: String,
    pub necessity: String,
    pub consent_sought: String,
    pub consent_note: String,
    /// `yes`, `no` or `n/a`.
    pub dsa_exists: String,
    /// The agreement's reference, or why one is not applicable.
    pub dsa_note: String,
    pub security: String,
    pub retention: String,
    pub controller: String,
    pub dpia_considered: String,
    pub dpia_outcome: String,
    /// The person answered yes to the questions the basis raises.
    pub confirm_basis: bool,
}

/// The statutory power: a code, with Children Act 2004 s.11 refused with its reason.
fn power(value: &str) -> Result<Option<StatutoryPower>, InputError> {
    if value.trim().to_ascii_lowercase().replace(['-', ' ', '.'], "_") == CA2004_S11 {
        return Err(InputError::new("statutory power", CA2004_S11_REFUSED));
    }
    opt_code("statutory power", value)
}

/// `no` (not involved), or the condition it is processed under.
fn criminal(value: &str) -> Result<(Option<bool>, Option<Sch1Condition>), InputError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok((None, None));
    }
    if matches!(v.to_ascii_lowercase().as_str(), "no" | "n" | "none" | "not_involved" | "not involved") {
        return Ok((Some(false), None));
    }
    let c: Sch1Condition = v
        .parse()
        .map_err(|e: String| InputError::new("criminal offence data", format!("{e} (or no, when none is involved)")))?;
    Ok((Some(true), Some(c)))
}

/// `yes`, `no`, `n/a` / `not applicable`.
fn agreement(value: &str) -> Result<Option<AgreementAnswer>, InputError> {
    let v = value.trim().to_ascii_lowercase();
    match v.as_str() {
        "" => Ok(None),
        "y" | "yes" | "true" => Ok(Some(AgreementAnswer::Yes)),
        "n" | "no" | "false" => Ok(Some(AgreementAnswer::No)),
        "n/a" | "na" | "not applicable" | "not_applicable" => Ok(Some(AgreementAnswer::NotApplicable)),
        _ => Err(InputError::new("data sharing agreement", format!("'{}' is not yes, no or n/a", value.trim()))),
    }
}

impl BasisForm {
    /// Parses the picklists and free text (completeness is a rule, checked later).
    pub fn parse(&self) -> Result<(LawfulBasis, ScopeDetails), InputError> {
        let (criminal, criminal_condition) = criminal(&self.criminal)?;
        let mut guidance = Vec::new();
        for g in self.guidance.split([',', ' ']).filter(|g| !g.is_empty()) {
            let g: Guidance = code("guidance relied on", g)?;
            if !guidance.contains(&g) {
                guidance.push(g);
            }
        }
        let basis = LawfulBasis {
            art6: opt_code("Art. 6 basis", &self.art6)?,
            art9: opt_code("Art. 9(2) gateway", &self.art9)?,
            sch1: opt_code("Schedule 1 condition", &self.sch1)?,
            consent_not_obtained: opt_code("why consent was not obtained", &self.consent_not_obtained)?,
            criminal,
            criminal_condition,
            power: power(&self.power)?,
            power_detail: text::optional_line("power detail", &self.power_detail)?,
            guidance,
            guidance_other: text::optional_line("other guidance relied on", &self.guidance_other)?,
            notes: text::optional_text("lawful basis notes", &self.notes)?,
            review: None,
            confirmed: vec![],
        };
        let agreement = agreement(&self.dsa_exists)?;
        let details = ScopeDetails {
            necessity: text::optional_text("why sharing is necessary", &self.necessity)?,
            consent_sought: yes_no("consent sought", &self.consent_sought)?,
            consent_note: text::optional_text("consent note", &self.consent_note)?,
            agreement,
            agreement_note: text::optional_line("data sharing agreement note", &self.dsa_note)?,
            dsa_exists: match agreement {
                Some(AgreementAnswer::Yes) => Some(true),
                Some(AgreementAnswer::No) => Some(false),
                _ => None,
            },
            security: text::optional_text("security arrangements", &self.security)?,
            retention: text::optional_text("retention", &self.retention)?,
            controller: opt_code("controller relationship", &self.controller)?,
            dpia_considered: yes_no("DPIA considered", &self.dpia_considered)?,
            dpia_outcome: text::optional_text("DPIA outcome", &self.dpia_outcome)?,
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
    /// A reason per declined item: `N|reason` (one per line in the TUI).
    pub decline_reasons: Vec<String>,
}

impl ApprovalForm {
    /// The reasons per declined item, as (item number, reason).
    pub fn decline_reasons(&self) -> Result<Vec<(i64, String)>, InputError> {
        let mut out = Vec::new();
        for line in self.decline_reasons.iter().flat_map(|l| l.lines()).filter(|l| !l.trim().is_empty()) {
            let (n, reason) = line.split_once('|').ok_or_else(|| {
                InputError::new("reason for a declined item", format!("'{}' is not N|reason", line.trim()))
            })?;
            let n: i64 = n.trim().parse().map_err(|_| {
                InputError::new("reason for a declined item", format!("'{}' is not an item number", n.trim()))
            })?;
            out.push((n, text::line(&format!("reason for declining item {n}"), reason)?));
        }
        Ok(out)
    }
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
