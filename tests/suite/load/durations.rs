//! `Duration` fields: a number with its unit reads as written, and a bare
//! number in the field's unit, seconds unless `#[ssm(unit)]` says otherwise
//! (zero2prod's `timeout_milliseconds = 10000` is `#[ssm(unit = "ms")]`).

use std::time::Duration;

use ssm_config::{MemorySource, SsmConfig};

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/units")]
struct Timeouts {
    #[ssm(unit = "ms")]
    timeout: Duration,
    #[ssm(unit = "ms")]
    written_with_unit: Duration,
    #[ssm(unit = "ms", default = "250")]
    idle: Duration,
    #[ssm(unit = "m")]
    windows: Vec<Duration>,
    #[ssm(unit = "h")]
    retention: Option<Duration>,
    seconds: Duration,
}

#[tokio::test]
async fn a_bare_number_is_in_the_fields_unit() {
    let source = MemorySource::new();
    source.put("/units/timeout", "10000");
    source.put("/units/written_with_unit", "10s");
    source.put_string_list("/units/windows", ["1", "90s"]);
    source.put("/units/retention", "2");
    source.put("/units/seconds", "30");
    let c = Timeouts::fetch(source).await.unwrap();
    assert_eq!(c.timeout, Duration::from_secs(10));
    assert_eq!(c.written_with_unit, Duration::from_secs(10));
    assert_eq!(c.idle, Duration::from_millis(250), "the default too");
    assert_eq!(
        c.windows,
        [Duration::from_secs(60), Duration::from_secs(90)]
    );
    assert_eq!(c.retention, Some(Duration::from_secs(7200)));
    assert_eq!(c.seconds, Duration::from_secs(30), "seconds by default");
}

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/units")]
#[allow(dead_code)] // never loads
struct Broken {
    #[ssm(unit = "ms")]
    timeout: Duration,
}

#[tokio::test]
async fn a_value_that_is_no_duration_says_the_fields_unit() {
    let source = MemorySource::new();
    source.put("/units/timeout", "ten");
    let err = Broken::fetch(source).await.unwrap_err().to_string();
    assert!(
        err.contains("field `timeout`") && err.contains("or a number of milliseconds"),
        "{err}"
    );
}
