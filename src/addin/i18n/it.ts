import type { Catalogue } from './en.js';

/*
 * Italian. Terms follow the Italian Business Central documentation: log delle interazioni, registrare, voce,
 * opportunità, venditore, contatto. Intl.PluralRules('it') also reports "many" (e.g. 1.000.000), same form as "other".
 */
export const it: Catalogue = {
  appTitle: 'Log delle interazioni',
  loading: 'Caricamento…',
  retry: 'Riprova',
  cancel: 'Annulla',
  close: 'Chiudi',

  noItemTitle: 'Nessun messaggio selezionato',
  noItemText: 'Seleziona un messaggio per vedere la cronologia del tuo team con le persone coinvolte.',
  noParticipantsText: 'In questo messaggio non c’è nessuno oltre a te.',
  internalOnlyText:
    'Tutte le persone in questo messaggio fanno parte della tua organizzazione. Scegli una persona per vederne la cronologia.',

  signedOutTitle: 'Accedi per vedere la cronologia',
  signedOutText: 'Per usare il log delle interazioni della tua organizzazione devi accedere una volta.',
  signIn: 'Accedi',
  signInBlockedText:
    'Non è stato possibile aprire la finestra di accesso. Seleziona di nuovo Accedi per aprirla in una finestra di Outlook.',
  unreachableTitle: 'Impossibile raggiungere il log delle interazioni',
  unreachableText: 'Controlla la connessione e riprova.',
  errorTitle: 'Si è verificato un problema',
  outsideOutlookTitle: 'Apri il log delle interazioni da Outlook',
  outsideOutlookText:
    'Questa pagina è il riquadro laterale del log delle interazioni per Outlook. Apri un messaggio in Outlook e scegli Log delle interazioni nella barra multifunzione o nel menu dei componenti aggiuntivi del messaggio.',
  outsideOutlookPreview: 'Provalo accanto a una casella di posta dimostrativa',

  person: 'Persona',
  showHistoryFor: 'Mostra cronologia per',
  notAContact: 'Non ancora un contatto',
  addContact: 'Aggiungi contatto',
  addContactTitle: 'Aggiungi contatto',
  contactName: 'Nome',
  contactEmail: 'E-mail',
  contactCompany: 'Società',
  contactPhone: 'Telefono',
  save: 'Salva',
  nameRequired: 'Immetti un nome.',
  contactAdded: '{name} è ora un contatto.',

  loggedBy: 'Registrato da {name}, {date}',
  loggedAutomatically: 'Registrato automaticamente, {date}',
  notLogged: 'Questo messaggio non è ancora stato registrato',

  logThread: 'Registra questa conversazione',
  loggingThread: 'Registrazione della conversazione…',
  readingThread: { one: 'Letto {count} messaggio', many: 'Letti {count} messaggi', other: 'Letti {count} messaggi' },
  loggedResult: {
    one: 'Registrata {count} voce.',
    many: 'Registrate {count} voci.',
    other: 'Registrate {count} voci.'
  },
  skippedResult: {
    one: 'Ignorato {count} messaggio:',
    many: 'Ignorati {count} messaggi:',
    other: 'Ignorati {count} messaggi:'
  },
  nothingNew: 'Tutti i messaggi di questa conversazione erano già registrati.',
  logFailed: 'Impossibile registrare la conversazione.',

  reason_no_internet_message_id: 'manca l’ID messaggio',
  reason_draft: 'è una bozza',
  reason_no_sender: 'manca il mittente',
  reason_no_date: 'manca la data',
  reason_sender_not_matched: 'il mittente non è né un venditore né un contatto',
  reason_no_matching_recipient: 'nessun destinatario è un contatto o un venditore dell’altra parte',
  reason_already_logged: 'già registrato',
  reason_duplicate_in_request: 'compare due volte',
  reason_never_log: 'un partecipante è nell’elenco di esclusione',
  reason_internal_only: 'nessun partecipante esterno all’organizzazione',
  reason_not_a_participant: 'non sei tra i partecipanti',
  reason_outside_visible_history: 'le sue voci appartengono a cronologie che non puoi vedere',
  reason_marked_private: 'è stato contrassegnato come privato durante la scrittura',

  historyTitle: 'Cronologia',
  historyEmpty: 'Ancora nessuna e-mail registrata con {name}.',
  historyNotContact: 'Aggiungi {name} come contatto per iniziarne la cronologia.',
  loadMore: 'Carica altro',
  inbound: 'Ricevuto',
  outbound: 'Inviato',
  withSalesperson: 'con {name}',
  openMessage: 'Apri messaggio',
  noSubject: '(nessun oggetto)',
  viaMailbox: 'automatico',

  opportunitiesTitle: 'Opportunità aperte',
  opportunitiesEmpty: 'Nessuna opportunità aperta.',
  stage_qualification: 'Qualificazione',
  stage_proposal: 'Proposta',
  stage_negotiation: 'Negoziazione',
  closes: 'chiusura: {date}',

  createOpportunity: 'Crea opportunità',
  createOpportunityTitle: 'Crea opportunità',
  description: 'Descrizione',
  stage: 'Fase',
  estimatedValue: 'Valore stimato',
  currency: 'Valuta',
  expectedCloseDate: 'Data di chiusura prevista',
  create: 'Crea',
  descriptionRequired: 'Descrivi l’opportunità.',
  valueInvalid: 'Immetti un importo pari o superiore a 0.',
  currencyInvalid: 'Usa un codice di tre lettere, ad esempio EUR.',
  dateInvalid: 'Scegli una data.',
  goToToday: 'Vai a oggi',
  previousMonth: 'Mese precedente',
  nextMonth: 'Mese successivo',
  previousYear: 'Anno precedente',
  nextYear: 'Anno successivo',
  linkThreadNote: {
    one: 'Verrà collegata {count} voce registrata di questa conversazione.',
    many: 'Verranno collegate {count} voci registrate di questa conversazione.',
    other: 'Verranno collegate {count} voci registrate di questa conversazione.'
  },
  linkToExisting: 'Oppure aggiungi questa conversazione a un’opportunità aperta',
  addToOpportunity: 'Aggiungi all’opportunità',
  opportunityCreated: 'Opportunità “{name}” creata.',
  opportunityLinked: 'Conversazione aggiunta a “{name}”.',
  needsContact: 'Aggiungi prima questa persona come contatto.',
  internalOnlyTitle: 'Messaggio interno: niente da registrare',
  colleagueText:
    '{name} lavora nella tua organizzazione. I colleghi sono venditori, non contatti: le loro email sono registrate nella cronologia dei tuoi contatti.',
  logNeedsContact:
    'Il registro conserva le email con i contatti. Aggiungi prima {name} come contatto, poi registra questa conversazione.',
  threadLogged: 'Registrata',
  logNewReplies: 'Registrata: registra le nuove risposte della conversazione',

  composeNote: 'Stai scrivendo un messaggio.',

  marksTitle: 'Come viene registrato questo messaggio',

  markPrivate: 'Privato — non registrare mai',

  linkOpportunity: 'Collega a opportunità …',

  noOpportunityLink: 'Nessuna opportunità',

  noRecipientOpportunities: 'Nessun destinatario ha opportunità aperte.',

  marksUnsupported:
    "Questa versione di Outlook non può contrassegnare un messaggio come privato né collegarlo a un'opportunità (serve Outlook con Mailbox 1.8 o successivo). Il messaggio viene registrato come di consueto.",

  marksFailed: 'Outlook non ha potuto salvare questa scelta sul messaggio. Riprova.',

  sendPrompt:
    'Questo messaggio va a {company}, che ha un’opportunità aperta ‘{name}’. Collegarlo? Invia comunque lo invia collegato; Non inviare ti permette di cambiarlo nel riquadro.',

  // The manager's team view.
  viewSwitch: 'Vista',
  contactView: 'Questo messaggio',
  teamView: 'Team',
  adminView: 'Amministrazione',
  backToMessage: 'Torna al messaggio',
  teamTitle: 'Attività del team',
  teamFilters: 'Filtri',
  filterTeam: 'Team',
  allTeams: 'Tutti i team',
  filterSalesperson: 'Venditore',
  allSalespeople: 'Tutti',
  filterContact: 'Contatto o società',
  contactSearchPlaceholder: 'Cerca contatti e società',
  companyOption: 'Società: {name}',
  filterFrom: 'Dal',
  filterTo: 'Al',
  filterDirection: 'Direzione',
  allDirections: 'Inviate e ricevute',
  filterSource: 'Registrazione',
  allSources: 'Qualsiasi',
  sourceAddin: 'Dal riquadro',
  sourceMailbox: 'Automatica',
  clearFilters: 'Cancella filtri',
  chartTitle: 'E-mail per settimana',
  chartWeek: 'Settimana del {date}: {details}',
  chartEmpty: 'Nessuna e-mail registrata in questo periodo.',
  chartHint: 'Usa i tasti freccia per spostarti tra le settimane.',
  stagesTitle: 'Opportunità aperte per fase',
  stageCount: { one: '{count} opportunità', many: '{count} opportunità', other: '{count} opportunità' },
  teamListTitle: 'Cronologia del team',
  teamEmpty: 'Nessuna e-mail registrata corrisponde ai filtri.',
  exportCsv: 'Esporta CSV',
  exportFailed: 'Esportazione non riuscita.',
  backToTeam: 'Torna al team',
  showContactHistory: 'Mostra la cronologia con {name}',
  noTeams: 'Non gestisci ancora un team. Un amministratore imposta il responsabile di ogni team.',
  teamRowMeta: '{date} · {direction} · {salesperson}',

  // Notes and search.
  kindNote: 'Nota',
  kindMeeting: 'Riunione',
  addNote: 'Aggiungi nota',
  addNoteTitle: 'Nota su {name}',
  noteSubject: 'Oggetto',
  noteText: 'Nota',
  noteDate: 'Data',
  noteSubjectRequired: 'Inserisci un oggetto.',
  noteDateInvalid: 'Scegli una data degli ultimi dieci anni, non futura.',
  noteAdded: 'Nota aggiunta.',
  searchHistory: 'Cerca nella cronologia',
  searchPlaceholder: 'Oggetto, testo, persone',
  searchNoResults: 'Nessuna voce della cronologia corrisponde a «{query}».'
};
