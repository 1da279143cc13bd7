export { defaultConsoleDirectory } from './console-directory.ts';
export { CONSOLE_BUILD_HINT, createConsoleHandler } from './console-handler.ts';
export { CONSOLE_CSP, setConsoleSecurityHeaders } from './console-headers.ts';
