//! Pagination: a [`Paginator`] is a stream of pages; [`Paginator::items`] flattens it.

use std::collections::HashSet;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{self, BoxStream, Stream, StreamExt};

use crate::client::Handle;
use crate::operation::{OpError, Paginated};

/// A stream of pages (`Result<O::Output, Error>`), fetched one at a time as it is polled.
/// It ends after the last page, after an error, or when a page position repeats.
pub struct Paginator<O: Paginated> {
    pages: BoxStream<'static, Result<O::Output, OpError<O>>>,
}

impl Handle {
    /// Iterates over the pages of a paginated operation.
    pub fn paginate<O: Paginated + 'static>(&self, first: O) -> Paginator<O> {
        Paginator::new(self.clone(), first)
    }
}

impl<O: Paginated + 'static> Paginator<O> {
    fn new(handle: Handle, first: O) -> Self {
        let state = (handle, Some(first), HashSet::<String>::new());
        let pages = stream::unfold(state, |(handle, next, mut seen)| async move {
            let req = next?;
            let cursor = req.cursor();
            if !seen.insert(cursor.clone()) {
                tracing::warn!(
                    operation = O::META.name,
                    cursor = %cursor,
                    "pagination stopped: the service returned a page position already seen"
                );
                return None;
            }
            match handle.call(&req).await {
                Ok(out) => {
                    let following = req.next_request(&out);
                    Some((Ok(out), (handle, following, seen)))
                }
                Err(e) => Some((Err(e), (handle, None, seen))),
            }
        })
        .boxed();
        Paginator { pages }
    }

    /// The items of every page, in order; the first error ends the stream.
    pub fn items(self) -> BoxStream<'static, Result<O::Item, OpError<O>>> {
        self.pages
            .flat_map(|page| match page {
                Ok(out) => stream::iter(O::into_items(out).into_iter().map(Ok).collect::<Vec<_>>()),
                Err(e) => stream::iter(vec![Err(e)]),
            })
            .boxed()
    }
}

impl<O: Paginated> Stream for Paginator<O> {
    type Item = Result<O::Output, OpError<O>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.pages.poll_next_unpin(cx)
    }
}

impl<O: Paginated> std::fmt::Debug for Paginator<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginator")
            .field("operation", &O::META.name)
            .finish_non_exhaustive()
    }
}
