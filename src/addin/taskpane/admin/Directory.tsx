import {
  Body1,
  Button,
  Caption1,
  Field,
  Input,
  makeStyles,
  mergeClasses,
  MessageBar,
  MessageBarBody,
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
import { FormDialog } from '../components/FormDialog.js';
import { ErrorState, PaneSkeleton } from '../components/States.js';
import { AddressProblems } from './AddressProblems.js';
import { CsvImport } from './CsvImport.js';
import { useAdmin } from './context.js';
import { fieldErrorsOf, messageFor, NO_ERRORS, type FieldErrors } from './field-errors.js';

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

interface PersonForm {
  name: string;
  email: string;
  alternateEmails: string;
  company: string;
  phone: string;
  teamId: string;
}

const splitAddresses = (text: string) =>
  text
    .split(/[,;\s]+/)
    .map((address) => address.trim())
    .filter(Boolean);

function usePaged<T>(load: (cursor?: string) => Promise<{ items: T[]; nextCursor: string | null }>) {
  const [items, setItems] = useState<T[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let cancelled = false;
    setError(null);
    load().then(
      (page) => {
        if (cancelled) return;
        setItems(page.items);
        setNextCursor(page.nextCursor);
      },
      (failure: unknown) => !cancelled && setError(failure)
    );
    return () => {
      cancelled = true;
    };
  }, [load, version]);
  const more = async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    try {
      const page = await load(nextCursor);
      setItems((previous) => [...(previous ?? []), ...page.items]);
      setNextCursor(page.nextCursor);
    } catch (failure) {
      setError(failure);
    } finally {
      setLoadingMore(false);
    }
  };
  const retry = () => setVersion((v) => v + 1);
  return { items, setItems, nextCursor, error, loadingMore, more, retry };
}

function People({ kind }: { kind: 'salespeople' | 'contacts' }) {
  const styles = useStyles();
  const { api, i18n } = useAdmin();
  const [typed, setTyped] = useState('');
  const [query, setQuery] = useState('');
  const [teams, setTeams] = useState<Team[]>([]);
  const [dialog, setDialog] = useState<{ person: Person | null; open: boolean; serial: number } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  // Searching waits for a pause in typing.
  useEffect(() => {
    const timer = setTimeout(() => setQuery(typed.trim()), 300);
    return () => clearTimeout(timer);
  }, [typed]);
  useEffect(() => {
    if (kind !== 'salespeople') return;
    api.teams().then(
      (list) => setTeams(list.items),
      () => undefined // the team field then offers "No team" only
    );
  }, [api, kind]);

  const load = useCallback(
    (cursor?: string) => (kind === 'contacts' ? api.contacts(query, cursor) : api.salespeople(query, cursor)),
    [api, kind, query]
  );
  const { items, setItems, nextCursor, error, loadingMore, more, retry } = usePaged<Person>(load);

  const replace = (saved: Person) =>
    setItems((previous) => {
      const list = previous ?? [];
      return list.some((p) => p.id === saved.id) ? list.map((p) => (p.id === saved.id ? saved : p)) : [saved, ...list];
    });

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
      setActionError(failure instanceof Error ? failure.message : String(failure));
    }
  };

  const open = (person: Person | null) => setDialog((d) => ({ person, open: true, serial: (d?.serial ?? 0) + 1 }));
  const teamName = (id: string | null) => teams.find((team) => team.id === id)?.name;

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
      {notice && (
        <MessageBar intent="success" role="status">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      )}
      {actionError && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{actionError}</MessageBarBody>
        </MessageBar>
      )}
      {error !== null && !items ? (
        <ErrorState error={error} onRetry={retry} />
      ) : !items ? (
        <PaneSkeleton />
      ) : items.length === 0 ? (
        <Body1>{i18n.t('noMatches')}</Body1>
      ) : (
        <ul className={styles.list} aria-label={i18n.t(`kind_${kind}`)}>
          {items.map((person) => (
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
                  onClick={() => open(person)}
                  aria-label={i18n.t('editPerson', { name: person.name })}
                >
                  {i18n.t('edit')}
                </Button>
                <Button
                  size="small"
                  onClick={() => void toggleActive(person)}
                  aria-label={`${i18n.t(person.active ? 'deactivate' : 'reactivate')}: ${person.name}`}
                >
                  {i18n.t(person.active ? 'deactivate' : 'reactivate')}
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {nextCursor && (
        <Button disabled={loadingMore} onClick={() => void more()}>
          {loadingMore ? i18n.t('loading') : i18n.t('loadMore')}
        </Button>
      )}
      {dialog && (
        <PersonDialog
          key={dialog.serial}
          kind={kind}
          person={dialog.person}
          teams={teams}
          open={dialog.open}
          onClose={() => setDialog((d) => d && { ...d, open: false })}
          onSaved={(saved, added) => {
            replace(saved);
            setNotice(i18n.t(added ? 'addedPerson' : 'savedPerson', { name: saved.name }));
            setDialog((d) => d && { ...d, open: false });
          }}
        />
      )}
    </section>
  );
}

function PersonDialog({
  kind,
  person,
  teams,
  open,
  onClose,
  onSaved
}: {
  kind: 'salespeople' | 'contacts';
  person: Person | null;
  teams: Team[];
  open: boolean;
  onClose: () => void;
  onSaved: (saved: Person, added: boolean) => void;
}) {
  const { api, i18n } = useAdmin();
  const [form, setForm] = useState<PersonForm>({
    name: person?.name ?? '',
    email: person?.email ?? '',
    alternateEmails: person?.alternateEmails.join(', ') ?? '',
    company: (person && !isSalesperson(person) ? person.company : null) ?? '',
    phone: (person && !isSalesperson(person) ? person.phone : null) ?? '',
    teamId: (person && isSalesperson(person) ? person.teamId : null) ?? ''
  });
  const [errors, setErrors] = useState<FieldErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof PersonForm, value: string) => setForm({ ...form, [key]: value });
  const fieldProps = (field: string) => {
    const message = messageFor(errors, field);
    return message ? { validationState: 'error' as const, validationMessage: message } : {};
  };

  const submit = async () => {
    setBusy(true);
    setErrors(NO_ERRORS);
    const common = {
      name: form.name.trim(),
      email: form.email.trim(),
      alternateEmails: splitAddresses(form.alternateEmails)
    };
    try {
      let saved: Person;
      if (kind === 'contacts') {
        const body = { ...common, company: form.company.trim() || null, phone: form.phone.trim() || null };
        saved = person ? await api.updateContact(person.id, body) : await api.createContact(body);
      } else {
        const body = { ...common, teamId: form.teamId || null };
        saved = person ? await api.updateSalesperson(person.id, body) : await api.createSalesperson(body);
      }
      onSaved(saved, person === null);
    } catch (error) {
      setErrors(
        fieldErrorsOf(error, ({ index, detail }) => (index === undefined ? detail : `${detail} (${index + 1})`))
      );
    } finally {
      setBusy(false);
    }
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
      failure={errors.summary}
      onSubmit={() => void submit()}
      onClose={onClose}
    >
      <Field label={i18n.t('name')} required {...fieldProps('name')}>
        <Input value={form.name} onChange={(_e, d) => set('name', d.value)} />
      </Field>
      <Field label={i18n.t('email')} required {...fieldProps('email')}>
        <Input type="email" value={form.email} onChange={(_e, d) => set('email', d.value)} spellCheck={false} />
      </Field>
      <Field label={i18n.t('alternateEmails')} {...fieldProps('alternateEmails')}>
        <Input value={form.alternateEmails} onChange={(_e, d) => set('alternateEmails', d.value)} spellCheck={false} />
      </Field>
      {kind === 'contacts' ? (
        <>
          <Field label={i18n.t('company')} {...fieldProps('company')}>
            <Input value={form.company} onChange={(_e, d) => set('company', d.value)} />
          </Field>
          <Field label={i18n.t('phone')} {...fieldProps('phone')}>
            <Input type="tel" value={form.phone} onChange={(_e, d) => set('phone', d.value)} />
          </Field>
        </>
      ) : (
        <Field label={i18n.t('team')} {...fieldProps('teamId')}>
          <Select value={form.teamId} onChange={(_e, d) => set('teamId', d.value)}>
            <option value="">{i18n.t('noTeam')}</option>
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </Select>
        </Field>
      )}
    </FormDialog>
  );
}

function Teams() {
  const styles = useStyles();
  const { api, i18n } = useAdmin();
  const [teams, setTeams] = useState<Team[] | null>(null);
  const [people, setPeople] = useState<Salesperson[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const [dialog, setDialog] = useState<{ team: Team | null; open: boolean; serial: number } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    setError(null);
    Promise.all([api.teams(), api.salespeople('', undefined, 100)]).then(
      ([list, salespeople]) => {
        if (cancelled) return;
        setTeams(list.items);
        setPeople(salespeople.items);
      },
      (failure: unknown) => !cancelled && setError(failure)
    );
    return () => {
      cancelled = true;
    };
  }, [api, version]);

  if (error && !teams) return <ErrorState error={error} onRetry={() => setVersion((v) => v + 1)} />;
  if (!teams) return <PaneSkeleton />;
  const personName = (id: string | null) => people.find((p) => p.id === id)?.name;

  return (
    <section className={styles.section} aria-label={i18n.t('kind_teams')}>
      <div className={styles.toolbar}>
        <Button
          icon={<AddRegular />}
          onClick={() => setDialog((d) => ({ team: null, open: true, serial: (d?.serial ?? 0) + 1 }))}
        >
          {i18n.t('addTeam')}
        </Button>
      </div>
      {notice && (
        <MessageBar intent="success" role="status">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      )}
      {teams.length === 0 ? (
        <Body1>{i18n.t('noTeams')}</Body1>
      ) : (
        <ul className={styles.list} aria-label={i18n.t('kind_teams')}>
          {teams.map((team) => (
            <li key={team.id} className={styles.item}>
              <div className={styles.text}>
                <Body1 className={styles.ellipsis}>{team.name}</Body1>
                <Caption1 className={styles.muted}>
                  {[
                    personName(team.managerId) ?? i18n.t('noManager'),
                    i18n.count('members', team.memberIds.length)
                  ].join(' · ')}
                </Caption1>
              </div>
              <Button
                size="small"
                aria-label={i18n.t('editPerson', { name: team.name })}
                onClick={() => setDialog((d) => ({ team, open: true, serial: (d?.serial ?? 0) + 1 }))}
              >
                {i18n.t('edit')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {dialog && (
        <TeamDialog
          key={dialog.serial}
          team={dialog.team}
          people={people}
          open={dialog.open}
          onClose={() => setDialog((d) => d && { ...d, open: false })}
          onSaved={(saved, added) => {
            setTeams((list) =>
              added ? [...(list ?? []), saved] : (list ?? []).map((team) => (team.id === saved.id ? saved : team))
            );
            setNotice(i18n.t(added ? 'addedPerson' : 'savedPerson', { name: saved.name }));
            setDialog((d) => d && { ...d, open: false });
          }}
        />
      )}
    </section>
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
  const [errors, setErrors] = useState<FieldErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const body = { name: name.trim(), managerId: managerId || null };
      onSaved(team ? await api.updateTeam(team.id, body) : await api.createTeam(body), team === null);
    } catch (error) {
      setErrors(
        fieldErrorsOf(error, ({ index, detail }) => (index === undefined ? detail : `${detail} (${index + 1})`))
      );
    } finally {
      setBusy(false);
    }
  };
  const nameError = messageFor(errors, 'name');
  const managerError = messageFor(errors, 'managerId');
  return (
    <FormDialog
      open={open}
      title={team ? i18n.t('editPerson', { name: team.name }) : i18n.t('addTeam')}
      submitLabel={i18n.t('save')}
      busy={busy}
      failure={errors.summary}
      onSubmit={() => void submit()}
      onClose={onClose}
    >
      <Field
        label={i18n.t('name')}
        required
        {...(nameError ? { validationState: 'error', validationMessage: nameError } : {})}
      >
        <Input value={name} onChange={(_e, d) => setName(d.value)} />
      </Field>
      <Field
        label={i18n.t('manager')}
        {...(managerError ? { validationState: 'error', validationMessage: managerError } : {})}
      >
        <Select value={managerId} onChange={(_e, d) => setManagerId(d.value)}>
          <option value="">{i18n.t('noManager')}</option>
          {people.map((person) => (
            <option key={person.id} value={person.id}>
              {person.name}
            </option>
          ))}
        </Select>
      </Field>
      {busy && <Spinner size="tiny" />}
    </FormDialog>
  );
}
