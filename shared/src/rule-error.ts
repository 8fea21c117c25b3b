/**
 * A refusal by a service's rules: which rule, and the detail in the player's words. A service's
 * domain throws its own subclass; its API says each rule as a problem (`ruleProblems` in errors.ts).
 * No imports: a domain may use it and stay free of I/O.
 */
export class RuleError<R extends string = string> extends Error {
  constructor(
    readonly rule: R,
    detail: string,
  ) {
    super(detail);
    this.name = new.target.name;
  }
}
