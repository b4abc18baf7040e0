//! Principle 1 and the decision record (SPEC section 2): which lawful-basis
//! combinations are refused (missing, wrong pair, missing condition, condition not
//! needed, para 18 without its reason, detail a power needs), which are questioned
//! (a person confirms them, and the question is stored), and the decision-record
//! answers required at scope.

use super::no;
use crate::domain::basis::*;
use crate::domain::request::*;
use crate::domain::{Refusal, Rule};

/// The name a TUI save sends when the questions were answered yes.
pub const CONFIRM_BASIS: &str = "confirm_basis";

/// The lawful basis fits together, apart from the questions ([`basis_questions`]).
pub fn check_basis_structure(b: &LawfulBasis) -> Result<(), Refusal> {
    let mut missing = Vec::new();
    if b.art6.is_none() {
        missing.push("the Art. 6 basis");
    }
    if b.art9.is_none() {
        missing.push("the Art. 9(2) gateway (or none)");
    }
    if b.criminal.is_none() {
        missing.push("whether criminal offence data is involved");
    }
    if b.power.is_none() {
        missing.push("the statutory power");
    }
    if !missing.is_empty() {
        let hint: Vec<&str> = [
            (b.art6.is_none(), "--art6"),
            (b.art9.is_none(), "--art9"),
            (b.criminal.is_none(), "--criminal"),
            (b.power.is_none(), "--power"),
        ]
        .iter()
        .filter(|(m, _)| *m)
        .map(|(_, f)| *f)
        .collect();
        return Err(no(
            Rule::LawfulBasis,
            format!("{} {} not recorded", missing.join(", "), if missing.len() == 1 { "is" } else { "are" }),
            "choose each: nothing is filled in for you",
        )
        .hint(hint.join(", ")));
    }
    let gateway = b.art9.expect("checked above");
    let needed = gateway.conditions();
    match (b.sch1, needed.is_empty()) {
        (None, false) => {
            let choices: Vec<&str> = needed.iter().map(|c| c.short()).collect();
            return Err(no(
                Rule::LawfulBasis,
                format!("{} needs its DPA 2018 Schedule 1 condition", gateway.label()),
                format!(
                    "choose {}",
                    if choices.len() == 1 { choices[0].to_string() } else { format!("one of: {}", choices.join(", ")) }
                ),
            )
            .hint("--sch1"));
        }
        (Some(c), false) if !needed.contains(&c) => {
            let right: Vec<&str> = needed.iter().map(|c| c.short()).collect();
            let with = [
                Art9Gateway::SocialProtection,
                Art9Gateway::SubstantialPublicInterest,
                Art9Gateway::HealthOrSocialCare,
            ]
            .into_iter()
            .find(|g| g.conditions().contains(&c));
            return Err(no(
                Rule::LawfulBasis,
                match with {
                    Some(g) => format!("Sch.1 {} goes with {}, not {}", c.short(), g.short(), gateway.label()),
                    None => format!(
                        "Sch.1 {} is a condition for criminal offence data, not for {}",
                        c.short(),
                        gateway.label()
                    ),
                },
                format!("{} uses {}", gateway.short(), right.join(", ")),
            )
            .hint("--sch1"));
        }
        (Some(c), true) => {
            return Err(no(
                Rule::LawfulBasis,
                format!("{} needs no Schedule 1 condition, but {} is given", gateway.label(), c.short()),
                "leave the condition empty",
            )
            .hint("--sch1"));
        }
        _ => {}
    }
    match (b.criminal, b.criminal_condition) {
        (Some(true), None) => {
            return Err(no(
                Rule::LawfulBasis,
                "criminal offence data is involved but its Schedule 1 condition (DPA 2018 s.10(5)) is not recorded",
                "choose the condition",
            )
            .hint("--criminal CONDITION"));
        }
        (Some(false), Some(c)) => {
            return Err(no(
                Rule::LawfulBasis,
                format!("criminal offence data is recorded as not involved, but {} is given for it", c.short()),
                "say which it is: not involved, or involved under its condition",
            )
            .hint("--criminal"));
        }
        _ => {}
    }
    let para18 = b.sch1.is_some_and(Sch1Condition::needs_consent_reason)
        || b.criminal_condition.is_some_and(Sch1Condition::needs_consent_reason);
    if para18 && b.consent_not_obtained.is_none() {
        return Err(no(
            Rule::LawfulBasis,
            "Sch.1 para 18 applies only where consent is not obtained, and why is not recorded",
            "choose: consent cannot be given, cannot reasonably be obtained, or obtaining it would prejudice the child's protection",
        )
        .hint("--consent-not-obtained"));
    }
    if !para18 && b.consent_not_obtained.is_some() {
        return Err(no(
            Rule::LawfulBasis,
            "why consent was not obtained is recorded for Sch.1 para 18 only, which is not the condition given",
            "leave it empty",
        )
        .hint("--consent-not-obtained"));
    }
    let power = b.power.expect("checked above");
    if b.power_detail.is_empty() {
        let missing = match power {
            StatutoryPower::CourtOrder => Some("a court order needs its court, date and reference"),
            StatutoryPower::Other => Some("'other' needs the enactment named"),
            _ => None,
        };
        if let Some(m) = missing {
            return Err(no(Rule::LawfulBasis, m, "give it in the power detail").hint("--power-detail"));
        }
    }
    Ok(())
}

/// The combinations that may be right but usually are not: each is asked, and a
/// person confirms it (the text is then stored with the basis).
pub fn basis_questions(b: &LawfulBasis) -> Vec<String> {
    let mut q = Vec::new();
    if let (Some(Art6Basis::LegalObligation), Some(p)) = (b.art6, b.power)
        && !p.imposes_duty_on_council()
    {
        q.push(format!(
            "Art. 6(1)(c) legal obligation needs a duty on the council to share, and {} places none on it",
            p.label()
        ));
    }
    if b.art6 == Some(Art6Basis::VitalInterests) {
        q.push("Art. 6(1)(d) vital interests is for life-or-death situations where no other basis fits; a council acting under its functions usually relies on Art. 6(1)(e)".into());
    }
    if b.art9 == Some(Art9Gateway::ExplicitConsent) || b.criminal_condition == Some(Sch1Condition::P3Consent) {
        q.push(
            "consent is rarely the right basis for safeguarding sharing (DfE information sharing advice, 2024)".into(),
        );
    }
    if b.power == Some(StatutoryPower::Lga111) && b.power_detail.is_empty() {
        q.push(
            "LGA 1972 s.111 only supports what is incidental to a function of the council, and none is named".into(),
        );
    }
    q
}

/// The whole lawful basis at step 3 (and a direct share): refused if it does not fit,
/// refused with a question (which `confirmed` answers yes) if it is questioned.
/// Returns the questions confirmed, to be stored.
pub fn check_basis(b: &LawfulBasis, confirmed: bool) -> Result<Vec<String>, Refusal> {
    check_basis_structure(b)?;
    let questions = basis_questions(b);
    if !questions.is_empty() && !confirmed {
        return Err(no(
            Rule::LawfulBasis,
            format!("the lawful basis is questioned: {}", questions.join("; ")),
            "check it fits: confirm to keep it, or change it",
        )
        .hint("--confirm-basis")
        .confirm(CONFIRM_BASIS, format!("Keep this lawful basis? {} (y/n)", questions.join("; "))));
    }
    Ok(questions)
}

/// The decision record's required answers: necessity, security, the recipient's
/// retention (each given, or "n/a: reason"), whether an agreement exists (a reason
/// if not applicable), and a DPIA's outcome if one was considered.
pub fn check_decision_record(d: &ScopeDetails) -> Result<(), Refusal> {
    let stated = |text: &str, what: &str, flag: &str| -> Result<(), Refusal> {
        match Stated::read(text) {
            Stated::Missing => {
                Err(no(Rule::DecisionRecord, format!("{what} is not recorded"), "record it, or 'n/a: the reason'")
                    .hint(flag))
            }
            Stated::NotApplicable { reason: "" } => Err(no(
                Rule::DecisionRecord,
                format!("'not applicable' for {what} needs the reason"),
                "write it as 'n/a: the reason'",
            )
            .hint(flag.to_string())),
            _ => Ok(()),
        }
    };
    stated(&d.necessity, "why sharing is necessary", "--necessity")?;
    stated(&d.security, "the security arrangements", "--security")?;
    stated(&d.retention, "how long the recipient keeps what they learn", "--retention")?;
    match d.agreement {
        None => {
            return Err(no(
                Rule::DecisionRecord,
                "whether a data sharing agreement exists is not recorded",
                "answer yes, no or not applicable (with the reason)",
            )
            .hint("--dsa yes|no|n/a"));
        }
        Some(AgreementAnswer::NotApplicable) if d.agreement_note.is_empty() => {
            return Err(no(
                Rule::DecisionRecord,
                "'not applicable' for a data sharing agreement needs the reason",
                "give the reason",
            )
            .hint("--dsa-note"));
        }
        _ => {}
    }
    if d.dpia_considered == Some(true) && d.dpia_outcome.is_empty() {
        return Err(no(
            Rule::DecisionRecord,
            "a DPIA was considered but its outcome is not recorded",
            "record the outcome",
        )
        .hint("--dpia-outcome"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> LawfulBasis {
        LawfulBasis {
            art6: Some(Art6Basis::PublicTask),
            art9: Some(Art9Gateway::SubstantialPublicInterest),
            sch1: Some(Sch1Condition::P2Safeguarding),
            consent_not_obtained: Some(ConsentNotObtained::WouldPrejudice),
            criminal: Some(false),
            power: Some(StatutoryPower::S27),
            ..LawfulBasis::default()
        }
    }

    fn refused(b: &LawfulBasis) -> String {
        check_basis(b, false).unwrap_err().message
    }

    #[test]
    fn a_fitting_basis_passes_and_each_misfit_is_refused() {
        assert_eq!(check_basis(&good(), false).unwrap(), Vec::<String>::new());
        let m = refused(&LawfulBasis::default());
        assert!(m.starts_with("the Art. 6 basis, the Art. 9(2) gateway (or none), whether criminal"), "{m}");
        let b = LawfulBasis { sch1: None, consent_not_obtained: None, ..good() };
        assert_eq!(refused(&b), "Art. 9(2)(g) substantial public interest needs its DPA 2018 Schedule 1 condition");
        let b = LawfulBasis { art9: Some(Art9Gateway::HealthOrSocialCare), ..good() };
        assert_eq!(refused(&b), "Sch.1 Part 2 para 18 goes with Art. 9(2)(g), not Art. 9(2)(h) health or social care");
        let b = LawfulBasis { art9: Some(Art9Gateway::LegalClaims), ..good() };
        assert!(refused(&b).contains("needs no Schedule 1 condition"));
        let b = LawfulBasis { consent_not_obtained: None, ..good() };
        assert!(refused(&b).starts_with("Sch.1 para 18 applies only where consent is not obtained"));
        let b = LawfulBasis { criminal: Some(true), ..good() };
        assert!(refused(&b).contains("s.10(5)"));
        let b = LawfulBasis { power: Some(StatutoryPower::CourtOrder), ..good() };
        assert_eq!(refused(&b), "a court order needs its court, date and reference");
        let b = LawfulBasis {
            power: Some(StatutoryPower::CourtOrder),
            power_detail: "Family Court, 01/11/2026, ZW26C00001".into(),
            ..good()
        };
        assert!(check_basis(&b, false).is_ok());
        let b = LawfulBasis {
            art9: Some(Art9Gateway::HealthOrSocialCare),
            sch1: Some(Sch1Condition::P1HealthSocialCare),
            consent_not_obtained: None,
            criminal: Some(true),
            criminal_condition: Some(Sch1Condition::P2UnlawfulActs),
            ..good()
        };
        assert!(check_basis(&b, false).is_ok());
    }

    #[test]
    fn questioned_combinations_need_a_confirmation_which_is_kept() {
        let b = LawfulBasis { art6: Some(Art6Basis::LegalObligation), power: Some(StatutoryPower::S17), ..good() };
        let r = check_basis(&b, false).unwrap_err();
        assert!(r.message.contains("places none on it"), "{}", r.message);
        assert_eq!(r.confirm.as_ref().unwrap().field, CONFIRM_BASIS);
        let kept = check_basis(&b, true).unwrap();
        assert_eq!(kept.len(), 1);
        let b = LawfulBasis { art6: Some(Art6Basis::LegalObligation), ..good() };
        assert!(check_basis(&b, false).is_ok(), "s.27 places a duty on the council");
        let b = LawfulBasis { power: Some(StatutoryPower::Lga111), art6: Some(Art6Basis::VitalInterests), ..good() };
        assert_eq!(basis_questions(&b).len(), 2);
    }

    #[test]
    fn the_decision_record_needs_its_answers_or_a_reason() {
        let mut d = ScopeDetails {
            necessity: "to complete the s.47 enquiry".into(),
            security: "supervised room".into(),
            retention: "n/a: viewing only, nothing taken".into(),
            agreement: Some(AgreementAnswer::No),
            ..ScopeDetails::default()
        };
        assert!(check_decision_record(&d).is_ok());
        d.security = "n/a".into();
        let r = check_decision_record(&d).unwrap_err();
        assert_eq!(
            (r.rule, r.message.as_str()),
            (Rule::DecisionRecord, "'not applicable' for the security arrangements needs the reason")
        );
        d.security = "x".into();
        d.agreement = Some(AgreementAnswer::NotApplicable);
        assert!(check_decision_record(&d).is_err());
        d.agreement_note = "one-off".into();
        d.dpia_considered = Some(true);
        assert_eq!(
            check_decision_record(&d).unwrap_err().message,
            "a DPIA was considered but its outcome is not recorded"
        );
        d.necessity.clear();
        assert_eq!(check_decision_record(&d).unwrap_err().message, "why sharing is necessary is not recorded");
    }
}
