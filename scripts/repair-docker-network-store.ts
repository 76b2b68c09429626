// Docker 20.10 (Debian bookworm's docker.io) can leave a half-deleted network record behind when
// the daemon stops while a network is being removed; the next start then panics in libnetwork's
// reservePools ("index out of range [0] with length 0", moby/moby#45057, fixed upstream in 23.0).
// The record keeps an IPv4 pool config but has lost its pool info. This blanks the config of
// such records in place (same length, so the bolt database's pages stay valid), after a backup,
// so dockerd starts and removes the stale network itself. Used by scripts/ensure-docker.sh and
// the tests that restart dockerd, only after a start failed with that panic.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';

export const NETWORK_STORE = '/var/lib/docker/network/files/local-kv.db';
export const PANIC_SIGN = 'reservePools';

/** Blanks `ipamV4Config` of network records without `ipamV4Info`; returns the names fixed. */
export function repairNetworkRecords(db: Buffer): string[] {
  const fixed: string[] = [];
  const text = db.toString('latin1');
  const recordStart = /\{"addrSpace"/g;
  for (let m = recordStart.exec(text); m; m = recordStart.exec(text)) {
    const end = text.indexOf('\0', m.index);
    const record = text.slice(m.index, end < 0 ? undefined : end);
    if (record.includes('"ipamV4Info"')) continue;
    const config = /"ipamV4Config":"(?:[^"\\]|\\.)*"/.exec(record);
    const blank = '"ipamV4Config":"[]"';
    if (!config || config[0] === blank || config[0].length < blank.length) continue;
    const at = m.index + config.index;
    db.write(blank.padEnd(config[0].length, ' '), at, 'latin1');
    fixed.push(/"name":"([^"]*)"/.exec(record)?.[1] ?? '(unnamed)');
  }
  return fixed;
}

function main(file = NETWORK_STORE): void {
  const db = readFileSync(file);
  const fixed = repairNetworkRecords(db);
  if (!fixed.length) {
    console.log('no broken network records found');
    return;
  }
  const backup = `${file}.bak-${Date.now()}`;
  copyFileSync(file, backup);
  writeFileSync(file, db);
  console.log(`repaired ${fixed.length} network record(s): ${fixed.join(', ')} (backup: ${backup})`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').at(-1) ?? '')) main(process.argv[2]);
