/**
 * The embedded store's journal: every document it writes or deletes, one JSON line each, appended
 * before the write returns, so a service killed outright (SIGKILL, a crash) and started again finds
 * its data as it left it. On start the store replays the file, last line per document winning,
 * then rewrites it as one line per live document; it does so again whenever the file has grown to
 * several times that. Lines reach the kernel with each write; a machine that loses power can lose
 * the last of them, a killed process cannot.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

type Row = { _id: string } & Record<string, unknown>;

interface Line {
  /** Collection. */
  c: string;
  id: string;
  /** The document as written; absent for a delete. */
  d?: Row;
}

/** Dates as `{ $date: ms }`, which no stored field can be (MongoDB keys never start with `$`). */
function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return raw instanceof Date ? { $date: raw.getTime() } : value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const ms = (value as { $date?: unknown }).$date;
    if (keys.length === 1 && typeof ms === 'number') return new Date(ms);
  }
  return value;
}

/** Compacted again once the file holds this many lines per live document (and at least 10,000). */
const GROWTH = 4;

export class Journal {
  private fd: number | undefined;
  private lines = 0;
  private live = 0;

  /** `compact` is asked to rewrite the file once it has grown too long (see rewrite). */
  constructor(
    private readonly file: string,
    private readonly compact: () => void,
  ) {}

  /** The documents the file holds, by collection and id; a torn last line is left out. */
  read(): Map<string, Map<string, Row>> {
    const docs = new Map<string, Map<string, Row>>();
    if (!existsSync(this.file)) return docs;
    for (const text of readFileSync(this.file, 'utf8').split('\n')) {
      if (!text) continue;
      let line: Line;
      try {
        line = JSON.parse(text, reviver) as Line;
      } catch {
        continue;
      }
      let collection = docs.get(line.c);
      if (!collection) docs.set(line.c, (collection = new Map()));
      if (line.d) collection.set(line.id, line.d);
      else collection.delete(line.id);
    }
    return docs;
  }

  /** Rewrites the file as `docs` alone, atomically, and appends from there on. */
  rewrite(docs: Iterable<[string, Iterable<Row>]>): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(temporary, 'w', 0o600);
    let count = 0;
    for (const [c, rows] of docs) {
      for (const d of rows) {
        writeSync(fd, `${JSON.stringify({ c, id: d._id, d }, replacer)}\n`);
        count++;
      }
    }
    closeSync(fd);
    renameSync(temporary, this.file);
    this.close();
    this.fd = openSync(this.file, 'a', 0o600);
    this.lines = this.live = count;
  }

  /** A document written; `created` when there was none with its id. */
  put(c: string, d: Row, created: boolean): void {
    this.append({ c, id: d._id, d }, created ? 1 : 0);
  }

  delete(c: string, id: string): void {
    this.append({ c, id }, -1);
  }

  private append(line: Line, change: number): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, `${JSON.stringify(line, replacer)}\n`);
    this.lines++;
    this.live = Math.max(0, this.live + change);
    if (this.lines > Math.max(10_000, GROWTH * this.live)) this.compact();
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
