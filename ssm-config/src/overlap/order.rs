//! The leaves' order for the search: by hash, then by field order.

use super::leaf::Leaf;

/// Leaf indexes ordered by hash, then by index: a heapsort, `N log N` steps.
pub(super) const fn sorted_by_hash<const N: usize>(leaves: &[Leaf; N]) -> [usize; N] {
    let mut order = [0; N];
    let mut i = 0;
    while i < N {
        order[i] = i;
        i += 1;
    }
    let mut start = N / 2;
    while start > 0 {
        start -= 1;
        sift_down(leaves, &mut order, start, N);
    }
    let mut end = N;
    while end > 1 {
        end -= 1;
        let top = order[0];
        order[0] = order[end];
        order[end] = top;
        sift_down(leaves, &mut order, 0, end);
    }
    order
}

const fn before(leaves: &[Leaf], a: usize, b: usize) -> bool {
    let (x, y) = (leaves[a].hash, leaves[b].hash);
    x < y || (x == y && a < b)
}

const fn sift_down(leaves: &[Leaf], order: &mut [usize], mut root: usize, end: usize) {
    loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && before(leaves, order[child], order[child + 1]) {
            child += 1;
        }
        if !before(leaves, order[root], order[child]) {
            return;
        }
        let parent = order[root];
        order[root] = order[child];
        order[child] = parent;
        root = child;
    }
}
