//! A tolerant, line-carrying YAML tree built from `saphyr-parser` events.
//!
//! Why not a loader: CI files rely on things strict loaders reject or lose — duplicate `<<:`
//! merge keys (GitLab), custom tags (`!reference`), and we need the line of every node. The
//! event parser gives spans and never checks duplicate keys; this module builds an arena
//! tree from it, resolves aliases to the anchored node (no copying, so alias bombs cost
//! nothing), and on a parse error keeps everything read up to the error.

mod merge;

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle};

/// Index of a node in [`Doc`].
pub type NodeId = usize;

/// Depth limit for recursive walks (aliases can form cycles).
const MAX_DEPTH: usize = 64;

/// What a node holds.
#[derive(Debug, Clone)]
pub enum Kind {
    /// A scalar, with whether it was quoted or a block scalar (i.e. not plain).
    Scalar {
        /// The text.
        value: String,
        /// Plain (unquoted) scalar.
        plain: bool,
    },
    /// A sequence.
    Seq(Vec<NodeId>),
    /// A mapping, keys in document order, duplicates kept.
    Map(Vec<(NodeId, NodeId)>),
}

/// One node: where it starts, its tag and content.
#[derive(Debug, Clone)]
pub struct NodeData {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
    /// Tag suffix, e.g. `reference` for `!reference`.
    pub tag: Option<String>,
    /// Content.
    pub kind: Kind,
}

/// A parsed document (the first of the stream) plus parse features seen anywhere.
#[derive(Debug, Default)]
pub struct Doc {
    nodes: Vec<NodeData>,
    root: Option<NodeId>,
    /// `line:col: message` when the text is not valid YAML (the tree holds what came before).
    pub error: Option<String>,
    /// An anchor or an alias was used.
    pub anchors_used: bool,
    /// A `!reference` tag was used.
    pub reference_tags: bool,
    /// Some mapping has more than one `<<` merge key.
    pub duplicate_merge_keys: bool,
    /// Why the document is too costly to analyse (its merge keys exceed the work budget);
    /// its merges are then left unresolved and its facts must be reported `unknown`.
    pub over_budget: Option<String>,
    /// Mappings with at least one `<<` merge key, in closing order.
    merge_maps: Vec<NodeId>,
    /// Merged entry lists of `merge_maps`, resolved once after parsing.
    merged: merge::Merged,
}

enum EventKind {
    Map,
    Other,
}

enum Frame {
    Seq(NodeId, Vec<NodeId>),
    Map(NodeId, Vec<(NodeId, NodeId)>, Option<NodeId>),
}

impl Doc {
    /// Parse `text`. Never fails: errors are recorded in [`Doc::error`].
    pub fn parse(text: &str) -> Doc {
        let mut doc = Doc::default();
        let mut stack: Vec<Frame> = Vec::new();
        let mut anchors: HashMap<usize, NodeId> = HashMap::new();
        let mut documents = 0usize;
        for item in Parser::new_from_str(text) {
            let (event, span) = match item {
                Ok(x) => x,
                Err(e) => {
                    let m = e.marker();
                    doc.error = Some(format!("{}:{}: {}", m.line(), m.col() + 1, e.info()));
                    break;
                }
            };
            let line = u32::try_from(span.start.line()).unwrap_or(u32::MAX);
            let col = u32::try_from(span.start.col() + 1).unwrap_or(u32::MAX);
            let event_kind = match &event {
                Event::MappingStart(..) => EventKind::Map,
                _ => EventKind::Other,
            };
            match event {
                Event::DocumentStart(_) => {
                    documents += 1;
                }
                Event::Scalar(value, style, anchor, tag) => {
                    if documents > 1 {
                        continue;
                    }
                    let tag = tag.map(|t| t.suffix.clone());
                    let id = doc.push(NodeData {
                        line,
                        col,
                        tag,
                        kind: Kind::Scalar {
                            value: value.into_owned(),
                            plain: style == ScalarStyle::Plain,
                        },
                    });
                    doc.note_anchor(anchor, id, &mut anchors);
                    doc.attach(&mut stack, id);
                }
                Event::Alias(anchor) => {
                    if documents > 1 {
                        continue;
                    }
                    doc.anchors_used = true;
                    let id = match anchors.get(&anchor) {
                        Some(id) => *id,
                        None => doc.push(NodeData {
                            line,
                            col,
                            tag: None,
                            kind: Kind::Scalar {
                                value: String::new(),
                                plain: true,
                            },
                        }),
                    };
                    doc.attach(&mut stack, id);
                }
                Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) => {
                    if documents > 1 {
                        continue;
                    }
                    let is_map = matches!(event_kind, EventKind::Map);
                    let tag = tag.map(|t| t.suffix.clone());
                    let id = doc.push(NodeData {
                        line,
                        col,
                        tag,
                        kind: Kind::Seq(Vec::new()),
                    });
                    doc.note_anchor(anchor, id, &mut anchors);
                    stack.push(if is_map {
                        Frame::Map(id, Vec::new(), None)
                    } else {
                        Frame::Seq(id, Vec::new())
                    });
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    if documents > 1 {
                        continue;
                    }
                    if let Some(frame) = stack.pop() {
                        let id = doc.close(frame);
                        doc.attach(&mut stack, id);
                    }
                }
                _ => {}
            }
        }
        // On error: close what is open so the tolerant reading keeps it.
        while let Some(frame) = stack.pop() {
            let id = doc.close(frame);
            doc.attach(&mut stack, id);
        }
        match merge::resolve_all(&doc, &doc.merge_maps) {
            Ok(merged) => doc.merged = merged,
            Err(why) => doc.over_budget = Some(why),
        }
        doc
    }

    /// The text of scalar node `id`.
    fn scalar(&self, id: NodeId) -> Option<&str> {
        match &self.nodes[id].kind {
            Kind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    fn push(&mut self, data: NodeData) -> NodeId {
        self.nodes.push(data);
        self.nodes.len() - 1
    }

    fn note_anchor(&mut self, anchor: usize, id: NodeId, anchors: &mut HashMap<usize, NodeId>) {
        if anchor > 0 {
            self.anchors_used = true;
            anchors.insert(anchor, id);
        }
        if self.nodes[id].tag.as_deref() == Some("reference") {
            self.reference_tags = true;
        }
    }

    fn close(&mut self, frame: Frame) -> NodeId {
        match frame {
            Frame::Seq(id, items) => {
                self.nodes[id].kind = Kind::Seq(items);
                id
            }
            Frame::Map(id, entries, _) => {
                let merges = entries
                    .iter()
                    .filter(|(k, _)| self.is_merge_key(*k))
                    .count();
                if merges > 1 {
                    self.duplicate_merge_keys = true;
                }
                if merges > 0 {
                    self.merge_maps.push(id);
                }
                self.nodes[id].kind = Kind::Map(entries);
                id
            }
        }
    }

    fn attach(&mut self, stack: &mut [Frame], id: NodeId) {
        match stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(id);
                }
            }
            Some(Frame::Seq(_, items)) => items.push(id),
            Some(Frame::Map(_, entries, pending)) => match pending.take() {
                None => *pending = Some(id),
                Some(key) => entries.push((key, id)),
            },
        }
    }

    fn is_merge_key(&self, id: NodeId) -> bool {
        matches!(&self.nodes[id].kind, Kind::Scalar { value, plain: true } if value == "<<")
    }

    /// The root node of the first document, if any.
    pub fn root(&self) -> Option<Node<'_>> {
        self.root.map(|id| Node { doc: self, id })
    }
}

/// A view of one node.
#[derive(Clone, Copy)]
pub struct Node<'a> {
    doc: &'a Doc,
    id: NodeId,
}

impl std::fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Node@{}:{}", self.line(), self.data().col)
    }
}

impl<'a> Node<'a> {
    fn data(&self) -> &'a NodeData {
        &self.doc.nodes[self.id]
    }

    fn at(&self, id: NodeId) -> Node<'a> {
        Node { doc: self.doc, id }
    }

    /// 1-based line.
    pub fn line(&self) -> u32 {
        self.data().line
    }

    /// Tag suffix (`reference` for `!reference`).
    pub fn tag(&self) -> Option<&'a str> {
        self.data().tag.as_deref()
    }

    /// The scalar text, if a scalar.
    pub fn as_str(&self) -> Option<&'a str> {
        match &self.data().kind {
            Kind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// True for a plain `null`, `~` or empty scalar.
    pub fn is_null(&self) -> bool {
        matches!(&self.data().kind, Kind::Scalar { value, plain: true }
            if value.is_empty() || value == "~" || value == "null")
    }

    /// True for a mapping.
    pub fn is_map(&self) -> bool {
        matches!(self.data().kind, Kind::Map(_))
    }

    /// Sequence items (empty for other nodes).
    pub fn items(&self) -> Vec<Node<'a>> {
        match &self.data().kind {
            Kind::Seq(items) => items.iter().map(|id| self.at(*id)).collect(),
            _ => Vec::new(),
        }
    }

    /// Mapping entries with string keys, `<<` merges resolved (own keys win, first merge
    /// wins among merged ones). Empty for other nodes.
    pub fn entries(&self) -> Vec<(&'a str, Node<'a>, Node<'a>)> {
        self.entry_ids()
            .iter()
            .filter(|(k, _)| !self.doc.is_merge_key(*k))
            .filter_map(|(k, v)| Some((self.doc.scalar(*k)?, self.at(*k), self.at(*v))))
            .scan(std::collections::HashSet::new(), |seen, e| {
                Some(seen.insert(e.0).then_some(e))
            })
            .flatten()
            .collect()
    }

    /// The `(key, value)` list lookups walk: the resolved merge list for a mapping with merge
    /// keys (unresolved when the document is over its work budget), its own entries otherwise.
    fn entry_ids(&self) -> &'a [(NodeId, NodeId)] {
        if let Some(merged) = self.doc.merged.get(&self.id) {
            return merged;
        }
        match &self.data().kind {
            Kind::Map(entries) => entries,
            _ => &[],
        }
    }

    /// Value of `key` in a mapping (merges resolved).
    pub fn get(&self, key: &str) -> Option<Node<'a>> {
        self.entry_ids()
            .iter()
            .find(|(k, _)| !self.doc.is_merge_key(*k) && self.doc.scalar(*k) == Some(key))
            .map(|(_, v)| self.at(*v))
    }

    /// Value of `key` compared case-insensitively.
    pub fn get_ci(&self, key: &str) -> Option<Node<'a>> {
        self.entries()
            .into_iter()
            .find(|(k, _, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, _, v)| v)
    }

    /// `get(key)` as a string.
    pub fn str_of(&self, key: &str) -> Option<&'a str> {
        self.get(key).and_then(|n| n.as_str())
    }

    /// Every scalar under this node (itself included), with its line; depth-limited.
    pub fn scalars(&self) -> Vec<(&'a str, u32)> {
        let mut out = Vec::new();
        self.collect_scalars(&mut out, 0);
        out
    }

    fn collect_scalars(&self, out: &mut Vec<(&'a str, u32)>, depth: usize) {
        if depth > MAX_DEPTH || out.len() > 100_000 {
            return;
        }
        match &self.data().kind {
            Kind::Scalar { value, .. } => out.push((value, self.line())),
            Kind::Seq(items) => {
                for i in items {
                    self.at(*i).collect_scalars(out, depth + 1);
                }
            }
            Kind::Map(entries) => {
                for (k, v) in entries {
                    self.at(*k).collect_scalars(out, depth + 1);
                    self.at(*v).collect_scalars(out, depth + 1);
                }
            }
        }
    }

    /// A scalar or every scalar item of a sequence (`tags: x` and `tags: [x, y]`).
    pub fn string_list(&self) -> Vec<&'a str> {
        match &self.data().kind {
            Kind::Scalar { value, .. } if !self.is_null() => vec![value.as_str()],
            Kind::Seq(_) => self.items().iter().filter_map(|n| n.as_str()).collect(),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests;
