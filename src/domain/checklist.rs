//! Which steps a request needs, which are done, its derived status, and the
//! checklist lines (done / pending / overdue / blocked / not required).

use chrono::{NaiveDate, NaiveTime};
use serde::Serialize;

use super::dates::uk;
pub use super::process::{is_done, is_required, required_steps};
use super::request::*;
use super::rules::{prerequisite, ready_to_complete};
use super::settings::Settings;
use super::types::*;

/// The date a done step carries.
pub fn step_date(file: &RequestFile, step: Step) -> Option<NaiveDate> {
    let r = &file.request;
    match step {
        Step::Received => Some(r.received_on),
        Step::FormSent => r.form_sent_on,
        Step::Scope => r.form_returned_on.or(r.shared_on),
        Step::Approval => file.latest_approval().map(|a| a.decided_on),
        Step::RestoreRequested => r.restore_requested_on,
        Step::FilesAvailable => r.mosaic_checked_on.max(r.restored_on),
        Step::VenueBooked => file.bookings.last().map(|b| b.day),
        Step::Confirmed => r.confirmed_on,
        Step::Viewing => file.last_viewing_on(),
        Step::DirectShare => r.shared_on,
        Step::CaseNote => r.case_note.as_ref().map(|c| c.on),
        Step::FilesReturned => r.files_returned_on,
        Step::Complete => r.completed_on,
    }
}

/// Status from the steps: never typed in.
pub fn derive_status(file: &RequestFile) -> Status {
    let r = &file.request;
    if r.kind == RequestKind::Redirect {
        return Status::Redirected;
    }
    if r.withdrawn_on.is_some() {
        return Status::Withdrawn;
    }
    if r.completed_on.is_some() {
        return Status::Complete;
    }
    if file.latest_approval().is_some_and(|a| a.decision == Decision::Refused) && file.approved_items().next().is_none()
    {
        return Status::Refused;
    }
    if file.shared_anything() {
        return Status::Viewed;
    }
    if r.confirmed_on.is_some() {
        return Status::Scheduled;
    }
    if file.approved_items().next().is_some() {
        return Status::Preparing;
    }
    if r.form_returned_on.is_some() {
        return Status::AwaitingApproval;
    }
    if r.form_sent_on.is_some() {
        return Status::AwaitingForm;
    }
    Status::New
}

/// The first required step not yet done.
pub fn next_step(file: &RequestFile) -> Option<Step> {
    if derive_status(file).is_closed() {
        return None;
    }
    required_steps(file).into_iter().find(|s| !is_done(file, *s))
}

/// Said beside a request whose due date is counted into a year the bank-holiday
/// list does not cover, so rests on the rule: `due 05/05/2028: bank holidays after
/// 2027 computed by rule` (both faces print it).
pub fn due_note(file: &RequestFile, settings: &Settings) -> Option<String> {
    let due = due_date(file, settings)?;
    settings.holidays.rule_only_note(due).map(|note| format!("due {}: {note}", uk(due)))
}

/// The earliest target among the request's outstanding steps: what the list sorts
/// and marks overdue by.
pub fn due_date(file: &RequestFile, settings: &Settings) -> Option<NaiveDate> {
    targets(file, settings).into_iter().map(|(_, due)| due).min()
}

/// Every outstanding step that has a target, with its due date: the form's return
/// (from the day it was sent), the approval (from the form's return, or the last
/// decision for items added after it), the restore of physical files (from the day
/// it was requested) and the first viewing (from the first approval). None once
/// the request is closed.
pub fn targets(file: &RequestFile, settings: &Settings) -> Vec<(Step, NaiveDate)> {
    if file.request.kind != RequestKind::Viewing || derive_status(file).is_closed() {
        return vec![];
    }
    let r = &file.request;
    let t = &settings.targets;
    let due = |from: NaiveDate, days: u32| settings.holidays.add_working_days(from, days);
    let mut out = Vec::new();
    if let Some(sent) = r.form_sent_on
        && r.form_returned_on.is_none()
    {
        out.push((Step::Scope, due(sent, t.form_returned)));
    }
    if let Some(since) = file.approval_clock() {
        // An item added after a decision has its own clock, from the day it was added.
        out.push((Step::Approval, due(since, t.approval)));
    }
    if let Some(asked) = r.restore_requested_on
        && r.restored_on.is_none()
        && r.format.is_some_and(Format::has_paper)
    {
        out.push((Step::FilesAvailable, due(asked, t.restore)));
    }
    if let Some(approved) = file.first_approval_on()
        && file.viewings.is_empty()
    {
        out.push((Step::Viewing, due(approved, t.viewing)));
    }
    out
}

/// How one checklist line stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum StepState {
    /// Recorded; for step 7, `on` is the day it was booked and `slot` when the room is booked for.
    Done {
        on: Option<NaiveDate>,
        by: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        slot: Option<Slot>,
    },
    Pending {
        due: Option<NaiveDate>,
    },
    Overdue {
        due: NaiveDate,
    },
    Blocked {
        why: String,
    },
    /// Step 4 when the asset owner refused everything asked for.
    Refused {
        on: NaiveDate,
        by: String,
        reason: String,
    },
    /// A step the request would have taken had it not closed (refused, withdrawn).
    Closed {
        why: String,
    },
    NotRequired,
}

/// The time a booking holds the room (or the Teams meeting) for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Slot {
    pub day: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
}

/// One line of the checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepLine {
    pub step: Step,
    pub number: u8,
    pub label: String,
    #[serde(flatten)]
    pub state: StepState,
}

impl StepLine {
    /// `done 12/11/2026 by ahart`, `overdue since 03/11/2026`, …
    pub fn describe(&self) -> String {
        match &self.state {
            StepState::Done { on, by, slot } => {
                let mut s = if slot.is_some() { "booked" } else { "done" }.to_string();
                if let Some(d) = on {
                    s.push_str(&format!(" {}", uk(*d)));
                }
                if let Some(b) = by {
                    s.push_str(&format!(" by {b}"));
                }
                if let Some(t) = slot {
                    s.push_str(&format!("; slot {}", t.describe()));
                }
                s
            }
            StepState::Pending { due: Some(d) } => format!("pending, due {}", uk(*d)),
            StepState::Pending { due: None } => "pending".to_string(),
            StepState::Overdue { due } => format!("OVERDUE since {}", uk(*due)),
            StepState::Blocked { why } => format!("blocked: {why}"),
            StepState::Refused { on, by, reason } if reason.is_empty() => format!("refused {} by {by}", uk(*on)),
            StepState::Refused { on, by, reason } => format!("refused {} by {by}: {reason}", uk(*on)),
            StepState::Closed { why } => why.clone(),
            StepState::NotRequired => "not required".to_string(),
        }
    }
}

impl Slot {
    /// `20/11/2026 10:00–11:30`
    pub fn describe(&self) -> String {
        format!("{} {}–{}", uk(self.day), self.start.format("%H:%M"), self.end.format("%H:%M"))
    }
}

/// The label for a step in this request's format (digital step 6 is only the Mosaic checks).
pub fn step_label(file: &RequestFile, step: Step) -> String {
    let digital = file.request.format == Some(Format::Digital);
    match step {
        Step::FilesAvailable if digital => "Mosaic checks (location, not locked)".to_string(),
        // Half of step 6 done: say which half is left.
        Step::FilesAvailable if file.request.mosaic_checked_on.is_none() && file.request.restored_on.is_some() => {
            "Mosaic checks (files restored)".to_string()
        }
        Step::FilesAvailable if file.request.restored_on.is_none() && file.request.mosaic_checked_on.is_some() => {
            "Files restored (Mosaic checked)".to_string()
        }
        Step::Approval if !file.approvals.is_empty() && file.pending_items().next().is_some() => {
            "Approval (fresh approval for added items)".to_string()
        }
        _ => step.label().to_string(),
    }
}

/// Who a done step is credited to: the approver for a decision (whoever recorded
/// it), otherwise the person who ticked it.
fn done_by(file: &RequestFile, step: Step) -> Option<String> {
    let ticked = file.tick(step).map(|t| t.by.login.clone());
    match (step, file.latest_approval()) {
        (Step::Approval, Some(a)) if a.recorded_by.login != a.approver.login => {
            Some(format!("{} (recorded by {})", a.approver.login, a.recorded_by.login))
        }
        (Step::Approval, Some(a)) => Some(a.approver.login.clone()),
        _ => ticked,
    }
}

/// Every step, as the detail pane and `request show` list them.
pub fn checklist(file: &RequestFile, settings: &Settings, today: NaiveDate) -> Vec<StepLine> {
    let targets = targets(file, settings);
    let status = derive_status(file);
    let closed = status.is_closed();
    Step::ALL
        .iter()
        .copied()
        .filter(|s| *s != Step::DirectShare || file.request.kind == RequestKind::DirectShare)
        .filter(|s| *s != Step::Viewing || file.request.kind != RequestKind::DirectShare)
        .map(|step| {
            let state = if step == Step::Approval
                && status == Status::Refused
                && let Some(a) = file.latest_approval()
            {
                StepState::Refused {
                    on: a.decided_on,
                    by: done_by(file, step).unwrap_or_else(|| a.approver.login.clone()),
                    reason: a.reason.clone(),
                }
            } else if step == Step::VenueBooked
                && let Some(b) = file.bookings.last()
            {
                // The day it was booked, beside the slot it holds.
                let booked = file.tick(step).map(|t| t.at.with_timezone(&settings.timezone).date_naive());
                let slot = Slot { day: b.day, start: b.start, end: b.end };
                StepState::Done { on: booked, by: done_by(file, step), slot: Some(slot) }
            } else if is_done(file, step) {
                StepState::Done { on: step_date(file, step), by: done_by(file, step), slot: None }
            } else if is_required(file, step) && matches!(status, Status::Refused | Status::Withdrawn) {
                StepState::Closed { why: format!("closed — {}", status.label().to_lowercase()) }
            } else if !is_required(file, step) || closed {
                StepState::NotRequired
            } else {
                // A step with a target shows it even while earlier steps block it.
                let my_due = targets.iter().find(|(s, _)| *s == step).map(|(_, d)| *d);
                // Step 12 also waits on an incident's referral and the case note.
                let ready = if step == Step::Complete { ready_to_complete(file) } else { prerequisite(file, step) };
                match (my_due, ready) {
                    (Some(d), _) if d < today => StepState::Overdue { due: d },
                    (_, Err(why)) => StepState::Blocked { why: why.message },
                    (other, Ok(())) => StepState::Pending { due: other },
                }
            };
            StepLine { step, number: step.number(), label: step_label(file, step), state }
        })
        .collect()
}
