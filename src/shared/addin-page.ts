/*
 * How the server hands the task pane its runtime configuration: a JSON data block in the page itself, so the
 * pane needs no round trip for it. A plain constant (no schema code), so the pane can import it.
 */

/** The id of the `<script type="application/json">` element that holds the page's AddinConfig. */
export const ADDIN_CONFIG_ELEMENT_ID = 'addin-config';
