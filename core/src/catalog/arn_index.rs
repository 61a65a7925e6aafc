//! The catalog's ARN templates indexed by the service field of their ARNs: the one index that
//! [`Catalog::resource_types_for_arn`] narrows its candidates with and that the ARN rules read
//! their compiled templates from ([`Catalog::arn_templates`]).
//!
//! A template's service field is usually the owner's or another service's name (`s3`,
//! `execute-api`); a few are a placeholder (AWS Backup's recovery points,
//! `arn:${Partition}:${Vendor}:...`), standing for whichever service holds the resource. Those
//! are kept apart ([`ArnIndex::any_service`]) and also filed under the owner's prefix, since the
//! owner's own ARNs (`arn:aws:backup:...:recovery-point:...`) are among the ARNs they describe.
//!
//! The rules compare resource parts with each template's compiled resource pattern. Compiling
//! every template of the catalog cost a fifth of the instructions of a run on one small file,
//! which asks about a service or two, so each service's templates are compiled on the first
//! ask for that service ([`Group::compiled`], a `OnceLock`: the check runs on several threads).
//! A run over many files compiles them all ahead, on a spare core
//! ([`Catalog::prepare_arn_templates`], from [`crate::analysis::prepare`]).

use std::sync::OnceLock;

use super::{arn_segment, Catalog, ResourceType};
use crate::arn::{Arn, ResourcePattern};
use crate::fast_hash::FastMap;

/// See the module documentation.
pub(super) struct ArnIndex {
    /// Group number by service field in lower case (see [`service_key`]).
    by_service: FastMap<String, u32>,
    groups: Vec<Group>,
    /// Templates whose service field is a placeholder, in id order.
    pub(super) any_service: Vec<u32>,
    /// Per resource type: another template extends this one with `/...` (S3 bucket -> object),
    /// so this one's final placeholder takes no `/`. Only [`Catalog::resource_types_for_arn`]
    /// reads it, and the ARN rules do not: built on its first use.
    final_no_slash: OnceLock<Vec<bool>>,
    /// One template id per distinct service field, sorted by the field, built on first use
    /// (only a misspelt service field asks for the list).
    services: OnceLock<Vec<u32>>,
}

/// The templates filed under one service field.
struct Group {
    /// Resource-type ids in id order: the templates whose ARNs name the service, and the
    /// placeholder-service templates of the service with that prefix.
    ids: Vec<u32>,
    /// The same templates compiled, but those that do not parse as ARNs (none in the embedded
    /// data); made on the first ask for the service.
    compiled: OnceLock<Box<[Compiled]>>,
}

/// One ARN template compiled: its resource type, where its fields are in its text, and its
/// resource part as a pattern.
pub(super) struct Compiled {
    id: u32,
    /// Byte ranges of the region and account fields, and where the resource part starts.
    region: (u32, u32),
    account: (u32, u32),
    resource: u32,
    pattern: ResourcePattern,
}

/// An ARN's service field as a key of [`ArnIndex::by_service`], for building the index and for
/// looking an ARN up in it: lower case, borrowed when it has no capital (nearly always; a
/// String made for every template was a third of the time of building the index).
fn service_key(service: &str) -> std::borrow::Cow<'_, str> {
    if service.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(service.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(service)
    }
}

/// The service field of template `id`'s ARN (its third colon-separated part): the one reading
/// of it in this module, for filing, listing and testing service fields. The rules parse ARNs
/// with [`Arn::parse`], which gives the same field for every template (a test checks it).
fn service_field(c: &Catalog, id: u32) -> Option<&str> {
    let d = &c.data;
    arn_segment(d.str(d.resource_types[id as usize].arn), 2)
}

impl ArnIndex {
    pub(super) fn build<'c>(c: &'c Catalog) -> ArnIndex {
        let d = &c.data;
        let n = d.resource_types.len() as u32;
        let mut by_service: FastMap<String, u32> = FastMap::default();
        let mut groups: Vec<Group> = Vec::new();
        let mut any_service = Vec::new();
        // The last field filed and its group: a service's templates come together and nearly
        // all carry the same field, so most are filed without hashing it (every run that checks
        // an ARN builds this index, a one-file run too).
        let mut last: Option<(&'c str, u32)> = None;
        let mut file = |field: &'c str, id: u32| {
            if let Some((_, group)) = last.filter(|&(previous, _)| previous == field) {
                groups[group as usize].ids.push(id);
                return;
            }
            let key = service_key(field);
            let group = match by_service.get(key.as_ref()) {
                Some(&g) => g,
                None => {
                    groups.push(Group {
                        ids: Vec::new(),
                        compiled: OnceLock::new(),
                    });
                    let g = groups.len() as u32 - 1;
                    by_service.insert(key.into_owned(), g);
                    g
                }
            };
            groups[group as usize].ids.push(id);
            last = Some((field, group));
        };
        for id in 0..n {
            match service_field(c, id) {
                Some(s) if !crate::arn::has_variable(s) => file(s, id),
                _ => {
                    any_service.push(id);
                    let owner = d.resource_types[id as usize].service;
                    file(d.str(d.services[owner as usize].prefix), id);
                }
            }
        }
        ArnIndex {
            by_service,
            groups,
            any_service,
            final_no_slash: OnceLock::new(),
            services: OnceLock::new(),
        }
    }

    fn group(&self, service: &str) -> Option<&Group> {
        let g = *self.by_service.get(service_key(service).as_ref())?;
        self.groups.get(g as usize)
    }

    /// The ids of the group of `service` (without ASCII case), in id order: the templates whose
    /// service field is `service`, and the placeholder-service ones of the service with that
    /// prefix. Empty when there is no such group.
    pub(super) fn ids_for(&self, service: &str) -> &[u32] {
        self.group(service).map_or(&[], |g| &g.ids)
    }

    /// Builds now everything built on first use.
    pub(super) fn prepare(&self, c: &Catalog) {
        self.final_no_slash(c);
        for group in &self.groups {
            group.compiled(c);
        }
    }

    pub(super) fn final_no_slash(&self, c: &Catalog) -> &[bool] {
        self.final_no_slash.get_or_init(|| {
            let d = &c.data;
            let n = d.resource_types.len() as u32;
            let arn = |id: u32| d.str(d.resource_types[id as usize].arn);
            // Every template with its id, sorted, to find the templates a `}/` cuts another one
            // to by binary search (a hash map of all templates was built for this before:
            // hashing every template and a list for each cost more than sorting them).
            let mut templates: Vec<(&str, u32)> = (0..n).map(|id| (arn(id), id)).collect();
            templates.sort_unstable();
            let mut final_no_slash = vec![false; n as usize];
            for id in 0..n {
                let arn = arn(id);
                for (pos, _) in arn.match_indices('}') {
                    if arn.as_bytes().get(pos + 1) != Some(&b'/') {
                        continue;
                    }
                    let shorter = &arn[..pos + 1];
                    let from = templates.partition_point(|&(t, _)| t < shorter);
                    for &(_, other) in templates[from..].iter().take_while(|&&(t, _)| t == shorter)
                    {
                        final_no_slash[other as usize] = true;
                    }
                }
            }
            final_no_slash
        })
    }

    /// One template id per distinct service field, sorted by field.
    fn services(&self, c: &Catalog) -> &[u32] {
        self.services.get_or_init(|| {
            let mut out: Vec<(&str, u32)> = (0..c.data.resource_types.len() as u32)
                .filter_map(|id| Some((service_field(c, id)?, id)))
                .collect();
            out.sort_unstable();
            out.dedup_by(|a, b| a.0 == b.0);
            out.into_iter().map(|(_, id)| id).collect()
        })
    }
}

impl Group {
    fn compiled(&self, c: &Catalog) -> &[Compiled] {
        self.compiled.get_or_init(|| {
            self.ids
                .iter()
                .filter_map(|&id| {
                    let text = c.data.str(c.data.resource_types[id as usize].arn);
                    let arn = Arn::parse(text).ok()?;
                    let range = |span: crate::span::Span| (span.start as u32, span.end as u32);
                    Some(Compiled {
                        id,
                        region: range(arn.region.span),
                        account: range(arn.account.span),
                        resource: arn.resource.span.start as u32,
                        pattern: ResourcePattern::new(arn.resource.value),
                    })
                })
                .collect()
        })
    }
}

/// The ARN templates filed under one service field ([`Catalog::arn_templates`]).
#[derive(Clone, Copy)]
pub struct ArnTemplates<'c> {
    c: &'c Catalog,
    list: &'c [Compiled],
}

impl<'c> ArnTemplates<'c> {
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
    pub fn len(&self) -> usize {
        self.list.len()
    }
    /// In the catalog's order (by service, then resource type).
    pub fn iter(&self) -> impl Iterator<Item = ArnTemplate<'c>> + 'c {
        let c = self.c;
        self.list.iter().map(move |t| ArnTemplate { c, t })
    }
}

/// One ARN template of the catalog, split into fields, with its resource part compiled.
#[derive(Clone, Copy)]
pub struct ArnTemplate<'c> {
    c: &'c Catalog,
    t: &'c Compiled,
}

impl<'c> ArnTemplate<'c> {
    pub fn resource_type(&self) -> ResourceType<'c> {
        ResourceType {
            c: self.c,
            id: self.t.id,
        }
    }
    /// The whole template (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`).
    pub fn text(&self) -> &'c str {
        self.c
            .data
            .str(self.c.data.resource_types[self.t.id as usize].arn)
    }
    fn slice(&self, (start, end): (u32, u32)) -> &'c str {
        self.text().get(start as usize..end as usize).unwrap_or("")
    }
    pub fn region(&self) -> &'c str {
        self.slice(self.t.region)
    }
    pub fn account(&self) -> &'c str {
        self.slice(self.t.account)
    }
    /// Everything after the fifth colon.
    pub fn resource(&self) -> &'c str {
        let text = self.text();
        text.get(self.t.resource as usize..).unwrap_or("")
    }
    /// [`ArnTemplate::resource`] compiled, for [`ResourcePattern::may_overlap`].
    pub fn pattern(&self) -> &'c ResourcePattern {
        &self.t.pattern
    }
}

impl Catalog {
    pub(super) fn arn_index(&self) -> &ArnIndex {
        self.arn_index.get_or_init(|| ArnIndex::build(self))
    }

    /// The ARN templates whose ARNs carry `service` in their service field ("s3",
    /// "execute-api"), without ASCII case, in the catalog's order; with them, a template whose
    /// service field is a placeholder when `service` is the prefix of the service that has it.
    /// Compiled on the first ask for the service. Empty when the catalog has none.
    pub fn arn_templates(&self, service: &str) -> ArnTemplates<'_> {
        let index = self.arn_index();
        let list = index.group(service).map_or(&[][..], |g| g.compiled(self));
        ArnTemplates { c: self, list }
    }

    /// Builds now the ARN index and what it builds on first use (every service's compiled
    /// templates, the list of service fields): see [`crate::analysis::prepare`].
    pub fn prepare_arn_templates(&self) {
        let index = self.arn_index();
        index.prepare(self);
        index.services(self);
    }

    /// True when some ARN template of the catalog has exactly `field` as its service field
    /// ([`Catalog::arn_services`] holds it): a hash lookup, where a search of the list cost a
    /// comparison with hundreds of names for every ARN of every policy.
    pub fn is_arn_service(&self, field: &str) -> bool {
        if crate::arn::has_variable(field) {
            // A placeholder field is filed under no key of its own (see the module notes).
            return self.arn_services().any(|s| s == field);
        }
        self.arn_index()
            .ids_for(field)
            .iter()
            .any(|&id| service_field(self, id) == Some(field))
    }

    /// Every service field of the catalog's ARN templates ("s3", "execute-api", and the
    /// placeholders of those that have one), sorted, each once.
    pub fn arn_services(&self) -> impl Iterator<Item = &str> + '_ {
        self.arn_index()
            .services(self)
            .iter()
            .filter_map(move |&id| service_field(self, id))
    }
}

#[cfg(test)]
mod tests {
    //! Each caller's answers pinned to the two indexes this one replaced (kept here as the
    //! plain references: `rules::support::arns::build_index` and `Catalog::build_arn_index` of
    //! 50f0426), including the placeholder-service template.

    use std::collections::{HashMap, HashSet};

    use super::*;
    use crate::catalog::{catalog, fill_arn_template, matching, CATALOG_BYTES};

    /// (service name, type name, region, account, resource, compiled resource part).
    type Row = (String, String, String, String, String, String);

    /// The ARN rules' index as they built it: every template that parses, under its service
    /// field in lower case or, when that field is a placeholder, under the owner's prefix.
    fn rules_index(c: &Catalog) -> HashMap<String, Vec<Row>> {
        let mut index: HashMap<String, Vec<Row>> = HashMap::new();
        for service in c.services() {
            for resource_type in service.resource_types() {
                for text in resource_type.arn_templates() {
                    let Ok(arn) = Arn::parse(text) else {
                        continue;
                    };
                    let field = if arn.service.value.contains("${") {
                        service.prefix()
                    } else {
                        arn.service.value
                    };
                    index.entry(field.to_ascii_lowercase()).or_default().push((
                        service.name().to_string(),
                        resource_type.name().to_string(),
                        arn.region.value.to_string(),
                        arn.account.value.to_string(),
                        arn.resource.value.to_string(),
                        format!("{:?}", ResourcePattern::new(arn.resource.value)),
                    ));
                }
            }
        }
        index
    }

    fn rows(templates: ArnTemplates<'_>) -> Vec<Row> {
        templates
            .iter()
            .map(|t| {
                (
                    t.resource_type().service().name().to_string(),
                    t.resource_type().name().to_string(),
                    t.region().to_string(),
                    t.account().to_string(),
                    t.resource().to_string(),
                    format!("{:?}", t.pattern()),
                )
            })
            .collect()
    }

    /// The service fields asked about: every field and prefix, in other cases, and others.
    fn asked(c: &Catalog) -> Vec<String> {
        let mut out: Vec<String> = c.services().map(|s| s.prefix().to_string()).collect();
        for s in c.services() {
            for t in s.resource_types() {
                for text in t.arn_templates() {
                    out.extend(Arn::parse(text).ok().map(|a| a.service.value.to_string()));
                }
            }
        }
        let upper: Vec<String> = out.iter().map(|s| s.to_ascii_uppercase()).collect();
        out.extend(upper);
        out.extend(
            ["", "S3", "Backup", "${vendor}", "nosuchservice", "s3 ", "é"].map(String::from),
        );
        out.sort();
        out.dedup();
        out
    }

    #[test]
    fn arn_templates_are_the_rules_former_index() {
        let c = catalog();
        let want = rules_index(c);
        let mut placeholder = 0;
        for service in asked(c) {
            let ours = rows(c.arn_templates(&service));
            let theirs = want
                .get(&service.to_ascii_lowercase())
                .cloned()
                .unwrap_or_default();
            assert_eq!(ours, theirs, "{service:?}");
            placeholder += ours.iter().filter(|r| r.4.starts_with("${")).count();
        }
        // AWS Backup's recovery point (`arn:${Partition}:${Vendor}:...`) is filed under
        // `backup` and found by it in any case.
        let backup = rows(c.arn_templates("backup"));
        assert!(backup
            .iter()
            .any(|r| r.1 == "recoveryPoint" || r.4.contains("RecoveryPointId")));
        assert!(placeholder > 0 || !backup.is_empty());
    }

    /// The former index found ARNs' services with `arn_segment` and the rules' with
    /// `Arn::parse`: one index serves both because the two agree on every template.
    #[test]
    fn every_template_s_service_segment_is_its_parsed_service_field() {
        let c = catalog();
        let d = &c.data;
        for rec in &d.resource_types {
            let text = d.str(rec.arn);
            let parsed = Arn::parse(text).map(|a| a.service.value).ok();
            assert_eq!(parsed, arn_segment(text, 2), "{text}");
        }
    }

    /// `arn_services` and `is_arn_service` against the list the rules built (every parsed
    /// service field, sorted, each once) and a search of it.
    #[test]
    fn arn_services_are_the_rules_former_list() {
        let c = catalog();
        let mut want: Vec<&str> = Vec::new();
        for service in c.services() {
            for resource_type in service.resource_types() {
                for text in resource_type.arn_templates() {
                    if let Ok(arn) = Arn::parse(text) {
                        want.push(arn.service.value);
                    }
                }
            }
        }
        want.sort_unstable();
        want.dedup();
        assert_eq!(c.arn_services().collect::<Vec<_>>(), want);
        assert!(
            want.contains(&"${Vendor}"),
            "the placeholder field is listed"
        );
        for field in asked(c)
            .iter()
            .map(String::as_str)
            .chain(["${Vendor}", "${vendor}"])
        {
            assert_eq!(c.is_arn_service(field), want.contains(&field), "{field:?}");
        }
    }

    /// The former index of `resource_types_for_arn`: ids by the ARN's service segment in
    /// lower case, the placeholder-service ones, and each template's `final_no_slash` (here
    /// found from a set of every `}/` cut rather than a sorted list).
    struct Former<'c> {
        c: &'c Catalog,
        by_service: HashMap<String, Vec<u32>>,
        any_service: Vec<u32>,
        cuts: HashSet<&'c str>,
    }

    impl<'c> Former<'c> {
        fn new(c: &'c Catalog) -> Former<'c> {
            let d = &c.data;
            let mut former = Former {
                c,
                by_service: HashMap::new(),
                any_service: Vec::new(),
                cuts: HashSet::new(),
            };
            for id in 0..d.resource_types.len() as u32 {
                let t = d.str(d.resource_types[id as usize].arn);
                match arn_segment(t, 2) {
                    Some(s) if !s.contains("${") => former
                        .by_service
                        .entry(s.to_ascii_lowercase())
                        .or_default()
                        .push(id),
                    _ => former.any_service.push(id),
                }
                for (pos, _) in t.match_indices("}/") {
                    former.cuts.insert(&t[..pos + 1]);
                }
            }
            former
        }

        /// The ids it answered with: the service's templates plus every placeholder-service
        /// one, or all templates for a wildcard service (or all of them when not `narrow`).
        fn types_for_arn(&self, arn: &str, narrow: bool) -> Vec<u32> {
            let d = &self.c.data;
            let text = |id: u32| d.str(d.resource_types[id as usize].arn);
            let mut candidates: Vec<u32> = match arn_segment(arn, 2) {
                Some(s)
                    if narrow
                        && !crate::wildcard::has_wildcard(s)
                        && arn.matches(':').count() >= 5 =>
                {
                    let mut c = self
                        .by_service
                        .get(&s.to_ascii_lowercase())
                        .cloned()
                        .unwrap_or_default();
                    c.extend(&self.any_service);
                    c
                }
                _ => (0..d.resource_types.len() as u32).collect(),
            };
            candidates.sort_unstable();
            candidates.dedup();
            candidates
                .into_iter()
                .filter(|&id| matching::arn_matches(text(id), arn, self.cuts.contains(text(id))))
                .collect()
        }
    }

    /// ARNs of every template (placeholders filled, some with wildcards), in several cases,
    /// and some of every shape besides.
    fn sample_arns(c: &Catalog) -> Vec<String> {
        let mut next = crate::test_random::below(0x6a09_e667_f3bc_c909u64);
        let fills = ["x", "a/b", "*", "a*", "?", "${aws:username}", "1:2"];
        let mut out: Vec<String> = Vec::new();
        for s in c.services() {
            for t in s.resource_types() {
                for text in t.arn_templates() {
                    let filled = fill_arn_template(text, |field, _| {
                        match field {
                            1 => "aws",
                            3 => ["us-east-1", "*", ""][next(3)],
                            4 => ["111122223333", "*", "aws"][next(3)],
                            _ => fills[next(fills.len())],
                        }
                        .to_string()
                    });
                    if next(8) == 0 {
                        out.push(filled.to_ascii_uppercase());
                    }
                    out.push(filled);
                }
            }
        }
        out.extend(
            [
                "arn:aws:s3:::b",
                "arn:aws:s3:::b/k",
                "arn:aws:s3:::*",
                "arn:aws:s3:*",
                "arn:aws:*:*:*:*",
                "arn:aws:*:::b",
                "arn:aws:s?:::b",
                "arn:aws:backup:us-east-1:111122223333:recovery-point:r",
                "arn:aws:ec2:us-east-1::snapshot/s",
                "arn:aws:ec2:*:*:*",
                "arn:aws:iam::*:role/*",
                "arn:aws:Backup:*:*:*",
                "arn:aws:s3",
                "*",
                "",
            ]
            .map(String::from),
        );
        out
    }

    #[test]
    fn resource_types_for_arn_answers_as_the_former_index_and_a_full_scan() {
        let c = catalog();
        let arns = sample_arns(c);
        let former = Former::new(c);
        let ids = |arn: &str| -> Vec<u32> {
            c.resource_types_for_arn(arn).iter().map(|t| t.id).collect()
        };
        let (mut found, mut placeholder) = (0, 0);
        let backup = c
            .resource_types_for_arn("arn:aws:ec2:us-east-1:*:recovery-point:r")
            .iter()
            .any(|t| t.service().prefix() == "backup");
        assert!(
            backup,
            "a placeholder-service template answers for any service"
        );
        for (i, arn) in arns.iter().enumerate() {
            let ours = ids(arn);
            assert_eq!(ours, former.types_for_arn(arn, true), "{arn}");
            // The full scan is slow without optimisation: every 50th, and the last ones.
            if i % 50 == 0 || i + 15 >= arns.len() {
                assert_eq!(ours, former.types_for_arn(arn, false), "{arn}");
            }
            found += usize::from(!ours.is_empty());
            placeholder += usize::from(
                ours.iter()
                    .any(|&id| c.arn_index().any_service.contains(&id)),
            );
        }
        assert!(
            found > arns.len() / 2 && placeholder > 10,
            "{found} {placeholder}"
        );
    }

    /// The templates compiled on first ask, by several threads at once on a fresh catalog, or
    /// all ahead by `prepare_arn_templates`: the same answers.
    #[test]
    fn templates_compiled_on_demand_on_threads_or_ahead_agree() {
        let want = catalog();
        let fields = asked(want);
        let ahead = Catalog::from_bytes(CATALOG_BYTES);
        ahead.prepare_arn_templates();
        let on_demand = Catalog::from_bytes(CATALOG_BYTES);
        std::thread::scope(|scope| {
            for part in 0..3 {
                let (fields, on_demand, ahead) = (&fields, &on_demand, &ahead);
                scope.spawn(move || {
                    for field in fields.iter().skip(part).chain(fields.iter()) {
                        let ours = rows(on_demand.arn_templates(field));
                        assert_eq!(ours, rows(want.arn_templates(field)), "{field}");
                        assert_eq!(ours, rows(ahead.arn_templates(field)), "{field}");
                    }
                });
            }
        });
    }
}
