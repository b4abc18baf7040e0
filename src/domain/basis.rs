//! The lawful-basis picklists (SPEC section 2, principle 1) and how they fit
//! together: the UK GDPR Art. 6 basis, the Art. 9(2) gateway for special category
//! data with the DPA 2018 Schedule 1 condition some gateways need, the condition for
//! criminal offence data (DPA 2018 s.10(5)), the statutory power and the guidance
//! relied on; also the decision-record answers (agreement, controllers) and the
//! mapping from the codes stored before schema 10.
//!
//! Pure: no IO. Which combinations are refused or questioned is in
//! [`super::rules`] (`check_basis`, `basis_questions`).

use super::types::coded_enum;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

coded_enum! {
    /// UK GDPR Article 6 lawful bases that apply to council sharing.
    Art6Basis {
        LegalObligation = ("6_1_c", "Art. 6(1)(c) legal obligation"),
        VitalInterests = ("6_1_d", "Art. 6(1)(d) vital interests"),
        PublicTask = ("6_1_e", "Art. 6(1)(e) public task"),
    }
}

coded_enum! {
    /// The UK GDPR Art. 9(2) gateway for special category data (or none shared).
    Art9Gateway {
        NotSpecialCategory = ("none", "No special category data"),
        ExplicitConsent = ("9_2_a", "Art. 9(2)(a) explicit consent"),
        SocialProtection = ("9_2_b", "Art. 9(2)(b) employment, social security and social protection"),
        VitalInterests = ("9_2_c", "Art. 9(2)(c) vital interests"),
        LegalClaims = ("9_2_f", "Art. 9(2)(f) legal claims or judicial acts"),
        SubstantialPublicInterest = ("9_2_g", "Art. 9(2)(g) substantial public interest"),
        HealthOrSocialCare = ("9_2_h", "Art. 9(2)(h) health or social care"),
    }
}

coded_enum! {
    /// A DPA 2018 Schedule 1 condition: Part 1 and Part 2 give some Art. 9(2) gateways
    /// their basis in law; Parts 1 to 3 are the conditions for criminal offence data.
    Sch1Condition {
        P1SocialProtection = ("p1_1", "DPA 2018 Sch.1 Part 1 para 1 employment, social security and social protection"),
        P1HealthSocialCare = ("p1_2", "DPA 2018 Sch.1 Part 1 para 2 health or social care purposes"),
        P2Statutory = ("p2_6", "DPA 2018 Sch.1 Part 2 para 6 statutory and government purposes"),
        P2UnlawfulActs = ("p2_10", "DPA 2018 Sch.1 Part 2 para 10 preventing or detecting unlawful acts"),
        P2Safeguarding = ("p2_18", "DPA 2018 Sch.1 Part 2 para 18 safeguarding of children and individuals at risk"),
        P3Consent = ("p3_29", "DPA 2018 Sch.1 Part 3 para 29 consent"),
        P3VitalInterests = ("p3_30", "DPA 2018 Sch.1 Part 3 para 30 vital interests"),
        P3LegalClaims = ("p3_33", "DPA 2018 Sch.1 Part 3 para 33 legal claims"),
    }
}

coded_enum! {
    /// Why consent was not obtained, which Sch.1 para 18 requires.
    ConsentNotObtained {
        CannotBeGiven = ("cannot_be_given", "consent cannot be given"),
        CannotReasonably = ("cannot_reasonably", "the council cannot reasonably be expected to obtain consent"),
        WouldPrejudice = ("would_prejudice", "obtaining consent would prejudice the child's protection"),
    }
}

coded_enum! {
    /// The statutory power relied on. (Children Act 2004 s.11 is not offered: it is a
    /// duty about how functions are carried out, not a power to share.)
    StatutoryPower {
        S17 = ("ca1989_s17", "Children Act 1989 s.17 (children in need)"),
        S27 = ("ca1989_s27", "Children Act 1989 s.27 (duty to help another authority that asks)"),
        S47 = ("ca1989_s47", "Children Act 1989 s.47 (the requesting authority's enquiries)"),
        S47Assist = ("ca1989_s47_9", "Children Act 1989 s.47(9)–(11) (duty to assist another authority's enquiries)"),
        S10 = ("ca2004_s10", "Children Act 2004 s.10 (co-operation to improve well-being)"),
        CourtOrder = ("court_order", "Court order"),
        Lga111 = ("lga1972_s111", "Local Government Act 1972 s.111 (subsidiary powers)"),
        Other = ("other", "Other enactment"),
    }
}

coded_enum! {
    /// Guidance relied on: its own field, beside the power.
    Guidance {
        WorkingTogether2023 = ("wt2023", "Working Together to Safeguard Children 2023"),
        DfeInfoSharing2024 = ("dfe_is2024", "DfE Information sharing: advice for practitioners (2024)"),
        IcoDataSharingCode = ("ico_dsc", "ICO data sharing code of practice"),
        IcoTenStep = ("ico_10step", "ICO 10 step guide to sharing information to safeguard children"),
    }
}

coded_enum! {
    /// Whether a data sharing agreement exists.
    AgreementAnswer {
        Yes = ("yes", "Yes"),
        No = ("no", "No"),
        NotApplicable = ("not_applicable", "Not applicable"),
    }
}

coded_enum! {
    /// Whether the recipient is a separate or a joint controller.
    ControllerRelationship {
        Separate = ("separate", "Separate controllers"),
        Joint = ("joint", "Joint controllers"),
    }
}

/// The code typed for Children Act 2004 s.11, refused as a power with this reason.
pub const CA2004_S11: &str = "ca2004_s11";

/// Why `ca2004_s11` is not accepted as the power relied on.
pub const CA2004_S11_REFUSED: &str = "Children Act 2004 s.11 is a duty to safeguard while carrying out functions, not a power to share: choose the power relied on (e.g. ca1989_s27 or ca1989_s47_9)";

impl Art9Gateway {
    /// The Schedule 1 conditions that give this gateway its basis in UK law (DPA 2018
    /// s.10); empty where the gateway needs none.
    pub fn conditions(self) -> &'static [Sch1Condition] {
        use Sch1Condition::*;
        match self {
            Art9Gateway::SocialProtection => &[P1SocialProtection],
            Art9Gateway::HealthOrSocialCare => &[P1HealthSocialCare],
            Art9Gateway::SubstantialPublicInterest => &[P2Statutory, P2UnlawfulActs, P2Safeguarding],
            _ => &[],
        }
    }

    /// "Art. 9(2)(h)" without its description, for messages.
    pub fn short(self) -> &'static str {
        match self {
            Art9Gateway::NotSpecialCategory => "no special category data",
            Art9Gateway::ExplicitConsent => "Art. 9(2)(a)",
            Art9Gateway::SocialProtection => "Art. 9(2)(b)",
            Art9Gateway::VitalInterests => "Art. 9(2)(c)",
            Art9Gateway::LegalClaims => "Art. 9(2)(f)",
            Art9Gateway::SubstantialPublicInterest => "Art. 9(2)(g)",
            Art9Gateway::HealthOrSocialCare => "Art. 9(2)(h)",
        }
    }
}

impl Sch1Condition {
    /// "Part 2 para 18" without the Act, for messages.
    pub fn short(self) -> &'static str {
        match self {
            Sch1Condition::P1SocialProtection => "Part 1 para 1",
            Sch1Condition::P1HealthSocialCare => "Part 1 para 2",
            Sch1Condition::P2Statutory => "Part 2 para 6",
            Sch1Condition::P2UnlawfulActs => "Part 2 para 10",
            Sch1Condition::P2Safeguarding => "Part 2 para 18",
            Sch1Condition::P3Consent => "Part 3 para 29",
            Sch1Condition::P3VitalInterests => "Part 3 para 30",
            Sch1Condition::P3LegalClaims => "Part 3 para 33",
        }
    }

    /// Para 18 applies only where consent is not obtained, and the reason is recorded.
    pub fn needs_consent_reason(self) -> bool {
        self == Sch1Condition::P2Safeguarding
    }

    /// Whether relying on it needs the council's appropriate policy document (DPA 2018
    /// Sch.1 Part 1 para 1 and every Part 2 condition; Part 4 says what it holds).
    pub fn needs_policy_document(self) -> bool {
        matches!(
            self,
            Sch1Condition::P1SocialProtection
                | Sch1Condition::P2Statutory
                | Sch1Condition::P2UnlawfulActs
                | Sch1Condition::P2Safeguarding
        )
    }
}

impl StatutoryPower {
    /// Whether the power places a duty on this council to share (what Art. 6(1)(c)
    /// legal obligation needs).
    pub fn imposes_duty_on_council(self) -> bool {
        matches!(self, StatutoryPower::S27 | StatutoryPower::S47Assist | StatutoryPower::CourtOrder)
    }
}

/// A decision-record answer that may be "not applicable", which then needs its reason:
/// typed `n/a: reason` or `not applicable: reason`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stated<'a> {
    Missing,
    Given,
    NotApplicable { reason: &'a str },
}

impl<'a> Stated<'a> {
    pub fn read(text: &'a str) -> Stated<'a> {
        let t = text.trim();
        if t.is_empty() {
            return Stated::Missing;
        }
        let lower = t.to_ascii_lowercase();
        for prefix in ["n/a", "not applicable", "na"] {
            let Some(rest) = lower.strip_prefix(prefix) else { continue };
            if rest.is_empty() || rest.starts_with(':') || rest.starts_with(' ') || rest.starts_with('-') {
                let reason = t[prefix.len()..].trim_start_matches([':', ' ', '-', '—']).trim();
                return Stated::NotApplicable { reason };
            }
        }
        Stated::Given
    }
}

/// What the codes stored before schema 10 become (SPEC section 2's model); what
/// cannot be mapped is said in `review`, never guessed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LegacyBasis {
    pub art9: Option<Art9Gateway>,
    pub sch1: Option<Sch1Condition>,
    pub power: Option<StatutoryPower>,
    pub agreement: Option<AgreementAnswer>,
    /// What a person must complete, in words; `None` when everything mapped.
    pub review: Option<String>,
}

/// Maps the old `art9`, `statutory_power` and `dsa_exists` values.
/// `already_agreed`: the agreement answer is already recorded (by this version),
/// so `dsa_exists` is not read again.
/// `power_detail`: the detail already recorded (an "other" that names its enactment
/// needs no review).
pub fn map_legacy(
    art9: Option<&str>,
    power: Option<&str>,
    power_detail: &str,
    dsa_exists: Option<i64>,
    already_agreed: bool,
) -> LegacyBasis {
    let mut out = LegacyBasis::default();
    let mut review: Vec<String> = Vec::new();
    match art9 {
        None => {}
        Some("safeguarding") => {
            out.art9 = Some(Art9Gateway::SubstantialPublicInterest);
            out.sch1 = Some(Sch1Condition::P2Safeguarding);
            review.push("Sch.1 para 18 needs the reason consent was not obtained".into());
        }
        Some("statutory") => {
            out.art9 = Some(Art9Gateway::SubstantialPublicInterest);
            out.sch1 = Some(Sch1Condition::P2Statutory);
        }
        Some("social_care") => {
            out.art9 = Some(Art9Gateway::HealthOrSocialCare);
            out.sch1 = Some(Sch1Condition::P1HealthSocialCare);
        }
        Some("legal_claims") => out.art9 = Some(Art9Gateway::LegalClaims),
        Some("none") => out.art9 = Some(Art9Gateway::NotSpecialCategory),
        // Already a gateway (written by this version): kept as it is.
        Some(code) if code.parse::<Art9Gateway>().is_ok() => out.art9 = code.parse().ok(),
        Some(other) => review.push(format!("unrecognised stored value '{other}' for the Art. 9 condition")),
    }
    match power {
        None => {}
        Some(CA2004_S11) => review.push(
            "the power was 'Children Act 2004 s.11 (safeguarding duty)', which is not a sharing power: choose the power relied on"
                .into(),
        ),
        Some("other") => {
            out.power = Some(StatutoryPower::Other);
            if power_detail.is_empty() {
                review.push("the power is 'other': name the enactment".into());
            }
        }
        Some(code) => match code.parse::<StatutoryPower>() {
            Ok(p) => out.power = Some(p),
            Err(_) => review.push(format!("unrecognised stored value '{code}' for the statutory power")),
        },
    }
    out.agreement = match dsa_exists {
        _ if already_agreed => None,
        Some(0) => Some(AgreementAnswer::No),
        Some(_) => Some(AgreementAnswer::Yes),
        None => None,
    };
    out.review = (!review.is_empty()).then(|| review.join("; "));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gateways_name_the_conditions_that_give_them_a_basis_in_law() {
        assert_eq!(Art9Gateway::HealthOrSocialCare.conditions(), &[Sch1Condition::P1HealthSocialCare]);
        assert_eq!(Art9Gateway::SocialProtection.conditions(), &[Sch1Condition::P1SocialProtection]);
        assert!(Art9Gateway::SubstantialPublicInterest.conditions().contains(&Sch1Condition::P2Safeguarding));
        assert!(Art9Gateway::LegalClaims.conditions().is_empty());
        assert!(Art9Gateway::NotSpecialCategory.conditions().is_empty());
        assert!(!StatutoryPower::S17.imposes_duty_on_council());
        assert!(StatutoryPower::S47Assist.imposes_duty_on_council());
        assert!(CA2004_S11.parse::<StatutoryPower>().is_err(), "s.11 is not offered");
        assert_eq!(serde_json::to_string(&Art6Basis::PublicTask).unwrap(), "\"6_1_e\"");
    }

    #[test]
    fn not_applicable_needs_its_reason() {
        assert_eq!(Stated::read(""), Stated::Missing);
        assert_eq!(Stated::read("Secure room, no copies"), Stated::Given);
        assert_eq!(Stated::read("n/a"), Stated::NotApplicable { reason: "" });
        assert_eq!(
            Stated::read("N/A: nothing leaves the room"),
            Stated::NotApplicable { reason: "nothing leaves the room" }
        );
        assert_eq!(Stated::read("not applicable - viewing only"), Stated::NotApplicable { reason: "viewing only" });
        assert_eq!(Stated::read("national guidance"), Stated::Given, "a word starting with na is an answer");
    }

    #[test]
    fn old_codes_map_and_what_cannot_is_left_for_review() {
        let m = map_legacy(Some("safeguarding"), Some("ca1989_s47"), "", Some(1), false);
        assert_eq!(m.art9, Some(Art9Gateway::SubstantialPublicInterest));
        assert_eq!(m.sch1, Some(Sch1Condition::P2Safeguarding));
        assert_eq!(m.power, Some(StatutoryPower::S47));
        assert_eq!(m.agreement, Some(AgreementAnswer::Yes));
        assert!(m.review.unwrap().contains("para 18"));
        let m = map_legacy(Some("statutory"), Some("ca2004_s11"), "", Some(0), false);
        assert_eq!((m.art9, m.sch1), (Some(Art9Gateway::SubstantialPublicInterest), Some(Sch1Condition::P2Statutory)));
        assert_eq!(m.power, None);
        assert!(m.review.unwrap().contains("not a sharing power"));
        let m = map_legacy(Some("social_care"), None, "", None, false);
        assert_eq!(
            (m.art9, m.sch1, m.review),
            (Some(Art9Gateway::HealthOrSocialCare), Some(Sch1Condition::P1HealthSocialCare), None)
        );
        let m = map_legacy(Some("legal_claims"), Some("other"), "", None, false);
        assert_eq!((m.art9, m.sch1, m.power), (Some(Art9Gateway::LegalClaims), None, Some(StatutoryPower::Other)));
        assert!(m.review.unwrap().contains("name the enactment"));
        let m = map_legacy(Some("bogus"), Some("xyz"), "", None, false);
        assert_eq!((m.art9, m.power), (None, None));
        let r = m.review.unwrap();
        assert!(r.contains("'bogus'") && r.contains("'xyz'"), "{r}");
        assert_eq!(map_legacy(None, None, "", None, false), LegacyBasis::default());
        let m = map_legacy(Some("9_2_g"), Some("ca1989_s47_9"), "", Some(1), true);
        assert_eq!(
            m,
            LegacyBasis {
                art9: Some(Art9Gateway::SubstantialPublicInterest),
                power: Some(StatutoryPower::S47Assist),
                ..LegacyBasis::default()
            },
            "new codes stay as they are"
        );
    }
}
