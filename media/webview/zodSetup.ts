// Imported FIRST by main.ts: zod decides at schema construction whether to compile parsers with
// `new Function`, and our CSP has no 'unsafe-eval' — even the probe would be reported as a violation.
import * as z from '../../server/protocol/zod';

z.config({ jitless: true });
