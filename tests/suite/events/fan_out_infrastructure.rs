//! What a fan-out needs created (`Bootstrap::with_fan_out`) and granted
//! (`PolicyScope::fan_out`): the topic, the EventBridge rules and the
//! topic's policy, as Terraform and CloudFormation that parse; the rules'
//! patterns checked against moto's EventBridge, which delivers to SQS (not
//! to SNS, which moto does not implement as a target).

use std::process::Command;

use ssm_config::SsmConfig;
use ssm_config::fan_out::{PARAMETER_CHANGES, SECRET_CHANGES};
use ssm_config::iam::PolicyScope;

use crate::support::backend::moto;
use crate::support::emulator;
use crate::support::scratch::TempFile;

#[derive(SsmConfig, Debug)]
#[ssm(prefix = "/fan-out")]
#[allow(dead_code)] // bootstrapped and granted, never loaded
struct Greeting {
    greeting: String,
}

/// `python -c script file`, in the test virtualenv, printing JSON.
fn parsed(script: &str, file: &std::path::Path) -> serde_json::Value {
    let output = Command::new(emulator::venv_bin().join("python"))
        .args(["-c", script])
        .arg(file)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_topic_rules_and_policy_parse_in_terraform_and_cloudformation() {
    let Some(_emulator) = moto().await else {
        return;
    };
    let bootstrap = Greeting::loader()
        .bootstrap()
        .with_fan_out("config-changes");

    let terraform = bootstrap.terraform();
    let file = TempFile::new("main.tf", &terraform);
    let hcl = parsed(
        "import hcl2, json, sys; print(json.dumps(hcl2.load(open(sys.argv[1]))))",
        &file.path,
    );
    let resources = hcl["resource"].as_array().unwrap();
    let of_type = |kind: &str| -> Vec<&serde_json::Value> {
        let key = format!("\"{kind}\"");
        resources.iter().filter_map(|r| r.get(&key)).collect()
    };
    assert_eq!(of_type("aws_sns_topic").len(), 1, "{terraform}");
    assert_eq!(of_type("aws_cloudwatch_event_rule").len(), 2, "{terraform}");
    assert_eq!(
        of_type("aws_cloudwatch_event_target").len(),
        2,
        "{terraform}"
    );
    assert_eq!(of_type("aws_sns_topic_policy").len(), 1, "{terraform}");
    for pattern in [PARAMETER_CHANGES, SECRET_CHANGES] {
        assert!(terraform.contains(pattern), "{terraform}");
    }

    let template = bootstrap.cloudformation();
    let file = file.sibling("template.yaml", &template);
    let yaml = parsed(
        "import json, sys, yaml\n\
         class Loader(yaml.SafeLoader): pass\n\
         Loader.add_multi_constructor('!', lambda l, tag, node: {tag: l.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else l.construct_sequence(node)})\n\
         print(json.dumps(yaml.load(open(sys.argv[1]), Loader=Loader)))",
        &file,
    );
    let resources = yaml["Resources"].as_object().unwrap();
    assert_eq!(
        resources["SsmConfigChangesTopic"]["Properties"]["TopicName"],
        "config-changes"
    );
    for (rule, pattern) in [
        ("SsmConfigParameterChanges", PARAMETER_CHANGES),
        ("SsmConfigSecretChanges", SECRET_CHANGES),
    ] {
        let expected: serde_json::Value = serde_json::from_str(pattern).unwrap();
        assert_eq!(
            resources[rule]["Properties"]["EventPattern"], expected,
            "{template}"
        );
    }
    let policy = &resources["SsmConfigChangesTopicPolicy"]["Properties"]["PolicyDocument"];
    assert_eq!(
        policy["Statement"][0]["Action"], "sns:Publish",
        "{template}"
    );
    // The parameter, as before.
    assert_eq!(
        resources["Greeting"]["Type"], "AWS::SSM::Parameter",
        "{template}"
    );
}

#[test]
fn a_topic_name_sns_would_refuse_is_not_written() {
    let bootstrap = Greeting::loader()
        .bootstrap()
        .with_fan_out("changes\"; rm -rf /");
    // Too long to name its rules after (`{topic}-parameters`, 64 at most).
    let too_long = Greeting::loader().bootstrap().with_fan_out("t".repeat(54));
    for output in [
        bootstrap.terraform(),
        bootstrap.cloudformation(),
        too_long.terraform(),
        too_long.cloudformation(),
    ] {
        assert!(
            !output.contains("aws_sns_topic") && !output.contains("AWS::SNS::Topic"),
            "{output}"
        );
        assert!(
            output.contains("The fan-out topic is not written"),
            "{output}"
        );
        assert!(!output.contains("rm -rf /\"\n"), "{output}");
    }
}

/// The rules' patterns admit the changes `apply_event` understands and
/// nothing else: checked by moto's EventBridge, delivering to a queue.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rules_admit_changes_and_not_reads() {
    let Some(emulator) = moto().await else { return };
    let aws = emulator::sdk_config(&emulator.endpoint);
    let sqs = aws_sdk_sqs::Client::new(&aws);
    let queue = sqs
        .create_queue()
        .queue_name("rules")
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap();
    let arn = sqs
        .get_queue_attributes()
        .queue_url(&queue)
        .attribute_names(aws_sdk_sqs::types::QueueAttributeName::QueueArn)
        .send()
        .await
        .unwrap()
        .attributes
        .unwrap()[&aws_sdk_sqs::types::QueueAttributeName::QueueArn]
        .clone();
    for (name, pattern) in [
        ("parameters", PARAMETER_CHANGES),
        ("secrets", SECRET_CHANGES),
    ] {
        emulator
            .aws_json(
                "events",
                "AWSEvents.PutRule",
                &serde_json::json!({"Name": name, "EventPattern": pattern}),
            )
            .await
            .unwrap();
        emulator
            .aws_json(
                "events",
                "AWSEvents.PutTargets",
                &serde_json::json!({"Rule": name, "Targets": [{"Id": "queue", "Arn": arn}]}),
            )
            .await
            .unwrap();
    }
    let call = |event: &str| {
        serde_json::json!({
            "Source": "aws.secretsmanager",
            "DetailType": "AWS API Call via CloudTrail",
            "Detail": serde_json::json!({"eventName": event, "requestParameters": {"secretId": "prod/db"}}).to_string(),
        })
    };
    let entries = serde_json::json!({"Entries": [
        {"Source": "aws.ssm", "DetailType": "Parameter Store Change",
         "Detail": serde_json::json!({"name": "/fan-out/greeting", "operation": "Update", "type": "String"}).to_string()},
        call("PutSecretValue"),
        call("GetSecretValue"),
        {"Source": "aws.ec2", "DetailType": "EC2 Instance State-change Notification", "Detail": "{}"},
    ]});
    emulator
        .aws_json("events", "AWSEvents.PutEvents", &entries)
        .await
        .unwrap();
    let mut delivered = Vec::new();
    for _ in 0..10 {
        let received = sqs
            .receive_message()
            .queue_url(&queue)
            .max_number_of_messages(10)
            .wait_time_seconds(1)
            .send()
            .await
            .unwrap();
        delivered.extend(
            received
                .messages
                .unwrap_or_default()
                .into_iter()
                .filter_map(|m| m.body),
        );
        // Two are expected; one more empty receive after them shows that
        // nothing else was let through.
        if delivered.len() >= 2 && received_nothing(&sqs, &queue).await {
            break;
        }
    }
    let kinds: Vec<String> = delivered
        .iter()
        .map(|body| {
            let event: serde_json::Value = serde_json::from_str(body).unwrap();
            event["detail"]["eventName"]
                .as_str()
                .or(event["detail"]["operation"].as_str())
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(kinds.len(), 2, "{delivered:?}");
    assert!(
        kinds.contains(&"Update".to_owned()) && kinds.contains(&"PutSecretValue".to_owned()),
        "{kinds:?}"
    );
}

#[test]
fn the_policy_grants_the_queue_lifecycle_and_the_subscription_only() {
    let policy = Greeting::loader().iam_policy(
        &PolicyScope::new("eu-west-1", "123456789012").fan_out("config-changes", "orders-"),
    );
    let queues = policy.statement("FanOutQueueLifecycle").unwrap();
    assert_eq!(
        queues.resources,
        ["arn:aws:sqs:eu-west-1:123456789012:orders-*"]
    );
    assert!(queues.actions.contains(&"sqs:ReceiveMessage".to_owned()));
    assert!(
        !queues
            .actions
            .iter()
            .any(|a| a == "sqs:*" || a == "sqs:ListQueues")
    );
    let subscription = policy.statement("FanOutSubscription").unwrap();
    assert_eq!(
        subscription.resources,
        [
            "arn:aws:sns:eu-west-1:123456789012:config-changes",
            "arn:aws:sns:eu-west-1:123456789012:config-changes:*",
        ]
    );
    let refused = Greeting::loader()
        .iam_policy(&PolicyScope::new("eu-west-1", "123456789012").fan_out("config*", "orders-"));
    assert!(refused.statement("FanOutSubscription").is_none());
    let everything = Greeting::loader()
        .iam_policy(&PolicyScope::new("eu-west-1", "123456789012").fan_out("config-changes", ""));
    assert!(
        everything.statement("FanOutQueueLifecycle").is_none(),
        "an empty prefix would grant every queue"
    );
    assert!(
        refused
            .notes
            .iter()
            .any(|n| n.contains("not an SNS topic name")),
        "{:?}",
        refused.notes
    );
}

/// Whether one more receive from `queue` finds nothing.
async fn received_nothing(sqs: &aws_sdk_sqs::Client, queue: &str) -> bool {
    let more = sqs
        .receive_message()
        .queue_url(queue)
        .max_number_of_messages(10)
        .wait_time_seconds(1)
        .send()
        .await
        .unwrap();
    assert!(
        more.messages().is_empty(),
        "let through: {:?}",
        more.messages()
    );
    true
}
