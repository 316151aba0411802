//! A change published to an SNS topic, delivered to every instance of a
//! fleet through a queue of its own (`Live::fan_out`), against moto's SNS,
//! SQS and SSM on this machine: the delay from publish to every instance
//! applied, and the SSM calls each instance made for it. N real `Live`
//! handles in one process, each with its own subscription polling every
//! second; each change is published as the EventBridge rule would.
//!
//! ```sh
//! cargo test --workspace          # once: installs moto into target/moto-venv
//! cargo bench --bench fan_out     # 10 and 50 instances, 5 changes each
//! cargo bench --bench fan_out -- 20
//! ```
//!
//! These are emulator figures: moto answers in-process, with none of AWS's
//! network or delivery latency, so they measure this crate's path (poll,
//! apply, targeted refresh), not SNS's.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use aws_sdk_ssm::config::{Credentials, Region, SharedCredentialsProvider};
use ssm_config::SsmConfig;
use ssm_config::fan_out::FanOut;
use ssm_config::source::{
    AwsSource, BoxFuture, ParameterSource, ParametersOutput, PathPage, PathQuery, SourceError,
};

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/fan-out")]
struct Greeting {
    greeting: String,
}

/// Counts the SSM calls of one instance.
struct Counted {
    inner: AwsSource,
    calls: Arc<AtomicUsize>,
}

impl ParameterSource for Counted {
    fn get_parameters<'a>(
        &'a self,
        names: &'a [String],
        with_decryption: bool,
    ) -> BoxFuture<'a, Result<ParametersOutput, SourceError>> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        self.inner.get_parameters(names, with_decryption)
    }

    fn get_parameters_by_path<'a>(
        &'a self,
        query: &'a PathQuery,
    ) -> BoxFuture<'a, Result<PathPage, SourceError>> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        self.inner.get_parameters_by_path(query)
    }

    fn describe(&self) -> String {
        self.inner.describe()
    }
}

const CHANGES: usize = 5;

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = match sizes.is_empty() {
        true => vec![10, 50],
        false => sizes,
    };
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/moto-venv/bin/python");
    if !python.exists() {
        eprintln!(
            "no moto at {}: run `cargo test --workspace` once",
            python.display()
        );
        std::process::exit(1);
    }
    let mut server = Command::new(&python)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/suite/support/moto_server.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("moto starts");
    let mut port = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut port)
        .expect("moto reports its port");
    let endpoint = format!("http://127.0.0.1:{}", port.trim());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!("instances  change  publish->all applied (ms)  SSM calls per instance");
    for size in sizes {
        runtime.block_on(fleet(&endpoint, size));
    }
    drop(server.stdin.take());
    let _ = server.wait();
}

async fn fleet(endpoint: &str, size: usize) {
    let aws = aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "testing", "testing", None, None, "bench",
        )))
        .endpoint_url(endpoint)
        .build();
    let ssm = aws_sdk_ssm::Client::new(&aws);
    let sns = aws_sdk_sns::Client::new(&aws);
    let put = |value: String| {
        ssm.put_parameter()
            .name("/fan-out/greeting")
            .value(value)
            .r#type(aws_sdk_ssm::types::ParameterType::String)
            .overwrite(true)
            .send()
    };
    put("v0".into()).await.unwrap();
    let topic = sns
        .create_topic()
        .name(format!("bench-{size}"))
        .send()
        .await
        .unwrap()
        .topic_arn
        .unwrap();
    let mut fleet = Vec::new();
    for instance in 0..size {
        let calls = Arc::new(AtomicUsize::new(0));
        let source = Counted {
            inner: AwsSource::from_sdk_config(&aws),
            calls: Arc::clone(&calls),
        };
        let config = Greeting::loader().source(source).load().await.unwrap();
        let subscription = config
            .fan_out(
                FanOut::topic(&topic)
                    .queue_prefix(format!("bench-{size}-"))
                    .instance_id(instance.to_string())
                    .sdk_config(&aws)
                    .poll_wait(Duration::from_secs(1)),
            )
            .await
            .unwrap();
        fleet.push((config, subscription, calls));
    }
    for change in 1..=CHANGES {
        let value = format!("v{change}");
        put(value.clone()).await.unwrap();
        let before: Vec<usize> = fleet
            .iter()
            .map(|(_, _, c)| c.load(Ordering::Relaxed))
            .collect();
        let event = serde_json::json!({
            "detail-type": "Parameter Store Change",
            "source": "aws.ssm",
            "detail": {"name": "/fan-out/greeting", "operation": "Update", "type": "String"},
        });
        let published = Instant::now();
        sns.publish()
            .topic_arn(&topic)
            .message(event.to_string())
            .send()
            .await
            .unwrap();
        let deadline = published + Duration::from_secs(120);
        while fleet
            .iter()
            .any(|(config, _, _)| config.get().greeting != value)
        {
            assert!(
                Instant::now() < deadline,
                "not every instance applied {value}"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let delay = published.elapsed();
        let calls: usize = fleet
            .iter()
            .zip(&before)
            .map(|((_, _, c), before)| c.load(Ordering::Relaxed) - before)
            .sum();
        println!(
            "{size:>9}  {change:>6}  {:>26.0}  {:>22.2}",
            delay.as_secs_f64() * 1000.0,
            calls as f64 / size as f64
        );
    }
    // What the subscriptions cost when nothing changes: receives only.
    let polls = |fleet: &[(
        ssm_config::Live<Greeting>,
        ssm_config::fan_out::Subscription,
        Arc<AtomicUsize>,
    )]|
     -> u64 { fleet.iter().map(|(_, s, _)| s.status().polls).sum() };
    let (before, quiet) = (polls(&fleet), Duration::from_secs(10));
    tokio::time::sleep(quiet).await;
    let per_minute = (polls(&fleet) - before) as f64 / size as f64 * 60.0 / quiet.as_secs_f64();
    println!(
        "{size:>9}  quiet: {per_minute:.1} SQS receives per instance per minute (poll wait 1 s)"
    );
    for (_, subscription, _) in fleet {
        subscription.shutdown().await.unwrap();
    }
}
