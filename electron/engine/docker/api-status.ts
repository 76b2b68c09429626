// The HTTP status of a failed Docker API call (dockerode puts it on the error), and the one
// test for "no such object" every Docker module uses: a 404 is often the answer we hoped for
// (already removed, not made yet), never a reason to fail.

export const statusOf = (err: unknown): number | undefined => (err as { statusCode?: number } | undefined)?.statusCode;

export const isNotFound = (err: unknown): boolean => statusOf(err) === 404;
