/** The knowledge base over HTTP: explain a reply code, list the causes with their meanings and actions. */

import { Router } from 'express';
import { z } from 'zod';
import type { CausesReferenceResponse, CodeExplanation } from '../contract.js';
import { httpError } from '../errors.js';
import type { Knowledge } from '../knowledge.js';
import { parseInput } from '../params.js';

const explainQuery = z.strictObject({
  code: z
    .string()
    .trim()
    .min(1, 'enter a reply code such as 550 or 5.7.1')
    .max(16)
    .regex(
      /^(?:[2-5]\d\d|[245x]\.\d{1,3}\.\d{1,3}|[2-5]\d\d[ -]+[245x]\.\d{1,3}\.\d{1,3}|[a-z]{1,4}\d{2,6})$/i,
      'expected a basic code (550), an enhanced status (5.7.1), both (550 5.7.1) or a provider code (S3150)',
    ),
});

export function createReferenceRouter(deps: { knowledge: Knowledge }): Router {
  const router = Router();
  router.get('/explain', (req, res) => {
    const { code } = parseInput(explainQuery, req.query);
    const body: CodeExplanation | null = deps.knowledge.explain(code);
    if (!body) throw httpError(404, 'unknown-code', `no explanation for ${code}: not a known reply code`);
    res.json(body);
  });
  router.get('/reference/causes', (req, res) => {
    parseInput(z.strictObject({}), req.query);
    const body: CausesReferenceResponse = { causes: deps.knowledge.causes() };
    res.json(body);
  });
  return router;
}
