import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, inflateSync } from 'node:zlib';

/** A span as the ingest saw it, whichever trace lifecycle sent it. */
export interface IngestedSpan {
  project: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  op: string | undefined;
  start: number;
  end: number;
  segment: boolean;
  attributes: Record<string, unknown>;
}

/** A cron check-in as the SDK serialises it. */
export interface CheckIn {
  check_in_id: string;
  monitor_slug: string;
  status: 'in_progress' | 'ok' | 'error';
  duration?: number;
  release?: string;
  environment?: string;
  monitor_config?: { schedule: { type: string; value: number | string; unit?: string }; checkin_margin?: number; max_runtime?: number };
  contexts?: { trace?: { trace_id: string; span_id: string } };
}

export interface Envelope {
  project: string;
  /** The envelope exactly as received (after decompression), for scanning. */
  raw: string;
  items: { header: Record<string, unknown>; payload: unknown }[];
}

/** Reads an envelope: a header line, then item header and payload pairs (payload length-prefixed or a line). */
export function parseEnvelope(body: Buffer): { header: Record<string, unknown>; items: Envelope['items'] } {
  let offset = 0;
  const line = () => {
    const end = body.indexOf(0x0a, offset);
    const text = body.subarray(offset, end === -1 ? body.length : end).toString('utf8');
    offset = end === -1 ? body.length : end + 1;
    return text;
  };
  const header = JSON.parse(line()) as Record<string, unknown>;
  const items: Envelope['items'] = [];
  while (offset < body.length) {
    const text = line();
    if (!text.trim()) continue;
    const itemHeader = JSON.parse(text) as Record<string, unknown>;
    let raw: string;
    if (typeof itemHeader.length === 'number') {
      raw = body.subarray(offset, offset + itemHeader.length).toString('utf8');
      offset += itemHeader.length;
      if (body[offset] === 0x0a) offset++;
    } else {
      raw = line();
    }
    let payload: unknown = raw;
    try {
      payload = JSON.parse(raw);
    } catch {
      // a non-JSON attachment: keep the text
    }
    items.push({ header: itemHeader, payload });
  }
  return { header, items };
}

type Attribute = { value?: unknown };

function flatten(attributes: Record<string, Attribute | unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(attributes ?? {})) out[k] = v && typeof v === 'object' && 'value' in v ? (v as Attribute).value : v;
  return out;
}

/**
 * A Sentry ingest for tests: a real HTTP server that the SDK posts envelopes to, as it would to
 * sentry.io. The DSN's project id tells which service sent what.
 */
export class SentryIngest {
  readonly envelopes: Envelope[] = [];
  private server?: Server;
  private port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      // Browsers send envelopes cross-origin; Spotlight's content type makes them preflight first.
      res.setHeader('access-control-allow-origin', '*');
      if (req.method === 'OPTIONS') {
        res
          .writeHead(204, { 'access-control-allow-methods': 'POST', 'access-control-allow-headers': '*', 'access-control-max-age': '600' })
          .end();
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let body = Buffer.concat(chunks);
        const encoding = req.headers['content-encoding'];
        if (encoding === 'gzip') body = gunzipSync(body);
        else if (encoding === 'deflate') body = inflateSync(body);
        // Sentry posts to /api/<project>/envelope/; Spotlight's sidecar takes the same envelopes at /stream.
        const project = req.url?.startsWith('/stream')
          ? 'spotlight'
          : (/^\/api\/([^/]+)\/envelope\//.exec(req.url ?? '')?.[1] ?? 'unknown');
        try {
          const { items } = parseEnvelope(body);
          this.envelopes.push({ project, raw: body.toString('utf8'), items });
        } catch {
          this.envelopes.push({ project, raw: body.toString('utf8'), items: [] });
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  dsn(project: number | string): string {
    return `http://publickey@127.0.0.1:${this.port}/${project}`;
  }

  /** A Spotlight sidecar URL that lands here too, as project `spotlight`. */
  spotlightUrl(): string {
    return `http://127.0.0.1:${this.port}/stream`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private itemsOf(type: string): { project: string; payload: Record<string, unknown> }[] {
    return this.envelopes.flatMap((e) =>
      e.items.filter((i) => i.header.type === type).map((i) => ({ project: e.project, payload: i.payload as Record<string, unknown> })),
    );
  }

  /** Error and message events. */
  events(): { project: string; event: Record<string, unknown> }[] {
    return this.itemsOf('event').map(({ project, payload }) => ({ project, event: payload }));
  }

  transactions(): { project: string; event: Record<string, unknown> }[] {
    return this.itemsOf('transaction').map(({ project, payload }) => ({ project, event: payload }));
  }

  /** User feedback (item type `feedback`): an event whose `contexts.feedback` holds the report. */
  feedback(): { project: string; event: Record<string, unknown> }[] {
    return this.itemsOf('feedback').map(({ project, payload }) => ({ project, event: payload }));
  }

  profileChunks(): { project: string }[] {
    return this.itemsOf('profile_chunk');
  }

  /** Cron check-ins (item type `check_in`), in the order they arrived. */
  checkIns(): { project: string; checkIn: CheckIn }[] {
    return this.itemsOf('check_in').map(({ project, payload }) => ({ project, checkIn: payload as unknown as CheckIn }));
  }

  /** Request-session aggregates (`sessions`) and single sessions (`session`), each with the release it counts under. */
  sessions(): { project: string; release: string | undefined; counts: { exited: number; errored: number; crashed: number } }[] {
    const sum = (aggregates: Record<string, number>[], key: string) => aggregates.reduce((n, a) => n + (a[key] ?? 0), 0);
    return [
      ...this.itemsOf('sessions').map(({ project, payload }) => {
        const aggregates = (payload.aggregates as Record<string, number>[]) ?? [];
        return {
          project,
          release: (payload.attrs as { release?: string } | undefined)?.release,
          counts: { exited: sum(aggregates, 'exited'), errored: sum(aggregates, 'errored'), crashed: sum(aggregates, 'crashed') },
        };
      }),
      ...this.itemsOf('session').map(({ project, payload }) => {
        const status = String(payload.status);
        return {
          project,
          release: (payload.attrs as { release?: string } | undefined)?.release,
          counts: {
            exited: Number(status === 'exited' || status === 'ok'),
            errored: Number(payload.errors) > 0 ? 1 : 0,
            crashed: Number(status === 'crashed'),
          },
        };
      }),
    ];
  }

  /** The records of a batched item type (`log`, `trace_metric`), each with its attributes flattened. */
  private records(type: string): { project: string; record: Record<string, unknown>; attributes: Record<string, unknown> }[] {
    return this.itemsOf(type).flatMap(({ project, payload }) =>
      ((payload.items as Record<string, unknown>[]) ?? []).map((record) => ({
        project,
        record,
        attributes: flatten(record.attributes as Record<string, unknown>),
      })),
    );
  }

  /** Log records (item type `log`). */
  logs(): { project: string; traceId: string; level: string; body: string; attributes: Record<string, unknown> }[] {
    return this.records('log').map(({ project, record, attributes }) => ({
      project,
      traceId: String(record.trace_id),
      level: String(record.level),
      body: String(record.body),
      attributes,
    }));
  }

  /** Metric records (item type `trace_metric`). */
  metrics(): { project: string; name: string; type: string; value: number; traceId: string; attributes: Record<string, unknown> }[] {
    return this.records('trace_metric').map(({ project, record, attributes }) => ({
      project,
      name: String(record.name),
      type: String(record.type),
      value: Number(record.value),
      traceId: String(record.trace_id),
      attributes,
    }));
  }

  /** Every span received: streamed span items, and the spans inside transactions. */
  spans(): IngestedSpan[] {
    const streamed = this.itemsOf('span').flatMap(({ project, payload }) =>
      ((payload.items as Record<string, unknown>[]) ?? []).map((s) => {
        const attributes = flatten(s.attributes as Record<string, unknown>);
        return {
          project,
          traceId: String(s.trace_id),
          spanId: String(s.span_id),
          parentSpanId: (s.parent_span_id as string | undefined) ?? undefined,
          name: String(s.name),
          op: attributes['sentry.op'] as string | undefined,
          start: Number(s.start_timestamp),
          end: Number(s.end_timestamp),
          segment: Boolean(s.is_segment),
          attributes,
        };
      }),
    );
    const fromTransactions = this.transactions().flatMap(({ project, event }) => {
      const trace = (event.contexts as { trace: Record<string, unknown> }).trace;
      const root: IngestedSpan = {
        project,
        traceId: String(trace.trace_id),
        spanId: String(trace.span_id),
        parentSpanId: trace.parent_span_id as string | undefined,
        name: String(event.transaction),
        op: trace.op as string | undefined,
        start: Number(event.start_timestamp),
        end: Number(event.timestamp),
        segment: true,
        attributes: (trace.data as Record<string, unknown>) ?? {},
      };
      const children = ((event.spans as Record<string, unknown>[]) ?? []).map((s) => ({
        project,
        traceId: String(s.trace_id),
        spanId: String(s.span_id),
        parentSpanId: s.parent_span_id as string | undefined,
        name: String(s.description),
        op: s.op as string | undefined,
        start: Number(s.start_timestamp),
        end: Number(s.timestamp),
        segment: false,
        attributes: (s.data as Record<string, unknown>) ?? {},
      }));
      return [root, ...children];
    });
    return [...streamed, ...fromTransactions];
  }

  /** Polls until `check` returns a value that is not undefined, or fails after `timeoutMs`. */
  async waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`ingest: gave up waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
