//! Administration through the command line: staff, service areas, organisations and
//! rooms renamed, retired and reinstated, never deleted. A rename shows wherever the
//! row is shown, a retired row is refused for new use with the command that puts it
//! back, its requests keep it, and `verify` rebuilds every change from the log.

mod common;

use caseshare::service::{Clock, Service};
use caseshare::store::{OpenMode, Store};
use common::*;

/// The standard database with `me` made a BSA only, by a second administrator.
fn me_not_admin(db: &Db) {
    db.ok(&["staff", "add", "boss", "--name", "Bo Boss", "--roles", "admin"]);
    let store = Store::open(&db.path, OpenMode::Existing).unwrap();
    let mut svc = Service::open(store, "boss", Clock::System).unwrap();
    svc.staff_update(&me(), Some("bsa"), None).unwrap();
}

#[test]
fn a_renamed_organisation_shows_on_its_requests_lists_and_search_and_verify_passes() {
    let db = Db::standard();
    let r = db.receive(LA, AREA, "paper", 3);
    let out = db.ok(&["org", "rename", LA, "Exampleshire Council", "--kind", "local_authority"]);
    assert_eq!(out, "Organisation Exampleshire County Council is now Exampleshire Council, kind Local authority.\n");
    assert_eq!(db.show(&r)["request"]["request"]["organisation"]["name"], "Exampleshire Council");
    let list = db.json(&["request", "list", "--text", "Exampleshire Council"]);
    assert_eq!(list.as_array().unwrap().len(), 1, "searched for under its new name: {list}");
    let old = db.json(&["request", "list", "--text", "Exampleshire County"]);
    assert!(old.as_array().unwrap().is_empty(), "the old name no longer finds it: {old}");
    assert!(db.ok(&["org", "list"]).contains("Exampleshire Council"));
    // The event keeps the old name.
    let before: String = raw(&db.path)
        .query_row(
            "SELECT p.before FROM events e JOIN event_payloads p ON p.event_id = e.id WHERE e.op = 'org.rename'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert!(before.contains("Exampleshire County Council"), "{before}");
    db.verified();
    // New requests use the new name; the old one is unknown.
    db.receive("Exampleshire Council", AREA, "paper", 1);
    db.refused(
        &["request", "new", "--org", LA, "--requester", "R", "--subject", "A|M9", "--purpose", "p", "--area", AREA],
        "unknown record",
    );
}

#[test]
fn an_organisations_kind_changes_and_a_name_in_use_or_unchanged_is_refused() {
    let db = Db::standard();
    assert_eq!(
        db.ok(&["org", "set-kind", "Demo Constabulary", "other"]),
        "Organisation Demo Constabulary is now Other body.\n"
    );
    let orgs = db.json(&["org", "list"]);
    let police = orgs.as_array().unwrap().iter().find(|o| o["name"] == "Demo Constabulary").unwrap();
    assert_eq!(police["kind"], "other");
    let e = db.refused(&["org", "rename", LA, LA2], "already recorded");
    assert!(e.contains(&format!("organisation '{LA2}' already exists")), "{e}");
    db.refused(&["org", "set-kind", "Demo Constabulary", "other"], "already recorded");
    db.refused(&["org", "rename", "Nowhere Council", "X"], "unknown record");
    // A change of capitals alone is a rename.
    db.ok(&["org", "rename", "CAFCASS", "Cafcass"]);
    db.verified();
}

#[test]
fn a_retired_organisation_is_refused_for_new_requests_kept_on_old_ones_and_reinstated() {
    let db = Db::standard();
    let r = db.receive(LA2, AREA, "paper", 3);
    assert_eq!(
        db.ok(&["org", "retire", LA2]),
        format!("Organisation {LA2} retired: offered for no new request; its requests keep it.\n")
    );
    let args = [
        "request",
        "new",
        "--org",
        LA2,
        "--requester",
        "Rita",
        "--subject",
        "Alfie Testcase|M2002",
        "--purpose",
        "p",
        "--area",
        AREA,
        "--format",
        "paper",
    ];
    let e = db.refused(&args, "retired");
    assert_eq!(
        e,
        format!(
            "caseshare: refused (retired): organisation '{LA2}' is retired; choose another, or an administrator reinstates it (caseshare org reinstate \"{LA2}\")"
        )
    );
    assert_eq!(db.references().len(), 1, "nothing half-written");
    // Its request keeps it and carries on.
    assert_eq!(db.show(&r)["request"]["request"]["organisation"]["name"], LA2);
    db.ok(&["form-sent", &r]);
    assert!(db.ok(&["org", "list"]).contains(&format!("retired {}", uk_ago(0))));
    db.refused(&["org", "retire", LA2], "already recorded");
    db.verified();
    assert_eq!(db.ok(&["org", "reinstate", LA2]), format!("Organisation {LA2} is in use again.\n"));
    db.ok(&args);
    db.refused(&["org", "reinstate", LA2], "already recorded");
    db.verified();
}

#[test]
fn a_service_area_is_renamed_retired_and_reinstated_and_keeps_its_asset_owner() {
    let db = Db::standard();
    let r = db.receive(LA, AREA2, "paper", 10);
    assert_eq!(
        db.ok(&["area", "rename", AREA2, "Looked After Children"]),
        format!("Service area {AREA2} is now Looked After Children.\n")
    );
    assert_eq!(db.show(&r)["request"]["request"]["service_area"]["name"], "Looked After Children");
    db.refused(&["area", "rename", AREA, "looked after children"], "already recorded");
    db.ok(&["area", "set-owner", "Looked After Children", OWNER]);
    db.verified();
    db.ok(&["area", "retire", "Looked After Children"]);
    let list = db.ok(&["area", "list"]);
    assert!(list.contains("Mona Manager (mgr)") && list.contains("retired"), "{list}");
    let e = db.refused(
        &[
            "request",
            "new",
            "--org",
            LA,
            "--requester",
            "R",
            "--subject",
            "A|M9",
            "--purpose",
            "p",
            "--area",
            "Looked After Children",
            "--format",
            "paper",
        ],
        "retired",
    );
    assert!(e.contains("service area 'Looked After Children' is retired"), "{e}");
    assert!(e.contains("(caseshare area reinstate \"Looked After Children\")"), "{e}");
    // The asset owner of a retired area still decides its requests.
    db.form_and_scope(&r, 10);
    db.verified();
    db.ok(&["area", "reinstate", "Looked After Children"]);
    db.receive(LA, "Looked After Children", "paper", 1);
    db.verified();
}

#[test]
fn a_retired_room_is_refused_for_a_booking_and_a_renamed_one_shows_on_its_bookings() {
    let db = Db::standard();
    let booked = db.scheduled("paper", "Room A", 30);
    assert_eq!(db.ok(&["room", "rename", "Room A", "Garden Room"]), "Room Room A is now Garden Room.\n");
    assert_eq!(db.show(&booked)["request"]["bookings"][0]["room_name"], "Garden Room");
    db.ok(&["room", "retire", "Room B"]);
    assert!(db.ok(&["room", "list"]).contains("retired"));
    let r = db.preparing("paper");
    db.ok(&["restore-requested", &r, "--restore-ref", "RST-2", "--date", &ago(33)]);
    db.ok(&["restored", &r, "--date", &ago(31)]);
    db.ok(&["mosaic-checks", &r, "--location-updated", "--not-locked", "--date", &ago(31)]);
    let book = |room: &str| {
        vec![
            "book".to_string(),
            r.clone(),
            "--venue".into(),
            "room".into(),
            "--room".into(),
            room.into(),
            "--day".into(),
            ago(29),
            "--start".into(),
            "14:00".into(),
            "--end".into(),
            "15:00".into(),
        ]
    };
    let e = db.refused(&strs(&book("Room B")), "retired");
    assert_eq!(
        e,
        "caseshare: refused (retired): room 'Room B' is retired; choose another, or an administrator reinstates it (caseshare room reinstate \"Room B\")"
    );
    db.verified();
    db.ok(&["room", "reinstate", "Room B"]);
    db.ok(&strs(&book("Room B")));
    db.verified();
}

#[test]
fn a_staff_member_is_renamed_and_keeps_their_login_and_retire_is_deactivate() {
    let db = Db::standard();
    let r = db.receive(LA, AREA, "paper", 3);
    assert_eq!(db.ok(&["staff", "rename", OWNER, "Mona Newname"]), "mgr is now named Mona Newname.\n");
    let show = db.show(&r);
    assert_eq!(show["request"]["request"]["service_area"]["asset_owner"]["name"], "Mona Newname");
    assert!(db.ok(&["area", "list"]).contains("Mona Newname (mgr)"));
    db.refused(&["staff", "rename", OWNER, "Mona Newname"], "already recorded");
    db.refused(&["staff", "rename", "nobody", "X"], "unknown record");
    assert_eq!(db.ok(&["staff", "retire", SUPERVISOR]), "sup deactivated.\n");
    assert!(db.ok(&["staff", "list"]).contains("deactivated"));
    assert_eq!(db.ok(&["staff", "reinstate", SUPERVISOR]), "sup activated.\n");
    db.verified();
}

#[test]
fn only_an_administrator_renames_or_retires() {
    let db = Db::standard();
    me_not_admin(&db);
    for cmd in [
        vec!["org", "rename", LA, "X Council"],
        vec!["org", "retire", LA],
        vec!["org", "set-kind", LA, "other"],
        vec!["area", "rename", AREA, "X"],
        vec!["area", "retire", AREA],
        vec!["room", "rename", "Room A", "X"],
        vec!["room", "retire", "Room A"],
        vec!["staff", "rename", OWNER, "X"],
    ] {
        let e = db.refused(&cmd, "permission");
        assert!(e.contains("is not an administrator"), "{e}");
    }
    assert!(db.ok(&["org", "list"]).contains(LA));
    db.verified();
}

#[test]
fn a_blank_new_name_is_one_line_and_changes_nothing() {
    let db = Db::standard();
    let before = db.events();
    let e = db.error(&["org", "rename", LA, "  "]);
    assert!(e.contains("new name"), "{e}");
    db.error(&["room", "rename", "Room A", ""]);
    assert_eq!(db.events(), before);
}

#[test]
fn a_request_whose_organisation_is_retired_still_records_its_viewing() {
    let db = Db::standard();
    let r = db.scheduled("paper", "Room A", 25);
    db.ok(&["org", "retire", LA]);
    db.ok(&["room", "retire", "Room A"]);
    // Its own organisation (the default viewer's) and its booked room carry on.
    db.view(&r, "in_person_paper");
    assert_eq!(db.status(&r), "viewed");
    // Another retired organisation named as the viewer's is refused.
    db.ok(&["org", "retire", LA2]);
    let e = db.refused(
        &[
            "viewing",
            &r,
            "--date",
            &ago(19),
            "--start",
            "10:00",
            "--end",
            "11:00",
            "--viewers",
            "Rita Madeup",
            "--viewer-org",
            LA2,
            "--supervisor",
            SUPERVISOR,
            "--method",
            "in_person_paper",
            "--items",
            "1",
            "--supervised",
            "yes",
        ],
        "retired",
    );
    assert!(e.contains(&format!("organisation '{LA2}' is retired")), "{e}");
    db.verified();
}
