//! Shared test support: the emulator, a backend abstraction so every scenario
//! runs against both moto and `MemorySource`, and a call-counting source.
#![allow(dead_code)]

pub mod backend;
pub mod counting;
pub mod emulator;

/// Declares one `#[tokio::test]` per scenario, each on a fresh backend made
/// by `$setup` (which returns `None` only to skip outside CI).
#[macro_export]
macro_rules! scenario_tests {
    ($setup:path; $($name:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let Some(backend) = $setup().await else { return };
                scenarios::$name(&backend).await;
            }
        )*
    };
}
