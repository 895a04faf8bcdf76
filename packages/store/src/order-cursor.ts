import { InvalidCursorError } from './errors.js';

/** Position of a row in (dsco_create_time, po_number) order. */
export interface OrderCursor {
  dsco_create_time: number;
  po_number: string;
}

/** Opaque, URL-safe token for the admin API's `after` parameter. */
export function encodeOrderCursor(cursor: OrderCursor): string {
  return Buffer.from(JSON.stringify([cursor.dsco_create_time, cursor.po_number])).toString('base64url');
}

/** @throws InvalidCursorError when `token` was not made by {@link encodeOrderCursor}. */
export function decodeOrderCursor(token: string): OrderCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    !Number.isSafeInteger(parsed[0]) ||
    typeof parsed[1] !== 'string'
  ) {
    throw new InvalidCursorError();
  }
  return { dsco_create_time: parsed[0] as number, po_number: parsed[1] };
}
