// Step 2: new or returning customer (a returning one gets their Zoho history linked once verified).
import { getFormProps } from "@conform-to/react";
import { ErrorList, FormError, PostForm } from "~/components/forms";
import { HistorySchema } from "~/customers/registration-schema";
import { ChoiceCards, HISTORY_CHOICES } from "~/components/choice-cards";
import { StepButtons, useStepForm, type StepProps } from "./step-form";

export function HistoryStep({ draft, editing }: StepProps) {
  const [form, fields] = useStepForm(HistorySchema, draft.history);
  const field = fields.customerType;
  return (
    <PostForm {...getFormProps(form)}>
      <input type="hidden" name="step" value="2" />
      {editing ? <input type="hidden" name="edit" value="1" /> : null}
      <FormError errors={form.errors} />
      <fieldset className="choice-cards" aria-describedby={`history-help ${field.errorId}`}>
        <legend>
          <h2>Have you ordered from Cangoods before?</h2>
        </legend>
        <p id="history-help">This helps us link your order history to your new account.</p>
        <ChoiceCards field={field} choices={HISTORY_CHOICES} autoFocus={!!field.errors?.length} />
        <ErrorList id={field.errorId} errors={field.errors} />
      </fieldset>
      <StepButtons step={2} />
    </PostForm>
  );
}

