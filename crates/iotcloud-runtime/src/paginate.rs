//! Pagination: a [`Paginator`] is a stream of pages; [`Paginator::items`] flattens it.

use std::collections::HashSet;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{self, BoxStream, Stream, StreamExt, TryStreamExt};

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
    pub fn items(self) -> PageItems<O> {
        let items = self
            .pages
            .flat_map(|page| match page {
                Ok(out) => stream::iter(O::into_items(out).into_iter().map(Ok).collect::<Vec<_>>()),
                Err(e) => stream::iter(vec![Err(e)]),
            })
            .boxed();
        PageItems { items }
    }
}

// Inherent `next` and `try_collect`, so callers need no `futures` import (aws-sdk-rust habits).
impl<O: Paginated> Paginator<O> {
    /// The next page, `None` after the last one (or after an error).
    pub async fn next(&mut self) -> Option<Result<O::Output, OpError<O>>> {
        self.pages.next().await
    }

    /// Every page, or the first error.
    pub async fn try_collect(self) -> Result<Vec<O::Output>, OpError<O>> {
        self.pages.try_collect().await
    }
}

/// The items of every page of a [`Paginator`], in order (a `Stream`); the first error ends it.
pub struct PageItems<O: Paginated> {
    items: BoxStream<'static, Result<O::Item, OpError<O>>>,
}

impl<O: Paginated> PageItems<O> {
    /// The next item, `None` after the last one (or after an error).
    pub async fn next(&mut self) -> Option<Result<O::Item, OpError<O>>> {
        self.items.next().await
    }

    /// Every item of every page, or the first error.
    pub async fn try_collect(self) -> Result<Vec<O::Item>, OpError<O>> {
        self.items.try_collect().await
    }
}

impl<O: Paginated> Stream for PageItems<O> {
    type Item = Result<O::Item, OpError<O>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.items.poll_next_unpin(cx)
    }
}

impl<O: Paginated> std::fmt::Debug for PageItems<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageItems")
            .field("operation", &O::META.name)
            .finish_non_exhaustive()
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
