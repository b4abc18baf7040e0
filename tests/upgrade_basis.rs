//! Schema 10 re-codes the lawful basis stored before it, with the mapping of
//! `store::upgrade` (SPEC section 2's model): a database at schema 9 holding each
//! old code is upgraded; each re-coded request gets one `upgrade` event (login
//! `caseshare-upgrade`) with what was and what is, its version goes up by one, and
//! `verify` passes; what cannot be mapped is left for review in words, never guessed.

mod common;

use common::*;
use serde_json::{Value, json};

/// A database at schema 9 with one request per row of the mapping (art9, power,
/// dsa_exists as those versions stored them). The requests are recorded by this
/// version (so their creation events hold the basis as not chosen), then the old
/// values are written as schema 9 wrote a change: into its columns, with an event
/// holding what was and what is; last the schema is taken back to 9 (the columns
/// schema 10 adds are dropped).
fn schema_9(rows: &[(Option<&str>, Option<&str>, Option<i64>)]) -> (Db, Vec<String>) {
    let db = Db::standard();
    // A year and more apart, so none is a third request in twelve months (the prompt
    // is a column schema 9 did not have).
    let refs: Vec<String> = (0..rows.len() as i64).map(|i| db.receive(LA, AREA, "paper", 10 + 400 * i)).collect();
    let conn = raw(&db.path);
    for (r, (art9, power, dsa)) in refs.iter().zip(rows) {
        conn.execute(
            "UPDATE requests SET art6 = '6_1_e', art9 = ?2, statutory_power = ?3, dsa_exists = ?4,
                form_returned_on = ?5, version = version + 1 WHERE reference = ?1",
            rusqlite::params![r, art9, power, dsa, today()],
        )
        .unwrap();
        // Logged as that version logged a change: what was and what is.
        let before = json!({"request": {
            "basis": {"art6": null, "art9": null, "power": null},
            "details": {"dsa_exists": null},
            "form_returned_on": null
        }});
        let after = json!({"request": {
            "basis": {"art6": "6_1_e", "art9": art9, "power": power},
            "details": {"dsa_exists": dsa.map(|d| d != 0)},
            "form_returned_on": today()
        }});
        caseshare::store::events::append(&conn, chrono::Utc::now(), "tester", "scope", Some(r), &before, &after)
            .unwrap();
    }
    drop(conn);
    // The columns of the migrations after it first: the copy goes back to before all.
    for (table, column) in
        LATER_COLUMNS.iter().chain(caseshare::store::schema::V14_COLUMNS).chain(caseshare::store::schema::V16_COLUMNS)
    {
        behind_the_back(&db.path, &format!("ALTER TABLE {table} DROP COLUMN {column}"));
    }
    for (table, column, _) in caseshare::store::schema::V10_COLUMNS.iter().rev() {
        behind_the_back(&db.path, &format!("ALTER TABLE {table} DROP COLUMN {column}"));
    }
    behind_the_back(&db.path, "PRAGMA user_version = 9");
    (db, refs)
}

#[test]
fn old_codes_are_recoded_with_an_upgrade_event_each_and_verify_passes() {
    let rows = [
        (Some("safeguarding"), Some("ca1989_s47"), Some(1)),
        (Some("statutory"), Some("ca2004_s11"), Some(0)),
        (Some("social_care"), Some("ca1989_s17"), None),
        (Some("legal_claims"), Some("other"), None),
        (Some("none"), Some("ca2004_s10"), None),
        (Some("para18"), Some("s999"), None),
    ];
    let (db, refs) = schema_9(&rows);
    let versions: Vec<i64> = {
        let conn = raw(&db.path);
        refs.iter()
            .map(|r| conn.query_row("SELECT version FROM requests WHERE reference = ?1", [r], |x| x.get(0)).unwrap())
            .collect()
    };
    // The first command upgrades the database.
    db.ok(&["request", "list"]);
    let conn = raw(&db.path);
    assert_eq!(
        conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)).unwrap(),
        caseshare::store::schema::LATEST
    );
    let basis = |r: &str| db.show(r)["request"]["request"]["basis"].clone();
    let agreement = |r: &str| db.show(r)["request"]["request"]["details"]["agreement"].clone();

    let a = basis(&refs[0]);
    assert_eq!(
        (a["art9"].clone(), a["sch1"].clone(), a["power"].clone()),
        (json!("9_2_g"), json!("p2_18"), json!("ca1989_s47"))
    );
    assert_eq!(a["consent_not_obtained"], Value::Null, "why consent was not obtained is never guessed");
    assert_eq!(a["review"], "Sch.1 para 18 needs the reason consent was not obtained");
    assert_eq!(agreement(&refs[0]), "yes");

    let b = basis(&refs[1]);
    assert_eq!(
        (b["art9"].clone(), b["sch1"].clone(), b["power"].clone()),
        (json!("9_2_g"), json!("p2_6"), Value::Null)
    );
    assert!(
        b["review"]
            .as_str()
            .unwrap()
            .contains("'Children Act 2004 s.11 (safeguarding duty)', which is not a sharing power"),
        "{b}"
    );
    assert_eq!(agreement(&refs[1]), "no");

    let c = basis(&refs[2]);
    assert_eq!(
        (c["art9"].clone(), c["sch1"].clone(), c["review"].clone()),
        (json!("9_2_h"), json!("p1_2"), Value::Null)
    );
    assert_eq!(agreement(&refs[2]), Value::Null);

    let d = basis(&refs[3]);
    assert_eq!(
        (d["art9"].clone(), d["sch1"].clone(), d["power"].clone()),
        (json!("9_2_f"), Value::Null, json!("other"))
    );
    assert_eq!(d["review"], "the power is 'other': name the enactment");

    let e = basis(&refs[4]);
    assert_eq!(
        (e["art9"].clone(), e["power"].clone(), e["review"].clone()),
        (json!("none"), json!("ca2004_s10"), Value::Null)
    );

    let f = basis(&refs[5]);
    assert_eq!((f["art9"].clone(), f["power"].clone()), (Value::Null, Value::Null));
    assert_eq!(
        f["review"],
        "unrecognised stored value 'para18' for the Art. 9 condition; unrecognised stored value 's999' for the statutory power"
    );

    // One upgrade event per request re-coded (not the one already as the model has it),
    // with what was and what is; each version one up.
    for (i, r) in refs.iter().enumerate() {
        let events: Vec<(String, String, String)> = conn
            .prepare(
                "SELECT e.login, p.before, p.after FROM events e JOIN event_payloads p ON p.event_id = e.id
                 WHERE e.reference = ?1 AND e.op = 'upgrade'",
            )
            .unwrap()
            .query_map([r], |x| Ok((x.get(0)?, x.get(1)?, x.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let version: i64 =
            conn.query_row("SELECT version FROM requests WHERE reference = ?1", [r], |x| x.get(0)).unwrap();
        if i == 4 {
            assert!(events.is_empty(), "nothing to re-code, no event");
            assert_eq!(version, versions[i]);
            continue;
        }
        assert_eq!(events.len(), 1, "{r}");
        let (login, before, after) = &events[0];
        assert_eq!(login, "caseshare-upgrade");
        assert_eq!(version, versions[i] + 1, "{r}");
        if i == 0 {
            let before: Value = serde_json::from_str(before).unwrap();
            let after: Value = serde_json::from_str(after).unwrap();
            assert_eq!(before["request"]["basis"]["art9"], "safeguarding");
            assert_eq!(after["request"]["basis"]["art9"], "9_2_g");
            assert_eq!(after["request"]["basis"]["sch1"], "p2_18");
            assert_eq!(after["request"]["details"]["agreement"], "yes");
        }
    }
    let show = db.ok(&["request", "show", &refs[0]]);
    assert!(
        show.contains("Basis review  needs review: Sch.1 para 18 needs the reason consent was not obtained"),
        "{show}"
    );
    // The log with its upgrade events replays to the tables.
    db.verified();

    // A record left for review is completed with `caseshare basis`, which clears it.
    let mut complete = vec!["basis", refs[0].as_str()];
    complete.extend(BASIS);
    db.ok(&complete);
    let a = basis(&refs[0]);
    assert_eq!((a["consent_not_obtained"].clone(), a["review"].clone()), (json!("would_prejudice"), Value::Null));
    db.verified();
}

/// Columns the migrations after the basis's add.
const LATER_COLUMNS: &[(&str, &str)] = &[
    ("items", "added_on"),
    ("requests", "files_secured_at"),
    ("bank_holidays", "removed"),
    ("viewings", "viewer_org_id"),
    ("viewings", "supervision_confirmed_by"),
    ("viewings", "lcc_devices_only"),
    ("viewings", "downloads"),
];
