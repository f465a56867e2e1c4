import { makeStyles, Subtitle1, Tab, TabList, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { AdminProvider, useAdmin } from './context.js';
import { Directory } from './Directory.js';
import { Health } from './Health.js';
import { Settings } from './Settings.js';
import { Setup } from './Setup.js';
import { useValidation } from './validation.js';

/*
 * The admin view, loaded only when an admin opens it (its own chunk, with its own words): guided setup with
 * live validation, settings, health and the directory. The last validation is kept here, so switching
 * sections keeps each setup step's status.
 */

const useStyles = makeStyles({
  view: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  // Four sections' names do not fit one line of a narrow pane in every language.
  tabs: { flexWrap: 'wrap' }
});

type Section = 'setup' | 'settings' | 'health' | 'directory';

export default function AdminView() {
  return (
    <AdminProvider>
      <Sections />
    </AdminProvider>
  );
}

function Sections() {
  const styles = useStyles();
  const { i18n } = useAdmin();
  const [section, setSection] = useState<Section>('setup');
  const validation = useValidation();
  return (
    <div className={styles.view}>
      <Subtitle1 as="h1" block>
        {i18n.t('adminTitle')}
      </Subtitle1>
      <TabList
        selectedValue={section}
        onTabSelect={(_e, data) => setSection(data.value as Section)}
        aria-label={i18n.t('sections')}
        className={styles.tabs}
      >
        <Tab value="setup">{i18n.t('tabSetup')}</Tab>
        <Tab value="settings">{i18n.t('tabSettings')}</Tab>
        <Tab value="health">{i18n.t('tabHealth')}</Tab>
        <Tab value="directory">{i18n.t('tabDirectory')}</Tab>
      </TabList>
      <div role="tabpanel" aria-label={i18n.t(`tab${section[0]!.toUpperCase()}${section.slice(1)}` as 'tabSetup')}>
        {section === 'setup' && <Setup validation={validation} />}
        {section === 'settings' && <Settings />}
        {section === 'health' && <Health />}
        {section === 'directory' && <Directory />}
      </div>
    </div>
  );
}
