//! Counting in the core's sentences: "1 employee", "3 employees".

/// `k` of something, in the singular for one.
pub(crate) fn counted(k: usize, one: &str, many: &str) -> String {
    if k == 1 {
        format!("1 {one}")
    } else {
        format!("{k} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::counted;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(counted(0, "user", "users"), "0 users");
        assert_eq!(counted(1, "user", "users"), "1 user");
        assert_eq!(counted(2, "write was", "writes were"), "2 writes were");
    }
}
