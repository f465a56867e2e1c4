import { broadcastResponseToMainFrame } from '@azure/msal-browser/redirect-bridge';

/* The redirect target of MSAL popups: hands the sign-in response back to the pane's window. */
void broadcastResponseToMainFrame();
