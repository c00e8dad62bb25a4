import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse, type OpenAPIObject } from '@nestjs/swagger';
import { ID_PATTERN } from '@certflow/domain';

const actorHeaders = [
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
  [
    422,
    'a dated rule refuses it now (window, deadline, opening day); or IDEMPOTENCY_CONFLICT: the Idempotency-Key was first used with another body, route or actor',
  ],
  [
    503,
    'PostgreSQL or Temporal unavailable, or a step not accepted within its deadline (STEP_NOT_ACCEPTED); see Retry-After',
  ],
] as const;

/**
 * `Idempotency-Key` on a route that changes something (register, apply, launch, steps, filings);
 * kept 24 hours in PostgreSQL (libs/idempotency). Its 422 is in the shared problems above: an
 * ApiResponse here would drop the route's own success response from the document.
 */
export const WithIdempotencyKey = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    schema: { type: 'string', pattern: ID_PATTERN.source, maxLength: 128 },
    description:
      'a retry with the same key, route and body gets the first answer (header Idempotency-Replayed: true) and ' +
      'takes effect once, for 24 hours, across restarts; the same key with another body, route or actor is 422 ' +
      'IDEMPOTENCY_CONFLICT; POST /credential-sets without setId derives the set from it',
  });

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

/**
 * Every step (a POST on a set or a party) may answer 202 when the workflow accepted it but had not
 * finished within CERTFLOW_STEP_DEADLINE_SECONDS: the body names the Update and Location the set
 * or party to look at; the same request with Idempotency-Key: <updateId> gets its outcome.
 */
export function withPendingSteps(doc: OpenAPIObject): OpenAPIObject {
  for (const [route, item] of Object.entries(doc.paths)) {
    if (!item.post || !/\{(setId|partyId)\}/.test(route)) continue;
    item.post.responses['202'] = {
      description: 'accepted by the workflow, not finished within the step deadline; look at Location',
      headers: { Location: { schema: { type: 'string' }, description: 'the set or party the step is on' } },
      content: { 'application/json': { schema: { $ref: '#/components/schemas/PendingStep' } } },
    };
  }
  doc.components = {
    ...doc.components,
    schemas: {
      ...doc.components?.schemas,
      PendingStep: {
        type: 'object',
        required: ['status', 'detail', 'updateId', 'location'],
        properties: {
          status: { type: 'string', enum: ['PENDING'] },
          detail: { type: 'string' },
          setId: { type: 'string' },
          partyId: { type: 'string' },
          updateId: { type: 'string' },
          location: { type: 'string' },
          retry: { type: 'string' },
        },
      },
    },
  };
  return doc;
}
