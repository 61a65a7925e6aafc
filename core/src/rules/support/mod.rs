//! What the rules share and that is not itself a rule: the condition walk and its value and key
//! helpers, the statement matchers of the security rules, the risk index, the PASS_ROLE_* and
//! CREATE_SLR_* shapes, the policy-variable scan. A folder of a rule group holds only rules (one
//! file each) and its list; everything several rules call lives here, named for its subject.
//!
//! Dependencies run one way: rule files use `support`; `support` never uses a rule file, so
//! the shared facts of an analysis ([`super::facts`]) can be built from it alone.

pub mod actions;
pub mod arns;
pub mod conditions;
pub mod memo;
pub mod narrowing;
pub mod outside;
pub mod principals;
pub mod risk;
pub mod security;
pub mod shapes;
pub mod structure;
pub mod tag_keys;
pub mod variables;
