import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Router } from 'express';
import { openApiDocument } from './openapi-document.ts';

// Swagger UI's files come from the swagger-ui-dist package, served by this server: no CDN.
const swaggerUiDirectory = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const SWAGGER_UI_FILES: Record<string, string> = {
  'swagger-ui.css': 'swagger-ui.css',
  'swagger-ui-bundle.js': 'swagger-ui-bundle.js',
  'favicon.png': 'favicon-32x32.png',
};

// A file rather than an inline script, so that a strict Content-Security-Policy can allow 'self' only.
// `validatorUrl: null`: Swagger UI would otherwise show a badge fetched from validator.swagger.io.
const INIT_SCRIPT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  persistAuthorization: false,
});
`;

const DOCS_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>memgate REST API</title>
    <link rel="icon" type="image/png" href="/docs/assets/favicon.png" />
    <link rel="stylesheet" href="/docs/assets/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/assets/swagger-ui-bundle.js"></script>
    <script src="/docs/assets/init.js"></script>
  </body>
</html>
`;

/** `/openapi.json` and the API reference at `/docs` (Swagger UI): public, like the probes. */
export function docsRoutes(): Router {
  const router = Router();
  router.get('/openapi.json', (_request, response) => {
    response.json(openApiDocument());
  });
  router.get('/docs', (_request, response) => {
    response.type('html').send(DOCS_PAGE);
  });
  router.get('/docs/assets/init.js', (_request, response) => {
    response.type('text/javascript').send(INIT_SCRIPT);
  });
  router.get('/docs/assets/:file', (request, response, next) => {
    const file = SWAGGER_UI_FILES[request.params.file];
    if (!file) return next();
    // `root`: the install path holds `.pnpm`, a dot segment `send` refuses in an absolute path.
    response.sendFile(file, { root: swaggerUiDirectory, maxAge: '1d' });
  });
  return router;
}
