export * from './auth.js';
export * from './common.js';
export * from './directory.js';
export * from './interaction.js';
export * from './message.js';
export * from './opportunity.js';
export * from './addin-config.js';
export * from './mailbox.js';
