export { createEmailIntegration } from "./integration.js";
export type { EmailIntegration, IntegrationOptions } from "./integration.js";
export { createEmbedToken, verifyEmbedToken } from "./auth/embed-token.js";
export type { EmbedClaims } from "./auth/embed-token.js";
export type { SendResult } from "./delivery/deliver.js";
export type { OutgoingMessage } from "./delivery/message.js";
export type { Config } from "./config.js";
