// The link to the shell: open, connecting or closed, and an epoch that grows each time it
// (re)opens, so hooks that keep server-side state (an open course, log subscriptions) redo it.
import { useEffect, useState } from 'react';
import type { ConnectionState } from '../api/transport.js';
import { useClient } from './client-context.js';

export interface Connection {
  state: ConnectionState;
  /** 0 until the first open; +1 on every (re)open. */
  epoch: number;
}

export function useConnection(): Connection {
  const client = useClient();
  const [conn, setConn] = useState<Connection>({ state: 'connecting', epoch: 0 });
  useEffect(
    () =>
      client.onConnection((state) =>
        setConn((prev) => (state === prev.state ? prev : { state, epoch: state === 'open' ? prev.epoch + 1 : prev.epoch })),
      ),
    [client],
  );
  return conn;
}
