import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Problem } from '../../../shared/schemas/common.js';
import { SendCheck, SendCheckQuery, type SendCheckOpportunity } from '../../../shared/schemas/compose.js';
import { principalOf } from '../../auth/authenticate.js';
import { historyScopeFor, type ScopeSources } from '../../usecases/access.js';
import { addressParameter } from '../query.js';

const errors = { 400: Problem, 401: Problem, 403: Problem };
/** A recipient's open opportunities the prompt may name: it names the newest, the rest are in the pane. */
const PER_RECIPIENT = 5;

/** What the send-time prompt needs, in one request. */
export const composeRoutes: FastifyPluginAsyncTypebox<ScopeSources> = async (app, sources) => {
  const { store } = sources;
  app.get(
    '/compose/send-check',
    {
      schema: {
        tags: ['compose'],
        operationId: 'sendCheck',
        summary: "At Send: whether to prompt, and the recipients' open opportunities",
        querystring: SendCheckQuery,
        response: { 200: SendCheck, ...errors }
      }
    },
    async (request) => {
      const principal = principalOf(request);
      const recipients = [
        ...new Set(request.query.recipient.map((value) => addressParameter(value, 'recipient') ?? ''))
      ];
      const { sendPrompt } = await store.settings.get(principal.tenantId);
      if (!sendPrompt) return { prompt: false, opportunities: [] };
      const scope = await historyScopeFor(sources, principal);
      const found = new Map<string, SendCheckOpportunity>();
      const companies = new Map<string, string | null>();
      for (const correspondent of recipients) {
        const page = await store.opportunities.list(principal.tenantId, {
          scope,
          correspondent,
          status: 'open',
          limit: PER_RECIPIENT
        });
        for (const opportunity of page.items) {
          if (found.has(opportunity.id)) continue;
          if (!companies.has(opportunity.contactId)) {
            const contact = await store.directory.getContact(principal.tenantId, opportunity.contactId);
            companies.set(opportunity.contactId, contact.company);
          }
          found.set(opportunity.id, {
            id: opportunity.id,
            description: opportunity.description,
            contactName: opportunity.contact.name,
            company: companies.get(opportunity.contactId) ?? null
          });
        }
      }
      return { prompt: true, opportunities: [...found.values()] };
    }
  );
};
