//! Invented requests at each stage, for the domain's own tests.

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};

use super::basis::*;
use super::request::*;
use super::types::*;

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn t(s: &str) -> NaiveTime {
    NaiveTime::parse_from_str(s, "%H:%M").unwrap()
}

pub fn staff(id: i64, login: &str, name: &str, roles: &[Role]) -> Staff {
    Staff {
        id,
        login: login.into(),
        name: name.into(),
        position: "Test position".into(),
        email: String::new(),
        roles: roles.to_vec(),
        active: true,
    }
}

/// The BSA who records requests (id 1).
pub fn bsa() -> Staff {
    staff(1, "absa", "Ann Bsa", &[Role::Bsa])
}

/// The asset owner of the Family Support area (id 2).
pub fn owner() -> Staff {
    staff(2, "mowner", "Max Owner", &[Role::Manager])
}

/// Another manager who owns nothing here (id 3).
pub fn other_manager() -> Staff {
    staff(3, "oman", "Olive Other", &[Role::Manager])
}

/// A staff member who supervises viewings (id 4).
pub fn observer() -> Staff {
    staff(4, "bobs", "Bea Observer", &[Role::Bsa])
}

/// A read-only on-call login (id 5).
pub fn oncall() -> Staff {
    staff(5, "ocall", "On Call", &[Role::Readonly])
}

/// A new request received 01/10/2026, nothing else done.
pub fn new_request(format: Format) -> RequestFile {
    let bsa = bsa().as_ref();
    RequestFile {
        request: Request {
            id: 1,
            reference: "REQ-2026-0001".into(),
            kind: RequestKind::Viewing,
            status: Status::New,
            version: 1,
            updated_by: "absa".into(),
            updated_at: Utc.with_ymd_and_hms(2026, 10, 1, 9, 0, 0).unwrap(),
            created_by: bsa.clone(),
            owner: bsa,
            received_on: d("2026-10-01"),
            channel: Channel::Email,
            organisation: Organisation {
                id: 1,
                name: "Exampleshire County Council".into(),
                kind: OrgKind::LocalAuthority,
                retired_on: None,
            },
            requester: Requester {
                name: "Rita Requester".into(),
                role: "Social worker".into(),
                ..Requester::default()
            },
            purpose: "Child protection enquiry".into(),
            service_area: Some(ServiceArea {
                id: 1,
                name: "Family Support".into(),
                asset_owner: owner().as_ref(),
                retired_on: None,
            }),
            format: Some(format),
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
        subjects: vec![Subject {
            id: 1,
            name: "Tom Fictional".into(),
            dob: Some(d("2015-04-01")),
            mosaic_id: "M000001".into(),
        }],
        items: vec![],
        approvals: vec![],
        bookings: vec![],
        viewings: vec![],
        incidents: vec![],
        ticks: vec![],
    }
}

/// Form sent 02/10, returned 10/10 with two items (the second is police material).
pub fn scoped(format: Format) -> RequestFile {
    let mut f = new_request(format);
    f.request.form_sent_on = Some(d("2026-10-02"));
    f.request.form_returned_on = Some(d("2026-10-10"));
    f.request.basis = LawfulBasis {
        art6: Some(Art6Basis::PublicTask),
        art9: Some(Art9Gateway::SubstantialPublicInterest),
        sch1: Some(Sch1Condition::P2Safeguarding),
        consent_not_obtained: Some(ConsentNotObtained::WouldPrejudice),
        criminal: Some(false),
        power: Some(StatutoryPower::S27),
        ..LawfulBasis::default()
    };
    f.items = vec![
        ScopeItem {
            id: 11,
            number: 1,
            description: "Core assessment 2025".into(),
            third_party: None,
            agency_consent_on: None,
            agency_consent_ref: None,
            approved: None,
            added_on: Some(d("2026-10-10")),
            decline_reason: None,
        },
        ScopeItem {
            id: 12,
            number: 2,
            description: "Police report".into(),
            third_party: Some("Police".into()),
            agency_consent_on: None,
            agency_consent_ref: None,
            approved: None,
            added_on: Some(d("2026-10-10")),
            decline_reason: None,
        },
    ];
    f.request.status = super::derive_status(&f);
    f
}

/// Scoped, then item 1 approved and item 2 declined on 12/10.
pub fn approved(format: Format) -> RequestFile {
    let mut f = scoped(format);
    f.items[0].approved = Some(true);
    f.items[1].approved = Some(false);
    f.approvals.push(Approval {
        id: 1,
        decision: Decision::ApprovedInPart,
        approver: owner().as_ref(),
        decided_on: d("2026-10-12"),
        evidence_date: None,
        evidence_ref: None,
        reason: "Only the assessment is necessary".into(),
        recorded_by: owner().as_ref(),
    });
    f.request.status = super::derive_status(&f);
    f
}

/// Approved, step 6 done (physical files: restore requested 13/10 and restored
/// 14/10; Mosaic checked 14/10), venue booked for 20/10 and confirmed on 13/10.
pub fn scheduled(format: Format) -> RequestFile {
    let mut f = approved(format);
    if format.has_paper() {
        f.request.restore_requested_on = Some(d("2026-10-13"));
        f.request.restore_ref = Some("RST-1".into());
        f.request.restored_on = Some(d("2026-10-14"));
    }
    f.request.mosaic_checked_on = Some(d("2026-10-14"));
    f.bookings.push(Booking {
        id: 1,
        venue: if format == Format::Digital { Venue::TeamsRoom } else { Venue::Room },
        room_id: Some(1),
        room_name: Some("Room 1".into()),
        day: d("2026-10-20"),
        start: t("10:00"),
        end: t("12:00"),
        teams_reason: None,
        room_location: Some("Ground floor, County Hall".into()),
    });
    f.request.confirmed_on = Some(d("2026-10-13"));
    f.request.status = super::derive_status(&f);
    f
}

/// Scheduled and viewed on 20/10 (item 1, supervised by Bea Observer).
pub fn viewed(format: Format) -> RequestFile {
    let mut f = scheduled(format);
    f.viewings.push(Viewing {
        id: 1,
        day: d("2026-10-20"),
        start: t("10:00"),
        end: t("11:30"),
        viewers: "Rita Requester".into(),
        viewer_org: "Exampleshire County Council".into(),
        viewer_org_id: Some(1),
        supervisor: observer().as_ref(),
        method: if format == Format::Digital { ViewingMethod::TeamsScreenShare } else { ViewingMethod::InPersonPaper },
        item_ids: vec![11],
        notes: String::new(),
        copies: vec![],
        supervised: true,
        unsupervised_note: None,
        supervision_confirmed_by: Some(observer().as_ref()),
        lcc_devices_only: (format == Format::Digital).then_some(true),
        downloads: (format == Format::Digital).then(Vec::new),
    });
    f.request.status = super::derive_status(&f);
    f
}

/// A paper request viewed, for the case note test.
pub fn paper_request() -> RequestFile {
    viewed(Format::Paper)
}
