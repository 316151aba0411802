//! The fan-out infrastructure, with [`Bootstrap::with_fan_out`]: the SNS
//! topic `Live::fan_out` subscribes to, the EventBridge rules that publish
//! to it the changes `apply_event` understands, and the topic's policy that
//! lets them.

use std::fmt::Write as _;

use super::Bootstrap;
use crate::fan_out::{PARAMETER_CHANGES, SECRET_CHANGES};

impl Bootstrap {
    /// Adds, to the Terraform and CloudFormation outputs, the topic named
    /// `topic` that [`Live::fan_out`](crate::Live::fan_out) subscribes each
    /// instance's queue to; two EventBridge rules that publish to it
    /// Parameter Store changes and the Secrets Manager calls
    /// [`apply_event`](crate::Live::apply_event) understands (the patterns
    /// are [`PARAMETER_CHANGES`] and [`SECRET_CHANGES`]); and the topic's
    /// policy, which lets only those rules publish. A name SNS would
    /// refuse, or too long to name the rules after (`{topic}-parameters`:
    /// 1 to 53 of `A-Z a-z 0-9 - _`), is not written: each output says so
    /// in a comment. The shell script creates none of it, and says
    /// so.
    ///
    /// ```
    /// # use ssm_config::SsmConfig;
    /// # #[derive(SsmConfig)] #[ssm(prefix = "/fan-out")] struct Greeting { greeting: String }
    /// let bootstrap = Greeting::loader().bootstrap().with_fan_out("config-changes");
    /// assert!(bootstrap.terraform().contains(r#"resource "aws_sns_topic" "ssm_config_changes""#));
    /// assert!(bootstrap.cloudformation().contains("Type: AWS::Events::Rule"));
    /// ```
    pub fn with_fan_out(mut self, topic: impl Into<String>) -> Self {
        self.fan_out_topic = Some(topic.into());
        self
    }

    /// The topic, when one is asked for and SNS would take its name; or
    /// why not, as a comment.
    fn fan_out_topic(&self) -> Option<Result<&str, String>> {
        let topic = self.fan_out_topic.as_deref()?;
        // The rules are named `{topic}-parameters`: EventBridge takes 64.
        let valid = !topic.is_empty()
            && topic.len() <= 53
            && topic
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        Some(match valid {
            true => Ok(topic),
            false => Err(format!(
                "The fan-out topic is not written: {} is not a topic name its rules can be named after (1 to 53 of A-Z a-z 0-9 - _).",
                super::quoting::inert(&format!("{topic:?}"))
            )),
        })
    }

    /// The fan-out part of the Terraform output, if asked for.
    pub(super) fn fan_out_terraform(&self, out: &mut String) {
        let topic = match self.fan_out_topic() {
            None => return,
            Some(Err(why)) => {
                let _ = writeln!(out, "\n# {why}");
                return;
            }
            Some(Ok(topic)) => topic,
        };
        let _ = writeln!(
            out,
            "\n# Change events for every instance (`Live::fan_out`): EventBridge rules publish\n\
             # to this topic, and each instance subscribes a queue of its own.\n\
             resource \"aws_sns_topic\" \"ssm_config_changes\" {{\n  name = \"{topic}\"\n}}"
        );
        for (id, pattern) in [
            ("parameters", PARAMETER_CHANGES),
            ("secrets", SECRET_CHANGES),
        ] {
            let _ = writeln!(
                out,
                "\nresource \"aws_cloudwatch_event_rule\" \"ssm_config_{id}\" {{\n  \
                   name          = \"{topic}-{id}\"\n  \
                   event_pattern = <<-EOT\n    {pattern}\n  EOT\n}}\n\n\
                 resource \"aws_cloudwatch_event_target\" \"ssm_config_{id}\" {{\n  \
                   rule = aws_cloudwatch_event_rule.ssm_config_{id}.name\n  \
                   arn  = aws_sns_topic.ssm_config_changes.arn\n}}"
            );
        }
        let _ = writeln!(
            out,
            "\nresource \"aws_sns_topic_policy\" \"ssm_config_changes\" {{\n  \
               arn = aws_sns_topic.ssm_config_changes.arn\n  \
               policy = jsonencode({{\n    \
                 Version = \"2012-10-17\"\n    \
                 Statement = [{{\n      \
                   Sid       = \"RulesPublish\"\n      \
                   Effect    = \"Allow\"\n      \
                   Principal = {{ Service = \"events.amazonaws.com\" }}\n      \
                   Action    = \"sns:Publish\"\n      \
                   Resource  = aws_sns_topic.ssm_config_changes.arn\n      \
                   Condition = {{ ArnEquals = {{ \"aws:SourceArn\" = [\n        \
                     aws_cloudwatch_event_rule.ssm_config_parameters.arn,\n        \
                     aws_cloudwatch_event_rule.ssm_config_secrets.arn,\n      \
                   ] }} }}\n    \
                 }}]\n  \
               }})\n}}"
        );
    }

    /// The fan-out resources of the CloudFormation template, if asked for;
    /// `Err` is a comment to write instead.
    pub(super) fn fan_out_cloudformation(&self) -> Option<Result<String, String>> {
        let topic = match self.fan_out_topic()? {
            Ok(topic) => topic,
            Err(why) => return Some(Err(format!("# {why}\n"))),
        };
        let mut out = String::new();
        let _ = writeln!(
            out,
            "  SsmConfigChangesTopic:\n    Type: AWS::SNS::Topic\n    Properties:\n      \
               TopicName: \"{topic}\""
        );
        for (id, name, pattern) in [
            ("SsmConfigParameterChanges", "parameters", PARAMETER_CHANGES),
            ("SsmConfigSecretChanges", "secrets", SECRET_CHANGES),
        ] {
            let _ = writeln!(
                out,
                "  {id}:\n    Type: AWS::Events::Rule\n    Properties:\n      \
                   Name: \"{topic}-{name}\"\n      \
                   EventPattern: {pattern}\n      \
                   Targets:\n        - Id: topic\n          Arn: !Ref SsmConfigChangesTopic"
            );
        }
        let _ = writeln!(
            out,
            "  SsmConfigChangesTopicPolicy:\n    Type: AWS::SNS::TopicPolicy\n    Properties:\n      \
               Topics:\n        - !Ref SsmConfigChangesTopic\n      \
               PolicyDocument:\n        Version: \"2012-10-17\"\n        Statement:\n          \
                 - Sid: RulesPublish\n            Effect: Allow\n            \
                   Principal:\n              Service: events.amazonaws.com\n            \
                   Action: sns:Publish\n            Resource: !Ref SsmConfigChangesTopic\n            \
                   Condition:\n              ArnEquals:\n                aws:SourceArn:\n                  \
                     - !GetAtt SsmConfigParameterChanges.Arn\n                  \
                     - !GetAtt SsmConfigSecretChanges.Arn"
        );
        Some(Ok(out))
    }
}
