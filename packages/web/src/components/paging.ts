/** One page of a cursor-paginated list, as every list route answers. */
export interface PageOf<T> {
  items: T[];
  next_cursor: string | null;
}

/** The query parameter of the page after `cursor`: nothing for the first page. */
export function cursorParam(cursor: string | undefined): { cursor?: string } {
  return cursor ? { cursor } : {};
}

/** Every item of a cursor-paginated list, page after page (for short lists such as plans). */
export async function allPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<PageOf<T>>,
  maxPages = 20,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  return items;
}

/** What useInfiniteQuery needs to page through a list by its `next_cursor`. */
export const cursorPages = {
  initialPageParam: undefined as string | undefined,
  getNextPageParam: (last: { next_cursor: string | null }) => last.next_cursor ?? undefined,
};
