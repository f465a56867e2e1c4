/** Text an attacker (or an odd mailbox) could put in a subject or a name: each must stay data everywhere. */
export const HOSTILE_STRINGS: string[] = [
  '<script>alert("subject")</script>',
  '<img src=x onerror="alert(1)">',
  '"><svg onload=alert(1)>',
  "'; DROP TABLE interactions; --",
  "Robert'); DELETE FROM contacts WHERE ('1'='1",
  '%27%20OR%201%3D1%20--',
  '{{constructor.constructor("alert(1)")()}}',
  '${7*7} #{7*7} <%= 7*7 %>',
  'tab\there, newline\nthere, bell\u0007, escape\u001b[31mred',
  'right-to-left \u202Egnp.exe and zero\u200Bwidth',
  '\u{1F600}\u{1F469}\u200D\u{1F469}\u200D\u{1F467} Ünïcödé 漢字 عربى ' + 'ß'.repeat(300),
  'javascript:alert(1)',
  '__proto__',
  '\\u0000 and a real \u0001 control'
];

/** Text PostgreSQL cannot store: refused over HTTP with a 400, never a 500. */
export const NUL_STRING = 'before\u0000after';
