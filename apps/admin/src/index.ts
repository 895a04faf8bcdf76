export { makeAdminServer } from './server.js';
export type { MakeAdminServerOptions } from './server.js';
export type { AdminServices } from './context.js';
export { hashPassword, verifyPassword, parseStoredCredential } from './auth/credentials.js';
export { LOGIN_ROUTES, AUTH_CHALLENGE, FORM_CHALLENGE } from './auth/install-auth.js';
export { BULL_BOARD_PATH } from './bull-board.js';
export { listRuns, getRun, RUN_STATES } from './runs.js';
export type { RunView, RunState } from './runs.js';
