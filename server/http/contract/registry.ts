/** Named schemas of the API: each becomes one entry of the OpenAPI document's components. */

import type { z } from 'zod';

/** Gives `schema` the component name `id` (kept in zod's global registry, which the document is drawn from). */
export function component<S extends z.ZodType>(id: string, schema: S, description?: string): S {
  return schema.meta(description === undefined ? { id } : { id, description });
}
