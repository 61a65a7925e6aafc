//! Catalog lookups: `cargo bench -p iamlint-core --bench catalog`.
//!
//! "cold" decodes the embedded data into a fresh `Catalog` and does one lookup, which is what the
//! first lookup of a process costs (the shared `catalog()` decodes once and keeps the result).

use criterion::{criterion_group, criterion_main, Criterion};
use iamlint_core::catalog::{catalog, Catalog, CATALOG_BYTES};
use std::hint::black_box;

fn cold(c: &mut Criterion) {
    c.bench_function("catalog cold: decode + action lookup", |b| {
        b.iter(|| {
            let cat = Catalog::from_bytes(black_box(CATALOG_BYTES));
            black_box(cat.action("s3:GetObject").map(|a| a.access_level()))
        })
    });
    c.bench_function("catalog cold: decode + condition key lookup", |b| {
        b.iter(|| {
            let cat = Catalog::from_bytes(black_box(CATALOG_BYTES));
            black_box(
                cat.condition_key("aws:ResourceTag/team")
                    .map(|k| k.value_type()),
            )
        })
    });
    c.bench_function("catalog cold: decode + ARN lookup", |b| {
        b.iter(|| {
            let cat = Catalog::from_bytes(black_box(CATALOG_BYTES));
            black_box(cat.resource_types_for_arn("arn:aws:s3:::bucket/key").len())
        })
    });
}

fn warm(c: &mut Criterion) {
    let cat = catalog();
    c.bench_function("catalog warm: action lookup", |b| {
        b.iter(|| {
            black_box(
                cat.action(black_box("S3:getobject"))
                    .map(|a| a.access_level()),
            )
        })
    });
    c.bench_function("catalog warm: condition key (templated)", |b| {
        b.iter(|| {
            black_box(
                cat.condition_key(black_box("s3:ExistingObjectTag/team"))
                    .is_some(),
            )
        })
    });
    c.bench_function("catalog warm: supports_condition_key", |b| {
        let a = cat.action("ec2:RunInstances").unwrap();
        b.iter(|| black_box(a.supports_condition_key(black_box("aws:RequestTag/Project"))))
    });
    c.bench_function("catalog warm: resource_types_for_arn (iam role)", |b| {
        b.iter(|| {
            black_box(
                cat.resource_types_for_arn(black_box("arn:aws:iam::123456789012:role/x"))
                    .len(),
            )
        })
    });
    c.bench_function(
        "catalog warm: resource_types_for_arn (wildcard service)",
        |b| {
            b.iter(|| {
                black_box(
                    cat.resource_types_for_arn(black_box("arn:aws:*:*:*:*"))
                        .len(),
                )
            })
        },
    );
    for pattern in ["s3:Get*", "*:Get*", "s3:*Object*", "*"] {
        c.bench_function(&format!("catalog warm: expand {pattern}"), |b| {
            b.iter(|| black_box(cat.expand_action_pattern(black_box(pattern)).len()))
        });
    }
}

criterion_group!(benches, cold, warm);
criterion_main!(benches);
