import { Button, Combobox, Field, makeStyles, mergeClasses, Option, Select, tokens } from '@fluentui/react-components';
import { DismissRegular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import type { PersonRef } from '../../../shared/schemas/common.js';
import type { Contact } from '../../../shared/schemas/directory.js';
import type { TeamRef } from '../../../shared/schemas/team.js';
import { DateField } from '../components/DateField.js';
import { HistorySearch } from '../components/HistorySearch.js';
import { useServices } from '../services.js';
import { EMPTY_FILTERS, type TeamFilterForm } from './data.js';

const SEARCH_DELAY_MS = 250;

const useStyles = makeStyles({
  filters: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  // minmax(0, …): a column never grows past half the pane for a long option or a wide date field.
  form: {
    display: 'grid',
    gridTemplateColumns: 'repeat(2, minmax(0, 1fr))',
    gap: tokens.spacingHorizontalS,
    // …and neither does a field, a select or its box for the longest of its options.
    '& > *': { minWidth: 0 },
    '& .fui-Select': { minWidth: 0 },
    '& select': { minWidth: 0 }
  },
  wide: { gridColumn: '1 / -1' },
  party: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalXS },
  grow: { flex: 1, minWidth: 0 }
});

type Choice = { value: string; text: string; party: NonNullable<TeamFilterForm['party']> };

/** Contacts matching the text, and their companies, as choices for the search box. */
function choicesFor(contacts: Contact[], companyText: (name: string) => string): Choice[] {
  const companies = [...new Set(contacts.map((c) => c.company).filter((c): c is string => Boolean(c)))];
  return [
    ...companies.map(
      (name) => ({ value: `company:${name}`, text: companyText(name), party: { kind: 'company', name } }) as Choice
    ),
    ...contacts.map(
      (c) =>
        ({
          value: `contact:${c.id}`,
          text: c.company ? `${c.name} (${c.company})` : c.name,
          party: { kind: 'contact', id: c.id, name: c.name }
        }) as Choice
    )
  ];
}

type Party = TeamFilterForm['party'];

/** Contacts and companies matching what is typed (two letters or more), asked once typing pauses. */
function usePartyChoices(text: string) {
  const { api, i18n } = useServices();
  const [choices, setChoices] = useState<Choice[]>([]);
  // Opened when the search answers (the list is empty while typing starts), closed by Fluent as usual.
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const query = text.trim();
    if (query.length < 2) {
      setChoices([]);
      return;
    }
    let cancelled = false;
    const timer = setTimeout(() => {
      api.searchContacts(query).then(
        (page) => {
          if (cancelled) return;
          setChoices(choicesFor(page.items, (name) => i18n.t('companyOption', { name })));
          setOpen(page.items.length > 0);
        },
        () => !cancelled && setChoices([])
      );
    }, SEARCH_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, i18n, text]);
  return { choices, open, setOpen };
}

export function TeamFilters({
  value,
  onChange,
  teams,
  salespeople
}: {
  value: TeamFilterForm;
  onChange: (next: TeamFilterForm) => void;
  teams: TeamRef[];
  salespeople: PersonRef[];
}) {
  const styles = useStyles();
  const { i18n } = useServices();
  // What is typed in the contact search; emptied when the filters are cleared.
  const [text, setText] = useState('');
  // Remounts the search box (emptying it) when the filters are cleared.
  const [cleared, setCleared] = useState(0);
  const set = (patch: Partial<TeamFilterForm>) => onChange({ ...value, ...patch });

  return (
    <div className={styles.filters}>
      {/* Its own form (role search) beside the filters' one: forms do not nest. */}
      <HistorySearch key={cleared} label={i18n.t('searchTeamHistory')} onSearch={(words) => set({ words })} />
      <form className={styles.form} aria-label={i18n.t('teamFilters')} onSubmit={(event) => event.preventDefault()}>
        {teams.length > 1 && (
          <Field label={i18n.t('filterTeam')} className={styles.wide}>
            <Select value={value.teamId} onChange={(_, data) => set({ teamId: data.value, salespersonId: '' })}>
              <option value="">{i18n.t('allTeams')}</option>
              {teams.map((team) => (
                <option key={team.id} value={team.id}>
                  {team.name}
                </option>
              ))}
            </Select>
          </Field>
        )}
        <Field label={i18n.t('filterSalesperson')} className={styles.wide}>
          <Select value={value.salespersonId} onChange={(_, data) => set({ salespersonId: data.value })}>
            <option value="">{i18n.t('allSalespeople')}</option>
            {salespeople.map((person) => (
              <option key={person.id} value={person.id}>
                {person.name}
              </option>
            ))}
          </Select>
        </Field>
        <PartyField party={value.party} text={text} onText={setText} onParty={(party) => set({ party })} />
        <Field label={i18n.t('filterFrom')}>
          <DateField value={value.fromDate} onChange={(fromDate) => set({ fromDate })} />
        </Field>
        <Field label={i18n.t('filterTo')}>
          <DateField value={value.toDate} onChange={(toDate) => set({ toDate })} />
        </Field>
        <DirectionAndSource value={value} set={set} />
        <Button
          className={styles.wide}
          appearance="subtle"
          disabled={JSON.stringify(value) === JSON.stringify(EMPTY_FILTERS)}
          onClick={() => {
            setText('');
            setCleared((count) => count + 1);
            onChange(EMPTY_FILTERS);
          }}
        >
          {i18n.t('clearFilters')}
        </Button>
      </form>
    </div>
  );
}

/** The direction and source filters, side by side. */
function DirectionAndSource({ value, set }: { value: TeamFilterForm; set: (patch: Partial<TeamFilterForm>) => void }) {
  const { i18n } = useServices();
  return (
    <>
      <Field label={i18n.t('filterDirection')}>
        <Select
          value={value.direction}
          onChange={(_, data) => set({ direction: data.value as TeamFilterForm['direction'] })}
        >
          <option value="">{i18n.t('allDirections')}</option>
          <option value="inbound">{i18n.t('inbound')}</option>
          <option value="outbound">{i18n.t('outbound')}</option>
        </Select>
      </Field>
      <Field label={i18n.t('filterSource')}>
        <Select value={value.source} onChange={(_, data) => set({ source: data.value as TeamFilterForm['source'] })}>
          <option value="">{i18n.t('allSources')}</option>
          <option value="addin">{i18n.t('sourceAddin')}</option>
          <option value="mailbox">{i18n.t('sourceMailbox')}</option>
        </Select>
      </Field>
    </>
  );
}

/** The contact or company filter: a search box offering both, and a button that clears what was picked. */
function PartyField({
  party,
  text,
  onText,
  onParty
}: {
  party: Party;
  text: string;
  onText: (text: string) => void;
  onParty: (party: Party) => void;
}) {
  const styles = useStyles();
  const { i18n } = useServices();
  const { choices, open, setOpen } = usePartyChoices(text);
  const partyText =
    party === null ? text : party.kind === 'company' ? i18n.t('companyOption', { name: party.name }) : party.name;
  return (
    <div className={mergeClasses(styles.wide, styles.party)}>
      <Field label={i18n.t('filterContact')} className={styles.grow}>
        <Combobox
          freeform
          placeholder={i18n.t('contactSearchPlaceholder')}
          value={partyText}
          open={open && choices.length > 0}
          onOpenChange={(_, data) => setOpen(data.open)}
          onInput={(event) => {
            onText((event.target as HTMLInputElement).value);
            if (party) onParty(null);
          }}
          onOptionSelect={(_, data) => {
            const picked = choices.find((choice) => choice.value === data.optionValue);
            if (!picked) return;
            onText('');
            setOpen(false);
            onParty(picked.party);
          }}
        >
          {choices.map((choice) => (
            <Option key={choice.value} value={choice.value} text={choice.text}>
              {choice.text}
            </Option>
          ))}
        </Combobox>
      </Field>
      {party && (
        <Button
          icon={<DismissRegular />}
          aria-label={`${i18n.t('clearFilters')}: ${partyText}`}
          appearance="subtle"
          onClick={() => {
            onText('');
            onParty(null);
          }}
        />
      )}
    </div>
  );
}
