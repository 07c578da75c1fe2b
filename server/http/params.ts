/** Reads a request's query or path parameters through the contract's strict schema; a 400 names the first bad field. */

import type { z } from 'zod';
import { HttpError } from './errors.js';

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw new HttpError(400, 'invalid-parameter', 'invalid request');
  if (issue.code === 'unrecognized_keys') {
    throw new HttpError(400, 'unknown-parameter', `unknown parameter: ${issue.keys.join(', ')}`);
  }
  const field = issue.path.map(String).join('.') || 'request';
  const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
  throw new HttpError(400, 'invalid-parameter', `${field}: ${message}`);
}
