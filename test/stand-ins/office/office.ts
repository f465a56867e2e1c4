import { hostStateFromUrl, installOfficeStandIn, mailboxVersionFromUrl } from './stand-in.js';

/*
 * The Office stand-in as a page script, loaded in place of Office.js from Microsoft's CDN: by the dev
 * server for /taskpane.html?standIn=1, or by browser tests that route the CDN URL to the built
 * /office-stand-in.js. It defines `window.Office` and the control surface `window.officeStandIn`; URL
 * parameters (?message=<graph id>|none&mode=compose&saved=0&theme=dark&lang=fi-FI) set the starting state, and
 * ?mailbox=1.5 makes it an older client, which supports the Mailbox requirement sets only up to that version.
 */
const mailboxVersion = mailboxVersionFromUrl(window.location.search);
installOfficeStandIn(window, {
  initial: hostStateFromUrl(window.location.search),
  ...(mailboxVersion ? { mailboxVersion } : {})
});
