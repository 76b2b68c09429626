// A tab of the service detail view. Tabs are rendered only while selected, so a tab that holds
// a stream (logs, a terminal) ends it when the student leaves.
import type { ReactNode } from 'react';
import type { ServiceInfo, ServiceState } from '../../lib/types.js';

export interface DetailTab {
  id: string;
  label: string;
  render: () => ReactNode;
}

export interface TabContext {
  project: string;
  service: ServiceInfo;
  state: ServiceState | undefined;
  /** Grows when the link to the engine comes back (streams must start again). */
  connectionEpoch: number;
}
