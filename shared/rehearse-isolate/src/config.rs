use std::time::Duration;

use rehearse_core::ConfigError;
use rehearse_core::config::{self, Source};
use rehearse_resume::Limits;

/// Bounds on one isolated parse, read once per cold start.
#[derive(Debug, Clone)]
pub struct IsolateConfig {
    /// What the parser itself enforces; `limits.max_bytes` is `MAX_UPLOAD_BYTES`.
    pub limits: Limits,
    /// `PDF_PARSE_TIMEOUT_MS`: wall clock from spawn to answer; the child is killed after it.
    pub timeout: Duration,
    /// `PDF_PARSE_MEMORY_MB`: the child's address-space limit (`RLIMIT_AS`). Keep it
    /// well below the function's memory size, so the child hits its own limit before
    /// the Lambda sandbox as a whole runs out.
    pub memory_limit_bytes: u64,
    /// `PDF_PARSE_CPU_SECONDS`: the child's CPU-time limit (`RLIMIT_CPU`); also what
    /// ends a child whose parent died mid-parse.
    pub cpu_limit_seconds: u64,
    /// The largest answer read from the child; a longer one is a failed parse.
    pub max_output_bytes: usize,
}

impl IsolateConfig {
    pub const DEFAULT_MAX_UPLOAD_BYTES: usize = 4 * 1024 * 1024;
    /// Lambda caps a synchronous payload at 6 MB and API Gateway base64-encodes
    /// binary bodies, so no larger upload can arrive anyway.
    pub const MAX_MAX_UPLOAD_BYTES: usize = 6 * 1024 * 1024;

    /// The configuration from `MAX_UPLOAD_BYTES` and `PDF_PARSE_*`, each optional.
    pub fn from_env(env: &impl Source) -> Result<Self, ConfigError> {
        let defaults = Self::default();
        let max_bytes: usize =
            config::parsed_or(env, "MAX_UPLOAD_BYTES", Self::DEFAULT_MAX_UPLOAD_BYTES)?;
        in_range(
            "MAX_UPLOAD_BYTES",
            max_bytes as u64,
            1024,
            Self::MAX_MAX_UPLOAD_BYTES as u64,
        )?;
        let timeout_ms: u64 = config::parsed_or(
            env,
            "PDF_PARSE_TIMEOUT_MS",
            defaults.timeout.as_millis() as u64,
        )?;
        in_range("PDF_PARSE_TIMEOUT_MS", timeout_ms, 100, 120_000)?;
        let memory_mb: u64 = config::parsed_or(
            env,
            "PDF_PARSE_MEMORY_MB",
            defaults.memory_limit_bytes / (1024 * 1024),
        )?;
        in_range("PDF_PARSE_MEMORY_MB", memory_mb, 64, 16 * 1024)?;
        // By default the CPU limit matches the timeout: a single-threaded parser
        // cannot use more CPU than wall time, so it only bites on an orphaned child.
        let cpu_seconds: u64 =
            config::parsed_or(env, "PDF_PARSE_CPU_SECONDS", timeout_ms.div_ceil(1000))?;
        in_range("PDF_PARSE_CPU_SECONDS", cpu_seconds, 1, 600)?;
        Ok(Self {
            limits: Limits {
                max_bytes,
                ..defaults.limits
            },
            timeout: Duration::from_millis(timeout_ms),
            memory_limit_bytes: memory_mb * 1024 * 1024,
            cpu_limit_seconds: cpu_seconds,
            max_output_bytes: defaults.max_output_bytes,
        })
    }
}

impl Default for IsolateConfig {
    fn default() -> Self {
        Self {
            limits: Limits {
                max_bytes: Self::DEFAULT_MAX_UPLOAD_BYTES,
                ..Limits::default()
            },
            timeout: Duration::from_secs(10),
            memory_limit_bytes: 1024 * 1024 * 1024,
            cpu_limit_seconds: 10,
            // A resume's JSON is a few KiB; 20 pages of text stay far below this.
            max_output_bytes: 4 * 1024 * 1024,
        }
    }
}

fn in_range(name: &'static str, value: u64, min: u64, max: u64) -> Result<(), ConfigError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(ConfigError::Invalid {
            name,
            reason: format!("{value} is outside {min}..={max}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Source {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn defaults_and_overrides() {
        let d = IsolateConfig::from_env(&env(&[])).unwrap();
        assert_eq!(d.limits.max_bytes, 4 * 1024 * 1024);
        assert_eq!(d.timeout, Duration::from_secs(10));
        assert_eq!(d.memory_limit_bytes, 1024 * 1024 * 1024);
        assert_eq!(d.cpu_limit_seconds, 10);

        let c = IsolateConfig::from_env(&env(&[
            ("MAX_UPLOAD_BYTES", "1048576"),
            ("PDF_PARSE_TIMEOUT_MS", "2500"),
            ("PDF_PARSE_MEMORY_MB", "512"),
        ]))
        .unwrap();
        assert_eq!(c.limits.max_bytes, 1024 * 1024);
        assert_eq!(c.timeout, Duration::from_millis(2500));
        assert_eq!(c.memory_limit_bytes, 512 * 1024 * 1024);
        assert_eq!(c.cpu_limit_seconds, 3, "follows the timeout, rounded up");
    }

    #[test]
    fn bad_values_name_the_variable() {
        for (name, value) in [
            ("MAX_UPLOAD_BYTES", "lots"),
            ("MAX_UPLOAD_BYTES", "99999999"),
            ("PDF_PARSE_TIMEOUT_MS", "0"),
            ("PDF_PARSE_MEMORY_MB", "1"),
            ("PDF_PARSE_CPU_SECONDS", "0"),
        ] {
            let e = move |n: &str| (n == name).then(|| value.to_owned());
            let err = IsolateConfig::from_env(&e).unwrap_err().to_string();
            assert!(err.contains(name), "{err}");
        }
    }
}
