import {
  Body1,
  Button,
  Caption1,
  Field,
  Label,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Select,
  Spinner,
  tokens
} from '@fluentui/react-components';
import { useId, useState } from 'react';
import { IMPORT_COLUMNS, type ImportKind } from '../../../shared/admin-checks.js';
import type { DirectoryImportReport } from '../../../shared/schemas/admin.js';
import { useAdmin } from './context.js';
import { Notice, Section, useAction } from './parts.js';

/*
 * CSV import in two steps: choosing a file checks it (a dry run: the per-row report, nothing written); only a
 * file whose every row is accepted can then be imported, and the import writes all rows or none.
 */

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  row: {
    padding: `${tokens.spacingVerticalXS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    display: 'flex',
    flexDirection: 'column'
  },
  rejected: { color: tokens.colorPaletteRedForeground1, fontWeight: 600 },
  file: { color: tokens.colorNeutralForeground1 }
});

type ChosenFile = { name: string; text: string };

/** The import's steps: checking a chosen file (a dry run), then importing it; each failure in the user's words. */
function useCsvImport(onImported: () => void) {
  const { api, i18n } = useAdmin();
  const [file, setFile] = useState<ChosenFile | null>(null);
  const [report, setReport] = useState<DirectoryImportReport | null>(null);
  const { busy, failure, run: attempt } = useAction<'checking' | 'importing'>();
  const [done, setDone] = useState<string | null>(null);
  // Bumped to empty the file input after an import.
  const [inputKey, setInputKey] = useState(0);

  const check = (chosen: ChosenFile, kind: ImportKind) => {
    setDone(null);
    setReport(null);
    return attempt('checking', async () => setReport(await api.importCsv(kind, chosen.text, true)));
  };

  const choose = async (files: FileList | null, kind: ImportKind) => {
    const picked = files?.[0];
    if (!picked) return;
    const chosen = { name: picked.name, text: await picked.text() };
    setFile(chosen);
    await check(chosen, kind);
  };

  const confirm = (kind: ImportKind) =>
    attempt('importing', async () => {
      if (!file) return;
      const result = await api.importCsv(kind, file.text, false);
      if (!result.committed) {
        // Something changed since the check (someone took an address): show the new report.
        setReport(result);
        return;
      }
      setDone(i18n.count('importDone', result.counts.created + result.counts.updated));
      setReport(null);
      setFile(null);
      setInputKey((k) => k + 1);
      onImported();
    });

  return { file, report, busy, failure, done, inputKey, check, choose, confirm };
}

export function CsvImport({ onImported }: { onImported: () => void }) {
  const styles = useStyles();
  const { i18n } = useAdmin();
  const fileId = useId();
  const [kind, setKind] = useState<ImportKind>('contacts');
  const { file, report, busy, failure, done, inputKey, check, choose, confirm } = useCsvImport(onImported);

  return (
    <Section id="admin-import-title" title={i18n.t('importTitle')} className={styles.section}>
      <Field label={i18n.t('importKind')}>
        <Select
          value={kind}
          onChange={(_e, data) => {
            const next = data.value as ImportKind;
            setKind(next);
            if (file) void check(file, next);
          }}
        >
          <option value="contacts">{i18n.t('kind_contacts')}</option>
          <option value="salespeople">{i18n.t('kind_salespeople')}</option>
        </Select>
      </Field>
      <Caption1>{i18n.t('importColumns', { columns: IMPORT_COLUMNS[kind].join(', ') })}</Caption1>
      {/* A native file input (Fluent has none), labelled by its own label. */}
      <Label htmlFor={fileId}>{i18n.t('importFile')}</Label>
      <input
        key={inputKey}
        id={fileId}
        className={styles.file}
        type="file"
        accept=".csv,text/csv"
        onChange={(event) => void choose(event.target.files, kind)}
      />
      {busy === 'checking' && <Spinner size="tiny" label={i18n.t('importChecking')} />}
      <Notice intent="error" text={failure} />
      <Notice intent="success" text={done} />
      {report && (
        <ImportReport
          report={report}
          importing={busy === 'importing'}
          busy={busy !== null}
          onConfirm={() => void confirm(kind)}
        />
      )}
    </Section>
  );
}

/** The per-row report of a check, and the import's button when every row is accepted. */
function ImportReport({
  report,
  importing,
  busy,
  onConfirm
}: {
  report: DirectoryImportReport;
  importing: boolean;
  busy: boolean;
  onConfirm: () => void;
}) {
  const styles = useStyles();
  const { i18n } = useAdmin();
  const accepted = report.counts.rejected === 0 && report.counts.rows > 0;
  return (
    <div className={styles.section} aria-live="polite">
      <Body1>{i18n.t('importReport', report.counts)}</Body1>
      <MessageBar intent={accepted ? 'info' : 'error'}>
        <MessageBarBody>{accepted ? i18n.t('importReady') : i18n.t('importRejected')}</MessageBarBody>
      </MessageBar>
      <ul className={styles.list} aria-label={i18n.t('importTitle')}>
        {report.rows.map((row) => (
          <li key={row.row} className={styles.row}>
            <Caption1>
              {i18n.t('importRow', { row: row.row })}
              {row.email ? ` · ${row.email}` : ''}
              {' · '}
              <span className={row.status === 'rejected' ? styles.rejected : undefined}>
                {i18n.t(`importStatus_${row.status}`)}
              </span>
            </Caption1>
            {row.reasons.map((reason, index) => (
              <Caption1 key={index}>
                {reason.field}: {reason.detail}
              </Caption1>
            ))}
          </li>
        ))}
      </ul>
      {accepted && (
        <Button
          appearance="primary"
          disabled={busy}
          icon={importing ? <Spinner size="tiny" /> : undefined}
          onClick={onConfirm}
        >
          {i18n.count('importConfirm', report.counts.rows)}
        </Button>
      )}
    </div>
  );
}
