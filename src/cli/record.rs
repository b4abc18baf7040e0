//! Proving the record: anchors and verification.

use std::path::PathBuf;

use super::print;
use crate::service::lookup::{AnchorTo, VerifyCheck};
use crate::service::{Service, ServiceError};

/// Records the head of the log outside the database.
pub(super) fn anchor(svc: &mut Service, file: Option<PathBuf>, syslog: bool, json: bool) -> Result<(), ServiceError> {
    let to = if syslog { AnchorTo::Syslog } else { AnchorTo::File(file) };
    let anchor = svc.anchor(to.clone())?;
    if json {
        return print::json(&anchor);
    }
    let whereto = match to {
        AnchorTo::Syslog => "syslog".to_string(),
        AnchorTo::File(f) => {
            f.map_or_else(|| svc.anchor_file().map(|p| p.display().to_string()), |f| Ok(f.display().to_string()))?
        }
    };
    say!("Anchored {} events (last hash {}) at {} in {whereto}.", anchor.events, anchor.hash, anchor.at);
    Ok(())
}

/// Verifies the chain, the triggers, the anchors and (unless --chain-only) the tables.
pub(super) fn verify(
    svc: &mut Service,
    anchors: Option<PathBuf>,
    since_last_anchor: bool,
    chain_only: bool,
    json: bool,
) -> Result<(), ServiceError> {
    let progress = crate::progress::Progress::new(0, "verifying");
    let report = svc.verify_with(&VerifyCheck { rebuild: !chain_only, anchors, since_last_anchor }, &progress)?;
    progress.finish();
    print::verify(&report, json)?;
    if report.ok() {
        Ok(())
    } else {
        Err(crate::domain::Refusal::new(
            crate::domain::Rule::EventLog,
            "the event log failed verification",
            "restore from a verified backup and tell information governance",
        )
        .into())
    }
}
