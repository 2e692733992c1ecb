//! Where requests go: the API base from `--api-url` (GitHub.com, GitHub Enterprise Server's
//! `https://HOST/api/v3`, or a local test server) and the paths derived from it.

/// The API origin and path prefixes. Every request goes to `origin`, nowhere else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiBase {
    /// `scheme://host[:port]`.
    pub origin: String,
    /// Path prefix of REST routes: empty on GitHub.com, `/api/v3` on GHES.
    pub rest_prefix: String,
    /// Path of the GraphQL endpoint: `/graphql`, or `/api/graphql` on GHES.
    pub graphql_path: String,
}

impl ApiBase {
    /// GitHub.com.
    pub fn github_com() -> Self {
        Self {
            origin: "https://api.github.com".to_owned(),
            rest_prefix: String::new(),
            graphql_path: "/graphql".to_owned(),
        }
    }

    /// Parse `--api-url`; `None` is GitHub.com. Errors are one line for the user.
    pub fn parse(url: Option<&str>) -> Result<Self, String> {
        let Some(url) = url else {
            return Ok(Self::github_com());
        };
        let url = url.trim().trim_end_matches('/');
        let shown = crate::collect::url::redact_flag_value(url);
        let (scheme, rest) = url.split_once("://").ok_or_else(|| {
            format!("--api-url {shown:?} is not a URL (expected https://HOST/api/v3)")
        })?;
        if rest.contains(['?', '#']) {
            return Err(format!(
                "--api-url {shown:?} must not have a query or fragment"
            ));
        }
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        if host.is_empty() || host.contains('@') {
            return Err(format!("--api-url {shown:?} has no usable host"));
        }
        crate::collect::url::check_scheme("--api-url", scheme, host)?;
        let graphql_path = match path.strip_suffix("/v3") {
            Some(api) => format!("{api}/graphql"),
            None => format!("{path}/graphql"),
        };
        Ok(Self {
            origin: format!("{scheme}://{host}"),
            rest_prefix: path.to_owned(),
            graphql_path,
        })
    }

    /// The full path of a REST route (`/orgs/x` → `/api/v3/orgs/x` on GHES).
    pub fn rest(&self, route: &str) -> String {
        format!("{}{route}", self.rest_prefix)
    }

    /// The API base as recorded in the snapshot (`api_host`).
    pub fn display(&self) -> String {
        format!("{}{}", self.origin, self.rest_prefix)
    }

    /// The path of an absolute URL on this origin (a `Link` header's target), or `None` when the
    /// URL points elsewhere.
    pub fn path_of(&self, url: &str) -> Option<String> {
        let rest = url.strip_prefix(&self.origin)?;
        rest.starts_with('/').then(|| rest.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ghes_local_and_default() {
        let ghes = ApiBase::parse(Some("https://ghe.example.com/api/v3/")).unwrap();
        assert_eq!(ghes.origin, "https://ghe.example.com");
        assert_eq!(ghes.rest("/user"), "/api/v3/user");
        assert_eq!(ghes.graphql_path, "/api/graphql");
        let local = ApiBase::parse(Some("http://127.0.0.1:8080")).unwrap();
        assert_eq!(local.rest("/user"), "/user");
        assert_eq!(local.graphql_path, "/graphql");
        assert_eq!(
            local
                .path_of("http://127.0.0.1:8080/orgs/a/repos?page=2")
                .as_deref(),
            Some("/orgs/a/repos?page=2")
        );
        assert_eq!(local.path_of("http://evil.example/x"), None);
        assert_eq!(ApiBase::parse(None).unwrap().graphql_path, "/graphql");
        assert!(ApiBase::parse(Some("ftp://x")).is_err());
        assert!(ApiBase::parse(Some("nohost")).is_err());
    }
}
