import type { Catalogue } from './en.js';

/* Russian. Terms follow the Russian Business Central documentation: журнал взаимодействий, регистрация, возможность, менеджер по продажам, контакт. */
export const ru: Catalogue = {
  appTitle: 'Журнал взаимодействий',
  loading: 'Загрузка…',
  retry: 'Повторить попытку',
  cancel: 'Отмена',
  close: 'Закрыть',

  noItemTitle: 'Сообщение не выбрано',
  noItemText: 'Выберите сообщение, чтобы увидеть историю общения вашей команды с его участниками.',
  noParticipantsText: 'В этом сообщении нет никого, кроме вас.',
  internalOnlyText:
    'Все участники этого сообщения — сотрудники вашей организации. Выберите человека, чтобы просмотреть историю.',

  signedOutTitle: 'Войдите, чтобы увидеть историю',
  signedOutText: 'Для доступа к журналу взаимодействий вашей организации нужно один раз войти в систему.',
  signIn: 'Войти',
  signInBlockedText: 'Не удалось открыть окно входа. Нажмите «Войти» ещё раз, чтобы открыть его в окне Outlook.',
  unreachableTitle: 'Журнал взаимодействий недоступен',
  unreachableText: 'Проверьте подключение и повторите попытку.',
  errorTitle: 'Что-то пошло не так',
  outsideOutlookTitle: 'Откройте журнал взаимодействий из Outlook',
  outsideOutlookText:
    'Эта страница — боковая панель журнала взаимодействий для Outlook. Откройте письмо в Outlook и выберите «Журнал взаимодействий» на ленте или в меню надстроек письма.',
  outsideOutlookPreview: 'Попробовать рядом с демонстрационным почтовым ящиком',

  person: 'Участник',
  showHistoryFor: 'Показать историю для',
  notAContact: 'Еще не в контактах',
  addContact: 'Добавить контакт',
  addContactTitle: 'Добавление контакта',
  contactName: 'Имя',
  contactEmail: 'Адрес эл. почты',
  contactCompany: 'Компания',
  contactPhone: 'Телефон',
  save: 'Сохранить',
  nameRequired: 'Введите имя.',
  contactAdded: 'Контакт {name} добавлен.',

  loggedBy: 'Зарегистрировано: {name}, {date}',
  loggedAutomatically: 'Зарегистрировано автоматически, {date}',
  notLogged: 'Это сообщение еще не зарегистрировано',

  logThread: 'Зарегистрировать эту цепочку',
  loggingThread: 'Регистрация цепочки…',
  readingThread: {
    one: 'Прочитано {count} сообщение',
    few: 'Прочитано {count} сообщения',
    many: 'Прочитано {count} сообщений',
    other: 'Прочитано {count} сообщения'
  },
  loggedResult: {
    one: 'Зарегистрирована {count} запись.',
    few: 'Зарегистрировано {count} записи.',
    many: 'Зарегистрировано {count} записей.',
    other: 'Зарегистрировано {count} записи.'
  },
  skippedResult: {
    one: 'Пропущено {count} сообщение:',
    few: 'Пропущено {count} сообщения:',
    many: 'Пропущено {count} сообщений:',
    other: 'Пропущено {count} сообщения:'
  },
  nothingNew: 'Все сообщения этой цепочки уже зарегистрированы.',
  logFailed: 'Не удалось зарегистрировать цепочку.',

  reason_no_internet_message_id: 'нет идентификатора сообщения',
  reason_draft: 'это черновик',
  reason_no_sender: 'нет отправителя',
  reason_no_date: 'нет даты',
  reason_sender_not_matched: 'отправитель не является ни менеджером по продажам, ни контактом',
  reason_no_matching_recipient: 'среди получателей нет контакта или менеджера по продажам с другой стороны',
  reason_already_logged: 'уже зарегистрировано',
  reason_duplicate_in_request: 'встречается дважды',
  reason_never_log: 'участник в списке исключений',
  reason_internal_only: 'нет внешних участников',
  reason_not_a_participant: 'вы не участник переписки',
  reason_outside_visible_history: 'его записи относятся к истории, которую вы не видите',
  reason_marked_private: 'при написании оно помечено как личное',

  historyTitle: 'История',
  historyEmpty: 'Зарегистрированной переписки с контактом {name} пока нет.',
  historyNotContact: 'Добавьте {name} в контакты, чтобы начать историю.',
  loadMore: 'Загрузить еще',
  inbound: 'Получено',
  outbound: 'Отправлено',
  withSalesperson: 'с менеджером {name}',
  openMessage: 'Открыть сообщение',
  noSubject: '(без темы)',
  viaMailbox: 'автоматически',

  opportunitiesTitle: 'Открытые возможности',
  opportunitiesEmpty: 'Нет открытых возможностей.',
  stage_qualification: 'Квалификация',
  stage_proposal: 'Предложение',
  stage_negotiation: 'Переговоры',
  closes: 'закрытие: {date}',

  createOpportunity: 'Создать возможность',
  createOpportunityTitle: 'Создание возможности',
  description: 'Описание',
  stage: 'Этап',
  estimatedValue: 'Оценочная стоимость',
  currency: 'Валюта',
  expectedCloseDate: 'Ожидаемая дата закрытия',
  create: 'Создать',
  descriptionRequired: 'Опишите возможность.',
  valueInvalid: 'Введите сумму не меньше 0.',
  currencyInvalid: 'Используйте трехбуквенный код, например EUR.',
  dateInvalid: 'Выберите дату.',
  goToToday: 'Перейти к сегодняшнему дню',
  previousMonth: 'Предыдущий месяц',
  nextMonth: 'Следующий месяц',
  previousYear: 'Предыдущий год',
  nextYear: 'Следующий год',
  linkThreadNote: {
    one: 'С возможностью будет связана {count} зарегистрированная запись этой цепочки.',
    few: 'С возможностью будут связаны {count} зарегистрированные записи этой цепочки.',
    many: 'С возможностью будет связано {count} зарегистрированных записей этой цепочки.',
    other: 'С возможностью будет связано {count} зарегистрированной записи этой цепочки.'
  },
  linkToExisting: 'Или добавьте эту цепочку в открытую возможность',
  addToOpportunity: 'Добавить в возможность',
  opportunityCreated: 'Возможность «{name}» создана.',
  opportunityLinked: 'Цепочка добавлена в возможность «{name}».',
  needsContact: 'Сначала добавьте этого человека в контакты.',
  internalOnlyTitle: 'Внутреннее письмо: регистрировать нечего',
  colleagueText:
    '{name} работает в вашей организации. Коллеги — это продавцы, а не контакты: их письма регистрируются в истории ваших контактов.',
  logNeedsContact:
    'Журнал хранит переписку с контактами. Сначала добавьте {name} в контакты, затем зарегистрируйте эту цепочку.',
  threadLogged: 'Зарегистрировано',
  logNewReplies: 'Зарегистрировано: зарегистрировать новые ответы в цепочке',

  composeNote: 'Вы пишете сообщение.',

  marksTitle: 'Как записывается это сообщение',

  markPrivate: 'Личное — никогда не записывать',

  linkOpportunity: 'Связать со сделкой …',

  noOpportunityLink: 'Без сделки',

  noRecipientOpportunities: 'Ни у одного получателя нет открытых сделок.',

  marksUnsupported:
    'Эта версия Outlook не может пометить сообщение как личное или связать его со сделкой (нужен Outlook с Mailbox 1.8 или новее). Сообщение записывается как обычно.',

  marksFailed: 'Outlook не смог сохранить этот выбор в сообщении. Попробуйте ещё раз.',

  sendPrompt:
    'Это письмо уходит в {company}, где есть открытая сделка ‘{name}’. Связать его? «Всё равно отправить» отправит его связанным; «Не отправлять» позволит изменить выбор в панели.',

  // The manager's team view.
  viewSwitch: 'Представление',
  contactView: 'Это сообщение',
  teamView: 'Команда',
  adminView: 'Администрирование',
  backToMessage: 'Назад к письму',
  teamTitle: 'Активность команды',
  teamFilters: 'Фильтры',
  filterTeam: 'Команда',
  allTeams: 'Все команды',
  filterSalesperson: 'Менеджер по продажам',
  allSalespeople: 'Все',
  filterContact: 'Контакт или компания',
  contactSearchPlaceholder: 'Поиск контактов и компаний',
  companyOption: 'Компания: {name}',
  filterFrom: 'С',
  filterTo: 'По',
  filterDirection: 'Направление',
  allDirections: 'Отправленные и полученные',
  filterSource: 'Регистрация',
  allSources: 'Любая',
  sourceAddin: 'Из панели',
  sourceMailbox: 'Автоматически',
  clearFilters: 'Сбросить фильтры',
  chartTitle: 'Письма по неделям',
  chartWeek: 'Неделя с {date}: {details}',
  chartEmpty: 'За этот период нет зарегистрированных писем.',
  chartHint: 'Используйте клавиши со стрелками для перехода между неделями.',
  stagesTitle: 'Открытые возможности по этапам',
  stageCount: {
    one: '{count} возможность',
    few: '{count} возможности',
    many: '{count} возможностей',
    other: '{count} возможности'
  },
  teamListTitle: 'История команды',
  teamEmpty: 'Нет зарегистрированных писем, соответствующих фильтрам.',
  exportCsv: 'Экспорт в CSV',
  exportFailed: 'Не удалось выполнить экспорт.',
  backToTeam: 'Назад к команде',
  showContactHistory: 'Показать историю с контактом {name}',
  noTeams: 'Вы пока не руководите командой. Руководителя команды назначает администратор.',
  teamRowMeta: '{date} · {direction} · {salesperson}',

  // Notes and search.
  kindNote: 'Заметка',
  kindMeeting: 'Встреча',
  addNote: 'Добавить заметку',
  addNoteTitle: 'Заметка: {name}',
  noteSubject: 'Тема',
  noteText: 'Заметка',
  noteDate: 'Дата',
  noteSubjectRequired: 'Введите тему.',
  noteDateInvalid: 'Выберите дату за последние десять лет, не в будущем.',
  noteAdded: 'Заметка добавлена.',
  searchHistory: 'Поиск по истории',
  searchPlaceholder: 'Тема, текст, люди',
  searchNoResults: 'В истории нет совпадений с «{query}».'
};
