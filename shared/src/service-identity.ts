/**
 * Service identity. Every call from one service of the platform to another carries a short-lived
 * token (`Authorization: Bearer`), an ES256 JWT signed with the caller's own private key, naming the
 * caller (`iss`) and the callee (`aud`). Each internal service holds only the public keys of its
 * callers, so no service can speak as another, and each route names the callers it accepts
 * (`CallerPolicy`): a call without a valid token answers 401, one from a caller the route does not
 * accept 403, both problem+json.
 *
 * Signed tokens rather than mutual TLS: they work the same over the demo's loopback, in Compose and
 * in Kubernetes with no certificate authority, no certificates to rotate and no TLS in five Node
 * processes; the caller's name reaches the handler and the trace as plain data. A caller reuses its
 * token for most of its life and a callee remembers the tokens it has checked, so a call costs a
 * header and a map lookup, not a signature.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type * as JsonWebToken from 'jsonwebtoken';
import type { ServiceName } from './services';

/** The services that call others, each with a key pair of its own. */
export const CALLERS = ['gateway', 'game', 'payment', 'wager'] as const;
export type Caller = (typeof CALLERS)[number];
export const isCaller = (name: string): name is Caller => (CALLERS as readonly string[]).includes(name);

/** The environment variables of a caller's private key and of its public key. */
export type ServiceKeyVariable = `${Uppercase<Caller>}_SIGNING_KEY` | `${Uppercase<Caller>}_PUBLIC_KEY`;
export const signingKeyVariable = (caller: Caller) => `${caller.toUpperCase() as Uppercase<Caller>}_SIGNING_KEY` as const;
export const publicKeyVariable = (caller: Caller) => `${caller.toUpperCase() as Uppercase<Caller>}_PUBLIC_KEY` as const;

const ALGORITHM = 'ES256';
/** How long a token is valid. */
export const TOKEN_SECONDS = 300;
/** A caller signs a new token once its current one has less than this left. */
const RENEW_BEFORE_SECONDS = 60;
/** Tokens a callee remembers as checked; they are few, as callers reuse theirs. */
const REMEMBERED = 256;

const issuer = (service: ServiceName) => `casino-${service}`;

let jsonwebtoken: typeof JsonWebToken | undefined;
function jwt(): typeof JsonWebToken {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (jsonwebtoken ??= require('jsonwebtoken') as typeof JsonWebToken);
}

/** A private key from its setting: base64 of PKCS#8 DER, P-256. Throws with a reason otherwise. */
export function parseSigningKey(text: string): KeyObject {
  const key = createPrivateKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw new Error('not a P-256 key');
  return key;
}

/** A public key from its setting: base64 of SPKI DER, P-256. Throws with a reason otherwise. */
export function parsePublicKey(text: string): KeyObject {
  const key = createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw new Error('not a P-256 key');
  return key;
}

/** A new key pair as its two settings. */
export function newKeyPair(): { signingKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    signingKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
  };
}

/** A key pair for every caller, as environment variables: what `npm run demo` makes when none are set. */
export function newServiceKeys(): Record<ServiceKeyVariable, string> {
  const env = {} as Record<ServiceKeyVariable, string>;
  for (const caller of CALLERS) {
    const { signingKey, publicKey } = newKeyPair();
    env[signingKeyVariable(caller)] = signingKey;
    env[publicKeyVariable(caller)] = publicKey;
  }
  return env;
}

/** What a service needs to prove itself and to check others. */
export interface IdentityConfig {
  /** This service's own private key; undefined for a service that calls no one (user). */
  signingKey: KeyObject | undefined;
  /** The public keys of the callers, by name. */
  publicKeys: Partial<Record<Caller, KeyObject>>;
}

/** Signs, and reuses until it nears its end, the token `service` presents to `audience`. */
export class TokenSigner {
  private readonly tokens = new Map<ServiceName, { token: string; renewAt: number }>();

  constructor(
    private readonly service: ServiceName,
    private readonly key: KeyObject,
    private readonly now: () => number = Date.now,
  ) {}

  /** The value of the Authorization header for a call to `audience`. */
  authorization(audience: ServiceName): string {
    const now = this.now();
    let held = this.tokens.get(audience);
    if (!held || now >= held.renewAt) {
      const token = jwt().sign({ iat: Math.floor(now / 1000) }, this.key, {
        algorithm: ALGORITHM,
        issuer: issuer(this.service),
        subject: this.service,
        audience: issuer(audience),
        expiresIn: TOKEN_SECONDS,
      });
      held = { token, renewAt: now + (TOKEN_SECONDS - RENEW_BEFORE_SECONDS) * 1000 };
      this.tokens.set(audience, held);
    }
    return `Bearer ${held.token}`;
  }
}

/** Why a token was refused; each is a 401. */
export type Refusal = 'missing' | 'malformed' | 'unknown-caller' | 'invalid';

/** Checks the tokens presented to `service`, remembering the good ones until they expire. */
export class TokenVerifier {
  private readonly checked = new Map<string, { caller: Caller; expiresAt: number }>();

  constructor(
    private readonly service: ServiceName,
    private readonly publicKeys: Partial<Record<Caller, KeyObject>>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The caller a request's Authorization header proves, or why it proves none. */
  caller(authorization: string | undefined): { caller: Caller } | { refused: Refusal } {
    if (!authorization) return { refused: 'missing' };
    const token = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(authorization)?.[1];
    if (!token) return { refused: 'malformed' };
    const known = this.checked.get(token);
    if (known && known.expiresAt > this.now()) return { caller: known.caller };
    const caller = jwt().decode(token, { json: true })?.sub;
    if (typeof caller !== 'string' || !isCaller(caller)) return { refused: 'unknown-caller' };
    const key = this.publicKeys[caller];
    if (!key) return { refused: 'unknown-caller' };
    try {
      const claims = jwt().verify(token, key, {
        algorithms: [ALGORITHM],
        issuer: issuer(caller),
        subject: caller,
        audience: issuer(this.service),
        clockTimestamp: Math.floor(this.now() / 1000),
      });
      if (typeof claims === 'string' || typeof claims.exp !== 'number') return { refused: 'invalid' };
      this.remember(token, caller, claims.exp * 1000);
      return { caller };
    } catch {
      return { refused: 'invalid' };
    }
  }

  private remember(token: string, caller: Caller, expiresAt: number): void {
    if (this.checked.size >= REMEMBERED) {
      for (const [t, entry] of this.checked) if (entry.expiresAt <= this.now()) this.checked.delete(t);
      // Still full: forget the oldest remembered.
      if (this.checked.size >= REMEMBERED) this.checked.delete(this.checked.keys().next().value!);
    }
    this.checked.set(token, { caller, expiresAt });
  }
}

/** Who may call what: `'POST /wallets/:playerId/bets': ['game']`, in Express's path syntax. */
export type CallerPolicy = Record<`${'GET' | 'POST' | 'PUT' | 'DELETE'} /${string}`, readonly Caller[]>;

/** The gateway alone sets the scenarios of the services behind it. */
export const SCENARIO_CALLERS: CallerPolicy = { 'GET /internal/scenarios': ['gateway'], 'PUT /internal/scenarios': ['gateway'] };

/** Paths anyone who reaches the service may read: probes and Prometheus. */
export const OPEN_PATHS = /^\/(healthz|readyz|health|metrics|metrics\/json)\/?$/;

export const IDENTITY_PROBLEMS = {
  'caller-unauthenticated': { status: 401, title: 'Caller not authenticated' },
  'caller-not-allowed': { status: 403, title: 'Caller not allowed' },
} as const;
export type IdentityProblem = keyof typeof IDENTITY_PROBLEMS;

/** The name of the caller that passed identity checks, for the route handlers and the logs. */
export function callerOf(res: Response): Caller | undefined {
  return (res.locals as { caller?: Caller }).caller;
}

/** The callers `policy` lets call `method` `path` (HEAD as GET); none for a route it does not name. */
export function policyLookup(policy: CallerPolicy): (method: string, path: string) => ReadonlySet<Caller> {
  const rules = Object.entries(policy).map(([route, callers]) => {
    const [method, path] = route.split(' ') as [string, string];
    // `:name` matches one path segment, as Express's own route syntax does.
    const pattern = new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:\w+/g, '[^/]+')}/?$`);
    return { method, pattern, callers: new Set<Caller>(callers) };
  });
  const none = new Set<Caller>();
  return (method, path) => {
    const m = method === 'HEAD' ? 'GET' : method;
    return rules.find((r) => r.method === m && r.pattern.test(path))?.callers ?? none;
  };
}

/**
 * The middleware an internal service's app starts with: every request but the open paths needs a
 * valid token (401), and the route it asks for must name its caller in `policy` (403). A route not
 * in the policy accepts no one, so a new route is closed until it says who may call it.
 */
export function requireCallers(
  service: ServiceName,
  verifier: TokenVerifier,
  policy: CallerPolicy,
  refuse: (res: Response, problem: IdentityProblem, detail: string) => void,
) {
  const allowed = policyLookup(policy);
  return (req: Request, res: Response, next: NextFunction): void => {
    if (OPEN_PATHS.test(req.path)) return next();
    const proof = verifier.caller(req.headers.authorization);
    if ('refused' in proof) {
      return refuse(res, 'caller-unauthenticated', `The ${service} service answers only the platform's services (${proof.refused} token).`);
    }
    (res.locals as { caller?: Caller }).caller = proof.caller;
    if (!allowed(req.method, req.path).has(proof.caller)) {
      return refuse(
        res,
        'caller-not-allowed',
        `The ${proof.caller} service may not call ${req.method} ${req.path} on the ${service} service.`,
      );
    }
    next();
  };
}
