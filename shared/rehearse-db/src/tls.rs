//! Turning `DATABASE_URL` into a tokio-postgres config and a rustls connector.
//!
//! tokio-postgres understands `sslmode=disable|prefer|require` only. We also accept
//! libpq's `verify-ca`/`verify-full` (and `sslrootcert=<file>`) so the same URL works
//! with `psql` and here: they become `require` plus certificate verification.
//! With plain `require` the channel is encrypted but the certificate is not checked,
//! exactly as libpq does (managed poolers often present certificates from a private CA).

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use secrecy::{ExposeSecret, SecretString};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::DbError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verification {
    /// Encrypt, but accept any certificate (libpq `require`, and `prefer` when the server offers TLS).
    None,
    /// Check the chain against the web PKI roots plus `sslrootcert`; `verify-full` also checks the host name.
    Chain {
        root_cert: Option<String>,
        check_host: bool,
    },
}

#[derive(Debug)]
pub(crate) struct ConnectSettings {
    pub config: tokio_postgres::Config,
    pub verification: Verification,
}

impl ConnectSettings {
    pub fn parse(url: &SecretString) -> Result<Self, DbError> {
        // Never echo the URL itself in an error: it usually carries a password.
        let mut parsed = url::Url::parse(url.expose_secret())
            .map_err(|e| DbError::Config(format!("DATABASE_URL is not a valid URL: {e}")))?;
        if !matches!(parsed.scheme(), "postgres" | "postgresql") {
            return Err(DbError::Config(
                "DATABASE_URL must start with postgres:// or postgresql://".into(),
            ));
        }
        let mut verification = Verification::None;
        let mut root_cert = None;
        let mut kept: Vec<(String, String)> = Vec::new();
        for (key, value) in parsed.query_pairs() {
            match (key.as_ref(), value.as_ref()) {
                ("sslmode", "verify-ca" | "verify-full") => {
                    verification = Verification::Chain {
                        root_cert: None,
                        check_host: value == "verify-full",
                    };
                    kept.push(("sslmode".into(), "require".into()));
                }
                ("sslrootcert", path) => root_cert = Some(path.to_owned()),
                _ => kept.push((key.into_owned(), value.into_owned())),
            }
        }
        if let Verification::Chain {
            root_cert: slot, ..
        } = &mut verification
        {
            *slot = root_cert;
        }
        if kept.is_empty() {
            parsed.set_query(None);
        } else {
            parsed.query_pairs_mut().clear().extend_pairs(kept);
        }
        let config = parsed
            .as_str()
            .parse::<tokio_postgres::Config>()
            .map_err(|e| DbError::Config(format!("DATABASE_URL: {e}")))?;
        Ok(Self {
            config,
            verification,
        })
    }

    pub fn connector(&self) -> Result<MakeRustlsConnect, DbError> {
        // *ring*, the one provider the workspace links (see the root Cargo.toml),
        // named here rather than taken from a process-wide default.
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| DbError::Config(format!("TLS set-up failed: {e}")))?;
        let config = match &self.verification {
            Verification::None => builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(EncryptOnly(provider)))
                .with_no_client_auth(),
            Verification::Chain {
                root_cert,
                check_host,
            } => {
                let mut roots = RootCertStore::empty();
                roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
                if let Some(path) = root_cert {
                    add_pem_roots(&mut roots, path)?;
                }
                let verifier = rustls::client::WebPkiServerVerifier::builder_with_provider(
                    Arc::new(roots),
                    provider.clone(),
                )
                .build()
                .map_err(|e| DbError::Config(format!("TLS set-up failed: {e}")))?;
                let verifier: Arc<dyn ServerCertVerifier> = if *check_host {
                    verifier
                } else {
                    Arc::new(ChainOnly(verifier))
                };
                builder
                    .dangerous()
                    .with_custom_certificate_verifier(verifier)
                    .with_no_client_auth()
            }
        };
        Ok(MakeRustlsConnect::new(config))
    }
}

fn add_pem_roots(roots: &mut RootCertStore, path: &str) -> Result<(), DbError> {
    use rustls::pki_types::pem::PemObject;
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| DbError::Config(format!("sslrootcert {path}: {e}")))?;
    for cert in certs {
        let cert = cert.map_err(|e| DbError::Config(format!("sslrootcert {path}: {e}")))?;
        roots
            .add(cert)
            .map_err(|e| DbError::Config(format!("sslrootcert {path}: {e}")))?;
    }
    Ok(())
}

/// libpq's `sslmode=require`: the certificate is not checked, but the handshake
/// signatures still are, so the session key really is negotiated with the peer.
#[derive(Debug)]
struct EncryptOnly(Arc<CryptoProvider>);

impl ServerCertVerifier for EncryptOnly {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// libpq's `sslmode=verify-ca`: the chain must lead to a trusted root, any host name.
#[derive(Debug)]
struct ChainOnly(Arc<rustls::client::WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(rustls::CertificateError::NotValidForName))
            | Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio_postgres::config::SslMode;

    fn parse(url: &str) -> ConnectSettings {
        ConnectSettings::parse(&SecretString::from(url.to_owned())).unwrap()
    }

    #[test]
    fn plain_url_prefers_tls_without_verification() {
        let s = parse("postgres://app:pw@db.internal:6543/rehearse");
        assert_eq!(s.config.get_ssl_mode(), SslMode::Prefer);
        assert_eq!(s.verification, Verification::None);
        assert_eq!(s.config.get_dbname(), Some("rehearse"));
    }

    #[test]
    fn require_encrypts_without_checking_the_chain() {
        let s = parse("postgresql://app@db:5432/x?sslmode=require&application_name=rehearse");
        assert_eq!(s.config.get_ssl_mode(), SslMode::Require);
        assert_eq!(s.verification, Verification::None);
        assert_eq!(s.config.get_application_name(), Some("rehearse"));
    }

    #[test]
    fn verify_full_becomes_require_with_host_check() {
        let s = parse("postgres://app@db/x?sslmode=verify-full&sslrootcert=/opt/ca.pem");
        assert_eq!(s.config.get_ssl_mode(), SslMode::Require);
        assert_eq!(
            s.verification,
            Verification::Chain {
                root_cert: Some("/opt/ca.pem".into()),
                check_host: true
            }
        );
    }

    #[test]
    fn verify_ca_checks_the_chain_but_not_the_name() {
        let s = parse("postgres://app@db/x?sslrootcert=/ca.pem&sslmode=verify-ca");
        assert_eq!(
            s.verification,
            Verification::Chain {
                root_cert: Some("/ca.pem".into()),
                check_host: false
            }
        );
    }

    #[test]
    fn rejects_other_schemes_and_unknown_modes() {
        for bad in [
            "mysql://u@h/db",
            "not a url",
            "postgres://u@h/db?sslmode=sometimes",
        ] {
            assert!(
                ConnectSettings::parse(&SecretString::from(bad.to_owned())).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn builds_a_connector_for_each_mode() {
        for url in [
            "postgres://u@h/db",
            "postgres://u@h/db?sslmode=verify-full",
            "postgres://u@h/db?sslmode=verify-ca",
        ] {
            assert!(parse(url).connector().is_ok(), "{url}");
        }
        let missing_ca =
            parse("postgres://u@h/db?sslmode=verify-full&sslrootcert=/nonexistent.pem");
        assert!(missing_ca.connector().is_err());
    }
}
