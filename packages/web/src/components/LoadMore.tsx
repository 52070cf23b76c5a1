import type { ReactNode } from "react";
import { ErrorMessage } from "./ErrorMessage";

/**
 * The "Load more" button under a list read with useInfiniteQuery, with the error of a next page
 * that failed. `end` shows in its place once there is nothing more.
 */
export function LoadMore(props: {
  query: {
    hasNextPage: boolean;
    isFetchingNextPage: boolean;
    isFetchNextPageError: boolean;
    error: Error | null;
    fetchNextPage: () => Promise<unknown>;
  };
  end?: ReactNode;
}) {
  const q = props.query;
  return (
    <>
      {(q.hasNextPage || props.end) && (
        <div className="load-more">
          {q.hasNextPage ? (
            <button type="button" disabled={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>
              {q.isFetchingNextPage ? "Loading…" : "Load more"}
            </button>
          ) : (
            props.end
          )}
        </div>
      )}
      {q.isFetchNextPageError && <ErrorMessage error={q.error} />}
    </>
  );
}
