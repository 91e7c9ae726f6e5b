//! What the runner stores between syncs (plain JSON, never a secret): the remembered pairs, the
//! values both sides had after the last sync (the baseline), and when the connection became active.

use crate::error::{Error, Result};
use crate::model::{Field, PositionValues};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A Huma user and the Crona employee they were paired with.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pair {
    /// Huma user id.
    pub huma_id: String,
    /// Crona AnstNr.
    pub anst_nr: String,
}

/// The normalised values a pair agreed on after the last sync.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Baseline {
    /// Per field, the normal form both sides agreed on ("" = both empty). A field without an
    /// entry never agreed: there is nothing to tell which side changed.
    #[serde(default)]
    pub fields: BTreeMap<Field, String>,
    /// The position values recorded (sent, or recorded without sending the first time a pair
    /// is seen), the dates and title as fingerprints under a key (`positions::kept`); `None`
    /// until then.
    #[serde(default)]
    pub positions: Option<PositionValues>,
}

/// The state a sync returns as `nextState` and the next sync takes back.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncState {
    /// When the first sync ran (the connection's activation); `None` before it.
    #[serde(default)]
    pub activated_at: Option<String>,
    /// Pairs remembered from earlier syncs.
    #[serde(default)]
    pub pairs: Vec<Pair>,
    /// Keyed by Huma user id.
    #[serde(default)]
    pub baseline: BTreeMap<String, Baseline>,
    /// When the last sync ran and how it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sync: Option<serde_json::Value>,
    /// When the last push ran and how it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_push: Option<serde_json::Value>,
    /// Which Huma organisation and Crona company the state belongs to, as the runner recorded
    /// them; carried through unchanged. Runners refuse a state of another connection, whose
    /// remembered pairs would pair strangers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection: Option<serde_json::Value>,
}

impl SyncState {
    /// Reads the state the runner stored; `None` means a first sync.
    pub fn from_config(state: Option<&serde_json::Value>) -> Result<Self> {
        match state {
            None => Ok(SyncState::default()),
            // Through text rather than from_value: reading a Value tree as a deserializer is a
            // second JSON reader in the module, for this one call.
            Some(v) => serde_json::from_str(&v.to_string()).map_err(|e| {
                Error::config(
                    "state",
                    format!(
                        "isn't a state crona-sync wrote ({e}); start from null to run a first sync"
                    ),
                )
            }),
        }
    }

    /// The remembered pairs, each with the e-mail and names both sides agreed on last time
    /// (fingerprints under `key`, when the baseline holds them).
    pub fn remembered(
        &self,
        key: Option<&crate::fingerprint::BaselineKey>,
    ) -> Vec<crate::matching::Remembered> {
        self.pairs
            .iter()
            .map(|p| {
                let agreed = self.baseline.get(&p.huma_id).and_then(|b| {
                    let get = |f: Field| b.fields.get(&f).cloned();
                    Some((
                        get(Field::Email)?,
                        get(Field::GivenName)?,
                        get(Field::FamilyName)?,
                    ))
                });
                crate::matching::Remembered {
                    huma_id: p.huma_id.clone(),
                    anst_nr: p.anst_nr.clone(),
                    agreed,
                    key: key.cloned(),
                }
            })
            .collect()
    }
}
