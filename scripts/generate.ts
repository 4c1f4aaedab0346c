/**
 * Every generated file, in one command:
 *
 *   npm run generate          src/xml/schema.generated.ts (from the XSD) and the typed client
 *                             (clients/typescript/, from the OpenAPI document)
 *   npm run generate:check    exit 1 when any committed file is stale (CI)
 */

import { generateClient } from './generate-client.js';
import { main as generateSchema } from './generate-schema.js';

const check = process.argv.includes('--check');
const schema = generateSchema(check ? ['--check'] : []);
const client = await generateClient(check);
process.exitCode = schema || client;
