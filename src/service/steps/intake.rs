//! Steps 2–4: the form sent, the scope and lawful basis, items added, agency consent,
//! the asset owner's decision.

use super::{items_parsed, staff_named, write_basis};
use crate::domain::rules::{self, ApprovalInput, ScopeInput};
use crate::domain::*;
use crate::service::forms::*;
use crate::service::{Result, Service, ServiceError};
use crate::store::requests;

impl Service {
    /// Step 2.
    pub(in crate::service) fn form_sent(
        &mut self,
        reference: &str,
        version: Option<i64>,
        date: &str,
    ) -> Result<RequestFile> {
        let on = date_or_today("form sent date", date, self.today())?;
        self.change(reference, version, "form_sent", Some(Step::FormSent), |tx, f, ctx| {
            rules::check_form_sent(f, on, ctx)?;
            requests::set(tx, f.request.id, &[("form_sent_on", &on)]).map_err(ServiceError::from)
        })
    }

    /// Step 3.
    pub(in crate::service) fn scope(
        &mut self,
        reference: &str,
        version: Option<i64>,
        form: &ScopeForm,
    ) -> Result<RequestFile> {
        let today = self.today();
        let (basis, details) = form.basis.parse()?;
        let input = ScopeInput {
            returned_on: Some(date_or_today("form returned date", &form.returned, today)?),
            items: items_parsed(&form.items)?,
            purpose: text::optional_text("purpose", &form.purpose)?,
            basis,
            details,
            confirm_basis: form.basis.confirm_basis,
        };
        self.change(reference, version, "scope", Some(Step::Scope), |tx, f, ctx| {
            let confirmed = rules::check_scope(f, &input, ctx)?;
            let id = f.request.id;
            let returned = input.returned_on.expect("the scope has its return date");
            for (d, tp) in &input.items {
                requests::insert_item(tx, id, d, tp.as_deref(), returned)?;
            }
            let basis = LawfulBasis { confirmed, ..input.basis.clone() };
            write_basis(tx, id, &basis, &input.details)?;
            requests::set(tx, id, &[("form_returned_on", &input.returned_on)])?;
            if !input.purpose.is_empty() {
                requests::set(tx, id, &[("purpose", &input.purpose)])?;
            }
            Ok(())
        })
    }

    /// The lawful basis and decision record changed after step 3 (see
    /// `rules::check_amend_basis`); a review left by the upgrade is cleared.
    pub(in crate::service) fn amend_basis(
        &mut self,
        reference: &str,
        version: Option<i64>,
        form: &BasisForm,
    ) -> Result<RequestFile> {
        let (basis, details) = form.parse()?;
        self.change(reference, version, "basis", None, |tx, f, _| {
            rules::check_amend_basis(f)?;
            let confirmed = rules::check_basis_and_record(&basis, &details, form.confirm_basis)?;
            let basis = LawfulBasis { confirmed, review: None, ..basis.clone() };
            write_basis(tx, f.request.id, &basis, &details)
        })
    }

    /// Widening the scope: a new item, which then needs a fresh approval.
    pub(in crate::service) fn add_item(
        &mut self,
        reference: &str,
        version: Option<i64>,
        item: &ItemForm,
    ) -> Result<RequestFile> {
        let (d, tp) = items_parsed(std::slice::from_ref(item))?.remove(0);
        self.change(reference, version, "item.add", None, |tx, f, ctx| {
            rules::check_add_item(f)?;
            // Its approval target runs from today, not from the form's return.
            requests::insert_item(tx, f.request.id, &d, tp.as_deref(), ctx.today)?;
            Ok(())
        })
    }

    /// The originating agency's consent to show its material.
    pub(in crate::service) fn item_consent(
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
    pub(in crate::service) fn approve(
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
        let decline_reasons = form.decline_reasons()?;
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
                decline_reasons: decline_reasons.clone(),
            };
            let plan = rules::check_approval(f, &input, ctx)?;
            for id in &plan.approved_ids {
                requests::set_item_decision(tx, *id, true)?;
            }
            for id in &plan.declined_ids {
                requests::set_item_decision(tx, *id, false)?;
            }
            for (id, why) in &plan.decline_reasons {
                requests::set_item_decline_reason(tx, *id, why)?;
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
}
