//! The subject report (SPEC section 4): for one child, every request, decision,
//! viewing and lookup, checked against the database itself; admins and ig only;
//! itself recorded.

mod common;

use std::collections::BTreeSet;

use common::*;
use serde_json::Value;

const CHILD: &str = "M1001";

/// A viewing of item 1 on `r` 20 days ago, with `extra` flags.
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
        "--supervisor",
        SUPERVISOR,
        "--method",
        "in_person_paper",
        "--items",
        "1",
    ];
    v.extend_from_slice(extra);
    v
}

/// Three requests about Alfie Testcase (viewed with a copy, refused, viewed with an
/// incident referred), one about another child, and lookups of both.
fn scenario() -> (Db, [String; 3], String) {
    let db = Db::standard();
    let day = ago(20);
    let copied = db.scheduled("paper", "Room A", 20);
    db.ok(&viewing(&copied, &day, &["--supervised", "yes", "--copy", "1|For the child protection conference"]));

    let refused = db.receive(LA2, AREA, "paper", 18);
    db.form_and_scope(&refused, 18);
    db.ok(&[
        "refuse",
        &refused,
        "--approver",
        OWNER,
        "--reason",
        "Not necessary: the requester already holds the assessment",
        "--date",
        &ago(10),
        "--evidence-date",
        &ago(10),
        "--evidence-ref",
        "Email from Mona Manager 14:02",
    ]);

    let incident = db.scheduled("paper", "Room B", 20);
    db.ok(&viewing(
        &incident,
        &day,
        &["--supervised", "no", "--what-happened", "Observer called away for ten minutes"],
    ));
    let id = db.show(&incident)["request"]["incidents"][0]["id"].as_i64().expect("an incident").to_string();
    db.ok(&["incident-referred", &incident, &id, "--ig-ref", "IG-2026-17", "--date", &ago(18)]);

    let other = db.json(&[
        "request",
        "new",
        "--received",
        &ago(5),
        "--channel",
        "email",
        "--org",
        LA,
        "--requester",
        "Rita Madeup",
        "--subject",
        "Zoe Otherchild|M2002|2015-03-03",
        "--purpose",
        "Another family",
        "--area",
        AREA,
        "--format",
        "paper",
    ])["reference"]
        .as_str()
        .unwrap()
        .to_string();

    db.ok(&["who-viewed", "--mosaic-id", CHILD]);
    db.ok(&["request", "list", "--subject", "Alfie Testcase"]);
    db.ok(&["who-viewed", "--mosaic-id", "M2002"]);
    db.ok(&["request", "list", "--subject", "Zoe"]);
    (db, [copied, refused, incident], other)
}

fn strings(conn: &rusqlite::Connection, sql: &str) -> BTreeSet<String> {
    let mut stmt = conn.prepare(sql).unwrap();
    stmt.query_map([], |r| r.get::<_, String>(0)).unwrap().map(Result::unwrap).collect()
}

fn ints(conn: &rusqlite::Connection, sql: &str) -> BTreeSet<i64> {
    let mut stmt = conn.prepare(sql).unwrap();
    stmt.query_map([], |r| r.get::<_, i64>(0)).unwrap().map(Result::unwrap).collect()
}

fn all<'a>(report: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    report["requests"].as_array().unwrap().iter().flat_map(move |f| f[key].as_array().unwrap().iter())
}

#[test]
fn the_report_lists_every_request_decision_viewing_and_lookup_of_the_child_and_nothing_else() {
    let (db, [copied, refused, incident], other) = scenario();
    let report = db.json(&["subject-report", "--mosaic-id", " m1001 "]);
    let conn = raw(&db.path);

    // Requests: exactly those with a subject row for the child, by the tables.
    let wanted = strings(
        &conn,
        "SELECT DISTINCT r.reference FROM subjects s JOIN requests r ON r.id = s.request_id
         WHERE lower(trim(s.mosaic_id)) = 'm1001'",
    );
    let listed: BTreeSet<String> = report["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["request"]["reference"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed, wanted);
    for r in [&copied, &refused, &incident] {
        assert!(listed.contains(r), "{r} missing: {listed:?}");
    }
    assert!(!listed.contains(&other));
    let ids = "(SELECT s.request_id FROM subjects s WHERE lower(trim(s.mosaic_id)) = 'm1001')";

    // Every decision, every viewing, every incident of those requests.
    let approvals = ints(&conn, &format!("SELECT id FROM approvals WHERE request_id IN {ids}"));
    let got: BTreeSet<i64> = all(&report, "approvals").map(|a| a["id"].as_i64().unwrap()).collect();
    assert_eq!(got, approvals);
    assert!(
        all(&report, "approvals").any(|a| a["decision"] == "refused"
            && a["reason"] == "Not necessary: the requester already holds the assessment")
    );
    let viewings = ints(&conn, &format!("SELECT id FROM viewings WHERE request_id IN {ids}"));
    let got: BTreeSet<i64> = all(&report, "viewings").map(|v| v["id"].as_i64().unwrap()).collect();
    assert_eq!(got, viewings);
    assert_eq!(viewings.len(), 2);
    assert!(all(&report, "viewings").any(|v| v["copies"][0]["reason"] == "For the child protection conference"));
    let incidents = ints(&conn, &format!("SELECT id FROM incidents WHERE request_id IN {ids}"));
    let got: BTreeSet<i64> = all(&report, "incidents").map(|i| i["id"].as_i64().unwrap()).collect();
    assert_eq!(got, incidents);
    assert!(all(&report, "incidents").all(|i| i["ig_ref"] == "IG-2026-17"));

    // Every lookup naming the child (by the events table), none of the other child.
    let lookups = ints(
        &conn,
        "SELECT e.id FROM events e JOIN event_payloads p ON p.event_id = e.id
         WHERE e.op IN ('who_viewed', 'lookup') AND (p.after LIKE '%M1001%' OR p.after LIKE '%Alfie Testcase%')",
    );
    assert_eq!(lookups.len(), 2, "the test made two lookups of the child");
    let got: BTreeSet<i64> =
        report["lookups"].as_array().unwrap().iter().map(|l| l["event_id"].as_i64().unwrap()).collect();
    assert_eq!(got, lookups);
    assert!(report["lookups"].as_array().unwrap().iter().all(|l| l["settled"] == "cli" && l["login"] == me()));

    let text = report.to_string();
    for absent in ["Zoe Otherchild", "M2002", other.as_str()] {
        assert!(!text.contains(absent), "{absent} is about another child: {text}");
    }

    // The report itself is recorded, and named by the next one.
    let recorded = ints(
        &conn,
        "SELECT e.id FROM events e JOIN event_payloads p ON p.event_id = e.id
         WHERE e.op = 'subject_report' AND json_extract(p.after, '$.query.mosaic_id') = 'm1001'
           AND json_extract(p.after, '$.requests') = 3 AND json_extract(p.after, '$.lookups') = 2",
    );
    assert_eq!(recorded.len(), 1);
    let next = db.json(&["subject-report", "--mosaic-id", CHILD]);
    let ops: Vec<&str> = next["lookups"].as_array().unwrap().iter().map(|l| l["op"].as_str().unwrap()).collect();
    assert_eq!(ops, ["who_viewed", "lookup", "subject_report"]);
    assert_eq!(next["lookups"][2]["event_id"].as_i64(), recorded.first().copied());
    db.verified();
}

#[test]
fn the_text_report_says_what_was_asked_decided_shown_and_looked_up() {
    let (db, [copied, refused, incident], other) = scenario();
    let out = db.ok(&["subject-report", "--mosaic-id", CHILD]);
    for want in [
        "Subject report for Mosaic ID M1001 (trimmed, any case)",
        "Child: Alfie Testcase, born 01/05/2016, Mosaic ID M1001",
        "3 request(s), 2 lookup(s) naming this child",
        &format!("== {copied} — Viewed =="),
        &format!("== {refused} — Refused =="),
        &format!("== {incident} — Viewed =="),
        "Asked by: Rita Madeup, Social Worker; email rita@example.invalid",
        "by Mona Manager (Service Manager); reason: Not necessary: the requester already holds the assessment",
        "on behalf, evidence",
        "Item 1. Child and family assessment: declined",
        "Copies given: 1. Child and family assessment (For the child protection conference)",
        "supervised throughout: no: Observer called away for ten minutes",
        "Incident",
        "referred to information governance",
        "(ref IG-2026-17)",
        "== Lookups naming this child ==",
        "(who_viewed), command line: M1001",
        "(lookup), command line: Alfie Testcase",
    ] {
        assert!(out.contains(want), "missing {want:?}:\n{out}");
    }
    assert!(!out.contains(&other) && !out.contains("Zoe"), "{out}");
}

#[test]
fn by_name_each_match_shows_its_date_of_birth_and_mosaic_id() {
    let db = Db::standard();
    let a = db.receive(LA, AREA, "paper", 5);
    let out = db.ok(&["subject-report", "--name", "  alfie   TESTCASE "]);
    assert!(out.contains("Subject report for name \"alfie   TESTCASE\" (any case, spaces collapsed)"), "{out}");
    assert!(out.contains("Child: Alfie Testcase, born 01/05/2016, Mosaic ID M1001"), "{out}");
    assert!(out.contains(&a), "{out}");
    let none = db.ok(&["subject-report", "--name", "Nobody Known"]);
    assert!(none.contains("No request names this child.") && none.contains("0 request(s)"), "{none}");

    // Exactly one of the two (clap's usage error, exit 2).
    for args in [&["subject-report", "--name", "A", "--mosaic-id", "M1"][..], &["subject-report"]] {
        let o = db.run(args);
        assert_eq!(o.code, 2, "{o:?}");
        assert!(o.stderr.contains("--mosaic-id <ID>|--name <TEXT>"), "{o:?}");
    }
    let e = db.error(&["subject-report", "--mosaic-id", "M1001", "--json", "--out", "x.txt"]);
    assert!(e.contains("--out"), "{e}");
}

/// Gives the test login `roles` through a second administrator (an administrator
/// cannot demote themself).
fn set_my_roles(db: &Db, roles: &str) {
    if db.run(&["staff", "add", "second", "--name", "Second Admin", "--roles", "admin"]).code != 0 {
        assert!(db.ok(&["staff", "list"]).contains("second"));
    }
    let store = caseshare::store::Store::open(&db.path, caseshare::store::OpenMode::Existing).unwrap();
    let mut svc = caseshare::service::Service::open(store, "second", caseshare::service::Clock::System).unwrap();
    svc.staff_update(&me(), Some(roles), None).unwrap();
}

#[test]
fn only_admins_and_information_governance_may_run_it() {
    let db = Db::standard();
    db.receive(LA, AREA, "paper", 5);
    db.ok(&["subject-report", "--mosaic-id", CHILD]);
    db.ok(&["staff", "add", "igone", "--name", "Ida Governance", "--roles", "ig,bsa"]);
    let e = db.error(&["staff", "add", "igtwo", "--name", "Ivy Governance", "--roles", "ig,readonly"]);
    assert!(e.contains("readonly cannot be combined"), "{e}");
    let me = me();
    set_my_roles(&db, "ig");
    let report = db.json(&["subject-report", "--mosaic-id", CHILD]);
    assert_eq!(report["requests"].as_array().unwrap().len(), 1);
    let r = db.references()[0].clone();
    db.refused(&["form-sent", &r], "permission");

    for roles in ["bsa", "readonly"] {
        let db = Db::standard();
        db.receive(LA, AREA, "paper", 5);
        set_my_roles(&db, roles);
        let before = db.events();
        let e = db.refused(&["subject-report", "--mosaic-id", CHILD], "permission");
        assert!(e.contains(&format!("{me} ({roles}) may not run subject reports or audit exports")), "{e}");
        assert!(e.contains("ask an administrator or the information governance team"), "{e}");
        let hint = if roles == "bsa" { "bsa,ig" } else { "ig" };
        assert!(e.ends_with(&format!("(caseshare staff set-roles {me} {hint})")), "{e}");
        assert_eq!(db.events(), before, "a refused report records nothing");
    }
}

#[test]
fn out_writes_a_private_file_and_says_where() {
    use std::os::unix::fs::PermissionsExt;
    let db = Db::standard();
    let r = db.receive(LA, AREA, "paper", 5);
    let file = db.dir().join("alfie.txt");
    let out = db.ok(&["subject-report", "--mosaic-id", CHILD, "--out", file.to_str().unwrap()]);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains(&format!("written to {} (mode 0600)", file.display())), "{out}");
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(&format!("== {r} — New ==")), "{text}");
    assert!(text.starts_with("Subject report for Mosaic ID M1001"), "{text}");
}

#[test]
fn export_audit_adds_the_decision_record_sheet_for_admins_and_ig_only() {
    use calamine::{Reader, Xlsx, open_workbook};
    let (db, [copied, refused, _incident], _other) = scenario();
    let file = db.dir().join("audit.xlsx");
    let out = db.ok(&["export", "--xlsx", file.to_str().unwrap(), "--audit"]);
    assert!(out.contains("with the decision record"), "{out}");
    let mut book: Xlsx<_> = open_workbook(&file).unwrap();
    assert_eq!(book.sheet_names(), ["Requests", "Tracker", "Decision record"]);
    let sheet = book.worksheet_range("Decision record").unwrap();
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    let header = &rows[0];
    for want in [
        "Reference",
        "Received",
        "Organisation",
        "Kind",
        "Status",
        "Service area",
        "Art. 6",
        "Art. 9(2) gateway",
        "Sch.1 condition",
        "Consent not obtained because",
        "Criminal offence data",
        "Criminal offence condition",
        "Statutory power",
        "Power detail",
        "Guidance",
        "Basis notes",
        "Questions confirmed",
        "Necessity",
        "Consent sought",
        "Consent note",
        "Security",
        "Recipient's retention",
        "Sharing agreement",
        "Agreement note",
        "Controllers",
        "DPIA considered",
        "DPIA outcome",
        "ISA prompt",
        "Decision",
        "Decided by",
        "Decided on",
        "Evidence date",
        "Evidence reference",
        "Recorded by",
        "Items approved",
        "Items declined",
    ] {
        assert!(header.contains(&want.to_string()), "no column {want:?}: {header:?}");
    }
    assert_eq!(rows.len(), 5, "header and one row per request");
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = |r: &str| rows.iter().find(|row| row[0] == r).unwrap_or_else(|| panic!("no row for {r}"));
    assert_eq!(row(&refused)[col("Decision")], "Refused");
    assert_eq!(row(&refused)[col("Decided by")], "Mona Manager");
    assert!(row(&refused)[col("Items declined")].contains("1, 2, 3"), "{:?}", row(&refused));
    assert_eq!(row(&copied)[col("Items approved")], "1, 3");
    assert!(row(&copied)[col("Items declined")].starts_with('2'), "{:?}", row(&copied));
    assert_eq!(row(&copied)[col("Art. 6")], "Art. 6(1)(e) public task");
    assert_eq!(row(&copied)[col("Evidence reference")], "Email from Mona Manager");
    let log = db.json(&["log", "--limit", "1"]);
    assert_eq!(log[0]["op"], "export");
    assert!(log[0]["after"].as_str().unwrap().contains("\"audit\":true"), "{log}");

    // CSV: a file beside requests.csv, formulas defused.
    let dir = db.dir().join("csv");
    db.ok(&["export", "--csv", dir.to_str().unwrap(), "--audit"]);
    let audit = std::fs::read_to_string(dir.join("requests-decision-record.csv")).unwrap();
    assert_eq!(audit.lines().count(), 5, "{audit}");
    assert!(audit.lines().next().unwrap().starts_with("\u{feff}Reference,Received,Organisation"), "{audit}");

    // A BSA may export, but not the audit.
    set_my_roles(&db, "bsa");
    let other = db.dir().join("bsa.xlsx");
    let e = db.refused(&["export", "--xlsx", other.to_str().unwrap(), "--audit"], "permission");
    assert!(e.contains("may not run subject reports or audit exports"), "{e}");
    assert!(!other.exists());
    db.ok(&["export", "--xlsx", other.to_str().unwrap()]);
}

#[test]
fn audit_cells_that_look_like_formulas_are_defused() {
    let db = Db::standard();
    let r = db.receive(LA, AREA, "paper", 10);
    db.ok(&["form-sent", &r, "--date", &ago(9)]);
    let returned = ago(5);
    let mut args = vec!["scope", &r, "--returned", &returned, "--item", "Chronology"];
    let mut basis: Vec<&str> = BASIS.to_vec();
    let necessity = basis.iter().position(|a| *a == "--necessity").unwrap() + 1;
    basis[necessity] = "=HYPERLINK(\"x\")";
    args.extend(basis);
    db.ok(&args);
    let dir = db.dir().join("csv");
    db.ok(&["export", "--csv", dir.to_str().unwrap(), "--audit"]);
    let audit = std::fs::read_to_string(dir.join("requests-decision-record.csv")).unwrap();
    assert!(audit.contains("'=HYPERLINK"), "{audit}");
}
