//! The rules of steps 5 to 12 refused through the CLI: minimum necessary, third-party
//! consent, supervision, double booking, unfit rooms, incidents, the case note and
//! closed requests. Each refusal exits 1 with one line naming the rule, and writes nothing.

mod common;

use common::*;

/// `viewing REF` 20 days ago, 10:00-11:30, with `extra` options.
fn viewing<'a>(r: &'a str, day: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec![
        "viewing",
        r,
        "--date",
        day,
        "--start",
        "10:00",
        "--end",
        "11:30",
        "--viewers",
        "Rita Madeup",
        "--method",
        "in_person_paper",
    ];
    v.extend_from_slice(extra);
    // Supervised throughout unless the test says otherwise (there is no default).
    if !extra.contains(&"--not-supervised") {
        v.extend_from_slice(&["--supervised", "yes"]);
    }
    v
}

#[test]
fn only_approved_items_are_shown() {
    let db = Db::standard();
    let r = db.scheduled("paper", "Room A", 20);
    let day = ago(20);
    let before = db.events();
    let e = db.refused(&viewing(&r, &day, &["--supervisor", SUPERVISOR, "--items", "1,2"]), "minimum necessary");
    assert_eq!(
        e,
        "caseshare: refused (minimum necessary): item 2 (Chronology) was not approved for sharing; show only approved items; widening the scope needs a fresh approval"
    );
    let e = db.refused(&viewing(&r, &day, &["--supervisor", SUPERVISOR, "--items", "7"]), "unknown record");
    assert!(e.contains(&format!("{r} has no item 7")), "{e}");
    let e = db.refused(
        &viewing(&r, &day, &["--supervisor", SUPERVISOR, "--items", "1", "--copy", "3|for the file"]),
        "minimum necessary",
    );
    assert!(e.contains("a copy of item 3 was given but the item is not among those shown"), "{e}");
    let e = db
        .refused(&viewing(&r, &day, &["--supervisor", SUPERVISOR, "--items", "1", "--copy", "1"]), "minimum necessary");
    assert!(e.contains("no reason for the copy of item 1"), "{e}");
    assert_eq!(db.events(), before);
    assert_eq!(db.status(&r), "scheduled");

    // Widening the scope needs a fresh approval before the new item can be shown.
    db.ok(&["add-item", &r, "Health visitor records"]);
    assert_ne!(db.step_state(&r, 4), "done", "the added item waits for a fresh approval");
    assert_eq!(db.show(&r)["checklist"][3]["label"], "Approval (fresh approval for added items)");
    let e = db.refused(&viewing(&r, &day, &["--supervisor", SUPERVISOR, "--items", "4"]), "minimum necessary");
    assert!(e.contains("item 4 (Health visitor records) has not been approved yet"), "{e}");
    db.approve(&r, "4", 25);
    db.ok(&viewing(&r, &day, &["--supervisor", SUPERVISOR, "--items", "1,4"]));
    assert_eq!(db.status(&r), "viewed");
}

#[test]
fn another_agencys_material_needs_its_consent_first() {
    let db = Db::standard();
    let r = db.scheduled("paper", "Room A", 20);
    let day = ago(20);
    let e = db.refused(&viewing(&r, &day, &["--supervisor", SUPERVISOR, "--items", "1,3"]), "third-party consent");
    assert!(e.contains("item 3 is Demo Constabulary's material and their consent is not recorded"), "{e}");
    assert!(e.contains(&format!("caseshare item-consent {r} 3")), "the fix is the command: {e}");
    assert_eq!(db.status(&r), "scheduled");

    let e = db.refused(&["item-consent", &r, "1", "--ref", "X", "--date", &ago(25)], "third-party consent");
    assert!(e.contains("item 1 is not marked as another agency's material"), "{e}");
    db.ok(&["item-consent", &r, "3", "--ref", "DC-CONSENT-12", "--date", &ago(25)]);
    let show = db.ok(&["request", "show", &r]);
    assert!(show.contains(&format!("[Demo Constabulary's material; consent {}]", uk_ago(25))), "{show}");
    db.ok(&viewing(&r, &day, &["--supervisor", SUPERVISOR, "--items", "1,3"]));
    assert_eq!(db.status(&r), "viewed");
}

#[test]
fn every_viewing_names_an_active_lcc_supervisor() {
    let db = Db::standard();
    let r = db.scheduled("paper", "Room A", 20);
    let day = ago(20);
    let e = db.refused(&viewing(&r, &day, &["--items", "1"]), "supervision");
    assert_eq!(
        e,
        "caseshare: refused (supervision): no LCC staff member is named as supervisor; name the staff member present throughout (--supervisor LOGIN)"
    );
    let e = db.refused(&viewing(&r, &day, &["--supervisor", "nobody", "--items", "1"]), "unknown record");
    assert!(e.contains("no staff member with login 'nobody'"), "{e}");
    db.ok(&["staff", "deactivate", SUPERVISOR]);
    let e = db.refused(&viewing(&r, &day, &["--supervisor", SUPERVISOR, "--items", "1"]), "supervision");
    assert!(e.contains("sup is not an active staff member"), "{e}");
    assert_eq!(db.status(&r), "scheduled");
}

#[test]
fn a_room_is_never_booked_twice_at_once() {
    let db = Db::standard();
    let first = db.scheduled("paper", "Room A", 5);
    let second = db.preparing("paper");
    let book = |room: &str, start: &str, end: &str| -> Vec<String> {
        ["book", &second, "--venue", "room", "--room", room, "--day", &ago(5), "--start", start, "--end", end]
            .iter()
            .map(|s| s.to_string())
            .collect()
    };
    let e = db.refused(&strs(&book("Room A", "11:00", "12:00")), "double booking");
    assert_eq!(
        e,
        format!(
            "caseshare: refused (double booking): room Room A is already booked then ({first} 10:00-11:30); choose another time or room"
        )
    );
    db.refused(&strs(&book("room a", "09:00", "10:30")), "double booking");
    db.refused(&strs(&book("Room A", "10:15", "11:00")), "double booking");
    assert_eq!(db.step_state(&second, 7), "pending");

    // Another room, or the same room once the first booking is over, is fine.
    db.ok(&strs(&book("Room A", "11:30", "12:30")));
    db.ok(&strs(&book("Room B", "10:00", "11:30")));
    assert_eq!(db.show(&second)["request"]["bookings"].as_array().unwrap().len(), 2);

    // A withdrawn request frees its room.
    db.ok(&["withdraw", &first, "--reason", "Cancelled by the requester", "--date", &ago(1)]);
    db.ok(&strs(&book("Room A", "10:00", "11:00")));
}

#[test]
fn a_room_without_space_for_the_observer_or_secure_storage_is_refused() {
    let db = Db::standard();
    db.ok(&["room", "add", "Broom Cupboard", "--secure-storage"]);
    let r = db.preparing("paper");
    let e = db.refused(
        &[
            "book",
            &r,
            "--venue",
            "room",
            "--room",
            "Broom Cupboard",
            "--day",
            &ago(5),
            "--start",
            "10:00",
            "--end",
            "11:00",
        ],
        "venue",
    );
    assert!(e.contains("room Broom Cupboard lacks space for the LCC observer or secure storage"), "{e}");
    let e = db.refused(
        &["book", &r, "--venue", "room", "--room", "Nowhere", "--day", &ago(5), "--start", "10:00", "--end", "11:00"],
        "unknown record",
    );
    assert!(e.contains("unknown room 'Nowhere'"), "{e}");
}

#[test]
fn an_unsupervised_viewing_opens_an_incident_that_blocks_completion_until_referred() {
    let db = Db::standard();
    let r = db.scheduled("paper", "Room A", 20);
    let day = ago(20);
    let e = db
        .refused(&viewing(&r, &day, &["--supervisor", SUPERVISOR, "--items", "1", "--not-supervised"]), "supervision");
    assert!(e.contains("not supervised throughout but what happened is not described"), "{e}");

    let out = db.ok(&viewing(
        &r,
        &day,
        &[
            "--supervisor",
            SUPERVISOR,
            "--items",
            "1",
            "--not-supervised",
            "--what-happened",
            "Observer called away for ten minutes",
        ],
    ));
    let show = db.show(&r);
    let incident = show["request"]["incidents"][0]["id"].as_i64().expect("an incident was opened");
    assert!(
        out.contains(&format!(
            "Incident {incident} opened: refer it to information governance (caseshare incident-referred {r} {incident} --ig-ref REF) before the request can complete."
        )),
        "{out}"
    );
    let text = db.ok(&["request", "show", &r]);
    assert!(text.contains("NOT supervised throughout"), "{text}");
    assert!(
        text.contains("Viewing not supervised throughout: Observer called away for ten minutes: NOT referred"),
        "{text}"
    );
    let tracker = db.ok(&["who-viewed", "--viewer", "Rita"]);
    assert!(tracker.contains("Sue Supervisor (NOT throughout)"), "{tracker}");

    db.ok(&["case-note-recorded", &r, "--mosaic-ref", "CN-1", "--date", &ago(19)]);
    db.ok(&["files-returned", &r, "--date", &ago(19), "--secured-at", "Records room cabinet"]);
    let e = db.refused(&["complete", &r, "--date", &ago(18)], "incident");
    assert!(e.contains(&format!(
        "incident {incident} (viewing not supervised throughout) is not referred to information governance"
    )));
    assert!(e.contains(&format!("caseshare incident-referred {r} {incident} --ig-ref REF")), "{e}");
    assert_eq!(db.status(&r), "viewed");

    let e = db.refused(&["incident-referred", &r, "999", "--ig-ref", "IG-1", "--date", &ago(18)], "unknown record");
    assert!(e.contains(&format!("{r} has no incident 999")), "{e}");
    db.refused(&["incident-referred", &r, &incident.to_string(), "--ig-ref", "IG-1", "--date", &ago(21)], "date order");
    db.ok(&["incident-referred", &r, &incident.to_string(), "--ig-ref", "IG-2026-17", "--date", &ago(18)]);
    let e = db.refused(
        &["incident-referred", &r, &incident.to_string(), "--ig-ref", "IG-1", "--date", &ago(18)],
        "already recorded",
    );
    assert!(e.contains("already referred"), "{e}");
    db.ok(&["complete", &r, "--date", &ago(18)]);
    assert_eq!(db.status(&r), "complete");
    assert!(db.ok(&["request", "show", &r]).contains(&format!("referred {} (IG-2026-17)", uk_ago(18))));
    db.verified();
}

#[test]
fn a_request_that_shared_anything_needs_its_case_note_before_completion() {
    let db = Db::standard();
    let r = db.scheduled("paper", "Room A", 20);
    db.view(&r, "in_person_paper");
    db.ok(&["files-returned", &r, "--date", &ago(19), "--secured-at", "Records room cabinet"]);
    let e = db.refused(&["complete", &r, "--date", &ago(18)], "case note");
    assert_eq!(
        e,
        format!(
            "caseshare: refused (case note): information was shared but no Mosaic case note is recorded; record the case note (caseshare case-note {r} shows the text)"
        )
    );
    let e = db.refused(&["case-note-recorded", &r, "--mosaic-ref", "CN-1", "--date", &ago(21)], "date order");
    assert!(e.contains("is before the last sharing"), "{e}");
    db.ok(&["case-note-recorded", &r, "--mosaic-ref", "CN-1", "--date", &ago(19)]);
    let e = db.refused(&["complete", &r, "--date", &ago(20)], "date order");
    assert!(e.contains("is before the last recorded step"), "{e}");
    db.ok(&["complete", &r, "--date", &ago(18)]);
}

#[test]
fn a_complete_request_takes_no_more_steps() {
    let db = Db::standard();
    let r = db.scheduled("paper", "Room A", 20);
    db.view(&r, "in_person_paper");
    db.ok(&["case-note-recorded", &r, "--mosaic-ref", "CN-1", "--date", &ago(19)]);
    db.ok(&["files-returned", &r, "--date", &ago(19), "--secured-at", "Records room cabinet"]);
    db.ok(&["complete", &r, "--date", &ago(18)]);
    let before = db.events();
    let e = db.refused(&viewing(&r, &ago(17), &["--supervisor", SUPERVISOR, "--items", "1"]), "request closed");
    assert_eq!(
        e,
        format!("caseshare: refused (request closed): {r} is complete; start a new request if more is needed")
    );
    db.refused(&["add-item", &r, "More"], "request closed");
    db.refused(&["item-consent", &r, "3", "--ref", "X", "--date", &ago(17)], "request closed");
    db.refused(&["withdraw", &r, "--reason", "x", "--date", &ago(17)], "request closed");
    db.refused(&["complete", &r, "--date", &ago(17)], "request closed");
    assert_eq!(db.events(), before);
}

/// A viewing 20 days ago not supervised throughout; returns the incident's id.
fn unsupervised_viewing(db: &Db, r: &str) -> i64 {
    let day = ago(20);
    db.ok(&viewing(
        r,
        &day,
        &["--supervisor", SUPERVISOR, "--items", "1", "--not-supervised", "--what-happened", "Observer called away"],
    ));
    db.show(r)["request"]["incidents"][0]["id"].as_i64().expect("an incident was opened")
}

#[test]
fn a_request_with_an_unreferred_incident_cannot_be_withdrawn_until_it_is_referred() {
    let db = Db::standard();
    let r = db.scheduled("paper", "Room A", 20);
    let incident = unsupervised_viewing(&db, &r);
    db.ok(&["case-note-recorded", &r, "--mosaic-ref", "CN-1", "--date", &ago(19)]);
    let before = db.events();
    let e = db.refused(&["withdraw", &r, "--reason", "No longer needed (fictional)", "--date", &ago(18)], "incident");
    assert_eq!(
        e,
        format!(
            "caseshare: refused (incident): incident {incident} (viewing not supervised throughout) is not referred to information governance, so {r} cannot be withdrawn; refer it to information governance first (caseshare incident-referred {r} {incident} --ig-ref REF)"
        )
    );
    assert_eq!(db.events(), before, "a refusal writes nothing");
    assert_eq!(db.status(&r), "viewed");

    db.ok(&["incident-referred", &r, &incident.to_string(), "--ig-ref", "IG-2026-31", "--date", &ago(18)]);
    db.ok(&["withdraw", &r, "--reason", "No longer needed (fictional)", "--date", &ago(18)]);
    assert_eq!(db.status(&r), "withdrawn");
    db.verified();
}

#[test]
fn completing_names_the_request_it_cannot_complete_while_an_incident_is_unreferred() {
    let db = Db::standard();
    let r = db.scheduled("paper", "Room A", 20);
    let incident = unsupervised_viewing(&db, &r);
    db.ok(&["case-note-recorded", &r, "--mosaic-ref", "CN-1", "--date", &ago(19)]);
    db.ok(&["files-returned", &r, "--date", &ago(19), "--secured-at", "Records room cabinet"]);
    let e = db.refused(&["complete", &r, "--date", &ago(18)], "incident");
    assert!(
        e.ends_with(&format!(
            "so {r} cannot be completed; refer it to information governance first (caseshare incident-referred {r} {incident} --ig-ref REF)"
        )),
        "{e}"
    );
}

#[test]
fn an_incident_left_unreferred_on_a_request_closed_before_the_rule_can_still_be_referred() {
    let db = Db::standard();
    let r = db.scheduled("paper", "Room A", 20);
    let incident = unsupervised_viewing(&db, &r);
    // Closed behind the tool's back, as a request withdrawn before the rule was.
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    conn.execute(
        "UPDATE requests SET withdrawn_on = ?1, withdraw_reason = 'Withdrawn before the rule (fictional)', status = 'withdrawn' WHERE reference = ?2",
        rusqlite::params![ago(18), r],
    )
    .unwrap();
    drop(conn);
    assert_eq!(db.status(&r), "withdrawn");
    db.refused(&["withdraw", &r, "--reason", "Again", "--date", &ago(18)], "request closed");
    db.ok(&["incident-referred", &r, &incident.to_string(), "--ig-ref", "IG-2026-32", "--date", &ago(17)]);
    let shown = db.show(&r);
    assert_eq!(shown["request"]["incidents"][0]["ig_ref"], "IG-2026-32");
    assert_eq!(db.status(&r), "withdrawn", "referring does not reopen it");
}
