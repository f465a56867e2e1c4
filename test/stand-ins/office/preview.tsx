import {
  Badge,
  Body1,
  Body1Strong,
  Caption1,
  Divider,
  Field,
  FluentProvider,
  makeStyles,
  mergeClasses,
  MessageBar,
  MessageBarBody,
  Select,
  Switch,
  Title3,
  tokens,
  webDarkTheme,
  webLightTheme
} from '@fluentui/react-components';
import { useCallback, useMemo, useRef, useState, type RefObject } from 'react';
import { createRoot } from 'react-dom/client';
import {
  DEMO_MESSAGE_IDS,
  DEMO_SHARED_MAILBOX,
  demoMailbox,
  demoSharedMailbox,
  type DemoEvent,
  type DemoMessage
} from '../../../src/stand-ins/demo-mailbox.js';
import {
  demoAppointment,
  STATE_PARAMETERS,
  type HostState,
  type OfficeStandInControl,
  type ThemeName
} from './stand-in.js';

/*
 * Click through the product without Outlook: a short mail list on the left drives the Office stand-in of the
 * real task pane on the right (/taskpane.html?standIn=1, same origin, 360 px wide like Outlook's pane).
 * Selecting a message is Outlook's ItemChanged; a meeting of the calendar opens its calendar item (Log this
 * meeting; the Graph stand-in serves its event); "Compose reply" opens the draft reply in compose mode; the
 * switches change Outlook's theme (live) and display language (on the next load, as in Office).
 * The preview's own state parameters (?message=…&theme=dark&lang=fi-FI&mode=compose) start the pane there.
 */

const LANGUAGES = [
  { locale: 'en-US', label: 'English' },
  { locale: 'ru-RU', label: 'Русский' },
  { locale: 'fi-FI', label: 'Suomi' },
  { locale: 'sv-SE', label: 'Svenska' },
  { locale: 'it-IT', label: 'Italiano' },
  { locale: 'is-IS', label: 'Íslenska' }
];
const PANE_WIDTH = 360;

type StandInWindow = Window & { officeStandIn?: OfficeStandInControl };

const useStyles = makeStyles({
  page: {
    display: 'grid',
    gridTemplateColumns: `minmax(280px, 1fr) ${PANE_WIDTH}px`,
    height: '100%',
    backgroundColor: tokens.colorNeutralBackground2,
    color: tokens.colorNeutralForeground1
  },
  side: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalL}`,
    overflowY: 'auto',
    minWidth: 0
  },
  header: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, '& > *': { margin: 0 } },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '2px' },
  row: {
    display: 'grid',
    gridTemplateColumns: '1fr auto',
    gap: `0 ${tokens.spacingHorizontalS}`,
    width: '100%',
    textAlign: 'start',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    border: `1px solid transparent`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    color: 'inherit',
    font: 'inherit',
    cursor: 'pointer',
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}` }
  },
  selected: {
    backgroundColor: tokens.colorBrandBackground2,
    border: `1px solid ${tokens.colorBrandStroke1}`,
    ':hover': { backgroundColor: tokens.colorBrandBackground2Hover }
  },
  count: { justifySelf: 'end' },
  ellipsis: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', minWidth: 0 },
  controls: { display: 'flex', flexWrap: 'wrap', alignItems: 'end', gap: tokens.spacingHorizontalL },
  pane: {
    width: `${PANE_WIDTH}px`,
    height: '100%',
    border: 'none',
    borderLeft: `1px solid ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground1
  }
});

const when = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

interface Conversation {
  latest: DemoMessage;
  count: number;
  /** Everyone on the thread but the mailbox owner, as Outlook's conversation view lists them. */
  people: string;
}

/** One row per conversation: its latest message (drafts aside), newest conversation first. */
function conversations(messages: DemoMessage[], owner: string): Conversation[] {
  const byThread = new Map<string, DemoMessage[]>();
  for (const message of messages) {
    if (message.graph.isDraft) continue;
    byThread.set(message.thread, [...(byThread.get(message.thread) ?? []), message]);
  }
  return [...byThread.values()]
    .map((thread) => {
      const names = new Set<string>();
      for (const { graph } of thread) {
        for (const { emailAddress } of [graph.from, ...graph.toRecipients, ...graph.ccRecipients]) {
          if (emailAddress.address !== owner) names.add(emailAddress.name);
        }
      }
      return { latest: thread[0] as DemoMessage, count: thread.length, people: [...names].join(', ') };
    })
    .sort((a, b) => Date.parse(b.latest.graph.receivedDateTime) - Date.parse(a.latest.graph.receivedDateTime));
}

/** The pane's first URL: the stand-in, starting in the state the preview's own URL names. */
function paneUrl(): string {
  const own = new URLSearchParams(window.location.search);
  const pane = new URLSearchParams({ standIn: '1' });
  // devRoles is the pane's own (dev tokens with Manager or Admin): the team and admin views.
  for (const name of [...STATE_PARAMETERS, 'devRoles']) {
    const value = own.get(name);
    if (value !== null) pane.set(name, value);
  }
  return `/taskpane.html?${pane.toString()}`;
}

/** The stand-in inside the pane's frame, rebound whenever the pane reloads (as Outlook reloads it). */
function useStandIn(frame: RefObject<HTMLIFrameElement | null>) {
  const [control, setControl] = useState<OfficeStandInControl | null>(null);
  const [host, setHost] = useState<HostState | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [language, setLanguage] = useState<string | null>(null);

  // The pane reloads when Outlook would reload it (compose mode, a new language): bind to each new page.
  const bind = useCallback(() => {
    const standIn = (frame.current?.contentWindow as StandInWindow | null)?.officeStandIn;
    if (!standIn) {
      setControl(null);
      setProblem(
        'The pane did not load the Office stand-in. Is the server in dev mode (AUTH_MODE=dev), and was the pane built with `npm run build:pane:dev`?'
      );
      return;
    }
    setProblem(null);
    setControl(standIn);
    setHost(standIn.state);
    setLanguage(standIn.state.language);
  }, [frame]);

  const act = useCallback(
    async (action: (standIn: OfficeStandInControl) => Promise<void> | void) => {
      if (!control) return;
      try {
        await action(control);
        setHost(control.state);
      } catch (error) {
        setProblem(error instanceof Error ? error.message : String(error));
      }
    },
    [control]
  );
  return { control, host, problem, language, setLanguage, bind, act };
}

type Act = ReturnType<typeof useStandIn>['act'];

function HostControls({
  theme,
  language,
  disabled,
  act,
  onLanguage
}: {
  theme: ThemeName;
  language: string | null;
  disabled: boolean;
  act: Act;
  onLanguage: (locale: string) => void;
}) {
  const styles = useStyles();
  return (
    <div className={styles.controls}>
      <Switch
        label="Dark theme"
        checked={theme === 'dark'}
        disabled={disabled}
        onChange={(_event, data) => void act((standIn) => standIn.setTheme(data.checked ? 'dark' : 'light'))}
      />
      <Field label="Outlook language (reloads the pane)">
        <Select
          value={language ?? 'en-US'}
          disabled={disabled}
          onChange={(_event, data) => {
            onLanguage(data.value);
            void act((standIn) => {
              standIn.setLanguage(data.value);
              standIn.reload();
            });
          }}
        >
          {LANGUAGES.map(({ locale, label }) => (
            <option key={locale} value={locale}>
              {label}
            </option>
          ))}
        </Select>
      </Field>
    </div>
  );
}

function ConversationList({
  rows,
  selectedThread,
  disabled,
  act
}: {
  rows: Conversation[];
  /** The open conversation, unless a draft is being written. */
  selectedThread: string | undefined;
  disabled: boolean;
  act: Act;
}) {
  const styles = useStyles();
  return (
    <ul className={styles.list} aria-label="Messages">
      {rows.map(({ latest, count, people }) => {
        const selected = latest.thread === selectedThread;
        return (
          <li key={latest.graph.id}>
            <button
              type="button"
              className={mergeClasses(styles.row, selected && styles.selected)}
              aria-pressed={selected}
              disabled={disabled}
              onClick={() => void act((standIn) => standIn.selectMessage(latest.graph.id))}
            >
              <Body1Strong className={styles.ellipsis}>{people}</Body1Strong>
              <Caption1>{when.format(new Date(latest.graph.receivedDateTime))}</Caption1>
              <Body1 className={styles.ellipsis}>{latest.graph.subject}</Body1>
              {count > 1 ? (
                <Badge className={styles.count} appearance="tint" size="small" aria-label={`${count} messages`}>
                  {count}
                </Badge>
              ) : (
                <span />
              )}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

/** Ana's meetings: each opens its calendar item, the organizer's form where she organized it. */
function CalendarList({ events, disabled, act }: { events: DemoEvent[]; disabled: boolean; act: Act }) {
  const styles = useStyles();
  return (
    <ul className={styles.list} aria-label="Calendar">
      {events.map((event) => (
        <li key={event.graph.id}>
          <button
            type="button"
            className={styles.row}
            disabled={disabled}
            onClick={() =>
              void act((standIn) =>
                standIn.openAppointment(demoAppointment(event), { organizer: event.graph.isOrganizer })
              )
            }
          >
            <Body1Strong className={styles.ellipsis}>{event.graph.organizer.emailAddress.name}</Body1Strong>
            <Caption1>{when.format(new Date(`${event.graph.start.dateTime.slice(0, 19)}Z`))}</Caption1>
            <Body1 className={styles.ellipsis}>{event.graph.subject}</Body1>
            <span />
          </button>
        </li>
      ))}
    </ul>
  );
}

/** A host state that is not a conversation (composing, nothing selected), chosen like one. */
function StateButton({
  name,
  description,
  selected,
  disabled,
  onClick
}: {
  name: string;
  description: string;
  selected: boolean;
  disabled: boolean;
  onClick: () => void;
}) {
  const styles = useStyles();
  return (
    <li>
      <button
        type="button"
        className={mergeClasses(styles.row, selected && styles.selected)}
        aria-pressed={selected}
        disabled={disabled}
        onClick={onClick}
      >
        <Body1Strong>{name}</Body1Strong>
        <span />
        <Body1 className={styles.ellipsis}>{description}</Body1>
      </button>
    </li>
  );
}

function OtherStates({
  composing,
  nothingSelected,
  several,
  disabled,
  act
}: {
  composing: boolean;
  nothingSelected: boolean;
  /** Every conversation's latest received message: selected at once (item multi-select, Mailbox 1.13). */
  several: string[];
  disabled: boolean;
  act: Act;
}) {
  const styles = useStyles();
  return (
    <ul className={styles.list} aria-label="Other states">
      <StateButton
        name="Compose reply"
        description="Ana’s draft reply to Lena Berg (compose mode)"
        selected={composing}
        disabled={disabled}
        onClick={() => void act((standIn) => standIn.compose(DEMO_MESSAGE_IDS.composeDraft))}
      />
      <StateButton
        name="No selection"
        description="The pinned pane with no message open"
        selected={nothingSelected}
        disabled={disabled}
        onClick={() => void act((standIn) => standIn.selectMessage(null))}
      />
      <StateButton
        name="Several selected"
        description={`The latest message of ${several.length} conversations, selected at once (Log selected)`}
        selected={false}
        disabled={disabled}
        onClick={() => void act((standIn) => standIn.selectMessages(several))}
      />
    </ul>
  );
}

function Preview() {
  const styles = useStyles();
  const frame = useRef<HTMLIFrameElement>(null);
  const [source] = useState(paneUrl);
  const [mailbox] = useState(() => demoMailbox());
  const messages = mailbox.messages;
  const rows = useMemo(() => conversations(messages, mailbox.user.emailAddress), [messages, mailbox]);
  // The team's shared mailbox, which Outlook lists beside Ana's own (issue 21).
  const [shared] = useState(() => demoSharedMailbox());
  const sharedRows = useMemo(() => conversations(shared, DEMO_SHARED_MAILBOX.emailAddress), [shared]);
  const { control, host, problem, language, setLanguage, bind, act } = useStandIn(frame);
  const theme: ThemeName = host?.theme ?? 'light';

  const selectedId = host?.messageId ?? null;
  const composing = host?.mode === 'compose';
  const selectedThread = useMemo(
    () => [...messages, ...shared].find((m) => m.graph.id === selectedId || m.restId === selectedId)?.thread,
    [messages, shared, selectedId]
  );

  return (
    <FluentProvider theme={theme === 'dark' ? webDarkTheme : webLightTheme} style={{ height: '100%' }}>
      <div className={styles.page}>
        <main className={styles.side}>
          <header className={styles.header}>
            <Title3 as="h1">Interaction log without Outlook</Title3>
            <Body1 as="p">
              Pick a message as you would in Outlook; the pane on the right is the real task pane, with a stand-in for
              Office.js and Ana López’s demo mailbox behind a stand-in for Microsoft Graph.
            </Body1>
          </header>
          <HostControls theme={theme} language={language} disabled={!control} act={act} onLanguage={setLanguage} />
          {problem && (
            <MessageBar intent="warning">
              <MessageBarBody>{problem}</MessageBarBody>
            </MessageBar>
          )}
          <Divider />
          <Body1Strong as="h2">Inbox and sent mail</Body1Strong>
          <ConversationList
            rows={rows}
            selectedThread={composing ? undefined : selectedThread}
            disabled={!control}
            act={act}
          />
          <Divider />
          <Body1Strong as="h2">Shared mailbox {DEMO_SHARED_MAILBOX.emailAddress}</Body1Strong>
          <ConversationList
            rows={sharedRows}
            selectedThread={composing ? undefined : selectedThread}
            disabled={!control}
            act={act}
          />
          <Divider />
          <Body1Strong as="h2">Calendar</Body1Strong>
          <CalendarList events={mailbox.events} disabled={!control} act={act} />
          <Divider />
          <OtherStates
            composing={composing}
            nothingSelected={host !== null && selectedId === null}
            several={rows.filter((row) => !row.latest.graph.isDraft).map((row) => row.latest.graph.id)}
            disabled={!control}
            act={act}
          />
          <Caption1>
            {host ? `Pane: ${host.mode} mode · ${host.theme} theme · ${host.language}` : 'Pane: loading…'}
          </Caption1>
        </main>
        <iframe ref={frame} className={styles.pane} src={source} title="Interaction log task pane" onLoad={bind} />
      </div>
    </FluentProvider>
  );
}

const container = document.getElementById('root');
if (container) createRoot(container).render(<Preview />);
