import { Type, type Static } from 'typebox';
import { MAX_ADDRESS_LENGTH } from '../limits.js';
import { Closed, Id, RepeatedParameter } from './common.js';

/*
 * The one lookup the send-time prompt (Outlook Smart Alerts, OnMessageSend) makes: whether the tenant wants it,
 * and the recipients' open opportunities. Outlook allows a send handler about 5 seconds; the handler caches this
 * answer and sends unchanged on any error.
 */

/** Recipients checked at most per call: Outlook messages rarely have more outside recipients than this. */
export const MAX_SEND_CHECK_RECIPIENTS = 50;

export const SendCheckQuery = Closed({
  recipient: RepeatedParameter(MAX_ADDRESS_LENGTH, MAX_SEND_CHECK_RECIPIENTS, 'Repeat the parameter for each recipient')
});
export type SendCheckQuery = Static<typeof SendCheckQuery>;

export const SendCheckOpportunity = Type.Object({
  id: Id,
  description: Type.String(),
  contactName: Type.String(),
  /** The contact's company, which the prompt names ("This goes to Fabrikam…"); null when unknown. */
  company: Type.Union([Type.String(), Type.Null()])
});
export type SendCheckOpportunity = Static<typeof SendCheckOpportunity>;

export const SendCheck = Type.Object({
  /** The tenant's admin switched the send-time prompt on. */
  prompt: Type.Boolean(),
  /** Open opportunities of the recipients the caller may see, newest first; empty when `prompt` is false. */
  opportunities: Type.Array(SendCheckOpportunity)
});
export type SendCheck = Static<typeof SendCheck>;
