import { describe, expect, it } from 'vitest';
import { repairNetworkRecords } from './repair-docker-network-store.js';

const healthy = '{"addrSpace":"LocalDefault","ipamV4Config":"[{\\"PreferredPool\\":\\"\\"}]","ipamV4Info":"[{}]","name":"ok_default"}';
const broken = '{"addrSpace":"LocalDefault","ipamV4Config":"[{\\"PreferredPool\\":\\"\\",\\"SubPool\\":\\"\\"}]","name":"half_default"}';

describe('repairing the network records Docker 20.10 panics on', () => {
  it('blanks the pool config of a record without pool info, in place, and names it', () => {
    const db = Buffer.from(`\0\0${healthy}\0junk\0${broken}\0tail`, 'latin1');
    const before = db.length;
    expect(repairNetworkRecords(db)).toEqual(['half_default']);
    expect(db.length).toBe(before);
    const text = db.toString('latin1');
    expect(text).toContain(healthy);
    const record = text.slice(text.indexOf('{"addrSpace":"LocalDefault","ipamV4Config":"[]"'));
    expect(JSON.parse(record.slice(0, record.indexOf('\0')))).toMatchObject({ ipamV4Config: '[]', name: 'half_default' });
  });

  it('leaves a store with nothing broken as it is', () => {
    const db = Buffer.from(`${healthy}\0`, 'latin1');
    expect(repairNetworkRecords(db)).toEqual([]);
    expect(db.toString('latin1')).toBe(`${healthy}\0`);
  });
});
