import { Field, Input } from '@fluentui/react-components';
import { companyFromAddress } from '../../../shared/company.js';
import type { Contact } from '../../../shared/schemas/directory.js';
import { failureText } from '../../api/problems.js';
import type { Participant } from '../../office/types.js';
import { useServices } from '../services.js';
import { FormDialog, useDialogSave, useFields } from './FormDialog.js';

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
  const { form, errors, set, accept } = useFields(() => ({
    name: person.name === person.email ? '' : person.name,
    company: companyFromAddress(person.email) ?? '',
    phone: ''
  }));
  const { dialog, save } = useDialogSave(onClose);

  const submit = () => {
    if (!accept(form.name.trim() ? {} : { name: i18n.t('nameRequired') })) return;
    void save(
      async () =>
        onAdded(
          await api.createContact({
            name: form.name.trim(),
            email: person.email,
            company: form.company.trim() || null,
            phone: form.phone.trim() || null
          })
        ),
      (error) => failureText(error, i18n)
    );
  };

  return (
    <FormDialog
      open={open}
      title={i18n.t('addContactTitle')}
      submitLabel={i18n.t('save')}
      onSubmit={submit}
      {...dialog}
    >
      <Field label={i18n.t('contactName')} required validationMessage={errors.name}>
        <Input value={form.name} onChange={(_e, d) => set('name')(d.value)} />
      </Field>
      <Field label={i18n.t('contactEmail')}>
        <Input value={person.email} readOnly />
      </Field>
      <Field label={i18n.t('contactCompany')}>
        <Input value={form.company} onChange={(_e, d) => set('company')(d.value)} />
      </Field>
      <Field label={i18n.t('contactPhone')}>
        <Input type="tel" value={form.phone} onChange={(_e, d) => set('phone')(d.value)} />
      </Field>
    </FormDialog>
  );
}
