//! Requests that end without a viewing: refused by the asset owner, withdrawn, and
//! the short path of a direct share.

mod common;

use common::*;

#[test]
fn a_request_refused_by_the_asset_owner_closes_as_refused() {
    let db = Db::standard();
    let r = db.receive(LA, AREA, "paper", 20);
    db.form_and_scope(&r, 20);
    assert_eq!(db.status(&r), "awaiting_approval");

    // Only the asset owner may refuse, and on their behalf only with evidence.
    db.refused(
        &["refuse", &r, "--approver", SUPERVISOR, "--reason", "Not necessary", "--date", &ago(14)],
        "asset owner",
    );
    db.refused(&["refuse", &r, "--approver", OWNER, "--reason", "Not necessary", "--date", &ago(14)], "asset owner");
    assert_eq!(db.status(&r), "awaiting_approval");

    let out = db.ok(&[
        "refuse",
        &r,
        "--approver",
        OWNER,
        "--reason",
        "Not necessary: the requester already holds the assessment",
        "--date",
        &ago(14),
        "--evidence-date",
        &ago(14),
        "--evidence-ref",
        "Email from Mona Manager 14:02",
    ]);
    assert_eq!(out, format!("{r}: refusal recorded. Status: Refused\n"));
    assert_eq!(db.status(&r), "refused");

    let show = db.ok(&["request", "show", &r]);
    assert!(show.contains(&format!("Decision  Refused {} by Mona Manager (Service Manager)", uk_ago(14))), "{show}");
    assert!(show.contains("Reason: Not necessary: the requester already holds the assessment"), "{show}");
    for item in ["1. Child and family assessment — declined", "2. Chronology — declined"] {
        assert!(show.contains(item), "{show}");
    }
    // Step 4 reads as refused; the remaining steps are closed, and none can be taken.
    assert_eq!(db.step_state(&r, 4), "refused");
    for n in 5..=12 {
        assert_eq!(db.step_state(&r, n), "closed", "step {n}");
    }
    let e = db.refused(&["restore-requested", &r, "--restore-ref", "X", "--date", &ago(13)], "request closed");
    assert!(e.contains(&format!("{r} is refused")), "{e}");
    db.refused(&["complete", &r, "--date", &ago(13)], "request closed");
    db.refused(&["withdraw", &r, "--reason", "changed mind", "--date", &ago(13)], "request closed");
    db.refused(&["add-item", &r, "Another thing"], "request closed");

    // The refusal is in the history, the request out of the open list but findable.
    let log = db.json(&["log", &r]);
    assert_eq!(log.as_array().unwrap().last().unwrap()["op"], "refuse");
    assert!(db.json(&["request", "list"]).as_array().unwrap().is_empty());
    let refused = db.json(&["request", "list", "--status", "refused"]);
    assert_eq!(refused.as_array().unwrap().len(), 1);
    assert_eq!(refused[0]["reference"], r.as_str());
    db.verified();
}

#[test]
fn a_request_can_be_withdrawn_at_any_point_and_then_takes_no_more_steps() {
    let db = Db::standard();
    let r = db.preparing("paper");
    let e = db.error(&["withdraw", &r, "--reason", "  ", "--date", &ago(10)]);
    assert_eq!(e, "caseshare: reason for withdrawal is required");
    assert_eq!(db.status(&r), "preparing");

    let out = db.ok(&["withdraw", &r, "--reason", "Family moved again; no longer needed", "--date", &ago(10)]);
    assert_eq!(out, format!("{r}: request withdrawn. Status: Withdrawn\n"));
    assert_eq!(db.status(&r), "withdrawn");
    let show = db.ok(&["request", "show", &r]);
    assert!(show.contains(&format!("Withdrawn     {} — Family moved again; no longer needed", uk_ago(10))), "{show}");

    let e = db.refused(
        &["book", &r, "--venue", "room", "--room", "Room A", "--day", &ago(5), "--start", "10:00", "--end", "11:00"],
        "request closed",
    );
    assert!(e.contains(&format!("{r} is withdrawn")) && e.contains("start a new request"), "{e}");
    db.refused(&["withdraw", &r, "--reason", "again", "--date", &ago(9)], "request closed");
    db.verified();
}

#[test]
fn a_request_that_shared_something_keeps_its_case_note_even_when_withdrawn() {
    let db = Db::standard();
    let r = db.scheduled("paper", "Room A", 20);
    db.view(&r, "in_person_paper");
    let e = db.refused(&["withdraw", &r, "--reason", "No longer needed", "--date", &ago(18)], "case note");
    assert!(e.contains("information was already shared"), "{e}");
    assert_eq!(db.status(&r), "viewed");
    db.ok(&["case-note-recorded", &r, "--mosaic-ref", "CN-1", "--date", &ago(19)]);
    db.ok(&["withdraw", &r, "--reason", "No longer needed", "--date", &ago(18)]);
    assert_eq!(db.status(&r), "withdrawn");
}

#[test]
fn a_direct_share_takes_the_short_path_but_still_needs_its_case_note() {
    let db = Db::standard();
    let out = db.ok(&with_basis(&[
        "direct-share",
        "--received",
        &ago(12),
        "--org",
        LA2,
        "--requester",
        "Vic Unreal",
        "--subject",
        "Noah Madeupson|M2002",
        "--purpose",
        "Family moved out before the case opened here",
        "--area",
        AREA,
        "--item",
        "Last child and family assessment",
        "--shared-on",
        &ago(11),
        "--method",
        "Secure email",
        "--decided-by",
        OWNER,
        "--reason",
        "The new authority holds the case and needs the last assessment",
        "--evidence-date",
        &ago(11),
        "--evidence-ref",
        "Email from Mona Manager",
    ]));
    let r = out.split(':').next().unwrap().to_string();
    // The decision to share is on the record, as an approval is.
    let shown = db.json(&["request", "show", &r, "--json"]);
    let decision = &shown["request"]["approvals"][0];
    assert_eq!(decision["approver"]["login"], OWNER, "{shown}");
    assert_eq!(decision["decision"], "approved");
    assert_eq!(decision["reason"], "The new authority holds the case and needs the last assessment");
    assert_eq!(decision["evidence_ref"], "Email from Mona Manager");
    assert_eq!(decision["recorded_by"]["login"], me().as_str());
    assert_eq!(shown["request"]["items"][0]["approved"], true);
    assert!(out.contains("Status: Viewed; next: step 10"), "the next step of a direct share is its case note: {out}");
    assert!(!out.contains("request form"), "a direct share has no request form: {out}");
    // Step 4 is the asset owner's decision to share, recorded with the share.
    assert_eq!(db.step_state(&r, 4), "done");
    for n in [2, 5, 6, 7, 8, 11] {
        assert_eq!(db.step_state(&r, n), "not_required", "step {n}");
    }
    assert_eq!(db.step_state(&r, 9), "done");
    let show = db.ok(&["request", "show", &r]);
    assert!(show.contains("\nRequester     Vic Unreal\n"), "no trailing blank: {show:?}");
    assert!(show.contains("\nSubject       Noah Madeupson  Mosaic M2002\n"), "no empty 'born': {show:?}");
    let note = db.ok(&["case-note", &r]);
    assert!(note.contains(&format!("Shared on {} (Secure email): 1. Last child and family assessment", uk_ago(11))));

    // "Who has seen this child's file?" includes the copy sent, though nobody viewed it.
    let who = db.ok(&["who-viewed", "--mosaic-id", "M2002"]);
    assert!(who.starts_with("No viewings match.\n\nCopies shared directly (no viewing):\n"), "{who}");
    assert!(who.contains("Vic Unreal") && who.contains(LA2) && who.contains("Secure email"), "{who}");
    assert!(who.contains("1. Last child and family assessment"), "{who}");
    let found = db.json(&["who-viewed", "--subject", "Madeupson"]);
    assert_eq!(found["viewings"].as_array().unwrap().len(), 0);
    assert_eq!(found["direct_shares"][0]["reference"], r.as_str());
    assert_eq!(found["direct_shares"][0]["shared_with"], "Vic Unreal");
    let log = db.json(&["log", "--limit", "1"]);
    assert!(
        log[0]["after"].as_str().unwrap().contains("\"direct_shares\":1"),
        "the lookup records what it found: {log}"
    );
    // One brought in from the old spreadsheet may have no sharing date: still found,
    // dated by when it was received.
    let raw = rusqlite::Connection::open(&db.path).unwrap();
    raw.execute("UPDATE requests SET shared_on = NULL WHERE reference = ?1", [&r]).unwrap();
    drop(raw);
    let found = db.json(&["who-viewed", "--mosaic-id", "M2002"]);
    assert_eq!(found["direct_shares"][0]["reference"], r.as_str());
    assert_eq!(found["direct_shares"][0]["day"], ago(12).as_str());
    let raw = rusqlite::Connection::open(&db.path).unwrap();
    raw.execute("UPDATE requests SET shared_on = ?2 WHERE reference = ?1", [&r, &ago(11)]).unwrap();
    drop(raw);

    let e = db.refused(&["complete", &r, "--date", &ago(10)], "case note");
    assert!(e.contains("no Mosaic case note is recorded"), "{e}");
    db.ok(&["case-note-recorded", &r, "--mosaic-ref", "CN-DS-1", "--date", &ago(10)]);
    db.ok(&["complete", &r, "--date", &ago(10)]);
    assert_eq!(db.status(&r), "complete");
    db.verified();
}

#[test]
fn a_direct_share_dated_before_the_request_arrived_is_refused() {
    let db = Db::standard();
    let before = db.events();
    let e = db.refused(
        &with_basis(&[
            "direct-share",
            "--received",
            &ago(5),
            "--org",
            LA,
            "--requester",
            "Vic",
            "--subject",
            "Noah|M1",
            "--purpose",
            "p",
            "--area",
            AREA,
            "--item",
            "Letter",
            "--shared-on",
            &ago(6),
            "--method",
            "email",
            "--decided-by",
            OWNER,
            "--reason",
            "needed",
            "--evidence-date",
            &ago(6),
            "--evidence-ref",
            "Email 1",
        ]),
        "date order",
    );
    assert!(e.contains(&format!("date shared {} is before the date received {}", uk_ago(6), uk_ago(5))), "{e}");
    assert_eq!(db.events(), before);
    assert!(db.references().is_empty(), "nothing half-written");
}

/// A direct share with everything but the decision, and the decision's flags.
fn direct_share(decided_by: &str, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = [
        "direct-share",
        "--received",
        &ago(5),
        "--org",
        LA,
        "--requester",
        "Vic Unreal",
        "--subject",
        "Noah Madeupson|M2002",
        "--purpose",
        "Family moved out",
        "--area",
        AREA,
        "--item",
        "Last assessment",
        "--shared-on",
        &ago(4),
        "--method",
        "Secure email",
        "--reason",
        "The new authority needs the last assessment",
    ]
    .iter()
    .chain(BASIS)
    .map(|s| s.to_string())
    .collect();
    if !decided_by.is_empty() {
        args.extend(["--decided-by".to_string(), decided_by.to_string()]);
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

#[test]
fn a_direct_share_is_decided_by_the_areas_asset_owner_with_the_same_rules_as_an_approval() {
    let db = Db::standard();
    let before = db.events();
    let run = |args: Vec<String>, rule: &str| db.refused(&args.iter().map(String::as_str).collect::<Vec<_>>(), rule);
    let evidence = ["--evidence-date", &ago(4), "--evidence-ref", "Email 7"];

    // Nobody named: the decider is required.
    let e = db.error(&direct_share("", &evidence).iter().map(String::as_str).collect::<Vec<_>>());
    assert!(e.contains("decided by"), "{e}");
    // Another area's owner may not decide for this one.
    let e = run(direct_share(OWNER2, &evidence), "asset owner");
    assert!(
        e.contains("Max Other is not the asset owner of Family Support; only Mona Manager (mgr) may decide"),
        "{e}"
    );
    // A BSA recording it for the owner needs the owner's email, as for an approval.
    let e = run(direct_share(OWNER, &[]), "asset owner");
    assert!(e.contains("recording a decision on behalf of Mona Manager needs evidence"), "{e}");
    assert!(e.contains("--evidence-date, --evidence-ref"), "{e}");
    assert_eq!(db.events(), before, "nothing written");
    assert!(db.references().is_empty(), "nothing half-written");

    // The owner recording the share themselves would decide what they recorded.
    let me = me();
    db.ok(&["staff", "set-roles", &me, "admin,bsa,manager"]);
    db.ok(&["area", "set-owner", AREA, &me]);
    let e = run(direct_share(&me, &[]), "separation of duties");
    assert!(e.contains("recorded this request and cannot also approve it"), "{e}");
    db.ok(&["area", "set-owner", AREA, OWNER]);

    // Allowed: the owner's decision, recorded with their email.
    let out = db.ok(&direct_share(OWNER, &evidence).iter().map(String::as_str).collect::<Vec<_>>());
    let r = out.split(':').next().unwrap().to_string();
    let note = db.ok(&["case-note", &r]);
    assert!(note.contains("Decision: Approved on "), "{note}");
    assert!(note.contains("by Mona Manager, Service Manager (evidence: Email 7, "), "{note}");
    assert!(note.contains("Reason: The new authority needs the last assessment"), "{note}");
    db.verified();
}
