//! `verify`'s second half: the tables rebuilt from the event log alone, compared
//! with what the database holds, so that a row edited, added or deleted behind the
//! application's back is named with what differs.
//!
//! Requests are replayed one at a time, in request id order (memory stays that of
//! one request): the tables read once each in that order, each request's file
//! written from its rows as the JSON text its creation event records
//! ([`super::canonical`]), beside each request's events from the partial index on
//! `events.reference`. A creation (or import) event's `after` is the whole request
//! file; every later event's `after` holds what changed, arrays of rows keyed `#id`
//! ([`super::events::diff`]), `null` for a row removed. A whole file byte for byte
//! the tables' own, with no change after it, needs no comparison; any other request
//! is loaded ([`super::requests::load`]) and compared field by field, which names
//! what differs. Staff, service areas, organisations and
//! rooms are replayed from the administration events. Names copied into a request
//! file from another table (an organisation's name, a staff member's, a room's) are
//! compared where they live, by id, not in every request that points at them.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

use rusqlite::Connection;
use serde_json::{Map, Value};

use super::stream::ByRequest;
use super::{Result, canonical, reference, requests};
use crate::domain::RequestFile;

/// How many differences `verify` names; the rest are counted.
pub const MAX_DIFFERENCES: usize = 50;

/// What the comparison found.
#[derive(Debug, Default)]
pub struct Found {
    pub differences: Vec<String>,
    pub more: u64,
}

impl Found {
    fn push(&mut self, what: String) {
        if self.differences.len() < MAX_DIFFERENCES {
            self.differences.push(what);
        } else {
            self.more += 1;
        }
    }

    /// What `other` found, after this.
    pub fn extend(&mut self, other: Found) {
        for d in other.differences {
            self.push(d);
        }
        self.more += other.more;
    }
}

/// The requests with an event after `event_id` (for `verify --since-last-anchor`).
pub fn references_after(conn: &Connection, event_id: i64) -> Result<HashSet<String>> {
    let mut stmt = conn.prepare("SELECT DISTINCT reference FROM events WHERE id > ?1 AND reference IS NOT NULL")?;
    let refs = stmt.query_map([event_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(refs)
}

/// Rebuilds every table the log describes (or, with `only`, those requests and the
/// reference tables) and compares.
pub fn compare(conn: &Connection, only: Option<&HashSet<String>>) -> Result<Found> {
    let mut found = reference_tables(conn)?;
    found.extend(requests_in(conn, only)?);
    Ok(found)
}

/// Staff, service areas, organisations and rooms rebuilt and compared (the first
/// half of [`compare`], which `verify` runs beside the other).
pub fn reference_tables(conn: &Connection) -> Result<Found> {
    let mut found = Found::default();
    compare_reference_tables(conn, &mut found)?;
    Ok(found)
}

/// Every request (or, with `only`, those) rebuilt and compared (the second half of
/// [`compare`]).
pub fn requests_in(conn: &Connection, only: Option<&HashSet<String>>) -> Result<Found> {
    requests_in_with(conn, only, &crate::progress::Silent)
}

/// [`requests_in`], telling `tick` of each request compared.
pub fn requests_in_with(
    conn: &Connection,
    only: Option<&HashSet<String>>,
    tick: &dyn crate::progress::Tick,
) -> Result<Found> {
    let mut found = Found::default();
    compare_requests(conn, only, &mut found, &mut crate::progress::Batched::new(tick, 256))?;
    Ok(found)
}

fn compare_requests(
    conn: &Connection,
    only: Option<&HashSet<String>>,
    found: &mut Found,
    ticks: &mut crate::progress::Batched,
) -> Result<()> {
    match only {
        None => compare_every_request(conn, found, ticks)?,
        Some(only) => {
            let mut some: Vec<&String> = only.iter().collect();
            some.sort();
            for reference in some {
                ticks.one();
                let mut replay = Replay::default();
                let mut whole = Whole::loaded(conn, reference, requests::load(conn, reference)?);
                each_event_of(conn, reference, |before, after| replay.apply(before, after, &mut whole))?;
                replay.finish(reference, &mut whole, found)?;
            }
        }
    }
    // Requests in the tables without a single event.
    let mut stmt = conn.prepare(
        "SELECT reference FROM requests r WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.reference = r.reference)
         ORDER BY reference",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let reference = r.get_ref(0)?.as_str()?;
        found.push(format!("request {reference} is in the tables but not in the log (added outside caseshare)"));
    }
    Ok(())
}

/// Every request: the tables read once in request order, each request's file
/// written as its creation event's text ([`canonical::each_request`]), beside each
/// request's events in the same order, then the log's requests that are not in the
/// tables. A request whose log is a whole file equal to that text, with no change
/// after it, is as the log says; any other is loaded and compared row by row.
fn compare_every_request(conn: &Connection, found: &mut Found, ticks: &mut crate::progress::Batched) -> Result<()> {
    let mut log = conn.prepare(
        // CROSS JOIN keeps SQLite to this order of the tables: requests in id order,
        // each one's events from the index, so nothing is sorted.
        "SELECT r.id, p.before, p.after FROM requests r
         CROSS JOIN events e ON e.reference = r.reference LEFT JOIN event_payloads p ON p.event_id = e.id
         ORDER BY r.id, e.id",
    )?;
    let mut log = ByRequest::new(&mut log, 0)?;
    canonical::each_request(conn, |head, text| {
        ticks.one();
        let mut replay = Replay::default();
        let mut whole = Whole::in_tables(conn, &head.reference, head.version, text);
        log.each(head.id, |r| {
            replay.apply(r.get_ref(1)?.as_str_or_null()?, r.get_ref(2)?.as_str_or_null()?, &mut whole)
        })?;
        // A request without events is named below.
        if replay.events > 0 {
            replay.finish(&head.reference, &mut whole, found)?;
        }
        Ok(())
    })?;
    let mut stmt = conn.prepare(
        "SELECT reference FROM (SELECT DISTINCT reference FROM events WHERE reference IS NOT NULL)
         WHERE reference NOT IN (SELECT reference FROM requests) ORDER BY reference",
    )?;
    let gone: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    for reference in gone {
        let mut replay = Replay::default();
        let mut whole = Whole::loaded(conn, &reference, None);
        each_event_of(conn, &reference, |before, after| replay.apply(before, after, &mut whole))?;
        replay.finish(&reference, &mut whole, found)?;
    }
    Ok(())
}

/// Calls `f` with each event's `before` and `after` of one request, oldest first.
/// An erased payload (a disposal's) is `None`: the event counts, its content is gone.
fn each_event_of(
    conn: &Connection,
    reference: &str,
    mut f: impl FnMut(Option<&str>, Option<&str>) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.before, p.after FROM events e LEFT JOIN event_payloads p ON p.event_id = e.id
         WHERE e.reference = ?1 ORDER BY e.id",
    )?;
    let mut rows = stmt.query([reference])?;
    while let Some(r) = rows.next()? {
        f(r.get_ref(0)?.as_str_or_null()?, r.get_ref(1)?.as_str_or_null()?)?;
    }
    Ok(())
}

/// A request in the tables: its version, its file (loaded when first wanted) and
/// the file as its creation event writes it (the JSON text of the file, keys in
/// order), either written from the rows ([`canonical`]) or serialised from the file.
struct Whole<'a> {
    conn: &'a Connection,
    reference: &'a str,
    /// None when the tables have no such request.
    version: Option<i64>,
    /// The file from `requests::load`, once loaded.
    file: Option<Option<RequestFile>>,
    text: Option<Cow<'a, [u8]>>,
}

impl<'a> Whole<'a> {
    /// A request read by [`canonical::each_request`], with its text where it had one.
    fn in_tables(conn: &'a Connection, reference: &'a str, version: i64, text: Option<&'a [u8]>) -> Self {
        Whole { conn, reference, version: Some(version), file: None, text: text.map(Cow::Borrowed) }
    }

    /// A request already loaded (`None`: not in the tables).
    fn loaded(conn: &'a Connection, reference: &'a str, file: Option<RequestFile>) -> Self {
        Whole { conn, reference, version: file.as_ref().map(|f| f.request.version), file: Some(file), text: None }
    }

    fn file(&mut self) -> Result<Option<&RequestFile>> {
        if self.file.is_none() {
            self.file = Some(requests::load(self.conn, self.reference)?);
        }
        Ok(self.file.as_ref().and_then(Option::as_ref))
    }

    fn text(&mut self) -> Result<Option<&[u8]>> {
        if self.text.is_none() {
            let Some(file) = self.file()? else { return Ok(None) };
            self.text =
                Some(Cow::Owned(serde_json::to_value(file).expect("requests serialise").to_string().into_bytes()));
        }
        Ok(self.text.as_deref())
    }
}

/// A request as its log says it is, so far.
#[derive(Default)]
struct Replay {
    state: State,
    events: i64,
}

#[derive(Default)]
enum State {
    /// No event has created the request.
    #[default]
    Nothing,
    /// The last whole file recorded is, byte for byte, the tables' (see [`Whole`]),
    /// and nothing has changed it since.
    AsInTables,
    /// Replayed, in the comparable form ([`normalise`]).
    Replayed(Value),
}

impl Replay {
    /// Applies one event's payload. A creation or import carries the whole file; an
    /// event without a `before` that is not a whole file (the generated demo's step
    /// summaries) changes no row; any other event's `after` is merged in. An event
    /// whose payload a disposal erased counts as an event and changes nothing: the
    /// disposal's own event carries the whole residue after it (the chain walk is
    /// what decides whether a missing payload was erased or deleted).
    fn apply(&mut self, before: Option<&str>, after: Option<&str>, whole: &mut Whole) -> Result<()> {
        self.events += 1;
        let (Some(before), Some(after)) = (before, after) else { return Ok(()) };
        if before == "null" {
            // A whole file has a `request` key (which JSON could also spell with
            // `\u` escapes): a short summary without either is passed over unread.
            if !after.contains("\"request\"") && !after.contains("\\u") {
                return Ok(());
            }
            if whole.text()? == Some(after.as_bytes()) {
                self.state = State::AsInTables;
                return Ok(());
            }
            let after: Value = serde_json::from_str(after).unwrap_or(Value::Null);
            if after.get("request").is_some() {
                self.state = State::Replayed(normalise(after));
            }
            return Ok(());
        }
        let patch = normalise(serde_json::from_str(after).unwrap_or(Value::Null));
        let state = match std::mem::take(&mut self.state) {
            State::Nothing => Value::Null,
            State::AsInTables => normalise(
                serde_json::from_slice(whole.text()?.expect("only a file in the tables is as in the tables"))
                    .expect("serde_json reads what it writes"),
            ),
            State::Replayed(v) => v,
        };
        let mut state = state;
        merge(&mut state, patch);
        self.state = State::Replayed(state);
        Ok(())
    }

    /// Compares the replayed request with its tables (`file`, none when the tables
    /// have no such request). Every change adds one event and one version, so a
    /// request whose version is not its event count + 1 has lost its newest events
    /// even where what is left still matches its rows.
    fn finish(self, reference: &str, whole: &mut Whole, found: &mut Found) -> Result<()> {
        let events = self.events;
        let log = match self.state {
            State::Nothing | State::Replayed(Value::Null) => {
                found.push(format!("request {reference} has events but none records its creation"));
                return Ok(());
            }
            State::AsInTables => None,
            State::Replayed(v) => Some(v),
        };
        let Some(version) = whole.version else {
            found.push(format!("request {reference} is in the log but not in the tables (deleted outside caseshare)"));
            return Ok(());
        };
        if version != events + 1 {
            found.push(format!(
                "request {reference} has {events} events in the log for {} changes in the tables (events removed)",
                version - 1
            ));
        }
        if let Some(log) = log {
            let file = whole.file()?.expect("a request with a version is in the tables");
            let tables = normalise(serde_json::to_value(file).expect("requests serialise"));
            if log != tables {
                differences(&format!("request {reference}"), "", &log, &tables, found);
            }
        }
        Ok(())
    }
}

fn merge(state: &mut Value, patch: Value) {
    match (state, patch) {
        (Value::Object(s), Value::Object(p)) => {
            for (k, v) in p {
                if v.is_null() && k.starts_with('#') {
                    s.remove(&k);
                    continue;
                }
                match s.get_mut(&k) {
                    Some(existing @ Value::Object(_)) if v.is_object() => merge(existing, v),
                    _ => {
                        s.insert(k, v);
                    }
                }
            }
        }
        (state, patch) => *state = patch,
    }
}

/// The comparable form of a request file: arrays of rows keyed by `#id` (as the
/// log's diffs are), names copied in from other tables reduced to their ids, and an
/// empty list the same however it was reached.
fn normalise(v: Value) -> Value {
    match v {
        Value::Array(items) if !items.is_empty() && items.iter().all(|i| i.get("id").is_some_and(Value::is_i64)) => {
            Value::Object(items.into_iter().map(|i| (format!("#{}", i["id"]), normalise(i))).collect())
        }
        Value::Array(items) if items.is_empty() => Value::Object(Map::new()),
        Value::Array(items) => Value::Array(items.into_iter().map(normalise).collect()),
        Value::Object(fields) if fields.contains_key("login") => fields.get("id").cloned().unwrap_or(Value::Null),
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .filter(|(k, _)| k != "room_name")
                .map(|(k, v)| match k.as_str() {
                    "organisation" | "service_area" => {
                        let id = v.get("id").cloned().unwrap_or(Value::Null);
                        (k, id)
                    }
                    _ => (k, normalise(v)),
                })
                .collect(),
        ),
        other => other,
    }
}

/// Names every place where `tables` differs from `log`.
fn differences(what: &str, path: &str, log: &Value, tables: &Value, found: &mut Found) {
    match (log, tables) {
        (Value::Object(l), Value::Object(t)) => {
            let keys: std::collections::BTreeSet<&String> = l.keys().chain(t.keys()).collect();
            for k in keys {
                let here = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                match (l.get(k), t.get(k)) {
                    (Some(a), Some(b)) => differences(what, &here, a, b, found),
                    (Some(_), None) if k.starts_with('#') => found.push(format!(
                        "{what}: {} is in the log but not in the tables (deleted outside caseshare)",
                        row_name(&here)
                    )),
                    (None, Some(_)) if k.starts_with('#') => found.push(format!(
                        "{what}: {} is in the tables but not in the log (added outside caseshare)",
                        row_name(&here)
                    )),
                    // A field a later schema added is absent from events written before
                    // it: there it reads as null (or empty) until a change sets it.
                    (None, Some(b)) if is_unset(b) => {}
                    // And a field the tables' file leaves out when unset (a released
                    // hold) reads the same as the log's null.
                    (Some(a), None) if is_unset(a) => {}
                    (a, b) => found.push(format!(
                        "{what}: {here} is {} in the tables but {} in the log",
                        show(b.unwrap_or(&Value::Null)),
                        show(a.unwrap_or(&Value::Null))
                    )),
                }
            }
        }
        (a, b) if a != b => {
            found.push(format!("{what}: {path} is {} in the tables but {} in the log", show(b), show(a)));
        }
        _ => {}
    }
}

/// Null, or an empty text, list or object: what a field added by a later schema
/// holds until it is set.
fn is_unset(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// `viewings.#3` → `viewing 3`.
fn row_name(path: &str) -> String {
    match path.rsplit_once(".#") {
        Some((table, id)) => {
            let one = table.rsplit('.').next().unwrap_or(table);
            format!("{} {id}", one.strip_suffix('s').unwrap_or(one))
        }
        None => path.to_string(),
    }
}

/// A value as a short quotation.
fn show(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 { format!("{}…", s.chars().take(60).collect::<String>()) } else { s }
}

/// Staff, service areas, organisations and rooms as the log says they are.
#[derive(Default)]
struct ReferenceLog {
    staff: BTreeMap<i64, Value>,
    /// By id: `{id, name, asset_owner (login), retired_on}`.
    areas: BTreeMap<i64, Value>,
    /// A service area's id by its lower-cased name, as `area.set_owner` names it.
    area_ids: HashMap<String, i64>,
    orgs: BTreeMap<i64, Value>,
    rooms: BTreeMap<i64, Value>,
    /// Organisation aliases by lower-cased alias: (organisation id, alias).
    aliases: BTreeMap<String, (i64, String)>,
}

/// The reference events, every one with a `null` reference: each but
/// `area.set_owner` records the whole row after it.
const REFERENCE_OPS: &str = "'init', 'staff.add', 'staff.update', 'area.add', 'area.set_owner', 'area.rename',
    'area.retire', 'area.reinstate', 'org.add', 'org.rename', 'org.retire', 'org.reinstate', 'room.add',
    'room.rename', 'room.retire', 'room.reinstate', 'org.alias_add', 'org.alias_remove'";

fn replay_reference_tables(conn: &Connection) -> Result<ReferenceLog> {
    let mut log = ReferenceLog::default();
    let mut stmt = conn.prepare(&format!(
        "SELECT e.op, p.after, p.before FROM events e JOIN event_payloads p ON p.event_id = e.id
         WHERE e.reference IS NULL AND e.op IN ({REFERENCE_OPS})
         ORDER BY e.id"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let op = r.get_ref(0)?.as_str()?;
        let after: Value = serde_json::from_str(r.get_ref(1)?.as_str()?).unwrap_or(Value::Null);
        if op == "org.alias_remove" {
            let before: Value = serde_json::from_str(r.get_ref(2)?.as_str()?).unwrap_or(Value::Null);
            let alias = before.get("alias").and_then(Value::as_str).unwrap_or_default();
            log.aliases.remove(&alias.to_lowercase());
            continue;
        }
        let id = |v: &Value| v.get("id").and_then(Value::as_i64).unwrap_or(0);
        let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        match op {
            "init" => {
                let admin = after.get("admin").cloned().unwrap_or(Value::Null);
                log.staff.insert(id(&admin), admin);
            }
            "staff.add" | "staff.update" => {
                log.staff.insert(id(&after), after);
            }
            "area.set_owner" => {
                let owner = text(&after, "asset_owner");
                if let Some(area) =
                    log.area_ids.get(&text(&after, "name").to_lowercase()).and_then(|i| log.areas.get_mut(i))
                {
                    area["asset_owner"] = Value::String(owner);
                }
            }
            op if op.starts_with("area.") => {
                // A rename's old name no longer finds it.
                log.area_ids.retain(|_, i| *i != id(&after));
                log.area_ids.insert(text(&after, "name").to_lowercase(), id(&after));
                log.areas.insert(id(&after), after);
            }
            "org.alias_add" => {
                let alias = text(&after, "alias");
                let org = after.get("org_id").and_then(Value::as_i64).unwrap_or(0);
                log.aliases.insert(alias.to_lowercase(), (org, alias));
            }
            op if op.starts_with("org.") => {
                log.orgs.insert(id(&after), after);
            }
            _ => {
                log.rooms.insert(id(&after), after);
            }
        }
    }
    Ok(log)
}

fn compare_reference_tables(conn: &Connection, found: &mut Found) -> Result<()> {
    let log = replay_reference_tables(conn)?;
    let staff = reference::all_staff(conn)?.iter().map(|s| (s.id, json(s))).collect();
    compare_rows("staff member", &log.staff, &staff, found);
    let orgs = reference::all_orgs(conn)?.iter().map(|o| (o.id, json(o))).collect();
    compare_rows("organisation", &log.orgs, &orgs, found);
    let rooms = reference::all_rooms(conn)?.iter().map(|r| (r.id, json(r))).collect();
    compare_rows("room", &log.rooms, &rooms, found);
    let areas = reference::all_areas(conn)?.into_iter().map(|a| (a.id, area_row(&a))).collect();
    compare_rows("service area", &log.areas, &areas, found);
    let tables: BTreeMap<String, (i64, String)> =
        reference::all_org_aliases(conn)?.into_iter().map(|a| (a.alias.to_lowercase(), (a.org_id, a.alias))).collect();
    for (key, (org, alias)) in &log.aliases {
        match tables.get(key) {
            None => found.push(format!(
                "organisation alias '{alias}' is in the log but not in the tables (deleted outside caseshare)"
            )),
            Some((o, a)) if o != org || a != alias => found.push(format!(
                "organisation alias '{alias}' differs: the log has it for organisation {org}, the tables '{a}' for {o}"
            )),
            Some(_) => {}
        }
    }
    for (key, (org, alias)) in &tables {
        if !log.aliases.contains_key(key) {
            found.push(format!(
                "organisation alias '{alias}' (organisation {org}) is in the tables but not in the log (added outside caseshare)"
            ));
        }
    }
    Ok(())
}

/// A service area as its events record it: the asset owner by login.
pub(crate) fn area_row(a: &crate::domain::ServiceArea) -> Value {
    let mut row = serde_json::json!({"id": a.id, "name": a.name, "asset_owner": a.asset_owner.login});
    if let Some(day) = a.retired_on {
        row["retired_on"] = serde_json::json!(day);
    }
    row
}

fn compare_rows(what: &str, log: &BTreeMap<i64, Value>, tables: &BTreeMap<i64, Value>, found: &mut Found) {
    for (id, l) in log {
        match tables.get(id) {
            None => found.push(format!("{what} {id} is in the log but not in the tables (deleted outside caseshare)")),
            Some(t) => differences(&format!("{what} {id}"), "", l, t, found),
        }
    }
    for id in tables.keys().filter(|id| !log.contains_key(id)) {
        found.push(format!("{what} {id} is in the tables but not in the log (added outside caseshare)"));
    }
}

/// A reference row as the JSON its event records.
fn json<T: serde::Serialize>(row: &T) -> Value {
    serde_json::to_value(row).expect("reference rows serialise")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn found(log: Value, tables: Value) -> Vec<String> {
        let mut f = Found::default();
        differences("REQ-1", "", &log, &tables, &mut f);
        f.differences
    }

    #[test]
    fn a_field_absent_from_the_log_is_unset_in_the_tables() {
        let log = json!({"request": {"purpose": "x"}});
        let tables = json!({"request": {"purpose": "x", "added": null, "note": "", "list": []}});
        assert!(found(log, tables).is_empty());
    }

    #[test]
    fn a_field_absent_from_the_log_but_set_in_the_tables_is_named() {
        let log = json!({"request": {"purpose": "x"}});
        let tables = json!({"request": {"purpose": "x", "added": "set behind the log's back"}});
        let f = found(log, tables);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].contains("request.added"), "{f:?}");
    }

    #[test]
    fn a_field_the_log_has_is_compared_even_when_the_tables_blank_it() {
        let log = json!({"request": {"purpose": "x"}});
        let tables = json!({"request": {"purpose": ""}});
        assert_eq!(found(log, tables).len(), 1);
    }
}
