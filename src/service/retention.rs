//! Retention: the requests due for disposal, legal holds, and disposal itself —
//! the one operation that erases from the event log (SPEC section 4).

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use super::{Result, Service, load_or_not_found};
use crate::domain::retention::{self, Due};
use crate::domain::rules::{self, Ctx};
use crate::domain::{Disposal, Hold, InputError, Refusal, RequestFile, Rule, text};
use crate::store::{events, lists, reference, requests};

/// A closed request past (or, held, whatever) its retention date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DueRequest {
    pub reference: String,
    pub organisation: String,
    #[serde(flatten)]
    pub due: Due,
    /// The rule that made it due, in words.
    pub rule: String,
    pub hold: Option<HoldRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HoldRow {
    pub since: NaiveDate,
    pub by: String,
    pub reason: String,
}

/// `retention due`: the requests past their date, oldest first, and apart from
/// them every request under a hold (due or not), oldest hold first.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RetentionDue {
    pub today: NaiveDate,
    pub due: Vec<DueRequest>,
    pub held: Vec<DueRequest>,
}

/// What `dispose` is asked to do.
#[derive(Debug, Clone, Default)]
pub struct DisposeForm {
    pub references: Vec<String>,
    /// The administrator, or the service area's asset owner, who authorised it.
    pub authorised_by: String,
    pub reason: String,
    /// Set to go before the retention date: why.
    pub early: Option<String>,
}

/// One request disposed of (or, in a dry run, that would be).
#[derive(Debug, Clone, Serialize)]
pub struct Disposed {
    pub reference: String,
    #[serde(flatten)]
    pub due: Due,
    pub early: bool,
    pub children: usize,
    /// Payloads erased: the request's own events, and lookups naming its children.
    pub events_erased: usize,
    pub lookups_erased: usize,
    /// What is kept: the counts the report adds up.
    pub items: usize,
    pub viewings: usize,
    pub copies: usize,
    pub incidents: usize,
}

impl Disposed {
    /// One line, as both faces print it: what went (or would go) and what stays.
    pub fn describe(&self, dry_run: bool) -> String {
        let verb = if dry_run { "would be disposed of" } else { "disposed of" };
        let due = crate::domain::dates::uk(self.due.due_on);
        let when = if self.early { format!("early (due {due})") } else { format!("due {due}") };
        let n = |count: usize, one: &str, many: &str| format!("{count} {}", if count == 1 { one } else { many });
        format!(
            "{}: {verb}, {when}; erased: the details of {}, {}, {}; kept: {}, {}, {}, {}",
            self.reference,
            n(self.children, "child", "children"),
            n(self.events_erased, "event payload", "event payloads"),
            n(self.lookups_erased, "lookup", "lookups"),
            n(self.items, "item", "items"),
            n(self.viewings, "viewing", "viewings"),
            n(self.copies, "copy", "copies"),
            n(self.incidents, "incident", "incidents"),
        )
    }
}

/// A disposal's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct DisposeOutcome {
    pub dry_run: bool,
    pub disposed: Vec<Disposed>,
    /// False when another session still reads an older snapshot, so the
    /// write-ahead log could not yet be cut back (it is, once they move on).
    pub log_scrubbed: bool,
}

impl DisposeOutcome {
    /// What both faces say when the write-ahead log could not be cut back.
    pub fn log_note(&self) -> Option<&'static str> {
        (!self.dry_run && !self.log_scrubbed).then_some(
            "another session was still reading, so the write-ahead log (the -wal file beside the database) still \
             holds older pages; the next caseshare backup cuts it back once nobody is reading (or close the other \
             sessions and run caseshare backup now)",
        )
    }
}

impl Service {
    /// The closed requests due for disposal today, and those under a hold.
    pub fn retention_due(&self) -> Result<RetentionDue> {
        let today = self.today();
        let mut out = RetentionDue { today, ..Default::default() };
        for row in lists::closed_requests(self.store.conn())? {
            let Some(due) = retention::due(&row.closing, &self.settings) else { continue };
            let hold = row.hold.map(|(since, by, reason)| HoldRow { since, by, reason });
            let entry =
                DueRequest { reference: row.reference, organisation: row.organisation, rule: due.rule(), due, hold };
            if entry.hold.is_some() {
                out.held.push(entry);
            } else if due.due_on <= today {
                out.due.push(entry);
            }
        }
        out.due.sort_by(|a, b| (a.due.due_on, &a.reference).cmp(&(b.due.due_on, &b.reference)));
        out.held.sort_by_key(|e| (e.hold.as_ref().map(|h| h.since), e.reference.clone()));
        Ok(out)
    }

    pub(in crate::service) fn hold(&mut self, r: &str, v: Option<i64>, reason: &str) -> Result<RequestFile> {
        let reason = text::text("reason for the hold", reason)?;
        let since = self.today();
        self.change(r, v, "hold", None, |tx, f, ctx| {
            rules::check_hold(f, ctx)?;
            let hold = Hold { since, by: ctx.actor.as_ref(), reason };
            Ok(requests::set_hold(tx, f.request.id, Some(&hold))?)
        })
    }

    pub(in crate::service) fn release(&mut self, r: &str, v: Option<i64>) -> Result<RequestFile> {
        self.change(r, v, "release", None, |tx, f, ctx| {
            rules::check_release(f, ctx)?;
            Ok(requests::set_hold(tx, f.request.id, None)?)
        })
    }

    /// Disposes of closed requests past their retention date, in one transaction:
    /// each one's rows overwritten with its residue, the payloads of its events and
    /// of the lookups naming its children erased, and a `dispose` event carrying the
    /// residue whole and the ids erased. Inside [`Service::rehearse`] it checks and
    /// counts everything and keeps nothing (`--dry-run`).
    pub(in crate::service) fn dispose(&mut self, form: &DisposeForm) -> Result<DisposeOutcome> {
        rules::may_administer(&self.actor)?;
        let reason = text::text("reason for disposal", &form.reason)?;
        let early = form.early.as_deref().map(|e| text::text("reason for disposing early", e)).transpose()?;
        let mut references: Vec<String> = Vec::new();
        for r in &form.references {
            if !references.iter().any(|x| x.eq_ignore_ascii_case(r.trim())) {
                references.push(r.trim().to_string());
            }
        }
        if references.is_empty() {
            return Err(InputError::new("dispose", "needs at least one request reference").into());
        }
        let login = form.authorised_by.trim();
        let authoriser = reference::staff_by_login(self.store.conn(), login)?.ok_or_else(|| {
            Refusal::new(Rule::Reference, format!("no staff member with login '{login}'"), "check the login")
                .hint("caseshare staff list")
        })?;
        let now = self.now();
        let today = self.today();
        let Service { store, actor, settings, .. } = self;
        let (tx, rehearsal) = store.write_or_rehearse()?;
        let ctx = Ctx { actor, today, settings };
        let mut disposed = Vec::new();
        for reference in &references {
            let file = load_or_not_found(&tx, reference)?;
            let reference = file.request.reference.clone();
            let due = rules::check_dispose(&file, &authoriser, early.is_some(), ctx)?;
            // The early reason is recorded only against a request that was not yet due.
            let early = early.clone().filter(|_| due.due_on > today);
            let erased_events = requests::event_ids(&tx, &reference)?;
            let children: Vec<(String, String)> =
                file.subjects.iter().map(|s| (s.name.clone(), s.mosaic_id.clone())).collect();
            let erased_lookups: Vec<i64> =
                crate::store::lookups::lookups_naming(&tx, &children)?.into_iter().map(|l| l.event_id).collect();
            let mut left = retention::residue(&file);
            left.request.disposal = Some(Disposal {
                on: today,
                by: actor.as_ref(),
                authorised_by: authoriser.as_ref(),
                reason: reason.clone(),
                early: early.clone(),
                erased_events: erased_events.clone(),
                erased_lookups: erased_lookups.clone(),
            });
            requests::write_residue(&tx, &left)?;
            let after = super::rederive(&tx, &reference, settings, &actor.login, now)?;
            let whole = serde_json::to_value(&after).expect("requests serialise");
            events::append(&tx, now, &actor.login, "dispose", Some(&reference), &Value::Null, &whole)?;
            let ids: Vec<i64> = erased_events.iter().chain(&erased_lookups).copied().collect();
            events::erase_payloads(&tx, &ids)?;
            disposed.push(Disposed {
                reference,
                due,
                early: early.is_some(),
                children: file.subjects.len(),
                events_erased: erased_events.len(),
                lookups_erased: erased_lookups.len(),
                items: file.items.len(),
                viewings: file.viewings.len(),
                copies: file.viewings.iter().map(|v| v.copies.len()).sum(),
                incidents: file.incidents.len(),
            });
        }
        if rehearsal {
            return Ok(DisposeOutcome { dry_run: true, disposed, log_scrubbed: false });
        }
        requests::purge_search_index(&tx)?;
        tx.commit()?;
        let log_scrubbed = self.store.scrub_log()?;
        Ok(DisposeOutcome { dry_run: false, disposed, log_scrubbed })
    }
}
