import type { Response } from 'express';

/** Aborts when the client goes away before the response is complete. */
export function clientSignal(response: Response): AbortController {
  const controller = new AbortController();
  response.on('close', () => {
    if (!response.writableFinished) controller.abort(new DOMException('The client disconnected.', 'AbortError'));
  });
  return controller;
}
