//! GitHub's real GraphQL schema (`../shared/github/schema.graphql`), parsed once.
//!
//! The published schema defines one field twice (`EnterpriseOwnerInfo.repositoryDeployKeySetting`);
//! GitHub serves it all the same, so duplicate definitions are tolerated and every other
//! schema error still fails.

use std::sync::OnceLock;

use apollo_compiler::Schema;
use apollo_compiler::validation::Valid;

/// The schema, or `None` (with a message) when the shared file is absent; in CI its absence
/// fails the test (`prerequisite::missing`).
pub fn github_schema() -> Option<&'static Valid<Schema>> {
    static SCHEMA: OnceLock<Option<Valid<Schema>>> = OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            let text = crate::support::prerequisite::read_shared("github/schema.graphql")?;
            Some(match Schema::parse_and_validate(text, "schema.graphql") {
                Ok(schema) => schema,
                Err(with_errors) => {
                    for error in with_errors.errors.iter() {
                        let message = error.error.to_string();
                        assert!(
                            message.contains("duplicate definitions"),
                            "GitHub's schema does not parse: {message}"
                        );
                    }
                    Valid::assume_valid(with_errors.partial)
                }
            })
        })
        .as_ref()
}
