/** The knowledge base over HTTP: explain a reply code, list the causes; and the API's own description. */

import type { Router } from 'express';
import type { ReferenceService } from '../../services/reference.js';
import { documentRoute, openApiDocument } from '../contract/openapi.js';
import { referenceRoutes } from '../contract/reference.js';
import { jsonRoute } from '../route.js';

export function mountReferenceRoutes(router: Router, reference: ReferenceService): void {
  jsonRoute(router, referenceRoutes.explain, (q) => reference.explain(q.code));
  jsonRoute(router, referenceRoutes.causes, () => reference.causes());
  jsonRoute(router, documentRoute, () => openApiDocument());
}
