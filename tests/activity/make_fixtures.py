#!/usr/bin/env python3
"""Writes the CloudTrail fixture logs of tests/activity (run once; the output is committed).

The events follow the shapes CloudTrail writes (eventVersion 1.08-1.10): S3-delivered files
{"Records": [...]} under AWSLogs/<account>/CloudTrail/<region>/<y>/<m>/<d>/, one of them
gzipped, and `aws cloudtrail lookup-events` output with each event as a JSON string.
Principals: the role `deploy` (two sessions), the user `alice`, and the role `reporting` of
another account; denied calls, data events, a global-service call in us-east-1, and an event
with no IAM action.
"""
import gzip
import json
import os

ACCOUNT = "111122223333"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/service/deploy"
here = os.path.dirname(os.path.abspath(__file__))


def session(name):
    return {
        "type": "AssumedRole",
        "principalId": f"AROAEXAMPLEDEPLOY:{name}",
        "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/deploy/{name}",
        "accountId": ACCOUNT,
        "accessKeyId": "ASIAEXAMPLEKEY",
        "sessionContext": {
            "sessionIssuer": {"type": "Role", "principalId": "AROAEXAMPLEDEPLOY", "arn": ROLE,
                              "accountId": ACCOUNT, "userName": "deploy"},
            "attributes": {"creationDate": "2026-01-10T08:00:00Z", "mfaAuthenticated": "false"},
        },
    }


ALICE = {"type": "IAMUser", "principalId": "AIDAEXAMPLEALICE", "arn": f"arn:aws:iam::{ACCOUNT}:user/alice",
         "accountId": ACCOUNT, "accessKeyId": "AKIAEXAMPLEKEY", "userName": "alice"}
OTHER = {"type": "AssumedRole", "principalId": "AROAEXAMPLEREP:r", "arn": "arn:aws:sts::444455556666:assumed-role/reporting/r",
         "accountId": "444455556666",
         "sessionContext": {"sessionIssuer": {"type": "Role", "arn": "arn:aws:iam::444455556666:role/reporting",
                                              "accountId": "444455556666", "userName": "reporting"}}}

n = 0


def event(identity, time, source, name, region="eu-west-1", params=None, resources=None, error=None,
          read_only=True, data=False):
    global n
    n += 1
    e = {
        "eventVersion": "1.10",
        "userIdentity": identity,
        "eventTime": time,
        "eventSource": source,
        "eventName": name,
        "awsRegion": region,
        "sourceIPAddress": "192.0.2.10",
        "userAgent": "aws-cli/2.15.0",
        "requestParameters": params,
        "responseElements": None,
        "requestID": f"REQ{n:04d}",
        "eventID": f"00000000-0000-4000-8000-{n:012d}",
        "readOnly": read_only,
        "eventType": "AwsApiCall",
        "managementEvent": not data,
        "recipientAccountId": ACCOUNT,
        "eventCategory": "Data" if data else "Management",
    }
    if resources is not None:
        e["resources"] = resources
    if error:
        e["errorCode"] = error
        e["errorMessage"] = f"User: {identity['arn']} is not authorized to perform this operation"
    return e


def s3_obj(bucket, key):
    return [{"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{bucket}/{key}"},
            {"accountId": ACCOUNT, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"}]


ci, nightly = session("ci"), session("nightly")
eu = [
    event(ci, "2026-01-12T09:00:00Z", "s3.amazonaws.com", "GetObject", params={"bucketName": "artifacts", "key": "app/1.2.0.zip", "Host": "artifacts.s3.eu-west-1.amazonaws.com"}, resources=s3_obj("artifacts", "app/1.2.0.zip"), data=True),
    event(ci, "2026-01-12T09:00:05Z", "s3.amazonaws.com", "HeadObject", params={"bucketName": "artifacts", "key": "app/1.2.0.zip"}, resources=s3_obj("artifacts", "app/1.2.0.zip"), data=True),
    event(ci, "2026-01-12T09:01:00Z", "s3.amazonaws.com", "PutObject", params={"bucketName": "artifacts", "key": "app/1.3.0.zip"}, resources=s3_obj("artifacts", "app/1.3.0.zip"), read_only=False, data=True),
    event(ci, "2026-01-12T09:01:30Z", "s3.amazonaws.com", "ListObjectsV2", params={"bucketName": "artifacts", "list-type": "2", "prefix": "app/"}, resources=[{"accountId": ACCOUNT, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::artifacts"}], data=True),
    event(ci, "2026-01-12T09:02:00Z", "s3.amazonaws.com", "CopyObject", params={"bucketName": "releases", "key": "app/latest.zip", "x-amz-copy-source": "artifacts/app/1.3.0.zip"}, resources=s3_obj("releases", "app/latest.zip"), read_only=False, data=True),
    event(nightly, "2026-01-13T02:00:00Z", "dynamodb.amazonaws.com", "GetItem", params={"tableName": "deployments", "key": {"id": {"S": "app"}}}, resources=None, data=True),
    event(nightly, "2026-01-13T02:00:01Z", "dynamodb.amazonaws.com", "UpdateItem", params={"tableName": "deployments", "key": {"id": {"S": "app"}}}, read_only=False, data=True),
    event(nightly, "2026-01-13T02:00:02Z", "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", params={"functionName": "api", "publish": True}, read_only=False),
    event(nightly, "2026-01-13T02:00:03Z", "lambda.amazonaws.com", "ListFunctions20150331", params=None),
    event(nightly, "2026-01-13T02:00:04Z", "monitoring.amazonaws.com", "PutMetricData", params={"namespace": "Deploy"}, read_only=False),
    # Denied: left out unless --include-denied.
    event(nightly, "2026-01-13T02:00:05Z", "dynamodb.amazonaws.com", "DeleteTable", params={"tableName": "deployments"}, read_only=False, error="AccessDenied"),
    # Another principal of the same account, and a role of another account with the same name pattern.
    event(ALICE, "2026-01-13T10:00:00Z", "ec2.amazonaws.com", "DescribeInstances", params={"instancesSet": {}}),
    event(OTHER, "2026-01-13T11:00:00Z", "s3.amazonaws.com", "ListBuckets", params={"Host": "s3.amazonaws.com"}),
    # A made-up event no mapping knows: reported as unmapped, never dropped.
    event(nightly, "2026-01-14T03:00:00Z", "internal-tools.amazonaws.com", "FrobnicateWidget", params=None),
    # Outside a period that ends on 2026-01-14.
    event(ci, "2026-01-20T09:00:00Z", "s3.amazonaws.com", "DeleteObject", params={"bucketName": "artifacts", "key": "app/1.0.0.zip"}, resources=s3_obj("artifacts", "app/1.0.0.zip"), read_only=False, data=True),
]
us = [
    event(ci, "2026-01-12T09:05:00Z", "iam.amazonaws.com", "GetRole", region="us-east-1", params={"roleName": "api-execution"}),
    event(ci, "2026-01-12T09:05:01Z", "sts.amazonaws.com", "GetCallerIdentity", region="us-east-1", params=None),
    event(ALICE, "2026-01-12T10:00:00Z", "iam.amazonaws.com", "ListUsers", region="us-east-1", params=None),
]
lookup = [
    event(nightly, "2026-01-13T04:00:00Z", "cloudformation.amazonaws.com", "DescribeStacks", params={"stackName": "api"}),
    event(ALICE, "2026-01-13T04:10:00Z", "ec2.amazonaws.com", "DescribeVpcs", params=None),
]


def write_json(path, value, indent=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(value, f, indent=indent)
        f.write("\n")


base = os.path.join(here, "logs", "AWSLogs", ACCOUNT, "CloudTrail")
# CloudTrail writes each file on one line.
write_json(os.path.join(base, "eu-west-1", "2026", "01", "12",
                        f"{ACCOUNT}_CloudTrail_eu-west-1_20260112T0900Z_a1b2c3d4e5f6a7b8.json"),
           {"Records": eu})
us_path = os.path.join(base, "us-east-1", "2026", "01", "12",
                       f"{ACCOUNT}_CloudTrail_us-east-1_20260112T0905Z_b1c2d3e4f5a6b7c8.json.gz")
os.makedirs(os.path.dirname(us_path), exist_ok=True)
with gzip.GzipFile(us_path, "wb", mtime=0) as f:
    f.write(json.dumps({"Records": us}).encode())
write_json(os.path.join(here, "lookup-events.json"), {"Events": [
    {"EventId": e["eventID"], "EventName": e["eventName"], "ReadOnly": "true", "EventTime": e["eventTime"],
     "EventSource": e["eventSource"], "Username": e["userIdentity"]["arn"].split("/")[-1], "Resources": [],
     "CloudTrailEvent": json.dumps(e)} for e in lookup]}, indent=4)
