import type { GraphiQLOptions } from 'graphql-yoga';

/** Where GraphiQL's code is served, under the GraphQL endpoint: no CDN, nothing from another host. */
export const GRAPHIQL_ASSETS_PATH = '/graphql/graphiql';

const DEFAULT_QUERY = `# Put your API key in the Authorization header (Headers, below), then run this.
query Agents {
  agents {
    id
    name
    model
    memory {
      label
      value
    }
  }
}
`;

/** GraphiQL's options: a first query and an `Authorization` header to fill in. */
export const graphiqlOptions: GraphiQLOptions = {
  title: 'memgate GraphiQL',
  defaultQuery: DEFAULT_QUERY,
  headers: JSON.stringify({ Authorization: 'Bearer <your key>' }, null, 2),
  defaultHeaders: JSON.stringify({ Authorization: 'Bearer <your key>' }, null, 2),
  defaultEditorToolsVisibility: 'headers',
  subscriptionsProtocol: 'SSE',
};

const escapeJson = (value: unknown) => JSON.stringify(value).replaceAll('<', '\\u003c');

/**
 * Yoga's `renderGraphiQL`: the page of `@graphql-yoga/render-graphiql`, but with its stylesheet,
 * script and editor workers as files served by {@link serveGraphiqlAsset} (that package inlines
 * 9 MB into every page; these are cached by the browser instead).
 */
export function renderGraphiqlPage(options: GraphiQLOptions): string {
  const assets = GRAPHIQL_ASSETS_PATH;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${(options.title ?? 'GraphiQL').replaceAll('<', '&lt;')}</title>
    <link rel="icon" href="${assets}/favicon.ico" />
    <link rel="stylesheet" href="${assets}/graphiql.css" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run GraphiQL.</noscript>
    <div id="root"></div>
    <script>
      self.MonacoEnvironment = {
        globalAPI: false,
        getWorkerUrl: (_moduleId, label) => ${escapeJson(assets)} + '/' + label + '.worker.js',
      };
    </script>
    <script src="${assets}/graphiql.js"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${escapeJson(options)});
    </script>
  </body>
</html>
`;
}

interface Asset {
  contentType: string;
  body: string | Buffer;
}

type Bundle = typeof import('@graphql-yoga/render-graphiql/graphiql');

// The bundle holds 17 MB of strings: loaded on the first GraphiQL request, not at start.
let bundle: Promise<Bundle> | undefined;
const javascript = 'text/javascript; charset=utf-8';

const ASSETS: Record<string, (loaded: Bundle) => Asset> = {
  'graphiql.js': (loaded) => ({ contentType: javascript, body: loaded.js }),
  'graphiql.css': (loaded) => ({ contentType: 'text/css; charset=utf-8', body: loaded.css }),
  'favicon.ico': (loaded) => ({
    contentType: 'image/x-icon',
    body: Buffer.from(loaded.favicon.slice(loaded.favicon.indexOf(',') + 1), 'base64'),
  }),
  'editorWorkerService.worker.js': (loaded) => ({ contentType: javascript, body: loaded.editorWorkerService }),
  'json.worker.js': (loaded) => ({ contentType: javascript, body: loaded.jsonWorker }),
  'graphql.worker.js': (loaded) => ({ contentType: javascript, body: loaded.graphqlWorker }),
};

/** One of GraphiQL's files by its path, e.g. `/graphql/graphiql/graphiql.js`; null for any other path. */
export async function graphiqlAsset(path: string): Promise<Asset | null> {
  if (!path.startsWith(`${GRAPHIQL_ASSETS_PATH}/`)) return null;
  const build = ASSETS[path.slice(GRAPHIQL_ASSETS_PATH.length + 1)];
  if (!build) return null;
  bundle ??= import('@graphql-yoga/render-graphiql/graphiql');
  return build(await bundle);
}
