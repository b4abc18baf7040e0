//! The guards of every step (SPEC.md sections 2, 3 and 6). Each `check_*` takes the
//! request as loaded and the typed input, and returns what to write or a [`Refusal`].

use chrono::{NaiveDate, NaiveTime};

use super::checklist::{is_done, is_required};
use super::dates::uk;
use super::request::*;
use super::settings::Settings;
use super::types::*;
use super::{Refusal, Rule};

/// Who is acting, on what day, under which settings.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    pub actor: &'a Staff,
    pub today: NaiveDate,
    pub settings: &'a Settings,
}

fn no(rule: Rule, message: impl Into<String>, fix: impl Into<String>) -> Refusal {
    Refusal::new(rule, message, fix)
}

/// Read-only and deactivated logins change nothing.
pub fn may_edit(actor: &Staff) -> Result<(), Refusal> {
    if actor.can_edit() {
        Ok(())
    } else {
        Err(no(
            Rule::Permission,
            format!("{} ({}) may look things up but not change them", actor.login, actor.roles_code()),
            "ask an administrator to give this login the bsa role (caseshare staff set-roles)",
        ))
    }
}

/// Only administrators keep the staff list, service areas, organisations and rooms.
pub fn may_administer(actor: &Staff) -> Result<(), Refusal> {
    if actor.active && actor.has(Role::Admin) {
        Ok(())
    } else {
        Err(no(
            Rule::Permission,
            format!("{} is not an administrator", actor.login),
            "ask an administrator to make this change",
        ))
    }
}

/// Where a request from this kind of body goes instead of this process, if anywhere.
pub fn route_for(kind: OrgKind, settings: &Settings) -> Option<String> {
    let ig = "the information governance team";
    match kind {
        OrgKind::LocalAuthority => None,
        OrgKind::Cafcass => Some(format!(
            "CAFCASS requests do not follow this process: forward it to the CPRU admin mailbox {}",
            settings.cpru_mailbox
        )),
        OrgKind::Police => Some(format!(
            "police requests follow the police disclosure route (DPA 2018 Sch.2 para 2 request form): pass it to {ig}"
        )),
        OrgKind::Health => Some(format!("health and NHS requests are handled by {ig}")),
        OrgKind::Solicitor => Some(format!(
            "solicitors' requests need a court order or consent and are handled by {ig}"
        )),
        OrgKind::Individual => Some(format!(
            "a person asking for their own or their child's records makes a subject access request: pass it to {ig}"
        )),
        OrgKind::Other => Some(format!("requests from bodies that are not local authorities go to {ig}")),
    }
}

/// A closed request takes no more steps.
pub fn open(file: &RequestFile) -> Result<(), Refusal> {
    let status = file.request.status;
    if status.is_closed() {
        Err(no(
            Rule::Closed,
            format!("{} is {}", file.request.reference, status.label().to_lowercase()),
            "start a new request if more is needed",
        ))
    } else {
        Ok(())
    }
}

/// The date is not after today.
pub fn not_future(field: &str, date: NaiveDate, today: NaiveDate) -> Result<(), Refusal> {
    if date > today {
        Err(no(
            Rule::DateOrder,
            format!("{field} {} is in the future", uk(date)),
            "record a step on or after the day it happens",
        ))
    } else {
        Ok(())
    }
}

/// `date` is not before `anchor`.
pub fn not_before(field: &str, date: NaiveDate, anchor_name: &str, anchor: NaiveDate) -> Result<(), Refusal> {
    if date < anchor {
        Err(no(
            Rule::DateOrder,
            format!("{field} {} is before {anchor_name} {}", uk(date), uk(anchor)),
            "check the date",
        ))
    } else {
        Ok(())
    }
}

fn past_and_after(field: &str, date: NaiveDate, anchor_name: &str, anchor: NaiveDate, today: NaiveDate) -> Result<(), Refusal> {
    not_future(field, date, today)?;
    not_before(field, date, anchor_name, anchor)
}

/// Refuses a step that does not apply, is already done, or whose earlier steps are missing.
pub fn prerequisite(file: &RequestFile, step: Step) -> Result<(), Refusal> {
    open(file)?;
    let r = &file.request;
    if !is_required(file, step) {
        let what = match (r.kind, r.format) {
            (RequestKind::Viewing, Some(f)) => format!("a {} request", f.label().to_lowercase()),
            (kind, _) => format!("a {} request", kind.label().to_lowercase()),
        };
        return Err(no(
            Rule::NotApplicable,
            format!("'{}' does not apply to {what}", step.label()),
            "see the checklist (caseshare request show) for the steps that apply",
        ));
    }
    let repeatable = matches!(step, Step::VenueBooked | Step::Viewing);
    if !repeatable && is_done(file, step) && step != Step::Approval {
        return Err(no(
            Rule::AlreadyDone,
            format!("'{}' is already recorded for {}", step.label(), r.reference),
            "nothing to do",
        ));
    }
    let need = |earlier: Step| -> Result<(), Refusal> {
        if is_done(file, earlier) {
            Ok(())
        } else {
            Err(no(
                Rule::StepOrder,
                format!("'{}' comes after '{}', which is not recorded yet", step.label(), earlier.label()),
                format!("record step {} first", earlier.number()),
            ))
        }
    };
    let approved = || -> Result<(), Refusal> {
        if file.approved_items().next().is_some() {
            Ok(())
        } else {
            Err(no(
                Rule::StepOrder,
                format!("'{}' needs an approval of at least one item", step.label()),
                "record the asset owner's approval (step 4) first",
            ))
        }
    };
    match step {
        Step::Received | Step::DirectShare => Ok(()),
        Step::FormSent => need(Step::Received),
        Step::Scope => need(Step::FormSent),
        Step::Approval => {
            need(Step::Scope)?;
            if file.pending_items().next().is_none() {
                return Err(no(
                    Rule::AlreadyDone,
                    format!("every item of {} is already decided", r.reference),
                    "add an item (caseshare add-item) if more is asked for; it then needs a fresh approval",
                ));
            }
            Ok(())
        }
        Step::RestoreRequested | Step::VenueBooked => approved(),
        Step::FilesAvailable => approved(),
        Step::Confirmed => need(Step::VenueBooked),
        Step::Viewing => need(Step::Confirmed),
        Step::CaseNote => {
            if file.shared_anything() {
                Ok(())
            } else {
                Err(no(
                    Rule::StepOrder,
                    "the case note records what was shared, and nothing has been shared yet",
                    "log a viewing (step 9) first",
                ))
            }
        }
        Step::FilesReturned => need(Step::Viewing),
        Step::Complete => Ok(()),
    }
}

/// Step 2.
pub fn check_form_sent(file: &RequestFile, on: NaiveDate, ctx: Ctx) -> Result<(), Refusal> {
    prerequisite(file, Step::FormSent)?;
    past_and_after("form sent date", on, "the date received", file.request.received_on, ctx.today)
}

/// What step 3 records.
#[derive(Debug, Clone, Default)]
pub struct ScopeInput {
    pub returned_on: Option<NaiveDate>,
    pub items: Vec<(String, Option<String>)>,
    pub purpose: String,
    pub basis: LawfulBasis,
    pub details: ScopeDetails,
}

/// Step 3: the returned form, the items asked for, the purpose and the lawful basis.
pub fn check_scope(file: &RequestFile, input: &ScopeInput, ctx: Ctx) -> Result<(), Refusal> {
    prerequisite(file, Step::Scope)?;
    let on = input.returned_on.unwrap_or(ctx.today);
    if let Some(sent) = file.request.form_sent_on {
        past_and_after("form returned date", on, "the form sent date", sent, ctx.today)?;
    }
    check_scope_content(input)
}

/// The parts of a scope every path needs (also used by direct shares).
pub fn check_scope_content(input: &ScopeInput) -> Result<(), Refusal> {
    if input.items.is_empty() {
        return Err(no(
            Rule::MinimumNecessary,
            "no items are listed",
            "list each item asked for (--item), so approval can be given item by item",
        ));
    }
    basis_complete(&input.basis)?;
    if input.details.consent_sought == Some(false) && input.details.consent_note.is_empty() {
        return Err(no(
            Rule::LawfulBasis,
            "consent was not sought and no reason is given",
            "say why consent was not sought (e.g. the child would be at risk) with --consent-note",
        ));
    }
    Ok(())
}

fn basis_complete(basis: &LawfulBasis) -> Result<(), Refusal> {
    if basis.is_complete() {
        return Ok(());
    }
    let mut missing = Vec::new();
    if basis.art6.is_none() {
        missing.push("the Art. 6 basis");
    }
    if basis.art9.is_none() {
        missing.push("the Art. 9 / Schedule 1 condition");
    }
    if basis.power.is_none() {
        missing.push("the statutory power");
    }
    Err(no(
        Rule::LawfulBasis,
        format!("{} not recorded", missing.join(", ")),
        "record the full lawful basis (--art6, --art9, --power) before approval",
    ))
}

/// Adding an item after the form: allowed while open; it then needs a fresh approval.
pub fn check_add_item(file: &RequestFile) -> Result<(), Refusal> {
    open(file)?;
    if file.request.kind != RequestKind::Viewing || !is_done(file, Step::Scope) {
        return Err(no(
            Rule::StepOrder,
            "items are added to a request whose form has come back",
            "record the returned form with its items (caseshare scope) first",
        ));
    }
    Ok(())
}

/// Recording the originating agency's consent for a third-party item.
pub fn check_item_consent(file: &RequestFile, number: i64, on: NaiveDate, ctx: Ctx) -> Result<i64, Refusal> {
    open(file)?;
    let item = item(file, number)?;
    if item.third_party.is_none() {
        return Err(no(
            Rule::ThirdPartyConsent,
            format!("item {number} is not marked as another agency's material"),
            "consent is only recorded for third-party items",
        ));
    }
    past_and_after("consent date", on, "the date received", file.request.received_on, ctx.today)?;
    Ok(item.id)
}

fn item(file: &RequestFile, number: i64) -> Result<&ScopeItem, Refusal> {
    file.item_by_number(number).ok_or_else(|| {
        no(
            Rule::Reference,
            format!("{} has no item {number}", file.request.reference),
            format!("items are numbered 1 to {}", file.items.len()),
        )
    })
}

/// What step 4 records.
#[derive(Debug, Clone)]
pub struct ApprovalInput {
    pub approver: Staff,
    pub decided_on: NaiveDate,
    pub evidence_date: Option<NaiveDate>,
    pub evidence_ref: Option<String>,
    pub reason: String,
    /// Item numbers approved; every other undecided item is declined.
    pub approve: Vec<i64>,
}

/// The decision as it will be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalPlan {
    pub decision: Decision,
    pub approved_ids: Vec<i64>,
    pub declined_ids: Vec<i64>,
}

/// Step 4: only the asset owner decides; never the BSA who recorded the request.
pub fn check_approval(file: &RequestFile, input: &ApprovalInput, ctx: Ctx) -> Result<ApprovalPlan, Refusal> {
    prerequisite(file, Step::Approval)?;
    let r = &file.request;
    basis_complete(&r.basis)?;
    let area = r.service_area.as_ref().expect("viewing requests have a service area");
    if input.approver.id != area.asset_owner.id {
        return Err(no(
            Rule::AssetOwner,
            format!(
                "{} is not the asset owner of {}; only {} ({}) may decide",
                input.approver.name, area.name, area.asset_owner.name, area.asset_owner.login
            ),
            "ask the asset owner for the decision",
        ));
    }
    if input.approver.id == r.created_by.id {
        return Err(no(
            Rule::SeparationOfDuties,
            format!("{} recorded this request and cannot also approve it", input.approver.name),
            "an administrator must make another person asset owner or owner of the request",
        ));
    }
    if ctx.actor.id == input.approver.id {
        if !ctx.actor.has(Role::Manager) {
            return Err(no(
                Rule::Permission,
                format!("{} does not hold the manager role", ctx.actor.login),
                "ask an administrator to add the manager role",
            ));
        }
    } else {
        may_edit(ctx.actor)?;
        if input.evidence_date.is_none() || input.evidence_ref.as_deref().unwrap_or("").is_empty() {
            return Err(no(
                Rule::AssetOwner,
                format!("recording a decision on behalf of {} needs evidence", input.approver.name),
                "give the date and reference of the asset owner's email (--evidence-date, --evidence-ref)",
            ));
        }
    }
    let returned = r.form_returned_on.unwrap_or(r.received_on);
    past_and_after("decision date", input.decided_on, "the form returned date", returned, ctx.today)?;
    if let Some(ev) = input.evidence_date {
        past_and_after("evidence date", ev, "the form returned date", returned, ctx.today)?;
    }
    let pending: Vec<&ScopeItem> = file.pending_items().collect();
    for n in &input.approve {
        let it = item(file, *n)?;
        if it.approved.is_some() {
            return Err(no(
                Rule::AlreadyDone,
                format!("item {n} was already decided"),
                "approve only the undecided items",
            ));
        }
    }
    let (approved_ids, declined_ids): (Vec<i64>, Vec<i64>) = {
        let (a, d): (Vec<&ScopeItem>, Vec<&ScopeItem>) =
            pending.iter().partition(|i| input.approve.contains(&i.number));
        (a.iter().map(|i| i.id).collect(), d.iter().map(|i| i.id).collect())
    };
    let decision = if declined_ids.is_empty() {
        Decision::Approved
    } else if approved_ids.is_empty() {
        Decision::Refused
    } else {
        Decision::ApprovedInPart
    };
    Ok(ApprovalPlan { decision, approved_ids, declined_ids })
}

/// Step 5 (physical files only).
pub fn check_restore_requested(file: &RequestFile, on: NaiveDate, ctx: Ctx) -> Result<(), Refusal> {
    prerequisite(file, Step::RestoreRequested)?;
    let approved = file.first_approval_on().expect("approved");
    past_and_after("restore request date", on, "the approval date", approved, ctx.today)
}

/// Step 6, first half: the files are back (physical files only).
pub fn check_restored(file: &RequestFile, on: NaiveDate, ctx: Ctx) -> Result<(), Refusal> {
    prerequisite(file, Step::FilesAvailable)?;
    let r = &file.request;
    if !r.format.is_some_and(Format::has_paper) {
        return Err(no(
            Rule::NotApplicable,
            "a digital request has no physical files to restore",
            "record the Mosaic checks (caseshare mosaic-checks)",
        ));
    }
    if r.restored_on.is_some() {
        return Err(no(Rule::AlreadyDone, "the files are already recorded as restored", "nothing to do"));
    }
    let Some(asked) = r.restore_requested_on else {
        return Err(no(
            Rule::StepOrder,
            "the files cannot be restored before the restore is requested",
            "record the restore request (step 5) first",
        ));
    };
    past_and_after("restored date", on, "the restore request date", asked, ctx.today)
}

/// Step 6, second half: Mosaic shows where the file is and it is not locked.
pub fn check_mosaic(file: &RequestFile, on: NaiveDate, location_updated: bool, not_locked: bool, ctx: Ctx) -> Result<(), Refusal> {
    prerequisite(file, Step::FilesAvailable)?;
    if file.request.mosaic_checked_on.is_some() {
        return Err(no(Rule::AlreadyDone, "the Mosaic checks are already recorded", "nothing to do"));
    }
    if !location_updated || !not_locked {
        let missing = if !location_updated { "the file location is updated in Mosaic" } else { "the file is not locked in Mosaic" };
        return Err(no(
            Rule::StepOrder,
            format!("both Mosaic checks must be done; not confirmed: {missing}"),
            "do the check in Mosaic, then confirm it (--location-updated --not-locked)",
        ));
    }
    let approved = file.first_approval_on().expect("approved");
    past_and_after("Mosaic check date", on, "the approval date", approved, ctx.today)
}

/// What step 7 records.
#[derive(Debug, Clone)]
pub struct BookingInput {
    pub venue: Venue,
    pub room: Option<Room>,
    pub day: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub teams_reason: Option<String>,
}

/// Step 7: a fit venue, after approval, with no double booking (`clash` is the
/// reference of a booking of the same room that overlaps, found by the store).
pub fn check_booking(file: &RequestFile, input: &BookingInput, clash: Option<&str>, _ctx: Ctx) -> Result<(), Refusal> {
    prerequisite(file, Step::VenueBooked)?;
    let format = file.request.format.expect("viewing requests have a format");
    if input.end <= input.start {
        return Err(no(Rule::DateOrder, "the booking ends before it starts", "check the start and end times"));
    }
    let approved = file.first_approval_on().expect("approved");
    not_before("booking date", input.day, "the approval date", approved)?;
    match input.venue {
        Venue::Room | Venue::TeamsRoom => {
            let Some(room) = &input.room else {
                return Err(no(Rule::Venue, "no room given", "name the room (--room)"));
            };
            if !room.active {
                return Err(no(Rule::Venue, format!("room {} is no longer in use", room.name), "choose another room"));
            }
            if !room.observer_space || !room.secure_storage {
                return Err(no(
                    Rule::Venue,
                    format!("room {} lacks space for the LCC observer or secure storage", room.name),
                    "choose a private room with both (caseshare room list)",
                ));
            }
            if input.venue == Venue::TeamsRoom && !room.teams {
                return Err(no(Rule::Venue, format!("room {} has no Teams equipment", room.name), "choose a Teams room"));
            }
            if input.venue == Venue::Room && format == Format::Digital {
                return Err(no(
                    Rule::Venue,
                    "a digital request is viewed by screen share",
                    "book a Teams room visit (--venue teams-room), or a Teams meeting as a last resort",
                ));
            }
            if let Some(other) = clash {
                return Err(no(
                    Rule::DoubleBooking,
                    format!("room {} is already booked then ({other})", room.name),
                    "choose another time or room",
                ));
            }
        }
        Venue::TeamsMeeting => {
            if format == Format::Paper {
                return Err(no(Rule::Venue, "paper files are viewed in a private room", "book a room (--venue room)"));
            }
            if input.teams_reason.as_deref().unwrap_or("").is_empty() {
                return Err(no(
                    Rule::Venue,
                    "a Teams meeting is the last resort and needs a reason",
                    "say why a visit is not possible (--reason)",
                ));
            }
        }
    }
    Ok(())
}

/// Step 8.
pub fn check_confirmed(file: &RequestFile, on: NaiveDate, ctx: Ctx) -> Result<(), Refusal> {
    prerequisite(file, Step::Confirmed)?;
    let approved = file.first_approval_on().expect("approved");
    past_and_after("confirmation date", on, "the approval date", approved, ctx.today)
}

/// What step 9 records, per viewing.
#[derive(Debug, Clone)]
pub struct ViewingInput {
    pub day: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub viewers: String,
    pub viewer_org: String,
    pub supervisor: Option<Staff>,
    pub method: ViewingMethod,
    pub item_numbers: Vec<i64>,
    pub notes: String,
    /// (item number, reason) for any copy handed over.
    pub copies: Vec<(i64, String)>,
    pub supervised: bool,
    pub unsupervised_note: Option<String>,
}

/// The viewing as it will be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewingPlan {
    pub item_ids: Vec<i64>,
    pub copies: Vec<(i64, String)>,
    /// An unsupervised viewing opens an incident.
    pub opens_incident: bool,
}

/// Step 9: only approved items, consent for third-party material, always supervised.
pub fn check_viewing(file: &RequestFile, input: &ViewingInput, ctx: Ctx) -> Result<ViewingPlan, Refusal> {
    prerequisite(file, Step::Viewing)?;
    let format = file.request.format.expect("viewing requests have a format");
    let Some(supervisor) = &input.supervisor else {
        return Err(no(
            Rule::Supervision,
            "no LCC staff member is named as supervisor",
            "name the staff member present throughout (--supervisor LOGIN)",
        ));
    };
    if !supervisor.active {
        return Err(no(Rule::Supervision, format!("{} is not an active staff member", supervisor.login), "name another supervisor"));
    }
    if !input.method.fits(format) {
        return Err(no(
            Rule::NotApplicable,
            format!("'{}' does not fit a {} request", input.method.label(), format.label().to_lowercase()),
            "choose a method that matches the request's format",
        ));
    }
    if input.end <= input.start {
        return Err(no(Rule::DateOrder, "the viewing ends before it starts", "check the start and end times"));
    }
    let approved = file.first_approval_on().expect("approved");
    past_and_after("viewing date", input.day, "the approval date", approved, ctx.today)?;
    if input.item_numbers.is_empty() {
        return Err(no(Rule::MinimumNecessary, "no items shown are listed", "list the items shown (--items 1,2)"));
    }
    let mut item_ids = Vec::new();
    for n in &input.item_numbers {
        let it = item(file, *n)?;
        match it.approved {
            Some(true) => {}
            Some(false) => {
                return Err(no(
                    Rule::MinimumNecessary,
                    format!("item {n} ({}) was not approved for sharing", it.description),
                    "show only approved items; widening the scope needs a fresh approval",
                ));
            }
            None => {
                return Err(no(
                    Rule::MinimumNecessary,
                    format!("item {n} ({}) has not been approved yet", it.description),
                    "get the asset owner's approval for it first (caseshare approve)",
                ));
            }
        }
        if it.needs_consent() {
            return Err(no(
                Rule::ThirdPartyConsent,
                format!(
                    "item {n} is {}'s material and their consent is not recorded",
                    it.third_party.as_deref().unwrap_or("another agency")
                ),
                format!("record the agency's consent (caseshare item-consent {} {n})", file.request.reference),
            ));
        }
        if !item_ids.contains(&it.id) {
            item_ids.push(it.id);
        }
    }
    let mut copies = Vec::new();
    for (n, reason) in &input.copies {
        let it = item(file, *n)?;
        if !input.item_numbers.contains(n) {
            return Err(no(
                Rule::MinimumNecessary,
                format!("a copy of item {n} was given but the item is not among those shown"),
                "copies may only be of approved items shown at this viewing",
            ));
        }
        if reason.is_empty() {
            return Err(no(Rule::MinimumNecessary, format!("no reason for the copy of item {n}"), "say why a copy was needed"));
        }
        copies.push((it.id, reason.clone()));
    }
    if !input.supervised && input.unsupervised_note.as_deref().unwrap_or("").is_empty() {
        return Err(no(
            Rule::Supervision,
            "the viewing was not supervised throughout but what happened is not described",
            "describe what happened (--what-happened); an incident will be opened",
        ));
    }
    Ok(ViewingPlan { item_ids, copies, opens_incident: !input.supervised })
}

/// Referring an incident to information governance.
pub fn check_incident_referral(file: &RequestFile, incident_id: i64, on: NaiveDate, ctx: Ctx) -> Result<(), Refusal> {
    open(file)?;
    let Some(inc) = file.incidents.iter().find(|i| i.id == incident_id) else {
        return Err(no(Rule::Reference, format!("{} has no incident {incident_id}", file.request.reference), "see caseshare request show"));
    };
    if inc.referred_on.is_some() {
        return Err(no(Rule::AlreadyDone, format!("incident {incident_id} is already referred"), "nothing to do"));
    }
    past_and_after("referral date", on, "the incident date", inc.opened_on, ctx.today)
}

/// Step 10.
pub fn check_case_note(file: &RequestFile, on: NaiveDate, ctx: Ctx) -> Result<(), Refusal> {
    prerequisite(file, Step::CaseNote)?;
    let last = file.last_viewing_on().or(file.request.shared_on).expect("shared");
    past_and_after("case note date", on, "the last sharing", last, ctx.today)
}

/// Step 11 (physical files only).
pub fn check_files_returned(file: &RequestFile, on: NaiveDate, ctx: Ctx) -> Result<(), Refusal> {
    prerequisite(file, Step::FilesReturned)?;
    let last = file.last_viewing_on().expect("viewed");
    past_and_after("files returned date", on, "the last viewing", last, ctx.today)
}

/// Step 12: every required step done, no incident left unreferred.
pub fn check_complete(file: &RequestFile, on: NaiveDate, ctx: Ctx) -> Result<(), Refusal> {
    prerequisite(file, Step::Complete)?;
    if let Some(inc) = file.open_incidents().next() {
        return Err(no(
            Rule::Incident,
            format!("incident {} (viewing not supervised throughout) is not referred to information governance", inc.id),
            format!("refer it first (caseshare incident-referred {} {} --ig-ref REF)", file.request.reference, inc.id),
        ));
    }
    let missing: Vec<Step> = super::checklist::required_steps(file)
        .into_iter()
        .filter(|s| *s != Step::Complete && !is_done(file, *s))
        .collect();
    if missing.contains(&Step::CaseNote) && file.shared_anything() {
        return Err(no(
            Rule::CaseNote,
            "information was shared but no Mosaic case note is recorded",
            format!("record the case note (caseshare case-note {} shows the text)", file.request.reference),
        ));
    }
    if let Some(first) = missing.first() {
        let list = missing.iter().map(|s| s.number().to_string()).collect::<Vec<_>>().join(", ");
        return Err(no(
            Rule::StepOrder,
            format!("steps {list} are not done (next: {})", first.label()),
            "finish the required steps first",
        ));
    }
    let latest = [
        Some(file.request.received_on),
        file.request.case_note.as_ref().map(|c| c.on),
        file.request.files_returned_on,
        file.last_viewing_on(),
        file.request.shared_on,
    ]
    .into_iter()
    .flatten()
    .max()
    .expect("received date");
    past_and_after("completion date", on, "the last recorded step", latest, ctx.today)
}

/// Withdrawal at any point, but a request that shared something keeps its case note.
pub fn check_withdraw(file: &RequestFile, on: NaiveDate, ctx: Ctx) -> Result<(), Refusal> {
    open(file)?;
    if file.shared_anything() && file.request.case_note.is_none() {
        return Err(no(
            Rule::CaseNote,
            "information was already shared, so the Mosaic case note must be recorded even if the request is withdrawn",
            "record the case note first",
        ));
    }
    past_and_after("withdrawal date", on, "the date received", file.request.received_on, ctx.today)
}
