//! Retention (SPEC section 4): how long a closed request's personal data is kept,
//! when it falls due for disposal, and what is left of it afterwards.
//!
//! A request closes as one of three outcomes, each with its own period in years
//! after the day it closed (settings `retention.shared`, `retention.not_shared`,
//! `retention.redirected`). A legal hold stops the clock until it is released.
//! Disposal keeps a [`residue`] with no personal data: the reference, the dates,
//! the organisation, kind, outcome and format, and every row (so the counts of
//! items, viewings, copies and incidents, and the report, stay as they were), with
//! every name, date of birth, Mosaic ID, contact detail and free text blanked.

use chrono::{Months, NaiveDate};
use serde::Serialize;

use super::dates::uk;
use super::request::*;
use super::settings::Settings;
use super::types::Status;

/// Years kept after closure, per outcome (placeholders until the council's IG lead
/// sets them from its own retention schedule).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionYears {
    pub shared: u32,
    pub not_shared: u32,
    pub redirected: u32,
}

impl Default for RetentionYears {
    fn default() -> Self {
        RetentionYears { shared: 6, not_shared: 2, redirected: 1 }
    }
}

/// The outcome a retention period is set for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Something was shown or sent.
    Shared,
    /// Refused, withdrawn, or completed with nothing shared.
    NotShared,
    /// Not for this process: sent on to another route.
    Redirected,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Shared => "shared",
            Outcome::NotShared => "not shared",
            Outcome::Redirected => "redirected",
        }
    }
    /// The setting that holds its period.
    pub fn setting(self) -> &'static str {
        match self {
            Outcome::Shared => "retention.shared",
            Outcome::NotShared => "retention.not_shared",
            Outcome::Redirected => "retention.redirected",
        }
    }
    fn years(self, y: RetentionYears) -> u32 {
        match self {
            Outcome::Shared => y.shared,
            Outcome::NotShared => y.not_shared,
            Outcome::Redirected => y.redirected,
        }
    }
}

/// What retention needs to know about a request: read from a loaded file
/// ([`Closing::of`]) or from the list query, so both say the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closing {
    pub status: Status,
    pub received_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
    pub withdrawn_on: Option<NaiveDate>,
    /// The latest decision's date (a refusal closes on it).
    pub decided_on: Option<NaiveDate>,
    pub shared: bool,
}

impl Closing {
    pub fn of(file: &RequestFile) -> Closing {
        let r = &file.request;
        Closing {
            status: r.status,
            received_on: r.received_on,
            completed_on: r.completed_on,
            withdrawn_on: r.withdrawn_on,
            decided_on: file.latest_approval().map(|a| a.decided_on),
            shared: file.shared_anything(),
        }
    }

    /// The outcome and the day it closed; `None` while it is open.
    pub fn closed(&self) -> Option<(Outcome, NaiveDate)> {
        let by_sharing = if self.shared { Outcome::Shared } else { Outcome::NotShared };
        match self.status {
            Status::Complete => Some((by_sharing, self.completed_on?)),
            Status::Refused => Some((Outcome::NotShared, self.decided_on?)),
            Status::Withdrawn => Some((by_sharing, self.withdrawn_on?)),
            Status::Redirected => Some((Outcome::Redirected, self.received_on)),
            _ => None,
        }
    }
}

/// When a closed request falls due for disposal, and the rule that says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Due {
    pub outcome: Outcome,
    pub closed_on: NaiveDate,
    pub years: u32,
    pub due_on: NaiveDate,
}

impl Due {
    /// "shared: 6 years after it closed on 12/03/2020 (retention.shared)".
    pub fn rule(&self) -> String {
        let years = if self.years == 1 { "1 year".to_string() } else { format!("{} years", self.years) };
        format!(
            "{}: {years} after it closed on {} ({})",
            self.outcome.label(),
            uk(self.closed_on),
            self.outcome.setting()
        )
    }
}

/// The day a closed request falls due (`None` while it is open). The 29th of
/// February falls due on the 28th in a year without one.
pub fn due(closing: &Closing, settings: &Settings) -> Option<Due> {
    let (outcome, closed_on) = closing.closed()?;
    let years = outcome.years(settings.retention);
    let due_on = closed_on.checked_add_months(Months::new(12 * years)).unwrap_or(NaiveDate::MAX);
    Some(Due { outcome, closed_on, years, due_on })
}

/// What is left of a request once it is disposed of: every row kept, with every
/// name, date of birth, Mosaic ID, contact detail and free text blanked. Coded
/// values (the lawful basis, decisions, methods, venues), dates, staff, the
/// organisation, the service area, counts, the provenance of an import (so the same
/// spreadsheet row is not imported again) and the text caseshare itself wrote
/// (a redirect's route, the ISA prompt, the upgrade's review, the questions
/// confirmed) stay.
pub fn residue(file: &RequestFile) -> RequestFile {
    let mut f = file.clone();
    let r = &mut f.request;
    r.requester = Requester::default();
    r.purpose.clear();
    r.basis.power_detail.clear();
    r.basis.guidance_other.clear();
    r.basis.notes.clear();
    let d = &mut r.details;
    for text in [&mut d.necessity, &mut d.consent_note, &mut d.agreement_note, &mut d.security, &mut d.retention] {
        text.clear();
    }
    d.dpia_outcome.clear();
    r.restore_ref = None;
    r.share_method = None;
    if let Some(note) = &mut r.case_note {
        note.mosaic_ref.clear();
        note.text.clear();
    }
    r.files_secured_at = None;
    r.withdraw_reason = r.withdraw_reason.as_ref().map(|_| String::new());
    r.hold = None;
    for s in &mut f.subjects {
        s.name.clear();
        s.dob = None;
        s.mosaic_id.clear();
    }
    for i in &mut f.items {
        i.description.clear();
        // Typed at scope: an agency's name, or a person's. Blank, but still marked
        // as another agency's material.
        i.third_party = i.third_party.as_ref().map(|_| String::new());
        i.agency_consent_ref = None;
        i.decline_reason = None;
    }
    for a in &mut f.approvals {
        a.reason.clear();
        a.evidence_ref = None;
    }
    for b in &mut f.bookings {
        b.teams_reason = b.teams_reason.as_ref().map(|_| String::new());
    }
    for v in &mut f.viewings {
        v.viewers.clear();
        v.notes.clear();
        v.unsupervised_note = v.unsupervised_note.as_ref().map(|_| String::new());
        for c in v.copies.iter_mut().chain(v.downloads.iter_mut().flatten()) {
            c.reason.clear();
        }
    }
    for i in &mut f.incidents {
        i.description.clear();
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::*;

    fn closing(status: Status) -> Closing {
        Closing {
            status,
            received_on: d("2020-01-06"),
            completed_on: Some(d("2020-03-12")),
            withdrawn_on: Some(d("2020-02-01")),
            decided_on: Some(d("2020-01-20")),
            shared: true,
        }
    }

    #[test]
    fn each_outcome_closes_on_its_own_day_and_counts_its_own_years() {
        let s = Settings::default();
        let shared = due(&closing(Status::Complete), &s).unwrap();
        assert_eq!((shared.outcome, shared.due_on), (Outcome::Shared, d("2026-03-12")));
        assert_eq!(shared.rule(), "shared: 6 years after it closed on 12/03/2020 (retention.shared)");
        let refused = due(&Closing { shared: false, ..closing(Status::Refused) }, &s).unwrap();
        assert_eq!((refused.outcome, refused.due_on), (Outcome::NotShared, d("2022-01-20")));
        let withdrawn = due(&Closing { shared: false, ..closing(Status::Withdrawn) }, &s).unwrap();
        assert_eq!(withdrawn.due_on, d("2022-02-01"));
        let redirected = due(&closing(Status::Redirected), &s).unwrap();
        assert_eq!((redirected.outcome, redirected.due_on), (Outcome::Redirected, d("2021-01-06")));
        assert_eq!(redirected.rule(), "redirected: 1 year after it closed on 06/01/2020 (retention.redirected)");
        // Completed with nothing shared is kept as long as a refusal.
        let nothing = due(&Closing { shared: false, ..closing(Status::Complete) }, &s).unwrap();
        assert_eq!(nothing.outcome, Outcome::NotShared);
    }

    #[test]
    fn an_open_request_is_never_due() {
        for status in [Status::New, Status::AwaitingApproval, Status::Scheduled, Status::Viewed] {
            assert_eq!(due(&closing(status), &Settings::default()), None, "{status:?}");
        }
    }

    #[test]
    fn the_29th_of_february_falls_due_on_the_28th() {
        let c = Closing { completed_on: Some(d("2024-02-29")), ..closing(Status::Complete) };
        let mut s = Settings::default();
        s.retention.shared = 1;
        assert_eq!(due(&c, &s).unwrap().due_on, d("2025-02-28"));
    }

    #[test]
    fn the_residue_keeps_the_shape_and_no_personal_text() {
        let file = viewed(crate::domain::Format::Paper);
        let left = residue(&file);
        assert_eq!(left.subjects.len(), file.subjects.len());
        assert_eq!(left.viewings.len(), file.viewings.len());
        assert_eq!(left.items.len(), file.items.len());
        assert_eq!(left.request.received_on, file.request.received_on);
        assert_eq!(left.request.organisation, file.request.organisation);
        assert_eq!(left.request.format, file.request.format);
        let text = serde_json::to_string(&left).unwrap();
        for s in &file.subjects {
            assert!(!text.contains(&s.name), "{}", s.name);
            assert!(!text.contains(&s.mosaic_id), "{}", s.mosaic_id);
        }
        for v in &file.viewings {
            assert!(!text.contains(&v.viewers), "{}", v.viewers);
        }
        let r = &file.request;
        for personal in [&r.requester.name, &r.requester.email, &r.purpose, &r.details.necessity] {
            assert!(personal.is_empty() || !text.contains(personal.as_str()), "{personal}");
        }
        assert!(!r.requester.name.is_empty() && !r.purpose.is_empty(), "the fixture has something to erase");
    }
}
