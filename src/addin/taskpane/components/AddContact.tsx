import { Field, Input } from '@fluentui/react-components';
import { useState } from 'react';
import { companyFromAddress } from '../../../shared/company.js';
import type { Contact } from '../../../shared/schemas/directory.js';
import { failureText } from '../../api/problems.js';
import type { Participant } from '../../office/types.js';
import { useServices } from '../services.js';
import { FormDialog } from './FormDialog.js';

/**
 * "Add contact", prefilled from the message: the unknown sender becomes a contact in one step.
 * Loaded on first use (React.lazy), so the pane's first download stays small.
 */
export default function AddContactDialog({
  person,
  onAdded,
  onClose,
  open
}: {
  person: Participant;
  onAdded: (contact: Contact) => void;
  onClose: () => void;
  open: boolean;
}) {
  const { api, i18n } = useServices();
  const [name, setName] = useState(person.name === person.email ? '' : person.name);
  const [company, setCompany] = useState(() => companyFromAddress(person.email) ?? '');
  const [phone, setPhone] = useState('');
  const [nameError, setNameError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (!name.trim()) {
      setNameError(i18n.t('nameRequired'));
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      const contact = await api.createContact({
        name: name.trim(),
        email: person.email,
        company: company.trim() || null,
        phone: phone.trim() || null
      });
      onClose();
      onAdded(contact);
    } catch (error) {
      setFailure(failureText(error, i18n));
    } finally {
      setBusy(false);
    }
  };

  return (
    <FormDialog
      open={open}
      title={i18n.t('addContactTitle')}
      submitLabel={i18n.t('save')}
      busy={busy}
      failure={failure}
      onSubmit={submit}
      onClose={onClose}
    >
      <Field label={i18n.t('contactName')} required validationMessage={nameError}>
        <Input
          value={name}
          onChange={(_e, d) => {
            setName(d.value);
            setNameError(undefined);
          }}
        />
      </Field>
      <Field label={i18n.t('contactEmail')}>
        <Input value={person.email} readOnly />
      </Field>
      <Field label={i18n.t('contactCompany')}>
        <Input value={company} onChange={(_e, d) => setCompany(d.value)} />
      </Field>
      <Field label={i18n.t('contactPhone')}>
        <Input type="tel" value={phone} onChange={(_e, d) => setPhone(d.value)} />
      </Field>
    </FormDialog>
  );
}
