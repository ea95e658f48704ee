// Pieces every registration step shares: the Back/Continue buttons, the Conform form setup and the
// radio cards. Plain module (not a route): Remix only routes register/route.tsx.
import { useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { useActionData, useNavigation } from "@remix-run/react";
import { IntentButton } from "~/components/forms";
import { z } from "zod";
import { STEP_SCHEMAS, type RegistrationDraft, type Step } from "~/customers/registration-schema";

const AnyStep = z.looseObject({});

export type StepProps = { draft: RegistrationDraft; editing?: boolean };
type FieldLike = { name: string; errors?: string[] };

/** Without JavaScript the page reloads with errors: the first field to fix gets the focus (Conform does it with JS). */
export function firstInvalid(fields: FieldLike[]) {
  return fields.find((f) => f.errors?.length)?.name;
}

export function StepButtons({ step }: { step: Step }) {
  const busy = useNavigation().state === "submitting";
  return (
    <div className="actions register__actions">
      {step > 1 ? (
        <IntentButton intent="back" secondary formNoValidate>
          Back
        </IntentButton>
      ) : null}
      <IntentButton intent="next">
        {step === 4 ? (busy ? "Creating your account…" : "Create account") : "Continue"}
      </IntentButton>
    </div>
  );
}

export function useStepForm(schema: (typeof STEP_SCHEMAS)[Step], defaultValue: Record<string, unknown> | undefined) {
  const lastResult = useActionData<SubmissionResult>();
  return useForm({
    lastResult,
    defaultValue: defaultValue as never,
    constraint: getZodConstraint(schema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    // "Back" must not be blocked by this step's errors: it is validated only for keeping values.
    onValidate: ({ formData }) => parseWithZod(formData, { schema: formData.get("intent") === "back" ? AnyStep : schema }),
  });
}

export { ChoiceCards, type Choice } from "~/components/choice-cards";
