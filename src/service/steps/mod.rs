//! Recording requests and each step of the checklist: here, receiving a request
//! (and the redirect or direct share it may be) and correcting it; the steps in
//! [`intake`], [`visit`] and [`closing`]. Reached only through `Service::apply`.

mod closing;
mod intake;
pub mod record;
mod visit;

use chrono::{Duration, NaiveDate};
use rusqlite::types::ToSql;
use serde::Serialize;
use serde_json::json;

use super::forms::*;
use super::{Result, Service, ServiceError, load_or_not_found};
use crate::domain::rules::{self, Ctx, ScopeInput};
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
    pub(in crate::service) fn new_request(&mut self, form: &NewRequestForm) -> Result<NewOutcome> {
        self.create(form, RequestKind::Viewing, |_, _, _| Ok(()))
    }

    /// The short path for a copy shared directly: request, items, basis, when and how.
    pub(in crate::service) fn direct_share(&mut self, form: &DirectShareForm) -> Result<NewOutcome> {
        let today = self.today();
        let items = items_parsed(&form.items)?;
        let (mut basis, details) = form.basis.parse()?;
        let shared_on = date_or_today("date shared", &form.shared_on, today)?;
        let method = text::line("how it was shared", &form.method)?;
        // The decision to share: who, when, why, and the owner's email if recorded for them.
        let decided_on = opt_date("decision date", &form.decided, today)?.unwrap_or(shared_on);
        let reason = text::text("reason for the decision", &form.reason)?;
        let evidence_date = opt_date("evidence date", &form.evidence_date, today)?;
        let evidence_ref = text::optional_line("evidence reference", &form.evidence_ref)?;
        let evidence_ref = (!evidence_ref.is_empty()).then_some(evidence_ref);
        let approver = staff_named(self.store.conn(), "decided by", &form.decided_by)?;
        let area_name = text::line("service area", &form.request.service_area)?;
        if let Some(area) = reference::area_by_name(self.store.conn(), &area_name)? {
            // Whoever records the share is its recorder: they do not also decide it.
            let recorder = self.actor.as_ref();
            rules::decided_by(&area, &approver, &recorder, &self.actor, evidence_date, evidence_ref.as_deref())?;
        }
        let recorded_by = self.actor.as_ref();
        basis.confirmed = rules::check_scope_content(&ScopeInput {
            returned_on: None,
            items: items.clone(),
            purpose: String::new(),
            basis: basis.clone(),
            details: details.clone(),
            confirm_basis: form.basis.confirm_basis,
        })?;
        self.create(&form.request, RequestKind::DirectShare, move |tx, id, received| {
            rules::not_future("date shared", shared_on, today)?;
            rules::not_before("date shared", shared_on, "the date received", received)?;
            rules::not_before("decision date", decided_on, "the date received", received)?;
            rules::not_before("date shared", shared_on, "the decision date", decided_on)?;
            if let Some(ev) = evidence_date {
                rules::not_before("evidence date", ev, "the date received", received)?;
            }
            for (n, (d, tp)) in (1..).zip(&items) {
                // What was sent is what the asset owner decided to share.
                let item = ScopeItem {
                    id: 0,
                    number: n,
                    description: d.clone(),
                    third_party: tp.clone(),
                    agency_consent_on: None,
                    agency_consent_ref: None,
                    approved: Some(true),
                    added_on: Some(received),
                    decline_reason: None,
                };
                requests::insert_item_row(tx, id, &item)?;
            }
            let on_behalf = recorded_by.id != approver.id;
            requests::insert_approval(
                tx,
                id,
                &Approval {
                    id: 0,
                    decision: Decision::Approved,
                    approver: approver.as_ref(),
                    decided_on,
                    evidence_date: if on_behalf { evidence_date } else { evidence_date.or(Some(decided_on)) },
                    evidence_ref,
                    reason,
                    recorded_by,
                },
            )?;
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
        rules::not_retired("organisation", "org", &org.name, org.retired_on.is_some())?;
        let reference = requests::next_reference(&tx, chrono::Datelike::year(&received))?;
        let route = rules::route_for(org.kind, settings);
        let (kind, op) = if route.is_some() { (RequestKind::Redirect, "redirect") } else { (kind, "request.new") };
        let row = |requester: Requester, purpose: String, area: Option<ServiceArea>, format: Option<Format>| {
            received_row(actor, now, &reference, kind, received, channel, &org, requester, purpose, area, format)
        };
        let id = if let Some(route) = &route {
            // Least personal data: no requester, subject or purpose details are kept.
            let mut r = row(Requester::default(), String::new(), None, None);
            r.redirect_route = Some(route.clone());
            requests::insert(&tx, &r, now, requests::Cached::default())?
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
            rules::not_retired("service area", "area", &area.name, area.retired_on.is_some())?;
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
            let mut r = row(requester, purpose, Some(area), format);
            r.owner = owner.as_ref();
            let id = requests::insert(&tx, &r, now, requests::Cached::default())?;
            for s in &subjects {
                requests::insert_subject(&tx, id, s)?;
            }
            extra(&tx, id, received)?;
            id
        };
        let mut notices = Vec::new();
        if route.is_none() {
            let year_ago = received - Duration::days(365);
            let n = requests::org_requests_between(&tx, org.id, year_ago + Duration::days(1), received)?;
            if n >= 3 {
                let prompt = format!(
                    "this is request {n} from {} in twelve months: consider an information sharing agreement (systematic sharing)",
                    org.name
                );
                requests::set(&tx, id, &[("isa_prompt", &prompt)])?;
                notices.push(prompt);
            }
        }
        requests::insert_tick(&tx, id, Step::Received, actor.id, now)?;
        let mut file = load_or_not_found(&tx, &reference)?;
        requests::set_derived(&tx, &file, settings, &actor.login, now)?;
        let status = derive_status(&file);
        file.request.status = status;
        let next_step = checklist::next_step(&file);
        let after = serde_json::to_value(&file).expect("requests serialise");
        crate::store::events::append(&tx, now, &actor.login, op, Some(&reference), &json!(null), &after)?;
        tx.commit()?;
        Ok(NewOutcome { reference, status, redirect: route, notices, next_step })
    }

    /// Corrects the requester's details or the stated purpose; the event keeps what
    /// they were.
    pub(in crate::service) fn correct(
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

/// A request row as step 1 writes it: received, nothing else done yet.
#[allow(clippy::too_many_arguments)]
pub(in crate::service) fn received_row(
    actor: &Staff,
    now: chrono::DateTime<chrono::Utc>,
    reference: &str,
    kind: RequestKind,
    received_on: NaiveDate,
    channel: Channel,
    organisation: &Organisation,
    requester: Requester,
    purpose: String,
    service_area: Option<ServiceArea>,
    format: Option<Format>,
) -> Request {
    Request {
        id: 0,
        reference: reference.to_string(),
        kind,
        status: Status::New,
        version: 1,
        updated_by: actor.login.clone(),
        updated_at: now,
        created_by: actor.as_ref(),
        owner: actor.as_ref(),
        received_on,
        channel,
        organisation: organisation.clone(),
        requester,
        purpose,
        service_area,
        format,
        redirect_route: None,
        form_sent_on: None,
        form_returned_on: None,
        basis: LawfulBasis::default(),
        details: ScopeDetails::default(),
        restore_requested_on: None,
        restore_ref: None,
        restored_on: None,
        mosaic_checked_on: None,
        confirmed_on: None,
        shared_on: None,
        share_method: None,
        case_note: None,
        files_returned_on: None,
        files_secured_at: None,
        completed_on: None,
        withdrawn_on: None,
        withdraw_reason: None,
        imported_from: None,
        isa_prompt: None,
        hold: None,
        disposal: None,
    }
}

fn write_basis(tx: &rusqlite::Connection, id: i64, b: &LawfulBasis, d: &ScopeDetails) -> Result<()> {
    requests::set(
        tx,
        id,
        &[
            ("art6", &b.art6.map(Art6Basis::as_code)),
            ("art9", &b.art9.map(Art9Gateway::as_code)),
            ("sch1_condition", &b.sch1.map(Sch1Condition::as_code)),
            ("consent_not_obtained", &b.consent_not_obtained.map(ConsentNotObtained::as_code)),
            ("criminal", &b.criminal),
            ("criminal_condition", &b.criminal_condition.map(Sch1Condition::as_code)),
            ("statutory_power", &b.power.map(StatutoryPower::as_code)),
            ("power_detail", &b.power_detail),
            ("guidance", &requests::guidance_stored(&b.guidance)),
            ("guidance_other", &b.guidance_other),
            ("basis_notes", &b.notes),
            ("basis_review", &b.review),
            ("basis_confirmed", &requests::confirmed_stored(&b.confirmed)),
            ("necessity", &d.necessity),
            ("consent_sought", &d.consent_sought),
            ("consent_note", &d.consent_note),
            ("agreement", &d.agreement.map(AgreementAnswer::as_code)),
            ("agreement_note", &d.agreement_note),
            ("dsa_exists", &d.dsa_exists),
            ("security", &d.security),
            ("retention", &d.retention),
            ("controller_relationship", &d.controller.map(ControllerRelationship::as_code)),
            ("dpia_considered", &d.dpia_considered),
            ("dpia_outcome", &d.dpia_outcome),
        ],
    )?;
    Ok(())
}
