//! The council's vocabulary as closed enums: roles, organisation kinds, formats,
//! steps, statuses, decisions, viewing methods and venues (the lawful-basis picklists are
//! in [`super::basis`]).
//!
//! Every enum round-trips through a stable lower-case code (`as_code` / `FromStr`),
//! which is what the database and the CLI use; `label` is what people read.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Declares a code-mapped enum with `as_code`, `label`, `ALL`, `FromStr` and `Display`.
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = ($code:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        // JSON, the event log and the database all spell a value by its code.
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_code())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let code = String::deserialize(d)?;
                code.parse().map_err(serde::de::Error::custom)
            }
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The stable code stored in the database and accepted on the command line.
            pub fn as_code(self) -> &'static str { match self { $($name::$variant => $code),+ } }
            /// The words a person reads.
            pub fn label(self) -> &'static str { match self { $($name::$variant => $label),+ } }
            /// The accepted codes, comma separated, for error messages.
            pub fn codes() -> String { Self::ALL.iter().map(|v| v.as_code()).collect::<Vec<_>>().join(", ") }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                let wanted = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
                Self::ALL.iter().copied().find(|v| v.as_code() == wanted)
                    .ok_or_else(|| format!("'{}' is not one of: {}", s.trim(), Self::codes()))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.label()) }
        }
    };
}
pub(crate) use coded_enum;

coded_enum! {
    /// What a staff member may do. A login may hold several roles (except read-only).
    Role {
        /// Business support assistant: records requests and drives the steps.
        Bsa = ("bsa", "BSA"),
        /// Service manager; approves sharing for the areas they own.
        Manager = ("manager", "Service manager"),
        /// Keeps staff, service areas, organisations and rooms.
        Admin = ("admin", "Administrator"),
        /// Looks things up; changes nothing.
        Readonly = ("readonly", "Read-only"),
        /// Information governance: changes nothing, but may run the subject report
        /// and the audit export (combines with other roles).
        Ig = ("ig", "Information governance"),
    }
}

coded_enum! {
    /// What kind of body the requesting organisation is; decides the route.
    OrgKind {
        LocalAuthority = ("local_authority", "Local authority"),
        Cafcass = ("cafcass", "CAFCASS"),
        Police = ("police", "Police"),
        Health = ("health", "Health / NHS"),
        Solicitor = ("solicitor", "Solicitor"),
        Individual = ("individual", "Individual / parent"),
        Other = ("other", "Other body"),
    }
}

coded_enum! {
    /// How a request arrived.
    Channel {
        Email = ("email", "Email"),
        Phone = ("phone", "Phone"),
        Letter = ("letter", "Letter"),
        Form = ("form", "MS Form"),
        InPerson = ("in_person", "In person"),
    }
}

coded_enum! {
    /// Whether the files will be viewed on paper, on screen, or both.
    Format {
        Paper = ("paper", "Physical (paper)"),
        Digital = ("digital", "Digital"),
        Both = ("both", "Physical and digital"),
    }
}

impl Format {
    /// Physical files are involved, so restore and return steps apply.
    pub fn has_paper(self) -> bool {
        matches!(self, Format::Paper | Format::Both)
    }
}

coded_enum! {
    /// Which path a request follows.
    RequestKind {
        /// The full process: form, approval, viewing.
        Viewing = ("viewing", "Viewing"),
        /// A copy shared directly (last assessment, chronology, letter of involvement).
        DirectShare = ("direct_share", "Direct share"),
        /// Not for this process (CAFCASS, or not a local authority): redirected.
        Redirect = ("redirect", "Redirected"),
    }
}

coded_enum! {
    /// Derived from the steps; never typed in.
    Status {
        New = ("new", "New"),
        AwaitingForm = ("awaiting_form", "Awaiting form"),
        AwaitingApproval = ("awaiting_approval", "Awaiting approval"),
        Preparing = ("preparing", "Preparing"),
        Scheduled = ("scheduled", "Scheduled"),
        Viewed = ("viewed", "Viewed"),
        Complete = ("complete", "Complete"),
        Refused = ("refused", "Refused"),
        Withdrawn = ("withdrawn", "Withdrawn"),
        Redirected = ("redirected", "Redirected"),
    }
}

impl Status {
    /// Closed requests accept no further steps.
    pub fn is_closed(self) -> bool {
        matches!(self, Status::Complete | Status::Refused | Status::Withdrawn | Status::Redirected)
    }
}

coded_enum! {
    /// The steps of the checklist (SPEC.md section 3), plus the direct-share step.
    Step {
        Received = ("received", "Request received"),
        FormSent = ("form_sent", "Request form sent"),
        Scope = ("scope", "Form returned, scope captured"),
        Approval = ("approval", "Approval by asset owner"),
        RestoreRequested = ("restore_requested", "Files restore requested"),
        FilesAvailable = ("files_available", "Files restored, Mosaic checked"),
        VenueBooked = ("venue_booked", "Venue booked"),
        Confirmed = ("confirmed", "Date and venue confirmed"),
        Viewing = ("viewing", "Viewing(s) logged"),
        DirectShare = ("direct_share", "Copy shared directly"),
        CaseNote = ("case_note", "Case note recorded in Mosaic"),
        FilesReturned = ("files_returned", "Files returned / secured"),
        Complete = ("complete", "Request complete"),
    }
}

impl Step {
    /// The number shown in the checklist (SPEC.md section 3); the direct-share step shares 9.
    pub fn number(self) -> u8 {
        match self {
            Step::Received => 1,
            Step::FormSent => 2,
            Step::Scope => 3,
            Step::Approval => 4,
            Step::RestoreRequested => 5,
            Step::FilesAvailable => 6,
            Step::VenueBooked => 7,
            Step::Confirmed => 8,
            Step::Viewing | Step::DirectShare => 9,
            Step::CaseNote => 10,
            Step::FilesReturned => 11,
            Step::Complete => 12,
        }
    }
}

coded_enum! {
    /// The asset owner's decision, derived from the per-item decisions.
    Decision {
        Approved = ("approved", "Approved"),
        ApprovedInPart = ("approved_in_part", "Approved in part"),
        Refused = ("refused", "Refused"),
    }
}

coded_enum! {
    /// How the visitor saw the files.
    ViewingMethod {
        InPersonPaper = ("in_person_paper", "In person, paper"),
        InPersonScreen = ("in_person_screen", "In person, screen"),
        TeamsScreenShare = ("teams_screen_share", "Teams screen share"),
    }
}

impl ViewingMethod {
    /// Whether this method fits the request's format.
    pub fn fits(self, format: Format) -> bool {
        match self {
            ViewingMethod::InPersonPaper => format.has_paper(),
            ViewingMethod::InPersonScreen | ViewingMethod::TeamsScreenShare => {
                matches!(format, Format::Digital | Format::Both)
            }
        }
    }
}

coded_enum! {
    /// Where a viewing takes place.
    Venue {
        /// A private room with space for the LCC observer and secure storage.
        Room = ("room", "Private room"),
        /// A visit to a room with Teams, screen-sharing the relevant parts.
        TeamsRoom = ("teams_room", "Visit + Teams room"),
        /// A Teams meeting with screen share: the last resort, reason required.
        TeamsMeeting = ("teams_meeting", "Teams meeting (last resort)"),
    }
}

coded_enum! {
    /// The routine correspondence caseshare writes.
    LetterKind {
        /// Acknowledgement, with the "Request to view Children's Service Records" form.
        Acknowledgement = ("acknowledgement", "Acknowledgement with the request form"),
        /// The decision not to share (all or some items), with the reasons.
        Refusal = ("refusal", "Refusal, with the reasons"),
        /// Date and venue, with the rules for the visit.
        Confirmation = ("confirmation", "Confirmation of date and venue"),
        /// The Mosaic case note.
        CaseNote = ("case_note", "Mosaic case note"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_name_the_choices() {
        for s in Step::ALL {
            assert_eq!(s.as_code().parse::<Step>().unwrap(), *s);
        }
        assert_eq!("Teams-Meeting".parse::<Venue>().unwrap(), Venue::TeamsMeeting);
        let err = "fax".parse::<Channel>().unwrap_err();
        assert!(err.contains("email, phone"), "{err}");
    }

    #[test]
    fn viewing_method_must_fit_the_format() {
        assert!(ViewingMethod::InPersonPaper.fits(Format::Paper));
        assert!(!ViewingMethod::InPersonPaper.fits(Format::Digital));
        assert!(ViewingMethod::TeamsScreenShare.fits(Format::Both));
        assert!(!ViewingMethod::TeamsScreenShare.fits(Format::Paper));
    }
}
