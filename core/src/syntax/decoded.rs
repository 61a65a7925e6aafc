//! The decoded text of a JSON string (a key or a string value) as the tree keeps it.
//!
//! Nearly half the strings of a policy are the same few words (`Effect`, `Action`, `Resource`,
//! `Allow`, `*`, `2012-10-17`, ...). A [`DecodedStr`] holds those as a borrowed static string
//! and any other string as its own copy, so parsing a policy allocates (and dropping its tree
//! frees) only the strings that are not common words. It reads as a `&str` everywhere (`Deref`,
//! `as_str`, comparisons with `str` and `String`), prints as a `String` does (`Debug` and
//! `Display`), and whether a value is borrowed or owned is never visible: equality, ordering and
//! hashing look at the text only.

use std::borrow::{Borrow, Cow};
use std::fmt;
use std::ops::Deref;

#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DecodedStr(Cow<'static, str>);

impl DecodedStr {
    /// `s` as the tree keeps it: borrowed when it is a [`common_word`], else copied.
    #[inline]
    pub fn new(s: &str) -> DecodedStr {
        match common_word(s) {
            Some(word) => DecodedStr(Cow::Borrowed(word)),
            None => DecodedStr(Cow::Owned(s.to_owned())),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text as an owned `String` (a copy only when it is a borrowed common word).
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

/// `s` as a static string when it is one of the words that make up most keys and many values of
/// every policy: the element names, the effects, the version dates, the principal kinds, the
/// condition operators most used, `*`, `true` and `false` (about 40 % of the 145,000 strings of
/// the AWS managed policies).
pub fn common_word(s: &str) -> Option<&'static str> {
    // A `match` on string literals, which the compiler turns into a switch on the length and a
    // few fixed-size comparisons: about 11 instructions a string, where a list searched with
    // `==` cost about 50 and more than the allocations it saves.
    macro_rules! one_of {
        ($($word:literal),* $(,)?) => {
            match s {
                $($word => Some($word),)*
                _ => None,
            }
        };
    }
    one_of!(
        "Version",
        "Statement",
        "Sid",
        "Effect",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Principal",
        "NotPrincipal",
        "Condition",
        "Allow",
        "Deny",
        "2012-10-17",
        "2008-10-17",
        "AWS",
        "Service",
        "Federated",
        "CanonicalUser",
        "*",
        "true",
        "false",
        "StringEquals",
        "StringNotEquals",
        "StringLike",
        "StringNotLike",
        "ArnEquals",
        "ArnLike",
        "ArnNotEquals",
        "ArnNotLike",
        "Bool",
        "Null",
        "IpAddress",
        "NotIpAddress",
        "NumericEquals",
        "NumericLessThanEquals",
        "DateGreaterThan",
        "DateLessThan",
        "ForAnyValue:StringEquals",
        "ForAllValues:StringEquals",
        "ForAnyValue:StringLike",
        "ForAllValues:StringLike",
    )
}

impl From<String> for DecodedStr {
    /// Kept as it is (it is already allocated).
    fn from(s: String) -> DecodedStr {
        DecodedStr(Cow::Owned(s))
    }
}

impl From<&str> for DecodedStr {
    fn from(s: &str) -> DecodedStr {
        DecodedStr::new(s)
    }
}

impl From<DecodedStr> for String {
    fn from(s: DecodedStr) -> String {
        s.into_string()
    }
}

impl Deref for DecodedStr {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for DecodedStr {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for DecodedStr {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for DecodedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for DecodedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl PartialEq<str> for DecodedStr {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for DecodedStr {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<String> for DecodedStr {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<DecodedStr> for str {
    fn eq(&self, other: &DecodedStr) -> bool {
        *self == *other.0
    }
}

impl PartialEq<DecodedStr> for &str {
    fn eq(&self, other: &DecodedStr) -> bool {
        **self == *other.0
    }
}

impl PartialEq<DecodedStr> for String {
    fn eq(&self, other: &DecodedStr) -> bool {
        **self == *other.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::hash_map::DefaultHasher;
    use std::hash::{Hash, Hasher};

    fn hash<T: Hash + ?Sized>(x: &T) -> u64 {
        let mut h = DefaultHasher::new();
        x.hash(&mut h);
        h.finish()
    }

    #[test]
    fn common_words_are_borrowed_and_others_copied() {
        for word in [
            "Effect",
            "Allow",
            "*",
            "2012-10-17",
            "ForAnyValue:StringEquals",
        ] {
            assert!(
                matches!(DecodedStr::new(word).0, Cow::Borrowed(_)),
                "{word}"
            );
        }
        for other in ["effect", "Allow ", "s3:GetObject", "", "**"] {
            assert!(matches!(DecodedStr::new(other).0, Cow::Owned(_)), "{other}");
        }
    }

    proptest! {
        /// Borrowed or owned, a decoded string behaves as the `String` it replaced: the same
        /// text, comparisons, order, hash and printing.
        #[test]
        fn reads_as_the_string(
            a in prop_oneof!["\\PC{0,12}", Just("Effect".to_string()), Just("*".to_string()),
                             Just("Allow".to_string()), Just("StringLike".to_string())],
            b in prop_oneof!["\\PC{0,12}", Just("Effect".to_string()), Just("Deny".to_string())],
        ) {
            let (da, db) = (DecodedStr::new(&a), DecodedStr::new(&b));
            let owned = DecodedStr::from(a.clone());
            prop_assert_eq!(da.as_str(), a.as_str());
            prop_assert_eq!(&da, &owned);
            prop_assert_eq!(da == db, a == b);
            prop_assert_eq!(da.cmp(&db), a.cmp(&b));
            prop_assert_eq!(hash(&da), hash(&owned));
            prop_assert_eq!(format!("{da:?}"), format!("{a:?}"));
            prop_assert_eq!(format!("{da}"), a.clone());
            prop_assert!(da == a);
            prop_assert!(a == da);
            prop_assert!(da == a.as_str());
            prop_assert!(a.as_str() == da);
            prop_assert_eq!(da.into_string(), a);
        }
    }
}
