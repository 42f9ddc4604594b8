import { isUtf8 } from 'node:buffer';
import express, { type RequestHandler } from 'express';
import { TutorError } from '../errors/tutor-error.js';

/**
 * The one JSON body parser of the API: any content type, strict (objects and arrays only), at most `maxBodyBytes`, and
 * valid UTF-8 only. body-parser would decode invalid bytes to U+FFFD and carry on, so a question arrives altered
 * without anyone knowing; here it is refused with 400 INVALID_REQUEST instead.
 */
export function jsonBody(maxBodyBytes: number): RequestHandler {
  return express.json({
    limit: maxBodyBytes,
    strict: true,
    type: () => true,
    verify: (_request, _response, buffer, encoding) => {
      if (/^utf-?8$/i.test(encoding) && !isUtf8(buffer)) {
        throw new TutorError('INVALID_REQUEST', 'The request body is not valid UTF-8. Send JSON encoded as UTF-8.');
      }
    },
  });
}
