//! Prints the units the meaning layer embeds (src/search/dense/units.rs),
//! one JSON object per line: `{"node", "kind", "head", "text"}` (`head`:
//! the titles the unit's text starts with). The input of
//! scripts/model/finetune.py, which tunes the model on the manual's own
//! situations and passages.
//!
//!     cargo run --release --example units > /tmp/units.jsonl
fn main() {
    let lib = setproc::store::library::Library::embedded();
    let situations = setproc::terms::situations::Situations::builtin();
    for u in setproc::search::dense::units(&lib, &situations) {
        let head = setproc::search::dense::units::head(&lib, u.node);
        let line = serde_json::json!({"node": u.node.to_string(), "kind": u.kind, "head": head, "text": u.text});
        println!("{line}");
    }
}
