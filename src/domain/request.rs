//! The request as one value: the row, its subjects, scope items, approvals,
//! bookings, viewings, incidents and step ticks. Loaded whole by the store,
//! judged whole by the rules, serialised whole for the event log's before/after.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::Serialize;

use super::basis::*;
use super::types::*;

/// A staff member as seen from a request (who did what).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffRef {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub position: String,
}

/// A staff record with its roles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Staff {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub position: String,
    pub email: String,
    pub roles: Vec<Role>,
    pub active: bool,
}

impl Staff {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
    /// May record requests and their steps.
    pub fn can_edit(&self) -> bool {
        self.active && (self.has(Role::Bsa) || self.has(Role::Manager) || self.has(Role::Admin))
    }
    pub fn as_ref(&self) -> StaffRef {
        StaffRef { id: self.id, login: self.login.clone(), name: self.name.clone(), position: self.position.clone() }
    }
    /// Roles as the comma list stored and shown.
    pub fn roles_code(&self) -> String {
        self.roles.iter().map(|r| r.as_code()).collect::<Vec<_>>().join(",")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organisation {
    pub id: i64,
    pub name: String,
    pub kind: OrgKind,
    /// The day an administrator retired it: kept for the requests that name it,
    /// offered for no new one. Not read with a request (which names it as it is
    /// named), so left out of a request's file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retired_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceArea {
    pub id: i64,
    pub name: String,
    pub asset_owner: StaffRef,
    /// As [`Organisation::retired_on`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retired_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Room {
    pub id: i64,
    pub name: String,
    pub location: String,
    /// Space for the LCC observer to sit in.
    pub observer_space: bool,
    /// Records can be locked away.
    pub secure_storage: bool,
    /// Has Teams equipment for screen sharing.
    pub teams: bool,
    pub active: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Requester {
    pub name: String,
    pub role: String,
    pub email: String,
    pub phone: String,
}

/// A child or family member whose file is asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subject {
    pub id: i64,
    pub name: String,
    pub dob: Option<NaiveDate>,
    pub mosaic_id: String,
}

/// One thing asked for; approved or declined item by item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScopeItem {
    pub id: i64,
    /// 1, 2, 3… within the request, as people refer to it.
    pub number: i64,
    pub description: String,
    /// The agency whose material this is (police, health, court), if any.
    pub third_party: Option<String>,
    pub agency_consent_on: Option<NaiveDate>,
    pub agency_consent_ref: Option<String>,
    /// `None` until an approval decides it.
    pub approved: Option<bool>,
    /// The day it was asked for: the form's return for the scope's items, the day
    /// added for one added later (its approval target runs from then). `None` for
    /// items recorded before caseshare kept the date.
    pub added_on: Option<NaiveDate>,
    /// Why the asset owner declined it, when they said.
    pub decline_reason: Option<String>,
}

impl ScopeItem {
    pub fn needs_consent(&self) -> bool {
        self.third_party.is_some() && self.agency_consent_on.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Approval {
    pub id: i64,
    pub decision: Decision,
    pub approver: StaffRef,
    pub decided_on: NaiveDate,
    /// The asset owner's email, when a BSA records the decision on their behalf.
    pub evidence_date: Option<NaiveDate>,
    pub evidence_ref: Option<String>,
    pub reason: String,
    pub recorded_by: StaffRef,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Booking {
    pub id: i64,
    pub venue: Venue,
    pub room_id: Option<i64>,
    pub room_name: Option<String>,
    pub day: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub teams_reason: Option<String>,
    /// Where the room is, as the rooms table says now (for letters and the case
    /// note); not part of the record, so not in the log.
    #[serde(skip)]
    pub room_location: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CopyGiven {
    pub item_id: i64,
    pub reason: String,
}

/// One row of the "tracker": who viewed what, how, when, supervised by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Viewing {
    pub id: i64,
    pub day: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub viewers: String,
    /// The viewer's organisation's name as it was when the viewing was logged.
    pub viewer_org: String,
    /// The registered organisation (the requesting authority or another local
    /// authority); null for viewings logged before it was picked.
    pub viewer_org_id: Option<i64>,
    pub supervisor: StaffRef,
    pub method: ViewingMethod,
    pub item_ids: Vec<i64>,
    pub notes: String,
    pub copies: Vec<CopyGiven>,
    pub supervised: bool,
    /// What happened when the visitor was left alone, or devices or logins other
    /// than LCC's were used (either opens an incident).
    pub unsupervised_note: Option<String>,
    /// Who confirmed that the visitor was supervised throughout (or that they were
    /// not); null for viewings logged before it was asked.
    pub supervision_confirmed_by: Option<StaffRef>,
    /// For a screen or Teams viewing: only LCC devices and LCC logins were used.
    /// Null for a paper viewing, and for viewings logged before it was asked.
    pub lcc_devices_only: Option<bool>,
    /// For a screen or Teams viewing: what was downloaded (item id and reason), an
    /// empty list when nothing was. Null for a paper viewing, and for viewings
    /// logged before it was asked.
    pub downloads: Option<Vec<CopyGiven>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Incident {
    pub id: i64,
    pub viewing_id: Option<i64>,
    pub opened_on: NaiveDate,
    pub description: String,
    pub referred_on: Option<NaiveDate>,
    pub ig_ref: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseNoteRecord {
    pub on: NaiveDate,
    pub by: StaffRef,
    pub mosaic_ref: String,
    pub text: String,
}

/// Lawful basis (principle 1): picklists plus free text, each chosen by a person.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LawfulBasis {
    pub art6: Option<Art6Basis>,
    /// The Art. 9(2) gateway (`none` when no special category data is shared).
    pub art9: Option<Art9Gateway>,
    /// The DPA 2018 Schedule 1 condition the gateway needs, if it needs one.
    pub sch1: Option<Sch1Condition>,
    /// Required with Sch.1 para 18 (for special category or criminal offence data).
    pub consent_not_obtained: Option<ConsentNotObtained>,
    /// Whether criminal offence data (Art. 10) is involved; `None` = not answered.
    pub criminal: Option<bool>,
    /// Its Schedule 1 condition (DPA 2018 s.10(5)), when it is involved.
    pub criminal_condition: Option<Sch1Condition>,
    pub power: Option<StatutoryPower>,
    /// The court, date and reference of an order; the enactment for "other"; the
    /// function for LGA 1972 s.111.
    pub power_detail: String,
    /// Guidance relied on: its own field.
    pub guidance: Vec<Guidance>,
    pub guidance_other: String,
    pub notes: String,
    /// Set only by the schema 10 upgrade: what could not be mapped, in words.
    pub review: Option<String>,
    /// The questions a person confirmed, verbatim.
    pub confirmed: Vec<String>,
}

impl LawfulBasis {
    pub fn is_complete(&self) -> bool {
        self.art6.is_some() && self.art9.is_some() && self.criminal.is_some() && self.power.is_some()
    }
    /// Nothing recorded at all (a request before its scope).
    pub fn is_empty(&self) -> bool {
        self.art6.is_none() && self.art9.is_none() && self.power.is_none() && self.notes.is_empty()
    }
    /// One line for headers and case notes: the Art. 6 basis, the gateway and
    /// condition, and the power; empty when nothing is recorded.
    pub fn summary(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(a) = self.art6 {
            parts.push(a.label().to_string());
        }
        if let Some(line) = self.art9_line() {
            parts.push(line);
        }
        if let Some(line) = self.power_line() {
            parts.push(line);
        }
        if !self.notes.is_empty() {
            parts.push(self.notes.clone());
        }
        parts.join("; ")
    }
    /// "Art. 9(2)(g) … with DPA 2018 Sch.1 Part 2 para 18 … (consent …)".
    pub fn art9_line(&self) -> Option<String> {
        let g = self.art9?;
        let mut s = g.label().to_string();
        if let Some(c) = self.sch1 {
            s.push_str(&format!(" with {}", c.label()));
        }
        if let (Some(r), Some(true)) = (self.consent_not_obtained, self.sch1.map(Sch1Condition::needs_consent_reason)) {
            s.push_str(&format!(" (not consent-based: {})", r.label()));
        }
        Some(s)
    }
    /// "Not involved" / "Involved: DPA 2018 Sch.1 …" / none when not answered.
    pub fn criminal_line(&self) -> Option<String> {
        match (self.criminal?, self.criminal_condition) {
            (false, _) => Some("not involved".into()),
            (true, Some(c)) => Some(format!("involved, under {}", c.label())),
            (true, None) => Some("involved".into()),
        }
    }
    /// The power with its detail.
    pub fn power_line(&self) -> Option<String> {
        let p = self.power?;
        Some(if self.power_detail.is_empty() {
            p.label().to_string()
        } else {
            format!("{}: {}", p.label(), self.power_detail)
        })
    }
    /// The guidance relied on, listed, or none.
    pub fn guidance_line(&self) -> Option<String> {
        let mut g: Vec<String> = self.guidance.iter().map(|g| g.label().to_string()).collect();
        if !self.guidance_other.is_empty() {
            g.push(self.guidance_other.clone());
        }
        (!g.is_empty()).then(|| g.join("; "))
    }
}

/// What the ICO template expects a decision record to hold, beyond the basis.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ScopeDetails {
    /// Why sharing is necessary (or `n/a: reason`).
    pub necessity: String,
    pub consent_sought: Option<bool>,
    /// If consent was not sought, why not (e.g. the child is at risk).
    pub consent_note: String,
    /// Whether a data sharing agreement exists (yes, no, not applicable).
    pub agreement: Option<AgreementAnswer>,
    /// Its reference if there is one; the reason if it is not applicable.
    pub agreement_note: String,
    /// The agreement answer as yes/no, as written before schema 10 (`null` for not
    /// applicable), kept so older readers of the log and the JSON still read it.
    pub dsa_exists: Option<bool>,
    pub security: String,
    /// How long the recipient keeps what they learn.
    pub retention: String,
    pub controller: Option<ControllerRelationship>,
    pub dpia_considered: Option<bool>,
    pub dpia_outcome: String,
}

/// Who ticked a step and when they recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepTick {
    pub step: Step,
    pub by: StaffRef,
    pub at: DateTime<Utc>,
}

/// The request row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Request {
    pub id: i64,
    pub reference: String,
    pub kind: RequestKind,
    pub status: Status,
    #[serde(skip)]
    pub version: i64,
    #[serde(skip)]
    pub updated_by: String,
    #[serde(skip)]
    pub updated_at: DateTime<Utc>,
    pub created_by: StaffRef,
    pub owner: StaffRef,
    pub received_on: NaiveDate,
    pub channel: Channel,
    pub organisation: Organisation,
    pub requester: Requester,
    pub purpose: String,
    pub service_area: Option<ServiceArea>,
    pub format: Option<Format>,
    pub redirect_route: Option<String>,
    pub form_sent_on: Option<NaiveDate>,
    pub form_returned_on: Option<NaiveDate>,
    pub basis: LawfulBasis,
    pub details: ScopeDetails,
    pub restore_requested_on: Option<NaiveDate>,
    pub restore_ref: Option<String>,
    pub restored_on: Option<NaiveDate>,
    pub mosaic_checked_on: Option<NaiveDate>,
    pub confirmed_on: Option<NaiveDate>,
    pub shared_on: Option<NaiveDate>,
    pub share_method: Option<String>,
    pub case_note: Option<CaseNoteRecord>,
    pub files_returned_on: Option<NaiveDate>,
    /// Where the physical files were secured when they came back (step 11); `None`
    /// for files returned before caseshare asked.
    pub files_secured_at: Option<String>,
    pub completed_on: Option<NaiveDate>,
    pub withdrawn_on: Option<NaiveDate>,
    pub withdraw_reason: Option<String>,
    pub imported_from: Option<String>,
    /// "Third request in twelve months…": stored when the request is recorded and
    /// shown beside the agreement question at step 3.
    pub isa_prompt: Option<String>,
    /// A legal hold (inquiry, litigation, an open subject access request): the
    /// request is not disposed of while it stands. Left out of the log's text when
    /// there is none, as files written before holds existed have it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hold: Option<Hold>,
    /// Set once the request is disposed of: what is left is its residue
    /// ([`super::retention::residue`]). Left out when it has not been.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disposal: Option<Disposal>,
}

/// A legal hold on a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hold {
    pub since: NaiveDate,
    pub by: StaffRef,
    pub reason: String,
}

/// A request's disposal: who did it, who authorised it, why, and what was erased
/// (event ids, never their content).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disposal {
    pub on: NaiveDate,
    pub by: StaffRef,
    pub authorised_by: StaffRef,
    pub reason: String,
    /// Why it went before its retention date, when it did.
    pub early: Option<String>,
    /// The events of this request whose payloads were erased.
    pub erased_events: Vec<i64>,
    /// The recorded lookups naming its children whose payloads were erased.
    pub erased_lookups: Vec<i64>,
}

/// Everything about one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestFile {
    pub request: Request,
    pub subjects: Vec<Subject>,
    pub items: Vec<ScopeItem>,
    pub approvals: Vec<Approval>,
    pub bookings: Vec<Booking>,
    pub viewings: Vec<Viewing>,
    pub incidents: Vec<Incident>,
    /// Who ticked each step; each event records its own who and when, so ticks
    /// stay out of snapshots (they would repeat in every event).
    #[serde(skip)]
    pub ticks: Vec<StepTick>,
}

impl RequestFile {
    pub fn item_by_number(&self, number: i64) -> Option<&ScopeItem> {
        self.items.iter().find(|i| i.number == number)
    }
    pub fn item_by_id(&self, id: i64) -> Option<&ScopeItem> {
        self.items.iter().find(|i| i.id == id)
    }
    pub fn approved_items(&self) -> impl Iterator<Item = &ScopeItem> {
        self.items.iter().filter(|i| i.approved == Some(true))
    }
    pub fn pending_items(&self) -> impl Iterator<Item = &ScopeItem> {
        self.items.iter().filter(|i| i.approved.is_none())
    }
    /// The date sharing was first approved (any item), if it has been.
    pub fn first_approval_on(&self) -> Option<NaiveDate> {
        self.approvals.iter().filter(|a| a.decision != Decision::Refused).map(|a| a.decided_on).min()
    }
    /// The latest decision, which governs whether the request is refused.
    pub fn latest_approval(&self) -> Option<&Approval> {
        self.approvals.last()
    }
    /// When the clock for the outstanding decision started: the day the earliest
    /// undecided item was asked for. An item recorded before its date was kept
    /// counts from the form's return, or from the last decision if it came after
    /// one (as before). `None` while nothing waits for a decision.
    pub fn approval_clock(&self) -> Option<NaiveDate> {
        let back = self.request.form_returned_on?;
        let legacy = self.latest_approval().map_or(back, |a| a.decided_on.max(back));
        self.pending_items().map(|i| i.added_on.unwrap_or(legacy)).min()
    }
    pub fn tick(&self, step: Step) -> Option<&StepTick> {
        self.ticks.iter().rev().find(|t| t.step == step)
    }
    /// Anything was shown or handed over.
    pub fn shared_anything(&self) -> bool {
        !self.viewings.is_empty() || self.request.shared_on.is_some()
    }
    pub fn last_viewing_on(&self) -> Option<NaiveDate> {
        self.viewings.iter().map(|v| v.day).max()
    }
    pub fn open_incidents(&self) -> impl Iterator<Item = &Incident> {
        self.incidents.iter().filter(|i| i.referred_on.is_none())
    }
    /// The subjects' names, joined for one-line displays.
    pub fn subject_names(&self) -> String {
        self.subjects.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", ")
    }
    /// Descriptions of the given item ids, numbered.
    pub fn describe_items(&self, ids: &[i64]) -> Vec<String> {
        ids.iter().filter_map(|id| self.item_by_id(*id)).map(|i| format!("{}. {}", i.number, i.description)).collect()
    }
}
