//! The rules of steps 1 to 4 refused through the CLI: redirects, step order, dates,
//! lawful basis, who may approve, and the information-sharing-agreement prompt.
//! Each refusal exits 1 with one line naming the rule, and writes nothing.

mod common;

use common::*;

#[test]
fn cafcass_is_redirected_to_cpru_and_keeps_no_personal_data() {
    let db = Db::standard();
    db.ok(&["settings", "set", "cpru_mailbox", "cpru.admin@example.invalid"]);
    let out = db.ok(&[
        "request",
        "new",
        "--received",
        &ago(2),
        "--org",
        "CAFCASS",
        "--requester",
        "Carla Guardian",
        "--requester-email",
        "carla@example.invalid",
        "--subject",
        "Zed Secretchild|M9999|2015-01-01",
        "--purpose",
        "Section 7 report for court",
        "--area",
        AREA,
        "--format",
        "paper",
    ]);
    let r = out.split(':').next().unwrap().to_string();
    assert!(
        out.contains("not for this process — CAFCASS requests do not follow this process: forward it to the CPRU admin mailbox cpru.admin@example.invalid"),
        "{out}"
    );
    assert!(out.contains("Recorded as redirected, with only the date, channel and organisation kept."), "{out}");
    assert_eq!(db.status(&r), "redirected");

    // Least personal data: no requester, child, purpose, anywhere, not even in the history.
    let conn = raw(&db.path);
    let subjects: i64 = conn.query_row("SELECT count(*) FROM subjects", [], |r| r.get(0)).unwrap();
    assert_eq!(subjects, 0);
    let (name, email, purpose): (String, String, String) = conn
        .query_row("SELECT requester_name, requester_email, purpose FROM requests", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!((name.as_str(), email.as_str(), purpose.as_str()), ("", "", ""));
    let everything = format!("{}{}", db.ok(&["log", "--limit", "1000"]), db.ok(&["request", "show", &r]));
    for secret in ["Carla", "Secretchild", "M9999", "Section 7"] {
        assert!(!everything.contains(secret), "{secret} was kept: {everything}");
    }

    // A redirected request takes no steps.
    let e = db.refused(&["form-sent", &r, "--date", &ago(1)], "request closed");
    assert!(e.contains(&format!("{r} is redirected")), "{e}");
    for n in 2..=12 {
        assert_eq!(db.step_state(&r, n), "not_required", "step {n}");
    }
    db.verified();
}

#[test]
fn police_and_other_bodies_are_told_their_route() {
    let db = Db::standard();
    db.ok(&["org", "add", "A Parent", "--kind", "individual"]);
    for (org, route) in [
        ("Demo Constabulary", "police requests follow the police disclosure route"),
        ("A Parent", "makes a subject access request"),
    ] {
        let v = db.json(&["request", "new", "--org", org, "--requester", "Someone", "--subject", "Kid|M5"]);
        assert_eq!(v["status"], "redirected", "{v}");
        assert!(v["redirect"].as_str().unwrap().contains(route), "{v}");
    }
    let rows = db.json(&["request", "list", "--status", "redirected"]);
    assert_eq!(rows.as_array().unwrap().len(), 2);
}

#[test]
fn steps_are_taken_in_order() {
    let db = Db::standard();
    let r = db.receive(LA, AREA, "paper", 20);
    let before = db.events();
    let e = db.refused(&with_basis(&["scope", &r, "--item", "Assessment"]), "step order");
    assert!(e.contains("'Form returned, scope captured' comes after 'Request form sent', which is not recorded yet"));
    assert!(e.ends_with("record step 2 first"), "{e}");
    let e = db.refused(&["approve", &r, "--approver", OWNER, "--items", "all", "--reason", "ok"], "step order");
    assert!(e.contains("comes after 'Form returned, scope captured'"), "{e}");
    let e = db.refused(&["restore-requested", &r, "--restore-ref", "R1"], "step order");
    assert!(e.contains("needs an approval of at least one item"), "{e}");
    db.refused(
        &["book", &r, "--venue", "room", "--room", "Room A", "--day", &ago(1), "--start", "10:00", "--end", "11:00"],
        "step order",
    );
    let e = db.refused(&["confirm", &r], "step order");
    assert!(e.contains("comes after 'Venue booked'"), "{e}");
    let e = db.refused(
        &[
            "viewing",
            "--supervised",
            "yes",
            &r,
            "--start",
            "10:00",
            "--end",
            "11:00",
            "--viewers",
            "V",
            "--supervisor",
            SUPERVISOR,
            "--method",
            "in_person_paper",
            "--items",
            "1",
        ],
        "step order",
    );
    assert!(e.contains("comes after 'Date and venue confirmed'"), "{e}");
    let e = db.refused(&["case-note-recorded", &r, "--mosaic-ref", "CN"], "step order");
    assert!(e.contains("nothing has been shared yet"), "{e}");
    db.refused(&["files-returned", &r], "step order");
    let e = db.refused(&["complete", &r], "step order");
    assert!(e.contains("steps 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 are not done yet"), "{e}");
    assert_eq!(db.events(), before, "no refusal wrote anything");
    assert_eq!(db.status(&r), "new");

    db.ok(&["form-sent", &r, "--date", &ago(19)]);
    let e = db.refused(&["form-sent", &r, "--date", &ago(18)], "already recorded");
    assert!(e.contains(&format!("'Request form sent' is already recorded for {r}")), "{e}");
}

#[test]
fn dates_are_in_order_and_never_in_the_future() {
    let db = Db::standard();
    let r = db.receive(LA, AREA, "paper", 20);

    let e = db.refused(&["form-sent", &r, "--date", &ago(21)], "date order");
    assert_eq!(
        e,
        format!(
            "caseshare: refused (date order): form sent date {} is before the date received {}; check the date",
            uk_ago(21),
            uk_ago(20)
        )
    );
    let e = db.refused(&["form-sent", &r, "--date", &ago(-3)], "date order");
    assert!(e.contains(&format!("form sent date {} is in the future", uk_ago(-3))), "{e}");
    let e = db.refused(&["request", "new", "--received", &ago(-1), "--org", LA], "date order");
    assert!(e.contains("date received") && e.contains("is in the future"), "{e}");

    db.ok(&["form-sent", &r, "--date", &ago(19)]);
    let scope = |returned: &str| {
        vec![
            "scope".to_string(),
            r.clone(),
            "--returned".into(),
            returned.to_string(),
            "--item".into(),
            "Assessment".into(),
        ]
        .into_iter()
        .chain(BASIS.iter().map(|a| a.to_string()))
        .collect::<Vec<String>>()
    };
    let e = db.refused(&strs(&scope(&ago(20))), "date order");
    assert!(e.contains("is before the form sent date"), "{e}");
    db.ok(&strs(&scope(&ago(15))));

    // No approval dated before the form came back.
    let e = db.refused(
        &[
            "approve",
            &r,
            "--approver",
            OWNER,
            "--items",
            "all",
            "--reason",
            "ok",
            "--date",
            &ago(16),
            "--evidence-date",
            &ago(15),
            "--evidence-ref",
            "E",
        ],
        "date order",
    );
    assert!(e.contains(&format!("decision date {} is before the form returned date {}", uk_ago(16), uk_ago(15))));
    db.approve(&r, "all", 14);

    // No viewing before the approval; no booking that ends before it starts.
    let e = db.refused(
        &["book", &r, "--venue", "room", "--room", "Room A", "--day", &ago(15), "--start", "10:00", "--end", "11:00"],
        "date order",
    );
    assert!(e.contains("booking date") && e.contains("is before the approval date"), "{e}");
    let e = db.refused(
        &["book", &r, "--venue", "room", "--room", "Room A", "--day", &ago(5), "--start", "11:00", "--end", "10:00"],
        "date order",
    );
    assert!(e.contains("the booking ends before it starts"), "{e}");
    db.ok(&["book", &r, "--venue", "room", "--room", "Room A", "--day", &ago(5), "--start", "10:00", "--end", "11:00"]);
    db.ok(&["confirm", &r, "--date", &ago(10)]);
    db.ok(&["restore-requested", &r, "--restore-ref", "RST-1", "--date", &ago(13)]);
    db.ok(&["restored", &r, "--date", &ago(12)]);
    db.ok(&["mosaic-checks", &r, "--location-updated", "--not-locked", "--date", &ago(12)]);
    let e = db.refused(
        &[
            "viewing",
            "--supervised",
            "yes",
            &r,
            "--date",
            &ago(15),
            "--start",
            "10:00",
            "--end",
            "11:00",
            "--viewers",
            "V",
            "--supervisor",
            SUPERVISOR,
            "--method",
            "in_person_paper",
            "--items",
            "1",
        ],
        "date order",
    );
    assert!(e.contains(&format!("viewing date {} is before the approval date {}", uk_ago(15), uk_ago(14))), "{e}");
}

#[test]
fn the_lawful_basis_is_recorded_in_full_before_approval() {
    let db = Db::standard();
    let r = db.receive(LA, AREA, "paper", 20);
    db.ok(&["form-sent", &r, "--date", &ago(19)]);
    let before = db.events();
    let e =
        db.refused(&["scope", &r, "--returned", &ago(15), "--item", "Assessment", "--art6", "6_1_e"], "lawful basis");
    assert!(
        e.contains(
            "the Art. 9(2) gateway (or none), whether criminal offence data is involved, the statutory power are not recorded"
        ),
        "{e}"
    );
    assert!(e.contains("choose each: nothing is filled in for you (--art9, --criminal, --power)"), "{e}");
    let mut no_reason = with_basis(&["scope", &r, "--item", "A"]);
    let at = no_reason.iter().position(|a| *a == "--consent-note").unwrap();
    no_reason.drain(at..at + 2);
    let e = db.refused(&no_reason, "lawful basis");
    assert!(e.contains("consent was not sought and no reason is given"), "{e}");
    let e = db.refused(&with_basis(&["scope", &r]), "minimum necessary");
    assert!(e.contains("no items are listed"), "{e}");
    assert_eq!(db.events(), before);
    assert_eq!(db.status(&r), "awaiting_form", "the form is still outstanding, so it cannot be approved");
    db.refused(&["approve", &r, "--approver", OWNER, "--items", "all", "--reason", "ok"], "step order");
}

#[test]
fn only_the_asset_owner_of_the_service_area_may_decide() {
    let db = Db::standard();
    let r = db.receive(LA, AREA, "paper", 20);
    db.form_and_scope(&r, 20);
    let approve = |approver: &str| {
        vec!["approve", &r, "--approver", approver, "--items", "all", "--reason", "ok", "--date", &ago(14)]
            .into_iter()
            .map(str::to_string)
            .chain(["--evidence-date".into(), ago(14), "--evidence-ref".into(), "Email".into()])
            .collect::<Vec<String>>()
    };
    // A BSA, and the asset owner of a different area, are both refused.
    let e = db.refused(&strs(&approve(SUPERVISOR)), "asset owner");
    assert!(e.contains("Sue Supervisor is not the asset owner of Family Support; only Mona Manager (mgr) may decide"));
    let e = db.refused(&strs(&approve(OWNER2)), "asset owner");
    assert!(e.contains("Max Other is not the asset owner of Family Support"), "{e}");
    db.refused(&strs(&approve(&me())), "asset owner");
    assert_eq!(db.status(&r), "awaiting_approval");
    db.ok(&strs(&approve(OWNER)));
    assert_eq!(db.status(&r), "preparing");
}

#[test]
fn a_decision_recorded_on_the_owners_behalf_needs_the_evidence() {
    let db = Db::standard();
    let r = db.receive(LA, AREA, "paper", 20);
    db.form_and_scope(&r, 20);
    let base = ["approve", &r, "--approver", OWNER, "--items", "all", "--reason", "ok"];
    let e = db.refused(&base, "asset owner");
    assert!(e.contains("recording a decision on behalf of Mona Manager needs evidence"), "{e}");
    assert!(e.contains("--evidence-date, --evidence-ref"), "{e}");
    db.refused(&[&base[..], &["--evidence-ref", "Email 12"]].concat(), "asset owner");
    db.refused(&[&base[..], &["--evidence-date", &ago(14)]].concat(), "asset owner");
    assert_eq!(db.status(&r), "awaiting_approval");
}

#[test]
fn the_bsa_who_recorded_a_request_can_never_approve_it() {
    let db = Db::standard();
    let me = me();
    db.ok(&["staff", "set-roles", &me, "admin,bsa,manager"]);
    db.ok(&["area", "set-owner", AREA, &me]);
    let r = db.receive(LA, AREA, "paper", 20);
    db.form_and_scope(&r, 20);
    let e = db.refused(
        &["approve", &r, "--approver", &me, "--items", "all", "--reason", "ok", "--date", &ago(14)],
        "separation of duties",
    );
    assert!(e.contains("recorded this request and cannot also approve it"), "{e}");
    assert_eq!(db.status(&r), "awaiting_approval");
}

#[test]
fn a_third_request_from_one_organisation_in_twelve_months_prompts_an_agreement() {
    let db = Db::standard();
    let notices = |received: i64, org: &str| -> Vec<String> {
        let v = db.json(&[
            "request",
            "new",
            "--received",
            &ago(received),
            "--org",
            org,
            "--requester",
            "R",
            "--subject",
            "C|M1",
            "--purpose",
            "p",
            "--area",
            AREA,
            "--format",
            "paper",
        ]);
        v["notices"].as_array().unwrap().iter().map(|n| n.as_str().unwrap().to_string()).collect()
    };
    assert!(notices(400, LA).is_empty(), "more than a year ago");
    assert!(notices(100, LA).is_empty());
    assert!(notices(50, LA2).is_empty(), "another organisation");
    db.ok(&["request", "new", "--received", &ago(40), "--org", "CAFCASS"]);
    assert!(notices(30, LA).is_empty(), "second in twelve months (the old one and redirects do not count)");
    let third = notices(10, LA);
    assert_eq!(
        third,
        [format!(
            "this is request 3 from {LA} in twelve months: consider an information sharing agreement (systematic sharing)"
        )]
    );
    // And in text form.
    let out = db.ok(&[
        "request",
        "new",
        "--org",
        LA,
        "--requester",
        "R",
        "--subject",
        "C|M1",
        "--purpose",
        "p",
        "--area",
        AREA,
        "--format",
        "paper",
    ]);
    assert!(out.contains(&format!("Note: this is request 4 from {LA} in twelve months")), "{out}");
}

#[test]
fn a_bank_holiday_moves_targets_and_adding_or_renaming_one_is_recorded() {
    let db = Db::standard();
    let r = db.receive(LA, AREA, "paper", 0);
    db.ok(&["form-sent", &r]);
    let due = |db: &Db| -> String {
        let rows = db.json(&["request", "list"]);
        let row = rows.as_array().unwrap().iter().find(|x| x["reference"] == r.as_str()).unwrap().clone();
        row["due_on"].as_str().unwrap().to_string()
    };
    let before = due(&db);
    // A holiday on the target day itself: the target moves on by a working day.
    assert_eq!(db.ok(&["holiday", "add", &before, "Extra day (fictional)"]), "Bank holiday added.\n");
    let moved = due(&db);
    assert!(moved > before, "{before} -> {moved}");
    // The same again changes nothing and says so; a new name is a rename, recorded.
    let e = db.refused(&["holiday", "add", &before, "Extra day (fictional)"], "already recorded");
    assert!(e.contains("is already the bank holiday 'Extra day (fictional)'"), "{e}");
    assert_eq!(
        db.ok(&["holiday", "add", &before, "Renamed day (fictional)"]),
        "Bank holiday renamed (it was 'Extra day (fictional)').\n"
    );
    let log = db.json(&["log", "--limit", "1"]);
    assert_eq!(log[0]["op"], "holiday.add");
    assert!(log[0]["before"].as_str().unwrap().contains("Extra day (fictional)"), "{log}");
    // Removed: the target comes back.
    db.ok(&["holiday", "remove", &before]);
    assert_eq!(due(&db), before);
}
