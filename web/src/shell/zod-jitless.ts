// The app's content security policy forbids eval. zod probes for it (`new Function`) when its first
// object schema parses unless told not to; the refused probe is reported as a CSP violation. Imported
// first by each entry point, so the setting is in place before any schema exists.
import { config } from 'zod';

config({ jitless: true });
