//! The reviewed exceptions to "event `<source>.amazonaws.com`/`Op` needs `<prefix>:Op`", read by
//! the generator (`cargo xtask events`). Every entry says why, and gets its own test (named
//! before `=>`) that checks the committed mapping in `iamlint-core` honours it.
//!
//! Sources of the facts: the CloudTrail user guide (data event types; what trails log by
//! default), the S3 API reference and user guide (the permission each S3 operation needs), the
//! Lambda, KMS and STS API references, and the project's reference notes
//! (`shared/reference/credentials-and-activity.md`). Three data-event entries (DynamoDB Streams,
//! Kinesis, EBS direct APIs) were marked "(verify)" while they rested on the user guide alone; the
//! CloudTrail API reference's list of `resources.type` values for data events
//! (`AdvancedFieldSelector.Field`, as the AWS SDKs carry it) names their resource types too, so
//! the type is confirmed by two sources. Which of a type's calls are data events still rests on the
//! user guide's table: those entries say "(event list: one source)".

use iamlint_core::activity::mapping::ResourceRole;
use iamlint_core::activity::mapping::ResourceRole::{Source, Target};

/// One kind of difference from the generated default.
#[derive(Debug)]
pub enum Exception {
    /// Events of `source` are authorized by actions of IAM service `prefix` (tried before the
    /// botocore model's signing name and endpoint prefix).
    SourcePrefix {
        source: &'static str,
        prefix: &'static str,
    },
    /// Events of `source` are authorized by `<prefix>:<HTTP method of the operation>`
    /// (API Gateway's management API).
    HttpMethod {
        source: &'static str,
        prefix: &'static str,
    },
    /// This event needs exactly these actions.
    Event {
        source: &'static str,
        event: &'static str,
        actions: &'static [(&'static str, ResourceRole)],
    },
    /// These events of `source` are data events.
    DataEvents {
        source: &'static str,
        events: &'static [&'static str],
    },
    /// A permission checked while another call runs, never an event of its own.
    NeverLogged { action: &'static str },
    /// Not used by the generator: a lookup that must give these actions (event names carrying
    /// an API version, which the lookup strips).
    Lookup {
        source: &'static str,
        event: &'static str,
        actions: &'static [&'static str],
    },
}

/// An exception with its reason.
#[derive(Debug)]
pub struct Entry {
    pub exception: Exception,
    pub why: &'static str,
}

macro_rules! table {
    ($($test:ident => $exception:expr, $why:literal;)*) => {
        /// All reviewed exceptions.
        pub const EXCEPTIONS: &[Entry] = &[$(Entry { exception: $exception, why: $why }),*];

        #[cfg(test)]
        mod per_entry {
            use super::*;
            $(
                #[test]
                fn $test() {
                    super::tests::check(&$exception);
                }
            )*
        }
    };
}

const fn event(
    source: &'static str,
    event: &'static str,
    actions: &'static [(&'static str, ResourceRole)],
) -> Exception {
    Exception::Event {
        source,
        event,
        actions,
    }
}

table! {
    // ------------------------------------------------------------ sources named unlike the prefix
    source_monitoring => Exception::SourcePrefix { source: "monitoring", prefix: "cloudwatch" },
        "CloudWatch's API is served (and logged) as monitoring.amazonaws.com; its IAM prefix is cloudwatch";
    source_tagging => Exception::SourcePrefix { source: "tagging", prefix: "tag" },
        "the Resource Groups Tagging API logs as tagging.amazonaws.com; its IAM prefix is tag";
    source_streams_dynamodb => Exception::SourcePrefix { source: "streams.dynamodb", prefix: "dynamodb" },
        "DynamoDB Streams calls are authorized by dynamodb: actions (GetRecords, DescribeStream, ...)";
    source_appstream2 => Exception::SourcePrefix { source: "appstream2", prefix: "appstream" },
        "AppStream 2.0's endpoint is appstream2; its IAM prefix is appstream";
    source_mturk => Exception::SourcePrefix { source: "mturk-requester", prefix: "mechanicalturk" },
        "Mechanical Turk's endpoint is mturk-requester; its IAM prefix is mechanicalturk";
    source_email => Exception::SourcePrefix { source: "email", prefix: "ses" },
        "SES (v1, v2) is served as email.amazonaws.com and authorized by ses: actions";
    source_apigateway => Exception::HttpMethod { source: "apigateway", prefix: "apigateway" },
        "API Gateway's management calls are authorized by apigateway:GET/POST/PUT/PATCH/DELETE on the resource path, not by the operation's name";

    // ------------------------------------------------------------ S3: operation -> permission
    s3_head_object => event("s3", "HeadObject", &[("s3:GetObject", Target)]),
        "HEAD on an object is authorized by s3:GetObject";
    s3_head_bucket => event("s3", "HeadBucket", &[("s3:ListBucket", Target)]),
        "HEAD on a bucket is authorized by s3:ListBucket";
    s3_list_objects => event("s3", "ListObjects", &[("s3:ListBucket", Target)]),
        "listing a bucket's objects is authorized by s3:ListBucket";
    s3_list_objects_v2 => event("s3", "ListObjectsV2", &[("s3:ListBucket", Target)]),
        "listing a bucket's objects is authorized by s3:ListBucket";
    s3_list_object_versions => event("s3", "ListObjectVersions", &[("s3:ListBucketVersions", Target)]),
        "listing object versions is authorized by s3:ListBucketVersions";
    s3_list_multipart_uploads => event("s3", "ListMultipartUploads", &[("s3:ListBucketMultipartUploads", Target)]),
        "listing a bucket's multipart uploads is authorized by s3:ListBucketMultipartUploads";
    s3_list_parts => event("s3", "ListParts", &[("s3:ListMultipartUploadParts", Target)]),
        "listing an upload's parts is authorized by s3:ListMultipartUploadParts";
    s3_list_buckets => event("s3", "ListBuckets", &[("s3:ListAllMyBuckets", Target)]),
        "listing the account's buckets is authorized by s3:ListAllMyBuckets";
    s3_copy_object => event("s3", "CopyObject", &[("s3:PutObject", Target), ("s3:GetObject", Source)]),
        "a copy writes the destination (s3:PutObject) and reads the source object named by x-amz-copy-source (s3:GetObject)";
    s3_upload_part_copy => event("s3", "UploadPartCopy", &[("s3:PutObject", Target), ("s3:GetObject", Source)]),
        "a part copy writes the destination upload (s3:PutObject) and reads the source object (s3:GetObject)";
    s3_create_multipart_upload => event("s3", "CreateMultipartUpload", &[("s3:PutObject", Target)]),
        "multipart uploads are authorized by s3:PutObject";
    s3_upload_part => event("s3", "UploadPart", &[("s3:PutObject", Target)]),
        "multipart uploads are authorized by s3:PutObject";
    s3_complete_multipart_upload => event("s3", "CompleteMultipartUpload", &[("s3:PutObject", Target)]),
        "multipart uploads are authorized by s3:PutObject";
    s3_delete_objects => event("s3", "DeleteObjects", &[("s3:DeleteObject", Target)]),
        "a multi-object delete needs s3:DeleteObject on each key (s3:DeleteObjectVersion when a version is named)";
    s3_select_object_content => event("s3", "SelectObjectContent", &[("s3:GetObject", Target)]),
        "S3 Select reads the object: s3:GetObject";
    s3_get_object_attributes => event("s3", "GetObjectAttributes", &[("s3:GetObjectAttributes", Target), ("s3:GetObject", Target)]),
        "GetObjectAttributes needs both s3:GetObjectAttributes and s3:GetObject (with a version ID: s3:GetObjectVersionAttributes and s3:GetObjectVersion), as the S3 API reference's GetObjectAttributes page says";
    s3_get_bucket_lifecycle_configuration => event("s3", "GetBucketLifecycleConfiguration", &[("s3:GetLifecycleConfiguration", Target)]),
        "lifecycle configuration permission names differ from the operation";
    s3_get_bucket_lifecycle => event("s3", "GetBucketLifecycle", &[("s3:GetLifecycleConfiguration", Target)]),
        "the older lifecycle operation, same permission";
    s3_put_bucket_lifecycle_configuration => event("s3", "PutBucketLifecycleConfiguration", &[("s3:PutLifecycleConfiguration", Target)]),
        "lifecycle configuration permission names differ from the operation";
    s3_put_bucket_lifecycle => event("s3", "PutBucketLifecycle", &[("s3:PutLifecycleConfiguration", Target)]),
        "the older lifecycle operation, same permission";
    s3_delete_bucket_lifecycle => event("s3", "DeleteBucketLifecycle", &[("s3:PutLifecycleConfiguration", Target)]),
        "deleting a configuration is authorized by its Put permission";
    s3_get_bucket_encryption => event("s3", "GetBucketEncryption", &[("s3:GetEncryptionConfiguration", Target)]),
        "default encryption permission names differ from the operation";
    s3_put_bucket_encryption => event("s3", "PutBucketEncryption", &[("s3:PutEncryptionConfiguration", Target)]),
        "default encryption permission names differ from the operation";
    s3_delete_bucket_encryption => event("s3", "DeleteBucketEncryption", &[("s3:PutEncryptionConfiguration", Target)]),
        "deleting a configuration is authorized by its Put permission";
    s3_get_bucket_replication => event("s3", "GetBucketReplication", &[("s3:GetReplicationConfiguration", Target)]),
        "replication permission names differ from the operation";
    s3_put_bucket_replication => event("s3", "PutBucketReplication", &[("s3:PutReplicationConfiguration", Target)]),
        "replication permission names differ from the operation";
    s3_delete_bucket_replication => event("s3", "DeleteBucketReplication", &[("s3:PutReplicationConfiguration", Target)]),
        "deleting a configuration is authorized by its Put permission";
    s3_delete_bucket_cors => event("s3", "DeleteBucketCors", &[("s3:PutBucketCORS", Target)]),
        "deleting a configuration is authorized by its Put permission";
    s3_delete_bucket_tagging => event("s3", "DeleteBucketTagging", &[("s3:PutBucketTagging", Target)]),
        "deleting a bucket's tags is authorized by s3:PutBucketTagging";
    s3_delete_bucket_ownership_controls => event("s3", "DeleteBucketOwnershipControls", &[("s3:PutBucketOwnershipControls", Target)]),
        "deleting a configuration is authorized by its Put permission";
    s3_get_bucket_accelerate => event("s3", "GetBucketAccelerateConfiguration", &[("s3:GetAccelerateConfiguration", Target)]),
        "transfer acceleration permission names differ from the operation";
    s3_put_bucket_accelerate => event("s3", "PutBucketAccelerateConfiguration", &[("s3:PutAccelerateConfiguration", Target)]),
        "transfer acceleration permission names differ from the operation";
    s3_get_bucket_analytics => event("s3", "GetBucketAnalyticsConfiguration", &[("s3:GetAnalyticsConfiguration", Target)]),
        "analytics configuration permissions";
    s3_list_bucket_analytics => event("s3", "ListBucketAnalyticsConfigurations", &[("s3:GetAnalyticsConfiguration", Target)]),
        "listing configurations is authorized by their Get permission";
    s3_put_bucket_analytics => event("s3", "PutBucketAnalyticsConfiguration", &[("s3:PutAnalyticsConfiguration", Target)]),
        "analytics configuration permissions";
    s3_delete_bucket_analytics => event("s3", "DeleteBucketAnalyticsConfiguration", &[("s3:PutAnalyticsConfiguration", Target)]),
        "deleting a configuration is authorized by its Put permission";
    s3_get_bucket_inventory => event("s3", "GetBucketInventoryConfiguration", &[("s3:GetInventoryConfiguration", Target)]),
        "inventory configuration permissions";
    s3_list_bucket_inventory => event("s3", "ListBucketInventoryConfigurations", &[("s3:GetInventoryConfiguration", Target)]),
        "listing configurations is authorized by their Get permission";
    s3_put_bucket_inventory => event("s3", "PutBucketInventoryConfiguration", &[("s3:PutInventoryConfiguration", Target)]),
        "inventory configuration permissions";
    s3_delete_bucket_inventory => event("s3", "DeleteBucketInventoryConfiguration", &[("s3:PutInventoryConfiguration", Target)]),
        "deleting a configuration is authorized by its Put permission";
    s3_get_bucket_metrics => event("s3", "GetBucketMetricsConfiguration", &[("s3:GetMetricsConfiguration", Target)]),
        "metrics configuration permissions";
    s3_list_bucket_metrics => event("s3", "ListBucketMetricsConfigurations", &[("s3:GetMetricsConfiguration", Target)]),
        "listing configurations is authorized by their Get permission";
    s3_put_bucket_metrics => event("s3", "PutBucketMetricsConfiguration", &[("s3:PutMetricsConfiguration", Target)]),
        "metrics configuration permissions";
    s3_delete_bucket_metrics => event("s3", "DeleteBucketMetricsConfiguration", &[("s3:PutMetricsConfiguration", Target)]),
        "deleting a configuration is authorized by its Put permission";
    s3_get_bucket_intelligent_tiering => event("s3", "GetBucketIntelligentTieringConfiguration", &[("s3:GetIntelligentTieringConfiguration", Target)]),
        "Intelligent-Tiering configuration permissions";
    s3_list_bucket_intelligent_tiering => event("s3", "ListBucketIntelligentTieringConfigurations", &[("s3:GetIntelligentTieringConfiguration", Target)]),
        "listing configurations is authorized by their Get permission";
    s3_put_bucket_intelligent_tiering => event("s3", "PutBucketIntelligentTieringConfiguration", &[("s3:PutIntelligentTieringConfiguration", Target)]),
        "Intelligent-Tiering configuration permissions";
    s3_delete_bucket_intelligent_tiering => event("s3", "DeleteBucketIntelligentTieringConfiguration", &[("s3:PutIntelligentTieringConfiguration", Target)]),
        "deleting a configuration is authorized by its Put permission";
    s3_get_bucket_notification_configuration => event("s3", "GetBucketNotificationConfiguration", &[("s3:GetBucketNotification", Target)]),
        "notification configuration permission names differ from the operation";
    s3_put_bucket_notification_configuration => event("s3", "PutBucketNotificationConfiguration", &[("s3:PutBucketNotification", Target)]),
        "notification configuration permission names differ from the operation";
    s3_get_public_access_block => event("s3", "GetPublicAccessBlock", &[("s3:GetBucketPublicAccessBlock", Target)]),
        "the bucket-level Block Public Access permissions carry Bucket in their names";
    s3_put_public_access_block => event("s3", "PutPublicAccessBlock", &[("s3:PutBucketPublicAccessBlock", Target)]),
        "the bucket-level Block Public Access permissions carry Bucket in their names";
    s3_delete_public_access_block => event("s3", "DeletePublicAccessBlock", &[("s3:PutBucketPublicAccessBlock", Target)]),
        "deleting a configuration is authorized by its Put permission";
    s3_get_object_lock_configuration => event("s3", "GetObjectLockConfiguration", &[("s3:GetBucketObjectLockConfiguration", Target)]),
        "Object Lock's bucket configuration permissions carry Bucket in their names";
    s3_put_object_lock_configuration => event("s3", "PutObjectLockConfiguration", &[("s3:PutBucketObjectLockConfiguration", Target)]),
        "Object Lock's bucket configuration permissions carry Bucket in their names";
    s3_write_get_object_response => event("s3-object-lambda", "WriteGetObjectResponse", &[("s3-object-lambda:WriteGetObjectResponse", Target)]),
        "S3 Object Lambda's call is authorized and logged by s3-object-lambda";
    s3express_create_session => event("s3express", "CreateSession", &[("s3express:CreateSession", Target)]),
        "directory buckets authorize object calls through a session: s3express:CreateSession";

    // ------------------------------------------------------------ other services
    lambda_invoke => event("lambda", "Invoke", &[("lambda:InvokeFunction", Target)]),
        "the Invoke operation is authorized by lambda:InvokeFunction";
    lambda_invoke_with_response_stream => event("lambda", "InvokeWithResponseStream", &[("lambda:InvokeFunction", Target)]),
        "response streaming is authorized by lambda:InvokeFunction";
    sqs_send_message_batch => event("sqs", "SendMessageBatch", &[("sqs:SendMessage", Target)]),
        "SQS batch calls are authorized by the single call's action";
    sqs_delete_message_batch => event("sqs", "DeleteMessageBatch", &[("sqs:DeleteMessage", Target)]),
        "SQS batch calls are authorized by the single call's action";
    sqs_change_message_visibility_batch => event("sqs", "ChangeMessageVisibilityBatch", &[("sqs:ChangeMessageVisibility", Target)]),
        "SQS batch calls are authorized by the single call's action";
    sns_publish_batch => event("sns", "PublishBatch", &[("sns:Publish", Target)]),
        "PublishBatch is authorized by sns:Publish";
    dynamodb_transact_get_items => event("dynamodb", "TransactGetItems", &[("dynamodb:GetItem", Target)]),
        "a read transaction needs dynamodb:GetItem on each table (write transactions need Put/Update/Delete/ConditionCheckItem by request, unknown from the event name, so they stay unknown)";
    lambda_get_layer_version_by_arn => event("lambda", "GetLayerVersionByArn", &[("lambda:GetLayerVersion", Target)]),
        "reading a layer version by its ARN is authorized by lambda:GetLayerVersion";
    cloudfront_create_distribution_with_tags => event("cloudfront", "CreateDistributionWithTags", &[("cloudfront:CreateDistribution", Target), ("cloudfront:TagResource", Target)]),
        "creating a tagged distribution needs cloudfront:CreateDistribution and cloudfront:TagResource";
    s3express_list_directory_buckets => event("s3express", "ListDirectoryBuckets", &[("s3express:ListAllMyDirectoryBuckets", Target)]),
        "listing directory buckets is authorized by s3express:ListAllMyDirectoryBuckets";
    kms_re_encrypt => event("kms", "ReEncrypt", &[("kms:ReEncryptTo", Target), ("kms:ReEncryptFrom", Source)]),
        "ReEncrypt needs kms:ReEncryptFrom on the source key (sourceKeyId) and kms:ReEncryptTo on the destination key";

    // ------------------------------------------------------------ data events
    data_s3_objects => Exception::DataEvents { source: "s3", events: &[
        "AbortMultipartUpload", "CompleteMultipartUpload", "CopyObject", "CreateMultipartUpload",
        "DeleteObject", "DeleteObjects", "DeleteObjectTagging", "GetObject", "GetObjectAcl",
        "GetObjectAttributes", "GetObjectLegalHold", "GetObjectRetention", "GetObjectTagging",
        "GetObjectTorrent", "HeadObject", "ListObjects", "ListObjectsV2", "ListObjectVersions",
        "ListMultipartUploads", "ListParts", "PutObject", "PutObjectAcl", "PutObjectLegalHold",
        "PutObjectRetention", "PutObjectTagging", "RestoreObject", "SelectObjectContent",
        "UploadPart", "UploadPartCopy",
    ] },
        "S3 object-level calls (and object listings) are data events (CloudTrail resource type AWS::S3::Object)";
    data_s3express => Exception::DataEvents { source: "s3express", events: &["CreateSession"] },
        "directory bucket object access is a data event (AWS::S3Express::Object)";
    data_s3_object_lambda => Exception::DataEvents { source: "s3-object-lambda", events: &["WriteGetObjectResponse"] },
        "S3 Object Lambda access point calls are data events (AWS::S3ObjectLambda::AccessPoint)";
    data_lambda => Exception::DataEvents { source: "lambda", events: &["Invoke", "InvokeWithResponseStream"] },
        "function invocations are data events (AWS::Lambda::Function)";
    // PartiQL (ExecuteStatement, BatchExecuteStatement, ExecuteTransaction) and
    // TransactWriteItems are data events too, but which action they need depends on the
    // statement or the request, so they have no entry and are reported as unmapped.
    data_dynamodb => Exception::DataEvents { source: "dynamodb", events: &[
        "BatchGetItem", "BatchWriteItem", "DeleteItem", "GetItem", "PutItem", "Query", "Scan",
        "TransactGetItems", "UpdateItem",
    ] },
        "DynamoDB item-level calls are data events (AWS::DynamoDB::Table)";
    data_dynamodb_streams => Exception::DataEvents { source: "streams.dynamodb", events: &[
        "DescribeStream", "GetRecords", "GetShardIterator",
    ] },
        "DynamoDB Streams reads are data events (AWS::DynamoDB::Stream) (event list: one source)";
    data_sns => Exception::DataEvents { source: "sns", events: &["Publish", "PublishBatch"] },
        "publishing to a topic is a data event (AWS::SNS::Topic)";
    data_sqs => Exception::DataEvents { source: "sqs", events: &[
        "ChangeMessageVisibility", "ChangeMessageVisibilityBatch", "DeleteMessage",
        "DeleteMessageBatch", "ReceiveMessage", "SendMessage", "SendMessageBatch",
    ] },
        "message calls on a queue are data events (AWS::SQS::Queue)";
    data_kinesis => Exception::DataEvents { source: "kinesis", events: &[
        "GetRecords", "GetShardIterator", "PutRecord", "PutRecords", "SubscribeToShard",
    ] },
        "record reads and writes on a stream are data events (AWS::Kinesis::Stream) (event list: one source)";
    data_cloudtrail_data => Exception::DataEvents { source: "cloudtrail-data", events: &["PutAuditEvents"] },
        "events sent to a CloudTrail Lake channel are data events (AWS::CloudTrail::Channel)";
    data_ebs => Exception::DataEvents { source: "ebs", events: &[
        "GetSnapshotBlock", "ListChangedBlocks", "ListSnapshotBlocks", "PutSnapshotBlock",
    ] },
        "EBS direct API block calls are data events (AWS::EC2::Snapshot) (event list: one source)";

    // ------------------------------------------------------------ never logged
    never_pass_role => Exception::NeverLogged { action: "iam:PassRole" },
        "checked when a call hands a role to a service (RunInstances, CreateFunction, ...); CloudTrail logs that call, never a PassRole event";
    never_tag_session => Exception::NeverLogged { action: "sts:TagSession" },
        "checked when AssumeRole passes session tags; the event is AssumeRole";
    never_set_source_identity => Exception::NeverLogged { action: "sts:SetSourceIdentity" },
        "checked when AssumeRole sets a source identity; the event is AssumeRole";

    // ------------------------------------------------------------ versioned event names (lookup)
    lookup_lambda_list_functions => Exception::Lookup { source: "lambda", event: "ListFunctions20150331", actions: &["lambda:ListFunctions"] },
        "Lambda's event names carry the API version";
    lookup_lambda_get_function_v2 => Exception::Lookup { source: "lambda", event: "GetFunction20150331v2", actions: &["lambda:GetFunction"] },
        "and sometimes a revision after it";
    lookup_lambda_update_code => Exception::Lookup { source: "lambda", event: "UpdateFunctionCode20150331v2", actions: &["lambda:UpdateFunctionCode"] },
        "a write with a versioned name";
    lookup_cloudfront_distribution => Exception::Lookup { source: "cloudfront", event: "CreateDistribution2020_05_31", actions: &["cloudfront:CreateDistribution"] },
        "CloudFront's event names carry the API version with underscores";
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use iamlint_core::activity::mapping::{self, NeverLogged, Tracking};

    /// Checks that the committed mapping honours one exception.
    pub fn check(e: &Exception) {
        let m = mapping::mapping();
        assert_eq!(m.error(), None);
        match e {
            Exception::SourcePrefix { source, prefix }
            | Exception::HttpMethod { source, prefix } => {
                let full = format!("{source}.amazonaws.com");
                let mut n = 0;
                for (s, _, actions) in m.events() {
                    if s == full {
                        n += 1;
                        let a = actions.actions[0].action;
                        assert!(
                            a.starts_with(&format!("{prefix}:")),
                            "{full}: {a} is not a {prefix} action"
                        );
                    }
                }
                assert!(n > 0, "no event of {full}");
            }
            Exception::Event {
                source,
                event,
                actions,
            } => {
                let got = mapping::actions_for_event(source, event)
                    .unwrap_or_else(|| panic!("{source} {event} unknown"));
                let got: Vec<(&str, ResourceRole)> =
                    got.actions.iter().map(|a| (a.action, a.resource)).collect();
                assert_eq!(&got, actions);
            }
            Exception::DataEvents { source, events } => {
                for ev in events.iter() {
                    assert!(mapping::is_data_event(source, ev), "{source} {ev}");
                }
            }
            Exception::NeverLogged { action } => {
                assert_eq!(
                    mapping::tracking(action),
                    Tracking::NeverLogged(NeverLogged::PermissionOnly)
                );
            }
            Exception::Lookup {
                source,
                event,
                actions,
            } => {
                let got = mapping::actions_for_event(source, event)
                    .unwrap_or_else(|| panic!("{source} {event} unknown"));
                let got: Vec<&str> = got.actions.iter().map(|a| a.action).collect();
                assert_eq!(&got, actions);
            }
        }
    }
}
