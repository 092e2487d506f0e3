//! Page-numbered listings.

/// Whether a page-numbered listing has a page after `current`: the page count
/// decides when sent, else the total, else whether the page was full.
pub fn more_pages(
    current: i64,
    size: Option<i64>,
    items: usize,
    total: Option<i64>,
    page_count: Option<i64>,
) -> bool {
    let items = items as i64;
    if items == 0 {
        return false;
    }
    if let Some(pages) = page_count {
        return current < pages;
    }
    let size = size.filter(|s| *s > 0).unwrap_or(items);
    match total {
        Some(total) => current.saturating_mul(size) < total,
        None => items >= size,
    }
}
