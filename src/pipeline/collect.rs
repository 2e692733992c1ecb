//! Accumulates facts and the findings that cite them, keeping set-valued facts deduplicated.

use super::facts::{AuthMethod, CloudAuth, CloudProvider, Finding, PipelineFacts};

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
    pub fn find(&mut self, fact: &str, line: u32, detail: impl Into<String>) {
        self.findings.push(Finding {
            fact: fact.to_string(),
            line,
            detail: detail.into(),
        });
    }

    /// Record a cloud/registry authentication (a set) with its finding.
    pub fn auth(&mut self, provider: CloudProvider, method: AuthMethod, line: u32, detail: &str) {
        let entry = CloudAuth { provider, method };
        if !self.facts.cloud_auth.contains(&entry) {
            self.facts.cloud_auth.push(entry);
        }
        let provider = serde_json::to_value(provider)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let method = match method {
            AuthMethod::Oidc => "oidc",
            AuthMethod::StaticKey => "static-key",
            AuthMethod::Implicit => "implicit",
        };
        self.find("cloud_auth", line, format!("{provider}/{method}: {detail}"));
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
                "static_key_secret_names",
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
        self.find("publishes", line, detail.to_string());
    }

    /// Sort set-valued facts and findings so output is stable.
    pub fn finish(mut self) -> (PipelineFacts, Vec<Finding>) {
        self.facts.cloud_auth.sort();
        self.facts.secret_names.sort();
        self.findings
            .sort_by(|a, b| a.line.cmp(&b.line).then(a.fact.cmp(&b.fact)));
        (self.facts, self.findings)
    }
}
