//! What the manifest writes: the watch router (root `Cargo.toml`) and, in
//! `infra/template.yaml`, every function's resources, the costly routes'
//! throttling and the family latency alarms. Each lands between two marker lines
//! of its region ([`REGIONS`]); everything outside them stays hand-written.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::{Auth, Capability, Error, Function, Manifest, camel, read};

/// The command that regenerates; every begin marker names it.
pub const COMMAND: &str = "cargo run -p rehearse-contract -- generate";

/// (file, region) pairs, in the order they are written.
pub const REGIONS: [(&str, &str); 4] = [
    ("Cargo.toml", "watch-router"),
    ("infra/template.yaml", "route-settings"),
    ("infra/template.yaml", "latency-alarms"),
    ("infra/template.yaml", "functions"),
];

/// One generated file: what is committed and what the manifest makes of it.
#[derive(Debug)]
pub struct Output {
    pub file: &'static str,
    pub current: String,
    pub wanted: String,
}

/// Every generated file as it should be, next to what is on disk.
pub fn outputs(root: &Path, manifest: &Manifest) -> Result<Vec<Output>, Error> {
    let descriptions = descriptions(root, manifest)?;
    let mut out: Vec<Output> = Vec::new();
    for (file, region) in REGIONS {
        let body = match region {
            "watch-router" => router(manifest),
            "route-settings" => route_settings(manifest),
            "latency-alarms" => latency_alarms(manifest),
            _ => functions(manifest, &descriptions)?,
        };
        let i = match out.iter().position(|o| o.file == file) {
            Some(i) => i,
            None => {
                let current = read(root, file)?;
                out.push(Output {
                    file,
                    wanted: current.clone(),
                    current,
                });
                out.len() - 1
            }
        };
        out[i].wanted = splice(&out[i].wanted, region, &body).map_err(|message| Error::Region {
            path: root.join(file),
            message,
        })?;
    }
    Ok(out)
}

/// Writes every generated file that differs; returns the files written.
pub fn write(root: &Path, manifest: &Manifest) -> Result<Vec<&'static str>, Error> {
    let mut written = Vec::new();
    for o in outputs(root, manifest)? {
        if o.current != o.wanted {
            let path = root.join(o.file);
            std::fs::write(&path, &o.wanted).map_err(|source| Error::Write { path, source })?;
            written.push(o.file);
        }
    }
    Ok(written)
}

/// The crates' own one-line descriptions (`functions/<name>/Cargo.toml`),
/// which become the Lambda descriptions.
pub fn descriptions(root: &Path, manifest: &Manifest) -> Result<BTreeMap<String, String>, Error> {
    let mut out = BTreeMap::new();
    for name in manifest.function.keys() {
        let rel = format!("functions/{name}/Cargo.toml");
        let text = read(root, &rel)?;
        let value: toml::Table = toml::from_str(&text).map_err(|source| Error::Toml {
            path: root.join(&rel),
            source,
        })?;
        let description = value
            .get("package")
            .and_then(|p| p.get("description"))
            .and_then(|d| d.as_str())
            .unwrap_or_default();
        out.insert(name.clone(), description.to_owned());
    }
    Ok(out)
}

/// Replaces the lines between `region`'s begin and end markers with `body`.
pub fn splice(text: &str, region: &str, body: &str) -> Result<String, String> {
    let begin = format!("do not edit (region: {region})");
    let end = format!("end of generated region: {region}");
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let find = |marker: &str| {
        let hits: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].contains(marker))
            .collect();
        match hits[..] {
            [i] => Ok(i),
            [] => Err(format!("no line with {marker:?}")),
            _ => Err(format!("{} lines with {marker:?}", hits.len())),
        }
    };
    let (b, e) = (find(&begin)?, find(&end)?);
    if e < b {
        return Err(format!("region {region} ends before it begins"));
    }
    Ok(lines[..=b].concat() + body + &lines[e..].concat())
}

/// `[workspace.metadata.lambda.watch.router]`: path -> the functions and methods on it.
pub fn router(m: &Manifest) -> String {
    let mut by_path: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for (route, function) in m.routes() {
        by_path
            .entry(&route.path)
            .or_default()
            .push((function, &route.method));
    }
    let mut s = String::from(
        "# Local gateway: the same paths API Gateway serves, each mapped to its function.\n\
         [workspace.metadata.lambda.watch.router]\n",
    );
    for (path, entries) in by_path {
        let items: Vec<String> = entries
            .iter()
            .map(|(f, method)| format!("{{ function = \"{f}\", method = \"{method}\" }}"))
            .collect();
        match &items[..] {
            [one] => {
                let _ = writeln!(s, "\"{path}\" = [{one}]");
            }
            many => {
                let _ = writeln!(s, "\"{path}\" = [");
                for item in many {
                    let _ = writeln!(s, "    {item},");
                }
                s.push_str("]\n");
            }
        }
    }
    s
}

/// The costly routes' entries of the HttpApi's `RouteSettings`.
pub fn route_settings(m: &Manifest) -> String {
    let mut s = String::new();
    for f in m.function.values().filter(|f| f.costly) {
        for r in &f.routes {
            let _ = write!(
                s,
                "        \"{r}\":\n          ThrottlingBurstLimit: !Ref CostlyRouteThrottlingBurstLimit\n\
                 \x20         ThrottlingRateLimit: !Ref CostlyRouteThrottlingRateLimit\n"
            );
        }
    }
    s
}

/// One p99 latency alarm per family, on the functions' EMF metric `latency`.
pub fn latency_alarms(m: &Manifest) -> String {
    let mut s = String::new();
    for (family, spec) in &m.family {
        let members: Vec<&str> = m
            .function
            .iter()
            .filter(|(_, f)| f.family.as_deref() == Some(family.as_str()))
            .map(|(n, _)| n.as_str())
            .collect();
        let description = format!(
            "p99 latency of the {family} routes ({}) above ${{{}}} ms for 10 of 15 minutes.",
            members.join(", "),
            spec.threshold
        );
        let _ = write!(
            s,
            "\n  {id}LatencyAlarm:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n\
             \x20     AlarmName: !Sub rehearse-${{Stage}}-{family}-latency-p99\n\
             \x20     AlarmDescription: !Sub {description}\n\
             \x20     Namespace: Rehearse\n      MetricName: latency\n      Dimensions:\n\
             \x20       - Name: stage\n          Value: !Ref Stage\n\
             \x20       - Name: family\n          Value: {family}\n\
             \x20     ExtendedStatistic: p99\n      Period: 300\n      EvaluationPeriods: 3\n\
             \x20     DatapointsToAlarm: 2\n      Threshold: !Ref {threshold}\n\
             \x20     ComparisonOperator: GreaterThanThreshold\n      TreatMissingData: notBreaching\n\
             \x20     AlarmActions: [!Ref AlarmTopic]\n      OKActions: [!Ref AlarmTopic]\n",
            id = camel(family),
            description = quote(&description),
            threshold = spec.threshold,
        );
    }
    s
}

const SKIP_VPC: &str = "no VPC: Postgres (Supabase), the LLM, STT and S3 are reached over TLS; see the note on checkov skips";
const SKIP_ENV: &str =
    "environment holds no secret (ARNs, URLs, model names); secrets come from Secrets Manager";
const SKIP_CONCURRENCY: &str =
    "no reserved concurrency: bounded by the API stage's throttling; see the note on checkov skips";
const SKIP_DLQ: &str =
    "invoked synchronously by API Gateway: a DLQ only ever receives asynchronous events";
/// Lambda's limit on a function's description.
const MAX_DESCRIPTION: usize = 256;

/// Every function's log group, function and errors alarm.
pub fn functions(m: &Manifest, descriptions: &BTreeMap<String, String>) -> Result<String, Error> {
    let mut s = String::new();
    let mut problems = Vec::new();
    for (name, f) in &m.function {
        let description = lambda_description(f, descriptions.get(name).map_or("", String::as_str));
        if description.len() > MAX_DESCRIPTION {
            problems.push(format!(
                "function {name}: its description is {} characters with its routes, over Lambda's {MAX_DESCRIPTION}",
                description.len()
            ));
        }
        function(&mut s, name, f, &description);
    }
    if problems.is_empty() {
        Ok(s)
    } else {
        Err(Error::Invalid(problems))
    }
}

/// `GET / and GET /health (no auth): <the crate's description>`; a job's is its crate's.
fn lambda_description(f: &Function, own: &str) -> String {
    let Some(auth) = f.auth else {
        return own.to_owned();
    };
    let routes: Vec<String> = f.routes.iter().map(ToString::to_string).collect();
    let auth = match auth {
        Auth::None => "no auth",
        Auth::Optional => "optional auth",
        Auth::Required => "signed in",
    };
    format!("{} ({auth}): {own}", routes.join(" and "))
}

fn function(s: &mut String, name: &str, f: &Function, description: &str) {
    let id = camel(name);
    let _ = write!(
        s,
        "\n  {id}LogGroup:\n    Type: AWS::Logs::LogGroup\n    Properties:\n\
         \x20     LogGroupName: !Sub /aws/lambda/rehearse-${{Stage}}-{name}\n\
         \x20     RetentionInDays: !Ref LogRetentionDays\n      KmsKeyId: !GetAtt EncryptionKey.Arn\n\
         \n  {id}Function:\n    Type: AWS::Serverless::Function\n"
    );
    if !f.deploy {
        // The deploy function applies the migrations every other one waits for.
        s.push_str("    DependsOn: Migrations\n");
    }
    let _ = write!(
        s,
        "    Metadata:\n      BuildMethod: rust-cargolambda\n      BuildProperties:\n        Binary: {name}\n\
         \x20     checkov:\n        skip:\n"
    );
    let mut skips: Vec<(&str, &str)> = Vec::new();
    if f.reserved_concurrency.is_none() {
        let own = f.checkov.get("CKV_AWS_115").map(String::as_str);
        skips.push(("CKV_AWS_115", own.unwrap_or(SKIP_CONCURRENCY)));
    }
    let own = f.checkov.get("CKV_AWS_116").map(String::as_str);
    skips.push(("CKV_AWS_116", own.unwrap_or(SKIP_DLQ)));
    skips.push(("CKV_AWS_117", SKIP_VPC));
    skips.push(("CKV_AWS_173", SKIP_ENV));
    for (id, why) in skips {
        let _ = write!(
            s,
            "          - id: {id}\n            comment: {}\n",
            quote(why)
        );
    }
    let _ = write!(
        s,
        "    Properties:\n      FunctionName: !Sub rehearse-${{Stage}}-{name}\n\
         \x20     Description: {}\n      MemorySize: {}\n      Timeout: {}\n",
        quote(description),
        f.memory,
        f.timeout
    );
    if let Some(n) = f.reserved_concurrency {
        let _ = writeln!(s, "      ReservedConcurrentExecutions: {n}");
    }
    let _ = write!(
        s,
        "      LoggingConfig:\n        LogFormat: JSON\n        LogGroup: !Ref {id}LogGroup\n"
    );
    let mut environment: Vec<(&str, &str)> = f
        .environment
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    if f.model {
        environment.push(crate::MODEL_TABLE);
        s.push_str("      Layers:\n        - !Ref EmbeddingModelLayer\n");
    }
    if !environment.is_empty() {
        s.push_str("      Environment:\n        Variables:\n");
        for (k, v) in environment {
            let _ = writeln!(s, "          {k}: {}", quote(v));
        }
    }
    policies(s, &f.iam);
    if f.deploy || f.provisioned_concurrency.is_some() {
        s.push_str("      AutoPublishAlias: live\n");
    }
    if let Some(n) = f.provisioned_concurrency {
        let _ = writeln!(
            s,
            "      ProvisionedConcurrencyConfig:\n        ProvisionedConcurrentExecutions: {n}"
        );
    }
    if f.deploy {
        s.push_str(
            "      # CloudFormation invokes a custom resource's function asynchronously; one retry\n\
             \x20     # covers a crashed cold start, more would only delay the stack's failure.\n\
             \x20     EventInvokeConfig:\n        MaximumRetryAttempts: 1\n",
        );
    }
    if !f.routes.is_empty() || f.schedule.is_some() {
        s.push_str("      Events:\n");
    }
    for r in &f.routes {
        let event = camel(&r.method.to_ascii_lowercase())
            + &(if r.path == "/" {
                "Root".to_owned()
            } else {
                camel(&r.path.replace('/', "-"))
            });
        let _ = write!(
            s,
            "        {event}:\n          Type: HttpApi\n          Properties:\n\
             \x20           ApiId: !Ref HttpApi\n            Method: {}\n            Path: {}\n",
            r.method, r.path
        );
    }
    if let Some(schedule) = &f.schedule {
        let _ = write!(
            s,
            "        {}:\n          Type: Schedule\n          Properties:\n\
             \x20           Schedule: {}\n            Description: {}\n",
            schedule_name(&schedule.rate),
            quote(&schedule.rate),
            quote(&schedule.description)
        );
    }
    let _ = write!(
        s,
        "\n  {id}ErrorsAlarm:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n\
         \x20     AlarmName: !Sub rehearse-${{Stage}}-{name}-errors\n\
         \x20     AlarmDescription: {}\n\
         \x20     Namespace: AWS/Lambda\n      MetricName: Errors\n      Dimensions:\n\
         \x20       - Name: FunctionName\n          Value: !Ref {id}Function\n\
         \x20     Statistic: Sum\n      Period: 300\n      EvaluationPeriods: 1\n      Threshold: 1\n\
         \x20     ComparisonOperator: GreaterThanOrEqualToThreshold\n      TreatMissingData: notBreaching\n\
         \x20     AlarmActions: [!Ref AlarmTopic]\n      OKActions: [!Ref AlarmTopic]\n",
        quote(&format!(
            "{name} failed an invocation (crash, timeout or cold-start failure; handled errors are responses, not errors)."
        ))
    );
}

/// The function's statements: the app secret, the resume bucket's objects, the bucket.
fn policies(s: &mut String, iam: &[Capability]) {
    let has = |c: Capability| iam.contains(&c);
    let objects: Vec<&str> = [
        (Capability::ObjectGet, "s3:GetObject"),
        (Capability::ObjectPut, "s3:PutObject"),
        (Capability::ObjectDelete, "s3:DeleteObject"),
    ]
    .into_iter()
    .filter(|(c, _)| has(*c))
    .map(|(_, action)| action)
    .collect();
    if !has(Capability::SecretRead) && objects.is_empty() && !has(Capability::BucketList) {
        return;
    }
    s.push_str("      Policies:\n        - Statement:\n");
    if has(Capability::SecretRead) {
        s.push_str(
            "            - Sid: ReadAppSecret\n              Effect: Allow\n\
             \x20             Action: secretsmanager:GetSecretValue\n              Resource: !Ref AppSecretArn\n",
        );
    }
    if !objects.is_empty() {
        if has(Capability::ObjectGet) {
            s.push_str(
                "            # s3:GetObject: a presigned GET carries the signer's permission\n",
            );
        }
        let action = match &objects[..] {
            [one] => (*one).to_owned(),
            many => format!("[{}]", many.join(", ")),
        };
        let _ = write!(
            s,
            "            - Sid: ResumeObjects\n              Effect: Allow\n              Action: {action}\n\
             \x20             Resource: !Sub ${{ResumeBucket.Arn}}/*\n"
        );
    }
    if has(Capability::BucketList) {
        s.push_str(
            "            # HeadBucket (the health check) is authorised by s3:ListBucket on the bucket itself\n\
             \x20           - Sid: ResumeBucketList\n              Effect: Allow\n\
             \x20             Action: s3:ListBucket\n              Resource: !GetAtt ResumeBucket.Arn\n",
        );
    }
}

/// `rate(15 minutes)` -> `Every15Minutes`; anything else -> `Schedule`.
fn schedule_name(rate: &str) -> String {
    rate.strip_prefix("rate(")
        .and_then(|r| r.strip_suffix(')'))
        .map_or_else(
            || "Schedule".to_owned(),
            |r| format!("Every{}", camel(&r.replace(' ', "-"))),
        )
}

/// A YAML double-quoted scalar.
fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = r#"
[family.health]
threshold = "LatencyAlarmP99Milliseconds"
[function.health-get]
routes = ["GET /", "GET /health"]
auth = "none"
family = "health"
costly = true
memory = 256
timeout = 10
iam = ["secret-read", "bucket-list", "object-get", "object-delete"]
environment = { A_B = "1" }
model = true
[function.sweeper]
schedule = { rate = "rate(15 minutes)", description = "Sweep." }
memory = 256
timeout = 120
iam = ["secret-read"]
reserved_concurrency = 1
provisioned_concurrency = 2
checkov = { CKV_AWS_116 = "scheduled" }
"#;

    fn manifest() -> Manifest {
        let m = Manifest::parse(MANIFEST).unwrap();
        assert_eq!(m.problems(), Vec::<String>::new());
        m
    }

    #[test]
    fn splice_replaces_only_the_lines_between_the_markers() {
        let text = "a\n# x do not edit (region: r)\nold\nold\n# end of generated region: r\nb\n";
        assert_eq!(
            splice(text, "r", "new\n").unwrap(),
            "a\n# x do not edit (region: r)\nnew\n# end of generated region: r\nb\n"
        );
        assert!(splice("a\n", "r", "").unwrap_err().contains("no line"));
        let twice = format!("{text}{text}");
        assert!(splice(&twice, "r", "").unwrap_err().contains("2 lines"));
    }

    #[test]
    fn the_router_groups_methods_by_path() {
        assert_eq!(
            router(&manifest()),
            "# Local gateway: the same paths API Gateway serves, each mapped to its function.\n\
             [workspace.metadata.lambda.watch.router]\n\
             \"/\" = [{ function = \"health-get\", method = \"GET\" }]\n\
             \"/health\" = [{ function = \"health-get\", method = \"GET\" }]\n"
        );
    }

    #[test]
    fn generated_resources_are_yaml_with_the_manifests_facts() {
        let m = manifest();
        let descriptions = BTreeMap::from([
            ("health-get".to_owned(), "reports \"ok\".".to_owned()),
            ("sweeper".to_owned(), "Sweeps.".to_owned()),
        ]);
        let yaml = format!(
            "Resources:\n{}{}",
            functions(&m, &descriptions).unwrap(),
            latency_alarms(&m)
        );
        let doc: serde_norway::Value = serde_norway::from_str(&yaml).unwrap();
        let r = &doc["Resources"];
        let health = &r["HealthGetFunction"]["Properties"];
        assert_eq!(
            health["Description"].as_str(),
            Some("GET / and GET /health (no auth): reports \"ok\".")
        );
        assert_eq!(
            health["Events"]["GetRoot"]["Properties"]["Path"].as_str(),
            Some("/")
        );
        assert_eq!(
            health["Environment"]["Variables"]["A_B"].as_str(),
            Some("1")
        );
        assert_eq!(
            health["Environment"]["Variables"]["REHEARSE_EMBEDDING_TABLE"].as_str(),
            Some("/opt/rehearse/static-minilm.bin")
        );
        assert_eq!(
            health["Layers"][0]["Ref"]
                .as_str()
                .or(health["Layers"][0].as_str()),
            Some("EmbeddingModelLayer"),
            "{:?}",
            health["Layers"]
        );
        let sweeper = &r["SweeperFunction"]["Properties"];
        assert!(sweeper.get("Layers").is_none());
        assert!(sweeper.get("Environment").is_none());
        for needle in [
            "Action: [s3:GetObject, s3:DeleteObject]",
            "Action: s3:ListBucket",
            "Every15Minutes:",
            "ReservedConcurrentExecutions: 1",
            "ProvisionedConcurrentExecutions: 2",
            "comment: \"scheduled\"",
            "p99 latency of the health routes (health-get) above ${LatencyAlarmP99Milliseconds} ms",
        ] {
            assert!(yaml.contains(needle), "{needle} missing from:\n{yaml}");
        }
        let sweeper = &r["SweeperFunction"];
        assert!(sweeper.get("DependsOn").is_some());
        assert!(!yaml.contains("CKV_AWS_115\n            comment: \"scheduled"));
        let settings = format!("RouteSettings:\n{}", route_settings(&m));
        let doc: serde_norway::Value = serde_norway::from_str(&settings).unwrap();
        assert!(doc["RouteSettings"].get("GET /health").is_some());
    }

    #[test]
    fn a_description_too_long_for_lambda_is_refused() {
        let m = manifest();
        let long = BTreeMap::from([("health-get".to_owned(), "x".repeat(250))]);
        assert!(matches!(functions(&m, &long), Err(Error::Invalid(_))));
    }
}
