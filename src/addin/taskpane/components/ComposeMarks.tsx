import {
  Caption1,
  Checkbox,
  Field,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Select,
  tokens
} from '@fluentui/react-components';
import { useEffect, useMemo, useState } from 'react';
import { NO_MARKS, type MessageMarks } from '../../../shared/message-marks.js';
import type { Opportunity } from '../../../shared/schemas/opportunity.js';
import { isExternal } from '../../domain/correspondent.js';
import type { MailItem } from '../../office/types.js';
import { useServices } from '../services.js';

const useStyles = makeStyles({
  marks: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS }
});

/** The open opportunities of every outside recipient of the message being written, each once. */
function useRecipientsOpportunities(item: MailItem): Opportunity[] {
  const { api, host } = useServices();
  const [found, setFound] = useState<Opportunity[]>([]);
  const recipients = useMemo(
    () => [...new Set([...item.to, ...item.cc].filter((p) => isExternal(p, host.user)).map((p) => p.email))],
    [item, host.user]
  );
  useEffect(() => {
    let cancelled = false;
    Promise.all(
      recipients.map((email) =>
        api.openOpportunities(email).then(
          (page) => page.items,
          () => []
        )
      )
    )
      .then((lists) => {
        const byId = new Map(lists.flat().map((opportunity) => [opportunity.id, opportunity]));
        if (!cancelled) setFound([...byId.values()]);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [api, recipients]);
  return found;
}

/**
 * In compose: "Private — never log" and "Link to opportunity …", stamped on the message as internet headers so
 * they travel with it to the shared mailbox's copy (src/shared/message-marks.ts).
 */
export default function ComposeMarks({ item }: { item: MailItem }) {
  const { host, i18n } = useServices();
  const styles = useStyles();
  const access = useMemo(() => host.composeMarks(), [host]);
  const opportunities = useRecipientsOpportunities(item);
  const [marks, setMarks] = useState<MessageMarks>(NO_MARKS);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let cancelled = false;
    access.read().then(
      (read) => !cancelled && setMarks(read),
      () => undefined
    );
    return () => {
      cancelled = true;
    };
  }, [access]);
  if (!access.supported) {
    return (
      <MessageBar intent="info">
        <MessageBarBody>{i18n.t('marksUnsupported')}</MessageBarBody>
      </MessageBar>
    );
  }
  const change = (next: MessageMarks) => {
    setMarks(next);
    access.write(next).then(
      () => setFailed(false),
      () => setFailed(true)
    );
  };
  // An opportunity named by the header but no longer among the recipients' open ones is still shown as chosen.
  const listed = opportunities.some((o) => o.id === marks.opportunityId);
  return (
    <section className={styles.marks} aria-label={i18n.t('marksTitle')}>
      <Checkbox
        label={i18n.t('markPrivate')}
        checked={marks.private}
        onChange={(_event, data) => change({ ...marks, private: data.checked === true })}
      />
      <Field label={i18n.t('linkOpportunity')}>
        <Select
          value={marks.opportunityId ?? ''}
          disabled={marks.private}
          onChange={(_event, data) => change({ ...marks, opportunityId: data.value || null })}
        >
          <option value="">{i18n.t('noOpportunityLink')}</option>
          {opportunities.map((o) => (
            <option key={o.id} value={o.id}>
              {`${o.description} (${o.contact.name})`}
            </option>
          ))}
          {marks.opportunityId && !listed && <option value={marks.opportunityId}>{marks.opportunityId}</option>}
        </Select>
      </Field>
      {opportunities.length === 0 && <Caption1>{i18n.t('noRecipientOpportunities')}</Caption1>}
      {failed && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{i18n.t('marksFailed')}</MessageBarBody>
        </MessageBar>
      )}
    </section>
  );
}
