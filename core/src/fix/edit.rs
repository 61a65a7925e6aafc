//! Formatting-preserving edits of JSON arrays, for quick-fixes: remove items together with their
//! comma, replace an item, append items written the way the array already is (one per line with
//! the same indentation, or inline). Every edit leaves valid JSON when the array was valid; when
//! the text between items is not what valid JSON has there (a syntax error nearby), the helpers
//! return None rather than guess.

use crate::diagnostic::TextEdit;
use crate::span::Span;
use crate::syntax::{Node, NodeKind};

use super::layout::{items_on_own_lines, line_indent};

// Quoting lives in its home, `syntax::quote`; these names stay for the fix builders.
pub use crate::syntax::quote::{json_string, push_json_escaped, push_json_string};

/// Replace a whole value (an array item, a member's value) with `new_text`.
pub fn replace_node(node: &Node, new_text: impl Into<String>) -> TextEdit {
    TextEdit {
        span: node.span,
        text: new_text.into(),
    }
}

/// Replace item `index` of `array` with `new_text` (for example a [`json_string`]).
pub fn replace_array_item(
    array: &Node,
    index: usize,
    new_text: impl Into<String>,
) -> Option<TextEdit> {
    let item = array.as_array()?.get(index)?;
    Some(replace_node(item, new_text))
}

/// Remove item `index` of `array` with the comma that separates it from its neighbour.
///
/// The same edit as [`remove_array_items`] with one index, but only the separators around the
/// item are checked: rules remove items one finding at a time from lists of thousands, and
/// checking every separator for each was quadratic.
pub fn remove_array_item(text: &str, array: &Node, index: usize) -> Option<TextEdit> {
    let items = array.as_array()?;
    let item = items.get(index)?;
    let whole = array.span.slice(text);
    if !whole.starts_with('[') || !whole.ends_with(']') {
        return None;
    }
    let comma_between = |a: &Node, b: &Node| {
        text.get(a.span.end..b.span.start)
            .is_some_and(|gap| gap.trim() == ",")
    };
    let closes_after = |last: &Node| {
        text.get(last.span.end..array.span.end - 1)
            .is_some_and(|gap| gap.trim().is_empty())
    };
    let before = index.checked_sub(1).and_then(|i| items.get(i));
    let after = items.get(index + 1);
    if before.is_some_and(|b| !comma_between(b, item)) {
        return None;
    }
    let span = match (before, after) {
        (_, Some(next)) => {
            if !comma_between(item, next) {
                return None;
            }
            // Take the item, its comma and the space up to the next item: the next item moves
            // into this one's place and keeps this one's indentation.
            Span::new(item.span.start, next.span.start)
        }
        (Some(previous), None) => {
            if !closes_after(item) {
                return None;
            }
            // The last item: take the comma and space before it.
            Span::new(previous.span.end, item.span.end)
        }
        (None, None) => {
            if !closes_after(item) {
                return None;
            }
            Span::new(array.span.start + 1, array.span.end.saturating_sub(1))
        }
    };
    Some(TextEdit {
        span,
        text: String::new(),
    })
}

/// Insert `"key": value_json` as the first member of `object`, matching the layout of the
/// members already there (same line or one member per line with the same indentation).
pub fn insert_first_member(
    text: &str,
    object: &Node,
    key: &str,
    value_json: &str,
) -> Option<TextEdit> {
    let members = object.as_object()?;
    let member = format!("{}: {}", json_string(key), value_json);
    let Some(first) = members.first() else {
        // `{}`: put the member inside the braces.
        return Some(TextEdit {
            span: Span::empty(object.span.start + 1),
            text: member,
        });
    };
    let start = first.key.span.start;
    let before = text.get(object.span.start + 1..start)?;
    let edit_text = match before.rfind('\n') {
        // One member per line: repeat the first member's indentation on a new line.
        Some(nl) => {
            let indent = &before[nl + 1..];
            if !indent.chars().all(|c| c == ' ' || c == '\t') {
                return None;
            }
            format!("{member},\n{indent}")
        }
        None => {
            if !before.chars().all(|c| c == ' ' || c == '\t') {
                return None;
            }
            format!("{member}, ")
        }
    };
    Some(TextEdit {
        span: Span::empty(start),
        text: edit_text,
    })
}

/// Insert a member (`"key": value_text`) at the end of an object node, laid out like its
/// existing members.
pub fn insert_member(text: &str, object: &Node, key: &str, value_text: &str) -> Option<TextEdit> {
    let NodeKind::Object(members) = &object.kind else {
        return None;
    };
    match members.last() {
        Some(last) => {
            let separator = if items_on_own_lines(text, object) {
                format!(",\n{}", line_indent(text, last.key.span.start))
            } else {
                ", ".to_string()
            };
            Some(TextEdit {
                span: Span::empty(last.span().end),
                text: format!("{separator}{}: {value_text}", json_string(key)),
            })
        }
        None => Some(TextEdit {
            span: object.span,
            text: format!("{{{}: {value_text}}}", json_string(key)),
        }),
    }
}

/// Remove several items of `array` at once (indices in any order, duplicates ignored). The
/// edits do not overlap, so they can go into one [`crate::Fix`]. Removing every item leaves `[]`.
pub fn remove_array_items(text: &str, array: &Node, indices: &[usize]) -> Option<Vec<TextEdit>> {
    let items = array.as_array()?;
    if indices.is_empty() || indices.iter().any(|&i| i >= items.len()) {
        return None;
    }
    if !separators_are_clean(text, array) {
        return None;
    }
    let removed = |i: usize| indices.contains(&i);
    if (0..items.len()).all(removed) {
        let inner = Span::new(array.span.start + 1, array.span.end.saturating_sub(1));
        return Some(vec![TextEdit {
            span: inner,
            text: String::new(),
        }]);
    }
    let last_kept = (0..items.len()).rev().find(|&i| !removed(i))?;
    let mut edits = Vec::new();
    for i in 0..items.len() {
        if !removed(i) {
            continue;
        }
        let span = if i < last_kept {
            // Take the item, its comma and the space up to the next item: the next item moves
            // into this one's place and keeps this one's indentation.
            Span::new(items[i].span.start, items[i + 1].span.start)
        } else {
            // A removed item after the last kept one: take the comma and space before it.
            Span::new(items[i - 1].span.end, items[i].span.end)
        };
        edits.push(TextEdit {
            span,
            text: String::new(),
        });
    }
    Some(edits)
}

/// Append `new_items` (JSON texts, e.g. from [`json_string`]) at the end of `array`, one per line
/// at the indentation of the existing items when the array is written one item per line, inline
/// after a comma and a space otherwise.
pub fn insert_array_items(text: &str, array: &Node, new_items: &[String]) -> Option<TextEdit> {
    let items = array.as_array()?;
    if new_items.is_empty() {
        return None;
    }
    match items.last() {
        Some(last) => {
            let first = items.first()?;
            let between = text.get(array.span.start + 1..first.span.start)?;
            let separator = if between.contains('\n') {
                format!(",\n{}", line_indent(text, first.span.start))
            } else {
                ", ".to_string()
            };
            let mut inserted = String::new();
            for item in new_items {
                inserted.push_str(&separator);
                inserted.push_str(item);
            }
            Some(TextEdit {
                span: Span::empty(last.span.end),
                text: inserted,
            })
        }
        None => Some(TextEdit {
            span: Span::new(array.span.start + 1, array.span.end.saturating_sub(1)),
            text: new_items.join(", "),
        }),
    }
}

/// True when the array is closed by `]` and its items are separated by whitespace around a
/// single comma (what valid JSON has), so removing text between them keeps it valid.
fn separators_are_clean(text: &str, array: &Node) -> bool {
    let NodeKind::Array(items) = &array.kind else {
        return false;
    };
    if !array.span.slice(text).ends_with(']') || !array.span.slice(text).starts_with('[') {
        return false;
    }
    items.windows(2).all(|pair| {
        let gap = text.get(pair[0].span.end..pair[1].span.start).unwrap_or("");
        gap.trim() == ","
    }) && items.last().is_none_or(|last| {
        text.get(last.span.end..array.span.end - 1)
            .is_some_and(|gap| gap.trim().is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::apply_edits;
    use crate::syntax::parse;
    use proptest::prelude::*;

    fn array_of(text: &str) -> Node {
        parse(text).root.expect("parses")
    }

    fn remove(text: &str, indices: &[usize]) -> Option<String> {
        let array = array_of(text);
        apply_edits(text, &remove_array_items(text, &array, indices)?)
    }

    #[test]
    fn removes_items_one_per_line() {
        let text = "[\n  \"a\",\n  \"b\",\n  \"c\"\n]";
        assert_eq!(remove(text, &[0]).unwrap(), "[\n  \"b\",\n  \"c\"\n]");
        assert_eq!(remove(text, &[1]).unwrap(), "[\n  \"a\",\n  \"c\"\n]");
        assert_eq!(remove(text, &[2]).unwrap(), "[\n  \"a\",\n  \"b\"\n]");
        assert_eq!(remove(text, &[1, 2]).unwrap(), "[\n  \"a\"\n]");
        assert_eq!(remove(text, &[0, 2]).unwrap(), "[\n  \"b\"\n]");
        assert_eq!(remove(text, &[0, 1, 2]).unwrap(), "[]");
    }

    #[test]
    fn removes_items_inline() {
        let text = r#"["a", "b", "c"]"#;
        assert_eq!(remove(text, &[0]).unwrap(), r#"["b", "c"]"#);
        assert_eq!(remove(text, &[2]).unwrap(), r#"["a", "b"]"#);
        assert_eq!(remove(text, &[0, 1]).unwrap(), r#"["c"]"#);
        assert_eq!(remove(r#"["a"]"#, &[0]).unwrap(), "[]");
        let one = array_of(r#"["a","b"]"#);
        let edit = remove_array_item(r#"["a","b"]"#, &one, 1).unwrap();
        assert_eq!(edit.span, Span::new(4, 8));
    }

    #[test]
    fn one_item_is_removed_as_the_general_removal_does() {
        for text in [
            "[\n  \"a\",\n  \"b\",\n  \"c\"\n]",
            r#"["a", "b", "c"]"#,
            r#"["a","b"]"#,
            r#"[ "a" ]"#,
            "[\"a\" ,\t\"b\"\r\n]",
        ] {
            let array = array_of(text);
            for i in 0..array.as_array().unwrap().len() {
                let general = remove_array_items(text, &array, &[i]).unwrap();
                assert_eq!(
                    remove_array_item(text, &array, i),
                    Some(general[0].clone()),
                    "{text} item {i}"
                );
            }
        }
        // A broken separator next to the item refuses; elsewhere it does not matter.
        let text = r#"["a" "b", "c"]"#;
        let array = array_of(text);
        assert!(remove_array_item(text, &array, 0).is_none());
        assert!(remove_array_item(text, &array, 1).is_none());
        assert!(remove_array_item(text, &array, 2).is_some());
        assert!(remove_array_item(text, &array, 3).is_none());
    }

    #[test]
    fn refuses_broken_arrays_and_bad_indices() {
        let text = r#"["a" "b"]"#;
        let array = array_of(text);
        assert!(remove_array_items(text, &array, &[0]).is_none());
        let text = r#"["a", "b"]"#;
        let array = array_of(text);
        assert!(remove_array_items(text, &array, &[5]).is_none());
        assert!(remove_array_items(text, &array, &[]).is_none());
    }

    #[test]
    fn inserts_matching_layout() {
        let text = "[\n    \"a\",\n    \"b\"\n  ]";
        let array = array_of(text);
        let edit = insert_array_items(text, &array, &[json_string("c"), json_string("d")]).unwrap();
        assert_eq!(
            apply_edits(text, &[edit]).unwrap(),
            "[\n    \"a\",\n    \"b\",\n    \"c\",\n    \"d\"\n  ]"
        );
        let text = r#"["a"]"#;
        let array = array_of(text);
        let edit = insert_array_items(text, &array, &[json_string("b")]).unwrap();
        assert_eq!(apply_edits(text, &[edit]).unwrap(), r#"["a", "b"]"#);
        let text = "[]";
        let array = array_of(text);
        let edit = insert_array_items(text, &array, &[json_string("x")]).unwrap();
        assert_eq!(apply_edits(text, &[edit]).unwrap(), r#"["x"]"#);
    }

    #[test]
    fn replaces_and_quotes() {
        let text = r#"["a", "b"]"#;
        let array = array_of(text);
        let edit = replace_array_item(&array, 1, json_string("q\"\\\n")).unwrap();
        assert_eq!(apply_edits(text, &[edit]).unwrap(), r#"["a", "q\"\\\n"]"#);
        assert!(replace_array_item(&array, 2, "x").is_none());
        assert_eq!(json_string("\u{1}"), "\"\\u0001\"");
    }

    proptest! {
        #[test]
        fn removal_keeps_valid_json_and_the_other_items(
            items in proptest::collection::vec("[a-z]{1,3}", 1..6),
            mask in proptest::collection::vec(any::<bool>(), 6),
            multiline in any::<bool>(),
        ) {
            let quoted: Vec<String> = items.iter().map(|s| json_string(s)).collect();
            let text = if multiline {
                format!("[\n  {}\n]", quoted.join(",\n  "))
            } else {
                format!("[{}]", quoted.join(", "))
            };
            let indices: Vec<usize> = (0..items.len()).filter(|&i| mask[i]).collect();
            prop_assume!(!indices.is_empty());
            let out = remove(&text, &indices).expect("valid array");
            let parsed: Vec<String> = serde_json::from_str(&out).expect("still JSON");
            let expected: Vec<String> = items
                .iter()
                .enumerate()
                .filter(|(i, _)| !indices.contains(i))
                .map(|(_, s)| s.clone())
                .collect();
            prop_assert_eq!(parsed, expected);
        }
    }
}
