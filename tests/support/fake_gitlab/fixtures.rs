//! The fake group `acme-gl` (subgroups `platform`, `platform/infra`) and a generated group of
//! N projects for request counts. Each project's comment says which verdicts it must produce.

#![allow(dead_code)]

use std::collections::BTreeMap;

use super::world::{Group, Project, Protected, PushRule, RunnerSpec, World};

/// The token the fake accepts.
pub const TOKEN: &str = "glpat-FAKE-token-0123456789";

/// Every CI/CD variable value in the fixtures starts with this: none may leave the fake.
pub const VALUE_MARK: &str = "s3cr3t-VALUE-";

fn files(list: &[(&str, &str)]) -> BTreeMap<String, String> {
    list.iter()
        .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
        .collect()
}

fn var(key: &str, tag: &str) -> (String, String) {
    (key.to_owned(), format!("{VALUE_MARK}{tag}"))
}

fn protected(name: &str, push: u8, merge: u8, force: bool) -> Protected {
    Protected {
        name: name.to_owned(),
        push,
        merge,
        force,
        code_owner: false,
    }
}

/// The main CI file of `platform/api`: AWS by OIDC through `id_tokens`, secret detection in
/// a local include, a release job.
pub const API_CI: &str = r#"include:
  - local: ci/security.yml
stages: [test, deploy]
deploy:
  stage: deploy
  image: amazon/aws-cli:2.15.0
  id_tokens:
    AWS_ID_TOKEN:
      aud: https://gitlab.example.com
  script:
    - aws sts assume-role-with-web-identity --role-arn "$ROLE_ARN" --role-session-name gl --web-identity-token "$AWS_ID_TOKEN"
    - aws s3 sync dist/ s3://acme-site
  environment: production
"#;

/// The local include of `platform/api`.
pub const API_SECURITY: &str = "include:\n  - template: Jobs/Secret-Detection.gitlab-ci.yml\n";

/// The pre-commit config of `platform/api`.
pub const PRECOMMIT: &str = "repos:\n  - repo: https://github.com/gitleaks/gitleaks\n    rev: v8.18.0\n    hooks:\n      - id: gitleaks\n";

/// The CI file of `platform/infra/terraform`: static keys from variables, a tagged runner.
pub const TERRAFORM_CI: &str = r#"plan:
  tags: [terraform]
  script:
    - terraform init
    - terraform plan
apply:
  tags: [terraform]
  environment: prod
  script:
    - terraform apply -auto-approve
"#;

/// `acme-gl`.
pub fn acme() -> World {
    let groups = vec![
        Group {
            id: 10,
            full_path: "acme-gl".into(),
            variables: vec![var("SONAR_TOKEN", "group-sonar")],
            variables_forbidden: false,
        },
        Group {
            id: 11,
            full_path: "acme-gl/platform".into(),
            variables: Vec::new(),
            variables_forbidden: false,
        },
        Group {
            id: 12,
            full_path: "acme-gl/platform/infra".into(),
            variables: vec![var("GCP_SA_KEY", "subgroup-gcp")],
            variables_forbidden: false,
        },
    ];

    // Everything protected: every branch control passes; push protection on (Ultimate).
    let mut api = Project::new(101, "acme-gl/platform/api");
    api.stars = 40;
    api.forks = 4;
    api.topics = vec!["service".into()];
    api.must_succeed = true;
    api.spp = Some(true);
    api.protected = vec![
        Protected {
            code_owner: true,
            ..protected("main", 0, 40, false)
        },
        protected("release/*", 40, 40, false),
    ];
    api.branches = vec!["main".into(), "release/1.0".into(), "feature/x".into()];
    api.approvals = Some((false, true, true));
    api.approval_rules = Some(vec![("All members".into(), 2, "any_approver".into())]);
    api.push_rule = PushRule::Set {
        reject_unsigned: true,
    };
    api.fetches = Some(900);
    api.variables = vec![var("ROLE_ARN", "api-role")];
    api.files = files(&[
        (".gitlab-ci.yml", API_CI),
        ("ci/security.yml", API_SECURITY),
        (".gitlab/CODEOWNERS", "* @acme-gl/maintainers\n"),
        (".pre-commit-config.yaml", PRECOMMIT),
    ]);
    api.job_token_inbound = true;
    api.environments = vec![("production".into(), true), ("review/x".into(), false)];
    api.release = Some("v1.2.0".into());

    // Free tier, nothing protected: branch controls fail, push rule unknown (404 Premium),
    // statistics 403 (fallback rank), a static cloud key from the subgroup and the project,
    // a group runner by tag, an unprotected prod environment, an unprotected release branch.
    let mut terraform = Project::new(102, "acme-gl/platform/infra/terraform");
    terraform.stars = 3;
    terraform.forks = 1;
    terraform.fetches = None;
    terraform.branches = vec!["main".into(), "release-2024".into()];
    terraform.variables = vec![
        var("AWS_SECRET_ACCESS_KEY", "tf-aws"),
        var("TF_VAR_region", "tf-region"),
    ];
    terraform.files = files(&[(".gitlab-ci.yml", TERRAFORM_CI)]);
    terraform.runners = vec![7];
    terraform.environments = vec![("prod".into(), false)];

    // Public, Ultimate without push protection, protected by a wildcard that lets developers
    // push and force-push; approvals unreadable by role; CODEOWNERS at the root; no CI;
    // variables and runners 403.
    let mut web = Project::new(103, "acme-gl/web");
    web.visibility = "public".into();
    web.stars = 120;
    web.forks = 30;
    web.fetches = Some(300);
    web.spp = Some(false);
    web.protected = vec![protected("ma*", 30, 30, true)];
    web.approvals_forbidden = true;
    web.approval_rules = Some(Vec::new());
    web.push_rule = PushRule::Unset;
    web.variables_forbidden = true;
    web.runners_forbidden = true;
    web.files = files(&[("CODEOWNERS", "* @web\n"), ("README.md", "# web\n")]);

    // Archived: not applicable everywhere, unranked.
    let mut old = Project::new(104, "acme-gl/old");
    old.archived = true;
    old.fetches = Some(5000);

    let mut runners = BTreeMap::new();
    runners.insert(
        7,
        RunnerSpec {
            description: "tf-runner".into(),
            runner_type: "group_type".into(),
            tags: vec!["terraform".into()],
            run_untagged: false,
        },
    );
    World {
        token: TOKEN.into(),
        username: "sync-bot".into(),
        groups,
        projects: vec![api, terraform, web, old],
        runners,
        access: Default::default(),
    }
}

/// A group `big` with `n` projects, alike but for their ids, each with a CI file and a
/// variable.
pub fn big(n: usize) -> World {
    let mut world = acme();
    world.groups = vec![Group {
        id: 50,
        full_path: "big".into(),
        variables: vec![var("GROUP_TOKEN", "big")],
        variables_forbidden: false,
    }];
    let template = world.projects[0].clone();
    world.projects = (0..n)
        .map(|i| {
            let mut p = template.clone();
            p.id = 1000 + i as u64;
            p.path = format!("big/p{i:04}");
            p
        })
        .collect();
    world
}
