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

/**
 * A numerical routine failed on the data it was given (e.g. the eigensolver's QR iteration did not
 * converge, or a matrix has a NaN entry). The CLI prints `message` alone (one line) and exits with code 4.
 */
export class NumericalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NumericalError";
  }
}
