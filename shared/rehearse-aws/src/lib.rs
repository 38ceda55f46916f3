//! The AWS SDK set-up Rehearse's storage (S3) and secrets (Secrets Manager)
//! share, without `aws-config`.
//!
//! `aws-config` builds the whole default credential chain (environment,
//! profile files, web identity with STS, container, instance metadata) and
//! reads profile files at start. On Lambda the function's role credentials
//! and region are always in the environment, so that chain only added code:
//! `aws-config` and the STS client it brings were ~370 KiB of every binary's
//! machine code (`cargo bloat`, docs/build.md). Here credentials come from
//! `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN`, read
//! when the SDK asks (it caches them), and the region from `AWS_REGION` (or
//! `AWS_DEFAULT_REGION`). Running outside Lambda means exporting them
//! (`infra/local/serve.sh` does; for a profile, `aws configure
//! export-credentials --format env`).

use aws_credential_types::Credentials;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider, future};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_types::region::Region;

/// The region when neither variable is set.
pub const DEFAULT_REGION: &str = "us-east-1";

/// `AWS_REGION`, else `AWS_DEFAULT_REGION`, else [`DEFAULT_REGION`]
/// (blank values count as unset).
pub fn region_from_env() -> Region {
    Region::new(
        ["AWS_REGION", "AWS_DEFAULT_REGION"]
            .iter()
            .find_map(|name| non_blank(name))
            .unwrap_or_else(|| DEFAULT_REGION.to_owned()),
    )
}

fn non_blank(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// Credentials from the process environment, read each time the SDK asks
/// (its identity cache keeps them between requests).
#[derive(Debug, Clone, Copy, Default)]
pub struct EnvironmentCredentials;

impl EnvironmentCredentials {
    pub fn shared() -> SharedCredentialsProvider {
        SharedCredentialsProvider::new(Self)
    }

    fn read(lookup: impl Fn(&str) -> Option<String>) -> Result<Credentials, CredentialsError> {
        let key = lookup("AWS_ACCESS_KEY_ID");
        let secret = lookup("AWS_SECRET_ACCESS_KEY").or_else(|| lookup("SECRET_ACCESS_KEY"));
        match (key, secret) {
            (Some(key), Some(secret)) => Ok(Credentials::new(
                key,
                secret,
                lookup("AWS_SESSION_TOKEN"),
                None,
                "environment",
            )),
            (None, None) => Err(CredentialsError::not_loaded(
                "no AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment",
            )),
            _ => Err(CredentialsError::invalid_configuration(
                "only one of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY is set",
            )),
        }
    }
}

impl ProvideCredentials for EnvironmentCredentials {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::ready(Self::read(non_blank))
    }
}

/// The AWS SDK's HTTPS client, as its `default-https-client` feature builds it
/// (hyper 1, rustls, the system's root certificates, the connect timeout and
/// proxy variables honoured) but on *ring* instead of aws-lc-rs: the workspace
/// links one crypto provider, not two (see the root `Cargo.toml`). That feature
/// is off, so an SDK client given no HTTP client cannot send anything: build
/// every SDK client with this one.
pub fn https_client() -> SharedHttpClient {
    use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
    use aws_smithy_http_client::{Builder, ConnectorBuilder, proxy::ProxyConfig};
    Builder::new().build_with_connector_fn(|settings, components| {
        let mut connector =
            ConnectorBuilder::default().tls_provider(Provider::Rustls(CryptoMode::Ring));
        connector.set_connector_settings(settings.cloned());
        if let Some(components) = components {
            connector.set_sleep_impl(components.sleep_impl());
        }
        connector.set_proxy_config(Some(ProxyConfig::from_env()));
        connector.build()
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn read(vars: &[(&str, &str)]) -> Result<Credentials, CredentialsError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        EnvironmentCredentials::read(|name| vars.get(name).cloned())
    }

    #[test]
    fn the_role_credentials_lambda_sets_are_read_with_their_session_token() {
        let c = read(&[
            ("AWS_ACCESS_KEY_ID", "ASIAEXAMPLE"),
            ("AWS_SECRET_ACCESS_KEY", "secret"),
            ("AWS_SESSION_TOKEN", "token"),
        ])
        .unwrap();
        assert_eq!(c.access_key_id(), "ASIAEXAMPLE");
        assert_eq!(c.secret_access_key(), "secret");
        assert_eq!(c.session_token(), Some("token"));
        let c = read(&[
            ("AWS_ACCESS_KEY_ID", "AKIA"),
            ("AWS_SECRET_ACCESS_KEY", "s"),
        ])
        .unwrap();
        assert_eq!(c.session_token(), None);
    }

    #[test]
    fn missing_credentials_are_not_loaded_and_half_of_them_is_a_configuration_error() {
        assert!(matches!(
            read(&[]),
            Err(CredentialsError::CredentialsNotLoaded(_))
        ));
        assert!(matches!(
            read(&[("AWS_ACCESS_KEY_ID", "AKIA")]),
            Err(CredentialsError::InvalidConfiguration(_))
        ));
    }
}
