//! A digital-only request through the CLI: it skips the restore steps (5, the
//! restore half of 6, and 11) but keeps the Mosaic checks, and is viewed by
//! screen share in a Teams room.

mod common;

use common::*;

#[test]
fn a_digital_request_skips_the_restore_steps_but_keeps_the_mosaic_checks() {
    let db = Db::standard();
    let r = db.receive(LA, AREA, "digital", 40);
    assert_eq!(db.status(&r), "new");
    for n in [5, 11] {
        assert_eq!(db.step_state(&r, n), "not_required", "step {n} of a digital request");
    }
    let show = db.show(&r);
    assert_eq!(show["checklist"][5]["label"], "Mosaic checks (location, not locked)");

    db.form_and_scope(&r, 40);
    assert_eq!(db.status(&r), "awaiting_approval");
    let out = db.approve(&r, "all", 34);
    assert!(out.contains("decision recorded (Approved). Status: Preparing; next: step 6 Mosaic checks"), "{out}");

    // No physical files: the restore steps are refused as not applicable.
    let e = db.refused(&["restore-requested", &r, "--restore-ref", "RST-1", "--date", &ago(33)], "not applicable");
    assert!(e.contains("'Files restore requested' does not apply to a digital request"), "{e}");
    let e = db.refused(&["restored", &r, "--date", &ago(33)], "not applicable");
    assert!(e.contains("no physical files to restore"), "{e}");

    // The Mosaic checks are still required, both of them.
    let e = db.refused(&["mosaic-checks", &r, "--location-updated", "--date", &ago(32)], "step order");
    assert!(e.contains("not confirmed: the file is not locked in Mosaic"), "{e}");
    let out = db.ok(&["mosaic-checks", &r, "--location-updated", "--not-locked", "--date", &ago(32)]);
    assert!(out.contains("Mosaic checks recorded. Status: Preparing; next: step 7 Venue booked"), "{out}");
    assert_eq!(db.step_state(&r, 6), "done");

    // A digital request is viewed by screen share: a private paper room will not do.
    let e = db.refused(
        &["book", &r, "--venue", "room", "--room", "Room A", "--day", &ago(20), "--start", "10:00", "--end", "11:00"],
        "venue",
    );
    assert!(e.contains("a digital request is viewed by screen share"), "{e}");
    let e = db.refused(
        &[
            "book",
            &r,
            "--venue",
            "teams_room",
            "--room",
            "Room A",
            "--day",
            &ago(20),
            "--start",
            "10:00",
            "--end",
            "11:00",
        ],
        "venue",
    );
    assert!(e.contains("room Room A has no Teams equipment"), "{e}");
    let out = db.ok(&[
        "book",
        &r,
        "--venue",
        "teams_room",
        "--room",
        "Teams Room",
        "--day",
        &ago(20),
        "--start",
        "14:00",
        "--end",
        "15:00",
    ]);
    assert!(out.contains("venue booked. Status: Preparing; next: step 8"), "{out}");
    db.ok(&["confirm", &r, "--date", &ago(30)]);
    assert_eq!(db.status(&r), "scheduled");

    // Paper viewing does not fit; Teams screen share does.
    let e = db.refused(
        &[
            "viewing",
            "--supervised",
            "yes",
            &r,
            "--date",
            &ago(20),
            "--start",
            "14:00",
            "--end",
            "15:00",
            "--viewers",
            "Rita Madeup",
            "--supervisor",
            SUPERVISOR,
            "--method",
            "in_person_paper",
            "--items",
            "1",
        ],
        "not applicable",
    );
    assert!(e.contains("'In person, paper' does not fit a digital request"), "{e}");
    db.ok(&["item-consent", &r, "3", "--ref", "POL-1", "--date", &ago(30)]);
    let out = db.ok(&[
        "viewing",
        "--supervised",
        "yes",
        "--lcc-devices",
        "yes",
        "--no-downloads",
        &r,
        "--date",
        &ago(20),
        "--start",
        "14:00",
        "--end",
        "15:00",
        "--viewers",
        "Rita Madeup, Tom Colleague",
        "--supervisor",
        SUPERVISOR,
        "--method",
        "teams_screen_share",
        "--items",
        "1,2,3",
    ]);
    assert!(out.contains("viewing logged. Status: Viewed; next: step 10 Case note recorded in Mosaic"), "{out}");

    // Case note, then straight to complete: no files to return.
    db.ok(&["case-note-recorded", &r, "--mosaic-ref", "CN-9", "--date", &ago(19)]);
    let e = db.refused(&["files-returned", &r, "--date", &ago(19)], "not applicable");
    assert!(e.contains("'Files returned / secured' does not apply to a digital request"), "{e}");
    let out = db.ok(&["complete", &r, "--date", &ago(19)]);
    assert_eq!(out, format!("{r}: request complete. Status: Complete\n"));
    assert_eq!(db.status(&r), "complete");

    let show = db.show(&r);
    let states: Vec<&str> =
        show["checklist"].as_array().unwrap().iter().map(|l| l["state"].as_str().unwrap()).collect();
    assert_eq!(
        states,
        [
            "done",
            "done",
            "done",
            "done",
            "not_required",
            "done",
            "done",
            "done",
            "done",
            "done",
            "not_required",
            "done"
        ]
    );
    let text = db.ok(&["request", "show", &r]);
    assert!(text.contains("Viewing   ") && text.contains("Teams screen share, supervised by Sue Supervisor"), "{text}");
    db.verified();
}

#[test]
fn a_teams_meeting_is_the_last_resort_and_needs_a_reason() {
    let db = Db::standard();
    let r = db.preparing("digital");
    db.ok(&["mosaic-checks", &r, "--location-updated", "--not-locked", "--date", &ago(33)]);
    let before = db.events();
    let e = db.refused(
        &["book", &r, "--venue", "teams_meeting", "--day", &ago(20), "--start", "10:00", "--end", "11:00"],
        "venue",
    );
    assert!(e.contains("a Teams meeting is the last resort and needs a reason"), "{e}");
    assert!(e.contains("--reason"), "the fix names the option: {e}");
    assert_eq!(db.events(), before, "a refused booking writes nothing");
    assert_eq!(db.step_state(&r, 7), "pending");

    db.ok(&[
        "book",
        &r,
        "--venue",
        "teams_meeting",
        "--day",
        &ago(20),
        "--start",
        "10:00",
        "--end",
        "11:00",
        "--reason",
        "Requester is 300 miles away and cannot travel this month",
    ]);
    assert_eq!(db.step_state(&r, 7), "done");
    let show = db.show(&r);
    assert_eq!(
        show["request"]["bookings"][0]["teams_reason"],
        "Requester is 300 miles away and cannot travel this month"
    );
}

#[test]
fn a_paper_request_cannot_be_viewed_in_a_teams_meeting() {
    let db = Db::standard();
    let r = db.preparing("paper");
    let e = db.refused(
        &[
            "book",
            &r,
            "--venue",
            "teams_meeting",
            "--day",
            &ago(20),
            "--start",
            "10:00",
            "--end",
            "11:00",
            "--reason",
            "far away",
        ],
        "venue",
    );
    assert!(e.contains("paper files are viewed in a private room"), "{e}");
}
