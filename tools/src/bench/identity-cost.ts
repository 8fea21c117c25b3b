/**
 * What service identity costs a call between services: signing the caller's token and checking it
 * at the callee, timed in this process. A caller reuses its token until a minute before it
 * expires and a callee remembers the tokens it has checked, so nearly every call pays `reusedUs`;
 * each caller and callee pair pays `freshUs` once every four minutes.
 */
import { newKeyPair, parsePublicKey, parseSigningKey, TokenSigner, TokenVerifier } from '@casino/shared/service-identity';

export interface IdentityCost {
  /** Microseconds to present and check a token already made and checked. */
  reusedUs: number;
  /** Microseconds to sign a new token and verify it (ES256). */
  freshUs: number;
}

const elapsedUs = (start: bigint, n: number) => Number(process.hrtime.bigint() - start) / 1000 / n;

export function identityCost(): IdentityCost {
  const pair = newKeyPair();
  const key = parseSigningKey(pair.signingKey);
  const keys = { game: parsePublicKey(pair.publicKey) };
  const signer = new TokenSigner('game', key);
  const verifier = new TokenVerifier('payment', keys);
  const call = () => verifier.caller(signer.authorization('payment'));
  for (let i = 0; i < 1_000; i++) call();
  const reusedCalls = 100_000;
  let start = process.hrtime.bigint();
  for (let i = 0; i < reusedCalls; i++) call();
  const reusedUs = elapsedUs(start, reusedCalls);
  const freshCalls = 500;
  start = process.hrtime.bigint();
  for (let i = 0; i < freshCalls; i++) new TokenVerifier('payment', keys).caller(new TokenSigner('game', key).authorization('payment'));
  return { reusedUs, freshUs: elapsedUs(start, freshCalls) };
}

/** The cost as a line of the bench's answers. */
export const identityLine = ({ reusedUs, freshUs }: IdentityCost) =>
  `Service identity: ${reusedUs.toFixed(1)} µs a call between services with the token reused (a spin makes 4 such calls, 5 when it wins), ${Math.round(freshUs)} µs for a new token, once every 4 minutes per caller and callee.`;
