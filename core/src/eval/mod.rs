//! The evaluation engine behind `iamlint simulate`: AWS's policy evaluation logic over identity,
//! resource, boundary, SCP/RCP and session policies, with an explanation of the decision.
