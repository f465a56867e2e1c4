import { Avatar, Caption1, makeStyles, Select, Subtitle2, tokens, useId } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { Contact } from '../../../shared/schemas/directory.js';
import type { Participant } from '../../office/types.js';
import { useI18n } from '../services.js';

const useStyles = makeStyles({
  header: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center' },
  text: { display: 'flex', flexDirection: 'column', minWidth: 0, flex: 1 },
  ellipsis: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  switcher: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  muted: { color: tokens.colorNeutralForeground3 }
});

export function PersonHeader({
  person,
  contact,
  action
}: {
  person: Participant;
  contact: Contact | null | undefined;
  action?: ReactNode;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const name = contact?.name ?? person.name;
  return (
    <header className={styles.header}>
      <Avatar name={name} size={40} color="colorful" aria-hidden />
      <div className={styles.text}>
        <Subtitle2 as="h1" block className={styles.ellipsis} dir="auto">
          {name}
        </Subtitle2>
        <Caption1 className={styles.ellipsis} dir="auto">
          {person.email}
        </Caption1>
        {contact === null ? (
          <Caption1 className={styles.muted}>{t('notAContact')}</Caption1>
        ) : contact?.company ? (
          <Caption1 className={styles.ellipsis} dir="auto">
            {contact.company}
          </Caption1>
        ) : null}
      </div>
      {action}
    </header>
  );
}

export function PersonSwitcher({
  people,
  selected,
  onSelect
}: {
  people: Participant[];
  selected: Participant | null;
  onSelect: (person: Participant) => void;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const id = useId('person');
  if (people.length < 2 && selected) return null;
  return (
    <div className={styles.switcher}>
      <label htmlFor={id}>
        <Caption1>{t('showHistoryFor')}</Caption1>
      </label>
      <Select
        id={id}
        value={selected?.email ?? ''}
        onChange={(_event, data) => {
          const person = people.find((p) => p.email === data.value);
          if (person) onSelect(person);
        }}
      >
        {!selected && <option value="">—</option>}
        {people.map((person) => (
          <option key={person.email} value={person.email}>
            {person.name === person.email ? person.email : `${person.name} <${person.email}>`}
          </option>
        ))}
      </Select>
    </div>
  );
}
