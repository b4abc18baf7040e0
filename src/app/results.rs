//! What the loop brings back: each effect's result arrives as an action, and this is
//! where it changes the state (the loop itself never does). A load that fails shows
//! its reason and clears what it would have replaced, so nothing stale passes for
//! current.

use super::action::{ListPage, LogPage, TrackerPage};
use super::*;
use crate::domain::RequestFile;

impl App {
    /// Applies an action that is an effect's result; hands any other action back.
    pub(super) fn result(&mut self, action: Action) -> Result<Vec<Effect>, Action> {
        let effects = match action {
            Action::Saved { message, made } => {
                self.form = None;
                self.notice = Some(Notice::Info(message));
                // Stay with the request worked on wherever the change moved it; a
                // request just made is the one to work on next.
                let mut effects = vec![Effect::FollowSelection];
                effects.extend(made.map(Effect::Select));
                effects.push(Effect::LoadList);
                if self.screen == Screen::Retention {
                    effects.push(Effect::LoadRetention);
                }
                if self.screen == Screen::Admin {
                    effects.push(Effect::LoadAdmin);
                }
                effects
            }
            Action::SubjectLoaded(Ok(lines)) => {
                self.form = None;
                self.screen = Screen::Subject;
                self.subject = super::subject::SubjectState { lines, scroll: 0 };
                vec![]
            }
            Action::SubjectLoaded(Err(message)) => {
                self.refused(message);
                vec![]
            }
            Action::Refused(message) => {
                self.refused(message);
                vec![]
            }
            Action::Ask { message, confirm } => {
                self.refused(message);
                if let Some(f) = &mut self.form {
                    f.asking = Some(confirm);
                }
                vec![]
            }
            Action::Stale { message, now } => self.stale(message, *now),
            Action::Checked => {
                self.retention_checked(None);
                vec![]
            }
            Action::ListLoaded(Ok(ListPage { top, rows, total })) => {
                self.set_list(top, rows, total);
                match self.selected_reference() {
                    Some(r) => vec![Effect::LoadDetail(r.to_string())],
                    None => {
                        self.set_detail(None);
                        vec![]
                    }
                }
            }
            Action::ListLoaded(Err(message)) => {
                self.list.rows.clear();
                self.list.total = 0;
                self.set_detail(None);
                self.failed(message)
            }
            Action::DetailLoaded(Ok(file)) => {
                self.set_detail(Some(*file));
                vec![]
            }
            Action::DetailLoaded(Err(message)) => {
                self.set_detail(None);
                self.failed(message)
            }
            Action::Positioned { reference, at } => {
                if let Some(pos) = at {
                    let page = self.page();
                    self.list.selected = pos;
                    if pos < self.list.top || pos >= self.list.top + page {
                        self.list.top = pos.saturating_sub(page / 2);
                    }
                    self.list.follow = Some(reference);
                }
                vec![]
            }
            Action::TrackerLoaded { found: Ok(TrackerPage { rows, shares }), follow } => {
                let (was, at) = (self.tracker.selected_reference().map(str::to_string), self.tracker.selected);
                (self.tracker.rows, self.tracker.shares) = (rows, shares);
                // After someone else's change, stay on the same request's line where
                // it is still listed.
                let refs = self
                    .tracker
                    .rows
                    .iter()
                    .map(|r| &r.reference)
                    .chain(self.tracker.shares.iter().map(|r| &r.reference));
                let same = refs.enumerate().find(|(_, r)| Some(r.as_str()) == was.as_deref()).map(|(i, _)| i);
                let to = if follow { same.unwrap_or(at) } else { at };
                self.tracker.selected = to.min(self.tracker.len().saturating_sub(1));
                vec![]
            }
            Action::TrackerLoaded { found: Err(message), .. } => {
                self.tracker.rows.clear();
                self.tracker.shares.clear();
                self.tracker.selected = 0;
                self.failed(message)
            }
            Action::LogLoaded { reference, found } => {
                self.log.reference = reference;
                self.busy = None;
                match found {
                    Ok(page) => {
                        let LogPage { events, verify } = *page;
                        (self.log.events, self.log.verify) = (events, verify);
                        vec![]
                    }
                    Err(message) => {
                        (self.log.events, self.log.verify) = (vec![], None);
                        self.failed(message)
                    }
                }
            }
            Action::LetterLoaded(letter) => {
                if self.letter.as_ref().is_none_or(|l| l.kind != letter.kind || l.reference != letter.reference) {
                    self.letter_scroll = 0;
                }
                self.letter = Some(letter);
                vec![]
            }
            Action::ReportLoaded(found) => match found {
                Ok(report) => {
                    self.report = Some(*report);
                    vec![]
                }
                Err(message) => {
                    self.report = None;
                    self.failed(message)
                }
            },
            Action::Written(Ok(path)) => {
                self.notice = Some(Notice::Info(format!("Saved to {path} (mode 0600)")));
                vec![]
            }
            Action::Written(Err(message)) | Action::Failed(message) => self.failed(message),
            Action::Reloaded { today, settings, lookups } => {
                self.today = today;
                self.settings = *settings;
                if let Some(lookups) = lookups {
                    self.lookups = *lookups;
                }
                let mut effects = vec![Effect::FollowSelection, Effect::LoadList];
                match self.screen {
                    Screen::Tracker => effects.push(Effect::RefreshTracker),
                    Screen::Log => {
                        if self.log.reference.is_none() {
                            self.busy = Some(super::update::VERIFYING.into());
                        }
                        effects.push(Effect::LoadLog(self.log.reference.clone()))
                    }
                    Screen::Retention => effects.push(Effect::LoadRetention),
                    Screen::Admin => effects.push(Effect::LoadAdmin),
                    _ => {}
                }
                effects
            }
            Action::RetentionLoaded(found) => self.retention_loaded(found),
            Action::AdminLoaded(found) => self.admin_loaded(found),
            Action::DisposalChecked(dry_run) => {
                self.retention_checked(Some(dry_run));
                vec![]
            }
            other => return Err(other),
        };
        Ok(effects)
    }

    fn failed(&mut self, message: String) -> Vec<Effect> {
        self.notice = Some(Notice::Error(message));
        vec![]
    }

    /// A refusal shows under the open form (which keeps everything typed and stops
    /// asking y/n), or in the status line.
    fn refused(&mut self, message: String) {
        match &mut self.form {
            Some(f) => {
                f.error = Some(message);
                f.confirming = false;
                f.asking = None;
            }
            None => self.notice = Some(Notice::Error(message)),
        }
    }

    /// A refusal for a stale version rebuilds the form from the request as it now is
    /// (new items appear, unticked) and merges what was typed into it: a field only
    /// you changed keeps yours, one only they changed shows theirs, and one you both
    /// changed shows theirs beside yours and needs a choice before the next save, so
    /// that a second save is a decision on what is there now and never overwrites
    /// theirs unseen.
    fn stale(&mut self, message: String, now: RequestFile) -> Vec<Effect> {
        self.refused(message);
        let Some(old) = self.form.take() else { return vec![] };
        let mut form = forms::for_kind(old.kind(), &now, &self.lookups, &self.settings, self.today);
        let at = now.request.updated_at.with_timezone(&self.settings.timezone).format("%d/%m/%Y %H:%M");
        let conflicts = form.merge_from(&old, format!("{} at {at}", now.request.updated_by));
        form.error = old.error.map(|e| {
            if conflicts.is_empty() {
                format!("{e}. The form now shows the request as it is: check it, then save again.")
            } else {
                format!(
                    "{e}. You both changed {}: theirs is shown under yours; choose theirs (Ctrl-T) or yours \
                     (Ctrl-O) for each, then save again.",
                    conflicts.join(", ")
                )
            }
        });
        self.form = Some(form);
        vec![Effect::LoadDetail(now.request.reference)]
    }
}
