/** The tenant the demo data lives in, and the one dev tokens use when no tenant is named. */
export const DEMO_TENANT_ID = 'd300d300-0000-4000-8000-000000000001';

/** The organization's own domain in the demo; everything else is external. */
export const DEMO_ORG_DOMAIN = 'northwind.example';
