//! A physical (paper) request walked through the CLI from receipt to completion,
//! steps 1 to 12, checking what the user is told and the derived status after each.

mod common;

use common::*;

#[test]
fn a_paper_request_goes_from_receipt_to_complete() {
    let db = Db::standard();
    let me = me();

    // Step 1.
    let out = db.ok(&[
        "request",
        "new",
        "--received",
        &ago(40),
        "--org",
        LA,
        "--requester",
        "Rita Madeup",
        "--requester-role",
        "Social Worker",
        "--subject",
        "Alfie Testcase|M1001|01/05/2016",
        "--purpose",
        "Family moved into our area; assessing risk",
        "--area",
        AREA,
        "--format",
        "paper",
    ]);
    let r = out.split(':').next().unwrap().to_string();
    assert!(r.starts_with("REQ-") && r.len() == "REQ-2026-0001".len(), "{out}");
    assert!(out.contains("request recorded. Status: New; next: step 2 Request form sent"), "{out}");
    assert_eq!(db.status(&r), "new");
    let show = db.ok(&["request", "show", &r]);
    assert!(show.contains("Subject       Alfie Testcase  Mosaic M1001  born 01/05/2016"), "{show}");
    assert!(show.contains(&format!("Received      {} by email", uk_ago(40))), "{show}");
    assert!(show.contains("Format        Physical (paper)"), "{show}");

    // Step 2.
    let out = db.ok(&["form-sent", &r, "--date", &ago(39)]);
    assert_eq!(
        out,
        format!("{r}: request form sent. Status: Awaiting form; next: step 3 Form returned, scope captured\n")
    );
    assert_eq!(db.status(&r), "awaiting_form");

    // Step 3: three items, the third the police's material; lawful basis in full.
    db.scope(&r, 40);
    assert_eq!(db.status(&r), "awaiting_approval");
    let show = db.show(&r);
    assert_eq!(show["request"]["items"].as_array().unwrap().len(), 3);
    assert_eq!(show["request"]["items"][2]["third_party"], "Demo Constabulary");

    // Step 4: approved in part (item 2 declined), recorded on the asset owner's behalf.
    let out = db.approve(&r, "1,3", 34);
    assert!(out.contains("decision recorded (Approved in part). Status: Preparing; next: step 5"), "{out}");
    assert_eq!(db.status(&r), "preparing");
    let show = db.ok(&["request", "show", &r]);
    assert!(show.contains("1. Child and family assessment — approved"), "{show}");
    assert!(show.contains("2. Chronology — declined"), "{show}");
    assert!(
        show.contains("3. Strategy meeting minutes — approved [Demo Constabulary's material; consent NOT recorded]")
    );
    assert!(show.contains(&format!("by Mona Manager (Service Manager), recorded by {me}")), "{show}");
    assert!(show.contains(&format!("Evidence: Email from Mona Manager of {}", uk_ago(34))), "{show}");

    // Steps 5 and 6: restore requested, files restored, Mosaic checked.
    let out = db.ok(&["restore-requested", &r, "--restore-ref", "RST-77", "--date", &ago(33)]);
    assert!(out.contains("files restore requested. Status: Preparing; next: step 6"), "{out}");
    let out = db.ok(&["restored", &r, "--date", &ago(31)]);
    assert!(out.contains("files restored. Status: Preparing; next: step 6"), "{out}");
    assert_eq!(db.step_state(&r, 6), "pending", "restored but Mosaic not yet checked");
    let out = db.ok(&["mosaic-checks", &r, "--location-updated", "--not-locked", "--date", &ago(31)]);
    assert!(out.contains("Mosaic checks recorded. Status: Preparing; next: step 7 Venue booked"), "{out}");
    assert_eq!(db.step_state(&r, 6), "done");

    // Steps 7 and 8.
    let out = db.ok(&[
        "book",
        &r,
        "--venue",
        "room",
        "--room",
        "Room A",
        "--day",
        &ago(20),
        "--start",
        "10:00",
        "--end",
        "11:30",
    ]);
    assert!(out.contains("venue booked. Status: Preparing; next: step 8 Date and venue confirmed"), "{out}");
    let out = db.ok(&["confirm", &r, "--date", &ago(30)]);
    assert!(out.contains("date and venue confirmed. Status: Scheduled; next: step 9"), "{out}");
    assert_eq!(db.status(&r), "scheduled");

    // Step 9: consent for the police material, then a viewing with a copy handed over.
    db.ok(&["item-consent", &r, "3", "--ref", "POL-CONSENT-9", "--date", &ago(25)]);
    let out = db.ok(&[
        "viewing",
        "--supervised",
        "yes",
        &r,
        "--date",
        &ago(20),
        "--start",
        "10:00",
        "--end",
        "11:30",
        "--viewers",
        "Rita Madeup",
        "--supervisor",
        SUPERVISOR,
        "--method",
        "in_person_paper",
        "--items",
        "1,3",
        "--copy",
        "1|Needed for the child protection conference",
    ]);
    assert!(out.contains("viewing logged. Status: Viewed; next: step 10 Case note recorded in Mosaic"), "{out}");
    assert!(!out.contains("Incident"), "{out}");
    assert_eq!(db.status(&r), "viewed");

    // The tracker answers "who saw this child's file?", and the lookup is itself recorded.
    let before = db.events();
    let tracker = db.ok(&["who-viewed", "--mosaic-id", "M1001"]);
    assert!(tracker.contains(&format!("{} 10:00", uk_ago(20))), "{tracker}");
    assert!(tracker.contains("Rita Madeup") && tracker.contains("Sue Supervisor") && tracker.contains(&r), "{tracker}");
    assert!(tracker.contains("1. Child and family assessment; 3. Strategy meeting minutes"), "{tracker}");
    assert_eq!(db.events(), before + 1, "a who-viewed lookup is recorded as an event");

    // Step 10: the drafted case note, then recorded.
    let note = db.ok(&["case-note", &r]);
    assert!(note.contains("Rita Madeup"), "{note}");
    assert!(note.contains("Not approved (not shared): 2. Chronology"), "{note}");
    assert!(note.contains("Copy given: 1. Child and family assessment — Needed for the child protection conference"));
    assert!(note.contains("Art. 6(1)(e) public task"), "{note}");
    let out = db.ok(&["case-note-recorded", &r, "--mosaic-ref", "CN-4411", "--date", &ago(19)]);
    assert!(out.contains("case note recorded. Status: Viewed; next: step 11 Files returned / secured"), "{out}");

    // Step 11 and 12.
    // Where they were put away is part of the record (SPEC §2: security).
    let e = db.refused(&["files-returned", &r, "--date", &ago(19)], "security");
    assert!(e.contains("where the files were secured when returned is not recorded"), "{e}");
    assert!(e.contains("(--secured-at)"), "{e}");
    let out = db.ok(&["files-returned", &r, "--date", &ago(19), "--secured-at", "Locked cabinet, records room"]);
    assert_eq!(db.show(&r)["request"]["request"]["files_secured_at"], "Locked cabinet, records room");
    assert!(out.contains("files returned. Status: Viewed; next: step 12 Request complete"), "{out}");
    let out = db.ok(&["complete", &r, "--date", &ago(18)]);
    assert_eq!(out, format!("{r}: request complete. Status: Complete\n"));
    assert_eq!(db.status(&r), "complete");

    // Every step done, each with its date.
    let show = db.show(&r);
    for line in show["checklist"].as_array().unwrap() {
        assert_eq!(line["state"], "done", "{line}");
    }
    assert_eq!(show["request"]["request"]["case_note"]["mosaic_ref"], "CN-4411");

    // Closed requests leave the default list but stay findable.
    assert!(db.json(&["request", "list"]).as_array().unwrap().is_empty());
    assert_eq!(db.references(), vec![r.clone()]);

    // The history names every operation, and the chain verifies.
    let log = db.json(&["log", &r]);
    let ops: Vec<&str> = log.as_array().unwrap().iter().map(|e| e["op"].as_str().unwrap()).collect();
    assert_eq!(
        ops,
        [
            "request.new",
            "form_sent",
            "scope",
            "approve",
            "restore_requested",
            "restored",
            "mosaic_checks",
            "book",
            "confirm",
            "item.consent",
            "viewing",
            "case_note",
            "files_returned",
            "complete"
        ]
    );
    assert!(log.as_array().unwrap().iter().all(|e| e["login"] == me.as_str()));
    let ok = db.verified();
    assert!(ok.contains("hash chain intact"), "{ok}");
}

#[test]
fn the_asset_owner_approving_in_person_needs_no_evidence() {
    // A BSA (not the test login) records the request through the library; the test
    // login is the asset owner and approves it through the CLI.
    let db = Db::empty();
    let me = me();
    {
        use caseshare::service::admin::StaffForm;
        use caseshare::service::forms::NewRequestForm;
        use caseshare::service::{Clock, Service};
        let admin = StaffForm {
            login: me.clone(),
            name: "Ann Owner".into(),
            position: "Service Manager".into(),
            roles: "admin,manager".into(),
            ..Default::default()
        };
        let mut svc = Service::init(&db.path, false, &admin, Clock::System).unwrap();
        let bsa =
            StaffForm { login: "bea".into(), name: "Bea Assistant".into(), roles: "bsa".into(), ..Default::default() };
        svc.staff_add(&bsa).unwrap();
        svc.area_add(AREA, &me).unwrap();
        svc.org_add(LA, "local_authority").unwrap();
        svc.switch_actor("bea").unwrap();
        let form = NewRequestForm {
            received: ago(10),
            channel: "email".into(),
            organisation: LA.into(),
            requester_name: "Rita Madeup".into(),
            subjects: vec![caseshare::service::forms::SubjectForm {
                name: "Alfie Testcase".into(),
                mosaic_id: "M1001".into(),
                dob: String::new(),
            }],
            purpose: "Assessing risk".into(),
            service_area: AREA.into(),
            format: "paper".into(),
            ..Default::default()
        };
        assert_eq!(
            svc.apply(caseshare::service::op::Op::NewRequest(form)).unwrap().created().reference,
            format!("REQ-{}-0001", &ago(10)[..4])
        );
    }
    let r = format!("REQ-{}-0001", &ago(10)[..4]);
    db.ok(&["form-sent", &r, "--date", &ago(9)]);
    db.ok(&with_basis(&["scope", &r, "--returned", &ago(8), "--item", "Assessment"]));
    let out = db.ok(&["approve", &r, "--approver", &me, "--items", "all", "--reason", "Needed", "--date", &ago(7)]);
    assert!(out.contains("decision recorded (Approved). Status: Preparing"), "{out}");
    let show = db.ok(&["request", "show", &r]);
    assert!(
        show.contains(&format!("Approved {} by Ann Owner (Service Manager), recorded by {me}", uk_ago(7))),
        "{show}"
    );
    assert!(!show.contains("Evidence:"), "no on-behalf evidence when the asset owner records it: {show}");
    db.verified();
}
