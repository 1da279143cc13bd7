import type { Memgate } from '@memgate/core';
import { MemgateError } from '@memgate/core';
import express, { type Request, type RequestHandler, Router } from 'express';
import { clientSignal } from '../client-signal.ts';
import { principalOf } from '../principal.ts';

/**
 * The body of `POST /v1/agents/import` read as it came, up to MEMGATE_MAX_IMPORT_BYTES (413 past
 * it), before the app's JSON parser (which then leaves it alone): an Agent File may be larger than
 * other bodies, and may be a JSON string holding the document.
 */
export function agentFileBody(memgate: Memgate): RequestHandler {
  return express.raw({ type: () => true, limit: memgate.agentFiles.maxImportBytes });
}

/**
 * The Agent File of an import request: the JSON body as sent, or the first file of a
 * `multipart/form-data` upload (read by the platform's own form-data parser).
 */
async function agentFileText(request: Request): Promise<string> {
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const type = request.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(type)) return body.toString('utf8');
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { 'content-type': type } }).formData();
  } catch (error) {
    throw new MemgateError('BAD_USER_INPUT', 'The multipart upload could not be read.', {
      detailCode: 'invalid_multipart',
      cause: error,
    });
  }
  for (const value of form.values()) {
    if (typeof value !== 'string') return value.text();
  }
  throw new MemgateError('BAD_USER_INPUT', 'The multipart upload holds no file: send the .af file as a file field.', {
    detailCode: 'invalid_multipart',
  });
}

/** Letta Agent Files: `GET /v1/agents/{id}/export` and `POST /v1/agents/import`. */
export function agentFileRoutes(memgate: Memgate): Router {
  const router = Router();
  const { agentFiles } = memgate;
  router.post('/agents/import', async (request, response) => {
    const text = await agentFileText(request);
    const signal = clientSignal(response).signal;
    const result = await agentFiles.import(principalOf(response), text, request.query, signal);
    response.status(result.dry_run ? 200 : 201).json(result);
  });
  router.get('/agents/:agentId/export', async (request, response) => {
    response.locals['agentId'] = request.params.agentId;
    const file = await agentFiles.export(principalOf(response), request.params.agentId, request.query);
    const name = `${request.params.agentId}.af`;
    response.setHeader('content-disposition', `attachment; filename="${name}"`);
    response.json(file);
  });
  return router;
}
