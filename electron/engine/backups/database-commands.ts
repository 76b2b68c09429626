// The commands run inside a database's own container to dump and restore it: PostgreSQL's
// pg_dump / pg_dumpall / pg_restore over the container's unix socket (no password needed, no
// stop), MongoDB's mongodump / mongorestore with the administrator the image was started with.
// Pure: argument lists only, so they are unit-tested here and run by take-backup / restore.
import { availableParallelism } from 'node:os';

/** Databases worth dumping: every one but the templates. */
export const LIST_DATABASES_SQL = 'select datname from pg_database where not datistemplate and datallowconn order by datname';

export const pgListDatabases = (user: string): string[] => ['psql', '-X', '-q', '-At', '-U', user, '-d', 'postgres', '-c', LIST_DATABASES_SQL];

/** Roles and tablespaces (what a per-database dump leaves out). */
export const pgDumpGlobals = (user: string): string[] => ['pg_dumpall', '-U', user, '--globals-only', '--no-role-passwords'];

/**
 * One database in pg_dump's custom format (restorable table by table), uncompressed, to `file`
 * (a pipe, see volume-pipe.ts: not fsync'ed, a pipe cannot be) or stdout: zstd compresses it
 * in a helper container. pg_dump of
 * PostgreSQL 15 only has zlib, which on 1 GiB of table data took 3× as long as the dump itself
 * (-Z1: 25 s against 8 s on 2 cores); a student waits for it before every reset.
 */
export const pgDumpDatabase = (user: string, database: string, file?: string): string[] => ['pg_dump', '-U', user, '-Fc', '-Z0', '-d', database, ...(file ? ['--no-sync', '-f', file] : [])];

/**
 * zstd's worker threads: one per core this computer has, up to 4. Not `-T0`, which counts
 * physical cores and, in a 2-vCPU virtual machine, found one (measured: 5.5 s against 4.3 s
 * with two, for a 0.9 GB dump).
 */
export const ZSTD_THREADS = `-T${Math.max(1, Math.min(4, availableParallelism()))}`;

/** stdin to stdout, at the fast end of zstd's levels (the dump is 2× smaller still). */
export const ZSTD_COMPRESS = ['zstd', '-q', ZSTD_THREADS, '-1', '-c'];

/** A compressed file from the backup folder (mounted at /in) to stdout. */
export const zstdDecompress = (file: string): string[] => ['zstd', '-q', '-dc', `/in/${file}`];

/** Roles first, the script read from stdin; "already exists" errors are expected when the cluster has them. */
export const pgRestoreGlobals = (user: string): string[] => ['psql', '-X', '-q', '-U', user, '-d', 'postgres'];

/**
 * The database dropped (its sessions ended first) and made again from the dump, read from
 * stdin: the restored database is exactly the backed-up one, not a merge with what is there now.
 */
export function pgRestoreDatabase(user: string, database: string): { terminate: string[]; restore: string[] } {
  const lit = `'${database.replace(/'/g, "''")}'`;
  return {
    terminate: ['psql', '-X', '-q', '-U', user, '-d', 'template1', '-c', `select pg_terminate_backend(pid) from pg_stat_activity where datname = ${lit} and pid <> pg_backend_pid()`],
    // Connected to template1, so that the maintenance database "postgres" can be restored too.
    restore: ['pg_restore', '-U', user, '-d', 'template1', '--clean', '--if-exists', '--create', '--exit-on-error'],
  };
}

/**
 * mongodump of every database as one gzip'd archive to stdout. The administrator's name and
 * password are read inside the container from the variables the official image was started
 * with, so they never pass through Coursedock's arguments.
 */
export const mongoDump = (): string[] => [
  'sh',
  '-c',
  'exec mongodump --quiet --archive --gzip ${MONGO_INITDB_ROOT_USERNAME:+--username "$MONGO_INITDB_ROOT_USERNAME" --password "$MONGO_INITDB_ROOT_PASSWORD" --authenticationDatabase admin}',
];

/** The archive restored over what is there (each collection dropped first). */
export const mongoRestore = (file: string): string[] => [
  'sh',
  '-c',
  `exec mongorestore --quiet --drop --gzip --archive=${shellQuote(file)} \${MONGO_INITDB_ROOT_USERNAME:+--username "$MONGO_INITDB_ROOT_USERNAME" --password "$MONGO_INITDB_ROOT_PASSWORD" --authenticationDatabase admin}`,
];

export const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
