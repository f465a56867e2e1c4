import { GRAPH_EVENT_PROPERTIES } from '../demo-mailbox.js';

/*
 * One mailbox's calendar as Graph's event resource shows it (issue 21: a meeting read from the calendar): events
 * seeded in Graph's own shape, found by either form of their id, rendered with their default property set and
 * the id form the caller prefers. Pure state, no HTTP; graph-api.ts routes /events to it through MailboxState.
 */

/** An event as Graph returns it with `Prefer: IdType="ImmutableId"` (`graph.id` immutable), and its regular id. */
export interface SeedEvent {
  graph: { id: string; changeKey: string } & Partial<Record<EventProperty, unknown>>;
  restId: string;
}

export type EventProperty = (typeof GRAPH_EVENT_PROPERTIES)[number];

export interface StoredEvent {
  immutableId: string;
  restId: string;
  changeKey: string;
  graph: Record<string, unknown>;
}

/** Everything $select may name on an event here: Graph's default property set. */
export const EVENT_PROPERTIES: readonly string[] = GRAPH_EVENT_PROPERTIES;

/**
 * What delegated Calendars.ReadBasic (and application Calendars.ReadBasic.All) do not give: "events in user
 * calendars, except for properties such as body, attachments, and extensions" (Microsoft Graph permissions
 * reference, https://learn.microsoft.com/graph/permissions-reference#calendarsreadbasic). bodyPreview is the body's
 * start, so it goes with it; attachments and extensions are not served here at all.
 */
export const NOT_BASIC_EVENT_PROPERTIES: readonly string[] = ['body', 'bodyPreview'];

export class Calendar {
  private readonly byImmutableId = new Map<string, StoredEvent>();
  private readonly byRestId = new Map<string, StoredEvent>();

  seed(events: SeedEvent[]): StoredEvent[] {
    return events.map(({ graph, restId }) => {
      const stored = { immutableId: graph.id, restId, changeKey: graph.changeKey, graph: structuredClone(graph) };
      this.byImmutableId.set(stored.immutableId, stored);
      this.byRestId.set(stored.restId, stored);
      return stored;
    });
  }

  /** An event by either form of its id. */
  find(id: string): StoredEvent | undefined {
    return this.byImmutableId.get(id) ?? this.byRestId.get(id);
  }

  /** The event with Graph's default property set, its id in the form asked for; `basic` leaves out the body. */
  render(event: StoredEvent, immutable: boolean, basic: boolean): Record<string, unknown> {
    const rendered: Record<string, unknown> = { '@odata.etag': `W/"${event.changeKey}"` };
    for (const property of EVENT_PROPERTIES) {
      if (basic && NOT_BASIC_EVENT_PROPERTIES.includes(property)) continue;
      if (property in event.graph) rendered[property] = structuredClone(event.graph[property]);
    }
    rendered.id = immutable ? event.immutableId : event.restId;
    return rendered;
  }
}
