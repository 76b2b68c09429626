// SLOT for the detail view's next tabs, added by their own issue (not implemented here):
//   - "Terminal": a shell in the service's container (xterm + fit addon over docker exec with
//     Tty:true and resize), for every service with a running container;
//   - "Notebook": the notebook server embedded in the panel (no token to paste), for services
//     with a web UI (`service.hasWebUi`).
// Return their DetailTab entries from here; ServiceDetail appends them after Connection.
import type { DetailTab, TabContext } from './tab-types.js';

export function extraTabs(_ctx: TabContext): DetailTab[] {
  return [];
}
