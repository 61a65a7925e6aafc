fn main() {
    let c = iamlint_core::catalog::catalog();
    for s in c.services() {
        for k in s.condition_keys() {
            if k.is_multivalued() {
                println!("{}\t{:?}\t{}", k.name(), k.value_type(), k.description());
            }
        }
    }
}
