//! GitHub's real GraphQL schema (`../shared/github/schema.graphql`), parsed once.
//!
//! The published schema defines one field twice (`EnterpriseOwnerInfo.repositoryDeployKeySetting`);
//! GitHub serves it all the same, so duplicate definitions are tolerated and every other
//! schema error still fails.

use std::path::Path;
use std::sync::OnceLock;

use apollo_compiler::Schema;
use apollo_compiler::validation::Valid;

/// The schema, or `None` (with a message) when the shared file is absent.
pub fn github_schema() -> Option<&'static Valid<Schema>> {
    static SCHEMA: OnceLock<Option<Valid<Schema>>> = OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            let path =
                Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/github/schema.graphql");
            let Ok(text) = std::fs::read_to_string(&path) else {
                eprintln!("skipping: {} is absent", path.display());
                return None;
            };
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
