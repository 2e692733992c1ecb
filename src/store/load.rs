//! Loading a snapshot file: one read, one `serde_json::from_slice`, and a one-line error
//! naming the file for everything that can go wrong (never a panic).

use std::fmt;
use std::path::Path;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use crate::model::{SCHEMA_NAME, SCHEMA_VERSION, Snapshot};

/// What went wrong loading a snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadErrorKind {
    /// The file could not be read (the I/O error, one line).
    Io(String),
    /// The file is empty.
    Empty,
    /// Not JSON, or JSON broken in the middle.
    Corrupt {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// The JSON stops before the document ends.
    Truncated {
        /// Length of the file in bytes.
        bytes: usize,
    },
    /// Valid JSON, but not the shape of a v1 snapshot.
    Invalid {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// `schema` is not `posture.snapshot`.
    UnknownSchema(String),
    /// `schema_version` is newer than this build reads.
    Newer(u64),
    /// `schema_version` is not a version any build wrote (0, negative, not a number).
    BadVersion(String),
}

/// A snapshot that could not be loaded. `Display` is one line naming the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The file (or other origin) as the user named it.
    pub origin: String,
    /// What went wrong.
    pub kind: LoadErrorKind,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let origin = one_line(&self.origin, 300);
        match &self.kind {
            LoadErrorKind::Io(err) => write!(f, "cannot read snapshot {origin}: {err}"),
            LoadErrorKind::Empty => write!(f, "snapshot {origin} is empty"),
            LoadErrorKind::Corrupt {
                line,
                column,
                message,
            } => write!(
                f,
                "snapshot {origin} is corrupt: line {line} col {column}: {message}"
            ),
            LoadErrorKind::Truncated { bytes } => {
                write!(f, "snapshot {origin} is truncated (ends at byte {bytes})")
            }
            LoadErrorKind::Invalid {
                line,
                column,
                message,
            } => write!(
                f,
                "snapshot {origin} is not a valid posture snapshot: line {line} col {column}: {message}"
            ),
            LoadErrorKind::UnknownSchema(schema) => write!(
                f,
                "{origin} is not a posture snapshot (schema \"{schema}\"; this build reads \
                 {SCHEMA_NAME} version {SCHEMA_VERSION})"
            ),
            LoadErrorKind::Newer(version) => write!(
                f,
                "snapshot {origin} was written by a newer posture (schema {version}; this build \
                 reads {SCHEMA_VERSION}) — upgrade posture"
            ),
            LoadErrorKind::BadVersion(version) => write!(
                f,
                "snapshot {origin} has an invalid schema_version {version} (this build reads \
                 {SCHEMA_VERSION})"
            ),
        }
    }
}

impl std::error::Error for LoadError {}

/// Read and parse a snapshot file.
pub fn load(path: &Path) -> Result<Snapshot, LoadError> {
    let origin = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => parse(&bytes, &origin),
        Err(err) => Err(LoadError {
            origin,
            kind: LoadErrorKind::Io(one_line(&err.to_string(), 200)),
        }),
    }
}

/// Parse snapshot bytes; `origin` names them in errors. Pure.
pub fn parse(bytes: &[u8], origin: &str) -> Result<Snapshot, LoadError> {
    let error = |kind| LoadError {
        origin: origin.to_owned(),
        kind,
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(error(LoadErrorKind::Empty));
    }
    match serde_json::from_slice::<Snapshot>(bytes) {
        Ok(snapshot) => {
            check_header(Some(&snapshot.schema), Some(snapshot.schema_version as u64))
                .map_err(error)?;
            Ok(snapshot)
        }
        Err(err) => {
            // A newer or foreign file usually fails as v1: say so rather than "corrupt".
            let header = sniff(bytes);
            if let Some(kind) = header.verdict() {
                return Err(error(kind));
            }
            Err(error(classify(&err, bytes.len())))
        }
    }
}

fn check_header(schema: Option<&str>, version: Option<u64>) -> Result<(), LoadErrorKind> {
    if let Some(schema) = schema
        && schema != SCHEMA_NAME
    {
        return Err(LoadErrorKind::UnknownSchema(one_line(schema, 80)));
    }
    match version {
        Some(v) if v > u64::from(SCHEMA_VERSION) => Err(LoadErrorKind::Newer(v)),
        Some(0) => Err(LoadErrorKind::BadVersion("0".into())),
        _ => Ok(()),
    }
}

fn classify(err: &serde_json::Error, len: usize) -> LoadErrorKind {
    let full = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    let message = one_line(full.strip_suffix(&suffix).unwrap_or(&full), 200);
    let (line, column) = (err.line(), err.column());
    match err.classify() {
        serde_json::error::Category::Eof => LoadErrorKind::Truncated { bytes: len },
        serde_json::error::Category::Data => LoadErrorKind::Invalid {
            line,
            column,
            message,
        },
        serde_json::error::Category::Syntax | serde_json::error::Category::Io => {
            LoadErrorKind::Corrupt {
                line,
                column,
                message,
            }
        }
    }
}

/// Untrusted text made printable on one line and bounded in length.
pub(crate) fn one_line(text: &str, max: usize) -> String {
    let mut out: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(max)
        .collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out
}

/// The top-level `schema` and `schema_version`, read without parsing the rest.
#[derive(Debug, Default)]
struct Header {
    schema: Option<serde_json::Value>,
    version: Option<serde_json::Value>,
}

impl Header {
    /// The error the header alone proves, if any.
    fn verdict(&self) -> Option<LoadErrorKind> {
        let schema = match &self.schema {
            Some(serde_json::Value::String(s)) => Some(s.as_str()),
            Some(other) => {
                return Some(LoadErrorKind::UnknownSchema(one_line(
                    &other.to_string(),
                    80,
                )));
            }
            None => None,
        };
        let version = match &self.version {
            Some(serde_json::Value::Number(n)) => match n.as_u64() {
                Some(v) => Some(v),
                None => return Some(LoadErrorKind::BadVersion(one_line(&n.to_string(), 40))),
            },
            Some(other) => {
                return Some(LoadErrorKind::BadVersion(one_line(&other.to_string(), 40)));
            }
            None => None,
        };
        check_header(schema, version).err()
    }
}

const STOP: &str = "posture: header read";

/// Read top-level keys in order until both header fields are seen, then stop the parser.
struct Sniff<'a>(&'a mut Header);

impl<'de> DeserializeSeed<'de> for Sniff<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Sniff<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "schema" => self.0.schema = Some(map.next_value()?),
                "schema_version" => self.0.version = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            if self.0.schema.is_some() && self.0.version.is_some() {
                return Err(de::Error::custom(STOP));
            }
        }
        Ok(())
    }
}

fn sniff(bytes: &[u8]) -> Header {
    let mut header = Header::default();
    let mut de = serde_json::Deserializer::from_slice(bytes);
    // Errors are expected (the file failed to parse, or we stopped early): keep what was read.
    let _ = Sniff(&mut header).deserialize(&mut de);
    header
}
