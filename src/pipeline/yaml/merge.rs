//! `<<` merge keys resolved once per document, with a work budget.
//!
//! Resolving merges on every lookup made nested merges exponential: ten merges per level,
//! eight levels deep (a 584-byte file) took 25 s. Here each mapping that has merge keys gets
//! its merged entry list computed once, from the (memoised) lists of the mappings it merges;
//! the total number of entries visited is capped by [`MAX_MERGE_WORK`]. A document over
//! the cap records why in [`Doc::over_budget`] and its analysis is `unknown`.

use std::collections::{HashMap, HashSet};

use super::{Doc, Kind, NodeId};

/// Most entries visited while resolving the merges of one document.
pub const MAX_MERGE_WORK: usize = 1_000_000;

/// Deepest chain of merges followed (a mapping merging one that merges another…).
const MAX_MERGE_DEPTH: usize = 64;

/// Merged entry lists, `(key, value)` with string keys, in lookup order: own keys first, then
/// each merged mapping's entries in order, the first occurrence of a key winning.
pub type Merged = HashMap<NodeId, Vec<(NodeId, NodeId)>>;

struct Resolver<'d> {
    doc: &'d Doc,
    merged: Merged,
    in_progress: HashSet<NodeId>,
    work: usize,
    over: Option<String>,
}

/// Resolve the merges of every mapping in `maps` (those with at least one `<<` key).
/// Returns the merged lists, or why the document is too costly to resolve.
pub fn resolve_all(doc: &Doc, maps: &[NodeId]) -> Result<Merged, String> {
    let mut r = Resolver {
        doc,
        merged: HashMap::new(),
        in_progress: HashSet::new(),
        work: 0,
        over: None,
    };
    for &id in maps {
        r.resolve(id, 0);
        if let Some(why) = r.over.take() {
            return Err(why);
        }
    }
    Ok(r.merged)
}

impl Resolver<'_> {
    /// Count `n` units of work; false (and the reason recorded) once over budget.
    fn spend(&mut self, n: usize) -> bool {
        self.work = self.work.saturating_add(n);
        if self.work > MAX_MERGE_WORK && self.over.is_none() {
            self.over = Some(format!(
                "YAML merge keys (<<) need more than {MAX_MERGE_WORK} steps to resolve; \
                 the file was not analysed"
            ));
        }
        self.over.is_none()
    }

    fn has_merges(&self, id: NodeId) -> bool {
        match &self.doc.nodes[id].kind {
            Kind::Map(entries) => entries.iter().any(|(k, _)| self.doc.is_merge_key(*k)),
            _ => false,
        }
    }

    /// The entry list of mapping `id`: resolved when it has merges, its own otherwise.
    fn entries_of(&mut self, id: NodeId, depth: usize) -> Vec<(NodeId, NodeId)> {
        if self.has_merges(id) {
            self.resolve(id, depth + 1);
            return self.merged.get(&id).cloned().unwrap_or_default();
        }
        match &self.doc.nodes[id].kind {
            Kind::Map(entries) => entries.clone(),
            _ => Vec::new(),
        }
    }

    fn resolve(&mut self, id: NodeId, depth: usize) {
        if self.merged.contains_key(&id) || self.over.is_some() {
            return;
        }
        if depth > MAX_MERGE_DEPTH {
            self.over = Some(format!(
                "YAML merge keys (<<) nest deeper than {MAX_MERGE_DEPTH} levels; \
                 the file was not analysed"
            ));
            return;
        }
        // A mapping that merges itself (through an alias to an open anchor): the inner
        // reference contributes nothing new.
        if !self.in_progress.insert(id) {
            return;
        }
        let doc = self.doc;
        let Kind::Map(own) = &doc.nodes[id].kind else {
            self.in_progress.remove(&id);
            return;
        };
        if !self.spend(own.len()) {
            return;
        }
        let mut seen: HashSet<&str> = HashSet::new();
        let mut out = Vec::new();
        let mut sources = Vec::new();
        for &(k, v) in own {
            if doc.is_merge_key(k) {
                sources.push(v);
            } else if let Some(name) = doc.scalar(k)
                && seen.insert(name)
            {
                out.push((k, v));
            }
        }
        for source in sources {
            let targets = match &doc.nodes[source].kind {
                Kind::Map(_) => vec![source],
                Kind::Seq(items) => items.clone(),
                Kind::Scalar { .. } => Vec::new(),
            };
            for target in targets {
                if self.in_progress.contains(&target) {
                    continue;
                }
                let entries = self.entries_of(target, depth);
                if !self.spend(entries.len()) {
                    return;
                }
                for (k, v) in entries {
                    if doc.is_merge_key(k) {
                        continue;
                    }
                    if let Some(name) = doc.scalar(k)
                        && seen.insert(name)
                    {
                        out.push((k, v));
                    }
                }
            }
        }
        self.in_progress.remove(&id);
        self.merged.insert(id, out);
    }
}
