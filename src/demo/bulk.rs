//! Generated demo requests at any size (`caseshare demo --requests N`): invented
//! people, every status and path, the same dates-in-order shape as real work. Each
//! is a [`Recorded`] request (the whole request and the steps its history took),
//! checked and written by `Service::record_all` like an imported one, many to a
//! transaction. Deterministic: request `i` is always the same request, relative to
//! the day the database is built.

use chrono::{Duration, NaiveDate, NaiveTime};
use serde_json::json;

use crate::domain::*;
use crate::service::op::Recorded;
use crate::service::{Result, Service};

const FIRST: [&str; 20] = [
    "Alfie", "Bella", "Cody", "Daisy", "Eddie", "Freya", "George", "Hana", "Isla", "Jack", "Kara", "Liam", "Maya",
    "Noah", "Ola", "Pip", "Quinn", "Rosa", "Seth", "Tilly",
];
const LAST: [&str; 20] = [
    "Testcase",
    "Pretend",
    "Sample",
    "Fakename",
    "Imaginary",
    "Nobody",
    "Example",
    "Specimen",
    "Mockup",
    "Pretence",
    "Testdata",
    "Placeholder",
    "Nonesuch",
    "Madeupson",
    "Inventa",
    "Fictive",
    "Dummyson",
    "Notreal",
    "Sketchley",
    "Draftwell",
];
const REQUESTERS: [&str; 6] = ["Rita Madeup", "Sam Notreal", "Tia Invented", "Uma Fiction", "Vic Unreal", "Will Dummy"];
const ITEMS: [&str; 6] = [
    "Latest child and family assessment",
    "Chronology",
    "Child protection plan",
    "Strategy meeting minutes",
    "Core group minutes",
    "Case closure summary",
];

/// A small, fast, deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// How far a generated request has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    New,
    AwaitingForm,
    AwaitingApproval,
    Preparing,
    Scheduled,
    Viewed,
    Complete,
}

/// Reference data the generator draws on.
pub struct Cast {
    pub bsas: Vec<Staff>,
    pub supervisor: Staff,
    /// (service area, its asset owner)
    pub areas: Vec<ServiceArea>,
    pub owners: Vec<Staff>,
    pub orgs: Vec<Organisation>,
    pub redirect_orgs: Vec<Organisation>,
    pub rooms: Vec<Room>,
}

fn day(today: NaiveDate, ago: i64) -> NaiveDate {
    today - Duration::days(ago)
}

fn age_of(stage: Stage, rng: &mut Rng) -> i64 {
    match stage {
        Stage::Complete => 45 + rng.below(1400) as i64,
        Stage::New => rng.below(5) as i64,
        Stage::Scheduled => 16 + rng.below(10) as i64,
        _ => 20 + rng.below(60) as i64,
    }
}

/// The date request `i` is received (the same draw `build` makes).
fn build_received(i: u32, today: NaiveDate) -> NaiveDate {
    let mut rng = Rng::new(u64::from(i));
    let stage = stage_of(rng.below(100));
    day(today, age_of(stage, &mut rng))
}

fn stage_of(roll: u64) -> Stage {
    match roll {
        0..=44 | 99 => Stage::Complete,
        45..=54 => Stage::Viewed,
        55..=59 => Stage::Scheduled,
        60..=66 => Stage::Preparing,
        67..=74 | 88..=92 => Stage::AwaitingApproval,
        75..=82 | 93..=96 => Stage::AwaitingForm,
        _ => Stage::New,
    }
}

/// Request number `i` as a whole, with the events its steps would have made.
fn build(i: u32, reference: String, cast: &Cast, today: NaiveDate, settings: &Settings) -> Recorded {
    let (file, mut events) = build_file(i, reference, cast, today, settings);
    let (op, _) = events.remove(0);
    Recorded { file, op, steps: events, viewing_sources: vec![] }
}

/// Request number `i` (its items' ids are their numbers, its viewings numbered from
/// 1) and one event per step, the first creating it.
fn build_file(
    i: u32,
    reference: String,
    cast: &Cast,
    today: NaiveDate,
    settings: &Settings,
) -> (RequestFile, Vec<(&'static str, serde_json::Value)>) {
    let mut rng = Rng::new(u64::from(i));
    let roll = rng.below(100);
    // Mostly finished work, as in a real year; the rest spread over every status and
    // path: 88-92 are refused, 93-96 withdrawn, 97-98 redirected, 99 direct shares.
    let stage = stage_of(roll);
    let path = match roll {
        97..=98 => RequestKind::Redirect,
        99 => RequestKind::DirectShare,
        _ => RequestKind::Viewing,
    };
    let refused = (88..=92).contains(&roll);
    let withdrawn = (93..=96).contains(&roll);
    let age = age_of(stage, &mut rng);
    let received = day(today, age);
    let bsa = &cast.bsas[(i as usize) % cast.bsas.len()];
    let area_ix = rng.below(cast.areas.len() as u64) as usize;
    let area = cast.areas[area_ix].clone();
    let owner = &cast.owners[area_ix];
    let format = [Format::Paper, Format::Digital, Format::Both][rng.below(3) as usize];
    let org = if path == RequestKind::Redirect {
        cast.redirect_orgs[rng.below(cast.redirect_orgs.len() as u64) as usize].clone()
    } else {
        cast.orgs[rng.below(cast.orgs.len() as u64) as usize].clone()
    };
    let child = format!("{} {}", FIRST[rng.below(20) as usize], LAST[rng.below(20) as usize]);
    let mut f = RequestFile {
        request: Request {
            id: 0,
            reference: reference.clone(),
            kind: path,
            status: Status::New,
            version: 1,
            updated_by: bsa.login.clone(),
            updated_at: chrono::Utc::now(),
            created_by: bsa.as_ref(),
            owner: bsa.as_ref(),
            received_on: received,
            channel: Channel::Email,
            organisation: org.clone(),
            requester: Requester::default(),
            purpose: String::new(),
            service_area: None,
            format: None,
            redirect_route: None,
            form_sent_on: None,
            form_returned_on: None,
            basis: LawfulBasis::default(),
            details: ScopeDetails::default(),
            restore_requested_on: None,
            restore_ref: None,
            restored_on: None,
            mosaic_checked_on: None,
            confirmed_on: None,
            shared_on: None,
            share_method: None,
            case_note: None,
            files_returned_on: None,
            files_secured_at: None,
            completed_on: None,
            withdrawn_on: None,
            withdraw_reason: None,
            imported_from: None,
            isa_prompt: None,
            hold: None,
            disposal: None,
        },
        subjects: vec![],
        items: vec![],
        approvals: vec![],
        bookings: vec![],
        viewings: vec![],
        incidents: vec![],
        ticks: vec![],
    };
    let mut events: Vec<(&'static str, serde_json::Value)> = Vec::new();
    let tick = |f: &mut RequestFile, step: Step, events: &mut Vec<_>, op: &'static str, what: serde_json::Value| {
        f.ticks.push(StepTick { step, by: bsa.as_ref(), at: f.request.updated_at });
        events.push((op, what));
    };
    if path == RequestKind::Redirect {
        f.request.redirect_route = crate::domain::rules::route_for(org.kind, settings);
        tick(
            &mut f,
            Step::Received,
            &mut events,
            "redirect",
            json!({"received_on": received, "organisation": org.name}),
        );
        return (f, events);
    }
    f.request.requester = Requester {
        name: REQUESTERS[rng.below(6) as usize].into(),
        role: "Social Worker (fictional)".into(),
        email: "someone@example.invalid".into(),
        phone: String::new(),
    };
    f.request.purpose =
        "Family has moved; the requesting authority is assessing needs and risk (generated demo)".into();
    f.request.service_area = Some(area.clone());
    f.subjects.push(Subject {
        id: 0,
        name: child.clone(),
        dob: Some(day(today, 400 + rng.below(5000) as i64)),
        mosaic_id: format!("DEMO-{:07}", 1_000_000 + i),
    });
    tick(
        &mut f,
        Step::Received,
        &mut events,
        "request.new",
        json!({"reference": reference, "received_on": received, "child": child}),
    );
    // Combinations SPEC section 2 accepts: Art. 9(2)(g) with Sch.1 para 18 (and why
    // consent was not obtained), or 9(2)(h) with Part 1 para 2; a power that fits.
    let basis = LawfulBasis {
        art6: Some(Art6Basis::PublicTask),
        art9: Some([Art9Gateway::SubstantialPublicInterest, Art9Gateway::HealthOrSocialCare][rng.below(2) as usize]),
        criminal: Some(false),
        power: Some([StatutoryPower::S27, StatutoryPower::S47Assist, StatutoryPower::S17][rng.below(3) as usize]),
        guidance: vec![Guidance::WorkingTogether2023],
        ..LawfulBasis::default()
    };
    let basis = match basis.art9 {
        Some(Art9Gateway::SubstantialPublicInterest) => LawfulBasis {
            sch1: Some(Sch1Condition::P2Safeguarding),
            consent_not_obtained: Some(ConsentNotObtained::WouldPrejudice),
            ..basis
        },
        _ => LawfulBasis { sch1: Some(Sch1Condition::P1HealthSocialCare), ..basis },
    };
    let n_items = 2 + rng.below(3) as i64;
    let items: Vec<ScopeItem> = (1..=n_items)
        .map(|n| ScopeItem {
            id: n,
            number: n,
            description: ITEMS[((n - 1) as usize + i as usize) % ITEMS.len()].into(),
            third_party: None,
            agency_consent_on: None,
            agency_consent_ref: None,
            approved: None,
            added_on: None,
            decline_reason: None,
        })
        .collect();
    if path == RequestKind::DirectShare {
        f.items = items.into_iter().take(1).collect();
        f.items[0].approved = Some(true);
        f.items[0].added_on = Some(f.request.received_on);
        f.request.basis = basis;
        f.request.shared_on = Some(day(today, age - 1));
        // The asset owner's decision to share, recorded by the BSA from their email.
        let decided_on = day(today, age - 1);
        f.approvals.push(Approval {
            id: 0,
            decision: Decision::Approved,
            approver: owner.as_ref(),
            decided_on,
            evidence_date: Some(decided_on),
            evidence_ref: Some("Email from the asset owner (generated demo)".into()),
            reason: "The new authority holds the case; the last assessment is what it needs (generated demo)".into(),
            recorded_by: bsa.as_ref(),
        });
        f.request.share_method = Some("Secure email (generated demo)".into());
        let what = json!({"shared_on": f.request.shared_on});
        tick(&mut f, Step::DirectShare, &mut events, "direct_share", what);
        let on = day(today, age - 2);
        f.request.case_note =
            Some(CaseNoteRecord { on, by: bsa.as_ref(), mosaic_ref: format!("CN-{i}"), text: String::new() });
        tick(&mut f, Step::CaseNote, &mut events, "case_note", json!({"on": on}));
        f.request.completed_on = Some(on);
        tick(&mut f, Step::Complete, &mut events, "complete", json!({"on": on}));
        return (f, events);
    }
    f.request.format = Some(format);
    if stage >= Stage::AwaitingForm {
        f.request.form_sent_on = Some(day(today, age - 1));
        let what = json!({"on": f.request.form_sent_on});
        tick(&mut f, Step::FormSent, &mut events, "form_sent", what);
    }
    if withdrawn {
        f.request.withdrawn_on = Some(day(today, age - 5));
        f.request.withdraw_reason = Some("Family moved again; no longer needed (generated demo)".into());
        events.push(("withdraw", json!({"on": f.request.withdrawn_on})));
        return (f, events);
    }
    if stage >= Stage::AwaitingApproval {
        f.request.form_returned_on = Some(day(today, age - 6));
        f.request.basis = basis;
        f.items = items.into_iter().map(|i| ScopeItem { added_on: f.request.form_returned_on, ..i }).collect();
        let what = json!({"returned_on": f.request.form_returned_on, "items": n_items});
        tick(&mut f, Step::Scope, &mut events, "scope", what);
    }
    let decided_on = day(today, age - 9);
    let approve = |f: &mut RequestFile, decision: Decision, events: &mut Vec<_>| {
        let on_behalf = owner.id != bsa.id && !owner.has(Role::Bsa);
        f.approvals.push(Approval {
            id: 0,
            decision,
            approver: owner.as_ref(),
            decided_on,
            evidence_date: on_behalf.then_some(decided_on),
            evidence_ref: on_behalf.then(|| "Email from the asset owner (generated demo)".to_string()),
            reason: "Necessary for the requesting authority's assessment (generated demo)".into(),
            recorded_by: if on_behalf { bsa.as_ref() } else { owner.as_ref() },
        });
        f.ticks.push(StepTick { step: Step::Approval, by: bsa.as_ref(), at: f.request.updated_at });
        events.push((
            if decision == Decision::Refused { "refuse" } else { "approve" },
            json!({"decision": decision, "on": decided_on}),
        ));
    };
    if refused {
        for it in &mut f.items {
            it.approved = Some(false);
        }
        approve(&mut f, Decision::Refused, &mut events);
        return (f, events);
    }
    if stage >= Stage::Preparing {
        let declined = n_items > 2 && rng.below(3) == 0;
        for it in &mut f.items {
            it.approved = Some(!(declined && it.number == n_items));
        }
        approve(&mut f, if declined { Decision::ApprovedInPart } else { Decision::Approved }, &mut events);
        if format.has_paper() {
            f.request.restore_requested_on = Some(day(today, age - 10));
            f.request.restore_ref = Some(format!("RST-{i}"));
            let what = json!({"on": f.request.restore_requested_on});
            tick(&mut f, Step::RestoreRequested, &mut events, "restore_requested", what);
        }
    }
    let first_viewing = if stage >= Stage::Viewed { age - 15 } else { -((i % 20) as i64) - 1 };
    if stage >= Stage::Scheduled {
        if format.has_paper() {
            f.request.restored_on = Some(day(today, age - 12));
            let what = json!({"on": f.request.restored_on});
            tick(&mut f, Step::FilesAvailable, &mut events, "restored", what);
        }
        f.request.mosaic_checked_on = Some(day(today, age - 12));
        let what = json!({"on": f.request.mosaic_checked_on});
        tick(&mut f, Step::FilesAvailable, &mut events, "mosaic_checks", what);
        let room = &cast.rooms[(i as usize) % cast.rooms.len()];
        f.bookings.push(Booking {
            id: 0,
            venue: if format == Format::Digital { Venue::TeamsRoom } else { Venue::Room },
            room_id: Some(room.id),
            room_name: Some(room.name.clone()),
            day: day(today, first_viewing),
            start: NaiveTime::from_hms_opt(10, 0, 0).expect("valid"),
            end: NaiveTime::from_hms_opt(12, 0, 0).expect("valid"),
            teams_reason: None,
            room_location: Some(room.location.clone()),
        });
        tick(
            &mut f,
            Step::VenueBooked,
            &mut events,
            "book",
            json!({"day": day(today, first_viewing), "room": room.name}),
        );
        f.request.confirmed_on = Some(day(today, age - 13));
        let what = json!({"on": f.request.confirmed_on});
        tick(&mut f, Step::Confirmed, &mut events, "confirm", what);
    }
    if stage >= Stage::Viewed {
        let approved: Vec<i64> = f.approved_items().map(|it| it.number).collect();
        let n_viewings = 3 + rng.below(6) as i64;
        let method = match format {
            Format::Digital => ViewingMethod::TeamsScreenShare,
            _ => ViewingMethod::InPersonPaper,
        };
        for k in 0..n_viewings {
            let supervised = !(stage == Stage::Viewed && k == 0 && i.is_multiple_of(7));
            f.viewings.push(Viewing {
                id: k + 1,
                day: day(today, (first_viewing - k).max(0)),
                start: NaiveTime::from_hms_opt(10, 0, 0).expect("valid"),
                end: NaiveTime::from_hms_opt(11, 30, 0).expect("valid"),
                viewers: f.request.requester.name.clone(),
                viewer_org: org.name.clone(),
                viewer_org_id: Some(org.id),
                supervisor: cast.supervisor.as_ref(),
                method,
                item_ids: approved.iter().copied().take(2).collect(),
                notes: String::new(),
                copies: vec![],
                supervised,
                unsupervised_note: (!supervised).then(|| "Observer called away (generated demo)".to_string()),
                supervision_confirmed_by: Some(cast.supervisor.as_ref()),
                lcc_devices_only: (method != ViewingMethod::InPersonPaper).then_some(true),
                downloads: (method != ViewingMethod::InPersonPaper).then(Vec::new),
            });
            f.ticks.push(StepTick { step: Step::Viewing, by: bsa.as_ref(), at: f.request.updated_at });
            events.push(("viewing", json!({"day": day(today, (first_viewing - k).max(0)), "supervised": supervised})));
        }
        if !f.viewings.iter().all(|v| v.supervised) {
            let v = f.viewings.iter().find(|v| !v.supervised).expect("one was not");
            f.incidents.push(Incident {
                id: 0,
                viewing_id: Some(v.id),
                opened_on: v.day,
                description: "Viewing not supervised throughout (generated demo)".into(),
                referred_on: None,
                ig_ref: None,
            });
        }
    }
    if stage >= Stage::Complete {
        let last = f.last_viewing_on().expect("viewed");
        let on = (last + Duration::days(1)).min(today);
        f.request.case_note =
            Some(CaseNoteRecord { on, by: bsa.as_ref(), mosaic_ref: format!("CN-{i}"), text: String::new() });
        tick(&mut f, Step::CaseNote, &mut events, "case_note", json!({"on": on}));
        if format.has_paper() {
            f.request.files_returned_on = Some(on);
            f.request.files_secured_at = Some("Locked records cabinet (generated demo)".into());
            tick(&mut f, Step::FilesReturned, &mut events, "files_returned", json!({"on": on}));
        }
        f.request.completed_on = Some(on);
        tick(&mut f, Step::Complete, &mut events, "complete", json!({"on": on}));
    }
    (f, events)
}

/// Records `n` generated requests: each BSA's in one transaction, under their login
/// (a request is recorded by the login that records it). Administrators only.
/// `tick` hears of each request as it is built.
pub fn generate(svc: &mut Service, n: u32, cast: &Cast, tick: &dyn crate::progress::Tick) -> Result<()> {
    crate::domain::rules::may_administer(svc.actor())?;
    let today = svc.today();
    let settings = svc.settings().clone();
    // References follow the year received, numbered from 10001 so they never meet
    // the hand-made ones (and new requests continue after them).
    let mut next: std::collections::HashMap<i32, u32> = std::collections::HashMap::new();
    let references: Vec<String> = (0..n)
        .map(|i| {
            let year = chrono::Datelike::year(&build_received(i, today));
            let number = next.entry(year).or_insert(10_000);
            *number += 1;
            format!("REQ-{year}-{number:05}")
        })
        .collect();
    let me = svc.actor().login.clone();
    let bsas = cast.bsas.len();
    tick.stage("generating requests", u64::from(n));
    let mut ticks = crate::progress::Batched::new(tick, 256);
    for (k, bsa) in cast.bsas.iter().enumerate() {
        svc.switch_actor(&bsa.login)?;
        let theirs = (0..n).filter(|i| *i as usize % bsas == k);
        svc.record_all(theirs.map(|i| {
            ticks.one();
            build(i, references[i as usize].clone(), cast, today, &settings)
        }))?;
    }
    drop(ticks);
    svc.switch_actor(&me)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_deterministic() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        assert_eq!((a.next(), a.next()), (b.next(), b.next()));
        assert_ne!(Rng::new(1).next(), Rng::new(2).next());
    }
}
