/** The OpenAPI 3.1 description of /api/v1 (filled in below). */
export function openApiDocument(): Record<string, unknown> {
  return { openapi: '3.1.0', info: { title: 'bouncewatch API', version: '1' }, paths: {} };
}
