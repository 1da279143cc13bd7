import { writeFileSync } from 'node:fs';
import { generateOpenApiTypes, OPENAPI_TYPES_PATH } from '../test/openapi-types.ts';

// Regenerates test/generated/openapi.d.ts; a test fails while it is out of date.
writeFileSync(OPENAPI_TYPES_PATH, await generateOpenApiTypes());
console.log(`wrote ${OPENAPI_TYPES_PATH.pathname}`);
