/**
 * Errors a user can fix. The CLI prints `message` alone (one line: the field, the value, what is allowed)
 * and exits with code 2; no stack trace.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
