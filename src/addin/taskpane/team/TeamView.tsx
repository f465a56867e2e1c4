import {
  Body1,
  Button,
  Divider,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Spinner,
  Subtitle1,
  tokens
} from '@fluentui/react-components';
import { ArrowDownloadRegular, ArrowLeftRegular } from '@fluentui/react-icons';
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import type { PersonRef } from '../../../shared/schemas/common.js';
import type { TeamSummary } from '../../../shared/schemas/team.js';
import type { TeamFilter } from '../../api/client.js';
import { failureText } from '../../api/problems.js';
import { History } from '../components/History.js';
import { Opportunities } from '../components/Opportunities.js';
import { PersonHeader } from '../components/PersonHeader.js';
import { ErrorState, PaneSkeleton } from '../components/States.js';
import { useOpportunityNames, usePersonData } from '../data.js';
import { useServices } from '../services.js';
import { ActivityChart } from './ActivityChart.js';
import { EMPTY_FILTERS, toTeamFilter, useTeamData, type TeamFilterForm } from './data.js';
import { saveFile } from './download.js';
import { StageTotals } from './StageTotals.js';
import { TeamFilters } from './TeamFilters.js';
import { TeamList } from './TeamList.js';

/*
 * The manager's team view, loaded only when a manager opens it (its own chunk): filters, the weekly chart,
 * open opportunities by stage, the team's log with "load more", a CSV export of what is filtered, and a
 * drill-down to one contact's whole history. The filters and the loaded list live here, above the
 * drill-down, so Back returns to them as they were.
 */

const OpportunityView = lazy(() => import(/* webpackChunkName: "dialogs" */ '../components/OpportunityView.js'));

const useStyles = makeStyles({
  view: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  header: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalS },
  back: { alignSelf: 'flex-start' }
});

/** The CSV export of what is filtered: busy while it runs, its failure in the user's words. */
function useExport(filter: TeamFilter) {
  const { api, i18n } = useServices();
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    try {
      const file = await api.teamExport(filter);
      saveFile(file.blob, file.filename ?? 'team-interactions.csv');
    } catch (error) {
      setExportError(failureText(error, i18n));
    } finally {
      setExporting(false);
    }
  };
  return { exporting, exportError, exportCsv };
}

/** The contact opened from the list, and the entry it was opened from, focused again on the way back. */
function useDrillDown() {
  const [contact, setContact] = useState<{ person: PersonRef; entryId: string } | null>(null);
  const returnTo = useRef<string | null>(null);
  useEffect(() => {
    if (contact !== null || returnTo.current === null) return;
    document.querySelector<HTMLElement>(`[data-entry="${CSS.escape(returnTo.current)}"]`)?.focus();
    returnTo.current = null;
  }, [contact]);
  const back = () => {
    returnTo.current = contact?.entryId ?? null;
    setContact(null);
  };
  return { contact, open: setContact, back };
}

export default function TeamView() {
  const styles = useStyles();
  const { i18n } = useServices();
  const [form, setForm] = useState<TeamFilterForm>(EMPTY_FILTERS);
  const filter = useMemo(() => toTeamFilter(form), [form]);
  const { state, retry, loadMore, loadingMore, refreshSummary } = useTeamData(filter);
  const drillDown = useDrillDown();
  const { exporting, exportError, exportCsv } = useExport(filter);
  // The filters stay on screen (with the last known teams and people) while new results load.
  const lastSummary = useRef<TeamSummary | null>(null);
  if (state.status === 'ready') lastSummary.current = state.data.summary;
  const summary = lastSummary.current;

  if (drillDown.contact) {
    return (
      <div className={styles.view}>
        <Button className={styles.back} icon={<ArrowLeftRegular />} onClick={drillDown.back}>
          {i18n.t('backToTeam')}
        </Button>
        <ContactDrillDown
          person={drillDown.contact.person}
          onOpportunityChanged={() => void refreshSummary().catch(() => undefined)}
        />
      </div>
    );
  }
  if (state.status === 'error' && summary === null) return <ErrorState error={state.error} onRetry={retry} />;
  if (summary === null) return <PaneSkeleton />;
  if (summary.teams.length === 0)
    return (
      <Body1 as="p" block>
        {i18n.t('noTeams')}
      </Body1>
    );

  return (
    <div className={styles.view}>
      <div className={styles.header}>
        <Subtitle1 as="h1" block>
          {i18n.t('teamTitle')}
        </Subtitle1>
        <Button
          icon={exporting ? <Spinner size="tiny" /> : <ArrowDownloadRegular />}
          disabled={exporting}
          onClick={() => void exportCsv()}
        >
          {i18n.t('exportCsv')}
        </Button>
      </div>
      {exportError && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>
            {i18n.t('exportFailed')} {exportError}
          </MessageBarBody>
        </MessageBar>
      )}
      <TeamFilters value={form} onChange={setForm} teams={summary.teams} salespeople={summary.salespeople} />
      <Divider />
      {state.status === 'error' ? (
        <ErrorState error={state.error} onRetry={retry} />
      ) : state.status === 'loading' ? (
        <PaneSkeleton />
      ) : (
        <>
          <ActivityChart weeks={state.data.summary.weeks} series={state.data.summary.series} />
          <StageTotals stages={state.data.summary.opportunitiesByStage} />
          <TeamList
            items={state.data.items}
            hasMore={state.data.nextCursor !== null}
            loadingMore={loadingMore}
            onLoadMore={() => void loadMore()}
            onOpenContact={(entry) => drillDown.open({ person: entry.contact, entryId: entry.id })}
          />
        </>
      )}
    </div>
  );
}

/** One contact's whole history and open opportunities, as the sales pane shows them. */
function ContactDrillDown({ person, onOpportunityChanged }: { person: PersonRef; onOpportunityChanged: () => void }) {
  const { state, retry, reload, loadMore, loadingMore } = usePersonData(person.email);
  const [openOpportunity, setOpenOpportunity] = useState<string | null>(null);
  const opportunityNames = useOpportunityNames(state.data?.history ?? [], state.data?.opportunities ?? []);
  if (state.status === 'loading') return <PaneSkeleton />;
  if (state.status === 'error') return <ErrorState error={state.error} onRetry={retry} />;
  const { contact, history, nextCursor, opportunities } = state.data;
  if (openOpportunity) {
    return (
      <Suspense fallback={<PaneSkeleton />}>
        <OpportunityView
          opportunityId={openOpportunity}
          openOpportunities={opportunities}
          backLabel="backToContact"
          onBack={() => setOpenOpportunity(null)}
          onChanged={() => {
            reload();
            onOpportunityChanged();
          }}
        />
      </Suspense>
    );
  }
  return (
    <>
      <PersonHeader person={{ name: person.name, email: person.email }} contact={contact} />
      <Opportunities items={opportunities} onOpen={setOpenOpportunity} />
      <History
        items={history}
        personName={contact?.name ?? person.name}
        hasMore={nextCursor !== null}
        loadingMore={loadingMore}
        onLoadMore={() => void loadMore()}
        opportunityNames={opportunityNames}
        onOpenOpportunity={setOpenOpportunity}
      />
    </>
  );
}
