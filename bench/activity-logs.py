#!/usr/bin/env python3
"""Writes a CloudTrail log set for the `iamlint generate` benchmark (docs/benchmarks.md).

    python3 bench/activity-logs.py DIR [--mb 1024] [--plain]

Files as CloudTrail delivers them to S3 (AWSLogs/<account>/CloudTrail/<region>/<y>/<m>/<d>/
..._CloudTrail_<region>_<time>_<id>.json.gz, one line of {"Records": [...]}), each about 5 MB
uncompressed, until DIR holds MB megabytes of uncompressed JSON. Events are realistic in shape
and size (about 1.4 KB each): 40 principals (role sessions, users), 60 kinds of call across S3
data events, DynamoDB, Lambda, EC2, IAM, STS, KMS and CloudWatch, some failed. Deterministic
(fixed seed). The data is not committed: delete DIR after the run.
"""
import argparse
import gzip
import json
import os
import random

ACCOUNT = "111122223333"
CALLS = [
    ("s3.amazonaws.com", n, True) for n in ["GetObject", "PutObject", "HeadObject", "ListObjectsV2", "DeleteObject", "CopyObject"]
] + [
    ("dynamodb.amazonaws.com", n, True) for n in ["GetItem", "PutItem", "Query", "UpdateItem", "BatchWriteItem"]
] + [
    ("dynamodb.amazonaws.com", n, False) for n in ["DescribeTable", "ListTables"]
] + [
    ("lambda.amazonaws.com", n, False) for n in ["ListFunctions20150331", "GetFunction20150331v2", "UpdateFunctionCode20150331v2", "Invoke"]
] + [
    ("ec2.amazonaws.com", n, False) for n in ["DescribeInstances", "DescribeVpcs", "DescribeSubnets", "DescribeSecurityGroups", "RunInstances", "CreateTags"]
] + [
    ("iam.amazonaws.com", n, False) for n in ["GetRole", "ListRoles", "GetPolicy", "ListAttachedRolePolicies"]
] + [
    ("sts.amazonaws.com", n, False) for n in ["AssumeRole", "GetCallerIdentity"]
] + [
    ("kms.amazonaws.com", n, False) for n in ["Decrypt", "GenerateDataKey", "Encrypt"]
] + [
    ("monitoring.amazonaws.com", n, False) for n in ["PutMetricData", "GetMetricData"]
] + [
    ("logs.amazonaws.com", n, False) for n in ["CreateLogStream", "PutLogEvents", "DescribeLogGroups"]
]
REGIONS = ["us-east-1", "eu-west-1", "eu-central-1", "us-west-2"]


def identity(rng, i):
    if i % 5 == 0:
        name = f"user-{i}"
        return {"type": "IAMUser", "principalId": f"AIDA{i:016d}", "arn": f"arn:aws:iam::{ACCOUNT}:user/{name}",
                "accountId": ACCOUNT, "accessKeyId": f"AKIA{i:016d}", "userName": name}
    role = f"role-{i % 12}"
    return {
        "type": "AssumedRole", "principalId": f"AROA{i:016d}:session-{i}",
        "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/session-{i}", "accountId": ACCOUNT,
        "accessKeyId": f"ASIA{i:016d}",
        "sessionContext": {
            "sessionIssuer": {"type": "Role", "principalId": f"AROA{i % 12:016d}",
                              "arn": f"arn:aws:iam::{ACCOUNT}:role/app/{role}", "accountId": ACCOUNT, "userName": role},
            "webIdFederationData": {},
            "attributes": {"creationDate": "2026-01-10T08:00:00Z", "mfaAuthenticated": "false"},
        },
    }


def event(rng, identities, t, region, n):
    source, name, data = rng.choice(CALLS)
    bucket, key = f"bucket-{rng.randrange(20)}", f"data/{rng.randrange(10**6):06d}/part-{rng.randrange(100)}.parquet"
    params = {"bucketName": bucket, "key": key, "Host": f"{bucket}.s3.{region}.amazonaws.com"} if source.startswith("s3") \
        else {"tableName": f"table-{rng.randrange(30)}", "consistentRead": False} if source.startswith("dynamodb") \
        else {"functionName": f"fn-{rng.randrange(50)}"} if source.startswith("lambda") \
        else {"filterSet": {"items": [{"name": "tag:team", "valueSet": {"items": [{"value": "platform"}]}}]}, "maxResults": 100}
    e = {
        "eventVersion": "1.10",
        "userIdentity": rng.choice(identities),
        "eventTime": t,
        "eventSource": source,
        "eventName": name,
        "awsRegion": region,
        "sourceIPAddress": f"198.51.100.{rng.randrange(255)}",
        "userAgent": "aws-sdk-java/2.25.10 Linux/6.1.0 OpenJDK_64-Bit_Server_VM/21.0.2 Java/21.0.2 vendor/Eclipse_Adoptium io/sync http/Apache cfg/retry-mode/standard",
        "requestParameters": params,
        "responseElements": None,
        "additionalEventData": {"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256", "bytesTransferredIn": 0,
                                "AuthenticationMethod": "AuthHeader", "x-amz-id-2": "a" * 76, "bytesTransferredOut": rng.randrange(10**7)},
        "requestID": f"{n:016X}",
        "eventID": f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-8{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}",
        "readOnly": name.startswith(("Get", "List", "Describe", "Head", "Query")),
        "eventType": "AwsApiCall",
        "managementEvent": not data,
        "recipientAccountId": ACCOUNT,
        "eventCategory": "Data" if data else "Management",
        "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256", "clientProvidedHostHeader": f"{source}"},
    }
    if source.startswith("s3"):
        e["resources"] = [{"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{bucket}/{key}"},
                          {"accountId": ACCOUNT, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"}]
    if rng.random() < 0.03:
        e["errorCode"] = "AccessDenied"
        e["errorMessage"] = "User is not authorized to perform this operation"
    return e


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--mb", type=int, default=1024)
    ap.add_argument("--plain", action="store_true", help="write .json files, not .json.gz")
    args = ap.parse_args()
    rng = random.Random(12345)
    identities = [identity(rng, i) for i in range(40)]
    total, n, f = 0, 0, 0
    while total < args.mb * 1_000_000:
        region = REGIONS[f % len(REGIONS)]
        day, minute = 1 + f // 288 % 28, f % 288 * 5
        stamp = f"2026-01-{day:02d}T{minute // 60:02d}:{minute % 60:02d}"
        records = []
        size = 0
        while size < 5_000_000:
            n += 1
            e = event(rng, identities, f"{stamp}:{rng.randrange(60):02d}Z", region, n)
            records.append(e)
            size += 1400
        text = json.dumps({"Records": records}).encode()
        total += len(text)
        d = os.path.join(args.dir, "AWSLogs", ACCOUNT, "CloudTrail", region, "2026", "01", f"{day:02d}")
        os.makedirs(d, exist_ok=True)
        name = f"{ACCOUNT}_CloudTrail_{region}_202601{day:02d}T{minute // 60:02d}{minute % 60:02d}Z_{f:016x}.json"
        if args.plain:
            with open(os.path.join(d, name), "wb") as out:
                out.write(text)
        else:
            with gzip.open(os.path.join(d, name + ".gz"), "wb", compresslevel=6) as out:
                out.write(text)
        f += 1
    print(f"{f} files, {n} events, {total / 1e6:.0f} MB uncompressed")


if __name__ == "__main__":
    main()
