import fc from 'fast-check';
import {
  SETUP_STEP_IDS,
  SetupValueError,
  buildSetupSteps,
  quotePowerShell,
  type SetupCommand,
  type SetupValues
} from '../../src/shared/setup-commands.js';

/*
 * PowerShell's own reading of a command line, as far as our commands go: bare words separated by blanks, and
 * single-quoted strings in which every kind of single quote (' ‘ ’ ‚ ‛) closes the string unless doubled.
 * A value that escaped its string would show up here as extra tokens or as a bare word.
 */
type Token = { quoted: boolean; text: string };
const QUOTES = new Set(["'", '\u2018', '\u2019', '\u201a', '\u201b']);

function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ') {
      i++;
      continue;
    }
    if (QUOTES.has(c)) {
      let value = '';
      i++;
      for (;;) {
        if (i >= line.length) throw new Error(`unterminated string in ${line}`);
        const d = line[i]!;
        if (QUOTES.has(d)) {
          if (QUOTES.has(line[i + 1] ?? '')) {
            value += d;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += d;
        i++;
      }
      if (i < line.length && line[i] !== ' ') throw new Error(`string glued to a word in ${line}`);
      tokens.push({ quoted: true, text: value });
      continue;
    }
    let word = '';
    while (i < line.length && line[i] !== ' ' && !QUOTES.has(line[i]!)) word += line[i++];
    tokens.push({ quoted: false, text: word });
  }
  return tokens;
}

/** The quoted argument that follows `-parameter`. */
function argument(command: SetupCommand, parameter: string): Token {
  const tokens = tokenize(command.text);
  const at = tokens.findIndex((t) => !t.quoted && t.text === parameter);
  if (at < 0 || !tokens[at + 1]) throw new Error(`${parameter} not in ${command.text}`);
  return tokens[at + 1]!;
}

function command(values: SetupValues, id: string): SetupCommand {
  for (const step of buildSetupSteps(values)) {
    const found = [...step.commands, ...(step.alternative?.commands ?? [])].find((c) => c.id === id);
    if (found) return found;
  }
  throw new Error(`no command ${id}`);
}

const base: SetupValues = {
  mailboxAddress: 'interaction-log@contoso.com',
  processorAppId: '6233fba6-0198-4277-892f-9275bf728bcc',
  processorServicePrincipalId: '0d4bd5a4-5f1a-4e5f-9d57-2b3c1c0c9e11',
  acceptedDomains: ['contoso.com', 'contoso.co.uk'],
  archiveReaders: ['sales-managers@contoso.com'],
  addinUrl: 'https://addin.contoso.com',
  addinClientId: 'a1b2c3d4-0000-4000-8000-000000000001',
  apiClientId: 'a1b2c3d4-0000-4000-8000-000000000002',
  tenantId: 'f0e1d2c3-0000-4000-8000-000000000003'
};

/** Bare words our commands may contain: cmdlets, switches and fixed parameter values; never a value. */
const BARE_WORDS = /^(-?[A-Z][A-Za-z]+(-[A-Z][A-Za-z]+)?|-[A-Za-z]+|\$false|\||\{|\}|\$_\.DomainName|-in|@\(|\)|,)$/;

function assertOnlyOurWords(values: SetupValues) {
  for (const step of buildSetupSteps(values)) {
    for (const c of [...step.commands, ...(step.alternative?.commands ?? [])]) {
      if (c.shell !== 'powershell') continue;
      for (const token of tokenize(c.text)) {
        if (!token.quoted) expect(token.text).toMatch(BARE_WORDS);
      }
    }
  }
}

describe('setup commands', () => {
  it('fills every step with the tenant values, each in its own single-quoted argument', () => {
    const steps = buildSetupSteps(base);
    expect(steps.map((s) => s.id)).toEqual([...SETUP_STEP_IDS]);
    expect(argument(command(base, 'new-mailbox'), '-PrimarySmtpAddress')).toEqual({
      quoted: true,
      text: 'interaction-log@contoso.com'
    });
    expect(argument(command(base, 'new-mailbox'), '-Alias').text).toBe('interaction-log');
    expect(argument(command(base, 'new-service-principal'), '-AppId').text).toBe(base.processorAppId);
    expect(argument(command(base, 'new-service-principal'), '-ObjectId').text).toBe(base.processorServicePrincipalId);
    // The filter is itself a quoted OPATH string holding a quoted address.
    const filter = argument(command(base, 'new-management-scope'), '-RecipientRestrictionFilter').text;
    expect(tokenize(filter)).toEqual([
      { quoted: false, text: 'PrimarySmtpAddress' },
      { quoted: false, text: '-eq' },
      { quoted: true, text: 'interaction-log@contoso.com' }
    ]);
    const assignment = command(base, 'new-role-assignment');
    expect(argument(assignment, '-Role').text).toBe('Application Mail.ReadWrite');
    expect(argument(assignment, '-CustomResourceScope').text).toBe(
      argument(command(base, 'new-management-scope'), '-Name').text
    );
    expect(argument(command(base, 'add-folder-permission-1'), '-Identity').text).toBe(
      'interaction-log@contoso.com:\\Archive'
    );
    expect(argument(command(base, 'add-folder-permission-1'), '-User').text).toBe('sales-managers@contoso.com');
    const inbound = tokenize(command(base, 'inbound-rule').text).map((t) => t.text);
    expect(inbound).toEqual(
      expect.arrayContaining(['-FromScope', 'NotInOrganization', '-SentToScope', 'InOrganization'])
    );
    expect(inbound.indexOf('NotInOrganization')).toBe(inbound.indexOf('-FromScope') + 1);
    const outbound = tokenize(command(base, 'outbound-rule').text).map((t) => t.text);
    expect(outbound.indexOf('InOrganization')).toBe(outbound.indexOf('-FromScope') + 1);
    expect(outbound.indexOf('NotInOrganization')).toBe(outbound.indexOf('-SentToScope') + 1);
    expect(argument(command(base, 'outbound-rule'), '-BlindCopyTo').text).toBe('interaction-log@contoso.com');
    const registration = steps[4]!;
    expect(registration.facts).toContainEqual({ name: 'naaRedirectUri', value: 'brk-multihub://addin.contoso.com' });
    expect(command(base, 'admin-consent-addin').text).toBe(
      `https://login.microsoftonline.com/${base.tenantId}/adminconsent?client_id=${base.addinClientId}`
    );
    expect(command(base, 'manifest-url').text).toBe('https://addin.contoso.com/manifest.xml');
    for (const step of steps) for (const c of step.commands) expect(c.missing).toEqual([]);
    assertOnlyOurWords(base);
  });

  it('marks what is missing and leaves a harmless quoted placeholder', () => {
    const bare = command({}, 'new-mailbox');
    expect(bare.missing).toEqual(['mailboxAddress']);
    expect(argument(bare, '-PrimarySmtpAddress')).toEqual({ quoted: true, text: '<shared mailbox address>' });
    expect(command({}, 'admin-consent-addin').missing).toEqual(['tenantId', 'addinClientId']);
    assertOnlyOurWords({});
  });

  it('keeps quotes of every kind, $(...), backticks and semicolons inside the string', () => {
    const hostile = [
      "Sales'; Remove-Mailbox -Identity ceo@contoso.com; '",
      'Sales\u2019; Remove-Mailbox ceo \u2018',
      'Sales\u201a$(Invoke-Expression evil)\u201b',
      'Log `$(whoami)` ; & calc | Out-Host',
      "''''",
      "\u2018\u2019\u201a\u201b'",
      '$env:PATH "double" @(1,2) #comment'
    ];
    for (const name of hostile) {
      const values = { ...base, mailboxDisplayName: name };
      const created = command(values, 'new-mailbox');
      expect(argument(created, '-DisplayName')).toEqual({ quoted: true, text: name.trim() });
      expect(tokenize(created.text)).toHaveLength(tokenize(command(base, 'new-mailbox').text).length);
      assertOnlyOurWords(values);
    }
    // Addresses may legally hold ' $ ` { } | : still one argument, also inside the nested filter.
    const oddAddress = "o'brien`{$x}|~@contoso.com";
    const values = { ...base, mailboxAddress: oddAddress, archiveReaders: ["d'arcy@contoso.com"] };
    expect(argument(command(values, 'new-mailbox'), '-PrimarySmtpAddress').text).toBe(oddAddress);
    const filter = argument(command(values, 'new-management-scope'), '-RecipientRestrictionFilter').text;
    expect(tokenize(filter)[2]).toEqual({ quoted: true, text: oddAddress });
    expect(tokenize(filter)).toHaveLength(3);
    expect(argument(command(values, 'add-folder-permission-1'), '-User').text).toBe("d'arcy@contoso.com");
    expect(argument(command(values, 'inbound-rule'), '-BlindCopyTo').text).toBe(oddAddress);
    assertOnlyOurWords(values);
  });

  it('any display name without control characters stays one argument (property)', () => {
    fc.assert(
      fc.property(
        fc
          .string({ unit: 'grapheme', minLength: 1, maxLength: 64 })
          // eslint-disable-next-line no-control-regex
          .filter((s) => s.trim().length > 0 && !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(s)),
        fc.constantFrom("'", '\u2018', '\u2019', '\u201a', '\u201b', '$(', '`', ';', '"'),
        (name, odd) => {
          const value = `${odd}${name}${odd}`.slice(0, 64);
          if (value.trim() !== value || value.trim() === '') return;
          const created = command({ ...base, mailboxDisplayName: value }, 'new-mailbox');
          expect(argument(created, '-Name')).toEqual({ quoted: true, text: value });
          expect(argument(created, '-DisplayName')).toEqual({ quoted: true, text: value });
        }
      )
    );
  });

  it('refuses newlines, control characters and values that are not what they claim', () => {
    const refused: Array<[SetupValues, string]> = [
      [{ mailboxDisplayName: "Sales\n'; Remove-Mailbox x" }, 'mailboxDisplayName'],
      [{ mailboxDisplayName: 'Sales\r' + 'x' }, 'mailboxDisplayName'],
      [{ mailboxDisplayName: 'Sales\u2028x' }, 'mailboxDisplayName'],
      [{ mailboxDisplayName: 'Sales\u0000' }, 'mailboxDisplayName'],
      [{ mailboxAddress: 'log@contoso.com\nRemove-Mailbox' }, 'mailboxAddress'],
      [{ mailboxAddress: 'log$(whoami)@contoso.com' }, 'mailboxAddress'],
      [{ mailboxAddress: 'log;x@contoso.com' }, 'mailboxAddress'],
      [{ mailboxAddress: "log@contoso.com'; Remove-Mailbox x" }, 'mailboxAddress'],
      [{ mailboxAddress: 'not-an-address' }, 'mailboxAddress'],
      [{ acceptedDomains: ["contoso.com'; calc"] }, 'acceptedDomains'],
      [{ acceptedDomains: ['contoso.com`'] }, 'acceptedDomains'],
      [{ acceptedDomains: ['contoso\u2019.com'] }, 'acceptedDomains'],
      [{ processorAppId: "6233fba6-0198-4277-892f-9275bf728bcc'" }, 'processorAppId'],
      [{ processorServicePrincipalId: '$(whoami)' }, 'processorServicePrincipalId'],
      [{ archiveReaders: ['ok@contoso.com', 'x@y'] }, 'archiveReaders'],
      [{ archiveFolder: 'Archive\\..\\Inbox' }, 'archiveFolder'],
      [{ addinUrl: 'http://addin.contoso.com' }, 'addinUrl'],
      [{ addinUrl: 'javascript:alert(1)' }, 'addinUrl'],
      [{ tenantId: 'contoso' }, 'tenantId']
    ];
    for (const [values, field] of refused) {
      let caught: unknown = null;
      try {
        buildSetupSteps(values);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(SetupValueError);
      expect((caught as SetupValueError).field).toBe(field);
    }
    expect(() => quotePowerShell('a\nb')).toThrow(SetupValueError);
  });

  it('doubles each single quote, typographic ones included', () => {
    expect(quotePowerShell("it's")).toBe("'it''s'");
    expect(quotePowerShell('\u2018x\u2019')).toBe("'\u2018\u2018x\u2019\u2019'");
    expect(quotePowerShell('\u201a\u201b')).toBe("'\u201a\u201a\u201b\u201b'");
    expect(quotePowerShell('$(x) `y` ;z "w"')).toBe('\'$(x) `y` ;z "w"\'');
  });
});
