//! Hand-kept descriptions of the global condition keys.
//!
//! The key names, types and categories come from the package (its `globalConditionKeys` list,
//! encoded into `core/data/catalog.bin`); the package leaves descriptions empty, so the one-line
//! descriptions below are ours. A test checks that every global key in the data has a description
//! here and that no description is orphaned.

/// (key as the catalog spells it, our one-line description).
pub const DESCRIPTIONS: &[(&str, &str)] = &[
    ("aws:PrincipalArn", "ARN of the IAM principal (user, role, or account root) making the request; for an assumed-role session it is the role's ARN."),
    ("aws:PrincipalAccount", "AWS account ID that owns the principal making the request."),
    ("aws:PrincipalOrgPaths", "AWS Organizations paths (root/OU chain) of the principal's account; can hold several values."),
    ("aws:PrincipalOrgID", "ID of the AWS Organizations organization the principal's account belongs to."),
    ("aws:PrincipalTag/${TagKey}", "Value of the named tag attached to the principal (user or role) making the request."),
    ("aws:PrincipalIsAWSService", "True when an AWS service principal (such as cloudtrail.amazonaws.com) calls with its own service credentials."),
    ("aws:PrincipalServiceName", "Name of the AWS service principal making the request, when a service calls with its own credentials."),
    ("aws:PrincipalServiceNamesList", "All service principal names of the calling service, for services that have several; multi-valued."),
    ("aws:PrincipalType", "Kind of principal making the request: Account, User, FederatedUser, AssumedRole or Anonymous."),
    ("aws:userid", "Unique identifier of the requester; for a role session it is the role ID followed by the session name."),
    ("aws:username", "Friendly name of the IAM user making the request; absent for roles and other principal kinds."),
    ("aws:AssumedRoot", "True when the request uses a privileged root session obtained through sts:AssumeRoot."),
    ("aws:FederatedProvider", "Identity provider that issued the web identity or SAML credentials of the requesting session."),
    ("aws:TokenIssueTime", "Date and time at which the temporary security credentials of the request were issued."),
    ("aws:MultiFactorAuthAge", "Seconds since the requester's credentials were validated with MFA; absent when MFA was not used."),
    ("aws:MultiFactorAuthPresent", "Whether MFA was used to obtain the temporary credentials of the request; absent for long-term keys."),
    ("aws:ChatbotSourceArn", "ARN of the chat channel configuration from which a chat application (AWS Chatbot) user issued the request."),
    ("aws:Ec2InstanceSourceVpc", "VPC ID from which the EC2 instance role credentials were delivered to the instance."),
    ("aws:Ec2InstanceSourcePrivateIPv4", "Primary private IPv4 address of the EC2 instance the role credentials were delivered to."),
    ("aws:SourceIdentity", "Source identity the principal set when first assuming a role; it carries across role chaining."),
    ("ec2:RoleDelivery", "Version of the instance metadata service (1.0 or 2.0) that delivered the EC2 instance role credentials."),
    ("ec2:SourceInstanceArn", "ARN of the EC2 instance whose role credentials made the request."),
    ("glue:RoleAssumedBy", "Which AWS Glue component assumed the role for the request."),
    ("glue:CredentialIssuingService", "The AWS Glue service that issued the session credentials used for the request."),
    ("lambda:SourceFunctionArn", "ARN of the Lambda function whose execution role credentials made the request."),
    ("ssm:SourceInstanceArn", "ARN of the Systems Manager managed instance whose credentials made the request."),
    ("identitystore:UserId", "IAM Identity Center user ID of the person behind an identity-enhanced session."),
    ("aws:SourceIp", "IP address the request came from, as seen by AWS; not set for calls made through a VPC endpoint."),
    ("aws:SourceVpc", "ID of the VPC whose endpoint carried the request."),
    ("aws:SourceVpcArn", "ARN of the VPC whose endpoint carried the request."),
    ("aws:SourceVpce", "ID of the VPC endpoint that carried the request."),
    ("aws:VpceAccount", "AWS account ID that owns the VPC endpoint that carried the request."),
    ("aws:VpceOrgPaths", "AWS Organizations paths of the account owning the VPC endpoint that carried the request; multi-valued."),
    ("aws:VpceOrgID", "Organization ID of the account owning the VPC endpoint that carried the request."),
    ("aws:VpcSourceIp", "Private IP address of the caller inside the VPC, for requests made through a VPC endpoint."),
    ("aws:ResourceAccount", "AWS account ID that owns the resource being accessed."),
    ("aws:ResourceOrgID", "Organization ID of the account that owns the resource being accessed."),
    ("aws:ResourceOrgPaths", "AWS Organizations paths of the account that owns the resource being accessed; multi-valued."),
    ("aws:ResourceTag/${TagKey}", "Value of the named tag already attached to the resource being accessed."),
    ("aws:CalledVia", "Ordered list of AWS services that made the request on the principal's behalf (forward access sessions); multi-valued."),
    ("aws:CalledViaFirst", "First service in the aws:CalledVia chain, the one the principal called directly."),
    ("aws:CalledViaLast", "Last service in the aws:CalledVia chain, the one that sent this request."),
    ("aws:CalledViaAWSMCP", "AWS-managed MCP server through which the request was made on the principal's behalf."),
    ("aws:ViaAWSService", "True when an AWS service makes the request on the principal's behalf with the principal's credentials."),
    ("aws:ViaAWSMCPService", "True when the request was made through an AWS-managed MCP server."),
    ("aws:CurrentTime", "Date and time of the request (ISO 8601), for time-window conditions."),
    ("aws:EpochTime", "Date and time of the request as Unix epoch seconds; usable with date or numeric operators."),
    ("aws:referer", "HTTP Referer header the client sent; easily forged, so never rely on it alone to protect data."),
    ("aws:RequestedRegion", "AWS Region the request is sent to; global services report their home Region."),
    ("aws:RequestTag/${TagKey}", "Value of the named tag the request wants to set on a resource."),
    ("aws:TagKeys", "Tag keys present in the request; multi-valued, use ForAllValues/ForAnyValue."),
    ("aws:SecureTransport", "True when the request was sent over TLS (HTTPS)."),
    ("aws:SourceArn", "ARN of the resource on whose behalf an AWS service makes a service-to-service request."),
    ("aws:SourceAccount", "Account ID of the resource on whose behalf an AWS service makes a service-to-service request."),
    ("aws:SourceOwner", "Account ID owning the source resource of a service-to-service request; older spelling some services (SNS, SES) use instead of aws:SourceAccount."),
    ("aws:SourceOrgPaths", "AWS Organizations paths of the account owning the source resource of a service-to-service request; multi-valued."),
    ("aws:SourceOrgID", "Organization ID of the account owning the source resource of a service-to-service request."),
    ("aws:UserAgent", "User-Agent header the client sent; set by the client, so not a security boundary."),
    ("aws:IsMcpServiceAction", "True when the action being authorized is one of an AWS-managed MCP server's own actions."),
];

/// Names that look like global keys but are not condition keys at all, with why.
pub const NOT_CONDITION_KEYS: &[(&str, &str)] = &[(
    "aws:ARN",
    "there is no aws:ARN condition key; use aws:PrincipalArn for the caller, aws:SourceArn for the calling resource, or the Resource element for the target",
)];

/// Our description of a global key, matched case-insensitively.
pub fn description(name: &str) -> Option<&'static str> {
    DESCRIPTIONS
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, d)| *d)
}

/// Why `name` is not a condition key, if it is a known look-alike (`aws:ARN`).
pub fn not_a_condition_key(name: &str) -> Option<&'static str> {
    NOT_CONDITION_KEYS
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, why)| *why)
}
