//! A request whose history happened elsewhere: a row of an imported spreadsheet, or
//! a generated demonstration request. It arrives whole and typed ([`Recorded`]),
//! is checked with the domain's own rules (decided by the area's asset owner and not
//! by whoever records it, only approved items shown, an incident for every viewing
//! not supervised throughout, every date on or after the one it follows and none in
//! the future), is written with the same store functions every step uses, and is
//! logged through the one hasher. [`Batch`] records many in one transaction with the
//! chain's head carried in memory; `Service::apply(Op::Record(…))` records one.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::{Connection, Transaction};
use serde_json::Value;

use crate::domain::rules::{self, Ctx};
use crate::domain::*;
use crate::service::{Result, Service};
use crate::store::events::Chain;
use crate::store::requests;

/// A request recorded whole, with the steps its history took.
///
/// Ids in `file` are its own, not the database's: an item's `id` is ignored and
/// items are named by `number`; a viewing's `item_ids` and its copies' `item_id` are
/// item numbers; a viewing's `id` is any number unique in the file, which an
/// incident's `viewing_id` names. The request's status, version and who last
/// changed it are derived when it is written.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub file: RequestFile,
    /// The event that creates it: `import`, `request.new` or `redirect`.
    pub op: &'static str,
    /// One event per later step of its history: the operation and a summary of the
    /// step (payload format 1: `before` `null`, a summary that changes no row).
    pub steps: Vec<(&'static str, Value)>,
    /// Where each viewing (in the order of `file.viewings`) was imported from.
    pub viewing_sources: Vec<Option<String>>,
}

fn refuse(rule: Rule, message: impl Into<String>, fix: impl Into<String>) -> Refusal {
    Refusal::new(rule, message, fix)
}

/// `date`, if recorded, is not in the future and not before `anchor`.
fn on_or_after(
    field: &str,
    date: Option<NaiveDate>,
    anchor_name: &str,
    anchor: NaiveDate,
    today: NaiveDate,
) -> std::result::Result<(), Refusal> {
    match date {
        Some(d) => {
            rules::not_future(field, d, today)?;
            rules::not_before(field, d, anchor_name, anchor)
        }
        None => Ok(()),
    }
}

fn needs_approval(step: Step, approved: Option<NaiveDate>) -> std::result::Result<NaiveDate, Refusal> {
    approved.ok_or_else(|| {
        refuse(
            Rule::StepOrder,
            format!("'{}' needs an approval of at least one item", step.label()),
            "record the asset owner's approval (step 4) first",
        )
    })
}

/// A decision brought in with a recorded request: the same rules, and the same
/// refusals, as a decision recorded by hand (the person recording the request stands
/// where the BSA who received it would).
///
/// An imported decision taken before the database began (`history_before`, the day
/// of its `init`) is history: the person running the import did not receive the
/// request, so separation of duties between the recorder and the approver does not
/// apply to them, and an asset owner may import the decisions they took (the
/// approval records who imported it and from which row). A decision dated from that
/// day on was taken while caseshare was in use, and keeps the rule, as live
/// approvals and every other recorded request do.
pub(in crate::service) fn check_recorded_decision(
    file: &RequestFile,
    a: &Approval,
    ctx: Ctx,
    history_before: Option<chrono::NaiveDate>,
) -> std::result::Result<(), Refusal> {
    let imported = history_before.is_some_and(|began| a.decided_on < began);
    let r = &file.request;
    let Some(area) = &r.service_area else {
        return Err(refuse(Rule::Reference, format!("{} has no service area to decide for", r.reference), "name it"));
    };
    rules::decided_by_asset_owner(area, &a.approver)?;
    if !imported {
        rules::not_decided_by_recorder(&a.approver, &r.created_by)?;
    }
    let (name, anchor) = match r.form_returned_on {
        Some(d) => ("the form returned date", d),
        None => ("the date received", r.received_on),
    };
    on_or_after("decision date", Some(a.decided_on), name, anchor, ctx.today)
}

/// A viewing brought in with a recorded request (item numbers, see [`Recorded`]):
/// only approved items, with consent for another agency's material, after the
/// approval, and an incident opened if it was not supervised throughout.
pub(in crate::service) fn check_recorded_viewing(
    file: &RequestFile,
    v: &Viewing,
    ctx: Ctx,
) -> std::result::Result<(), Refusal> {
    if v.item_ids.is_empty() {
        return Err(refuse(Rule::MinimumNecessary, "no items shown are listed", "list the items shown"));
    }
    for n in &v.item_ids {
        rules::check_shown_item(file, *n)?;
    }
    for c in &v.copies {
        if !v.item_ids.contains(&c.item_id) {
            return Err(refuse(
                Rule::MinimumNecessary,
                format!("a copy of item {} was given but the item is not among those shown", c.item_id),
                "copies may only be of approved items shown at this viewing",
            ));
        }
    }
    if let Some(format) = file.request.format
        && !v.method.fits(format)
    {
        return Err(refuse(
            Rule::NotApplicable,
            format!("'{}' does not fit a {} request", v.method.label(), format.label().to_lowercase()),
            "choose a method that matches the request's format",
        ));
    }
    let approved = needs_approval(Step::Viewing, file.first_approval_on())?;
    on_or_after("viewing date", Some(v.day), "the approval date", approved, ctx.today)?;
    if v.end <= v.start {
        return Err(refuse(Rule::DateOrder, "the viewing ends before it starts", "check the start and end times"));
    }
    if !v.supervised && !file.incidents.iter().any(|i| i.viewing_id == Some(v.id)) {
        return Err(refuse(
            Rule::Supervision,
            format!(
                "the viewing on {} was not supervised throughout and no incident is opened for it",
                dates::uk(v.day)
            ),
            "open an incident for it",
        ));
    }
    Ok(())
}

/// Everything [`Batch::record`] checks before it writes a row.
pub(in crate::service) fn check_recorded(
    file: &RequestFile,
    imported: bool,
    history_before: Option<chrono::NaiveDate>,
    ctx: Ctx,
) -> std::result::Result<(), Refusal> {
    let r = &file.request;
    let today = ctx.today;
    if r.created_by.id != ctx.actor.id {
        return Err(refuse(
            Rule::Permission,
            format!("{} cannot record a request in the name of {}", ctx.actor.login, r.created_by.login),
            "record it under your own login",
        ));
    }
    rules::not_future("date received", r.received_on, today)?;
    if r.kind == RequestKind::Redirect {
        if !file.subjects.is_empty() || !r.requester.name.is_empty() || !file.items.is_empty() {
            return Err(refuse(
                Rule::Route,
                format!("{} is redirected, and a redirect keeps no requester, subject or item details", r.reference),
                "record only who it came from and where it was sent",
            ));
        }
        return Ok(());
    }
    if r.service_area.is_none() || file.subjects.is_empty() {
        return Err(refuse(
            Rule::Reference,
            format!("{} names no service area or no child", r.reference),
            "give the service area and the child's name and Mosaic ID",
        ));
    }
    let received = r.received_on;
    on_or_after("form sent date", r.form_sent_on, "the date received", received, today)?;
    match r.form_sent_on {
        Some(sent) => on_or_after("form returned date", r.form_returned_on, "the form sent date", sent, today)?,
        None => on_or_after("form returned date", r.form_returned_on, "the date received", received, today)?,
    }
    for a in &file.approvals {
        check_recorded_decision(file, a, ctx, history_before)?;
    }
    let approved = file.first_approval_on();
    for (step, field, date) in [
        (Step::RestoreRequested, "restore request date", r.restore_requested_on),
        (Step::FilesAvailable, "Mosaic check date", r.mosaic_checked_on),
        (Step::Confirmed, "confirmation date", r.confirmed_on),
    ] {
        if date.is_some() {
            on_or_after(field, date, "the approval date", needs_approval(step, approved)?, today)?;
        }
    }
    if r.restored_on.is_some() {
        let Some(asked) = r.restore_requested_on else {
            return Err(refuse(
                Rule::StepOrder,
                "the files cannot be restored before the restore is requested",
                "record the restore request (step 5) first",
            ));
        };
        on_or_after("restored date", r.restored_on, "the restore request date", asked, today)?;
    }
    for b in &file.bookings {
        rules::not_before("booking date", b.day, "the approval date", needs_approval(Step::VenueBooked, approved)?)?;
    }
    for v in &file.viewings {
        check_recorded_viewing(file, v, ctx)?;
    }
    // Viewings need step 6 first, as by hand. A council's workbook has no column for
    // the restore or the Mosaic checks, so an imported viewing is the record of one
    // that happened and is taken as it stands; step 6 then shows as not done.
    if !imported && !file.viewings.is_empty() && file.request.kind == RequestKind::Viewing {
        rules::files_ready(file)?;
    }
    for i in &file.incidents {
        if i.viewing_id.is_some_and(|id| !file.viewings.iter().any(|v| v.id == id)) {
            return Err(refuse(Rule::Reference, "an incident names a viewing the request does not have", "check it"));
        }
    }
    // Closed only once every incident is referred, as by hand (the incident is not
    // yet stored, so it is named by its date rather than its number).
    let status = derive_status(file);
    if status.is_closed()
        && let Some(inc) = file.open_incidents().next()
    {
        return Err(refuse(
            Rule::Incident,
            format!(
                "the incident of {} (viewing not supervised throughout) is not referred to information governance, so {} cannot be {}",
                dates::uk(inc.opened_on),
                r.reference,
                if status == Status::Complete { "completed".to_string() } else { status.label().to_lowercase() }
            ),
            "refer it to information governance first: record the request open, refer the incident, then close it",
        ));
    }
    on_or_after("date shared", r.shared_on, "the date received", received, today)?;
    let last_shared = file.last_viewing_on().max(r.shared_on);
    if let Some(note) = &r.case_note {
        let Some(last) = last_shared else {
            return Err(refuse(
                Rule::StepOrder,
                "the case note records what was shared, and nothing has been shared yet",
                "log a viewing (step 9) first",
            ));
        };
        on_or_after("case note date", Some(note.on), "the last sharing", last, today)?;
    }
    let last_viewing = file.last_viewing_on().unwrap_or(received);
    on_or_after("files returned date", r.files_returned_on, "the last viewing", last_viewing, today)?;
    let latest = [Some(received), r.case_note.as_ref().map(|c| c.on), r.files_returned_on, last_shared]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(received);
    on_or_after("completion date", r.completed_on, "the last recorded step", latest, today)?;
    on_or_after("withdrawal date", r.withdrawn_on, "the date received", received, today)
}

/// Many recorded requests in one transaction: the head of the chain is read once
/// and carried in memory, every event appended through [`Chain`]. Dropping it
/// without [`Batch::commit`] writes nothing.
pub struct Batch<'s> {
    tx: Transaction<'s>,
    chain: Chain,
    actor: &'s Staff,
    settings: &'s Settings,
    now: DateTime<Utc>,
    today: NaiveDate,
    /// `now` as the log records it.
    at: String,
}

impl Service {
    /// Starts a batch of recorded requests (see [`Batch`]).
    pub fn batch(&mut self) -> Result<Batch<'_>> {
        rules::may_edit(&self.actor)?;
        let (now, today) = (self.now(), self.today());
        let Service { store, actor, settings, .. } = self;
        let tx = store.write()?;
        let chain = Chain::head(&tx)?;
        let at = now.to_rfc3339_opts(SecondsFormat::Millis, true);
        Ok(Batch { tx, chain, actor, settings, now, today, at })
    }

    /// Records every request of `all` in one transaction, or none of them: the batch
    /// entry beside [`Service::apply`]. Returns how many were recorded.
    pub fn record_all(&mut self, all: impl IntoIterator<Item = Recorded>) -> Result<usize> {
        let mut batch = self.batch()?;
        let mut n = 0;
        for r in all {
            batch.record(r)?;
            n += 1;
        }
        batch.commit()?;
        // Committed: folding the log in is housekeeping, not part of the write.
        let _ = self.store.checkpoint();
        Ok(n)
    }
}

impl Batch<'_> {
    /// The transaction, for the look-ups that build what is recorded.
    pub fn conn(&self) -> &Connection {
        &self.tx
    }

    pub fn actor(&self) -> &Staff {
        self.actor
    }

    pub fn settings(&self) -> &Settings {
        self.settings
    }

    pub fn today(&self) -> NaiveDate {
        self.today
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// Who is acting, on what day: what the rules are checked against.
    /// The day the database began (its `init`): an imported decision taken before
    /// it is history (see [`check_recorded_decision`]).
    pub fn began(&self) -> Result<Option<chrono::NaiveDate>> {
        Ok(crate::store::events::began(&self.tx)?.map(|t| t.date_naive()))
    }

    pub fn ctx(&self) -> Ctx<'_> {
        Ctx { actor: self.actor, today: self.today, settings: self.settings }
    }

    /// Checks and writes one recorded request with its events (one creating it
    /// whole, one per later step); returns it as written. A refusal writes nothing.
    pub fn record(&mut self, recorded: Recorded) -> Result<RequestFile> {
        let Recorded { mut file, op, steps, viewing_sources } = recorded;
        let history_before = if op == "import" { self.began()? } else { None };
        check_recorded(&file, op == "import", history_before, self.ctx())?;
        let (tx, now) = (&self.tx, self.now);
        file.request.status = derive_status(&file);
        file.request.version = 2 + steps.len() as i64;
        file.request.updated_by = self.actor.login.clone();
        file.request.updated_at = now;
        let cached =
            requests::Cached { next_step: checklist::next_step(&file), due_on: due_date(&file, self.settings) };
        let id = requests::insert(tx, &file.request, now, cached)?;
        file.request.id = id;
        for s in &mut file.subjects {
            s.id = requests::insert_subject(tx, id, s)?;
        }
        file.items.sort_by_key(|i| i.number);
        for it in &mut file.items {
            it.id = requests::insert_item_row(tx, id, it)?;
        }
        let items: Vec<(i64, i64)> = file.items.iter().map(|i| (i.number, i.id)).collect();
        let item_id =
            |n: i64| items.iter().find(|(k, _)| *k == n).map(|(_, id)| *id).expect("checked: shown items exist");
        for a in &mut file.approvals {
            a.id = requests::insert_approval(tx, id, a)?;
        }
        for b in &mut file.bookings {
            b.id = requests::insert_booking(tx, id, b)?;
        }
        let mut viewings = Vec::with_capacity(file.viewings.len());
        for (k, v) in file.viewings.iter_mut().enumerate() {
            let own = v.id;
            v.item_ids = v.item_ids.iter().map(|n| item_id(*n)).collect();
            v.item_ids.sort_unstable();
            v.item_ids.dedup();
            for c in &mut v.copies {
                c.item_id = item_id(c.item_id);
            }
            v.copies.sort_by_key(|c| c.item_id);
            let from = viewing_sources.get(k).and_then(Option::as_deref);
            v.id = requests::insert_viewing(tx, id, v, self.actor.id, from)?;
            viewings.push((own, v.id));
        }
        file.viewings.sort_by_key(|v| (v.day, v.start, v.id));
        for i in &mut file.incidents {
            i.viewing_id =
                i.viewing_id.map(|own| viewings.iter().find(|(k, _)| *k == own).map(|(_, v)| *v).expect("checked"));
            i.id = requests::insert_incident(tx, id, i)?;
        }
        for t in &file.ticks {
            requests::insert_tick(tx, id, t.step, t.by.id, now)?;
        }
        // Keys in order, as every other creation event writes a whole file, so that
        // `verify` can compare it byte for byte with the tables (`store::canonical`).
        let whole = serde_json::to_value(&file).expect("requests serialise").to_string();
        let (login, reference) = (self.actor.login.as_str(), Some(file.request.reference.as_str()));
        self.chain.append(tx, &self.at, login, op, reference, "null", &whole)?;
        for (op, what) in &steps {
            self.chain.append(tx, &self.at, login, op, reference, "null", &what.to_string())?;
        }
        Ok(file)
    }

    /// Adds a staff member, logged as `staff.add` (as `staff add` logs it); returns
    /// them with their id.
    pub fn add_staff(&mut self, mut staff: Staff) -> Result<Staff> {
        staff.id = crate::store::reference::insert_staff(&self.tx, &staff)?;
        self.note("staff.add", &serde_json::to_value(&staff).expect("staff serialise"))?;
        Ok(staff)
    }

    /// Adds an organisation, logged as `org.add`.
    pub fn add_org(&mut self, mut org: Organisation) -> Result<Organisation> {
        org.id = crate::store::reference::insert_org(&self.tx, &org)?;
        self.note("org.add", &serde_json::to_value(&org).expect("organisations serialise"))?;
        Ok(org)
    }

    /// Adds a service area with its asset owner, logged as `area.add`.
    pub fn add_area(&mut self, name: &str, owner: &Staff) -> Result<()> {
        let id = crate::store::reference::insert_area(&self.tx, name, owner.id)?;
        self.note("area.add", &serde_json::json!({"name": name, "asset_owner": owner.login, "id": id}))
    }

    /// Gives `org` the alias `alias`, logged as `org.alias_add`.
    pub fn add_org_alias(&mut self, org: &Organisation, alias: &str) -> Result<()> {
        crate::store::reference::insert_org_alias(&self.tx, org.id, alias)?;
        self.note("org.alias_add", &serde_json::json!({"org_id": org.id, "org": org.name, "alias": alias}))
    }

    /// Appends an event that is about no one request (the import as a whole).
    pub fn note(&mut self, op: &str, after: &Value) -> Result<()> {
        self.chain.append(&self.tx, &self.at, &self.actor.login, op, None, "null", &after.to_string())?;
        Ok(())
    }

    /// Keeps everything recorded.
    pub fn commit(self) -> Result<()> {
        self.tx.commit()?;
        Ok(())
    }
}
