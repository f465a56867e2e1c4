/**
 * A string as an OData literal in a $filter: in single quotes, a quote inside doubled (OData ABNF, SQUOTE-in-string:
 * https://docs.oasis-open.org/odata/odata/v4.01/os/abnf/odata-abnf-construction-rules.txt).
 */
export const odataString = (value: string): string => `'${value.replace(/'/g, "''")}'`;
