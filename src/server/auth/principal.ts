// The caller and their roles are domain notions (the rules read them); auth makes them from tokens.
export { hasRole, isRole, type Principal } from '../domain/principal.js';
