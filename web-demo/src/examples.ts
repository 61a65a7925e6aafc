// The gallery. The first five are one story: the same application's permissions narrowed step by
// step from "everything" to the few DynamoDB actions it needs on one table, under a condition.

export interface Example {
  id: string;
  title: string;
  policyType: string;
  /** The language of `text` (the format selector's value); policy JSON when absent. */
  format?: Format;
  text: string;
  /** A request to simulate when the example is loaded. */
  simulation?: SimulationPreset;
}

import type { SimulationPreset } from "./simulator";

/** What the editor holds: a policy document, or a file that has policies in it. */
export type Format = "json" | "terraform" | "cloudformation-yaml" | "cloudformation-json";
export const FORMATS: { id: Format; label: string }[] = [
  { id: "json", label: "Policy JSON" },
  { id: "terraform", label: "Terraform" },
  { id: "cloudformation-yaml", label: "CloudFormation YAML" },
  // Share links from the VS Code extension name it for a JSON template.
  { id: "cloudformation-json", label: "CloudFormation JSON" },
];

const json = (value: unknown) => JSON.stringify(value, null, 2) + "\n";
const TABLE = "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders";

export const EXAMPLES: Example[] = [
  {
    id: "lp-1-star",
    title: "Least privilege 1/5: everything (*)",
    policyType: "identity",
    text: json({
      Version: "2012-10-17",
      Statement: [{ Sid: "App", Effect: "Allow", Action: "*", Resource: "*" }],
    }),
  },
  {
    id: "lp-2-service",
    title: "Least privilege 2/5: all of DynamoDB",
    policyType: "identity",
    text: json({
      Version: "2012-10-17",
      Statement: [{ Sid: "App", Effect: "Allow", Action: "dynamodb:*", Resource: "*" }],
    }),
  },
  {
    id: "lp-3-table",
    title: "Least privilege 3/5: all of DynamoDB on one table",
    policyType: "identity",
    text: json({
      Version: "2012-10-17",
      Statement: [{ Sid: "App", Effect: "Allow", Action: "dynamodb:*", Resource: TABLE }],
    }),
  },
  {
    id: "lp-4-actions",
    title: "Least privilege 4/5: read and write items of one table",
    policyType: "identity",
    text: json({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "OrdersReadWrite",
          Effect: "Allow",
          Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"],
          Resource: [TABLE, `${TABLE}/index/*`],
        },
      ],
    }),
  },
  {
    id: "lp-5-condition",
    title: "Least privilege 5/5: only the caller's own items",
    policyType: "identity",
    text: json({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "OwnOrdersOnly",
          Effect: "Allow",
          Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"],
          Resource: TABLE,
          Condition: {
            "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": ["${aws:PrincipalTag/customer-id}"] },
          },
        },
      ],
    }),
  },
  {
    id: "public-bucket",
    title: "A public S3 bucket",
    policyType: "resource:AWS::S3::Bucket",
    text: json({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "PublicRead",
          Effect: "Allow",
          Principal: "*",
          Action: ["s3:GetObject", "s3:PutObject"],
          Resource: "arn:aws:s3:::example-website-bucket/*",
        },
      ],
    }),
  },
  {
    id: "github-oidc",
    title: "GitHub Actions OIDC trust",
    policyType: "trust",
    text: json({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: {
            Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
          },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
            StringLike: { "token.actions.githubusercontent.com:sub": "repo:example-org/*" },
          },
        },
      ],
    }),
  },
  {
    id: "scp-regions",
    title: "SCP guardrail: deny outside two regions",
    policyType: "scp",
    text: json({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyOutsideApprovedRegions",
          Effect: "Deny",
          NotAction: ["iam:*", "organizations:*", "sts:*", "support:*", "cloudfront:*", "route53:*"],
          Resource: "*",
          Condition: { StringNotEquals: { "aws:RequestedRegion": ["eu-west-1", "eu-central-1"] } },
        },
      ],
    }),
  },
  {
    id: "sim-mfa-delete",
    title: "Simulator: deleting without MFA is denied",
    policyType: "identity",
    text: json({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ReportsReadWrite",
          Effect: "Allow",
          Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
          Resource: "arn:aws:s3:::example-reports/*",
        },
        {
          Sid: "NoDeleteWithoutMfa",
          Effect: "Deny",
          Action: "s3:DeleteObject",
          Resource: "arn:aws:s3:::example-reports/*",
          Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
        },
      ],
    }),
    simulation: {
      role: "identity",
      principal: "arn:aws:iam::123456789012:user/alice",
      action: "s3:DeleteObject",
      resource: "arn:aws:s3:::example-reports/2026/q3.csv",
      context: ["aws:MultiFactorAuthPresent=false"],
    },
  },
  {
    id: "terraform-ec2-s3",
    title: "Terraform: EC2 role reading an S3 bucket",
    policyType: "auto",
    format: "terraform",
    text: `resource "aws_iam_role" "ec2_s3_access_role" {
  name = "ec2-s3-access-role"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Action = "sts:AssumeRole"
        Effect = "Allow"
        Principal = {
          Service = "ec2.amazonaws.com"
        }
      },
    ]
  })
}

resource "aws_iam_role_policy" "s3_read" {
  name = "s3-read"
  role = aws_iam_role.ec2_s3_access_role.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Action = [
          "s3:GetObject",
          "s3:ListBucket",
        ]
        Resource = [
          "arn:aws:s3:::my-bucket",
          "arn:aws:s3:::my-bucket/*",
        ]
      },
    ]
  })
}

resource "aws_iam_instance_profile" "ec2_profile" {
  name = "ec2-s3-access-profile"
  role = aws_iam_role.ec2_s3_access_role.name
}
`,
  },
  {
    id: "cloudformation-lambda",
    title: "CloudFormation: Lambda role and a bucket policy",
    policyType: "auto",
    format: "cloudformation-yaml",
    text: `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Stage:
    Type: String
    Default: dev
Resources:
  Uploads:
    Type: AWS::S3::Bucket
  FunctionRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub uploads-\${Stage}
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: uploads
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action:
                  - s3:PutObject
                  - s3:GetObjekt
                Resource: !Sub "\${Uploads.Arn}/\${!aws:username}/*"
              - Effect: Allow
                Action: logs:*
                Resource: "*"
  UploadsPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Uploads
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Sid: PublicRead
            Effect: Allow
            Principal: "*"
            Action: s3:GetObject
            Resource: !Sub \${Uploads.Arn}/*
`,
  },
  {
    id: "broken",
    title: "A broken policy",
    policyType: "identity",
    text: `{
  "Statement": [
    {
      "Effect": "allow",
      "Action": ["s3:GetObjekt", "s3:ListBucket"]
      "Resource": "arn:aws:s3:::my-bucket/*",
      "Condition": {"StringEquals": {"aws:SourceIp": "10.0.0.0/8"}}
    }
  ]
}
`,
  },
];
