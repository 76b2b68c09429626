// Ready-to-paste connection code for a database, from a notebook (service name on the course
// network) or from this computer (127.0.0.1 and the published port).
import type { ServiceInfo } from './types.js';

export interface Endpoint {
  host: string;
  port: number;
}

export interface Snippet {
  id: string;
  title: string;
  code: string;
}

type Connection = NonNullable<ServiceInfo['connection']>;

const py = (s: string) => JSON.stringify(s);
const enc = encodeURIComponent;

/**
 * Snippets for a connection. `password` is the real one, or a mask (`masked`) while hidden;
 * undefined when the connection has none.
 */
export function connectionSnippets(
  conn: Connection,
  at: Endpoint,
  password: string | undefined,
  masked = false,
): Snippet[] {
  const user = conn.user;
  const db = conn.database;
  const inUrl = password === undefined ? '' : `:${masked ? password : enc(password)}`;
  const auth = user ? `${enc(user)}${inUrl}@` : '';
  switch (conn.kind) {
    case 'postgres': {
      const args = [
        `host=${py(at.host)}`,
        `port=${at.port}`,
        ...(user ? [`user=${py(user)}`] : []),
        ...(password !== undefined ? [`password=${py(password)}`] : []),
        ...(db ? [`dbname=${py(db)}`] : []),
      ];
      const url = `postgresql://${auth}${at.host}:${at.port}${db ? `/${enc(db)}` : ''}`;
      return [
        { id: 'psycopg2', title: 'psycopg2', code: `import psycopg2\n\nconn = psycopg2.connect(${args.join(', ')})` },
        {
          id: 'sqlalchemy',
          title: 'SQLAlchemy',
          code: `from sqlalchemy import create_engine\n\nengine = create_engine(${py(url.replace(/^postgresql:/, 'postgresql+psycopg2:'))})`,
        },
        { id: 'url', title: 'Connection URL', code: url },
      ];
    }
    case 'mongodb': {
      const url = `mongodb://${auth}${at.host}:${at.port}/${db ? enc(db) : ''}`;
      return [
        { id: 'pymongo', title: 'pymongo', code: `from pymongo import MongoClient\n\nclient = MongoClient(${py(url)})` },
        { id: 'url', title: 'Connection URL', code: url },
      ];
    }
    case 'http':
      return [{ id: 'url', title: 'URL', code: `http://${at.host}:${at.port}/` }];
    default:
      return [];
  }
}
