# Production deployments require a SLSA Build Level 3 attestation (provenance), signed by the
# org's signing identity, from a protected branch.
#
# Judged per repository over the document `posture report --format opa-input` writes (run it
# with OPA yourself: `opa eval -d deploy_slsa.rego -I 'data.posture.deploy_slsa.deny' < doc.json`).
#
# A repository deploys to production when one of its pipelines targets an environment named
# like production (`prod*`, `production`; case-insensitive). Then:
#   1. provenance: some pipeline builds SLSA Build L3 provenance, i.e. calls one of the
#      slsa-framework/slsa-github-generator reusable workflows (an isolated, non-forgeable
#      builder). actions/attest-build-provenance in a plain job is Build L2;
#   2. signature: the latest release's provenance is returned by the attestations API, which
#      holds only attestations signed by Sigstore for a workflow identity of this org;
#   3. protected branch: every production environment it deploys to accepts deployments from
#      protected branches only (GitLab: a protected environment).
# Facts the platform did not let us read make the verdict `unknown`, never `fail`.
package posture.deploy_slsa

metadata := {
	"title": "Production deploys carry signed SLSA L3 provenance from a protected branch",
	"severity": "high",
	"rationale": "A production deployment should run only an artifact whose provenance proves which source, branch and isolated builder produced it, signed by the org.",
	"fix": "Build release artifacts with the slsa-github-generator reusable workflow, publish the attestation, and restrict production environments to protected branches.",
}

production(name) if startswith(lower(name), "prod")

# {environment name: [pipeline paths that deploy to it]}
prod_envs[env] contains p.path if {
	some p in input.pipelines
	some env in object.get(p, ["facts", "environments"], [])
	production(env)
}

deploys_to_production if {
	some _, _ in prod_envs
}

l3_builders contains sprintf("%s (%s:%d)", [u.ref, p.path, u.line]) if {
	some p in input.pipelines
	some u in p.uses
	startswith(u.ref, "slsa-framework/slsa-github-generator/.github/workflows/")
}

l2_attestations contains p.path if {
	some p in input.pipelines
	some u in p.uses
	startswith(u.ref, "actions/attest-build-provenance@")
}

environments_readable if is_array(input.repository.environments)

release := input.repository.latest_release

release_unreadable if is_object(release.unreadable)

deny contains msg if {
	deploys_to_production
	count(l3_builders) == 0
	count(l2_attestations) > 0
	msg := sprintf("no SLSA Build L3 provenance: actions/attest-build-provenance in %s is Build L2; use the slsa-github-generator reusable workflow", [concat(", ", sort(l2_attestations))])
}

deny contains msg if {
	deploys_to_production
	count(l3_builders) == 0
	count(l2_attestations) == 0
	msg := sprintf("no SLSA provenance: %s deploys to production but no pipeline builds provenance", [concat(", ", sort({p | some env, paths in prod_envs; some p in paths}))])
}

deny contains msg if {
	deploys_to_production
	not release_unreadable
	release == null
	msg := "no release with a signed attestation: the attestations API has nothing to verify"
}

deny contains msg if {
	deploys_to_production
	not release_unreadable
	release != null
	release.attested != true
	msg := sprintf("latest release %s has no attestation signed by the org's identity", [release.tag])
}

deny contains msg if {
	environments_readable
	some env, paths in prod_envs
	not configured(env)
	msg := sprintf("environment %s (%s) has no protection rules: any branch can deploy", [env, concat(", ", sort(paths))])
}

deny contains msg if {
	environments_readable
	some env, paths in prod_envs
	some e in input.repository.environments
	lower(e.name) == lower(env)
	not e.protected_branches_only
	not e.protected
	msg := sprintf("environment %s (%s) accepts deployments from unprotected branches", [e.name, concat(", ", sort(paths))])
}

configured(env) if {
	some e in input.repository.environments
	lower(e.name) == lower(env)
}

unknown contains sprintf("environments unreadable: %s", [object.get(input.repository.environments.unreadable, "needs", input.repository.environments.unreadable.reason)]) if {
	deploys_to_production
	not environments_readable
}

unknown contains sprintf("latest release unreadable: %s", [object.get(release.unreadable, "needs", release.unreadable.reason)]) if {
	deploys_to_production
	release_unreadable
}

unknown contains sprintf("pipelines unreadable: %s", [object.get(input.repository.pipelines.unreadable, "needs", input.repository.pipelines.unreadable.reason)]) if {
	not is_array(input.repository.pipelines)
}

not_applicable := "no pipeline deploys to a production environment" if {
	is_array(input.repository.pipelines)
	not deploys_to_production
}
