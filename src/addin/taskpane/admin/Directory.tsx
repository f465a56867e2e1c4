import {
  Body1,
  Button,
  Caption1,
  Field,
  Input,
  makeStyles,
  mergeClasses,
  Select,
  Spinner,
  Subtitle2,
  Tab,
  TabList,
  tokens
} from '@fluentui/react-components';
import { AddRegular, SearchRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useState } from 'react';
import type { Contact, Salesperson, Team } from '../../../shared/schemas/directory.js';
import {
  fieldMessagesOf,
  fieldValidation,
  NO_FORM_ERRORS,
  type FieldProblem,
  type FormErrors
} from '../../api/problems.js';
import type { AdminTranslator } from '../../i18n/admin/index.js';
import { FormDialog } from '../components/FormDialog.js';
import { ErrorState, PaneSkeleton } from '../components/States.js';
import { useLoadable, usePaged } from '../hooks/loadable.js';
import { AddressProblems } from './AddressProblems.js';
import { CsvImport } from './CsvImport.js';
import { useAdmin } from './context.js';
import { LoadMore, Notice } from './parts.js';

/*
 * The directory: salespeople, contacts and teams — search, add, edit; people deactivate and reactivate (they
 * keep their history and stop matching new mail); then the CSV import and the address problems.
 */

const useStyles = makeStyles({
  view: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  // The add button moves under the search field when both do not fit the pane's width in its language.
  toolbar: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'flex-end' },
  search: { flexGrow: 1, flexBasis: '12em' },
  tabs: { flexWrap: 'wrap' },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  item: {
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`
  },
  text: { minWidth: 0, display: 'flex', flexDirection: 'column' },
  ellipsis: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  muted: { color: tokens.colorNeutralForeground2 },
  buttons: { display: 'flex', gap: tokens.spacingHorizontalXS, flexShrink: 0 }
});

type Kind = 'salespeople' | 'contacts' | 'teams';

export function Directory() {
  const styles = useStyles();
  const { i18n } = useAdmin();
  const [kind, setKind] = useState<Kind>('salespeople');
  // Bumped after an import, so the lists show what it wrote.
  const [version, setVersion] = useState(0);
  return (
    <div className={styles.view}>
      <Subtitle2 as="h2" block>
        {i18n.t('directoryTitle')}
      </Subtitle2>
      <TabList
        selectedValue={kind}
        onTabSelect={(_e, data) => setKind(data.value as Kind)}
        aria-label={i18n.t('directoryKinds')}
        size="small"
        className={styles.tabs}
      >
        <Tab value="salespeople">{i18n.t('kind_salespeople')}</Tab>
        <Tab value="contacts">{i18n.t('kind_contacts')}</Tab>
        <Tab value="teams">{i18n.t('kind_teams')}</Tab>
      </TabList>
      {kind === 'teams' ? <Teams key={version} /> : <People key={`${kind}:${version}`} kind={kind} />}
      <CsvImport onImported={() => setVersion((v) => v + 1)} />
      <AddressProblems />
    </div>
  );
}

type Person = Contact | Salesperson;
const isSalesperson = (person: Person): person is Salesperson => 'teamId' in person;

/** Which dialog is open, and a serial that makes each opening a fresh form (a closed one stays mounted). */
function useDialog<T>() {
  const [dialog, setDialog] = useState<{ subject: T | null; open: boolean; serial: number } | null>(null);
  const open = useCallback(
    (subject: T | null) => setDialog((d) => ({ subject, open: true, serial: (d?.serial ?? 0) + 1 })),
    []
  );
  const close = useCallback(() => setDialog((d) => d && { ...d, open: false }), []);
  return { dialog, open, close };
}

/** `text` once typing pauses. */
function useSettled(text: string, delayMs: number): string {
  const [settled, setSettled] = useState(text);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(text), delayMs);
    return () => clearTimeout(timer);
  }, [text, delayMs]);
  return settled;
}

/** The teams to pick from for salespeople (none for contacts, or when they cannot be read). */
function useTeamChoices(kind: PersonKind): Team[] {
  const { api } = useAdmin();
  const [teams, setTeams] = useState<Team[]>([]);
  useEffect(() => {
    if (kind !== 'salespeople') return;
    api.teams().then(
      (list) => setTeams(list.items),
      () => undefined // the team field then offers "No team" only
    );
  }, [api, kind]);
  return teams;
}

/** A saved record in place of the one with its id, or first when it is new. */
const withSaved = <T extends { id: string }>(list: T[], saved: T): T[] =>
  list.some((item) => item.id === saved.id)
    ? list.map((item) => (item.id === saved.id ? saved : item))
    : [saved, ...list];

type PersonKind = 'salespeople' | 'contacts';

function People({ kind }: { kind: PersonKind }) {
  const styles = useStyles();
  const { api, i18n, failureText } = useAdmin();
  const [typed, setTyped] = useState('');
  const query = useSettled(typed.trim(), 300);
  const teams = useTeamChoices(kind);
  const { dialog, open, close } = useDialog<Person>();
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const load = useCallback(
    (cursor?: string) => (kind === 'contacts' ? api.contacts(query, cursor) : api.salespeople(query, cursor)),
    [api, kind, query]
  );
  const { state, retry, update, loadMore, loadingMore, moreError } = usePaged<Person>(load);
  const replace = (saved: Person) => update((page) => ({ ...page, items: withSaved(page.items, saved) }));

  const toggleActive = async (person: Person) => {
    setActionError(null);
    try {
      const patch = { active: !person.active };
      const saved = isSalesperson(person)
        ? await api.updateSalesperson(person.id, patch)
        : await api.updateContact(person.id, patch);
      replace(saved);
      setNotice(i18n.t(saved.active ? 'reactivated' : 'deactivated', { name: saved.name }));
    } catch (failure) {
      setActionError(failureText(failure));
    }
  };

  return (
    <section className={styles.section} aria-label={i18n.t(`kind_${kind}`)}>
      <div className={styles.toolbar}>
        <Field label={i18n.t('search')} className={styles.search}>
          <Input
            type="search"
            contentBefore={<SearchRegular aria-hidden />}
            placeholder={i18n.t('searchPlaceholder')}
            value={typed}
            onChange={(_e, data) => setTyped(data.value)}
          />
        </Field>
        <Button icon={<AddRegular />} onClick={() => open(null)}>
          {i18n.t(kind === 'contacts' ? 'addContact' : 'addSalesperson')}
        </Button>
      </div>
      <Notice intent="success" text={notice} />
      <Notice intent="error" text={actionError} />
      {state.status === 'error' ? (
        <ErrorState error={state.error} onRetry={retry} />
      ) : state.status === 'loading' ? (
        <PaneSkeleton />
      ) : (
        <PeopleList kind={kind} people={state.data.items} teams={teams} onEdit={open} onToggle={toggleActive} />
      )}
      <LoadMore
        hasMore={Boolean(state.data?.nextCursor)}
        loadingMore={loadingMore}
        error={moreError}
        onLoadMore={() => void loadMore()}
      />
      {dialog && (
        <PersonDialog
          key={dialog.serial}
          kind={kind}
          person={dialog.subject}
          teams={teams}
          open={dialog.open}
          onClose={close}
          onSaved={(saved, added) => {
            replace(saved);
            setNotice(i18n.t(added ? 'addedPerson' : 'savedPerson', { name: saved.name }));
            close();
          }}
        />
      )}
    </section>
  );
}

function PeopleList({
  kind,
  people,
  teams,
  onEdit,
  onToggle
}: {
  kind: PersonKind;
  people: Person[];
  teams: Team[];
  onEdit: (person: Person) => void;
  onToggle: (person: Person) => Promise<void>;
}) {
  const styles = useStyles();
  const { i18n } = useAdmin();
  if (people.length === 0) return <Body1>{i18n.t('noMatches')}</Body1>;
  const teamName = (id: string | null) => teams.find((team) => team.id === id)?.name;
  return (
    <ul className={styles.list} aria-label={i18n.t(`kind_${kind}`)}>
      {people.map((person) => (
        <li key={person.id} className={styles.item}>
          <div className={styles.text}>
            <Body1 className={styles.ellipsis}>{person.name}</Body1>
            <Caption1 className={mergeClasses(styles.ellipsis, styles.muted)}>
              {[
                person.email,
                isSalesperson(person) ? teamName(person.teamId) : person.company,
                person.active ? null : i18n.t('inactive')
              ]
                .filter(Boolean)
                .join(' · ')}
            </Caption1>
          </div>
          <div className={styles.buttons}>
            <Button
              size="small"
              onClick={() => onEdit(person)}
              aria-label={i18n.t('editPerson', { name: person.name })}
            >
              {i18n.t('edit')}
            </Button>
            <Button
              size="small"
              onClick={() => void onToggle(person)}
              aria-label={`${i18n.t(person.active ? 'deactivate' : 'reactivate')}: ${person.name}`}
            >
              {i18n.t(person.active ? 'deactivate' : 'reactivate')}
            </Button>
          </div>
        </li>
      ))}
    </ul>
  );
}

interface PersonForm {
  name: string;
  email: string;
  alternateEmails: string;
  company: string;
  phone: string;
  teamId: string;
}

function personFormOf(person: Person | null): PersonForm {
  const contact = person && !isSalesperson(person) ? person : null;
  return {
    name: person?.name ?? '',
    email: person?.email ?? '',
    alternateEmails: person?.alternateEmails.join(', ') ?? '',
    company: contact?.company ?? '',
    phone: contact?.phone ?? '',
    teamId: (person && isSalesperson(person) ? person.teamId : null) ?? ''
  };
}

const splitAddresses = (text: string) =>
  text
    .split(/[,;\s]+/)
    .map((address) => address.trim())
    .filter(Boolean);

/** A directory form's field errors: taken (a conflict) or not valid, naming the list entry where there is one. */
const directoryFieldWords =
  (i18n: AdminTranslator) =>
  ({ index, failure }: FieldProblem): string => {
    const taken = failure === 'conflict';
    if (index === undefined) return i18n.t(taken ? 'fieldInUse' : 'fieldInvalid');
    return i18n.t(taken ? 'fieldInUseItem' : 'fieldInvalidItem', { number: index + 1 });
  };

/** Saving a directory form: busy while it runs, the refusal's errors at the fields after. */
function useDirectorySave<T>(onSaved: (saved: T) => void) {
  const { i18n, failureText } = useAdmin();
  const [errors, setErrors] = useState<FormErrors>(NO_FORM_ERRORS);
  const [busy, setBusy] = useState(false);
  const save = async (write: () => Promise<T>) => {
    setBusy(true);
    setErrors(NO_FORM_ERRORS);
    try {
      onSaved(await write());
    } catch (error) {
      setErrors({ fields: fieldMessagesOf(error, directoryFieldWords(i18n)), message: failureText(error) });
    } finally {
      setBusy(false);
    }
  };
  return { errors, busy, save };
}

function PersonDialog({
  kind,
  person,
  teams,
  open,
  onClose,
  onSaved
}: {
  kind: PersonKind;
  person: Person | null;
  teams: Team[];
  open: boolean;
  onClose: () => void;
  onSaved: (saved: Person, added: boolean) => void;
}) {
  const { api, i18n } = useAdmin();
  const [form, setForm] = useState<PersonForm>(() => personFormOf(person));
  const { errors, busy, save } = useDirectorySave<Person>((saved) => onSaved(saved, person === null));
  const set = (key: keyof PersonForm) => (value: string) => setForm({ ...form, [key]: value });
  const at = (field: keyof PersonForm) => fieldValidation(errors.fields[field]);

  const write = (): Promise<Person> => {
    const common = {
      name: form.name.trim(),
      email: form.email.trim(),
      alternateEmails: splitAddresses(form.alternateEmails)
    };
    if (kind === 'contacts') {
      const body = { ...common, company: form.company.trim() || null, phone: form.phone.trim() || null };
      return person ? api.updateContact(person.id, body) : api.createContact(body);
    }
    const body = { ...common, teamId: form.teamId || null };
    return person ? api.updateSalesperson(person.id, body) : api.createSalesperson(body);
  };

  return (
    <FormDialog
      open={open}
      title={
        person
          ? i18n.t('editPerson', { name: person.name })
          : i18n.t(kind === 'contacts' ? 'addContact' : 'addSalesperson')
      }
      submitLabel={i18n.t('save')}
      busy={busy}
      failure={errors.message}
      onSubmit={() => void save(write)}
      onClose={onClose}
    >
      <Field label={i18n.t('name')} required {...at('name')}>
        <Input value={form.name} onChange={(_e, d) => set('name')(d.value)} />
      </Field>
      <Field label={i18n.t('email')} required {...at('email')}>
        <Input type="email" value={form.email} onChange={(_e, d) => set('email')(d.value)} spellCheck={false} />
      </Field>
      <Field label={i18n.t('alternateEmails')} {...at('alternateEmails')}>
        <Input value={form.alternateEmails} onChange={(_e, d) => set('alternateEmails')(d.value)} spellCheck={false} />
      </Field>
      {kind === 'contacts' ? (
        <>
          <Field label={i18n.t('company')} {...at('company')}>
            <Input value={form.company} onChange={(_e, d) => set('company')(d.value)} />
          </Field>
          <Field label={i18n.t('phone')} {...at('phone')}>
            <Input type="tel" value={form.phone} onChange={(_e, d) => set('phone')(d.value)} />
          </Field>
        </>
      ) : (
        <Field label={i18n.t('team')} {...at('teamId')}>
          <NamedSelect value={form.teamId} onChange={set('teamId')} none={i18n.t('noTeam')} choices={teams} />
        </Field>
      )}
    </FormDialog>
  );
}

function Teams() {
  const styles = useStyles();
  const { api, i18n } = useAdmin();
  const load = useCallback(async () => {
    const [list, salespeople] = await Promise.all([api.teams(), api.salespeople('', undefined, 100)]);
    return { teams: list.items, people: salespeople.items };
  }, [api]);
  const { state, retry, update } = useLoadable(load);
  const { dialog, open, close } = useDialog<Team>();
  const [notice, setNotice] = useState<string | null>(null);

  if (state.status === 'error') return <ErrorState error={state.error} onRetry={retry} />;
  if (state.status === 'loading') return <PaneSkeleton />;
  const { teams, people } = state.data;
  return (
    <section className={styles.section} aria-label={i18n.t('kind_teams')}>
      <div className={styles.toolbar}>
        <Button icon={<AddRegular />} onClick={() => open(null)}>
          {i18n.t('addTeam')}
        </Button>
      </div>
      <Notice intent="success" text={notice} />
      {teams.length === 0 ? (
        <Body1>{i18n.t('noTeams')}</Body1>
      ) : (
        <TeamsList teams={teams} people={people} onEdit={open} />
      )}
      {dialog && (
        <TeamDialog
          key={dialog.serial}
          team={dialog.subject}
          people={people}
          open={dialog.open}
          onClose={close}
          onSaved={(saved, added) => {
            update((data) => ({ ...data, teams: added ? [...data.teams, saved] : withSaved(data.teams, saved) }));
            setNotice(i18n.t(added ? 'addedPerson' : 'savedPerson', { name: saved.name }));
            close();
          }}
        />
      )}
    </section>
  );
}

function TeamsList({ teams, people, onEdit }: { teams: Team[]; people: Salesperson[]; onEdit: (team: Team) => void }) {
  const styles = useStyles();
  const { i18n } = useAdmin();
  const personName = (id: string | null) => people.find((p) => p.id === id)?.name;
  return (
    <ul className={styles.list} aria-label={i18n.t('kind_teams')}>
      {teams.map((team) => (
        <li key={team.id} className={styles.item}>
          <div className={styles.text}>
            <Body1 className={styles.ellipsis}>{team.name}</Body1>
            <Caption1 className={styles.muted}>
              {[personName(team.managerId) ?? i18n.t('noManager'), i18n.count('members', team.memberIds.length)].join(
                ' · '
              )}
            </Caption1>
          </div>
          <Button size="small" aria-label={i18n.t('editPerson', { name: team.name })} onClick={() => onEdit(team)}>
            {i18n.t('edit')}
          </Button>
        </li>
      ))}
    </ul>
  );
}

function TeamDialog({
  team,
  people,
  open,
  onClose,
  onSaved
}: {
  team: Team | null;
  people: Salesperson[];
  open: boolean;
  onClose: () => void;
  onSaved: (saved: Team, added: boolean) => void;
}) {
  const { api, i18n } = useAdmin();
  const [name, setName] = useState(team?.name ?? '');
  const [managerId, setManagerId] = useState(team?.managerId ?? '');
  const { errors, busy, save } = useDirectorySave<Team>((saved) => onSaved(saved, team === null));
  const write = () => {
    const body = { name: name.trim(), managerId: managerId || null };
    return team ? api.updateTeam(team.id, body) : api.createTeam(body);
  };
  return (
    <FormDialog
      open={open}
      title={team ? i18n.t('editPerson', { name: team.name }) : i18n.t('addTeam')}
      submitLabel={i18n.t('save')}
      busy={busy}
      failure={errors.message}
      onSubmit={() => void save(write)}
      onClose={onClose}
    >
      <Field label={i18n.t('name')} required {...fieldValidation(errors.fields.name)}>
        <Input value={name} onChange={(_e, d) => setName(d.value)} />
      </Field>
      <Field label={i18n.t('manager')} {...fieldValidation(errors.fields.managerId)}>
        <NamedSelect value={managerId} onChange={setManagerId} none={i18n.t('noManager')} choices={people} />
      </Field>
      {busy && <Spinner size="tiny" />}
    </FormDialog>
  );
}

/** A select of named records by id, with a first choice for none. */
function NamedSelect({
  value,
  onChange,
  none,
  choices
}: {
  value: string;
  onChange: (id: string) => void;
  none: string;
  choices: { id: string; name: string }[];
}) {
  return (
    <Select value={value} onChange={(_e, d) => onChange(d.value)}>
      <option value="">{none}</option>
      {choices.map((choice) => (
        <option key={choice.id} value={choice.id}>
          {choice.name}
        </option>
      ))}
    </Select>
  );
}
