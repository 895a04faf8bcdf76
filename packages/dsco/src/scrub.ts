import { REDACTED, redactString } from '@dlsync/logger';

/**
 * Returns a function that removes every currently known secret (static token, client
 * secret, cached access token) from a string, then the generic bearer/`token=` shapes.
 * Server text goes through it before it reaches an error message: a misbehaving proxy may
 * echo request headers or the token form back in its error page.
 */
export function makeScrubber(secrets: () => readonly (string | undefined)[]): (text: string) => string {
  return (text) => {
    let out = text;
    for (const secret of secrets()) {
      // Very short values would shred ordinary text and are no credential anyway.
      if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED);
    }
    return redactString(out);
  };
}

/** First `max` characters of a body, on one line, for an error's diagnosis. */
export function snippet(body: string, max = 200): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
