// Any error (Docker's HTTP errors, a socket's error codes, our own Errors) as the words a
// student or a log reads. Shared by the engine, the contract's implementation and the CLI, so it
// lives beside them rather than inside one Docker module.

export function describeError(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { code?: string; message?: string; json?: { message?: string } };
    if (e.code === 'ENOENT') return 'no such socket';
    if (e.code === 'ECONNREFUSED') return 'connection refused (nothing listening)';
    if (e.code === 'EACCES') return 'permission denied (EACCES)';
    if (e.json?.message) return e.json.message;
    if (e.message) return e.message.replace(/^\(HTTP code \d+\) [\w\s]+ - /, '').trim();
  }
  return String(err);
}
