import type { Catalogue } from './en.js';

/* Finnish. Terms follow the Finnish Business Central documentation: vuorovaikutusloki, kirjata lokiin, mahdollisuus, myyjä, yhteyshenkilö. */
export const fi: Catalogue = {
  appTitle: 'Vuorovaikutusloki',
  loading: 'Ladataan…',
  retry: 'Yritä uudelleen',
  cancel: 'Peruuta',
  close: 'Sulje',

  noItemTitle: 'Viestiä ei ole valittu',
  noItemText: 'Valitse viesti, niin näet tiimisi historian sen osallistujien kanssa.',
  noParticipantsText: 'Tässä viestissä ei ole muita kuin sinä.',
  internalOnlyText:
    'Kaikki tämän viestin osallistujat ovat organisaatiostasi. Valitse henkilö, niin näet hänen historiansa.',

  signedOutTitle: 'Kirjaudu sisään, niin näet historian',
  signedOutText: 'Organisaatiosi vuorovaikutuslokin käyttö edellyttää, että kirjaudut sisään kerran.',
  signIn: 'Kirjaudu sisään',
  signInBlockedText:
    'Kirjautumisikkuna ei avautunut. Valitse Kirjaudu sisään uudelleen, niin se avautuu Outlookin omaan ikkunaan.',
  unreachableTitle: 'Vuorovaikutuslokiin ei saada yhteyttä',
  unreachableText: 'Tarkista yhteys ja yritä sitten uudelleen.',
  errorTitle: 'Jokin meni vikaan',

  person: 'Henkilö',
  showHistoryFor: 'Kenen historia näytetään',
  notAContact: 'Ei vielä yhteyshenkilö',
  addContact: 'Lisää yhteyshenkilö',
  addContactTitle: 'Lisää yhteyshenkilö',
  contactName: 'Nimi',
  contactEmail: 'Sähköposti',
  contactCompany: 'Yritys',
  contactPhone: 'Puhelin',
  save: 'Tallenna',
  nameRequired: 'Anna nimi.',
  contactAdded: '{name} on nyt yhteyshenkilö.',

  loggedBy: 'Kirjannut: {name}, {date}',
  loggedAutomatically: 'Kirjattu automaattisesti, {date}',
  notLogged: 'Tätä viestiä ei ole vielä kirjattu lokiin',

  logThread: 'Kirjaa tämä ketju lokiin',
  loggingThread: 'Ketjua kirjataan lokiin…',
  readingThread: { one: 'Luettu {count} viesti', other: 'Luettu {count} viestiä' },
  loggedResult: { one: 'Kirjattu {count} tapahtuma.', other: 'Kirjattu {count} tapahtumaa.' },
  skippedResult: { one: 'Ohitettu {count} viesti:', other: 'Ohitettu {count} viestiä:' },
  nothingNew: 'Kaikki tämän ketjun viestit on jo kirjattu lokiin.',
  logFailed: 'Ketjua ei voitu kirjata lokiin.',

  reason_no_internet_message_id: 'viestitunnus puuttuu',
  reason_draft: 'se on luonnos',
  reason_no_sender: 'lähettäjä puuttuu',
  reason_no_date: 'päivämäärä puuttuu',
  reason_sender_not_matched: 'lähettäjä ei ole myyjä eikä yhteyshenkilö',
  reason_no_matching_recipient: 'yksikään vastaanottaja ei ole toisen osapuolen yhteyshenkilö tai myyjä',
  reason_already_logged: 'kirjattu jo lokiin',
  reason_duplicate_in_request: 'esiintyy kahdesti',
  reason_never_log: 'osallistuja on kirjaamattomien luettelossa',
  reason_internal_only: 'ei organisaation ulkopuolisia osallistujia',
  reason_not_a_participant: 'et ole sen osallistuja',
  reason_outside_visible_history: 'sen merkinnät kuuluvat historioihin, joita et näe',
  reason_marked_private: 'se merkittiin yksityiseksi kirjoitettaessa',

  historyTitle: 'Historia',
  historyEmpty: 'Yhteyshenkilön {name} kanssa ei ole vielä kirjattuja sähköposteja.',
  historyNotContact: 'Aloita historia lisäämällä {name} yhteyshenkilöksi.',
  loadMore: 'Lataa lisää',
  inbound: 'Vastaanotettu',
  outbound: 'Lähetetty',
  withSalesperson: 'myyjä: {name}',
  openMessage: 'Avaa viesti',
  noSubject: '(ei aihetta)',
  viaMailbox: 'automaattinen',

  opportunitiesTitle: 'Avoimet mahdollisuudet',
  opportunitiesEmpty: 'Ei avoimia mahdollisuuksia.',
  stage_qualification: 'Kvalifiointi',
  stage_proposal: 'Tarjous',
  stage_negotiation: 'Neuvottelu',
  closes: 'päättyy {date}',

  createOpportunity: 'Luo mahdollisuus',
  createOpportunityTitle: 'Luo mahdollisuus',
  description: 'Kuvaus',
  stage: 'Vaihe',
  estimatedValue: 'Arvioitu arvo',
  currency: 'Valuutta',
  expectedCloseDate: 'Arvioitu päättymispäivä',
  create: 'Luo',
  descriptionRequired: 'Kuvaile mahdollisuus.',
  valueInvalid: 'Anna summa, joka on vähintään 0.',
  currencyInvalid: 'Käytä kolmikirjaimista koodia, kuten EUR.',
  dateInvalid: 'Valitse päivämäärä.',
  linkThreadNote: {
    one: 'Tämän ketjun {count} kirjattu tapahtuma linkitetään.',
    other: 'Tämän ketjun {count} kirjattua tapahtumaa linkitetään.'
  },
  linkToExisting: 'Tai lisää tämä ketju avoimeen mahdollisuuteen',
  addToOpportunity: 'Lisää mahdollisuuteen',
  opportunityCreated: 'Mahdollisuus ”{name}” luotu.',
  opportunityLinked: 'Ketju lisätty mahdollisuuteen ”{name}”.',
  needsContact: 'Lisää tämä henkilö ensin yhteyshenkilöksi.',

  composeNote: 'Olet kirjoittamassa viestiä.',

  marksTitle: 'Miten tämä viesti kirjataan',

  markPrivate: 'Yksityinen — älä koskaan kirjaa',

  linkOpportunity: 'Liitä mahdollisuuteen …',

  noOpportunityLink: 'Ei mahdollisuutta',

  noRecipientOpportunities: 'Yhdelläkään vastaanottajalla ei ole avointa mahdollisuutta.',

  marksUnsupported:
    'Tämä Outlookin versio ei voi merkitä viestiä yksityiseksi eikä liittää sitä mahdollisuuteen (se vaatii Outlookin, jossa on Mailbox 1.8 tai uudempi). Viesti kirjataan tavalliseen tapaan.',

  marksFailed: 'Outlook ei voinut tallentaa valintaa viestiin. Yritä uudelleen.',

  sendPrompt:
    'Viesti menee yritykselle {company}, jolla on avoin mahdollisuus ‘{name}’. Liitetäänkö se? Lähetä silti lähettää sen liitettynä; Älä lähetä antaa muuttaa valinnan ruudussa.',

  // The manager's team view.
  viewSwitch: 'Näkymä',
  contactView: 'Tämä viesti',
  teamView: 'Tiimi',
  adminView: 'Ylläpito',
  teamTitle: 'Tiimin toiminta',
  teamFilters: 'Suodattimet',
  filterTeam: 'Tiimi',
  allTeams: 'Kaikki tiimit',
  filterSalesperson: 'Myyjä',
  allSalespeople: 'Kaikki',
  filterContact: 'Yhteyshenkilö tai yritys',
  contactSearchPlaceholder: 'Hae yhteyshenkilöitä ja yrityksiä',
  companyOption: 'Yritys: {name}',
  filterFrom: 'Alkaen',
  filterTo: 'Päättyen',
  filterDirection: 'Suunta',
  allDirections: 'Lähetetyt ja vastaanotetut',
  filterSource: 'Kirjaus',
  allSources: 'Mikä tahansa',
  sourceAddin: 'Ruudusta',
  sourceMailbox: 'Automaattisesti',
  clearFilters: 'Tyhjennä suodattimet',
  chartTitle: 'Sähköpostit viikoittain',
  chartWeek: 'Viikko {date}: {details}',
  chartEmpty: 'Tällä jaksolla ei ole kirjattuja sähköposteja.',
  chartHint: 'Siirry viikosta toiseen nuolinäppäimillä.',
  stagesTitle: 'Avoimet myyntimahdollisuudet vaiheittain',
  stageCount: { one: '{count} myyntimahdollisuus', other: '{count} myyntimahdollisuutta' },
  teamListTitle: 'Tiimin historia',
  teamEmpty: 'Mikään kirjattu sähköposti ei vastaa suodattimia.',
  exportCsv: 'Vie CSV-tiedostoon',
  exportFailed: 'Vienti epäonnistui.',
  backToTeam: 'Takaisin tiimiin',
  showContactHistory: 'Näytä historia: {name}',
  noTeams: 'Et vielä johda tiimiä. Pääkäyttäjä määrittää kunkin tiimin esihenkilön.',
  teamRowMeta: '{date} · {direction} · {salesperson}'
};
