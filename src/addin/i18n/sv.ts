import type { Catalogue } from './en.js';

/* Swedish. Terms follow the Swedish Business Central documentation: interaktionslogg, logga, affärsmöjlighet, säljare, kontakt. */
export const sv: Catalogue = {
  appTitle: 'Interaktionslogg',
  loading: 'Läser in…',
  retry: 'Försök igen',
  cancel: 'Avbryt',
  close: 'Stäng',

  noItemTitle: 'Inget meddelande har valts',
  noItemText: 'Välj ett meddelande för att se ditt teams historik med personerna i det.',
  noParticipantsText: 'Det finns ingen annan än du i det här meddelandet.',
  internalOnlyText:
    'Alla i det här meddelandet tillhör din organisation. Välj en person för att se personens historik.',

  signedOutTitle: 'Logga in för att se historiken',
  signedOutText: 'Du behöver logga in en gång för att använda organisationens interaktionslogg.',
  signIn: 'Logga in',
  signInBlockedText:
    'Inloggningsfönstret kunde inte öppnas. Välj Logga in igen för att öppna det i Outlooks eget fönster.',
  unreachableTitle: 'Det går inte att nå interaktionsloggen',
  unreachableText: 'Kontrollera anslutningen och försök sedan igen.',
  errorTitle: 'Något gick fel',

  person: 'Person',
  showHistoryFor: 'Visa historik för',
  notAContact: 'Inte en kontakt än',
  addContact: 'Lägg till kontakt',
  addContactTitle: 'Lägg till kontakt',
  contactName: 'Namn',
  contactEmail: 'E-post',
  contactCompany: 'Företag',
  contactPhone: 'Telefon',
  save: 'Spara',
  nameRequired: 'Ange ett namn.',
  contactAdded: '{name} är nu en kontakt.',

  loggedBy: 'Loggat av {name}, {date}',
  loggedAutomatically: 'Loggat automatiskt, {date}',
  notLogged: 'Det här meddelandet har inte loggats än',

  logThread: 'Logga den här tråden',
  loggingThread: 'Loggar tråden…',
  readingThread: { one: '{count} meddelande läst', other: '{count} meddelanden lästa' },
  loggedResult: { one: '{count} post loggades.', other: '{count} poster loggades.' },
  skippedResult: { one: '{count} meddelande hoppades över:', other: '{count} meddelanden hoppades över:' },
  nothingNew: 'Allt i den här tråden har redan loggats.',
  logFailed: 'Det gick inte att logga tråden.',

  reason_no_internet_message_id: 'meddelande-ID saknas',
  reason_draft: 'det är ett utkast',
  reason_no_sender: 'avsändare saknas',
  reason_no_date: 'datum saknas',
  reason_sender_not_matched: 'avsändaren är varken säljare eller kontakt',
  reason_no_matching_recipient: 'ingen mottagare är kontakt eller säljare på andra sidan',
  reason_already_logged: 'redan loggat',
  reason_duplicate_in_request: 'förekommer två gånger',
  reason_never_log: 'en deltagare finns på undantagslistan',
  reason_internal_only: 'inga deltagare utanför organisationen',
  reason_not_a_participant: 'du är inte med på det',
  reason_outside_visible_history: 'dess poster hör till historik du inte kan se',
  reason_marked_private: 'det markerades som privat när det skrevs',

  historyTitle: 'Historik',
  historyEmpty: 'Ingen loggad e-post med {name} än.',
  historyNotContact: 'Lägg till {name} som kontakt för att starta personens historik.',
  loadMore: 'Läs in fler',
  inbound: 'Mottaget',
  outbound: 'Skickat',
  withSalesperson: 'med {name}',
  openMessage: 'Öppna meddelandet',
  noSubject: '(inget ämne)',
  viaMailbox: 'automatiskt',

  opportunitiesTitle: 'Öppna affärsmöjligheter',
  opportunitiesEmpty: 'Inga öppna affärsmöjligheter.',
  stage_qualification: 'Kvalificering',
  stage_proposal: 'Offert',
  stage_negotiation: 'Förhandling',
  closes: 'avslutas {date}',

  createOpportunity: 'Skapa affärsmöjlighet',
  createOpportunityTitle: 'Skapa affärsmöjlighet',
  description: 'Beskrivning',
  stage: 'Fas',
  estimatedValue: 'Uppskattat värde',
  currency: 'Valuta',
  expectedCloseDate: 'Förväntat slutdatum',
  create: 'Skapa',
  descriptionRequired: 'Beskriv affärsmöjligheten.',
  valueInvalid: 'Ange ett belopp på 0 eller mer.',
  currencyInvalid: 'Använd en kod på tre bokstäver, till exempel EUR.',
  dateInvalid: 'Välj ett datum.',
  linkThreadNote: {
    one: 'Trådens {count} loggade post kopplas till affärsmöjligheten.',
    other: 'Trådens {count} loggade poster kopplas till affärsmöjligheten.'
  },
  linkToExisting: 'Eller lägg till tråden i en öppen affärsmöjlighet',
  addToOpportunity: 'Lägg till i affärsmöjlighet',
  opportunityCreated: 'Affärsmöjligheten ”{name}” har skapats.',
  opportunityLinked: 'Tråden har lagts till i ”{name}”.',
  needsContact: 'Lägg först till personen som kontakt.',

  composeNote: 'Du skriver ett meddelande.',

  marksTitle: 'Hur det här meddelandet loggas',

  markPrivate: 'Privat — logga aldrig',

  linkOpportunity: 'Koppla till affärsmöjlighet …',

  noOpportunityLink: 'Ingen affärsmöjlighet',

  noRecipientOpportunities: 'Ingen mottagare har en öppen affärsmöjlighet.',

  marksUnsupported:
    'Den här versionen av Outlook kan inte markera ett meddelande som privat eller koppla det till en affärsmöjlighet (det kräver Outlook med Mailbox 1.8 eller senare). Meddelandet loggas som vanligt.',

  marksFailed: 'Outlook kunde inte spara valet i meddelandet. Försök igen.',

  sendPrompt:
    'Det här går till {company}, som har en öppen affärsmöjlighet ‘{name}’. Koppla det? Skicka ändå skickar det kopplat; Skicka inte låter dig ändra det i fönstret.',

  // The manager's team view.
  viewSwitch: 'Vy',
  contactView: 'Det här meddelandet',
  teamView: 'Team',
  adminView: 'Administration',
  teamTitle: 'Teamets aktivitet',
  teamFilters: 'Filter',
  filterTeam: 'Team',
  allTeams: 'Alla team',
  filterSalesperson: 'Säljare',
  allSalespeople: 'Alla',
  filterContact: 'Kontakt eller företag',
  contactSearchPlaceholder: 'Sök kontakter och företag',
  companyOption: 'Företag: {name}',
  filterFrom: 'Från',
  filterTo: 'Till',
  filterDirection: 'Riktning',
  allDirections: 'Skickade och mottagna',
  filterSource: 'Loggat',
  allSources: 'Alla sätt',
  sourceAddin: 'Från fönstret',
  sourceMailbox: 'Automatiskt',
  clearFilters: 'Rensa filter',
  chartTitle: 'E-post per vecka',
  chartWeek: 'Veckan från {date}: {details}',
  chartEmpty: 'Ingen loggad e-post under perioden.',
  chartHint: 'Använd piltangenterna för att gå mellan veckor.',
  stagesTitle: 'Öppna affärsmöjligheter per steg',
  stageCount: { one: '{count} affärsmöjlighet', other: '{count} affärsmöjligheter' },
  teamListTitle: 'Teamets historik',
  teamEmpty: 'Ingen loggad e-post matchar filtren.',
  exportCsv: 'Exportera CSV',
  exportFailed: 'Exporten misslyckades.',
  backToTeam: 'Tillbaka till teamet',
  showContactHistory: 'Visa historiken med {name}',
  noTeams: 'Du är inte chef för något team än. En administratör anger varje teams chef.',
  teamRowMeta: '{date} · {direction} · {salesperson}'
};
