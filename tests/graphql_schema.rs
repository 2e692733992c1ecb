//! Every GraphQL query the sync sends is valid against GitHub's real schema
//! (`../shared/github/schema.graphql`), and a query with a field GitHub does not have fails.

use apollo_compiler::ExecutableDocument;

mod support;

use support::github_schema;

fn schema() -> Option<&'static apollo_compiler::validation::Valid<apollo_compiler::Schema>> {
    github_schema::github_schema()
}

#[test]
fn sync_queries_validate_against_githubs_schema() {
    let Some(schema) = schema() else { return };
    for (name, query) in [
        ("repos", posture::collect::github::query::repos_query()),
        (
            "org rulesets",
            posture::collect::github::query::org_rulesets_query(),
        ),
    ] {
        if let Err(errors) = ExecutableDocument::parse_and_validate(schema, query, "q.graphql") {
            panic!("{name} query is not valid against GitHub's schema:\n{errors}");
        }
    }
}

#[test]
fn a_field_github_does_not_have_is_rejected() {
    let Some(schema) = schema() else { return };
    let bad = "query { organization(login: \"x\") { rulesets(first: 1) { nodes { notAField } } } }";
    assert!(ExecutableDocument::parse_and_validate(schema, bad, "bad.graphql").is_err());
}
