//! What listing needs about a snapshot without parsing it: a small sidecar (`.meta`) written
//! next to each snapshot, checked against the snapshot's size; when it is missing or stale,
//! a streaming pass over the snapshot's top-level keys that counts `repos` without building them.

use std::fmt;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::model::Provider;

/// The listing facts of one snapshot file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// `schema_version` of the snapshot.
    pub schema_version: u64,
    /// Platform.
    pub provider: Provider,
    /// Org or group path.
    pub org: String,
    /// When it was taken.
    pub taken_at: DateTime<Utc>,
    /// Number of repositories.
    pub repos: usize,
    /// Size of the snapshot file the sidecar describes.
    pub bytes: u64,
}

/// The sidecar of a snapshot, when present, readable and describing a file of `bytes` bytes.
pub fn read_sidecar(path: &Path, bytes: u64) -> Option<Meta> {
    let text = std::fs::read(path).ok()?;
    let meta: Meta = serde_json::from_slice(&text).ok()?;
    (meta.bytes == bytes).then_some(meta)
}

/// Stream the snapshot's top-level keys; `None` when the file is not a readable snapshot.
pub fn scan(path: &Path, bytes: u64) -> Option<Meta> {
    let file = File::open(path).ok()?;
    let mut de = serde_json::Deserializer::from_reader(BufReader::with_capacity(1 << 16, file));
    let mut found = Found::default();
    // Stopping early is reported as an error by design; what was found is kept either way.
    let _ = Scan(&mut found).deserialize(&mut de);
    Some(Meta {
        schema_version: found.schema_version?,
        provider: found.provider?,
        org: found.org?,
        taken_at: found.taken_at?,
        repos: found.repos?,
        bytes,
    })
}

#[derive(Default)]
struct Found {
    schema_version: Option<u64>,
    provider: Option<Provider>,
    org: Option<String>,
    taken_at: Option<DateTime<Utc>>,
    repos: Option<usize>,
}

impl Found {
    fn complete(&self) -> bool {
        self.schema_version.is_some()
            && self.provider.is_some()
            && self.org.is_some()
            && self.taken_at.is_some()
            && self.repos.is_some()
    }
}

struct Scan<'a>(&'a mut Found);

impl<'de> DeserializeSeed<'de> for Scan<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Scan<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a snapshot object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "schema_version" => self.0.schema_version = Some(map.next_value()?),
                "provider" => self.0.provider = Some(map.next_value()?),
                "org" => self.0.org = Some(map.next_value()?),
                "taken_at" => self.0.taken_at = Some(map.next_value()?),
                "repos" => self.0.repos = Some(map.next_value_seed(Count)?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            if self.0.complete() {
                return Err(de::Error::custom("posture: listing facts read"));
            }
        }
        Ok(())
    }
}

/// Counts the elements of a sequence without keeping them.
struct Count;

impl<'de> DeserializeSeed<'de> for Count {
    type Value = usize;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Count {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of repositories")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let mut n = 0;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            n += 1;
        }
        Ok(n)
    }
}
