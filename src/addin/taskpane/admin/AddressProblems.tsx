import { Body1, Button, Caption1, makeStyles, Spinner, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { DirectoryPerson, DirectoryProblems } from '../../../shared/schemas/admin.js';
import { useAdmin } from './context.js';
import { Notice, Section, useAction } from './parts.js';

/* Addresses that keep mail from matching: people without one, invalid ones, and one address held by several. */

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, alignItems: 'flex-start' },
  list: {
    margin: 0,
    paddingLeft: tokens.spacingHorizontalL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS
  }
});

export function AddressProblems() {
  const styles = useStyles();
  const { api, i18n } = useAdmin();
  const [problems, setProblems] = useState<DirectoryProblems | null>(null);
  const { busy, failure, run } = useAction<'checking'>();
  const who = (person: DirectoryPerson) => `${person.name} (${i18n.t(`personKind_${person.kind}`)})`;

  const check = () => run('checking', async () => setProblems(await api.directoryProblems()));

  const none = problems && problems.missing.length + problems.invalid.length + problems.duplicates.length === 0;
  return (
    <Section id="admin-problems-title" title={i18n.t('problemsTitle')} className={styles.section}>
      <Button disabled={busy !== null} icon={busy ? <Spinner size="tiny" /> : undefined} onClick={() => void check()}>
        {i18n.t('problemsCheck')}
      </Button>
      <Notice intent="error" text={failure} />
      {none && <Body1 role="status">{i18n.t('problemsNone')}</Body1>}
      {problems && !none && (
        <ul className={styles.list} aria-labelledby="admin-problems-title">
          {problems.duplicates.map((duplicate) => (
            <li key={`d:${duplicate.address}`}>
              <Caption1>
                {i18n.t('problemsDuplicate', {
                  address: duplicate.address,
                  people: duplicate.people.map(who).join(', ')
                })}
              </Caption1>
            </li>
          ))}
          {problems.missing.map((person) => (
            <li key={`m:${person.kind}:${person.id}`}>
              <Caption1>{i18n.t('problemsMissing', { name: who(person) })}</Caption1>
            </li>
          ))}
          {problems.invalid.map((item, index) => (
            <li key={`i:${index}`}>
              <Caption1>
                {i18n.t('problemsInvalid', { name: who(item.person), address: item.address, detail: item.detail })}
              </Caption1>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
