//! Recording requests and each step of the checklist.

use chrono::{Duration, NaiveDate};
use rusqlite::types::ToSql;
use serde::Serialize;
use serde_json::json;

use super::forms::*;
use super::{Result, Service, ServiceError, load_or_not_found};
use crate::domain::rules::{self, ApprovalInput, BookingInput, Ctx, ScopeInput, ViewingInput};
use crate::domain::*;
use crate::store::{reference, requests};

/// What recording a new request led to.
#[derive(Debug, Clone, Serialize)]
pub struct NewOutcome {
    pub reference: String,
    pub status: Status,
    /// Set when the request was redirected instead (CAFCASS, not a local authority).
    pub redirect: Option<String>,
    /// Things to consider (e.g. an information sharing agreement).
    pub notices: Vec<String>,
    /// The first step still to do (none once redirected).
    pub next_step: Option<Step>,
}

fn staff_named(conn: &rusqlite::Connection, field: &str, login: &str) -> Result<Staff> {
    let login = text::line(field, login)?;
    reference::staff_by_login(conn, &login)?.ok_or_else(|| {
        Refusal::new(Rule::Reference, format!("no staff member with login '{login}'"), "check the login")
            .hint("caseshare staff list")
            .into()
    })
}

fn items_parsed(items: &[ItemForm]) -> Result<Vec<(String, Option<String>)>> {
    items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let d = text::line(&format!("item {}", i + 1), &it.description)?;
            let tp = text::optional_line(&format!("item {} agency", i + 1), &it.third_party)?;
            Ok((d, (!tp.is_empty()).then_some(tp)))
        })
        .collect()
}

impl Service {
    /// Step 1: records a request, or the redirect if it is not for this process.
    pub(super) fn new_request(&mut self, form: &NewRequestForm) -> Result<NewOutcome> {
        self.create(form, RequestKind::Viewing, |_, _, _| Ok(()))
    }

    /// The short path for a copy shared directly: request, items, basis, when and how.
    pub(super) fn direct_share(&mut self, form: &DirectShareForm) -> Result<NewOutcome> {
        let today = self.today();
        let items = items_parsed(&form.items)?;
        let (basis, details) = form.basis.parse()?;
        let shared_on = date_or_today("date shared", &form.shared_on, today)?;
        let method = text::line("how it was shared", &form.method)?;
        rules::check_scope_content(&ScopeInput {
            returned_on: None,
            items: items.clone(),
            purpose: String::new(),
            basis: basis.clone(),
            details: details.clone(),
        })?;
        self.create(&form.request, RequestKind::DirectShare, move |tx, id, received| {
            rules::not_future("date shared", shared_on, today)?;
            rules::not_before("date shared", shared_on, "the date received", received)?;
            for (d, tp) in &items {
                requests::insert_item(tx, id, d, tp.as_deref())?;
            }
            write_basis(tx, id, &basis, &details)?;
            requests::set(tx, id, &[("shared_on", &shared_on), ("share_method", &method)])?;
            Ok(())
        })
    }

    fn create(
        &mut self,
        form: &NewRequestForm,
        kind: RequestKind,
        extra: impl FnOnce(&rusqlite::Connection, i64, NaiveDate) -> Result<()>,
    ) -> Result<NewOutcome> {
        rules::may_edit(&self.actor)?;
        let now = self.now();
        let today = self.today();
        let received = date_or_today("date received", &form.received, today)?;
        rules::not_future("date received", received, today)?;
        let channel: Channel = code("channel", &form.channel)?;
        let org_name = text::line("requesting organisation", &form.organisation)?;
        let Service { store, actor, settings, .. } = self;
        let tx = store.write()?;
        let org = reference::org_by_name(&tx, &org_name)?.ok_or_else(|| {
            Refusal::new(
                Rule::Reference,
                format!("unknown organisation '{org_name}'"),
                format!("an administrator adds it with: caseshare org add \"{org_name}\" --kind local_authority"),
            )
        })?;
        let reference = requests::next_reference(&tx, chrono::Datelike::year(&received))?;
        let blank = Requester::default();
        let route = rules::route_for(org.kind, settings);
        let (kind, op) = if route.is_some() { (RequestKind::Redirect, "redirect") } else { (kind, "request.new") };
        let id = if let Some(route) = &route {
            // Least personal data: no requester, subject or purpose details are kept.
            requests::insert(
                &tx,
                &requests::NewRequest {
                    reference: &reference,
                    kind,
                    created_by: actor.id,
                    at: now,
                    login: &actor.login,
                    received_on: received,
                    channel,
                    organisation_id: org.id,
                    requester: &blank,
                    purpose: "",
                    service_area_id: None,
                    format: None,
                    redirect_route: Some(route),
                    imported_from: None,
                },
            )?
        } else {
            let requester = Requester {
                name: text::line("requester name", &form.requester_name)?,
                role: text::optional_line("requester role", &form.requester_role)?,
                email: text::optional_line("requester email", &form.requester_email)?,
                phone: text::optional_line("requester phone", &form.requester_phone)?,
            };
            let purpose = text::text("purpose", &form.purpose)?;
            let area_name = text::line("service area", &form.service_area)?;
            let area = reference::area_by_name(&tx, &area_name)?.ok_or_else(|| {
                Refusal::new(Rule::Reference, format!("unknown service area '{area_name}'"), "check the name")
                    .hint("caseshare area list")
            })?;
            let format: Option<Format> = match kind {
                RequestKind::Viewing => Some(code("format (paper, digital or both)", &form.format)?),
                _ => opt_code("format", &form.format)?,
            };
            if form.subjects.is_empty() {
                return Err(InputError::new("subject", "is required: give the child's name and Mosaic ID").into());
            }
            let mut subjects = Vec::new();
            for (i, s) in form.subjects.iter().enumerate() {
                let n = i + 1;
                subjects.push(Subject {
                    id: 0,
                    name: text::line(&format!("subject {n} name"), &s.name)?,
                    dob: match opt_date(&format!("subject {n} date of birth"), &s.dob, today)? {
                        Some(d) if d > today => {
                            return Err(
                                InputError::new(&format!("subject {n} date of birth"), "is in the future").into()
                            );
                        }
                        other => other,
                    },
                    mosaic_id: text::line(&format!("subject {n} Mosaic ID"), &s.mosaic_id)?,
                });
            }
            let owner =
                if form.owner.trim().is_empty() { actor.clone() } else { staff_named(&tx, "owner", &form.owner)? };
            let id = requests::insert(
                &tx,
                &requests::NewRequest {
                    reference: &reference,
                    kind,
                    created_by: actor.id,
                    at: now,
                    login: &actor.login,
                    received_on: received,
                    channel,
                    organisation_id: org.id,
                    requester: &requester,
                    purpose: &purpose,
                    service_area_id: Some(area.id),
                    format,
                    redirect_route: None,
                    imported_from: None,
                },
            )?;
            if owner.id != actor.id {
                requests::set(&tx, id, &[("owner_id", &owner.id)])?;
            }
            for s in &subjects {
                requests::insert_subject(&tx, id, s)?;
            }
            extra(&tx, id, received)?;
            id
        };
        requests::insert_tick(&tx, id, Step::Received, actor.id, now)?;
        let mut file = load_or_not_found(&tx, &reference)?;
        requests::set_derived(&tx, &file, settings, &actor.login, now)?;
        let status = derive_status(&file);
        file.request.status = status;
        let next_step = checklist::next_step(&file);
        let after = serde_json::to_value(&file).expect("requests serialise");
        crate::store::events::append(&tx, now, &actor.login, op, Some(&reference), &json!(null), &after)?;
        let mut notices = Vec::new();
        if route.is_none() {
            let year_ago = received - Duration::days(365);
            let n = requests::org_requests_between(&tx, org.id, year_ago + Duration::days(1), received)?;
            if n >= 3 {
                notices.push(format!(
                    "this is request {n} from {} in twelve months: consider an information sharing agreement (systematic sharing)",
                    org.name
                ));
            }
        }
        tx.commit()?;
        Ok(NewOutcome { reference, status, redirect: route, notices, next_step })
    }

    /// Corrects the requester's details or the stated purpose; the event keeps what
    /// they were.
    pub(super) fn correct(
        &mut self,
        reference: &str,
        version: Option<i64>,
        form: &CorrectionForm,
    ) -> Result<RequestFile> {
        self.change(reference, version, "correct", None, |tx, f, _ctx| {
            // A redirect keeps no details: say so before checking what was typed.
            rules::check_correctable(f)?;
            let now = &f.request;
            let given = |field: &str, v: &Option<String>, required: bool, was: &str| -> Result<String> {
                match v.as_deref() {
                    None => Ok(was.to_string()),
                    Some(t) if required => Ok(text::line(field, t)?),
                    Some(t) => Ok(text::optional_line(field, t)?),
                }
            };
            let requester = Requester {
                name: given("requester name", &form.requester_name, true, &now.requester.name)?,
                role: given("requester role", &form.requester_role, false, &now.requester.role)?,
                email: given("requester email", &form.requester_email, false, &now.requester.email)?,
                phone: given("requester phone", &form.requester_phone, false, &now.requester.phone)?,
            };
            let purpose = match form.purpose.as_deref() {
                Some(t) => text::text("purpose", t)?,
                None => now.purpose.clone(),
            };
            rules::check_correct(f, &requester, &purpose)?;
            requests::set(
                tx,
                now.id,
                &[
                    ("requester_name", &requester.name),
                    ("requester_role", &requester.role),
                    ("requester_email", &requester.email),
                    ("requester_phone", &requester.phone),
                    ("purpose", &purpose),
                ],
            )
            .map_err(ServiceError::from)
        })
    }

    /// Step 2.
    pub(super) fn form_sent(&mut self, reference: &str, version: Option<i64>, date: &str) -> Result<RequestFile> {
        let on = date_or_today("form sent date", date, self.today())?;
        self.change(reference, version, "form_sent", Some(Step::FormSent), |tx, f, ctx| {
            rules::check_form_sent(f, on, ctx)?;
            requests::set(tx, f.request.id, &[("form_sent_on", &on)]).map_err(ServiceError::from)
        })
    }

    /// Step 3.
    pub(super) fn scope(&mut self, reference: &str, version: Option<i64>, form: &ScopeForm) -> Result<RequestFile> {
        let today = self.today();
        let input = ScopeInput {
            returned_on: Some(date_or_today("form returned date", &form.returned, today)?),
            items: items_parsed(&form.items)?,
            purpose: text::optional_text("purpose", &form.purpose)?,
            basis: form.basis.parse()?.0,
            details: form.basis.parse()?.1,
        };
        self.change(reference, version, "scope", Some(Step::Scope), |tx, f, ctx| {
            rules::check_scope(f, &input, ctx)?;
            let id = f.request.id;
            for (d, tp) in &input.items {
                requests::insert_item(tx, id, d, tp.as_deref())?;
            }
            write_basis(tx, id, &input.basis, &input.details)?;
            requests::set(tx, id, &[("form_returned_on", &input.returned_on)])?;
            if !input.purpose.is_empty() {
                requests::set(tx, id, &[("purpose", &input.purpose)])?;
            }
            Ok(())
        })
    }

    /// Widening the scope: a new item, which then needs a fresh approval.
    pub(super) fn add_item(&mut self, reference: &str, version: Option<i64>, item: &ItemForm) -> Result<RequestFile> {
        let (d, tp) = items_parsed(std::slice::from_ref(item))?.remove(0);
        self.change(reference, version, "item.add", None, |tx, f, _| {
            rules::check_add_item(f)?;
            requests::insert_item(tx, f.request.id, &d, tp.as_deref())?;
            Ok(())
        })
    }

    /// The originating agency's consent to show its material.
    pub(super) fn item_consent(
        &mut self,
        reference: &str,
        version: Option<i64>,
        item: i64,
        date: &str,
        consent_ref: &str,
    ) -> Result<RequestFile> {
        let on = date_or_today("consent date", date, self.today())?;
        let consent_ref = text::line("consent reference", consent_ref)?;
        self.change(reference, version, "item.consent", None, |tx, f, ctx| {
            let id = rules::check_item_consent(f, item, on, ctx)?;
            requests::set_item_consent(tx, id, on, &consent_ref)?;
            Ok(())
        })
    }

    /// Step 4: the asset owner's decision, item by item (no items approved = refused).
    pub(super) fn approve(
        &mut self,
        reference: &str,
        version: Option<i64>,
        form: &ApprovalForm,
    ) -> Result<RequestFile> {
        let today = self.today();
        let decided_on = date_or_today("decision date", &form.decided, today)?;
        let evidence_date = opt_date("evidence date", &form.evidence_date, today)?;
        let evidence_ref = text::optional_line("evidence reference", &form.evidence_ref)?;
        let reason = text::text("reason for the decision", &form.reason)?;
        let approver = staff_named(self.store.conn(), "approver", &form.approver)?;
        let op = if form.approve.trim().is_empty() || form.approve.trim().eq_ignore_ascii_case("none") {
            "refuse"
        } else {
            "approve"
        };
        self.change(reference, version, op, Some(Step::Approval), |tx, f, ctx| {
            let pending: Vec<i64> = f.pending_items().map(|i| i.number).collect();
            let approve = item_numbers("approved items", &form.approve, &pending)?;
            let input = ApprovalInput {
                approver: approver.clone(),
                decided_on,
                evidence_date,
                evidence_ref: (!evidence_ref.is_empty()).then(|| evidence_ref.clone()),
                reason: reason.clone(),
                approve,
            };
            let plan = rules::check_approval(f, &input, ctx)?;
            for id in &plan.approved_ids {
                requests::set_item_decision(tx, *id, true)?;
            }
            for id in &plan.declined_ids {
                requests::set_item_decision(tx, *id, false)?;
            }
            let on_behalf = ctx.actor.id != approver.id;
            requests::insert_approval(
                tx,
                f.request.id,
                &Approval {
                    id: 0,
                    decision: plan.decision,
                    approver: approver.as_ref(),
                    decided_on,
                    evidence_date: if on_behalf { evidence_date } else { evidence_date.or(Some(decided_on)) },
                    evidence_ref: input.evidence_ref,
                    reason: reason.clone(),
                    recorded_by: ctx.actor.as_ref(),
                },
            )?;
            Ok(())
        })
    }

    /// Step 5.
    pub(super) fn restore_requested(
        &mut self,
        reference: &str,
        version: Option<i64>,
        date: &str,
        restore_ref: &str,
    ) -> Result<RequestFile> {
        let on = date_or_today("restore request date", date, self.today())?;
        let restore_ref = text::line("restore reference", restore_ref)?;
        self.simple(
            reference,
            version,
            "restore_requested",
            Step::RestoreRequested,
            on,
            rules::check_restore_requested,
            &[("restore_requested_on", &on), ("restore_ref", &restore_ref)],
        )
    }

    /// Step 6, physical files back.
    pub(super) fn restored(&mut self, reference: &str, version: Option<i64>, date: &str) -> Result<RequestFile> {
        let on = date_or_today("restored date", date, self.today())?;
        self.simple(
            reference,
            version,
            "restored",
            Step::FilesAvailable,
            on,
            rules::check_restored,
            &[("restored_on", &on)],
        )
    }

    /// Step 6, Mosaic checks (location updated, not locked).
    pub(super) fn mosaic_checks(
        &mut self,
        reference: &str,
        version: Option<i64>,
        date: &str,
        location_updated: bool,
        not_locked: bool,
    ) -> Result<RequestFile> {
        let on = date_or_today("Mosaic check date", date, self.today())?;
        self.simple(
            reference,
            version,
            "mosaic_checks",
            Step::FilesAvailable,
            on,
            |f, on, ctx| rules::check_mosaic(f, on, location_updated, not_locked, ctx),
            &[("mosaic_checked_on", &on)],
        )
    }

    /// Step 7.
    pub(super) fn book(&mut self, reference: &str, version: Option<i64>, form: &BookingForm) -> Result<RequestFile> {
        let today = self.today();
        let venue: Venue = code("venue", &form.venue)?;
        let day = crate::domain::dates::parse_date("booking date", &form.day, today)?;
        let start = time("start time", &form.start)?;
        let end = time("end time", &form.end)?;
        let teams_reason = text::optional_text("reason for a Teams meeting", &form.teams_reason)?;
        let room_name = text::optional_line("room", &form.room)?;
        let room = if room_name.is_empty() || venue == Venue::TeamsMeeting {
            None
        } else {
            Some(reference::room_by_name(self.store.conn(), &room_name)?.ok_or_else(|| {
                Refusal::new(Rule::Reference, format!("unknown room '{room_name}'"), "check the name")
                    .hint("caseshare room list")
            })?)
        };
        self.change(reference, version, "book", Some(Step::VenueBooked), |tx, f, ctx| {
            let booking = Booking {
                id: 0,
                venue,
                room_id: room.as_ref().map(|r| r.id),
                room_name: room.as_ref().map(|r| r.name.clone()),
                day,
                start,
                end,
                teams_reason: (!teams_reason.is_empty()).then(|| teams_reason.clone()),
            };
            let clash = match &room {
                Some(r) => requests::room_clash(tx, r.id, &booking)?,
                None => None,
            };
            let input =
                BookingInput { venue, room: room.clone(), day, start, end, teams_reason: booking.teams_reason.clone() };
            rules::check_booking(f, &input, clash.as_deref(), ctx)?;
            requests::insert_booking(tx, f.request.id, &booking)?;
            Ok(())
        })
    }

    /// Step 8.
    pub(super) fn confirm(&mut self, reference: &str, version: Option<i64>, date: &str) -> Result<RequestFile> {
        let on = date_or_today("confirmation date", date, self.today())?;
        self.simple(
            reference,
            version,
            "confirm",
            Step::Confirmed,
            on,
            rules::check_confirmed,
            &[("confirmed_on", &on)],
        )
    }

    /// Step 9: one viewing; "not supervised throughout" opens an incident.
    pub(super) fn viewing(&mut self, reference: &str, version: Option<i64>, form: &ViewingForm) -> Result<RequestFile> {
        let today = self.today();
        let day = date_or_today("viewing date", &form.day, today)?;
        let start = time("start time", &form.start)?;
        let end = time("end time", &form.end)?;
        let viewers = text::line("viewer name(s)", &form.viewers)?;
        let viewer_org = text::optional_line("viewer organisation", &form.viewer_org)?;
        let method: ViewingMethod = code("method", &form.method)?;
        let notes = text::optional_text("notes", &form.notes)?;
        let supervised = yes_no("supervised throughout", &form.supervised)?.unwrap_or(true);
        let what_happened = text::optional_text("what happened", &form.what_happened)?;
        let supervisor_login = text::optional_line("supervisor", &form.supervisor)?;
        let supervisor = if supervisor_login.is_empty() {
            None
        } else {
            Some(staff_named(self.store.conn(), "supervisor", &supervisor_login)?)
        };
        let mut copies = Vec::new();
        for (i, c) in form.copies.iter().enumerate() {
            let n = item_numbers(&format!("copy {} item", i + 1), &c.item, &[])?;
            let reason = text::optional_line(&format!("copy {} reason", i + 1), &c.reason)?;
            for item in n {
                copies.push((item, reason.clone()));
            }
        }
        self.change(reference, version, "viewing", Some(Step::Viewing), |tx, f, ctx| {
            let input = ViewingInput {
                day,
                start,
                end,
                viewers: viewers.clone(),
                viewer_org: if viewer_org.is_empty() {
                    f.request.organisation.name.clone()
                } else {
                    viewer_org.clone()
                },
                supervisor: supervisor.clone(),
                method,
                item_numbers: item_numbers(
                    "items shown",
                    &form.items,
                    &f.approved_items().map(|i| i.number).collect::<Vec<_>>(),
                )?,
                notes: notes.clone(),
                copies: copies.clone(),
                supervised,
                unsupervised_note: (!what_happened.is_empty()).then(|| what_happened.clone()),
            };
            let plan = rules::check_viewing(f, &input, ctx)?;
            let viewing = Viewing {
                id: 0,
                day,
                start,
                end,
                viewers: input.viewers.clone(),
                viewer_org: input.viewer_org.clone(),
                supervisor: supervisor.as_ref().expect("checked").as_ref(),
                method,
                item_ids: plan.item_ids.clone(),
                notes: notes.clone(),
                copies: plan.copies.iter().map(|(id, r)| CopyGiven { item_id: *id, reason: r.clone() }).collect(),
                supervised,
                unsupervised_note: input.unsupervised_note.clone(),
            };
            let vid = requests::insert_viewing(tx, f.request.id, &viewing, ctx.actor.id)?;
            if plan.opens_incident {
                requests::insert_incident(
                    tx,
                    f.request.id,
                    &Incident {
                        id: 0,
                        viewing_id: Some(vid),
                        opened_on: day,
                        description: format!("Viewing not supervised throughout: {what_happened}"),
                        referred_on: None,
                        ig_ref: None,
                    },
                )?;
            }
            Ok(())
        })
    }

    /// Refers an incident to information governance.
    pub(super) fn incident_referred(
        &mut self,
        reference: &str,
        version: Option<i64>,
        incident: i64,
        date: &str,
        ig_ref: &str,
    ) -> Result<RequestFile> {
        let on = date_or_today("referral date", date, self.today())?;
        let ig_ref = text::line("information governance reference", ig_ref)?;
        self.change(reference, version, "incident.referred", None, |tx, f, ctx| {
            rules::check_incident_referral(f, incident, on, ctx)?;
            requests::refer_incident(tx, incident, on, &ig_ref)?;
            Ok(())
        })
    }

    /// Step 10: the case note is in Mosaic; the drafted text is kept with it.
    pub(super) fn case_note_recorded(
        &mut self,
        reference: &str,
        version: Option<i64>,
        date: &str,
        mosaic_ref: &str,
    ) -> Result<RequestFile> {
        let on = date_or_today("case note date", date, self.today())?;
        let mosaic_ref = text::line("Mosaic case note reference", mosaic_ref)?;
        self.change(reference, version, "case_note", Some(Step::CaseNote), |tx, f, ctx| {
            rules::check_case_note(f, on, ctx)?;
            let text = casenote::draft(f);
            requests::set(
                tx,
                f.request.id,
                &[
                    ("case_note_on", &on),
                    ("case_note_by", &ctx.actor.id),
                    ("case_note_ref", &mosaic_ref),
                    ("case_note_text", &text),
                ],
            )?;
            Ok(())
        })
    }

    /// Step 11.
    pub(super) fn files_returned(&mut self, reference: &str, version: Option<i64>, date: &str) -> Result<RequestFile> {
        let on = date_or_today("files returned date", date, self.today())?;
        self.simple(
            reference,
            version,
            "files_returned",
            Step::FilesReturned,
            on,
            rules::check_files_returned,
            &[("files_returned_on", &on)],
        )
    }

    /// Step 12.
    pub(super) fn complete(&mut self, reference: &str, version: Option<i64>, date: &str) -> Result<RequestFile> {
        let on = date_or_today("completion date", date, self.today())?;
        self.simple(reference, version, "complete", Step::Complete, on, rules::check_complete, &[("completed_on", &on)])
    }

    /// Withdrawal, with the reason.
    pub(super) fn withdraw(
        &mut self,
        reference: &str,
        version: Option<i64>,
        date: &str,
        reason: &str,
    ) -> Result<RequestFile> {
        let on = date_or_today("withdrawal date", date, self.today())?;
        let reason = text::text("reason for withdrawal", reason)?;
        self.change(reference, version, "withdraw", None, |tx, f, ctx| {
            rules::check_withdraw(f, on, ctx)?;
            requests::set(tx, f.request.id, &[("withdrawn_on", &on), ("withdraw_reason", &reason)])?;
            Ok(())
        })
    }

    /// A step that checks one date and sets columns.
    #[allow(clippy::too_many_arguments)]
    fn simple(
        &mut self,
        reference: &str,
        version: Option<i64>,
        op: &str,
        step: Step,
        on: NaiveDate,
        check: impl FnOnce(&RequestFile, NaiveDate, Ctx) -> std::result::Result<(), Refusal>,
        fields: &[(&'static str, &dyn ToSql)],
    ) -> Result<RequestFile> {
        self.change(reference, version, op, Some(step), |tx, f, ctx| {
            check(f, on, ctx)?;
            requests::set(tx, f.request.id, fields)?;
            Ok(())
        })
    }
}

fn write_basis(tx: &rusqlite::Connection, id: i64, b: &LawfulBasis, d: &ScopeDetails) -> Result<()> {
    requests::set(
        tx,
        id,
        &[
            ("art6", &b.art6.map(Art6Basis::as_code)),
            ("art9", &b.art9.map(Art9Condition::as_code)),
            ("statutory_power", &b.power.map(StatutoryPower::as_code)),
            ("basis_notes", &b.notes),
            ("necessity", &d.necessity),
            ("consent_sought", &d.consent_sought),
            ("consent_note", &d.consent_note),
            ("dsa_exists", &d.dsa_exists),
            ("security", &d.security),
            ("retention", &d.retention),
        ],
    )?;
    Ok(())
}
