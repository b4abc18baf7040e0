//! The lawful-basis model of SPEC section 2 and the decision record at step 3, through
//! the command line: each combination that does not fit is refused with its
//! message (and nothing is written), each questioned one needs `--confirm-basis`
//! and is then kept with the question; what is recorded shows in `request show`
//! (text and JSON), the case note and the export.

mod common;

use common::*;

/// [`BASIS`] with flags changed: a value replaces the flag's, "" removes it, and a
/// flag not in it is added.
fn basis_with(changes: &[(&str, &str)]) -> Vec<String> {
    let mut out: Vec<(String, String)> = BASIS.chunks(2).map(|p| (p[0].to_string(), p[1].to_string())).collect();
    for (flag, value) in changes {
        match out.iter().position(|(f, _)| f == flag) {
            Some(i) if value.is_empty() => {
                out.remove(i);
            }
            Some(i) => out[i].1 = value.to_string(),
            None => out.push((flag.to_string(), value.to_string())),
        }
    }
    out.into_iter().flat_map(|(f, v)| if v == "yes!" { vec![f] } else { vec![f, v] }).collect()
}

fn scope_args(r: &str, changes: &[(&str, &str)]) -> Vec<String> {
    let mut args: Vec<String> =
        ["scope", r, "--returned", &ago(15), "--item", "Assessment", "--item", "Police report|Demo Constabulary"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    args.extend(basis_with(changes));
    args
}

fn awaiting_scope(db: &Db) -> String {
    let r = db.receive(LA, AREA, "paper", 20);
    db.ok(&["form-sent", &r, "--date", &ago(19)]);
    r
}

#[test]
fn a_basis_that_does_not_fit_is_refused_with_what_to_choose_and_nothing_is_written() {
    let db = Db::standard();
    let r = awaiting_scope(&db);
    let before = db.events();
    let cases: &[(&[(&str, &str)], &str)] = &[
        (
            &[("--art6", ""), ("--art9", ""), ("--criminal", ""), ("--power", "")],
            "refused (lawful basis): the Art. 6 basis, the Art. 9(2) gateway (or none), whether criminal offence data is involved, the statutory power are not recorded; choose each: nothing is filled in for you (--art6, --art9, --criminal, --power)",
        ),
        (
            &[("--sch1", ""), ("--consent-not-obtained", "")],
            "refused (lawful basis): Art. 9(2)(g) substantial public interest needs its DPA 2018 Schedule 1 condition; choose one of: Part 2 para 6, Part 2 para 10, Part 2 para 18 (--sch1)",
        ),
        (
            &[("--art9", "9_2_h")],
            "refused (lawful basis): Sch.1 Part 2 para 18 goes with Art. 9(2)(g), not Art. 9(2)(h) health or social care; Art. 9(2)(h) uses Part 1 para 2 (--sch1)",
        ),
        (
            &[("--art9", "9_2_f")],
            "refused (lawful basis): Art. 9(2)(f) legal claims or judicial acts needs no Schedule 1 condition, but Part 2 para 18 is given; leave the condition empty (--sch1)",
        ),
        (
            &[("--consent-not-obtained", "")],
            "refused (lawful basis): Sch.1 para 18 applies only where consent is not obtained, and why is not recorded; choose: consent cannot be given, cannot reasonably be obtained, or obtaining it would prejudice the child's protection (--consent-not-obtained)",
        ),
        (
            &[("--art9", "none"), ("--sch1", ""), ("--consent-not-obtained", ""), ("--criminal", "p2_18")],
            "refused (lawful basis): Sch.1 para 18 applies only where consent is not obtained",
        ),
        (&[("--power", "court_order")], "refused (lawful basis): a court order needs its court, date and reference"),
        (&[("--power", "other")], "refused (lawful basis): 'other' needs the enactment named"),
        (&[("--necessity", "")], "refused (decision record): why sharing is necessary is not recorded"),
        (
            &[("--security", "n/a")],
            "refused (decision record): 'not applicable' for the security arrangements needs the reason",
        ),
        (
            &[("--retention", "")],
            "refused (decision record): how long the recipient keeps what they learn is not recorded",
        ),
        (
            &[("--dsa", "")],
            "refused (decision record): whether a data sharing agreement exists is not recorded; answer yes, no or not applicable (with the reason) (--dsa yes|no|n/a)",
        ),
        (
            &[("--dsa", "n/a")],
            "refused (decision record): 'not applicable' for a data sharing agreement needs the reason",
        ),
        (&[("--dpia", "yes")], "refused (decision record): a DPIA was considered but its outcome is not recorded"),
        (&[("--consent-sought", "")], "refused (lawful basis): whether consent was sought is not answered"),
    ];
    for (changes, message) in cases {
        let args = scope_args(&r, changes);
        let rule = if message.contains("(decision record)") { "decision record" } else { "lawful basis" };
        let e = db.refused(&strs(&args), rule);
        assert!(e.starts_with(&format!("caseshare: {message}")), "{changes:?}:\n{e}");
    }
    assert_eq!(db.events(), before, "nothing is written by a refused scope");
    assert_eq!(db.status(&r), "awaiting_form");

    // Children Act 2004 s.11 is not a power to share: refused as input, with why.
    let e = db.error(&strs(&scope_args(&r, &[("--power", "ca2004_s11")])));
    assert_eq!(
        e,
        "caseshare: statutory power Children Act 2004 s.11 is a duty to safeguard while carrying out functions, not a power to share: choose the power relied on (e.g. ca1989_s27 or ca1989_s47_9)"
    );
    let e = db.error(&strs(&scope_args(&r, &[("--art9", "safeguarding")])));
    assert!(e.contains("Art. 9(2) gateway 'safeguarding' is not one of: none, 9_2_a"), "{e}");

    // Each of those fixed, the same scope goes through.
    db.ok(&strs(&scope_args(
        &r,
        &[
            ("--power", "court_order"),
            ("--power-detail", "Family Court at Exampleton, 01/11/2026, ZW26C00001"),
            ("--security", "n/a: read in a supervised room, nothing leaves it"),
            ("--dsa", "n/a"),
            ("--dsa-note", "a one-off request, not systematic sharing"),
            ("--dpia", "yes"),
            ("--dpia-outcome", "low risk: supervised viewing only"),
            ("--controller", "separate"),
            ("--criminal", "p2_10"),
            ("--guidance", "wt2023"),
        ],
    )));
    assert_eq!(db.status(&r), "awaiting_approval");
    db.verified();
}

#[test]
fn a_questioned_basis_needs_confirming_and_the_question_is_kept_and_shown() {
    let db = Db::standard();
    let r = awaiting_scope(&db);
    let before = db.events();
    let questioned = [("--art6", "6_1_c"), ("--power", "ca1989_s17")];
    let e = db.refused(&strs(&scope_args(&r, &questioned)), "lawful basis");
    assert_eq!(
        e,
        "caseshare: refused (lawful basis): the lawful basis is questioned: Art. 6(1)(c) legal obligation needs a duty on the council to share, and Children Act 1989 s.17 (children in need) places none on it; check it fits: confirm to keep it, or change it (--confirm-basis)"
    );
    assert_eq!(db.events(), before);
    // Each question the model raises, refused until confirmed.
    for (changes, words) in [
        (&[("--art6", "6_1_d")][..], "Art. 6(1)(d) vital interests is for life-or-death situations"),
        (
            &[("--art9", "9_2_a"), ("--sch1", ""), ("--consent-not-obtained", "")][..],
            "consent is rarely the right basis",
        ),
        (&[("--power", "lga1972_s111")][..], "LGA 1972 s.111 only supports what is incidental to a function"),
    ] {
        let e = db.refused(&strs(&scope_args(&r, changes)), "lawful basis");
        assert!(e.contains(words), "{e}");
    }
    // A power that does place a duty on the council raises no question.
    let mut confirmed = questioned.to_vec();
    confirmed.push(("--confirm-basis", "yes!"));
    db.ok(&strs(&scope_args(&r, &confirmed)));
    let v = db.show(&r);
    let b = &v["request"]["request"]["basis"];
    assert_eq!(b["art6"], "6_1_c");
    assert_eq!(
        b["confirmed"][0],
        "Art. 6(1)(c) legal obligation needs a duty on the council to share, and Children Act 1989 s.17 (children in need) places none on it"
    );
    let show = db.ok(&["request", "show", &r]);
    assert!(show.contains("Questioned    Art. 6(1)(c) legal obligation needs a duty"), "{show}");
    assert!(show.contains("(confirmed)"), "{show}");
    db.verified();
}

#[test]
fn a_duty_to_help_raises_no_question_for_legal_obligation() {
    let db = Db::standard();
    let r = awaiting_scope(&db);
    db.ok(&strs(&scope_args(&r, &[("--art6", "6_1_c"), ("--power", "ca1989_s47_9")])));
    assert_eq!(db.show(&r)["request"]["request"]["basis"]["confirmed"], serde_json::json!([]));
}

#[test]
fn the_decision_record_shows_in_request_show_json_and_text_and_declined_items_keep_their_reasons() {
    let db = Db::standard();
    let r = awaiting_scope(&db);
    db.ok(&strs(&scope_args(
        &r,
        &[
            ("--guidance", "dfe_is2024"),
            ("--guidance-other", "Exampleshire information sharing protocol"),
            ("--controller", "separate"),
            ("--dpia", "no"),
        ],
    )));
    let v = db.show(&r);
    let q = &v["request"]["request"];
    assert_eq!(q["basis"]["art9"], "9_2_g");
    assert_eq!(q["basis"]["sch1"], "p2_18");
    assert_eq!(q["basis"]["consent_not_obtained"], "would_prejudice");
    assert_eq!(q["basis"]["criminal"], false);
    assert_eq!(q["basis"]["power"], "ca1989_s27");
    assert_eq!(q["basis"]["guidance"], serde_json::json!(["dfe_is2024"]));
    assert_eq!(q["basis"]["review"], serde_json::Value::Null);
    assert_eq!(q["details"]["agreement"], "no");
    assert_eq!(q["details"]["controller"], "separate");
    assert_eq!(q["details"]["dpia_considered"], false);
    assert_eq!(q["isa_prompt"], serde_json::Value::Null, "a first request prompts nothing");
    let show = db.ok(&["request", "show", &r]);
    for line in [
        "Lawful basis  Art. 6(1)(e) public task",
        "Art. 9/Sch.1  Art. 9(2)(g) substantial public interest with DPA 2018 Sch.1 Part 2 para 18 safeguarding of children and individuals at risk (not consent-based: obtaining consent would prejudice the child's protection)",
        "Criminal data not involved",
        "Power         Children Act 1989 s.27 (duty to help another authority that asks)",
        "Guidance      DfE Information sharing: advice for practitioners (2024); Exampleshire information sharing protocol",
        "Agreement     no",
        "Controllers   Separate controllers",
        "DPIA          not considered",
    ] {
        assert!(show.contains(line), "missing {line:?} in:\n{show}");
    }
    // Declined items take a reason; an approved one does not.
    let e = db.refused(
        &[
            "approve",
            &r,
            "--approver",
            OWNER,
            "--items",
            "1",
            "--reason",
            "r",
            "--decline-reason",
            "1|no",
            "--date",
            &ago(14),
            "--evidence-date",
            &ago(14),
            "--evidence-ref",
            "Email from Mona Manager",
        ],
        "minimum necessary",
    );
    assert!(e.contains("item 1 is not declined by this decision, so it takes no reason for declining"), "{e}");
    db.ok(&[
        "approve",
        &r,
        "--approver",
        OWNER,
        "--items",
        "1",
        "--reason",
        "Necessary for the assessment",
        "--decline-reason",
        "2|The police have not consented",
        "--date",
        &ago(14),
        "--evidence-date",
        &ago(14),
        "--evidence-ref",
        "Email from Mona Manager",
    ]);
    let v = db.show(&r);
    assert_eq!(v["request"]["items"][1]["decline_reason"], "The police have not consented");
    assert_eq!(v["request"]["items"][0]["decline_reason"], serde_json::Value::Null);
    db.verified();
}

#[test]
fn a_third_request_in_twelve_months_stores_the_agreement_prompt_and_shows_it() {
    let db = Db::standard();
    let first = db.receive(LA2, AREA, "paper", 30);
    db.receive(LA2, AREA, "paper", 25);
    let third = db.receive(LA2, AREA, "paper", 20);
    assert_eq!(db.show(&first)["request"]["request"]["isa_prompt"], serde_json::Value::Null);
    let prompt = db.show(&third)["request"]["request"]["isa_prompt"].as_str().unwrap().to_string();
    assert_eq!(
        prompt,
        format!(
            "this is request 3 from {LA2} in twelve months: consider an information sharing agreement (systematic sharing)"
        )
    );
    let show = db.ok(&["request", "show", &third]);
    assert!(show.contains(&format!("ISA prompt    {prompt}")), "{show}");
    // Recorded: the creation event carries it.
    let after: String = raw(&db.path)
        .query_row(
            "SELECT p.after FROM events e JOIN event_payloads p ON p.event_id = e.id
             WHERE e.reference = ?1 AND e.op = 'request.new'",
            [&third],
            |x| x.get(0),
        )
        .unwrap();
    assert!(after.contains(&format!("\"isa_prompt\":\"{prompt}\"")), "{after}");
    db.verified();
}

#[test]
fn the_export_carries_the_decision_record() {
    let db = Db::standard();
    let r = awaiting_scope(&db);
    db.ok(&strs(&scope_args(&r, &[("--guidance", "wt2023"), ("--dpia", "yes"), ("--dpia-outcome", "low risk")])));
    db.ok(&[
        "approve",
        &r,
        "--approver",
        OWNER,
        "--items",
        "1",
        "--reason",
        "Necessary for the assessment",
        "--decline-reason",
        "2|The police have not consented",
        "--date",
        &ago(14),
        "--evidence-date",
        &ago(14),
        "--evidence-ref",
        "Email from Mona Manager",
    ]);
    let dir = db.dir().join("out");
    db.ok(&["export", "--csv", dir.to_str().unwrap()]);
    let mut rd = csv::Reader::from_path(dir.join("requests.csv")).unwrap();
    let headers: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    let row: Vec<String> = rd.records().next().unwrap().unwrap().iter().map(String::from).collect();
    let cell = |h: &str| row[headers.iter().position(|x| x == h).unwrap_or_else(|| panic!("no column {h}"))].clone();
    assert_eq!(cell("Art. 6"), "Art. 6(1)(e) public task");
    assert_eq!(cell("Art. 9 gateway"), "Art. 9(2)(g) substantial public interest");
    assert_eq!(
        cell("Sch.1 condition"),
        "DPA 2018 Sch.1 Part 2 para 18 safeguarding of children and individuals at risk: obtaining consent would prejudice the child's protection"
    );
    assert_eq!(cell("Criminal offence data"), "Not involved");
    assert_eq!(cell("Statutory power"), "Children Act 1989 s.27 (duty to help another authority that asks)");
    assert_eq!(cell("Guidance relied on"), "Working Together to Safeguard Children 2023");
    assert_eq!(cell("Why necessary"), "The receiving authority cannot assess risk without the history");
    assert_eq!(cell("Security"), "Viewed on site with an observer");
    assert_eq!(cell("Recipient retention"), "Notes kept on the requester's case record");
    assert_eq!(cell("Sharing agreement"), "No");
    assert_eq!(cell("DPIA"), "Considered: low risk");
    assert_eq!(
        cell("Decision reasons"),
        "Necessary for the assessment; declined items: 2: The police have not consented"
    );
    assert_eq!(cell("Basis review"), "");
}

#[test]
fn the_basis_can_be_changed_before_the_decision_and_not_after() {
    let db = Db::standard();
    let r = awaiting_scope(&db);
    let amend = |changes: &[(&str, &str)]| -> Vec<String> {
        let mut a = vec!["basis".to_string(), r.clone()];
        a.extend(basis_with(changes));
        a
    };
    let e = db.refused(&strs(&amend(&[])), "step order");
    assert!(
        e.contains("the lawful basis is recorded with the returned form (step 3), which is not recorded yet"),
        "{e}"
    );
    db.ok(&strs(&scope_args(&r, &[])));
    // The same rules as at scope.
    let e = db.refused(&strs(&amend(&[("--sch1", "")])), "lawful basis");
    assert!(e.contains("needs its DPA 2018 Schedule 1 condition"), "{e}");
    let out = db.ok(&strs(&amend(&[("--power", "ca1989_s47_9")])));
    assert!(out.contains("lawful basis recorded"), "{out}");
    assert_eq!(db.show(&r)["request"]["request"]["basis"]["power"], "ca1989_s47_9");
    db.ok(&[
        "approve",
        &r,
        "--approver",
        OWNER,
        "--items",
        "all",
        "--reason",
        "Necessary",
        "--date",
        &ago(14),
        "--evidence-date",
        &ago(14),
        "--evidence-ref",
        "Email from Mona Manager",
    ]);
    let e = db.refused(&strs(&amend(&[("--power", "ca1989_s27")])), "lawful basis");
    assert_eq!(
        e,
        "caseshare: refused (lawful basis): the asset owner decided on the basis as recorded; changing it needs a fresh decision; it stands as decided"
    );
    db.verified();
}
