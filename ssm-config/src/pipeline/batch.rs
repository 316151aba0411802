//! The batch planner: which names go together in one `GetParameters` call.
//! Pure, so every edge is unit-tested.

use crate::source::calls::MAX_NAMES_PER_CALL;

/// One name to place: the key it may come back under, and whether it needs
/// decryption (decrypting and plain names go in separate calls).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Item<'a> {
    pub match_key: &'a str,
    pub decrypt: bool,
}

/// One call: indexes into the planned items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Batch {
    pub decrypt: bool,
    pub members: Vec<usize>,
}

/// The fewest calls: ceil(n / 10) per decryption mode, except that
/// items sharing a match key never share a call (results could not be told
/// apart), which needs as many calls as the largest such group.
pub(crate) fn batches(items: &[Item<'_>]) -> Vec<Batch> {
    let mut batches = Vec::new();
    for decrypt in [true, false] {
        let mut members: Vec<usize> = (0..items.len())
            .filter(|&i| items[i].decrypt == decrypt)
            .collect();
        if members.is_empty() {
            continue;
        }
        members.sort_by(|&a, &b| items[a].match_key.cmp(items[b].match_key).then(a.cmp(&b)));
        let largest_group = largest_run(&members, items);
        let count = members
            .len()
            .div_ceil(MAX_NAMES_PER_CALL)
            .max(largest_group);
        // Dealing sorted items round-robin puts a group of k <= count items
        // into k different calls, and no call gets more than ceil(n / count).
        let mut planned = vec![Vec::new(); count];
        for (position, member) in members.into_iter().enumerate() {
            planned[position % count].push(member);
        }
        batches.extend(
            planned
                .into_iter()
                .map(|members| Batch { decrypt, members }),
        );
    }
    batches
}

fn largest_run(sorted: &[usize], items: &[Item<'_>]) -> usize {
    sorted
        .chunk_by(|&a, &b| items[a].match_key == items[b].match_key)
        .map(<[usize]>::len)
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("/app/p{i:03}")).collect()
    }

    fn items(keys: &[String], decrypt: bool) -> Vec<Item<'_>> {
        keys.iter()
            .map(|k| Item {
                match_key: k,
                decrypt,
            })
            .collect()
    }

    fn check_invariants(items: &[Item<'_>], batches: &[Batch]) {
        let mut seen: Vec<usize> = batches.iter().flat_map(|b| b.members.clone()).collect();
        seen.sort();
        assert_eq!(
            seen,
            (0..items.len()).collect::<Vec<_>>(),
            "each item exactly once"
        );
        for b in batches {
            assert!(!b.members.is_empty() && b.members.len() <= MAX_NAMES_PER_CALL);
            assert!(b.members.iter().all(|&m| items[m].decrypt == b.decrypt));
            let mut keys: Vec<_> = b.members.iter().map(|&m| items[m].match_key).collect();
            keys.sort();
            keys.dedup();
            assert_eq!(keys.len(), b.members.len(), "a match key twice in one call");
        }
    }

    #[test]
    fn calls_are_ceil_of_n_over_ten() {
        for (n, calls) in [
            (0, 0),
            (1, 1),
            (9, 1),
            (10, 1),
            (11, 2),
            (20, 2),
            (21, 3),
            (95, 10),
            (500, 50),
        ] {
            let keys = names(n);
            let items = items(&keys, true);
            let batches = batches(&items);
            assert_eq!(batches.len(), calls, "{n} names");
            check_invariants(&items, &batches);
        }
    }

    #[test]
    fn decrypting_and_plain_names_never_mix() {
        let keys = names(15);
        let mut items = items(&keys, true);
        for item in items.iter_mut().take(5) {
            item.decrypt = false;
        }
        let batches = batches(&items);
        assert_eq!(batches.len(), 2);
        check_invariants(&items, &batches);
    }

    #[test]
    fn same_name_with_two_selectors_goes_in_two_calls() {
        let keys: Vec<String> = vec!["/a".into(), "/a".into(), "/b".into()];
        let items = items(&keys, true);
        let batches = batches(&items);
        assert_eq!(batches.len(), 2);
        check_invariants(&items, &batches);
    }

    #[test]
    fn repeated_keys_among_many_keep_the_minimum() {
        let mut keys = names(18);
        keys.push("/app/p000".into());
        keys.push("/app/p001".into());
        let items = items(&keys, true);
        let batches = batches(&items);
        assert_eq!(batches.len(), 2);
        check_invariants(&items, &batches);
    }

    #[test]
    fn a_large_group_needs_one_call_per_member() {
        let keys: Vec<String> = (0..12).map(|_| "/pinned".to_owned()).collect();
        let items = items(&keys, true);
        let batches = batches(&items);
        assert_eq!(batches.len(), 12);
        check_invariants(&items, &batches);
    }
}
