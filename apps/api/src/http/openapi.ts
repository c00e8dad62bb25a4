import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse, type OpenAPIObject } from '@nestjs/swagger';

const actorHeaders = [
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'on steps: a retry with the same key gets the first answer and takes effect once',
  }),
  ApiHeader({ name: 'X-Actor-Id', required: false, description: 'who acts (default: CERTFLOW_DEFAULT_ACTOR)' }),
  ApiHeader({
    name: 'X-Actor-Role',
    required: false,
    description: 'FINANCE_STAFF, SUPERVISING_UNIT, SERVICE_WINDOW, PARTY, AUDITOR',
  }),
];

// Every refusal is application/problem+json (RFC 9457) with `rule`, `detail` and, for fields, `errors`.
const problems = [
  [400, 'a field is malformed or breaks a rule (errors name each field)'],
  [401, 'actor headers missing or unknown role'],
  [403, 'the role may not take this step'],
  [404, 'unknown party or set'],
  [409, 'conflict: out of order, already done, one set per party'],
  [422, 'a dated rule refuses it now (window, deadline, opening day)'],
  [503, 'PostgreSQL or Temporal unavailable'],
] as const;

/** The actor headers and the problems a controller's routes may answer, in the OpenAPI document. */
export const WithActor = () =>
  applyDecorators(
    ...actorHeaders,
    ...problems.map(([status, description]) =>
      ApiResponse({
        status,
        description,
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      }),
    ),
  );

/** Adds the Problem schema the responses above refer to. */
export function withProblemSchema(doc: OpenAPIObject): OpenAPIObject {
  doc.components = {
    ...doc.components,
    schemas: {
      ...doc.components?.schemas,
      Problem: {
        type: 'object',
        required: ['type', 'title', 'status', 'detail'],
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          rule: { type: 'string' },
          errors: {
            type: 'array',
            items: { type: 'object', properties: { path: { type: 'string' }, rule: { type: 'string' } } },
          },
          details: { type: 'object' },
        },
      },
    },
  };
  return doc;
}
