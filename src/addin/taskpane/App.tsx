import {
  Button,
  Caption1,
  Divider,
  FluentProvider,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  tokens,
  webDarkTheme,
  webLightTheme
} from '@fluentui/react-components';
import {
  ArrowLeftRegular,
  CheckmarkCircleRegular,
  CircleRegular,
  LightbulbRegular,
  NoteAddRegular,
  PersonAddRegular
} from '@fluentui/react-icons';
import { lazy, memo, Suspense, useEffect, useMemo, useState } from 'react';
import { normalizeEmail } from '../../shared/email.js';
import type { Contact } from '../../shared/schemas/directory.js';
import type { MessageStatus as MessageStatusData } from '../../shared/schemas/interaction.js';
import type { Opportunity } from '../../shared/schemas/opportunity.js';
import { isExternal, ourSide, participantsOf, pickCorrespondent } from '../domain/correspondent.js';
import type { Translator } from '../i18n/index.js';
import type { MailItem, Participant, SelectedMessage, ThemeName } from '../office/types.js';
import { History } from './components/History.js';
import { HistorySearch } from './components/HistorySearch.js';
import { LogMeetingAction } from './components/LogMeeting.js';
import { LogThreadAction } from './components/LogThread.js';
import { Opportunities } from './components/Opportunities.js';
import { PersonHeader, PersonSwitcher } from './components/PersonHeader.js';
import { ErrorState, NoItem, PaneSkeleton, PartError } from './components/States.js';
import { useHistorySearch, useMessageStatus, useOpportunityNames, usePersonData, type PersonData } from './data.js';
import { useDialogSlot } from './components/dialog-slot.js';
import { useServices } from './services.js';

// Dialogs are downloaded when first opened, keeping the first load small.
const AddContactDialog = lazy(() => import(/* webpackChunkName: "dialogs" */ './components/AddContact.js'));
// The compose marks only matter while writing: their chunk is not in the reading pane's first load.
const ComposeMarks = lazy(() => import(/* webpackChunkName: "compose" */ './components/ComposeMarks.js'));
const CreateOpportunityDialog = lazy(
  () => import(/* webpackChunkName: "dialogs" */ './components/CreateOpportunity.js')
);
const OpportunityView = lazy(() => import(/* webpackChunkName: "dialogs" */ './components/OpportunityView.js'));
const AddNoteDialog = lazy(() => import(/* webpackChunkName: "dialogs" */ './components/AddNote.js'));
// The team view is for managers only, the admin view for admins: salespeople download neither.
const TeamView = lazy(() => import(/* webpackChunkName: "team" */ './team/TeamView.js'));
const AdminView = lazy(() => import(/* webpackChunkName: "admin" */ './admin/AdminView.js'));
// Several messages selected at once is the rarer case: Log selected is not in the first load.
const LogSelectedAction = lazy(() => import(/* webpackChunkName: "selected" */ './components/LogSelected.js'));

const useStyles = makeStyles({
  // The provider's own class also goes to every portal layer (popups, dialogs), which Fluent lays over the whole
  // page: the pane's full height belongs on an element of its own, or an opened popup covers the pane.
  page: { minHeight: '100vh' },
  // The browser's own parts of controls (a date field's calendar icon, scrollbars) follow Outlook's theme; on the
  // provider, so that dialogs and popups in portal layers follow it too.
  light: { colorScheme: 'light' },
  dark: { colorScheme: 'dark' },
  main: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalM,
    maxWidth: '640px'
  },
  actions: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  status: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    color: tokens.colorNeutralForeground2
  },
  logged: { color: tokens.colorPaletteGreenForeground1 },
  viewBar: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  viewSwitch: { marginLeft: 'auto', display: 'flex', gap: tokens.spacingHorizontalXS }
});

/**
 * A state update that keeps the current value when the new one holds the same plain data. Outlook and the API answer
 * with new objects each time; kept as they are, an unchanged item, selection or role list would draw the whole pane
 * again, right while the history is on its way.
 */
const unlessSame =
  <T,>(next: T) =>
  (current: T): T =>
    JSON.stringify(current) === JSON.stringify(next) ? current : next;

/**
 * The signed-in user's app roles (none until known). Asked after the first frame, so the open item's history
 * is never kept waiting for it.
 */
function useRoles(): string[] {
  const { api } = useServices();
  const [roles, setRoles] = useState<string[]>([]);
  useEffect(() => {
    let cancelled = false;
    api.me().then(
      (me) => !cancelled && setRoles(unlessSame(me.roles)),
      () => undefined // the item view reports sign-in and network problems
    );
    return () => {
      cancelled = true;
    };
  }, [api]);
  return roles;
}

type View = 'item' | 'team' | 'admin';

/** Outlook's theme, followed as the user changes it. */
function useTheme(): ThemeName {
  const { host } = useServices();
  const [theme, setTheme] = useState<ThemeName>(() => host.theme());
  useEffect(() => host.onThemeChanged(setTheme), [host]);
  return theme;
}

/**
 * The open item (undefined until known, null when none) and the view shown, followed as the user moves through the
 * mailbox with the pane pinned: opening another message shows that message, whichever view was open.
 */
function useOpenItem(firstItem: MailItem | null | undefined) {
  const { host } = useServices();
  const [item, setItem] = useState<MailItem | null | undefined>(firstItem);
  const [view, setView] = useState<View>('item');
  useEffect(() => {
    let latest = 0;
    const load = () => {
      const ticket = ++latest;
      host.currentItem().then(
        (next) => ticket === latest && setItem(unlessSame<MailItem | null | undefined>(next)),
        () => ticket === latest && setItem(null)
      );
    };
    load();
    return host.onItemChanged(() => {
      setView('item');
      load();
    });
  }, [host]);
  return { item, view, setView };
}

/**
 * The messages selected at once, followed as the selection changes; always empty on clients before Mailbox 1.13,
 * which have no selection to read.
 */
function useSelection(): SelectedMessage[] {
  const { host } = useServices();
  const [selected, setSelected] = useState<SelectedMessage[]>([]);
  useEffect(() => {
    const selection = host.selection;
    if (!selection) return undefined;
    let latest = 0;
    const load = () => {
      const ticket = ++latest;
      selection.read().then(
        (next) => ticket === latest && setSelected(unlessSame(next)),
        () => ticket === latest && setSelected([])
      );
    };
    load();
    return selection.onChanged(load);
  }, [host]);
  return selected;
}

/**
 * The open item and theme, followed as the user moves through the mailbox with the pane pinned. `firstItem`, when
 * the entry has read it already, is drawn in the very first frame.
 */
export function App({ firstItem }: { firstItem?: MailItem | null }) {
  const { i18n } = useServices();
  const styles = useStyles();
  const theme = useTheme();
  const { item, view, setView } = useOpenItem(firstItem);
  const selected = useSelection();
  const roles = useRoles();
  const canViewTeam = roles.includes('Manager') || roles.includes('Admin');
  const canAdminister = roles.includes('Admin');
  const shown = (view === 'team' && canViewTeam) || (view === 'admin' && canAdminister) ? view : 'item';

  return (
    <FluentProvider
      theme={theme === 'dark' ? webDarkTheme : webLightTheme}
      className={theme === 'dark' ? styles.dark : styles.light}
      lang={i18n.tag}
    >
      <div className={styles.page}>
        <main className={styles.main} aria-label={i18n.t('appTitle')}>
          {(canViewTeam || canAdminister) && (
            <ViewBar view={view} views={{ team: canViewTeam, admin: canAdminister }} onSwitch={setView} />
          )}
          {shown === 'item' && selected.length > 1 ? (
            // Keyed by the selection: a new selection starts afresh.
            <Suspense key={selected.map((message) => message.ewsId).join(' ')} fallback={<PaneSkeleton />}>
              <LogSelectedAction messages={selected} />
            </Suspense>
          ) : shown === 'item' ? (
            <ItemOrNone item={item} />
          ) : (
            <Suspense fallback={<PaneSkeleton />}>{shown === 'team' ? <TeamView /> : <AdminView />}</Suspense>
          )}
        </main>
      </div>
    </FluentProvider>
  );
}

const VIEW_LABELS = { team: 'teamView', admin: 'adminView' } as const;

/** Back to the message, and the views the user's roles open (pressing an open one's button again closes it). */
function ViewBar({
  view,
  views,
  onSwitch
}: {
  view: View;
  views: Record<'team' | 'admin', boolean>;
  onSwitch: (view: View) => void;
}) {
  const { i18n } = useServices();
  const styles = useStyles();
  const offered = (['team', 'admin'] as const).filter((name) => views[name]);
  return (
    <div className={styles.viewBar}>
      {view !== 'item' && (
        <Button size="small" appearance="subtle" icon={<ArrowLeftRegular />} onClick={() => onSwitch('item')}>
          {i18n.t('backToMessage')}
        </Button>
      )}
      {/* Pressed-state buttons rather than tabs or a ToggleButton: their code would be in every salesperson's first load. */}
      <div className={styles.viewSwitch}>
        {offered.map((name) => (
          <Button
            key={name}
            size="small"
            appearance={view === name ? 'primary' : 'secondary'}
            aria-pressed={view === name}
            onClick={() => onSwitch(view === name ? 'item' : name)}
          >
            {i18n.t(VIEW_LABELS[name])}
          </Button>
        ))}
      </div>
    </div>
  );
}

/** Memoized: the view bar's roles and the selection change above it without redrawing the open item. */
const ItemOrNone = memo(function ItemOrNone({ item }: { item: MailItem | null | undefined }) {
  if (item === undefined) return <PaneSkeleton />;
  if (item === null) return <NoItem />;
  return <ItemView key={itemKey(item)} item={item} />;
});

const marked = new Set<string>();
/** A performance mark the benchmark reads, the first time only (the first screen, the history on screen). */
function markOnce(name: string) {
  if (marked.has(name)) return;
  marked.add(name);
  performance.mark?.(name);
}

const itemKey = (item: MailItem) =>
  `${item.mode}:${item.ewsId ?? item.internetMessageId ?? item.officeConversationId ?? ''}:${item.subject}`;

function ItemView({ item }: { item: MailItem }) {
  const { host, i18n } = useServices();
  const people = useMemo(() => participantsOf(item, host.user), [item, host.user]);
  const [selected, setSelected] = useState<Participant | null>(() => pickCorrespondent(item, host.user));
  // Marks travel with a message being written; a meeting being organized has none.
  const marks = item.mode === 'compose' && !item.meeting && (
    <Suspense fallback={null}>
      <ComposeMarks item={item} />
    </Suspense>
  );
  if (people.length === 0) {
    return (
      <>
        {marks}
        <NoItem text={i18n.t('noParticipantsText')} />
      </>
    );
  }
  return (
    <>
      {marks}
      <PersonSwitcher people={people} selected={selected} onSelect={setSelected} />
      {selected ? (
        <PersonView key={normalizeEmail(selected.email) ?? selected.email} person={selected} item={item} />
      ) : (
        <NoItem title={i18n.t('internalOnlyTitle')} text={i18n.t('internalOnlyText')} />
      )}
    </>
  );
}

type PersonDialog = 'contact' | 'opportunity' | 'note';

/** After a change made from the person view: its notice, and what must be read again. */
function usePersonChanges(reload: () => void) {
  const [notice, setNotice] = useState<string | null>(null);
  // Bumped after every change: the message's status and a search are read again.
  const [statusVersion, setStatusVersion] = useState(0);
  // Bumped when the person becomes a contact: the log action starts afresh, its earlier result no longer true.
  const [contactVersion, setContactVersion] = useState(0);
  const afterChange = (message?: string) => {
    setNotice(message ?? null);
    setStatusVersion((v) => v + 1);
    reload();
  };
  const afterContactAdded = (message: string) => {
    setContactVersion((v) => v + 1);
    afterChange(message);
  };
  return { notice, statusVersion, contactVersion, afterChange, afterContactAdded };
}

/** The person stays on screen above the error, whenever it came (a refused silent sign-in can beat the first frame). */
function PersonError({ person, error, onRetry }: { person: Participant; error: unknown; onRetry: () => void }) {
  return (
    <>
      <PersonHeader person={person} contact={undefined} />
      <ErrorState error={error} onRetry={onRetry} />
    </>
  );
}

/**
 * The person's header and actions come from the open item, so they are drawn at once; the contact, the
 * opportunities and the history fill in below when the API answers (the buttons that need a contact wait for it).
 */
function PersonView({ person, item }: { person: Participant; item: MailItem }) {
  const { host, i18n } = useServices();
  const { state, reload, retry, loadMore, loadingMore } = usePersonData(person.email);
  const { notice, statusVersion, contactVersion, afterChange, afterContactAdded } = usePersonChanges(reload);
  const status = useMessageStatus(item.internetMessageId, statusVersion);
  const dialogs = useDialogSlot<PersonDialog>();
  const [openOpportunity, setOpenOpportunity] = useState<string | null>(null);
  // Kept here, not in PersonHistory: a search stays as it was while an opportunity is open.
  const [query, setQuery] = useState('');
  const search = useHistorySearch(person.email, query, statusVersion);
  const data = state.status === 'ready' ? state.data : null;
  // The benchmark's marks: the header and actions on screen (before any answer), then the history.
  useEffect(() => markOnce('pane:first-screen'), []);
  useEffect(() => {
    if (data) markOnce('pane:history-rendered');
  }, [data]);

  if (state.status === 'error') return <PersonError person={person} error={state.error} onRetry={retry} />;
  // Undefined until the API has said whether the person is a contact.
  const contact = data ? data.contact : undefined;
  const external = isExternal(person, ourSide(item, host.user));

  if (openOpportunity && data) {
    return (
      <Suspense fallback={<PaneSkeleton />}>
        <OpportunityView
          opportunityId={openOpportunity}
          openOpportunities={data.opportunities}
          onBack={() => setOpenOpportunity(null)}
          onChanged={reload}
        />
      </Suspense>
    );
  }

  return (
    <>
      <PersonHeader person={person} contact={contact} />
      {item.mode === 'read' && status && <MessageStatus status={status} />}
      {item.mode === 'compose' && !item.meeting && <Caption1>{i18n.t('composeNote')}</Caption1>}
      {contact === null && external && <AddContactHint name={person.name} onAdd={() => dialogs.open('contact')} />}
      <PersonActions
        item={item}
        logged={item.mode === 'read' && status?.logged === true}
        logVersion={contactVersion}
        contactActions={
          external ? { hasContact: contact === undefined ? undefined : contact !== null, onOpen: dialogs.open } : null
        }
        onLogged={() => afterChange()}
      />
      {data ? (
        <>
          <PersonDialogs
            slot={dialogs}
            person={person}
            contact={data.contact}
            item={item}
            opportunities={data.opportunities}
            onContactAdded={(added) => afterContactAdded(i18n.t('contactAdded', { name: added.name }))}
            onDone={afterChange}
          />
          {notice && (
            <MessageBar intent="success" role="status">
              <MessageBarBody>{notice}</MessageBarBody>
            </MessageBar>
          )}
          <Divider />
          <PersonLists
            person={person}
            external={external}
            data={data}
            lists={{ paging: { loadMore, loadingMore }, search, query, onSearch: setQuery }}
            onRetry={reload}
            onOpenOpportunity={setOpenOpportunity}
          />
        </>
      ) : (
        <PaneSkeleton lists />
      )}
    </>
  );
}

/** The person's open opportunities (for a contact) over the history. */
function PersonLists({
  person,
  external,
  data,
  lists,
  onRetry,
  onOpenOpportunity
}: {
  person: Participant;
  external: boolean;
  data: PersonData;
  lists: Pick<Parameters<typeof PersonHistory>[0], 'paging' | 'search' | 'query' | 'onSearch'>;
  onRetry: () => void;
  onOpenOpportunity: (id: string) => void;
}) {
  const { i18n } = useServices();
  const { contact, opportunities, opportunitiesError } = data;
  return (
    <>
      {contact &&
        (opportunitiesError ? (
          <PartError title={i18n.t('opportunitiesTitle')} error={opportunitiesError} onRetry={onRetry} />
        ) : (
          <Opportunities items={opportunities} onOpen={onOpenOpportunity} />
        ))}
      <PersonHistory
        person={person}
        contact={contact}
        external={external}
        data={data}
        {...lists}
        onRetry={onRetry}
        onOpenOpportunity={onOpenOpportunity}
      />
    </>
  );
}

/** The history with the person, or what a search in it found. */
function PersonHistory({
  person,
  contact,
  external,
  data: { history, nextCursor, historyError, opportunities },
  paging,
  search,
  query,
  onSearch,
  onRetry,
  onOpenOpportunity
}: {
  person: Participant;
  contact: Contact | null;
  external: boolean;
  data: PersonData;
  paging: { loadMore: () => void; loadingMore: boolean };
  search: ReturnType<typeof useHistorySearch>;
  query: string;
  onSearch: (query: string) => void;
  onRetry: () => void;
  onOpenOpportunity: (id: string) => void;
}) {
  const { i18n } = useServices();
  const opportunityNames = useOpportunityNames([...history, ...(search.state?.data?.items ?? [])], opportunities);
  const shared = { personName: contact?.name ?? person.name, opportunityNames, onOpenOpportunity };
  return (
    <>
      {contact && <HistorySearch onSearch={onSearch} />}
      {search.state ? (
        <History
          {...shared}
          items={search.state.data?.items ?? []}
          hasMore={Boolean(search.state.data?.nextCursor)}
          loadingMore={search.loadingMore}
          onLoadMore={search.loadMore}
          emptyText={searchEmptyText(search.state.status, query, i18n)}
        />
      ) : historyError ? (
        <PartError title={i18n.t('historyTitle')} error={historyError} onRetry={onRetry} />
      ) : (
        <History
          {...shared}
          items={history}
          hasMore={nextCursor !== null}
          loadingMore={paging.loadingMore}
          onLoadMore={paging.loadMore}
          {...(contact === null
            ? { emptyText: i18n.t(external ? 'historyNotContact' : 'colleagueText', { name: person.name }) }
            : {})}
        />
      )}
    </>
  );
}

/** What an empty search result says: still looking, failed, or nothing found. */
function searchEmptyText(status: 'loading' | 'ready' | 'error', query: string, i18n: Translator): string {
  if (status === 'loading') return i18n.t('loading');
  if (status === 'error') return i18n.t('errorTitle');
  return i18n.t('searchNoResults', { query });
}

/** Logging keeps email with contacts: said before the user tries, with the way to get there. */
function AddContactHint({ name, onAdd }: { name: string; onAdd: () => void }) {
  const { i18n } = useServices();
  return (
    <MessageBar intent="info" layout="multiline" role="note">
      <MessageBarBody>{i18n.t('logNeedsContact', { name })}</MessageBarBody>
      <MessageBarActions>
        <Button icon={<PersonAddRegular />} onClick={onAdd}>
          {i18n.t('addContact')}
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}

/** Whether the open message is logged, by whom and when. */
function MessageStatus({ status }: { status: MessageStatusData }) {
  const { i18n } = useServices();
  const styles = useStyles();
  return (
    <Caption1 className={styles.status} role="status">
      {status.logged ? <CheckmarkCircleRegular className={styles.logged} aria-hidden /> : <CircleRegular aria-hidden />}
      {status.logged && status.loggedAt
        ? status.loggedBy
          ? i18n.t('loggedBy', { name: status.loggedBy.name, date: i18n.date(status.loggedAt) })
          : i18n.t('loggedAutomatically', { date: i18n.date(status.loggedAt) })
        : i18n.t('notLogged')}
    </Caption1>
  );
}

/**
 * Log this thread (on a calendar item, Log this meeting); for someone outside the organization also Create opportunity and Add note, which need the
 * person to be a contact first.
 */
function PersonActions({
  item,
  logged,
  logVersion,
  contactActions,
  onLogged
}: {
  item: MailItem;
  logged: boolean;
  /** A new value starts the log action afresh. */
  logVersion: number;
  /** Only for someone outside the organization; `hasContact` is undefined until the API has answered. */
  contactActions: { hasContact: boolean | undefined; onOpen: (dialog: PersonDialog) => void } | null;
  onLogged: () => void;
}) {
  const { i18n } = useServices();
  const styles = useStyles();
  const actions = [
    { dialog: 'opportunity', icon: <LightbulbRegular />, label: i18n.t('createOpportunity') },
    { dialog: 'note', icon: <NoteAddRegular />, label: i18n.t('addNote') }
  ] as const;
  return (
    <div className={styles.actions}>
      {item.meeting ? (
        <LogMeetingAction key={logVersion} item={item} onLogged={onLogged} />
      ) : (
        <LogThreadAction key={logVersion} item={item} logged={logged} onLogged={onLogged} />
      )}
      {contactActions &&
        actions.map(({ dialog, icon, label }) => (
          <Button
            key={dialog}
            icon={icon}
            disabled={!contactActions.hasContact}
            title={contactActions.hasContact === false ? i18n.t('needsContact') : undefined}
            onClick={() => contactActions.onOpen(dialog)}
          >
            {label}
          </Button>
        ))}
    </div>
  );
}

/** The person view's dialogs, downloaded when first opened. */
function PersonDialogs({
  slot: { dialog, close },
  person,
  contact,
  item,
  opportunities,
  onContactAdded,
  onDone
}: {
  slot: ReturnType<typeof useDialogSlot<PersonDialog>>;
  person: Participant;
  contact: Contact | null;
  item: MailItem;
  opportunities: Opportunity[];
  onContactAdded: (contact: Contact) => void;
  onDone: (message: string) => void;
}) {
  const { i18n } = useServices();
  if (!dialog) return null;
  const shown = { open: dialog.open, onClose: close };
  // Keyed by the opening: each dialog opened starts afresh.
  return (
    <Suspense key={dialog.serial} fallback={null}>
      {dialog.kind === 'contact' && <AddContactDialog {...shown} person={person} onAdded={onContactAdded} />}
      {dialog.kind === 'opportunity' && contact && (
        <CreateOpportunityDialog
          {...shown}
          item={item}
          contact={contact}
          openOpportunities={opportunities}
          onDone={onDone}
        />
      )}
      {dialog.kind === 'note' && contact && (
        <AddNoteDialog {...shown} contact={contact} onAdded={() => onDone(i18n.t('noteAdded'))} />
      )}
    </Suspense>
  );
}
