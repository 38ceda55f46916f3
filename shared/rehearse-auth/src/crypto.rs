//! jsonwebtoken's signatures on *ring*, for the three algorithms Rehearse accepts.
//!
//! jsonwebtoken's own `rust_crypto` backend brings RSA, two NIST curves and
//! Ed25519 from RustCrypto (big integers, curve tables, a second SHA-2), about a
//! tenth of a megabyte of every function's zip, while *ring* is already linked for
//! TLS. This provider verifies (and, for the test kit, signs) HS256, RS256 and
//! ES256 with *ring*, and refuses every other algorithm: [`crate::Verifier`]
//! never asks for one. RSA keys shorter than 2048 bits are refused, as *ring*
//! refuses them. Signing is compiled only with the `signing` feature (the test
//! kit's): the functions never sign, and *ring*'s RSA private-key code would be
//! dead weight in every zip.

use jsonwebtoken::crypto::{CryptoProvider, JwtSigner, JwtVerifier, KeyUtils};
use jsonwebtoken::errors::{ErrorKind, Result};
#[cfg(feature = "signing")]
use jsonwebtoken::signature::Signer;
use jsonwebtoken::signature::{self, Verifier};
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey, DecodingKeyKind, EncodingKey};
use ring::hmac;
#[cfg(feature = "signing")]
use ring::rand::SystemRandom;
use ring::signature::{
    ECDSA_P256_SHA256_FIXED, RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents, UnparsedPublicKey,
};
#[cfg(feature = "signing")]
use ring::signature::{
    ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, RSA_PKCS1_SHA256, RsaKeyPair,
};

static PROVIDER: CryptoProvider = CryptoProvider {
    signer_factory: signer,
    verifier_factory: verifier,
    key_utils: KeyUtils::new_unimplemented(),
};

/// Make this provider jsonwebtoken's for the process. Every user of jsonwebtoken
/// in Rehearse calls it before signing or verifying; later calls do nothing.
/// Before it, jsonwebtoken has no backend (no crate feature names one): a first
/// sign or verify would fix its stand-in, which panics, for the process. Its
/// `KeyUtils` are unimplemented (JWK thumbprints, `Jwk::from_encoding_key`),
/// which Rehearse does not use.
pub fn install() {
    // Err only when a provider is installed already: this one, as nothing else installs one.
    let _ = PROVIDER.install_default();
}

/// A public key (or shared secret) and the one algorithm it verifies.
enum PublicKey {
    Hmac(hmac::Key),
    /// A DER `RSAPublicKey` (what a PEM public key holds).
    RsaDer(Vec<u8>),
    /// A P-256 point, uncompressed (from a JWK's `x` and `y`, or a PEM public key).
    Point(Vec<u8>),
    RsaComponents {
        n: Vec<u8>,
        e: Vec<u8>,
    },
}

struct RingVerifier {
    algorithm: Algorithm,
    key: PublicKey,
}

impl Verifier<Vec<u8>> for RingVerifier {
    fn verify(
        &self,
        message: &[u8],
        signature: &Vec<u8>,
    ) -> std::result::Result<(), signature::Error> {
        let checked =
            match &self.key {
                PublicKey::Hmac(key) => hmac::verify(key, message, signature),
                PublicKey::RsaDer(der) => UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, der)
                    .verify(message, signature),
                PublicKey::Point(point) => UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, point)
                    .verify(message, signature),
                // ring wants the minimal big-endian form; some JWKS pad `n` with
                // zeros (RFC 7518 §6.3.1.1 notes it), which RustCrypto accepted.
                PublicKey::RsaComponents { n, e } => RsaPublicKeyComponents {
                    n: strip_leading_zeros(n),
                    e: strip_leading_zeros(e),
                }
                .verify(&RSA_PKCS1_2048_8192_SHA256, message, signature),
            };
        checked.map_err(|_| signature::Error::new())
    }
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    &bytes[first..]
}

impl JwtVerifier for RingVerifier {
    fn algorithm(&self) -> Algorithm {
        self.algorithm
    }
}

fn verifier(algorithm: &Algorithm, key: &DecodingKey) -> Result<Box<dyn JwtVerifier>> {
    let family = match algorithm {
        Algorithm::HS256 => AlgorithmFamily::Hmac,
        Algorithm::RS256 => AlgorithmFamily::Rsa,
        Algorithm::ES256 => AlgorithmFamily::Ec,
        _ => return Err(ErrorKind::InvalidAlgorithm.into()),
    };
    if key.family() != family {
        return Err(ErrorKind::InvalidKeyFormat.into());
    }
    let key = match (algorithm, key.kind()) {
        (Algorithm::HS256, DecodingKeyKind::SecretOrDer(secret)) => {
            PublicKey::Hmac(hmac::Key::new(hmac::HMAC_SHA256, secret))
        }
        (Algorithm::RS256, DecodingKeyKind::SecretOrDer(der)) => PublicKey::RsaDer(der.clone()),
        (Algorithm::RS256, DecodingKeyKind::RsaModulusExponent { n, e }) => {
            PublicKey::RsaComponents {
                n: n.clone(),
                e: e.clone(),
            }
        }
        (Algorithm::ES256, DecodingKeyKind::SecretOrDer(point)) => PublicKey::Point(point.clone()),
        _ => return Err(ErrorKind::InvalidKeyFormat.into()),
    };
    Ok(Box::new(RingVerifier {
        algorithm: *algorithm,
        key,
    }))
}

/// Without the `signing` feature nothing signs: the functions only verify.
#[cfg(not(feature = "signing"))]
fn signer(_: &Algorithm, _: &EncodingKey) -> Result<Box<dyn JwtSigner>> {
    Err(ErrorKind::InvalidAlgorithm.into())
}

#[cfg(feature = "signing")]
enum PrivateKey {
    Hmac(hmac::Key),
    Rsa(RsaKeyPair),
    Ec(EcdsaKeyPair),
}

#[cfg(feature = "signing")]
struct RingSigner {
    algorithm: Algorithm,
    key: PrivateKey,
}

#[cfg(feature = "signing")]
impl Signer<Vec<u8>> for RingSigner {
    fn try_sign(&self, message: &[u8]) -> std::result::Result<Vec<u8>, signature::Error> {
        let rng = SystemRandom::new();
        match &self.key {
            PrivateKey::Hmac(key) => Ok(hmac::sign(key, message).as_ref().to_vec()),
            PrivateKey::Rsa(pair) => {
                let mut out = vec![0; pair.public().modulus_len()];
                pair.sign(&RSA_PKCS1_SHA256, &rng, message, &mut out)
                    .map_err(|_| signature::Error::new())?;
                Ok(out)
            }
            PrivateKey::Ec(pair) => pair
                .sign(&rng, message)
                .map(|s| s.as_ref().to_vec())
                .map_err(|_| signature::Error::new()),
        }
    }
}

#[cfg(feature = "signing")]
impl JwtSigner for RingSigner {
    fn algorithm(&self) -> Algorithm {
        self.algorithm
    }
}

#[cfg(feature = "signing")]
fn signer(algorithm: &Algorithm, key: &EncodingKey) -> Result<Box<dyn JwtSigner>> {
    let bytes = key.as_bytes();
    let key = match (algorithm, key.family()) {
        (Algorithm::HS256, AlgorithmFamily::Hmac) => {
            PrivateKey::Hmac(hmac::Key::new(hmac::HMAC_SHA256, bytes))
        }
        // PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`).
        (Algorithm::RS256, AlgorithmFamily::Rsa) => PrivateKey::Rsa(
            RsaKeyPair::from_pkcs8(bytes)
                .or_else(|_| RsaKeyPair::from_der(bytes))
                .map_err(|e| ErrorKind::InvalidRsaKey(e.to_string()))?,
        ),
        (Algorithm::ES256, AlgorithmFamily::Ec) => PrivateKey::Ec(
            EcdsaKeyPair::from_pkcs8(
                &ECDSA_P256_SHA256_FIXED_SIGNING,
                bytes,
                &SystemRandom::new(),
            )
            .map_err(|_| ErrorKind::InvalidEcdsaKey)?,
        ),
        (Algorithm::HS256 | Algorithm::RS256 | Algorithm::ES256, _) => {
            return Err(ErrorKind::InvalidKeyFormat.into());
        }
        _ => return Err(ErrorKind::InvalidAlgorithm.into()),
    };
    Ok(Box::new(RingSigner {
        algorithm: *algorithm,
        key,
    }))
}

#[cfg(test)]
mod tests {
    use jsonwebtoken::jwk::JwkSet;
    use jsonwebtoken::{Header, Validation, decode, encode};
    use rehearse_testkit::tokens::{
        ES256_PRIVATE_PEM, ES256_PUBLIC_PEM, JWKS_JSON, RS256_PRIVATE_PEM, RS256_PUBLIC_PEM,
    };
    use serde_json::{Value, json};

    use super::*;

    fn keys() -> Vec<(Algorithm, EncodingKey, DecodingKey)> {
        let set: JwkSet = serde_json::from_str(JWKS_JSON).unwrap_or_else(|e| panic!("{e}"));
        let from_jwk = |i: usize| {
            DecodingKey::from_jwk(&set.keys[i]).unwrap_or_else(|e| panic!("jwk {i}: {e}"))
        };
        let pem = |r: Result<EncodingKey>| r.unwrap_or_else(|e| panic!("{e}"));
        vec![
            (
                Algorithm::HS256,
                EncodingKey::from_secret(b"a secret of some length"),
                DecodingKey::from_secret(b"a secret of some length"),
            ),
            (
                Algorithm::ES256,
                pem(EncodingKey::from_ec_pem(ES256_PRIVATE_PEM.as_bytes())),
                from_jwk(0),
            ),
            (
                Algorithm::RS256,
                pem(EncodingKey::from_rsa_pem(RS256_PRIVATE_PEM.as_bytes())),
                from_jwk(1),
            ),
        ]
    }

    fn validation(alg: Algorithm) -> Validation {
        let mut v = Validation::new(alg);
        v.required_spec_claims.clear();
        v.validate_exp = false;
        v.validate_aud = false;
        v
    }

    #[test]
    fn signs_and_verifies_the_three_algorithms_and_nothing_forged() {
        install();
        let claims = json!({ "sub": "someone" });
        for (alg, signing, verifying) in keys() {
            let token = encode(&Header::new(alg), &claims, &signing)
                .unwrap_or_else(|e| panic!("{alg:?}: {e}"));
            let data = decode::<Value>(&token, &verifying, &validation(alg))
                .unwrap_or_else(|e| panic!("{alg:?}: {e}"));
            assert_eq!(data.claims, claims);

            // The same header and signature over other claims.
            let parts: Vec<&str> = token.split('.').collect();
            let other = encode(&Header::new(alg), &json!({ "sub": "admin" }), &signing)
                .unwrap_or_else(|e| panic!("{e}"));
            let swapped = format!(
                "{}.{}.{}",
                parts[0],
                other.split('.').nth(1).unwrap_or(""),
                parts[2]
            );
            let refused = decode::<Value>(&swapped, &verifying, &validation(alg));
            assert!(
                matches!(
                    refused.as_ref().map_err(|e| e.kind()),
                    Err(ErrorKind::InvalidSignature)
                ),
                "{alg:?}: {refused:?}"
            );
        }
    }

    #[test]
    fn a_key_verifies_only_its_own_algorithm() {
        install();
        let keys = keys();
        let claims = json!({ "sub": "someone" });
        for (alg, signing, _) in &keys {
            let token =
                encode(&Header::new(*alg), &claims, signing).unwrap_or_else(|e| panic!("{e}"));
            for (other, _, verifying) in &keys {
                if other == alg {
                    continue;
                }
                // The token's alg against another family's key, and that key's alg.
                assert!(decode::<Value>(&token, verifying, &validation(*alg)).is_err());
                assert!(decode::<Value>(&token, verifying, &validation(*other)).is_err());
            }
        }
        // PEM public keys verify as the JWKs do.
        let es =
            DecodingKey::from_ec_pem(ES256_PUBLIC_PEM.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let rs = DecodingKey::from_rsa_pem(RS256_PUBLIC_PEM.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
        for (alg, signing, _) in keys.into_iter().skip(1) {
            let token =
                encode(&Header::new(alg), &claims, &signing).unwrap_or_else(|e| panic!("{e}"));
            let key = if alg == Algorithm::ES256 { &es } else { &rs };
            assert!(
                decode::<Value>(&token, key, &validation(alg)).is_ok(),
                "{alg:?}"
            );
        }
    }

    /// A JWK whose modulus is padded with a zero byte verifies as the unpadded one.
    #[test]
    fn a_zero_padded_rsa_modulus_verifies() {
        install();
        let keys = keys();
        let Some((alg, signing, verifying)) = keys.iter().find(|(a, ..)| *a == Algorithm::RS256)
        else {
            panic!("no RS256 test key");
        };
        let DecodingKeyKind::RsaModulusExponent { n, e } = verifying.kind() else {
            panic!("the RS256 test key is a JWK");
        };
        let mut padded = vec![0u8];
        padded.extend_from_slice(n);
        let key = DecodingKey::from_rsa_raw_components(&padded, e);
        let token = encode(&Header::new(*alg), &json!({ "sub": "x" }), signing)
            .unwrap_or_else(|err| panic!("{err}"));
        assert!(decode::<Value>(&token, &key, &validation(*alg)).is_ok());
    }

    #[test]
    fn every_other_algorithm_is_refused() {
        let secret = DecodingKey::from_secret(b"k");
        for alg in [
            Algorithm::HS384,
            Algorithm::HS512,
            Algorithm::ES384,
            Algorithm::RS384,
            Algorithm::RS512,
            Algorithm::PS256,
            Algorithm::PS384,
            Algorithm::PS512,
            Algorithm::EdDSA,
        ] {
            assert!(
                matches!(
                    verifier(&alg, &secret)
                        .map(|_| ())
                        .map_err(|e| e.into_kind()),
                    Err(ErrorKind::InvalidAlgorithm)
                ),
                "{alg:?}"
            );
            assert!(
                signer(&alg, &EncodingKey::from_secret(b"k")).is_err(),
                "{alg:?}"
            );
        }
    }
}
