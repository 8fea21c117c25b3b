/** Command-line flags shared by the CLIs: `--name N` or `--name=N`, checked with a clear message. */

export class UsageError extends Error {
  override name = 'UsageError';
}

/** The raw value of `--name V` or `--name=V`: undefined when absent, `true` when given with no value. */
export function flagValue(argv: readonly string[], name: string): string | true | undefined {
  const flag = `--${name}`;
  const at = argv.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
  if (at === -1) return undefined;
  const inline = argv[at]!.startsWith(`${flag}=`) ? argv[at]!.slice(flag.length + 1) : undefined;
  const next = argv[at + 1];
  return inline ?? (next !== undefined && !next.startsWith('--') ? next : true);
}

/**
 * A whole-number flag: undefined when absent, `true` when given with no value (so `--seed` alone
 * can mean "seed, with the default").
 */
export function numberFlag(argv: readonly string[], name: string, min: number, max: number): number | true | undefined {
  const raw = flagValue(argv, name);
  if (raw === undefined || raw === true) return raw;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)})`);
  return value;
}

/** A whole-number option with a default: `--name` given with no value is a usage error. */
export function numberOption(argv: readonly string[], name: string, min: number, max: number, fallback: number): number {
  const value = numberFlag(argv, name, min, max);
  if (value === true) throw new UsageError(`--${name} needs a number`);
  return value ?? fallback;
}

/** A text option: undefined when absent; `--name` given with no value is a usage error naming what it needs. */
export function textOption(argv: readonly string[], name: string, needs = 'a value'): string | undefined {
  const value = flagValue(argv, name);
  if (value === true) throw new UsageError(`--${name} needs ${needs}`);
  return value;
}

const UNIT_SECONDS = { '': 1, s: 1, m: 60, h: 3600 } as const;

/** A duration flag, `--duration 90`, `90s`, `5m` or `1h`, in seconds from min to max: undefined when absent. */
export function durationFlag(argv: readonly string[], name: string, min: number, max: number): number | undefined {
  const raw = flagValue(argv, name);
  if (raw === undefined) return undefined;
  const match = raw === true ? null : /^(\d+)([smh]?)$/.exec(raw.trim());
  const seconds = match ? Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS] : NaN;
  if (!(seconds >= min && seconds <= max)) {
    throw new UsageError(
      `--${name} must be ${min} to ${max} seconds, written as 90s, 5m or 1h (got ${raw === true ? 'nothing' : JSON.stringify(raw)})`,
    );
  }
  return seconds;
}

/** Prints the usage to stdout when `--help` or `-h` was given, and says whether it was: the CLI then exits 0. */
export function helpRequested(usage: string, argv: readonly string[] = process.argv.slice(2)): boolean {
  if (!argv.includes('--help') && !argv.includes('-h')) return false;
  process.stdout.write(`${usage}\n`);
  return true;
}

/** The CLI's options, or undefined after printing why they are wrong and the usage (the CLI then exits 2). */
export function parseOptions<T>(cli: string, usage: string, parse: () => T): T | undefined {
  try {
    return parse();
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`${cli}: ${err.message}\n${usage}`);
    return undefined;
  }
}

/** The first `--flag` that is neither one of `valued` (which take a value) nor one of `switches`. */
export function unknownFlag(argv: readonly string[], valued: readonly string[], switches: readonly string[] = []): string | undefined {
  return argv.find(
    (a) => a.startsWith('--') && !switches.includes(a.slice(2)) && !valued.some((f) => a === `--${f}` || a.startsWith(`--${f}=`)),
  );
}

/**
 * Runs a CLI's main and exits with the code it returns; an unexpected failure is printed (through
 * `describe` when given) and exits 1.
 */
export function runCli(main: () => Promise<number>, describe: (err: unknown) => unknown = (err) => err): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(describe(err));
      process.exit(1);
    },
  );
}
