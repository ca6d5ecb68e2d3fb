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

/**
 * A message as one line, for stderr: line breaks become the two characters `\n` (`\r` likewise), tabs `\t`,
 * and any other control character `\u00XX`, so a value with a newline in it (`--matrix $'1,a\nb'`) cannot
 * split a message.
 */
export function oneLine(message: string): string {
  const named: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };
  return message.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
