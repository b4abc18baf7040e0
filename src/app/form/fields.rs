//! Which fields each form has, by name and type. `fields!` declares a form's inputs
//! and, from the same list, the struct of typed values they hold; `kinds!` ties each
//! [`FormKind`] to its fields. Saving reads those values by field name, so a misspelt
//! or missing field does not compile, where a string-keyed map silently sent "".

use super::FormKind;
use super::input::{Checks, Choice, Date, Input, Part, Text, YesNo};
use crate::domain::{
    Art6Basis, Art9Gateway, Channel, ConsentNotObtained, ControllerRelationship, Format, Guidance, OrgKind,
    Sch1Condition, StatutoryPower, Venue, ViewingMethod,
};

/// Declares a group of inputs (`$name`) and the typed values it holds (`$values`),
/// with the same field names; the inputs are shown in the order listed.
macro_rules! fields {
    ($(#[$m:meta])* $name:ident => $values:ident { $($(#[$fm:meta])* $f:ident : $t:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone)]
        pub struct $name { $($(#[$fm])* pub $f: $t),* }

        $(#[$m])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $values { $($(#[$fm])* pub $f: <$t as Part>::Value),* }

        impl Part for $name {
            type Value = $values;
            fn value(&self) -> $values {
                $values { $($f: self.$f.value()),* }
            }
            fn inputs<'a>(&'a self, out: &mut Vec<&'a dyn Input>) {
                $(self.$f.inputs(out);)*
            }
            fn inputs_mut<'a>(&'a mut self, out: &mut Vec<&'a mut dyn Input>) {
                $(self.$f.inputs_mut(out);)*
            }
            fn refill_from(&mut self, old: &Self) {
                $(self.$f.refill_from(&old.$f);)*
            }
        }
    };
}

/// Ties each form kind to its fields: `Fields` (the inputs of an open form) and
/// `Values` (what a save sends), one variant per kind.
macro_rules! kinds {
    ($($kind:ident($fields:ty)),* $(,)?) => {
        /// An open form's inputs, by kind.
        // At most one form is open; a box per variant would buy nothing.
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug, Clone)]
        pub enum Fields { $($kind($fields)),* }

        /// What a form holds when it is saved, typed, by kind.
        // One save at a time, as for `Fields`.
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug, Clone, PartialEq)]
        pub enum Values { $($kind(<$fields as Part>::Value)),* }

        impl Fields {
            pub fn kind(&self) -> FormKind {
                match self { $(Fields::$kind(_) => FormKind::$kind),* }
            }
            pub fn values(&self) -> Values {
                match self { $(Fields::$kind(f) => Values::$kind(f.value())),* }
            }
            /// The inputs in the order they are shown.
            pub fn inputs(&self) -> Vec<&dyn Input> {
                let mut out = Vec::new();
                match self { $(Fields::$kind(f) => f.inputs(&mut out)),* }
                out
            }
            pub fn inputs_mut(&mut self) -> Vec<&mut dyn Input> {
                let mut out = Vec::new();
                match self { $(Fields::$kind(f) => f.inputs_mut(&mut out)),* }
                out
            }
            /// Takes over what was typed into a form of the same kind.
            pub fn refill_from(&mut self, old: &Fields) {
                match (self, old) {
                    $((Fields::$kind(f), Fields::$kind(o)) => f.refill_from(o),)*
                    _ => {}
                }
            }
        }

        impl Values {
            pub fn kind(&self) -> FormKind {
                match self { $(Values::$kind(_) => FormKind::$kind),* }
            }
        }
    };
}

fields! {
    /// Who asked, for which children, and why (step 1, and a direct share's first part).
    RequestFields => RequestValues {
        received: Date,
        channel: Choice<Channel>,
        /// By name.
        organisation: Choice<String>,
        requester_name: Text,
        requester_role: Text,
        requester_email: Text,
        requester_phone: Text,
        subject_name: Text,
        subject_mosaic: Text,
        subject_dob: Date,
        /// One per line: name | Mosaic ID | date of birth.
        more_subjects: Text,
        purpose: Text,
        /// By name.
        service_area: Choice<String>,
    }
}

fields! {
    /// The lawful basis and the ICO decision-record fields.
    BasisFields => BasisValues {
        art6: Choice<Art6Basis>,
        art9: Choice<Art9Gateway>,
        sch1: Choice<Sch1Condition>,
        consent_not_obtained: Choice<ConsentNotObtained>,
        /// `no`, or the Schedule 1 condition's code.
        criminal: Choice<String>,
        power: Choice<StatutoryPower>,
        power_detail: Text,
        guidance: Checks<Guidance>,
        guidance_other: Text,
        notes: Text,
        necessity: Text,
        /// `yes` / `no`, unset until answered.
        consent_sought: Choice<String>,
        consent_note: Text,
        /// `yes` / `no` / `n/a`, unset until answered.
        dsa: Choice<String>,
        dsa_note: Text,
        security: Text,
        retention: Text,
        controller: Choice<ControllerRelationship>,
        /// `yes` / `no`, unset until answered.
        dpia: Choice<String>,
        dpia_outcome: Text,
    }
}

fields! { NewRequestFields => NewRequestValues { request: RequestFields, format: Choice<Format> } }

fields! {
    DirectShareFields => DirectShareValues {
        request: RequestFields,
        /// One item per line.
        items: Text,
        basis: BasisFields,
        shared_on: Date,
        method: Text,
        /// The decision to share, as for an approval.
        decided_by: Choice<String>,
        decided: Date,
        reason: Text,
        evidence_date: Date,
        evidence_ref: Text,
    }
}

fields! {
    /// A step that is only its date.
    DateFields => DateValues { date: Date }
}

fields! {
    CorrectFields => CorrectValues {
        requester_name: Text,
        requester_role: Text,
        requester_email: Text,
        requester_phone: Text,
        purpose: Text,
    }
}

fields! {
    ScopeFields => ScopeValues {
        returned: Date,
        /// One per line; `description | agency` for another agency's material.
        items: Text,
        purpose: Text,
        basis: BasisFields,
    }
}

fields! { AddItemFields => AddItemValues { description: Text, agency: Text } }

fields! {
    ItemConsentFields => ItemConsentValues {
        /// By item number.
        item: Choice<i64>,
        date: Date,
        consent_ref: Text,
    }
}

fields! {
    ApproveFields => ApproveValues {
        /// The asset owner's login.
        approver: Choice<String>,
        date: Date,
        /// Item numbers approved.
        items: Checks<i64>,
        reason: Text,
        evidence_date: Date,
        evidence_ref: Text,
        /// One per line: `N | reason` for a declined item.
        decline_reasons: Text,
    }
}

fields! {
    RefuseFields => RefuseValues {
        /// The asset owner's login.
        approver: Choice<String>,
        date: Date,
        reason: Text,
        evidence_date: Date,
        evidence_ref: Text,
    }
}

fields! { RestoreRequestedFields => RestoreRequestedValues { date: Date, restore_ref: Text } }

fields! {
    MosaicChecksFields => MosaicChecksValues { date: Date, location_updated: YesNo, not_locked: YesNo }
}

fields! {
    BookFields => BookValues {
        venue: Choice<Venue>,
        /// By name.
        room: Choice<String>,
        day: Date,
        start: Text,
        end: Text,
        teams_reason: Text,
    }
}

fields! {
    ViewingFields => ViewingValues {
        day: Date,
        start: Text,
        end: Text,
        viewers: Text,
        /// The viewer's organisation's name: a registered local authority.
        viewer_org: Choice<String>,
        /// The supervisor's login.
        supervisor: Choice<String>,
        method: Choice<ViewingMethod>,
        /// Item numbers shown.
        items: Checks<i64>,
        notes: Text,
        /// Asked with nothing chosen: a person answers it.
        supervised: Choice<bool>,
        /// The login of who confirms the answer, picked.
        confirmed_by: Choice<String>,
        /// Screen or Teams viewings: only LCC devices and logins used.
        lcc_devices: Choice<bool>,
        what_happened: Text,
        /// The item number of a copy given, as typed (the service checks it).
        copy_item: Text,
        copy_reason: Text,
        /// Screen or Teams viewings: whether anything was downloaded, and what.
        downloaded: Choice<bool>,
        download_item: Text,
        download_reason: Text,
    }
}

fields! {
    IncidentReferredFields => IncidentReferredValues {
        /// By incident number.
        incident: Choice<i64>,
        date: Date,
        ig_ref: Text,
    }
}

fields! { CaseNoteRecordedFields => CaseNoteRecordedValues { date: Date, mosaic_ref: Text } }

fields! {
    /// Step 11: when, and where the files were put away.
    FilesReturnedFields => FilesReturnedValues { date: Date, secured_at: Text }
}

fields! { WithdrawFields => WithdrawValues { date: Date, reason: Text } }

fields! { ImportFields => ImportValues { file: Text, mapping: Text, dry_run: YesNo } }

/// What an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Xlsx,
    Csv,
}

fields! {
    ExportFields => ExportValues {
        format: Choice<ExportFormat>,
        path: Text,
        with_log: YesNo,
        /// The Decision record sheet (admin or ig).
        audit: YesNo,
    }
}

/// Which the subject report is asked by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectBy {
    MosaicId,
    Name,
}

fields! { SubjectReportFields => SubjectReportValues { by: Choice<SubjectBy>, text: Text } }

fields! {
    /// A disposal of one request: who authorised it, why, and why early if it is.
    DisposeFields => DisposeValues {
        /// By login.
        authorised_by: Choice<String>,
        reason: Text,
        early: Text,
    }
}

fields! {
    /// A legal hold: why.
    HoldFields => HoldValues { reason: Text }
}

/// A legal hold released: nothing to type, only y/n.
#[derive(Debug, Clone)]
pub struct ReleaseFields;

/// A legal hold released: nothing to type, only y/n.
#[derive(Debug, Clone, PartialEq)]
pub struct ReleaseValues;

impl Part for ReleaseFields {
    type Value = ReleaseValues;
    fn value(&self) -> ReleaseValues {
        ReleaseValues
    }
    fn inputs<'a>(&'a self, _: &mut Vec<&'a dyn Input>) {}
    fn inputs_mut<'a>(&'a mut self, _: &mut Vec<&'a mut dyn Input>) {}
    fn refill_from(&mut self, _: &Self) {}
}

/// What an administration form changes: which kind of row (its tab) and which row
/// (a login, a name, a setting's key, a holiday's date). Shown above the fields,
/// never typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdminTarget {
    pub tab: crate::app::admin::AdminTab,
    pub key: String,
}

impl Part for AdminTarget {
    type Value = AdminTarget;
    fn value(&self) -> AdminTarget {
        self.clone()
    }
    fn inputs<'a>(&'a self, _: &mut Vec<&'a dyn Input>) {}
    fn inputs_mut<'a>(&'a mut self, _: &mut Vec<&'a mut dyn Input>) {}
    fn refill_from(&mut self, _: &Self) {}
}

fields! {
    /// A login registered.
    StaffAddFields => StaffAddValues { login: Text, name: Text, position: Text, email: Text, roles: Text }
}

fields! {
    /// A service area and its asset owner (by login).
    AreaAddFields => AreaAddValues { name: Text, owner: Choice<String> }
}

fields! { OrgAddFields => OrgAddValues { name: Text, kind: Choice<OrgKind> } }

fields! {
    RoomAddFields => RoomAddValues {
        name: Text,
        location: Text,
        observer_space: YesNo,
        secure_storage: YesNo,
        teams: YesNo,
    }
}

fields! { HolidayAddFields => HolidayAddValues { date: Date, name: Text } }

fields! {
    /// A row's new name (or a setting's new value, a login's new roles).
    AdminTextFields => AdminTextValues { target: AdminTarget, text: Text }
}

fields! {
    /// A row retired, reinstated or removed: nothing to type, only y/n.
    AdminTargetFields => AdminTargetValues { target: AdminTarget }
}

fields! { AreaOwnerFields => AreaOwnerValues { target: AdminTarget, owner: Choice<String> } }

fields! { OrgKindFields => OrgKindValues { target: AdminTarget, kind: Choice<OrgKind> } }

fields! { OrgUnaliasFields => OrgUnaliasValues { target: AdminTarget, alias: Choice<String> } }

kinds! {
    NewRequest(NewRequestFields),
    DirectShare(DirectShareFields),
    FormSent(DateFields),
    Scope(ScopeFields),
    Basis(BasisFields),
    AddItem(AddItemFields),
    ItemConsent(ItemConsentFields),
    Approve(ApproveFields),
    Refuse(RefuseFields),
    RestoreRequested(RestoreRequestedFields),
    Restored(DateFields),
    MosaicChecks(MosaicChecksFields),
    Book(BookFields),
    Confirm(DateFields),
    Viewing(ViewingFields),
    IncidentReferred(IncidentReferredFields),
    CaseNoteRecorded(CaseNoteRecordedFields),
    FilesReturned(FilesReturnedFields),
    Complete(DateFields),
    Withdraw(WithdrawFields),
    Correct(CorrectFields),
    Import(ImportFields),
    Export(ExportFields),
    SubjectReport(SubjectReportFields),
    Dispose(DisposeFields),
    Hold(HoldFields),
    Release(ReleaseFields),
    StaffAdd(StaffAddFields),
    AreaAdd(AreaAddFields),
    OrgAdd(OrgAddFields),
    RoomAdd(RoomAddFields),
    HolidayAdd(HolidayAddFields),
    AdminRename(AdminTextFields),
    AdminRoles(AdminTextFields),
    AdminSetting(AdminTextFields),
    AdminRetire(AdminTargetFields),
    AdminReinstate(AdminTargetFields),
    HolidayRemove(AdminTargetFields),
    AreaOwner(AreaOwnerFields),
    OrgKindSet(OrgKindFields),
    OrgAlias(AdminTextFields),
    OrgUnalias(OrgUnaliasFields),
}
