import { http, HttpResponse, type HttpHandler } from 'msw';
import { ROUTES, type Route } from './api.ts';
import type { DataCentre } from './data-centre.ts';

/** `/requests/{requestId}` → msw's `/requests/:requestId`. */
export function mswPath(baseUrl: string, route: Route): string {
  return `${baseUrl.replace(/\/$/, '')}${route.path.replace(/\{(\w+)\}/g, ':$1')}`;
}

export interface HandlerOptions {
  /**
   * Check every answer against the route's declared response schema (api.ts) and answer 500 naming the
   * mismatch when it does not fit: the tests run with it, so the OpenAPI document cannot drift from the handlers.
   */
  checkAnswers?: boolean;
}

/** The msw handlers serving `dataCentre` at `baseUrl`, one per route of api.ts. */
export function dataCentreHandlers(dataCentre: DataCentre, baseUrl: string, options: HandlerOptions = {}): HttpHandler[] {
  return ROUTES.map((route) =>
    http[route.method](mswPath(baseUrl, route), async ({ request, params }) => {
      let body: unknown;
      if (route.body) {
        const text = await request.text();
        try {
          body = text === '' ? undefined : JSON.parse(text);
        } catch {
          // not JSON: the operation refuses it as malformed, as it does a body of the wrong shape
          body = Symbol.for('not-json');
        }
      }
      const answer = dataCentre.handle(route.operationId, params as Record<string, string>, body);
      if (options.checkAnswers) {
        const declared = route.responses[answer.status];
        const problem = !declared ? `status ${answer.status} is not declared` : declared.schema.safeParse(answer.body).success ? undefined : `the ${answer.status} body does not fit its schema`;
        if (problem) return HttpResponse.json({ error: `${route.operationId}: ${problem}` }, { status: 500 });
      }
      return HttpResponse.json(answer.body as Record<string, unknown>, { status: answer.status });
    }),
  );
}
