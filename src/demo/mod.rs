//! The demonstration database: invented, obviously fictional people and councils,
//! with requests at every status and on every path, built through the same service
//! operations as real work (so its event log verifies like a real one).
//!
//! Dates are relative to the day it is built, so it always has overdue and
//! upcoming work; everything else is deterministic.

use std::fs;
use std::path::Path;

use chrono::{Duration, NaiveDate};

use crate::domain::{Format, OrgKind, Refusal, RequestFile, Rule};
use crate::service::admin::{RoomForm, StaffForm};
use crate::service::forms::*;
use crate::service::op::{Change, On, Op};
use crate::service::{Clock, Result, Service};
use crate::store::{OpenMode, Store, reference};

use crate::service::admin::DEMO_MARK;

mod bulk;

/// Logins of the fictional staff.
pub const BSA1: &str = "demo.bsa1";
pub const BSA2: &str = "demo.bsa2";
pub const MANAGER: &str = "demo.manager";
pub const ONCALL: &str = "demo.oncall";

/// Builds the hand-made demo requests at `path` (which must not exist).
pub fn build(path: &Path, login: &str, clock: Clock) -> Result<()> {
    build_with(path, login, clock, 0)
}

/// Removes an existing demo database, refusing to touch anything else.
pub fn remove_existing(path: &Path) -> Result<()> {
    let store = Store::open(path, OpenMode::Existing)?;
    let is_demo = reference::setting(store.conn(), DEMO_MARK)?.as_deref() == Some("1");
    drop(store);
    if !is_demo {
        return Err(Refusal::new(
            Rule::Permission,
            format!("{} holds a real caseshare database", path.display()),
            "the demo never overwrites real data: give --db a new file",
        )
        .into());
    }
    for suffix in ["", "-wal", "-shm"] {
        let p = format!("{}{suffix}", path.display());
        if Path::new(&p).exists() {
            fs::remove_file(&p).map_err(|source| crate::store::StoreError::Io { path: p.into(), source })?;
        }
    }
    Ok(())
}

/// The demo's requesting organisations (all invented), with their kind codes.
pub const ORGANISATIONS: [(&str, &str); 5] = [
    ("Exampleshire County Council", "local_authority"),
    ("Fictional Borough Council", "local_authority"),
    ("Imaginary City Council", "local_authority"),
    ("CAFCASS (demo)", "cafcass"),
    ("Demo Constabulary", "police"),
];

/// Builds the demo requests plus `extra` generated ones.
pub fn build_with(path: &Path, login: &str, clock: Clock, extra: u32) -> Result<()> {
    build_with_progress(path, login, clock, extra, &crate::progress::Silent)
}

/// [`build_with`], telling `tick` how many generated requests are recorded.
pub fn build_with_progress(
    path: &Path,
    login: &str,
    clock: Clock,
    extra: u32,
    tick: &dyn crate::progress::Tick,
) -> Result<()> {
    let me = StaffForm {
        login: login.into(),
        name: "You (demo user)".into(),
        position: "Service Manager, Family Support (demo)".into(),
        email: String::new(),
        roles: "admin,bsa,manager".into(),
    };
    // Built under a temporary name and put in place once complete: a kill part way
    // leaves no demo database rather than half of one.
    let mut svc = Service::init_draft(path, false, &me, clock)?;
    svc.mark_as_demo()?;
    let people = [
        (BSA1, "Bea Sample", "Business Support Assistant", "bsa"),
        (BSA2, "Cal Placeholder", "Business Support Assistant", "bsa"),
        (MANAGER, "Dee Imaginary", "Service Manager, Children in Care", "manager"),
        (ONCALL, "Eve Oncall", "On-call officer", "readonly"),
    ];
    for (l, n, p, r) in people {
        svc.staff_add(&StaffForm {
            login: l.into(),
            name: n.into(),
            position: p.into(),
            email: String::new(),
            roles: r.into(),
        })?;
    }
    svc.area_add("Family Support", login)?;
    svc.area_add("Children in Care", MANAGER)?;
    for (name, kind) in ORGANISATIONS {
        svc.org_add(name, kind)?;
    }
    for (name, teams) in [("Room A (demo)", false), ("Room B (demo)", false), ("Teams Room (demo)", true)] {
        svc.room_add(&RoomForm {
            name: name.into(),
            location: "County Offices (fictional)".into(),
            observer_space: true,
            secure_storage: true,
            teams,
        })?;
    }
    let today = svc.today();
    let mut d = Demo { svc, today, login: login.to_string(), slot: 0, hour: 10 };
    d.hand_made()?;
    if extra > 0 {
        let cast = d.cast()?;
        bulk::generate(&mut d.svc, extra, &cast, tick)?;
    }
    tick.stage("saving the demonstration database", 0);
    d.svc.publish()?;
    Ok(())
}

/// How far a demo request is taken.
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

struct Demo {
    svc: Service,
    today: NaiveDate,
    login: String,
    /// Bookings made so far, to spread them over rooms, hours and days.
    slot: u32,
    /// Start hour of the last booking, which its viewing keeps to.
    hour: u32,
}

struct Spec<'a> {
    org: &'a str,
    requester: &'a str,
    child: &'a str,
    mosaic: &'a str,
    area: &'a str,
    format: Format,
    by: &'a str,
    /// Days ago the request was received.
    age: i64,
    /// Whether the LCC observer stayed throughout the viewing.
    supervised: bool,
    dob: &'a str,
}

impl Demo {
    fn day(&self, days_ago: i64) -> String {
        (self.today - Duration::days(days_ago)).format("%Y-%m-%d").to_string()
    }

    /// One change to request `r`, through the one write path.
    fn change(&mut self, r: &str, change: Change) -> Result<RequestFile> {
        Ok(self.svc.apply(Op::Change(On::latest(r), change))?.file())
    }

    fn act(&mut self, login: &str) -> Result<()> {
        self.svc.switch_actor(login)
    }

    fn receive(&mut self, s: &Spec) -> Result<String> {
        self.act(s.by)?;
        let out = self
            .svc
            .apply(Op::NewRequest(NewRequestForm {
                received: self.day(s.age),
                channel: "email".into(),
                organisation: s.org.into(),
                requester_name: s.requester.into(),
                requester_role: "Social Worker (fictional)".into(),
                requester_email: "someone@example.invalid".into(),
                requester_phone: String::new(),
                subjects: vec![SubjectForm { name: s.child.into(), dob: s.dob.into(), mosaic_id: s.mosaic.into() }],
                purpose: "Family has moved into the requester's area; assessing needs and risk (demo)".into(),
                service_area: s.area.into(),
                format: s.format.as_code().into(),
                owner: String::new(),
            }))?
            .created();
        Ok(out.reference)
    }

    /// Takes a request received `age` days ago to `stage`.
    fn take(&mut self, s: &Spec, stage: Stage) -> Result<String> {
        let r = self.receive(s)?;
        let a = s.age;
        if stage >= Stage::AwaitingForm {
            self.change(&r, Change::FormSent { date: self.day(a - 1) })?;
        }
        if stage >= Stage::AwaitingApproval {
            self.change(
                &r,
                Change::Scope(Box::new(ScopeForm {
                    returned: self.day(a - 6),
                    items: vec![
                        ItemForm {
                            description: "Latest child and family assessment".into(),
                            third_party: String::new(),
                        },
                        ItemForm { description: "Chronology".into(), third_party: String::new() },
                        ItemForm {
                            description: "Strategy meeting minutes".into(),
                            third_party: "Demo Constabulary".into(),
                        },
                    ],
                    purpose: String::new(),
                    basis: demo_basis(),
                })),
            )?;
        }
        if stage >= Stage::Preparing {
            self.approve(s, &r, a - 9, "1,2")?;
            self.act(s.by)?;
            if s.format.has_paper() {
                self.change(&r, Change::RestoreRequested { date: self.day(a - 10), restore_ref: "RST-DEMO".into() })?;
            }
        }
        if stage >= Stage::Scheduled {
            if s.format.has_paper() {
                self.change(&r, Change::Restored { date: self.day(a - 12) })?;
            }
            self.change(&r, Change::MosaicChecks { date: self.day(a - 12), location_updated: true, not_locked: true })?;
            let viewing_day = if stage >= Stage::Viewed { a - 15 } else { -7 };
            self.book(&r, s.format, viewing_day)?;
            self.change(&r, Change::Confirm { date: self.day(a - 13) })?;
        }
        if stage >= Stage::Viewed {
            self.view(s, &r, a - 15, s.supervised)?;
        }
        if stage >= Stage::Complete {
            self.finish(s, &r, a - 16)?;
        }
        Ok(r)
    }

    fn approve(&mut self, s: &Spec, r: &str, days_ago: i64, items: &str) -> Result<()> {
        let reason = "Necessary for the requester's assessment; only the items approved are relevant (demo)";
        if s.area == "Family Support" {
            let me = self.login.clone();
            self.act(&me)?;
            self.change(
                r,
                Change::Decide(ApprovalForm {
                    approver: me,
                    decided: self.day(days_ago),
                    reason: reason.into(),
                    approve: items.into(),
                    ..Default::default()
                }),
            )?;
        } else {
            self.act(s.by)?;
            self.change(
                r,
                Change::Decide(ApprovalForm {
                    approver: MANAGER.into(),
                    decided: self.day(days_ago),
                    evidence_date: self.day(days_ago),
                    evidence_ref: "Email from Dee Imaginary (demo)".into(),
                    reason: reason.into(),
                    approve: items.into(),
                    decline_reasons: vec![],
                }),
            )?;
        }
        Ok(())
    }

    fn book(&mut self, r: &str, format: Format, days_ago: i64) -> Result<()> {
        self.slot += 1;
        let hour = 9 + (self.slot % 4) * 2;
        self.hour = hour;
        let (venue, room) = match format {
            Format::Digital => ("teams_room", "Teams Room (demo)"),
            _ if self.slot.is_multiple_of(2) => ("room", "Room A (demo)"),
            _ => ("room", "Room B (demo)"),
        };
        self.change(
            r,
            Change::Book(BookingForm {
                venue: venue.into(),
                room: room.into(),
                day: self.day(days_ago - i64::from(self.slot / 8)),
                start: format!("{hour:02}:00"),
                end: format!("{:02}:30", hour + 1),
                teams_reason: String::new(),
            }),
        )?;
        Ok(())
    }

    fn view(&mut self, s: &Spec, r: &str, days_ago: i64, supervised: bool) -> Result<()> {
        let method = if s.format == Format::Digital { "teams_screen_share" } else { "in_person_paper" };
        self.change(
            r,
            Change::Viewing(ViewingForm {
                day: self.day(days_ago),
                start: format!("{:02}:00", self.hour),
                end: format!("{:02}:30", self.hour + 1),
                viewers: s.requester.into(),
                viewer_org: String::new(),
                supervisor: BSA2.into(),
                method: method.into(),
                items: "1,2".into(),
                notes: "Notes taken by the visitor; nothing copied (demo)".into(),
                supervised: if supervised { "yes".into() } else { "no".into() },
                confirmed_by: BSA2.into(),
                // A screen share: LCC's own laptop and login, nothing downloaded.
                lcc_devices: if s.format == Format::Digital { "yes".into() } else { String::new() },
                no_downloads: s.format == Format::Digital,
                what_happened: if supervised {
                    String::new()
                } else {
                    "Observer called away for ten minutes (demo)".into()
                },
                ..Default::default()
            }),
        )?;
        Ok(())
    }

    fn finish(&mut self, s: &Spec, r: &str, days_ago: i64) -> Result<()> {
        self.change(r, Change::CaseNoteRecorded { date: self.day(days_ago), mosaic_ref: "CN-DEMO".into() })?;
        if s.format.has_paper() {
            self.change(
                r,
                Change::FilesReturned {
                    date: self.day(days_ago),
                    secured_at: "Locked records cabinet, County Offices (demo)".into(),
                },
            )?;
        }
        self.change(r, Change::Complete { date: self.day(days_ago - 1) })?;
        Ok(())
    }

    /// The staff, areas, organisations and rooms the generated requests use.
    fn cast(&mut self) -> Result<bulk::Cast> {
        let staff = self.svc.staff()?;
        let by = |login: &str| staff.iter().find(|s| s.login == login).cloned().expect("demo staff");
        let areas = self.svc.areas()?;
        let owners = areas.iter().map(|a| by(&a.asset_owner.login)).collect();
        let orgs = self.svc.organisations()?;
        Ok(bulk::Cast {
            bsas: vec![by(BSA1), by(BSA2)],
            supervisor: by(BSA2),
            areas,
            owners,
            redirect_orgs: orgs.iter().filter(|o| o.kind != OrgKind::LocalAuthority).cloned().collect(),
            orgs: orgs.into_iter().filter(|o| o.kind == OrgKind::LocalAuthority).collect(),
            rooms: self.svc.rooms()?,
        })
    }

    fn hand_made(&mut self) -> Result<()> {
        let ex = "Exampleshire County Council";
        let fb = "Fictional Borough Council";
        let ic = "Imaginary City Council";
        let fs = "Family Support";
        let cic = "Children in Care";
        let spec = |org, requester, child, mosaic, area, format, by, age| Spec {
            org,
            requester,
            child,
            mosaic,
            area,
            format,
            by,
            age,
            supervised: true,
            dob: "2016-05-01",
        };
        self.take(&spec(ex, "Rita Madeup", "Alfie Testcase", "DEMO-1001", fs, Format::Paper, BSA1, 2), Stage::New)?;
        self.take(
            &spec(fb, "Sam Notreal", "Bella Pretend", "DEMO-1002", fs, Format::Paper, BSA1, 40),
            Stage::AwaitingForm,
        )?;
        self.take(
            &spec(ic, "Tia Invented", "Cody Sample", "DEMO-1003", fs, Format::Both, BSA1, 30),
            Stage::AwaitingApproval,
        )?;
        self.take(
            &spec(ex, "Rita Madeup", "Daisy Fakename", "DEMO-1004", cic, Format::Digital, BSA2, 14),
            Stage::AwaitingApproval,
        )?;
        self.take(
            &spec(fb, "Sam Notreal", "Eddie Imaginary", "DEMO-1005", fs, Format::Paper, BSA2, 20),
            Stage::Preparing,
        )?;
        self.take(
            &spec(ic, "Tia Invented", "Freya Nobody", "DEMO-1006", cic, Format::Paper, BSA1, 60),
            Stage::Preparing,
        )?;
        self.take(
            &spec(ex, "Uma Fiction", "George Example", "DEMO-1007", fs, Format::Digital, BSA1, 18),
            Stage::Scheduled,
        )?;
        self.take(&spec(fb, "Vic Unreal", "Hana Specimen", "DEMO-1008", cic, Format::Paper, BSA2, 25), Stage::Viewed)?;
        self.take(&spec(ic, "Will Dummy", "Isla Mockup", "DEMO-1009", fs, Format::Paper, BSA1, 90), Stage::Complete)?;
        self.take(
            &spec(ex, "Rita Madeup", "Jack Pretence", "DEMO-1010", cic, Format::Digital, BSA2, 70),
            Stage::Complete,
        )?;

        // Refused by the asset owner.
        let s = spec(fb, "Sam Notreal", "Kara Testdata", "DEMO-1011", fs, Format::Paper, BSA1, 35);
        let r = self.take(&s, Stage::AwaitingApproval)?;
        let me = self.login.clone();
        self.act(&me)?;
        self.change(
            &r,
            Change::Decide(ApprovalForm {
                approver: me,
                decided: self.day(25),
                reason: "Not necessary: the requester already holds the assessment (demo)".into(),
                approve: String::new(),
                ..Default::default()
            }),
        )?;

        // Withdrawn by the requester.
        let s = spec(ic, "Tia Invented", "Liam Placeholder", "DEMO-1012", cic, Format::Paper, BSA2, 45);
        let r = self.take(&s, Stage::AwaitingForm)?;
        self.change(
            &r,
            Change::Withdraw {
                date: self.day(30),
                reason: "Family moved again; requester no longer needs the file (demo)".into(),
            },
        )?;

        // A viewing where the visitor was left alone: an open incident.
        let s = Spec {
            supervised: false,
            ..spec(ex, "Uma Fiction", "Maya Nonesuch", "DEMO-1013", fs, Format::Paper, BSA1, 28)
        };
        self.take(&s, Stage::Viewed)?;

        // CAFCASS and police: redirected, not processed.
        self.act(BSA1)?;
        for org in ["CAFCASS (demo)", "Demo Constabulary"] {
            self.svc.apply(Op::NewRequest(NewRequestForm {
                received: self.day(5),
                channel: "email".into(),
                organisation: org.into(),
                ..Default::default()
            }))?;
        }

        // A direct share: a copy of the last assessment, with its case note.
        let out = self
            .svc
            .apply(Op::DirectShare(Box::new(DirectShareForm {
                request: NewRequestForm {
                    received: self.day(12),
                    channel: "email".into(),
                    organisation: fb.into(),
                    requester_name: "Vic Unreal".into(),
                    subjects: vec![SubjectForm {
                        name: "Noah Madeupson".into(),
                        dob: "2014-02-02".into(),
                        mosaic_id: "DEMO-1014".into(),
                    }],
                    purpose: "Family moved out before the case opened here; last assessment requested (demo)".into(),
                    service_area: fs.into(),
                    ..Default::default()
                },
                items: vec![ItemForm {
                    description: "Last child and family assessment".into(),
                    third_party: String::new(),
                }],
                basis: demo_basis(),
                shared_on: self.day(11),
                method: "Secure email (demo)".into(),
                // Family Support's asset owner is the person running the demo.
                decided_by: self.login.clone(),
                decided: self.day(11),
                reason: "The new authority holds the case; the last assessment is what it needs (demo)".into(),
                evidence_date: self.day(11),
                evidence_ref: "Email from the asset owner (demo)".into(),
            })))?
            .created();
        self.change(&out.reference, Change::CaseNoteRecorded { date: self.day(10), mosaic_ref: "CN-DEMO-DS".into() })?;
        self.change(&out.reference, Change::Complete { date: self.day(10) })?;

        // Past their retention dates (placeholders: 6 years for a request that
        // shared, 2 for one that did not): for `retention due` and disposal.
        let s = Spec {
            dob: "2009-11-23",
            ..spec(ic, "Will Dummy", "Olive Oldfile", "DEMO-1015", cic, Format::Paper, BSA2, 2300)
        };
        self.take(&s, Stage::Complete)?;
        let s = spec(ex, "Uma Fiction", "Pip Pastcase", "DEMO-1016", fs, Format::Paper, BSA1, 1000);
        let r = self.take(&s, Stage::AwaitingForm)?;
        self.change(
            &r,
            Change::Withdraw {
                date: self.day(990),
                reason: "Requester's team closed the case before the form came back (demo)".into(),
            },
        )?;
        let me = self.login.clone();
        self.act(&me)
    }
}

/// A lawful basis SPEC section 2 accepts as it stands: public task, Art. 9(2)(g)
/// with Sch.1 Part 2 para 18 (consent would prejudice the child's protection), no
/// criminal offence data, the duty to help another authority that asks (s.27).
fn demo_basis() -> BasisForm {
    BasisForm {
        art6: "6_1_e".into(),
        art9: "9_2_g".into(),
        sch1: "p2_18".into(),
        consent_not_obtained: "would_prejudice".into(),
        criminal: "no".into(),
        power: "ca1989_s27".into(),
        guidance: "wt2023,dfe_is2024".into(),
        necessity: "The requesting authority cannot assess risk without the history (demo)".into(),
        consent_sought: "no".into(),
        consent_note: "Seeking consent could place the child at risk (demo)".into(),
        dsa_exists: "no".into(),
        security: "Viewed on site with an LCC observer present (demo)".into(),
        retention: "Notes kept on the requester's case record under their retention schedule (demo)".into(),
        controller: "separate".into(),
        dpia_considered: "no".into(),
        ..BasisForm::default()
    }
}
