/** A problem a person must fix (bad flag, bad config file): the CLI exits 2 with this message. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
