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

/// The roots of Amazon Trust Services, the CA of every AWS endpoint's
/// certificate (S3, Secrets Manager): Amazon Root CA 1 to 4 and the Starfield
/// Services Root CA - G2 that cross-signs them, as Mozilla's CA list has them
/// (roots/README.md).
const AMAZON_TRUST_SERVICES: &str = include_str!("../roots/amazon-trust-services.pem");

/// Variables that mean the operator chose the CAs (a bundle, a TLS-inspecting
/// proxy): then the system's store is used, whatever the endpoint.
const SYSTEM_TRUST_VARS: [&str; 6] = [
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// Which root certificates an HTTPS client trusts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trust {
    /// Amazon Trust Services' five roots, compiled in: a client of AWS needs
    /// no other, and building its TLS configuration parses five certificates
    /// instead of reading and parsing the system's ~150 (~2-3 ms of a cold
    /// start: bench/cold-start.sh, health-get).
    AmazonTrustServices,
    /// The system's store (rustls-native-certs: `SSL_CERT_FILE` /
    /// `SSL_CERT_DIR`, else the distribution's bundle and directory).
    System,
}

impl Trust {
    /// For a client of AWS itself (`endpoint` `None`) or of `endpoint` (an
    /// S3-compatible server): Amazon's roots for AWS (also named as an
    /// `https://….amazonaws.com` endpoint) and for a plain-HTTP endpoint
    /// (there is no certificate to verify), the system's for an HTTPS endpoint
    /// elsewhere, whose CA is not Amazon's, and whenever one of
    /// `SSL_CERT_FILE`, `SSL_CERT_DIR`, `HTTPS_PROXY` is set.
    ///
    /// The China partition (`cn-` regions) is not assumed to chain to them:
    /// there the system's store is used too.
    pub fn for_endpoint(endpoint: Option<&str>) -> Self {
        if region_from_env().as_ref().starts_with("cn-") {
            return Self::System;
        }
        Self::choose(endpoint, |name| non_blank(name).is_some())
    }

    fn choose(endpoint: Option<&str>, is_set: impl Fn(&str) -> bool) -> Self {
        let elsewhere_over_tls = endpoint.is_some_and(|e| {
            let e = e.trim();
            let Some(rest) = e
                .get(..8)
                .filter(|scheme| scheme.eq_ignore_ascii_case("https://"))
                .and_then(|_| e.get(8..))
            else {
                return false;
            };
            // The authority ends at the path, query or fragment; the host
            // follows any user info and precedes the port.
            let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
            let host = authority.rsplit('@').next().unwrap_or_default();
            let host = host.split(':').next().unwrap_or_default();
            !host.to_ascii_lowercase().ends_with(".amazonaws.com")
        });
        if elsewhere_over_tls || SYSTEM_TRUST_VARS.iter().any(|v| is_set(v)) {
            Self::System
        } else {
            Self::AmazonTrustServices
        }
    }
}

/// The AWS SDK's HTTPS client, as its `default-https-client` feature builds it
/// (hyper 1, rustls, the connect timeout and proxy variables honoured) but on
/// *ring* instead of aws-lc-rs, so the workspace links one crypto provider, not
/// two (see the root `Cargo.toml`), and trusting the roots `trust` names. That
/// feature is off, so an SDK client given no HTTP client cannot send anything:
/// build every SDK client with this one.
pub fn https_client(trust: Trust) -> SharedHttpClient {
    use aws_smithy_http_client::tls::{
        Provider, TlsContext, TrustStore, rustls_provider::CryptoMode,
    };
    use aws_smithy_http_client::{Builder, ConnectorBuilder, proxy::ProxyConfig};
    let context = match trust {
        Trust::System => None,
        // Cannot fail: the builder only stores the trust store (the PEM is
        // parsed per connector, and the tests build one).
        Trust::AmazonTrustServices => TlsContext::builder()
            .with_trust_store(
                TrustStore::empty()
                    .with_native_roots(false)
                    .with_pem_certificate(AMAZON_TRUST_SERVICES.as_bytes()),
            )
            .build()
            .ok(),
    };
    Builder::new().build_with_connector_fn(move |settings, components| {
        let mut connector =
            ConnectorBuilder::default().tls_provider(Provider::Rustls(CryptoMode::Ring));
        if let Some(context) = &context {
            connector.set_tls_context(context.clone());
        }
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
    fn aws_and_plain_http_endpoints_trust_amazon_an_https_one_elsewhere_the_system() {
        let none = |_: &str| false;
        assert_eq!(Trust::choose(None, none), Trust::AmazonTrustServices);
        for aws in [
            "http://127.0.0.1:9000",
            "https://s3.eu-west-1.amazonaws.com",
            "https://S3.US-EAST-1.AMAZONAWS.COM:443/",
            "https://key@s3.amazonaws.com/bucket",
        ] {
            assert_eq!(
                Trust::choose(Some(aws), none),
                Trust::AmazonTrustServices,
                "{aws}"
            );
        }
        for elsewhere in [
            "https://minio.example.com",
            "HTTPS://abc.r2.cloudflarestorage.com",
            " https://s3.example.org:9000/",
            "https://amazonaws.com.evil.example",
            "https://evil-amazonaws.com",
            "https://minio.local#.amazonaws.com",
            "https://minio.local/x.amazonaws.com",
            "https://user.amazonaws.com@minio.local",
        ] {
            assert_eq!(Trust::choose(Some(elsewhere), none), Trust::System);
        }
        for var in [
            "SSL_CERT_FILE",
            "SSL_CERT_DIR",
            "HTTPS_PROXY",
            "https_proxy",
            "ALL_PROXY",
            "all_proxy",
        ] {
            assert_eq!(Trust::choose(None, |v| v == var), Trust::System, "{var}");
        }
        assert_eq!(
            Trust::choose(None, |v| v == "HTTP_PROXY"),
            Trust::AmazonTrustServices
        );
    }

    #[test]
    fn the_compiled_in_roots_are_mozillas_amazon_trust_services_roots() {
        use rustls::pki_types::CertificateDer;
        use rustls::pki_types::pem::PemObject;
        let certs: Vec<CertificateDer<'static>> =
            CertificateDer::pem_slice_iter(AMAZON_TRUST_SERVICES.as_bytes())
                .collect::<Result<_, _>>()
                .unwrap();
        assert_eq!(certs.len(), 5);
        // Parsed as the SDK parses them (it panics on one it cannot add).
        let mut store = rustls::RootCertStore::empty();
        assert_eq!(store.add_parsable_certificates(certs), (5, 0));
        let subjects: std::collections::BTreeSet<&[u8]> =
            store.roots.iter().map(|a| a.subject.as_ref()).collect();
        assert_eq!(subjects.len(), 5, "five different roots");
        for anchor in &store.roots {
            let mozilla = webpki_roots::TLS_SERVER_ROOTS.iter().find(|m| {
                m.subject.as_ref() == anchor.subject.as_ref()
                    && m.subject_public_key_info.as_ref() == anchor.subject_public_key_info.as_ref()
            });
            assert!(mozilla.is_some(), "not one of Mozilla's roots: {anchor:?}");
            let subject = String::from_utf8_lossy(anchor.subject.as_ref()).into_owned();
            assert!(
                subject.contains("Amazon Root CA")
                    || subject.contains("Starfield Services Root Certificate Authority - G2"),
                "{subject}"
            );
        }
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
