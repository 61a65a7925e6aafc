// A generated policy with thousands of findings, for the many-findings test and the benchmark
// (bench/playground.mjs), and the share link that opens it.
import zlib from "node:zlib";

/** `n` statements granting `s3:*` on a bucket each: for 5,000, about 1.3 MB and 5,001 findings
 * (one SERVICE_WILDCARD_IN_ACTION per statement and the policy-size error). */
export function manyWildcards(n = 5000) {
  const statements = [];
  for (let i = 0; i < n; i++) {
    statements.push({
      Sid: `ReadReports${i}`,
      Effect: "Allow",
      Action: "s3:*",
      Resource: `arn:aws:s3:::example-reports-${i}/*`,
      Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } },
    });
  }
  return JSON.stringify({ Version: "2012-10-17", Statement: statements }, null, 2);
}

/** A share-link fragment holding `text` (deflate-raw, base64url; the format share.ts reads). */
export function shareHash(text, policyType) {
  const z = zlib.deflateRawSync(Buffer.from(text, "utf8")).toString("base64url");
  return `#${new URLSearchParams({ type: policyType, z })}`;
}
