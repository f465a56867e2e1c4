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
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { normalizeEmail } from '../../shared/email.js';
import { isExternal, participantsOf, pickCorrespondent } from '../domain/correspondent.js';
import type { MailItem, Participant, ThemeName } from '../office/types.js';
import { History } from './components/History.js';
import { HistorySearch } from './components/HistorySearch.js';
import { LogThreadAction } from './components/LogThread.js';
import { Opportunities } from './components/Opportunities.js';
import { PersonHeader, PersonSwitcher } from './components/PersonHeader.js';
import { ErrorState, NoItem, PaneSkeleton, PartError } from './components/States.js';
import { useHistorySearch, useMessageStatus, useOpportunityNames, usePersonData } from './data.js';
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
 * The signed-in user's app roles (none until known). Asked after the first frame, so the open item's history
 * is never kept waiting for it.
 */
function useRoles(): string[] {
  const { api } = useServices();
  const [roles, setRoles] = useState<string[]>([]);
  useEffect(() => {
    let cancelled = false;
    api.me().then(
      (me) => !cancelled && setRoles(me.roles),
      () => undefined // the item view reports sign-in and network problems
    );
    return () => {
      cancelled = true;
    };
  }, [api]);
  return roles;
}

/** The open item and theme, followed as the user moves through the mailbox with the pane pinned. */
export function App() {
  const { host, i18n } = useServices();
  const styles = useStyles();
  const [theme, setTheme] = useState<ThemeName>(() => host.theme());
  const [item, setItem] = useState<MailItem | null | undefined>(undefined);
  const roles = useRoles();
  const canViewTeam = roles.includes('Manager') || roles.includes('Admin');
  const canAdminister = roles.includes('Admin');
  const [view, setView] = useState<'item' | 'team' | 'admin'>('item');
  const switchTo = (next: 'team' | 'admin') => setView(view === next ? 'item' : next);

  useEffect(() => host.onThemeChanged(setTheme), [host]);
  useEffect(() => {
    let latest = 0;
    const load = () => {
      const ticket = ++latest;
      host.currentItem().then(
        (next) => ticket === latest && setItem(next),
        () => ticket === latest && setItem(null)
      );
    };
    load();
    // With the pane pinned, opening another message shows that message, whichever view was open.
    return host.onItemChanged(() => {
      setView('item');
      load();
    });
  }, [host]);

  return (
    <FluentProvider
      theme={theme === 'dark' ? webDarkTheme : webLightTheme}
      className={theme === 'dark' ? styles.dark : styles.light}
      lang={i18n.tag}
    >
      <div className={styles.page}>
        <main className={styles.main} aria-label={i18n.t('appTitle')}>
          {(canViewTeam || canAdminister) && (
            <div className={styles.viewBar}>
              {view !== 'item' && (
                <Button size="small" appearance="subtle" icon={<ArrowLeftRegular />} onClick={() => setView('item')}>
                  {i18n.t('backToMessage')}
                </Button>
              )}
              {/* Pressed-state buttons rather than tabs or a ToggleButton: their code would be in every salesperson's first load. */}
              <div className={styles.viewSwitch}>
                {canViewTeam && (
                  <Button
                    size="small"
                    appearance={view === 'team' ? 'primary' : 'secondary'}
                    aria-pressed={view === 'team'}
                    onClick={() => switchTo('team')}
                  >
                    {i18n.t('teamView')}
                  </Button>
                )}
                {canAdminister && (
                  <Button
                    size="small"
                    appearance={view === 'admin' ? 'primary' : 'secondary'}
                    aria-pressed={view === 'admin'}
                    onClick={() => switchTo('admin')}
                  >
                    {i18n.t('adminView')}
                  </Button>
                )}
              </div>
            </div>
          )}
          {canViewTeam && view === 'team' ? (
            <Suspense fallback={<PaneSkeleton />}>
              <TeamView />
            </Suspense>
          ) : canAdminister && view === 'admin' ? (
            <Suspense fallback={<PaneSkeleton />}>
              <AdminView />
            </Suspense>
          ) : item === undefined ? (
            <PaneSkeleton />
          ) : item === null ? (
            <NoItem />
          ) : (
            <ItemView key={itemKey(item)} item={item} />
          )}
        </main>
      </div>
    </FluentProvider>
  );
}

const marked = new Set<string>();
/** A performance mark the benchmark reads: the first time the history is on screen. */
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
  const marks = item.mode === 'compose' && (
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

function PersonView({ person, item }: { person: Participant; item: MailItem }) {
  const { host, i18n } = useServices();
  const styles = useStyles();
  const { state, reload, retry, loadMore, loadingMore } = usePersonData(person.email);
  const [statusVersion, setStatusVersion] = useState(0);
  const status = useMessageStatus(item.internetMessageId, statusVersion);
  const [notice, setNotice] = useState<string | null>(null);
  // Bumped when the person becomes a contact: the log action starts afresh, its earlier result no longer true.
  const [contactVersion, setContactVersion] = useState(0);
  // A dialog stays mounted after it closes (and is replaced by the next one opened): unmounting an open
  // Fluent dialog would leave the rest of the pane hidden from screen readers.
  type DialogKind = 'contact' | 'opportunity' | 'note';
  const [dialog, setDialog] = useState<{ kind: DialogKind; open: boolean; serial: number } | null>(null);
  const openDialog = (kind: DialogKind) =>
    setDialog((previous) => ({ kind, open: true, serial: (previous?.serial ?? 0) + 1 }));
  const closeDialog = () => setDialog((previous) => previous && { ...previous, open: false });
  const [openOpportunity, setOpenOpportunity] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const search = useHistorySearch(person.email, query, statusVersion);
  const ready = state.status === 'ready';
  const opportunityNames = useOpportunityNames(
    [...(state.data?.history ?? []), ...(search.state?.data?.items ?? [])],
    state.data?.opportunities ?? []
  );
  useEffect(() => {
    if (ready) markOnce('pane:history-rendered');
  }, [ready]);

  if (state.status === 'loading') return <PaneSkeleton />;
  if (state.status === 'error') return <ErrorState error={state.error} onRetry={retry} />;
  const { contact, history, nextCursor, opportunities, historyError, opportunitiesError } = state.data;
  const afterChange = (message?: string) => {
    setNotice(message ?? null);
    setStatusVersion((v) => v + 1);
    reload();
  };
  const external = isExternal(person, host.user);
  const canAdd = contact === null && external;
  const addContactButton = (
    <Button icon={<PersonAddRegular />} onClick={() => openDialog('contact')}>
      {i18n.t('addContact')}
    </Button>
  );

  if (openOpportunity) {
    return (
      <Suspense fallback={<PaneSkeleton />}>
        <OpportunityView
          opportunityId={openOpportunity}
          openOpportunities={opportunities}
          onBack={() => setOpenOpportunity(null)}
          onChanged={reload}
        />
      </Suspense>
    );
  }

  return (
    <>
      <PersonHeader person={person} contact={contact} />
      {item.mode === 'read' && status && (
        <Caption1 className={styles.status} role="status">
          {status.logged ? (
            <CheckmarkCircleRegular className={styles.logged} aria-hidden />
          ) : (
            <CircleRegular aria-hidden />
          )}
          {status.logged && status.loggedAt
            ? status.loggedBy
              ? i18n.t('loggedBy', { name: status.loggedBy.name, date: i18n.date(status.loggedAt) })
              : i18n.t('loggedAutomatically', { date: i18n.date(status.loggedAt) })
            : i18n.t('notLogged')}
        </Caption1>
      )}
      {item.mode === 'compose' && <Caption1>{i18n.t('composeNote')}</Caption1>}
      {canAdd && (
        // Logging keeps email with contacts: said before the user tries, with the way to get there.
        <MessageBar intent="info" layout="multiline" role="note">
          <MessageBarBody>{i18n.t('logNeedsContact', { name: person.name })}</MessageBarBody>
          <MessageBarActions>{addContactButton}</MessageBarActions>
        </MessageBar>
      )}
      <div className={styles.actions}>
        <LogThreadAction
          key={contactVersion}
          item={item}
          logged={item.mode === 'read' && status?.logged === true}
          onLogged={() => afterChange()}
        />
        {external && (
          <Button
            icon={<LightbulbRegular />}
            disabled={!contact}
            title={contact ? undefined : i18n.t('needsContact')}
            onClick={() => openDialog('opportunity')}
          >
            {i18n.t('createOpportunity')}
          </Button>
        )}
        {external && (
          <Button
            icon={<NoteAddRegular />}
            disabled={!contact}
            title={contact ? undefined : i18n.t('needsContact')}
            onClick={() => openDialog('note')}
          >
            {i18n.t('addNote')}
          </Button>
        )}
      </div>
      <Suspense fallback={null}>
        {dialog?.kind === 'contact' && (
          <AddContactDialog
            key={dialog.serial}
            open={dialog.open}
            person={person}
            onClose={closeDialog}
            onAdded={(added) => {
              setContactVersion((v) => v + 1);
              afterChange(i18n.t('contactAdded', { name: added.name }));
            }}
          />
        )}
        {dialog?.kind === 'opportunity' && contact && (
          <CreateOpportunityDialog
            key={dialog.serial}
            open={dialog.open}
            item={item}
            contact={contact}
            openOpportunities={opportunities}
            onClose={closeDialog}
            onDone={afterChange}
          />
        )}
        {dialog?.kind === 'note' && contact && (
          <AddNoteDialog
            key={dialog.serial}
            open={dialog.open}
            contact={contact}
            onClose={closeDialog}
            onAdded={() => afterChange(i18n.t('noteAdded'))}
          />
        )}
      </Suspense>
      {notice && (
        <MessageBar intent="success" role="status">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      )}
      <Divider />
      {contact &&
        (opportunitiesError ? (
          <PartError title={i18n.t('opportunitiesTitle')} error={opportunitiesError} onRetry={reload} />
        ) : (
          <Opportunities items={opportunities} onOpen={setOpenOpportunity} />
        ))}
      {contact && <HistorySearch onSearch={setQuery} />}
      {search.state ? (
        <History
          items={search.state.data?.items ?? []}
          personName={contact?.name ?? person.name}
          hasMore={Boolean(search.state.data?.nextCursor)}
          loadingMore={search.loadingMore}
          onLoadMore={search.loadMore}
          opportunityNames={opportunityNames}
          onOpenOpportunity={setOpenOpportunity}
          emptyText={
            search.state.status === 'loading'
              ? i18n.t('loading')
              : search.state.status === 'error'
                ? i18n.t('errorTitle')
                : i18n.t('searchNoResults', { query })
          }
        />
      ) : historyError ? (
        <PartError title={i18n.t('historyTitle')} error={historyError} onRetry={reload} />
      ) : (
        <History
          items={history}
          personName={contact?.name ?? person.name}
          hasMore={nextCursor !== null}
          loadingMore={loadingMore}
          onLoadMore={loadMore}
          opportunityNames={opportunityNames}
          onOpenOpportunity={setOpenOpportunity}
          {...(contact === null
            ? {
                emptyText: external
                  ? i18n.t('historyNotContact', { name: person.name })
                  : i18n.t('colleagueText', { name: person.name })
              }
            : {})}
        />
      )}
    </>
  );
}
