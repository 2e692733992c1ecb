//! Accumulates facts and the findings that cite them, keeping set-valued facts deduplicated.

use super::facts::{AuthMethod, CloudAuth, CloudProvider, PipelineFacts};
use super::finding::{Finding, FindingKind};

/// Facts under construction plus their findings.
#[derive(Debug, Default)]
pub struct Out {
    /// The facts.
    pub facts: PipelineFacts,
    /// The findings.
    pub findings: Vec<Finding>,
}

impl Out {
    /// Record a finding.
    pub fn find(&mut self, fact: FindingKind, line: u32, detail: impl Into<String>) {
        self.findings.push(Finding::new(fact, line, detail));
    }

    /// Record a cloud/registry authentication (a set) with its finding.
    pub fn auth(&mut self, provider: CloudProvider, method: AuthMethod, line: u32, detail: &str) {
        let entry = CloudAuth { provider, method };
        if !self.facts.cloud_auth.contains(&entry) {
            self.facts.cloud_auth.push(entry);
        }
        self.findings.push(Finding {
            fact: FindingKind::CloudAuth,
            line,
            detail: detail.to_owned(),
            auth: Some(entry),
        });
    }

    /// True when some authentication to `provider` was recorded.
    pub fn has_auth(&self, provider: CloudProvider) -> bool {
        self.facts.cloud_auth.iter().any(|a| a.provider == provider)
    }

    /// Record a secret / variable used as a static cloud credential.
    pub fn static_name(&mut self, name: &str, line: u32) {
        if !self.facts.static_key_secret_names.iter().any(|n| n == name) {
            self.facts.static_key_secret_names.push(name.to_string());
            self.find(
                FindingKind::StaticKeySecretNames,
                line,
                format!("{name} used as a static cloud credential"),
            );
        }
    }

    /// Record a secret name referenced by the file.
    pub fn secret_name(&mut self, name: &str) {
        if !self.facts.secret_names.iter().any(|n| n == name) {
            self.facts.secret_names.push(name.to_string());
        }
    }

    /// Record a deployment environment.
    pub fn environment(&mut self, name: &str) {
        if !name.is_empty() && !self.facts.environments.iter().any(|n| n == name) {
            self.facts.environments.push(name.to_string());
        }
    }

    /// Record that a job publishes, with its finding.
    pub fn publish(&mut self, line: u32, detail: &str) {
        self.facts.publishes = true;
        self.find(FindingKind::Publishes, line, detail.to_string());
    }

    /// Sort set-valued facts and findings so output is stable.
    pub fn finish(mut self) -> (PipelineFacts, Vec<Finding>) {
        self.facts.cloud_auth.sort();
        self.facts.secret_names.sort();
        // By line, then by the fact's name (the order the string names gave before).
        self.findings.sort_by(|a, b| {
            a.line
                .cmp(&b.line)
                .then(a.fact.as_str().cmp(b.fact.as_str()))
        });
        (self.facts, self.findings)
    }
}
