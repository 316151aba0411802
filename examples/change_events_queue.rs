//! A long-running service that drains a queue of Parameter Store change
//! events (an EventBridge rule delivering to SQS, say) and hands each to
//! `apply_event`. The queue is a small trait, so any transport fits; here an
//! in-memory queue stands in for it, and the example runs with no AWS:
//!
//! ```sh
//! cargo run --example change_events_queue
//! ```
//!
//! With SQS, `next_batch` would call `ReceiveMessage` and return each
//! message's body (the event's JSON), then delete the messages. One queue
//! gives each message to one consumer: for a fleet, where every instance
//! must see every change, use `Live::fan_out` (the `fan-out` feature,
//! `cargo run --example fan_out`), which gives each instance its own queue
//! on an SNS topic.
//!
//! Each change is a targeted refresh: the names the events name are read
//! (here two changes, one call), and the rest of the struct comes from the
//! snapshot; no `GetParametersByPath` walk is made again.

use ssm_config::live::RefreshPolicy;
use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use ssm_config::live::Applied;
use ssm_config::{Live, MemorySource, SsmConfig};

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/shop")]
struct Config {
    banner: String,
    /// Every parameter under `/shop/prices`.
    #[ssm(by_path = "prices")]
    prices: BTreeMap<String, u32>,
}

/// Where change events come from.
trait EventQueue {
    /// The next events' JSON bodies; empty when there are none for now.
    async fn next_batch(&self) -> Vec<Vec<u8>>;
}

/// Stands in for SQS.
struct InMemoryQueue(Mutex<VecDeque<Vec<u8>>>);

impl EventQueue for InMemoryQueue {
    async fn next_batch(&self) -> Vec<Vec<u8>> {
        self.0.lock().unwrap().drain(..).collect()
    }
}

/// Applies every event of `queue` to `config` until the queue is empty.
async fn drain(queue: &impl EventQueue, config: &Live<Config>) {
    loop {
        let batch = queue.next_batch().await;
        if batch.is_empty() {
            return;
        }
        for body in batch {
            match config.apply_event(body.as_slice()) {
                Ok(Applied::Refreshing) => println!("event: refresh scheduled"),
                Ok(Applied::Ignored) => println!("event: ignored"),
                Ok(Applied::Refused) => println!("event: refused, forged or garbled"),
                Err(err) => println!("event: {err}"),
            }
        }
    }
}

fn change(name: &str, operation: &str) -> Vec<u8> {
    serde_json::json!({
        "detail-type": "Parameter Store Change",
        "source": "aws.ssm",
        "detail": { "name": name, "type": "String", "operation": operation }
    })
    .to_string()
    .into_bytes()
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), ssm_config::Error> {
    let store = MemorySource::new();
    store.put("/shop/banner", "Autumn sale");
    store.put("/shop/prices/hat", "25");
    let config = Config::loader()
        .source(store.clone())
        // A fleet sets this to its wave's window (the fleet guide sizes it).
        .refresh(RefreshPolicy::new().event_spread(Duration::from_millis(50)))
        .load()
        .await?;
    println!(
        "banner: {:?}, prices: {:?}",
        config.get().banner,
        config.get().prices
    );
    store.reset_calls();

    // Someone edits the banner and adds a price; EventBridge queues the
    // changes, and one about another service's parameter.
    store.put("/shop/banner", "Winter sale");
    store.put("/shop/prices/socks", "5");
    let queue = InMemoryQueue(Mutex::new(VecDeque::from([
        change("/shop/banner", "Update"),
        change("/shop/prices/socks", "Create"),
        change("/billing/rate", "Update"),
        b"not an event".to_vec(),
    ])));
    drain(&queue, &config).await;

    tokio::time::sleep(Duration::from_millis(200)).await;
    let now = config.get();
    println!("banner: {:?}, prices: {:?}", now.banner, now.prices);
    let calls = store.calls();
    println!(
        "calls for both changes: {} GetParameters, {} GetParametersByPath",
        calls.get_parameters, calls.get_parameters_by_path
    );
    let status = config.status();
    println!(
        "events applied {}, ignored {}",
        status.events_applied, status.events_ignored
    );
    assert_eq!(now.banner, "Winter sale");
    assert_eq!(now.prices.get("socks"), Some(&5));
    assert_eq!((calls.get_parameters, calls.get_parameters_by_path), (1, 0));
    Ok(())
}
