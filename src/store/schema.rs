//! Versioned migrations (rusqlite_migration; the version lives in `user_version`).
//!
//! Never edit a migration that has shipped: add a new one.

use rusqlite_migration::{M, Migrations};

const V1: &str = r#"
CREATE TABLE staff (
    id        INTEGER PRIMARY KEY,
    login     TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL,
    position  TEXT NOT NULL DEFAULT '',
    email     TEXT NOT NULL DEFAULT '',
    roles     TEXT NOT NULL,
    active    INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE service_areas (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE COLLATE NOCASE,
    asset_owner_id  INTEGER NOT NULL REFERENCES staff(id)
);

CREATE TABLE organisations (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind  TEXT NOT NULL
);

CREATE TABLE rooms (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE COLLATE NOCASE,
    location        TEXT NOT NULL DEFAULT '',
    observer_space  INTEGER NOT NULL CHECK (observer_space IN (0, 1)),
    secure_storage  INTEGER NOT NULL CHECK (secure_storage IN (0, 1)),
    teams           INTEGER NOT NULL CHECK (teams IN (0, 1)),
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

CREATE TABLE bank_holidays (
    day   TEXT PRIMARY KEY,
    name  TEXT NOT NULL
);

CREATE TABLE requests (
    id                    INTEGER PRIMARY KEY,
    reference             TEXT NOT NULL UNIQUE,
    kind                  TEXT NOT NULL,
    version               INTEGER NOT NULL DEFAULT 1,
    created_by            INTEGER NOT NULL REFERENCES staff(id),
    created_at            TEXT NOT NULL,
    owner_id              INTEGER NOT NULL REFERENCES staff(id),
    updated_by            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    received_on           TEXT NOT NULL,
    channel               TEXT NOT NULL,
    organisation_id       INTEGER NOT NULL REFERENCES organisations(id),
    requester_name        TEXT NOT NULL DEFAULT '',
    requester_role        TEXT NOT NULL DEFAULT '',
    requester_email       TEXT NOT NULL DEFAULT '',
    requester_phone       TEXT NOT NULL DEFAULT '',
    purpose               TEXT NOT NULL DEFAULT '',
    service_area_id       INTEGER REFERENCES service_areas(id),
    format                TEXT,
    redirect_route        TEXT,
    form_sent_on          TEXT,
    form_returned_on      TEXT,
    art6                  TEXT,
    art9                  TEXT,
    statutory_power       TEXT,
    basis_notes           TEXT NOT NULL DEFAULT '',
    necessity             TEXT NOT NULL DEFAULT '',
    consent_sought        INTEGER,
    consent_note          TEXT NOT NULL DEFAULT '',
    dsa_exists            INTEGER,
    security              TEXT NOT NULL DEFAULT '',
    retention             TEXT NOT NULL DEFAULT '',
    restore_requested_on  TEXT,
    restore_ref           TEXT,
    restored_on           TEXT,
    mosaic_checked_on     TEXT,
    confirmed_on          TEXT,
    shared_on             TEXT,
    share_method          TEXT,
    case_note_on          TEXT,
    case_note_by          INTEGER REFERENCES staff(id),
    case_note_ref         TEXT,
    case_note_text        TEXT,
    files_returned_on     TEXT,
    completed_on          TEXT,
    withdrawn_on          TEXT,
    withdraw_reason       TEXT,
    imported_from         TEXT,
    -- Derived by domain::checklist on every write, kept for indexed lists.
    status                TEXT NOT NULL,
    next_step             TEXT,
    due_on                TEXT
);
CREATE INDEX requests_status ON requests(status, received_on);
CREATE INDEX requests_due ON requests(due_on) WHERE due_on IS NOT NULL;
CREATE INDEX requests_org ON requests(organisation_id, received_on);
CREATE INDEX requests_owner ON requests(owner_id, status);
CREATE INDEX requests_received ON requests(received_on);

CREATE TABLE subjects (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES requests(id),
    name        TEXT NOT NULL,
    dob         TEXT,
    mosaic_id   TEXT NOT NULL
);
CREATE INDEX subjects_request ON subjects(request_id);
CREATE INDEX subjects_mosaic ON subjects(mosaic_id);
CREATE INDEX subjects_name ON subjects(name COLLATE NOCASE);

CREATE TABLE items (
    id                  INTEGER PRIMARY KEY,
    request_id          INTEGER NOT NULL REFERENCES requests(id),
    number              INTEGER NOT NULL,
    description         TEXT NOT NULL,
    third_party         TEXT,
    agency_consent_on   TEXT,
    agency_consent_ref  TEXT,
    approved            INTEGER CHECK (approved IN (0, 1)),
    UNIQUE (request_id, number)
);

CREATE TABLE approvals (
    id             INTEGER PRIMARY KEY,
    request_id     INTEGER NOT NULL REFERENCES requests(id),
    decision       TEXT NOT NULL,
    approver_id    INTEGER NOT NULL REFERENCES staff(id),
    decided_on     TEXT NOT NULL,
    evidence_date  TEXT,
    evidence_ref   TEXT,
    reason         TEXT NOT NULL,
    recorded_by    INTEGER NOT NULL REFERENCES staff(id)
);
CREATE INDEX approvals_request ON approvals(request_id);

CREATE TABLE bookings (
    id            INTEGER PRIMARY KEY,
    request_id    INTEGER NOT NULL REFERENCES requests(id),
    venue         TEXT NOT NULL,
    room_id       INTEGER REFERENCES rooms(id),
    day           TEXT NOT NULL,
    start_time    TEXT NOT NULL,
    end_time      TEXT NOT NULL,
    teams_reason  TEXT
);
CREATE INDEX bookings_request ON bookings(request_id);
CREATE INDEX bookings_room_day ON bookings(room_id, day);

CREATE TABLE viewings (
    id                 INTEGER PRIMARY KEY,
    request_id         INTEGER NOT NULL REFERENCES requests(id),
    day                TEXT NOT NULL,
    start_time         TEXT NOT NULL,
    end_time           TEXT NOT NULL,
    viewers            TEXT NOT NULL,
    viewer_org         TEXT NOT NULL,
    supervisor_id      INTEGER NOT NULL REFERENCES staff(id),
    method             TEXT NOT NULL,
    notes              TEXT NOT NULL DEFAULT '',
    supervised         INTEGER NOT NULL CHECK (supervised IN (0, 1)),
    unsupervised_note  TEXT,
    recorded_by        INTEGER NOT NULL REFERENCES staff(id)
);
CREATE INDEX viewings_request ON viewings(request_id);
CREATE INDEX viewings_day ON viewings(day);
CREATE INDEX viewings_viewers ON viewings(viewers COLLATE NOCASE);

CREATE TABLE viewing_items (
    viewing_id  INTEGER NOT NULL REFERENCES viewings(id),
    item_id     INTEGER NOT NULL REFERENCES items(id),
    PRIMARY KEY (viewing_id, item_id)
) WITHOUT ROWID;

CREATE TABLE copies (
    viewing_id  INTEGER NOT NULL REFERENCES viewings(id),
    item_id     INTEGER NOT NULL REFERENCES items(id),
    reason      TEXT NOT NULL,
    PRIMARY KEY (viewing_id, item_id)
) WITHOUT ROWID;

CREATE TABLE incidents (
    id           INTEGER PRIMARY KEY,
    request_id   INTEGER NOT NULL REFERENCES requests(id),
    viewing_id   INTEGER REFERENCES viewings(id),
    opened_on    TEXT NOT NULL,
    description  TEXT NOT NULL,
    referred_on  TEXT,
    ig_ref       TEXT
);
CREATE INDEX incidents_request ON incidents(request_id);

CREATE TABLE ticks (
    request_id  INTEGER NOT NULL REFERENCES requests(id),
    step        TEXT NOT NULL,
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    at          TEXT NOT NULL
);
CREATE INDEX ticks_request ON ticks(request_id);

-- The append-only, hash-chained history of every change.
CREATE TABLE events (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    login      TEXT NOT NULL,
    op         TEXT NOT NULL,
    reference  TEXT,
    before     TEXT NOT NULL,
    after      TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX events_reference ON events(reference) WHERE reference IS NOT NULL;

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only: events cannot be changed');
END;

CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only: events cannot be deleted');
END;
"#;

/// Imported viewings say where they came from, like imported requests.
const V2: &str = "ALTER TABLE viewings ADD COLUMN imported_from TEXT;";

/// Indexes that read the triage order page by page at any size: open requests in
/// age order carrying their target date (so a page is found from the index alone),
/// and targets with status (so overdue requests are counted from the index alone).
const V3: &str = "
CREATE INDEX requests_open_order ON requests(received_on, id, due_on)
    WHERE status NOT IN ('complete', 'refused', 'withdrawn', 'redirected');
CREATE INDEX requests_due_status ON requests(due_on, status) WHERE due_on IS NOT NULL;
";

/// Filter-as-you-type: one searchable line per request (reference, organisation,
/// requester, children and Mosaic IDs) in a trigram full-text index, so a substring
/// search reads the index instead of every request. Kept in step by triggers.
const V4: &str = "
CREATE VIRTUAL TABLE request_search USING fts5(text, tokenize = 'trigram');
INSERT INTO request_search (rowid, text)
    SELECT r.id, r.reference || ' ' || o.name || ' ' || r.requester_name || ' ' ||
           coalesce((SELECT group_concat(s.name || ' ' || s.mosaic_id, ' ') FROM subjects s WHERE s.request_id = r.id), '')
    FROM requests r JOIN organisations o ON o.id = r.organisation_id;
CREATE TRIGGER request_search_insert AFTER INSERT ON requests BEGIN
    INSERT INTO request_search (rowid, text) VALUES (new.id,
        new.reference || ' ' || coalesce((SELECT name FROM organisations WHERE id = new.organisation_id), '') || ' ' ||
        new.requester_name);
END;
CREATE TRIGGER request_search_subject AFTER INSERT ON subjects BEGIN
    UPDATE request_search SET text = text || ' ' || new.name || ' ' || new.mosaic_id WHERE rowid = new.request_id;
END;
";

/// A counter that moves whenever anything a list shows or counts may have changed
/// (requests, their subjects, their bookings), by anyone and by any path: a TUI
/// session keeps its search text and counts until it moves. Lookups and other
/// event-only writes leave it alone, unlike SQLite's `data_version`.
const V5: &str = "
CREATE TABLE list_generation (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
INSERT INTO list_generation (id, n) VALUES (1, 0);
CREATE TRIGGER list_generation_requests_insert AFTER INSERT ON requests BEGIN UPDATE list_generation SET n = n + 1; END;
CREATE TRIGGER list_generation_requests_update AFTER UPDATE ON requests BEGIN UPDATE list_generation SET n = n + 1; END;
CREATE TRIGGER list_generation_requests_delete AFTER DELETE ON requests BEGIN UPDATE list_generation SET n = n + 1; END;
CREATE TRIGGER list_generation_subjects_insert AFTER INSERT ON subjects BEGIN UPDATE list_generation SET n = n + 1; END;
CREATE TRIGGER list_generation_subjects_update AFTER UPDATE ON subjects BEGIN UPDATE list_generation SET n = n + 1; END;
CREATE TRIGGER list_generation_subjects_delete AFTER DELETE ON subjects BEGIN UPDATE list_generation SET n = n + 1; END;
CREATE TRIGGER list_generation_bookings_insert AFTER INSERT ON bookings BEGIN UPDATE list_generation SET n = n + 1; END;
CREATE TRIGGER list_generation_bookings_update AFTER UPDATE ON bookings BEGIN UPDATE list_generation SET n = n + 1; END;
CREATE TRIGGER list_generation_bookings_delete AFTER DELETE ON bookings BEGIN UPDATE list_generation SET n = n + 1; END;
";

/// A corrected requester name is searched for under its new spelling.
const V6: &str = "
CREATE TRIGGER request_search_requester AFTER UPDATE OF requester_name ON requests BEGIN
    UPDATE request_search SET text =
        new.reference || ' ' || coalesce((SELECT name FROM organisations WHERE id = new.organisation_id), '') || ' ' ||
        new.requester_name ||
        coalesce((SELECT ' ' || group_concat(s.name || ' ' || s.mosaic_id, ' ') FROM subjects s WHERE s.request_id = new.id), '')
    WHERE rowid = new.id;
END;
";

/// Each event's payload moves beside it, with a random salt: the chain covers a
/// salted digest of the payload, so a payload can later be erased (retention)
/// without breaking the chain, and the digest left behind cannot be tested against
/// guessed names. The hook converts every existing event (see
/// [`super::events::convert_legacy_log`]), after checking the old chain still holds.
const V7: &str = "
DROP TRIGGER IF EXISTS events_no_update;
DROP TRIGGER IF EXISTS events_no_delete;
ALTER TABLE events ADD COLUMN digest TEXT NOT NULL DEFAULT '';
CREATE TABLE event_payloads (
    event_id  INTEGER PRIMARY KEY REFERENCES events(id),
    v         INTEGER NOT NULL,
    salt      TEXT NOT NULL,
    before    TEXT NOT NULL,
    after     TEXT NOT NULL
);
";

/// The trigger statements exactly as the migration creates them: `verify` compares
/// what the database holds with these, character for character.
macro_rules! append_only {
    ($name:literal, $when:literal, $table:literal, $what:literal) => {
        concat!(
            "CREATE TRIGGER ",
            $name,
            " BEFORE ",
            $when,
            " ON ",
            $table,
            "\nBEGIN\n    SELECT RAISE(ABORT, 'the event log is append-only: ",
            $what,
            "');\nEND"
        )
    };
}
macro_rules! events_no_update {
    () => {
        append_only!("events_no_update", "UPDATE", "events", "events cannot be changed")
    };
}
macro_rules! events_no_delete {
    () => {
        append_only!("events_no_delete", "DELETE", "events", "events cannot be deleted")
    };
}
macro_rules! event_payloads_no_update {
    () => {
        append_only!("event_payloads_no_update", "UPDATE", "event_payloads", "payloads cannot be changed")
    };
}
macro_rules! event_payloads_no_delete {
    () => {
        append_only!("event_payloads_no_delete", "DELETE", "event_payloads", "payloads cannot be deleted")
    };
}

/// The old payload columns go once converted, and the log is append-only again:
/// events and payloads alike.
const V8: &str = concat!(
    "ALTER TABLE events DROP COLUMN \"before\";\n",
    "ALTER TABLE events DROP COLUMN \"after\";\n",
    events_no_update!(),
    ";\n",
    events_no_delete!(),
    ";\n",
    event_payloads_no_update!(),
    ";\n",
    event_payloads_no_delete!(),
    ";\n",
);

/// Mosaic IDs compare without case (DEMO-1008 is demo-1008), by an index that
/// answers it: the old case-sensitive one goes.
const V9: &str = "
CREATE INDEX subjects_mosaic_nocase ON subjects(mosaic_id COLLATE NOCASE);
DROP INDEX subjects_mosaic;
";

/// The day each item was asked for, so that an item added after a decision has its
/// own approval target (items recorded before this have none: NULL); where the
/// physical files were secured when returned (NULL for those returned before).
const V11: &str = "
ALTER TABLE items ADD COLUMN added_on TEXT;
ALTER TABLE requests ADD COLUMN files_secured_at TEXT;
";

/// The lawful-basis model of SPEC section 2 and the decision record: the Art. 9(2)
/// gateway's Schedule 1 condition, criminal offence data, the power's detail, the
/// guidance relied on, the agreement answer, controllers, DPIA, the ISA prompt, a
/// reason per declined item. Each column is added where it is missing (so a copy
/// taken back to an older layout that kept them upgrades too); the hook then
/// re-codes the values stored before (see [`super::upgrade::v10`]), with an
/// `upgrade` event per request it changes.
pub const V10_COLUMNS: &[(&str, &str, &str)] = &[
    ("requests", "sch1_condition", "TEXT"),
    ("requests", "consent_not_obtained", "TEXT"),
    ("requests", "criminal", "INTEGER CHECK (criminal IN (0, 1))"),
    ("requests", "criminal_condition", "TEXT"),
    ("requests", "power_detail", "TEXT NOT NULL DEFAULT ''"),
    ("requests", "guidance", "TEXT NOT NULL DEFAULT ''"),
    ("requests", "guidance_other", "TEXT NOT NULL DEFAULT ''"),
    ("requests", "basis_review", "TEXT"),
    ("requests", "basis_confirmed", "TEXT NOT NULL DEFAULT '[]'"),
    ("requests", "agreement", "TEXT"),
    ("requests", "agreement_note", "TEXT NOT NULL DEFAULT ''"),
    ("requests", "controller_relationship", "TEXT"),
    ("requests", "dpia_considered", "INTEGER CHECK (dpia_considered IN (0, 1))"),
    ("requests", "dpia_outcome", "TEXT NOT NULL DEFAULT ''"),
    ("requests", "isa_prompt", "TEXT"),
    ("items", "decline_reason", "TEXT"),
];
/// Issue 10, the viewing steps: the viewer's organisation is a registered one, and
/// who confirmed the supervision, the LCC-devices answer and what was downloaded
/// are recorded (all null for viewings logged before); the restore of physical files has a target (the hook
/// below brings cached due dates forward for restores already outstanding).
const V13: &str = "
ALTER TABLE viewings ADD COLUMN viewer_org_id INTEGER REFERENCES organisations(id);
ALTER TABLE viewings ADD COLUMN supervision_confirmed_by INTEGER REFERENCES staff(id);
ALTER TABLE viewings ADD COLUMN lcc_devices_only INTEGER;
-- A JSON array of {item_id, reason}; [] when nothing was downloaded, NULL when not asked.
ALTER TABLE viewings ADD COLUMN downloads TEXT;
";

/// V13's hook: an open request whose physical files were asked for and not yet
/// restored is due by the restore target if that is earlier than its cached due
/// date (a derived column, not in the log: no event). Reads only columns every
/// schema has, so it holds whatever later migrations add.
fn restore_targets(tx: &rusqlite::Transaction) -> Result<(), rusqlite_migration::HookError> {
    let settings = super::reference::settings(tx).map_err(|e| rusqlite_migration::HookError::Hook(e.to_string()))?;
    let mut stmt = tx.prepare(
        "SELECT id, restore_requested_on, due_on FROM requests
         WHERE restore_requested_on IS NOT NULL AND restored_on IS NULL AND format IN ('paper', 'both')
           AND status NOT IN ('complete', 'refused', 'withdrawn', 'redirected')",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, chrono::NaiveDate>(1)?, r.get::<_, Option<chrono::NaiveDate>>(2)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    for (id, asked, due) in rows {
        let restore_due = settings.holidays.add_working_days(asked, settings.targets.restore);
        if due.is_none_or(|d| restore_due < d) {
            tx.execute("UPDATE requests SET due_on = ?2 WHERE id = ?1", rusqlite::params![id, restore_due])?;
        }
    }
    Ok(())
}

/// Bank holidays are computed by rule for any year; the table is the council's list
/// beside it: a day listed (removed = 0) is a holiday whatever the rule says, a day
/// marked removed = 1 is not one even when the rule makes it one.
const V12: &str = "ALTER TABLE bank_holidays ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;";

/// Retention: a legal hold, and a disposed request's record of its disposal (the
/// erased event ids as JSON `{"events": [...], "lookups": [...]}`); a partial index
/// finds the few `dispose` events among the million others, which `verify` reads
/// before it walks the chain.
const V14: &str = "
ALTER TABLE requests ADD COLUMN held_on TEXT;
ALTER TABLE requests ADD COLUMN held_by INTEGER REFERENCES staff(id);
ALTER TABLE requests ADD COLUMN hold_reason TEXT;
ALTER TABLE requests ADD COLUMN disposed_on TEXT;
ALTER TABLE requests ADD COLUMN disposed_by INTEGER REFERENCES staff(id);
ALTER TABLE requests ADD COLUMN disposal_authorised_by INTEGER REFERENCES staff(id);
ALTER TABLE requests ADD COLUMN disposal_reason TEXT;
ALTER TABLE requests ADD COLUMN disposal_early TEXT;
ALTER TABLE requests ADD COLUMN disposal_erased TEXT;
CREATE INDEX IF NOT EXISTS events_dispose ON events(id) WHERE op = 'dispose';
";

/// The columns schema 14 adds (for tests that take a database back before it).
pub const V14_COLUMNS: &[(&str, &str)] = &[
    ("requests", "held_on"),
    ("requests", "held_by"),
    ("requests", "hold_reason"),
    ("requests", "disposed_on"),
    ("requests", "disposed_by"),
    ("requests", "disposal_authorised_by"),
    ("requests", "disposal_reason"),
    ("requests", "disposal_early"),
    ("requests", "disposal_erased"),
];

/// Organisation aliases: the other names a council's records use for an organisation
/// ("Exampleshire CC" for "Exampleshire County Council"), unique whatever their case.
/// That an alias is no organisation's name is checked by the service.
const V15: &str = "
CREATE TABLE IF NOT EXISTS org_aliases (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    alias TEXT NOT NULL UNIQUE COLLATE NOCASE
);
CREATE INDEX IF NOT EXISTS org_aliases_org ON org_aliases(org_id);
";

/// Administration: a service area or organisation retired (the day it was) is kept
/// for the requests that name it and offered for no new one; NULL is in use. A
/// renamed organisation's requests are searched for under its new name, and lists
/// held by a session are read again. Only columns and a trigger of its own are
/// added, so this migration reads the same wherever it falls in the list.
const V16: &str = "
ALTER TABLE organisations ADD COLUMN retired_on TEXT;
ALTER TABLE service_areas ADD COLUMN retired_on TEXT;
CREATE TRIGGER IF NOT EXISTS request_search_organisation_name AFTER UPDATE OF name ON organisations
WHEN new.name IS NOT old.name BEGIN
    UPDATE request_search SET text = (
        SELECT r.reference || ' ' || new.name || ' ' || r.requester_name ||
            coalesce((SELECT ' ' || group_concat(s.name || ' ' || s.mosaic_id, ' ') FROM subjects s WHERE s.request_id = r.id), '')
        FROM requests r WHERE r.id = request_search.rowid)
    WHERE rowid IN (SELECT id FROM requests WHERE organisation_id = new.id);
    UPDATE list_generation SET n = n + 1;
END;
";

/// The columns [`V16`] adds (for tests that take a database back before it).
pub const V16_COLUMNS: &[(&str, &str)] = &[("organisations", "retired_on"), ("service_areas", "retired_on")];

/// The triggers that keep the event log append-only, with the exact SQL the
/// migrations created; `verify` checks each is present and unaltered.
pub const EVENT_TRIGGERS: &[(&str, &str)] = &[
    ("events_no_update", events_no_update!()),
    ("events_no_delete", events_no_delete!()),
    ("event_payloads_no_update", event_payloads_no_update!()),
    ("event_payloads_no_delete", event_payloads_no_delete!()),
];

/// The schema version from which events keep their payload apart (V8 applied).
pub const SALTED_LOG_VERSION: i64 = 8;

/// The schema version the migrations bring a database to.
pub const LATEST: i64 = 16;

/// All migrations, oldest first.
pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(V1),
        M::up(V2),
        M::up(V3),
        M::up(V4),
        M::up(V5),
        M::up(V6),
        M::up_with_hook(V7, |tx: &rusqlite::Transaction| {
            super::events::convert_legacy_log(tx)
                .map_err(|e| rusqlite_migration::HookError::Hook(format!("converting the event log: {e}")))
        }),
        M::up(V8),
        M::up(V9),
        M::up_with_hook("", |tx: &rusqlite::Transaction| {
            super::upgrade::v10(tx, chrono::Utc::now())
                .map_err(|e| rusqlite_migration::HookError::Hook(format!("re-coding the lawful basis: {e}")))
        }),
        M::up(V11),
        M::up(V12),
        M::up_with_hook(V13, restore_targets),
        M::up(V14),
        M::up(V15),
        M::up(V16),
    ])
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        assert!(super::migrations().validate().is_ok());
    }

    #[test]
    fn the_events_triggers_are_those_version_1_created() {
        // An old database's triggers are checked against the same text.
        for (name, sql) in &super::EVENT_TRIGGERS[..2] {
            assert!(super::V1.contains(&format!("{sql};")), "{name}");
        }
    }

    #[test]
    fn latest_names_the_version_the_migrations_reach() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        super::migrations().to_latest(&mut conn).unwrap();
        let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(v, super::LATEST);
    }
}
