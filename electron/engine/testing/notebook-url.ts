// For Docker tests that talk to Jupyter directly (not through a shell's proxy): the notebook's
// address with its token, as `status --json` prints it. State events carry no token any more
// (Environment.webTarget keeps it in the engine).
import { webUrlWithToken } from '../../cli/format.js';
import type { Environment } from '../environment.js';

export function notebookUrlWithToken(env: Environment, service = 'notebook'): string {
  const url = env.state(service).webUrl;
  if (!url) throw new Error(`${service} has no web address: is it running?`);
  return webUrlWithToken(url, env.webTarget(service)?.token);
}
