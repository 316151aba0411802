//! A `Secret<T>` moves into the secrecy crate's types, for code that takes
//! those (sqlx, reqwest middleware), without a copy left behind.

use secrecy::{ExposeSecret, SecretBox, SecretString};
use ssm_config::Secret;

#[test]
fn a_secret_converts_into_secrecy_types() {
    let text: SecretString = Secret::new_zeroizing("hunter2".to_owned()).into();
    assert_eq!(text.expose_secret(), "hunter2");
    let pin: SecretBox<u32> = Secret::new_zeroizing(1234_u32).into();
    assert_eq!(*pin.expose_secret(), 1234);
    assert!(!format!("{text:?} {pin:?}").contains("hunter2"));
}
