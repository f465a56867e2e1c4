import { FluentProvider, Text, webLightTheme } from '@fluentui/react-components';
import { createRoot } from 'react-dom/client';

/* The task pane's entry point. The sales pane itself is built in its own issue; this mounts the shell. */
const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <FluentProvider theme={webLightTheme}>
      <Text as="h1" size={500} weight="semibold">
        Interaction log
      </Text>
    </FluentProvider>
  );
}
