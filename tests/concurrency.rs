//! Two (or more) processes saving at the same moment: a save based on a stale
//! version is refused, never silently overwrites; independent saves are all kept;
//! the event log verifies afterwards.

mod common;

use std::process::{Child, Stdio};

use common::*;

/// Starts `caseshare --db … args` without waiting for it.
fn start(db: &Db, args: &[String]) -> Child {
    db.command().args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("caseshare starts")
}

/// Waits for every child; returns (exit code, stdout, stderr) for each, in order.
fn finish(children: Vec<Child>) -> Vec<Out> {
    children
        .into_iter()
        .map(|c| {
            let o = c.wait_with_output().expect("caseshare finishes");
            Out {
                code: o.status.code().expect("exited"),
                stdout: String::from_utf8(o.stdout).unwrap(),
                stderr: String::from_utf8(o.stderr).unwrap(),
            }
        })
        .collect()
}

fn owned(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn two_saves_from_the_same_version_end_with_one_success_and_one_clear_refusal() {
    let db = Db::standard();
    let me = me();
    // Several rounds, so that some of them really overlap.
    for round in 0..4 {
        let r = db.receive(LA, AREA, "paper", 20);
        let v = db.version(&r).to_string();
        let events = db.events();
        let a = owned(&["form-sent", &r, "--date", &ago(19), "--if-version", &v]);
        let b = owned(&["withdraw", &r, "--reason", "Requester cancelled", "--date", &ago(18), "--if-version", &v]);
        let outs = finish(vec![start(&db, &a), start(&db, &b)]);

        let winners: Vec<usize> = (0..2).filter(|i| outs[*i].code == 0).collect();
        assert_eq!(winners.len(), 1, "round {round}: exactly one save succeeds: {outs:?}");
        let (won, lost) = (winners[0], 1 - winners[0]);
        let loser = &outs[lost];
        assert_eq!(loser.code, 1, "round {round}: {outs:?}");
        one_line(&loser.stderr);
        assert!(
            loser.stderr.starts_with(&format!("caseshare: refused (conflict): {r} was changed by {me} at ")),
            "round {round}: {}",
            loser.stderr
        );
        assert!(loser.stderr.trim_end().ends_with("since you opened it; reload it and make your change again"));
        assert!(loser.stdout.is_empty());

        // Exactly the winner's change is in the request; nothing of the loser's.
        let show = db.show(&r);
        let req = &show["request"]["request"];
        if won == 0 {
            assert_eq!(req["form_sent_on"], ago(19));
            assert!(req["withdrawn_on"].is_null(), "{req}");
            assert_eq!(req["status"], "awaiting_form");
        } else {
            assert!(req["form_sent_on"].is_null(), "{req}");
            assert_eq!(req["withdrawn_on"], ago(18));
            assert_eq!(req["status"], "withdrawn");
        }
        assert_eq!(show["version"].as_i64().unwrap(), v.parse::<i64>().unwrap() + 1);
        assert_eq!(db.events(), events + 1, "one event for the one save");
    }
    db.verified();
}

#[test]
fn the_same_step_saved_twice_at_once_is_recorded_once() {
    let db = Db::standard();
    let r = db.receive(LA, AREA, "paper", 20);
    let v = db.version(&r).to_string();
    let a = owned(&["form-sent", &r, "--date", &ago(19), "--if-version", &v]);
    let b = owned(&["form-sent", &r, "--date", &ago(17), "--if-version", &v]);
    let outs = finish(vec![start(&db, &a), start(&db, &b)]);
    let codes: Vec<i32> = outs.iter().map(|o| o.code).collect();
    assert!(codes == [0, 1] || codes == [1, 0], "{outs:?}");
    let winner = if codes[0] == 0 { ago(19) } else { ago(17) };
    assert_eq!(db.show(&r)["request"]["request"]["form_sent_on"], winner);
    let ops: Vec<String> =
        db.json(&["log", &r]).as_array().unwrap().iter().map(|e| e["op"].as_str().unwrap().to_string()).collect();
    assert_eq!(ops, ["request.new", "form_sent"]);
    db.verified();
}

#[test]
fn independent_saves_at_the_same_moment_are_all_kept() {
    let db = Db::standard();
    let r = db.receive(LA, AREA, "paper", 20);
    db.form_and_scope(&r, 20);
    let events = db.events();

    // Four people add an item to the same request at once, without a version check.
    let children: Vec<Child> =
        (1..=4).map(|n| start(&db, &owned(&["add-item", &r, &format!("Extra record {n}")]))).collect();
    for o in finish(children) {
        assert_eq!(o.code, 0, "{o:?}");
    }
    let items = db.show(&r)["request"]["items"].clone();
    let mut numbers: Vec<i64> = items.as_array().unwrap().iter().map(|i| i["number"].as_i64().unwrap()).collect();
    numbers.sort();
    assert_eq!(numbers, [1, 2, 3, 4, 5, 6, 7], "every item kept, each with its own number");
    for n in 1..=4 {
        let d = format!("Extra record {n}");
        assert!(items.as_array().unwrap().iter().any(|i| i["description"] == d.as_str()), "{d} lost");
    }

    // And four new requests at once get four different references.
    let args = owned(&[
        "request",
        "new",
        "--org",
        LA2,
        "--requester",
        "R",
        "--subject",
        "C|M2",
        "--purpose",
        "p",
        "--area",
        AREA,
        "--format",
        "digital",
    ]);
    let outs = finish((0..4).map(|_| start(&db, &args)).collect());
    let mut refs: Vec<String> = outs
        .iter()
        .map(|o| {
            assert_eq!(o.code, 0, "{o:?}");
            o.stdout.split(':').next().unwrap().to_string()
        })
        .collect();
    refs.sort();
    refs.dedup();
    assert_eq!(refs.len(), 4, "{refs:?}");
    assert_eq!(db.events(), events + 8);
    db.verified();
}
