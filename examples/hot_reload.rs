//! Hot reload: a value changed in the store is picked up without a restart,
//! subscribers hear about it, and a client derived from the configuration is
//! rebuilt once.
//!
//! ```sh
//! cargo run --example hot_reload
//! ```
//!
//! It runs on an in-memory store that a background task changes after a
//! second, and stops by itself after three. Against Parameter Store the code
//! is the same without `.source(...)`.

use ssm_config::live::RefreshPolicy;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ssm_config::{MemorySource, Secret, SsmConfig};

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/demo/db")]
struct DbConfig {
    host: String,
    password: Secret<String>,
}

/// Stands in for a connection pool: it must be rebuilt when the password
/// rotates, and only then.
struct Pool {
    host: String,
    password_length: usize,
    generation: usize,
}

#[tokio::main]
async fn main() -> Result<(), ssm_config::Error> {
    let store = MemorySource::new();
    store.put("/demo/db/host", "db-1.internal");
    store.put_secure("/demo/db/password", "first-password");

    let config = DbConfig::loader()
        .source(store.clone())
        .refresh(RefreshPolicy::new().max_age(Duration::from_millis(500)))
        .load()
        .await?;

    let generations = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&generations);
    let pool = config.map(move |db| {
        let generation = counter.fetch_add(1, Ordering::SeqCst) + 1;
        let password_length = db.password.expose_secret().len();
        println!(
            "  building a pool for {} (generation {generation})",
            db.host
        );
        Pool {
            host: db.host.clone(),
            password_length,
            generation,
        }
    });

    let mut changes = config.subscribe();
    tokio::spawn(async move {
        while changes.changed().await.is_ok() {
            println!(
                "  subscriber: configuration changed, host is now {}",
                changes.borrow_and_update().host
            );
        }
    });

    // Someone rotates the password and moves the database after a second.
    let writer = store.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(1)).await;
        println!("  (the store changes: new host and password)");
        writer.put("/demo/db/host", "db-2.internal");
        writer.put_secure("/demo/db/password", "second-password");
    });

    for tick in 0..12 {
        let pool = pool.get();
        println!(
            "t={:>4} ms  pool for {} with a {}-character password (generation {})",
            tick * 250,
            pool.host,
            pool.password_length,
            pool.generation
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    println!(
        "pools built: {}; the store was read {} times",
        generations.load(Ordering::SeqCst),
        store.calls().get_parameters
    );
    Ok(())
}
