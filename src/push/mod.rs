//! Push mode's rules (DOMAIN.md §1.3): what a Huma change sends to Crona without anyone
//! deciding. Huma → Crona only; only what changed in Huma, or fills a gap in Crona; never a
//! cleared value, never AnstNr, never a pending e-mail (only confirmed values are compared).
//! Everything else waits for "Synchronize users".
//!
//! The push's other rules live here too: its preview keeps only what concerns the people it
//! named (`scope`), its next state keeps every pair it didn't read (`state`), and it creates
//! nobody in Huma.

mod scope;
mod state;

pub(crate) use scope::{keep_what_it_concerns, unread_notices};
pub(crate) use state::keep_the_others;

use crate::bank::Issue;
use crate::config::Mode;
use crate::config::SessionConfig;
use crate::diff::{would_clear, Changed, Choice, Difference};
use crate::plan::{Decisions, Selection};
use crate::preview::Preview;

/// The decisions a push makes by itself: Huma wins where only Huma changed (or Crona is empty
/// and nothing was agreed yet); every other difference is held with the reason.
pub fn decisions(preview: &Preview, config: &SessionConfig) -> Decisions {
    let mut d = Decisions {
        use_suggestions: Some(false),
        create_in_crona: if config.options.auto_create {
            Selection::All
        } else {
            Selection::None
        },
        ..Decisions::default()
    };
    for diff in &preview.differences {
        match held(diff) {
            None => {
                d.choices.insert(diff.id.clone(), Choice::Huma);
            }
            Some(message) => {
                d.choices.insert(diff.id.clone(), Choice::Leave);
                d.held.insert(
                    diff.id.clone(),
                    Issue {
                        code: "manual_sync",
                        message: format!("Left for \"Synchronize users\": {message}"),
                    },
                );
            }
        }
    }
    d
}

/// Why a push leaves this difference alone, or `None` when Huma's value goes to Crona.
fn held(diff: &Difference) -> Option<String> {
    let allowed = diff.allowed.contains(&Choice::Huma);
    let clears = would_clear(diff.field, diff.kind, Choice::Huma, &diff.huma, &diff.crona);
    if diff.suggestion == Some(Choice::Huma) && allowed && !clears {
        return None;
    }
    Some(
        match (allowed, diff.changed_since, clears) {
            (false, _, _) => "Huma's value can't be written to Crona here.",
            (_, Some(Changed::Crona), _) => {
                "Crona changed since the last sync; Crona's changes come back only through a manual sync."
            }
            (_, Some(Changed::Both), _) => {
                "both systems changed since the last sync: an administrator decides."
            }
            (_, _, true) => "Huma's value is empty, and a push never clears a value in Crona.",
            _ => "the two values never agreed, so nothing tells which is right.",
        }
        .to_string(),
    )
}

/// Whether a run in `mode` offers anyone for creation in Huma. A push concerns the Huma people
/// it names: nobody is created in Huma by one.
pub(crate) fn creates_in_huma(mode: Mode) -> bool {
    matches!(mode, Mode::Sync)
}
