//! One interface to seed parameters, over moto (through independent AWS SDK
//! clients) or over a `MemorySource`.

use aws_sdk_ssm::types::ParameterType;
use ssm_config::{MemorySource, source::AwsSource};

use super::counting::Counting;
use super::emulator::{self, Emulator};

pub trait Backend: Sync {
    /// A fresh, counting source over this backend, as the library reads it.
    fn source(&self) -> Counting;
    async fn put(&self, name: &str, value: &str) -> i64;
    async fn put_list(&self, name: &str, items: &[&str]) -> i64;
    async fn put_secure(&self, name: &str, value: &str) -> i64;
    async fn put_secure_with_key(&self, name: &str, value: &str, key_id: &str) -> i64;
    async fn label(&self, name: &str, version: i64, label: &str);
    async fn put_secret(&self, name: &str, value: &str);
    /// A new current value of an existing secret (`PutSecretValue`, as a
    /// rotation ends).
    async fn put_secret_value(&self, name: &str, value: &str);
    async fn delete(&self, name: &str);
    /// The KMS key of a parameter, read independently of the library.
    async fn key_id(&self, name: &str) -> Option<String>;
    /// Whether this is the emulator (for the few documented divergences).
    fn is_emulator(&self) -> bool;
}

pub struct Memory(pub MemorySource);

pub async fn memory() -> Option<Memory> {
    Some(Memory(MemorySource::new()))
}

pub async fn moto() -> Option<Emulator> {
    Emulator::start().await
}

impl Backend for Memory {
    fn source(&self) -> Counting {
        Counting::writable(self.0.clone())
    }
    async fn put(&self, name: &str, value: &str) -> i64 {
        self.0.put(name, value)
    }
    async fn put_list(&self, name: &str, items: &[&str]) -> i64 {
        self.0.put_string_list(name, items)
    }
    async fn put_secure(&self, name: &str, value: &str) -> i64 {
        self.0.put_secure(name, value)
    }
    async fn put_secure_with_key(&self, name: &str, value: &str, key_id: &str) -> i64 {
        self.0.put_secure_with_key(name, value, key_id)
    }
    async fn label(&self, name: &str, version: i64, label: &str) {
        assert!(self.0.label(name, version, label));
    }
    async fn put_secret(&self, name: &str, value: &str) {
        self.0.put_secret(name, value);
    }
    async fn put_secret_value(&self, name: &str, value: &str) {
        self.0.put_secret(name, value);
    }
    async fn delete(&self, name: &str) {
        self.0.delete(name);
    }
    async fn key_id(&self, name: &str) -> Option<String> {
        use ssm_config::source::ParameterWriter;
        self.0
            .parameter_info(name)
            .await
            .unwrap()
            .and_then(|info| info.key_id)
    }
    fn is_emulator(&self) -> bool {
        false
    }
}

impl Emulator {
    async fn put_parameter(
        &self,
        name: &str,
        value: &str,
        kind: ParameterType,
        key_id: Option<&str>,
    ) -> i64 {
        let output = self
            .ssm
            .put_parameter()
            .name(name)
            .value(value)
            .r#type(kind)
            .set_key_id(key_id.map(str::to_owned))
            .overwrite(true)
            .send()
            .await
            .unwrap_or_else(|e| panic!("seeding {name}: {e:?}"));
        output.version()
    }
}

impl Backend for Emulator {
    fn source(&self) -> Counting {
        Counting::writable(AwsSource::new(emulator::ssm_client(&self.endpoint)))
    }
    async fn put(&self, name: &str, value: &str) -> i64 {
        self.put_parameter(name, value, ParameterType::String, None)
            .await
    }
    async fn put_list(&self, name: &str, items: &[&str]) -> i64 {
        self.put_parameter(name, &items.join(","), ParameterType::StringList, None)
            .await
    }
    async fn put_secure(&self, name: &str, value: &str) -> i64 {
        self.put_parameter(name, value, ParameterType::SecureString, None)
            .await
    }
    async fn put_secure_with_key(&self, name: &str, value: &str, key_id: &str) -> i64 {
        self.put_parameter(name, value, ParameterType::SecureString, Some(key_id))
            .await
    }
    async fn label(&self, name: &str, version: i64, label: &str) {
        self.ssm
            .label_parameter_version()
            .name(name)
            .parameter_version(version)
            .labels(label)
            .send()
            .await
            .unwrap_or_else(|e| panic!("labelling {name}: {e:?}"));
    }
    async fn put_secret(&self, name: &str, value: &str) {
        self.secrets
            .create_secret(name, value)
            .await
            .unwrap_or_else(|e| panic!("creating secret {name}: {e}"));
    }
    async fn put_secret_value(&self, name: &str, value: &str) {
        self.secrets
            .put_secret_value(name, value)
            .await
            .unwrap_or_else(|e| panic!("putting a value of secret {name}: {e}"));
    }
    async fn delete(&self, name: &str) {
        self.ssm
            .delete_parameter()
            .name(name)
            .send()
            .await
            .unwrap_or_else(|e| panic!("deleting {name}: {e:?}"));
    }
    async fn key_id(&self, name: &str) -> Option<String> {
        let filter = aws_sdk_ssm::types::ParameterStringFilter::builder()
            .key("Name")
            .option("Equals")
            .values(name)
            .build()
            .unwrap();
        let output = self
            .ssm
            .describe_parameters()
            .parameter_filters(filter)
            .send()
            .await
            .unwrap();
        output
            .parameters()
            .first()
            .and_then(|p| p.key_id().map(str::to_owned))
    }
    fn is_emulator(&self) -> bool {
        true
    }
}
