#!/usr/bin/env python3
"""Generate the audit benchmark's inputs (see docs/benchmarks.md): a credential report of N users
(default 100,000) and an authorization-details file of M roles (default 5,000), in the formats AWS
gives. Deterministic (fixed seed), no network. Usage:

    python3 bench/audit-inputs.py OUT_DIR [USERS] [ROLES]

Writes OUT_DIR/credential-report.csv and OUT_DIR/authorization-details.json. The roles mix what
real accounts hold: shared customer managed policies (some broad, some narrow, a few that open an
escalation path only together), inline policies (JSON objects and URL-encoded strings, as the raw
API returns them), trust policies, boundaries and last-used dates.
"""
import datetime
import json
import random
import sys
from urllib.parse import quote

ACCOUNT = "111122223333"
A = f"arn:aws:iam::{ACCOUNT}:"
HEADER = ("user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
          "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
          "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
          "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
          "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,"
          "cert_1_last_rotated,cert_2_active,cert_2_last_rotated")


def stamp(rng, lo_days=0, hi_days=900):
    d = 20600 - rng.randint(lo_days, hi_days)  # days since 1970 (about 2026-05)

    t = datetime.datetime(1970, 1, 1) + datetime.timedelta(days=d, seconds=rng.randint(0, 86399))
    return t.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def credential_report(rng, users):
    lines = [HEADER,
             f"<root_account>,{A}root,2019-03-04T10:00:00+00:00,not_supported,{stamp(rng, 0, 60)},"
             "not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A"]
    for i in range(users):
        created = stamp(rng, 100, 1500)
        pw = rng.random() < 0.6
        mfa = pw and rng.random() < 0.8
        pw_used = (stamp(rng, 0, 300) if rng.random() < 0.8 else "no_information") if pw else "N/A"
        keys = []
        for _ in range(2):
            if rng.random() < 0.5:
                rotated = stamp(rng, 0, 700)
                used = stamp(rng, 0, 200) if rng.random() < 0.85 else "N/A"
                region, service = ("us-east-1", "s3") if used != "N/A" else ("N/A", "N/A")
                keys.append([rng.choice(["true", "TRUE", "false"]), rotated, used, region, service])
            else:
                keys.append(["false", "N/A", "N/A", "N/A", "N/A"])
        row = [f"user{i:06d}", f"{A}user/team{i % 50}/user{i:06d}", created, "true" if pw else "false",
               pw_used, created if pw else "N/A", "N/A", "true" if mfa else "false",
               *keys[0], *keys[1], "false", "N/A", "false", "N/A"]
        lines.append(",".join(row))
    return "\n".join(lines) + "\n"


def doc(statements):
    return {"Version": "2012-10-17", "Statement": statements}


MANAGED = {
    "ReadOnlyS3": doc([{"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"}]),
    "AppData": doc([{"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
                     "Resource": f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/app-*"}]),
    "LambdaDeploy": doc([{"Effect": "Allow", "Action": ["lambda:CreateFunction", "lambda:UpdateFunctionCode",
                                                        "lambda:InvokeFunction"], "Resource": "*"}]),
    "PassAnyRole": doc([{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]),
    "Ec2Operator": doc([{"Effect": "Allow", "Action": ["ec2:RunInstances", "ec2:Describe*", "ec2:StopInstances"],
                         "Resource": "*"}]),
    "PowerUser": doc([{"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"},
                      {"Effect": "Allow", "Action": ["iam:CreateServiceLinkedRole", "iam:ListRoles"], "Resource": "*"}]),
    "KeyAdmin": doc([{"Effect": "Allow", "Action": ["iam:CreateAccessKey", "iam:UpdateAccessKey"], "Resource": "*"}]),
    "Logs": doc([{"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                  "Resource": f"arn:aws:logs:*:{ACCOUNT}:log-group:/app/*"}]),
}


def managed_policy(name, document, arn=None):
    return {"PolicyName": name, "PolicyId": "ANPA" + name.upper()[:12], "Arn": arn or f"{A}policy/{name}",
            "Path": "/", "DefaultVersionId": "v1", "AttachmentCount": 1, "PermissionsBoundaryUsageCount": 0,
            "IsAttachable": True, "CreateDate": "2024-01-01T00:00:00+00:00", "UpdateDate": "2024-01-01T00:00:00+00:00",
            "PolicyVersionList": [{"Document": document, "VersionId": "v1", "IsDefaultVersion": True,
                                   "CreateDate": "2024-01-01T00:00:00+00:00"}]}


def authorization_details(rng, roles):
    services = ["lambda", "ec2", "ecs-tasks", "glue", "states"]
    role_list = []
    names = list(MANAGED)
    for i in range(roles):
        service = rng.choice(services)
        trust = doc([{"Effect": "Allow", "Principal": {"Service": f"{service}.amazonaws.com"},
                      "Action": "sts:AssumeRole"}])
        attached = [{"PolicyName": n, "PolicyArn": f"{A}policy/{n}"} for n in rng.sample(names, rng.randint(0, 3))]
        if rng.random() < 0.02:
            attached.append({"PolicyName": "AdministratorAccess", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"})
        inline = []
        for j in range(rng.randint(0, 2)):
            st = rng.choice([
                {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"arn:aws:s3:::bucket-{i}/*"},
                {"Effect": "Allow", "Action": "sqs:*", "Resource": "*"},
                {"Effect": "Allow", "Action": ["sts:AssumeRole"], "Resource": "*"},
                {"Effect": "Allow", "Action": ["iam:PutRolePolicy"], "Resource": f"{A}role/app-{i}"},
                {"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"},
            ])
            d = doc([st])
            inline.append({"PolicyName": f"inline-{j}",
                           "PolicyDocument": quote(json.dumps(d, separators=(",", ":")), safe="") if rng.random() < 0.5 else d})
        role = {"Path": "/", "RoleName": f"role-{i:05d}", "RoleId": f"AROA{i:016d}", "Arn": f"{A}role/role-{i:05d}",
                "CreateDate": stamp(rng, 30, 1200), "AssumeRolePolicyDocument": trust, "InstanceProfileList": [],
                "RolePolicyList": inline, "AttachedManagedPolicies": attached, "Tags": [],
                "RoleLastUsed": {"LastUsedDate": stamp(rng, 0, 400), "Region": "us-east-1"} if rng.random() < 0.7 else {}}
        if rng.random() < 0.05:
            role["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy",
                                           "PermissionsBoundaryArn": f"{A}policy/ReadOnlyS3"}
        role_list.append(role)
    policies = [managed_policy(n, d) for n, d in MANAGED.items()]
    policies.append(managed_policy("AdministratorAccess", doc([{"Effect": "Allow", "Action": "*", "Resource": "*"}]),
                                   "arn:aws:iam::aws:policy/AdministratorAccess"))
    return {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": role_list, "Policies": policies}


def main():
    out = sys.argv[1]
    users = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    roles = int(sys.argv[3]) if len(sys.argv) > 3 else 5_000
    rng = random.Random(17)
    with open(f"{out}/credential-report.csv", "w") as f:
        f.write(credential_report(rng, users))
    with open(f"{out}/authorization-details.json", "w") as f:
        json.dump(authorization_details(rng, roles), f)


if __name__ == "__main__":
    main()
