//! Steps 10–12 and withdrawal: incidents referred, the case note, files returned,
//! complete.

use crate::domain::rules;
use crate::domain::*;
use crate::service::forms::*;
use crate::service::{Result, Service};
use crate::store::requests;

impl Service {
    /// Refers an incident to information governance.
    pub(in crate::service) fn incident_referred(
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
    pub(in crate::service) fn case_note_recorded(
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
            let text = casenote::draft(f, ctx.settings.policy_document.as_deref());
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
    pub(in crate::service) fn files_returned(
        &mut self,
        reference: &str,
        version: Option<i64>,
        date: &str,
        secured_at: &str,
    ) -> Result<RequestFile> {
        let on = date_or_today("files returned date", date, self.today())?;
        let secured_at = text::optional_line("where the files were secured", secured_at)?;
        self.simple(
            reference,
            version,
            "files_returned",
            Step::FilesReturned,
            on,
            |f, on, ctx| {
                rules::check_files_returned(f, on, ctx)?;
                rules::secured_somewhere(&secured_at)
            },
            &[("files_returned_on", &on), ("files_secured_at", &secured_at)],
        )
    }

    /// Step 12.
    pub(in crate::service) fn complete(
        &mut self,
        reference: &str,
        version: Option<i64>,
        date: &str,
    ) -> Result<RequestFile> {
        let on = date_or_today("completion date", date, self.today())?;
        self.simple(reference, version, "complete", Step::Complete, on, rules::check_complete, &[("completed_on", &on)])
    }

    /// Withdrawal, with the reason.
    pub(in crate::service) fn withdraw(
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
}
