//! Presigned GET URLs signed directly with `aws-sigv4`, the SDK's own signer.
//!
//! The SDK's `presigned()` runs the whole operation pipeline (endpoint
//! resolution, interceptors, identity cache) for every URL: about 60 µs each,
//! measured by `bench/dashboard.sh`, which made five presigns the largest part of
//! a dashboard request. Here the URL is built once per key from the bucket's base
//! URL and signed in a few microseconds; the credentials are resolved through the
//! same provider chain and reused until shortly before they expire.
//!
//! A GET, the URL every dashboard and resume list signs several of, goes one
//! step further ([`Presigner::sign_get`]): its canonical request has one
//! header (`host`), so it is written directly, and the day's signing key (four
//! HMACs) is derived once per day and credentials instead of per URL. Tests
//! check it signs exactly as `aws-sigv4` does.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_sigv4::http_request::{
    PercentEncodingMode, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
    UriPathNormalizationMode, sign,
};
use aws_sigv4::sign::v4;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use sha2::{Digest, Sha256};

use crate::{StorageConfig, StorageError};

/// RFC 3986 unreserved characters stay; everything else is encoded (SigV4's rule).
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');
/// The same for an object key, whose `/` separate path segments.
const KEY: &AsciiSet = &QUERY.remove(b'/');

/// Credentials are refreshed this long before they expire, so a URL is never
/// signed with credentials about to lapse (its lifetime is bounded by theirs).
const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(5 * 60);

/// Clones share the credentials cache.
#[derive(Clone)]
pub(crate) struct Presigner {
    /// Everything before the percent-encoded key, e.g. `http://127.0.0.1:9100/bucket/`.
    base: String,
    /// The base's authority (the signed `host` header) and path.
    host: String,
    path: String,
    region: String,
    ttl: Duration,
    provider: Option<SharedCredentialsProvider>,
    cached: Arc<Mutex<Option<Credentials>>>,
    day_key: Arc<Mutex<Option<DayKey>>>,
}

/// A SigV4 signing key: valid for every URL signed on `day` (UTC, `YYYYMMDD`)
/// with these credentials in this region for S3.
struct DayKey {
    day: String,
    access_key_id: String,
    secret: String,
    key: Vec<u8>,
}

impl std::fmt::Debug for Presigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Presigner")
            .field("base", &self.base)
            .field("region", &self.region)
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

impl Presigner {
    pub(crate) fn new(cfg: &StorageConfig, provider: Option<SharedCredentialsProvider>) -> Self {
        let base = base_url(cfg);
        let after_scheme = base
            .split_once("://")
            .map_or(base.as_str(), |(_, rest)| rest);
        let (host, path) = match after_scheme.find('/') {
            Some(at) => after_scheme.split_at(at),
            None => (after_scheme, "/"),
        };
        Self {
            host: host.to_owned(),
            path: path.to_owned(),
            base,
            region: cfg.region.clone(),
            ttl: cfg.presign_ttl,
            provider,
            cached: Arc::new(Mutex::new(None)),
            day_key: Arc::new(Mutex::new(None)),
        }
    }

    /// A GET URL for `key`, valid for the configured lifetime from now.
    pub(crate) async fn presign_get(&self, key: &str) -> Result<String, StorageError> {
        let credentials = self.credentials().await?;
        self.sign_get(key, &credentials, SystemTime::now())
    }

    /// [`Presigner::presign_get`] for each of `keys`, in order, signed at one
    /// instant: the credentials, the date, the query's shared part and the
    /// signing key are looked up once for all of them.
    pub(crate) async fn presign_gets(&self, keys: &[&str]) -> Result<Vec<String>, StorageError> {
        // Nothing to sign (a dashboard without resumes) needs no credentials.
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let credentials = self.credentials().await?;
        self.sign_gets(keys, &credentials, SystemTime::now())
    }

    /// [`Presigner::sign`] for a GET of `key` valid for the configured
    /// lifetime, without the general signer's request model: the canonical
    /// request of a presigned GET (query parameters in their sorted order, the
    /// `host` header, an unsigned payload) written directly, signed with the
    /// day's cached key.
    fn sign_get(
        &self,
        key: &str,
        credentials: &Credentials,
        now: SystemTime,
    ) -> Result<String, StorageError> {
        self.sign_gets(&[key], credentials, now)?
            .pop()
            .ok_or_else(|| StorageError::Presign("no URL signed".into()))
    }

    /// [`Presigner::sign_get`] for each of `keys`, sharing what does not
    /// depend on the key.
    fn sign_gets(
        &self,
        keys: &[&str],
        credentials: &Credentials,
        now: SystemTime,
    ) -> Result<Vec<String>, StorageError> {
        let at = time::OffsetDateTime::from(now);
        let day = format!("{:04}{:02}{:02}", at.year(), u8::from(at.month()), at.day());
        let amz_date = format!(
            "{day}T{:02}{:02}{:02}Z",
            at.hour(),
            at.minute(),
            at.second()
        );
        let scope = format!("{day}/{}/s3/aws4_request", self.region);

        let mut query = String::with_capacity(512);
        query.push_str("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=");
        query.extend(utf8_percent_encode(credentials.access_key_id(), QUERY));
        query.push_str("%2F");
        query.extend(utf8_percent_encode(&scope, QUERY));
        let _ = write!(
            query,
            "&X-Amz-Date={amz_date}&X-Amz-Expires={}",
            self.ttl.as_secs()
        );
        // Signed in its sorted place, but sent last, as `aws-sigv4` sends it.
        let token = credentials.session_token().map(|token| {
            let mut param = String::from("&X-Amz-Security-Token=");
            param.extend(utf8_percent_encode(token, QUERY));
            param
        });
        let token = token.as_deref().unwrap_or_default();
        const SIGNED_HEADERS: &str = "&X-Amz-SignedHeaders=host";
        let signing_key = self.signing_key(credentials, &day, now)?;

        let mut urls = Vec::with_capacity(keys.len());
        for key in keys {
            let encoded_key: String = utf8_percent_encode(key, KEY).collect();
            let canonical_request = format!(
                "GET\n{}{encoded_key}\n{query}{token}{SIGNED_HEADERS}\nhost:{}\n\nhost\nUNSIGNED-PAYLOAD",
                self.path, self.host
            );
            let string_to_sign = format!(
                "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
                hex::encode(Sha256::digest(canonical_request.as_bytes()))
            );
            let signature = v4::calculate_signature(&signing_key, string_to_sign.as_bytes());
            urls.push(format!(
                "{}{encoded_key}?{query}{SIGNED_HEADERS}&X-Amz-Signature={signature}{token}",
                self.base
            ));
        }
        Ok(urls)
    }

    /// The signing key for `day` (the UTC day of `now`), derived once per day
    /// and credentials.
    fn signing_key(
        &self,
        credentials: &Credentials,
        day: &str,
        now: SystemTime,
    ) -> Result<Vec<u8>, StorageError> {
        let mut cached = self
            .day_key
            .lock()
            .map_err(|_| StorageError::Presign("signing key cache poisoned".into()))?;
        if let Some(hit) = cached.as_ref().filter(|k| {
            k.day == day
                && k.access_key_id == credentials.access_key_id()
                && k.secret == credentials.secret_access_key()
        }) {
            return Ok(hit.key.clone());
        }
        let key =
            v4::generate_signing_key(credentials.secret_access_key(), now, &self.region, "s3")
                .as_ref()
                .to_vec();
        *cached = Some(DayKey {
            day: day.to_owned(),
            access_key_id: credentials.access_key_id().to_owned(),
            secret: credentials.secret_access_key().to_owned(),
            key: key.clone(),
        });
        Ok(key)
    }

    /// A PUT URL for `key`, valid for `ttl`, whose signature covers
    /// `headers` (lower-case names): the bucket refuses an upload whose values
    /// differ, e.g. another `content-length` or `content-type`.
    pub(crate) async fn presign_put(
        &self,
        key: &str,
        headers: &[(&str, &str)],
        ttl: Duration,
    ) -> Result<String, StorageError> {
        let credentials = self.credentials().await?;
        self.sign("PUT", key, headers, ttl, &credentials, SystemTime::now())
    }

    fn sign(
        &self,
        method: &str,
        key: &str,
        headers: &[(&str, &str)],
        ttl: Duration,
        credentials: &Credentials,
        now: SystemTime,
    ) -> Result<String, StorageError> {
        let mut url = String::with_capacity(self.base.len() + key.len() * 3 + 512);
        url.push_str(&self.base);
        url.extend(utf8_percent_encode(key, KEY));

        let mut settings = SigningSettings::default();
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(ttl);
        // S3 signs the path exactly as sent, without re-encoding or normalising it.
        settings.percent_encoding_mode = PercentEncodingMode::Single;
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        let identity = credentials.clone().into();
        let params: aws_sigv4::http_request::SigningParams<'_> = v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.region)
            .name("s3")
            .time(now)
            .settings(settings)
            .build()
            .map_err(|e| StorageError::Presign(Box::new(e)))?
            .into();
        let request = SignableRequest::new(
            method,
            &url,
            headers.iter().copied(),
            SignableBody::UnsignedPayload,
        )
        .map_err(|e| StorageError::Presign(Box::new(e)))?;
        let (instructions, _signature) = sign(request, &params)
            .map_err(|e| StorageError::Presign(Box::new(e)))?
            .into_parts();
        let (_headers, query) = instructions.into_parts();
        let mut separator = '?';
        for (name, value) in query {
            url.push(separator);
            separator = '&';
            url.extend(utf8_percent_encode(name, QUERY));
            url.push('=');
            url.extend(utf8_percent_encode(&value, QUERY));
        }
        Ok(url)
    }

    async fn credentials(&self) -> Result<Credentials, StorageError> {
        let now = SystemTime::now();
        if let Some(fresh) = self
            .cached
            .lock()
            .map_err(|_| StorageError::Presign("credentials cache poisoned".into()))?
            .as_ref()
            .filter(|c| still_fresh(c, now))
        {
            return Ok(fresh.clone());
        }
        let provider = self.provider.as_ref().ok_or_else(|| {
            StorageError::Presign("no AWS credentials provider configured".into())
        })?;
        // Two requests may both refresh at expiry; both get valid credentials.
        let credentials = provider
            .provide_credentials()
            .await
            .map_err(|e| StorageError::Presign(Box::new(e)))?;
        if let Ok(mut cached) = self.cached.lock() {
            *cached = Some(credentials.clone());
        }
        Ok(credentials)
    }
}

fn still_fresh(credentials: &Credentials, now: SystemTime) -> bool {
    credentials
        .expiry()
        .is_none_or(|expiry| now + REFRESH_BEFORE_EXPIRY < expiry)
}

/// The URL prefix of every object: path style (`{endpoint}/{bucket}/`) for
/// S3-compatible servers, virtual-hosted (`https://{bucket}.s3.{region}.amazonaws.com/`)
/// on AWS, as the SDK addresses the same bucket.
fn base_url(cfg: &StorageConfig) -> String {
    let bucket = utf8_percent_encode(&cfg.bucket, QUERY).to_string();
    match (&cfg.endpoint, cfg.force_path_style) {
        (Some(endpoint), true) => format!("{}/{bucket}/", endpoint.trim_end_matches('/')),
        (Some(endpoint), false) => match endpoint.split_once("://") {
            Some((scheme, host)) => format!("{scheme}://{bucket}.{}/", host.trim_end_matches('/')),
            None => format!("{}/{bucket}/", endpoint.trim_end_matches('/')),
        },
        (None, true) => format!("https://s3.{}.amazonaws.com/{bucket}/", cfg.region),
        (None, false) => format!("https://{bucket}.s3.{}.amazonaws.com/", cfg.region),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(endpoint: Option<&str>, path_style: bool) -> StorageConfig {
        StorageConfig {
            bucket: "rehearse-resumes".to_owned(),
            endpoint: endpoint.map(str::to_owned),
            force_path_style: path_style,
            region: "eu-west-1".to_owned(),
            presign_ttl: Duration::from_secs(900),
        }
    }

    #[test]
    fn the_base_url_follows_the_addressing_style() {
        assert_eq!(
            base_url(&cfg(Some("http://127.0.0.1:9100/"), true)),
            "http://127.0.0.1:9100/rehearse-resumes/"
        );
        assert_eq!(
            base_url(&cfg(Some("https://minio.example.com"), false)),
            "https://rehearse-resumes.minio.example.com/"
        );
        assert_eq!(
            base_url(&cfg(None, false)),
            "https://rehearse-resumes.s3.eu-west-1.amazonaws.com/"
        );
        assert_eq!(
            base_url(&cfg(None, true)),
            "https://s3.eu-west-1.amazonaws.com/rehearse-resumes/"
        );
    }

    /// AWS's documented presigned-URL example (S3 developer guide, "Authenticating
    /// Requests: Using Query Parameters"): same key, time, lifetime and
    /// credentials give the same signature.
    #[test]
    fn the_signature_matches_the_aws_documentation_example() {
        // The example's host is the global endpoint, addressed virtual-hosted.
        let mut config = cfg(Some("https://s3.amazonaws.com"), false);
        config.bucket = "examplebucket".to_owned();
        config.region = "us-east-1".to_owned();
        config.presign_ttl = Duration::from_secs(86_400);
        let presigner = Presigner::new(&config, None);
        let credentials = Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "example",
        );
        // 2013-05-24T00:00:00Z
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_369_353_600);
        let url = presigner.sign_get("test.txt", &credentials, now).unwrap();
        assert_eq!(
            url,
            presigner
                .sign("GET", "test.txt", &[], presigner.ttl, &credentials, now)
                .unwrap()
        );
        assert!(
            url.starts_with("https://examplebucket.s3.amazonaws.com/test.txt?"),
            "{url}"
        );
        assert!(
            url.ends_with(
                "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
            ),
            "{url}"
        );
        assert!(
            url.contains(
                "X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            ),
            "{url}"
        );
        assert!(url.contains("X-Amz-Expires=86400"), "{url}");
        assert!(url.contains("X-Amz-SignedHeaders=host"), "{url}");
    }

    #[test]
    fn keys_are_encoded_per_segment() {
        let presigner = Presigner::new(&cfg(Some("http://127.0.0.1:9100"), true), None);
        let credentials = Credentials::new("AKID", "SECRET", Some("tok+en/=".into()), None, "t");
        let url = presigner
            .sign(
                "GET",
                "user 1/ç v+1.pdf",
                &[],
                presigner.ttl,
                &credentials,
                SystemTime::now(),
            )
            .unwrap();
        assert!(
            url.starts_with("http://127.0.0.1:9100/rehearse-resumes/user%201/%C3%A7%20v%2B1.pdf?"),
            "{url}"
        );
        assert!(url.contains("X-Amz-Security-Token=tok%2Ben%2F%3D"), "{url}");
    }

    /// The direct GET signer and `aws-sigv4`'s agree, URL for URL, across
    /// addressing styles, awkward keys, session tokens, day boundaries and
    /// credentials that change (the cached day key must follow both).
    #[test]
    fn the_direct_get_signer_signs_as_aws_sigv4_does() {
        let configs = [
            cfg(Some("http://127.0.0.1:9100"), true),
            cfg(Some("https://minio.example.com:8443/"), false),
            cfg(None, false),
            cfg(None, true),
        ];
        let keys = [
            "0f7e1c2a-1111-2222-3333-444455556666/1733380000_cv.pdf",
            "user 1/ç v+1 (final)~.pdf",
            "a/b//c/Nguyễn Thị Lan.pdf",
        ];
        let credentials = [
            Credentials::new("AKIDONE", "SECRET1", None, None, "t"),
            Credentials::new("AKIDONE", "SECRET2", None, None, "t"),
            Credentials::new("ASIATWO", "SECRET3", Some("tok+en/=".into()), None, "t"),
        ];
        // 2024-12-04T23:59:59Z, then a second later (the next UTC day), then 2030.
        let times = [1_733_356_799, 1_733_356_800, 1_900_000_000]
            .map(|s| SystemTime::UNIX_EPOCH + Duration::from_secs(s));
        for config in &configs {
            let presigner = Presigner::new(config, None);
            for now in times {
                for credentials in &credentials {
                    let mut expected = Vec::new();
                    for key in keys {
                        expected.push(
                            presigner
                                .sign("GET", key, &[], presigner.ttl, credentials, now)
                                .unwrap(),
                        );
                        let direct = presigner.sign_get(key, credentials, now).unwrap();
                        assert_eq!(Some(&direct), expected.last());
                    }
                    // Signed together, each URL is the one signed alone.
                    let together = presigner.sign_gets(&keys, credentials, now).unwrap();
                    assert_eq!(together, expected);
                }
            }
        }
    }

    /// A dashboard without resumes signs nothing, so it needs no credentials.
    #[tokio::test]
    async fn signing_no_url_needs_no_credentials() {
        let presigner = Presigner::new(&cfg(Some("http://127.0.0.1:9100"), true), None);
        assert!(presigner.presign_gets(&[]).await.unwrap().is_empty());
        assert!(presigner.presign_gets(&["k"]).await.is_err());
    }

    #[test]
    fn credentials_are_refreshed_before_they_expire() {
        let now = SystemTime::now();
        let lasting = Credentials::new("a", "b", None, None, "t");
        assert!(still_fresh(&lasting, now));
        let soon = Credentials::new("a", "b", None, Some(now + Duration::from_secs(60)), "t");
        assert!(!still_fresh(&soon, now));
        let later = Credentials::new("a", "b", None, Some(now + Duration::from_secs(3600)), "t");
        assert!(still_fresh(&later, now));
    }
}
