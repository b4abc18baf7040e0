//! Steps 5 to 9: restore, Mosaic checks, venue, confirmation, viewings, incidents.

use chrono::{NaiveDate, NaiveTime};

use super::{Ctx, item, no, not_before, not_retired, past_and_after, prerequisite};
use crate::domain::request::*;
use crate::domain::types::*;
use crate::domain::{Refusal, Rule};

/// The confirmation a second viewing with the same viewers and times needs
/// (`Refusal::confirm`): the TUI's yes, the CLI's `--confirm-duplicate`.
pub const CONFIRM_DUPLICATE: &str = "confirm_duplicate";

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
            "record the Mosaic checks",
        )
        .hint("caseshare mosaic-checks"));
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
pub fn check_mosaic(
    file: &RequestFile,
    on: NaiveDate,
    location_updated: bool,
    not_locked: bool,
    ctx: Ctx,
) -> Result<(), Refusal> {
    prerequisite(file, Step::FilesAvailable)?;
    if file.request.mosaic_checked_on.is_some() {
        return Err(no(Rule::AlreadyDone, "the Mosaic checks are already recorded", "nothing to do"));
    }
    if !location_updated || !not_locked {
        let missing = match (location_updated, not_locked) {
            (false, false) => "the file location is updated in Mosaic, and the file is not locked in Mosaic",
            (false, true) => "the file location is updated in Mosaic",
            _ => "the file is not locked in Mosaic",
        };
        return Err(no(
            Rule::StepOrder,
            format!("both Mosaic checks must be done; not confirmed: {missing}"),
            "do the check in Mosaic, then confirm it",
        )
        .hint("--location-updated --not-locked"));
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
                return Err(no(Rule::Venue, "no room given", "name the room").hint("--room"));
            };
            not_retired("room", "room", &room.name, !room.active)?;
            if !room.observer_space || !room.secure_storage {
                return Err(no(
                    Rule::Venue,
                    format!("room {} lacks space for the LCC observer or secure storage", room.name),
                    "choose a private room with both",
                )
                .hint("caseshare room list"));
            }
            if input.venue == Venue::TeamsRoom && !room.teams {
                return Err(no(
                    Rule::Venue,
                    format!("room {} has no Teams equipment", room.name),
                    "choose a Teams room",
                ));
            }
            if input.venue == Venue::Room && format == Format::Digital {
                return Err(no(
                    Rule::Venue,
                    "a digital request is viewed by screen share",
                    "book a Teams room visit, or a Teams meeting as a last resort",
                )
                .hint("--venue teams-room"));
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
                return Err(
                    no(Rule::Venue, "paper files are viewed in a private room", "book a room").hint("--venue room")
                );
            }
            if input.teams_reason.as_deref().unwrap_or("").is_empty() {
                return Err(no(
                    Rule::Venue,
                    "a Teams meeting is the last resort and needs a reason",
                    "say why a visit is not possible",
                )
                .hint("--reason"));
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
    /// The viewer's organisation, as registered (the service resolves the name).
    pub viewer_org: Organisation,
    pub supervisor: Option<Staff>,
    pub method: ViewingMethod,
    pub item_numbers: Vec<i64>,
    pub notes: String,
    /// (item number, reason) for any copy handed over.
    pub copies: Vec<(i64, String)>,
    /// Asked with no default: `None` until a person answers.
    pub supervised: Option<bool>,
    /// What happened, when not supervised throughout or other devices were used.
    pub unsupervised_note: Option<String>,
    /// Who confirmed the answer about supervision.
    pub supervision_confirmed_by: Option<Staff>,
    /// For a screen or Teams viewing: only LCC devices and LCC logins were used.
    pub lcc_devices_only: Option<bool>,
    /// For a screen or Teams viewing: (item number, reason) for each item downloaded;
    /// `Some(empty)` when a person said nothing was, `None` when not answered.
    pub downloads: Option<Vec<(i64, String)>>,
    /// A person said this is a second viewing with the same viewers and times.
    pub confirm_duplicate: bool,
}

/// The viewing as it will be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewingPlan {
    pub item_ids: Vec<i64>,
    pub copies: Vec<(i64, String)>,
    /// Whether the visitor was supervised throughout, as answered.
    pub supervised: bool,
    /// Screen or Teams viewings only: the devices answer, and (item id, reason) downloaded.
    pub lcc_devices_only: Option<bool>,
    pub downloads: Option<Vec<(i64, String)>>,
    /// What opens an incident: the visitor left alone, other devices or logins used.
    pub lapses: Vec<&'static str>,
}

impl ViewingPlan {
    /// An unsupervised viewing, or one on other devices or logins, opens an incident.
    pub fn opens_incident(&self) -> bool {
        !self.lapses.is_empty()
    }
}

/// A screen share (in person or over Teams): the devices and downloads are asked.
pub fn is_screen(method: ViewingMethod) -> bool {
    method != ViewingMethod::InPersonPaper
}

/// Step 9: only approved items, consent for third-party material, always supervised.
pub fn check_viewing(file: &RequestFile, input: &ViewingInput, ctx: Ctx) -> Result<ViewingPlan, Refusal> {
    prerequisite(file, Step::Viewing)?;
    let format = file.request.format.expect("viewing requests have a format");
    let Some(supervisor) = &input.supervisor else {
        return Err(no(
            Rule::Supervision,
            "no LCC staff member is named as supervisor",
            "name the staff member present throughout",
        )
        .hint("--supervisor LOGIN"));
    };
    if supervisor.has(Role::Readonly) {
        return Err(no(
            Rule::Supervision,
            format!("{} has a read-only account and cannot be the LCC staff member present", supervisor.login),
            "name a member of staff who supervises viewings",
        ));
    }
    if !supervisor.active {
        return Err(no(
            Rule::Supervision,
            format!("{} is not an active staff member", supervisor.login),
            "name another supervisor",
        ));
    }
    check_viewer_org(&input.viewer_org, ctx)?;
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
        return Err(no(Rule::MinimumNecessary, "no items shown are listed", "list the items shown").hint("--items 1,2"));
    }
    let mut item_ids = Vec::new();
    for n in &input.item_numbers {
        let it = check_shown_item(file, *n)?;
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
            return Err(no(
                Rule::MinimumNecessary,
                format!("no reason for the copy of item {n}"),
                "say why a copy was needed",
            ));
        }
        copies.push((it.id, reason.clone()));
    }
    let Some(supervised) = input.supervised else {
        return Err(no(
            Rule::Supervision,
            "whether the visitor was supervised throughout is not answered",
            "answer yes or no: it has no default",
        )
        .hint("--supervised yes|no"));
    };
    let Some(confirmer) = &input.supervision_confirmed_by else {
        return Err(no(
            Rule::Supervision,
            "who confirmed whether the visitor was supervised throughout is not named",
            "name the LCC staff member who confirms it",
        )
        .hint("--confirmed-by LOGIN"));
    };
    if !confirmer.active || confirmer.has(Role::Readonly) {
        return Err(no(
            Rule::Supervision,
            format!(
                "{} cannot confirm the supervision: not an active member of staff who supervises viewings",
                confirmer.login
            ),
            "name the LCC staff member who confirms it",
        ));
    }
    let described = !input.unsupervised_note.as_deref().unwrap_or("").is_empty();
    if !supervised && !described {
        return Err(no(
            Rule::Supervision,
            "the viewing was not supervised throughout but what happened is not described",
            "describe what happened; an incident will be opened",
        )
        .hint("--what-happened"));
    }
    let mut lapses = Vec::new();
    if !supervised {
        lapses.push("Viewing not supervised throughout");
    }
    let screen = is_screen(input.method);
    let (mut lcc_devices_only, mut downloads) = (None, None);
    if screen {
        let Some(lcc) = input.lcc_devices_only else {
            return Err(no(
                Rule::Security,
                "for a screen or Teams viewing, whether only LCC devices and LCC logins were used is not confirmed",
                "confirm it, or say no and describe what happened",
            )
            .hint("--lcc-devices yes|no"));
        };
        if !lcc && !described {
            return Err(no(
                Rule::Security,
                "devices or logins other than LCC's were used but what happened is not described",
                "describe what happened; an incident will be opened",
            )
            .hint("--what-happened"));
        }
        if !lcc {
            lapses.push("Devices or logins other than LCC's were used");
        }
        let Some(listed) = &input.downloads else {
            return Err(no(
                Rule::MinimumNecessary,
                "what was downloaded is not recorded",
                "list each item downloaded with its reason, or say none was",
            )
            .hint("--download ITEM|REASON or --no-downloads"));
        };
        let mut kept = Vec::new();
        for (n, reason) in listed {
            let it = item(file, *n)?;
            if !input.item_numbers.contains(n) {
                return Err(no(
                    Rule::MinimumNecessary,
                    format!("item {n} was downloaded but is not among those shown"),
                    "downloads may only be of approved items shown at this viewing",
                ));
            }
            if reason.is_empty() {
                return Err(no(
                    Rule::MinimumNecessary,
                    format!("no reason for downloading item {n}"),
                    "say why the download was needed",
                ));
            }
            kept.push((it.id, reason.clone()));
        }
        lcc_devices_only = Some(lcc);
        downloads = Some(kept);
    }
    if !input.confirm_duplicate
        && let Some(same) = file.viewings.iter().find(|v| {
            v.day == input.day
                && v.start == input.start
                && v.end == input.end
                && viewer_names(&v.viewers) == viewer_names(&input.viewers)
        })
    {
        return Err(no(
            Rule::Duplicate,
            format!(
                "a viewing by {} on {} {}–{} is already logged (viewing {})",
                same.viewers,
                crate::domain::dates::uk(same.day),
                same.start.format("%H:%M"),
                same.end.format("%H:%M"),
                same.id
            ),
            "if this was a second, separate viewing, confirm it",
        )
        .hint("--confirm-duplicate")
        .confirm(CONFIRM_DUPLICATE, "Log a second viewing with the same viewers and times?"));
    }
    Ok(ViewingPlan { item_ids, copies, supervised, lcc_devices_only, downloads, lapses })
}

/// The viewers as a set: names split on commas, semicolons and "and", trimmed,
/// compared without case.
fn viewer_names(viewers: &str) -> Vec<String> {
    let mut names: Vec<String> = viewers
        .split([',', ';', '&'])
        .flat_map(|part| part.split(" and "))
        .map(|n| n.trim().to_lowercase())
        .filter(|n| !n.is_empty())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The viewer belongs to a local authority: the requesting one or another registered
/// one (the family's new authority sending a colleague). Any other body is refused
/// with the route its requests take instead.
pub fn check_viewer_org(org: &Organisation, ctx: Ctx) -> Result<(), Refusal> {
    match super::route_for(org.kind, ctx.settings) {
        None => Ok(()),
        Some(route) => Err(no(
            Rule::Route,
            format!("{} is {}, not a local authority: {route}", org.name, org.kind.label().to_lowercase()),
            "only the requesting authority or another local authority views under this process",
        )),
    }
}

/// An item may be shown (step 9, and a viewing brought in by import): it exists, the
/// asset owner approved it, and another agency's material has that agency's consent.
pub fn check_shown_item(file: &RequestFile, n: i64) -> Result<&ScopeItem, Refusal> {
    let it = item(file, n)?;
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
                "get the asset owner's approval for it first",
            )
            .hint("caseshare approve"));
        }
    }
    if it.needs_consent() {
        return Err(no(
            Rule::ThirdPartyConsent,
            format!(
                "item {n} is {}'s material and their consent is not recorded",
                it.third_party.as_deref().unwrap_or("another agency")
            ),
            "record the agency's consent",
        )
        .hint(format!("caseshare item-consent {} {n}", file.request.reference)));
    }
    Ok(it)
}

/// Referring an incident to information governance: always possible, on a closed
/// request too (a closed request with an incident left unreferred predates the rule).
pub fn check_incident_referral(file: &RequestFile, incident_id: i64, on: NaiveDate, ctx: Ctx) -> Result<(), Refusal> {
    let Some(inc) = file.incidents.iter().find(|i| i.id == incident_id) else {
        return Err(no(
            Rule::Reference,
            format!("{} has no incident {incident_id}", file.request.reference),
            "check the request's incidents",
        )
        .hint("caseshare request show"));
    };
    if inc.referred_on.is_some() {
        return Err(no(Rule::AlreadyDone, format!("incident {incident_id} is already referred"), "nothing to do"));
    }
    past_and_after("referral date", on, "the incident date", inc.opened_on, ctx.today)
}
