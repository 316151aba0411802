//! Untyped access: the cache follows max age.

use std::time::Duration;

use ssm_config::{MemorySource, untyped::Parameters};

#[tokio::test(start_paused = true)]
async fn cached_values_are_fetched_again_after_max_age() {
    let source = MemorySource::new();
    source.put("/u/a", "1");
    let parameters = Parameters::new(source.clone()).max_age(Duration::from_secs(30));
    assert_eq!(
        parameters.get("/u/a").await.unwrap().parse::<u8>().unwrap(),
        1
    );
    source.put("/u/a", "2");
    tokio::time::sleep(Duration::from_secs(29)).await;
    assert_eq!(
        parameters.get("/u/a").await.unwrap().parse::<u8>().unwrap(),
        1,
        "cached"
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        parameters.get("/u/a").await.unwrap().parse::<u8>().unwrap(),
        2,
        "expired"
    );
    assert_eq!(source.calls().get_parameters, 2);
}

#[tokio::test]
async fn without_max_age_values_stay_until_cleared() {
    let source = MemorySource::new();
    source.put("/u/a", "1");
    let parameters = Parameters::new(source.clone());
    parameters.get("/u/a").await.unwrap();
    source.put("/u/a", "2");
    assert_eq!(parameters.get("/u/a").await.unwrap().version(), 1);
    parameters.clear_cache();
    assert_eq!(parameters.get("/u/a").await.unwrap().version(), 2);
}

#[tokio::test]
async fn a_read_only_source_reads_but_refuses_writes() {
    let source = MemorySource::new();
    source.put("/u/a", "1");
    let read_only = Parameters::new(source.clone());
    assert_eq!(
        read_only.get("/u/a").await.unwrap().parse::<u8>().unwrap(),
        1
    );
    let err = read_only.update("/u/a", "2").await.unwrap_err().to_string();
    assert!(err.contains("this source is read-only"), "{err}");

    let writable = Parameters::writable(source.clone());
    assert_eq!(writable.update("/u/a", "2").await.unwrap(), 2);
}

#[tokio::test]
async fn a_version_written_with_leading_zeros_is_answered_and_cached_as_asked() {
    let source = MemorySource::new();
    for value in ["1", "2", "3", "4"] {
        source.put("/u/a", value);
    }
    let parameters = Parameters::new(source.clone());
    let third = parameters.get("/u/a:03").await.unwrap();
    assert_eq!((third.version(), third.parse::<u8>().unwrap()), (3, 3));
    assert_eq!(third.name(), "/u/a:03");
    let again = parameters.get("/u/a:03").await.unwrap();
    assert_eq!(again.version(), 3);
    assert_eq!(source.calls().get_parameters, 1, "cached as asked");

    let both = parameters.get_many(&["/u/a:2", "/u/a:02"]).await.unwrap();
    assert_eq!(both.len(), 2);
    assert!(both.values().all(|v| v.version() == 2));
    assert_eq!(
        source.calls().get_parameters,
        2,
        "two spellings, one request"
    );
}
