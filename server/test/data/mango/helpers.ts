import { expect } from 'vitest';

import { BadRequest } from '../../../src/errors.js';

/** Asserts that `fn` throws a BadRequest (HTTP 400) whose message matches `message`. */
export function expect400(fn: () => unknown, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(BadRequest);
  expect((caught as BadRequest).status).toBe(400);
  expect((caught as BadRequest).message).toMatch(message);
}
