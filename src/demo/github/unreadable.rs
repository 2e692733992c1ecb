//! Repositories whose traffic the token could not read (ranked by stars + forks after all
//! the others), and archived ones (not ranked, `not_applicable` for everything).

use super::spec::{BASE, Prot as P, Scan as S, Spec, Tr};
use crate::demo::templates::Wf;
use crate::model::Visibility::{Internal, Public};

/// Fallback-ranked and archived repositories.
pub(super) const REPOS: &[Spec] = &[
    Spec {
        name: "vendor-integrations",
        desc: "Connectors maintained with an external vendor",
        traffic: Tr::Forbidden,
        stars: 4,
        forks: 2,
        wf: &[Wf::CiPython],
        prot: P::Forbidden,
        scan: S::Forbidden,
        secrets: None,
        ..BASE
    },
    Spec {
        name: "finance-reports",
        desc: "Month-end close reports",
        traffic: Tr::Forbidden,
        stars: 1,
        wf: &[Wf::CiPython],
        prot: P::Forbidden,
        scan: S::Forbidden,
        secrets: None,
        ..BASE
    },
    Spec {
        name: "hr-integrations",
        desc: "HRIS to directory sync",
        traffic: Tr::Forbidden,
        wf: &[Wf::AwsStatic],
        prot: P::Forbidden,
        scan: S::Forbidden,
        secrets: None,
        ..BASE
    },
    Spec {
        name: "contractor-portal",
        desc: "Onboarding portal for contractors",
        traffic: Tr::Forbidden,
        stars: 2,
        forks: 1,
        wf: &[Wf::CiNode],
        prot: P::None,
        scan: S::Forbidden,
        secrets: None,
        ..BASE
    },
    Spec {
        name: "openapi-generator",
        desc: "Fork of OpenAPITools/openapi-generator with Acme templates",
        vis: Public,
        fork: true,
        traffic: Tr::Forbidden,
        stars: 3,
        forks: 0,
        pushed: 210,
        prot: P::None,
        scan: S::Both,
        ..BASE
    },
    Spec {
        name: "brand-assets",
        desc: "Logos, fonts and press kit",
        vis: Internal,
        traffic: Tr::Forbidden,
        stars: 7,
        prot: P::None,
        scan: S::AlertsOnly,
        ..BASE
    },
    // --- archived ---
    Spec {
        name: "legacy-monolith",
        desc: "ARCHIVED: the original Rails monolith",
        archived: true,
        traffic: Tr::Views(40, 3, 1),
        stars: 12,
        forks: 4,
        pushed: 900,
        wf: &[Wf::AwsStatic],
        prot: P::Weak,
        scan: S::Off,
        secrets: Some(&[("AWS_ACCESS_KEY_ID", 1500), ("AWS_SECRET_ACCESS_KEY", 1500)]),
        ..BASE
    },
    Spec {
        name: "old-website",
        desc: "ARCHIVED: the 2019 website",
        vis: Public,
        archived: true,
        traffic: Tr::Views(12, 9, 0),
        stars: 3,
        pushed: 1200,
        prot: P::None,
        scan: S::Both,
        ..BASE
    },
    Spec {
        name: "jenkins-shared-lib",
        desc: "ARCHIVED: Jenkins shared library (moved to GitHub Actions)",
        archived: true,
        traffic: Tr::Views(3, 2, 0),
        pushed: 700,
        prot: P::None,
        scan: S::Off,
        ..BASE
    },
    Spec {
        name: "flash-sale-2023",
        desc: "ARCHIVED: Black Friday 2023 flash-sale service",
        archived: true,
        traffic: Tr::Forbidden,
        stars: 1,
        pushed: 720,
        wf: &[Wf::AwsStatic],
        prot: P::None,
        scan: S::Off,
        ..BASE
    },
];
