// Cards that are a real radio group (registration's steps, the account's details): the choices and the cards.
export type Choice = { value: string; tag: string; title: string; description: string };

/** Cards that are a real radio group: arrow keys move between them, the title is the name, the text the description. */
export function ChoiceCards({ field, choices, autoFocus }: { field: { id: string; name: string; initialValue?: unknown; errors?: string[] }; choices: Choice[]; autoFocus: boolean }) {
  return choices.map((c, i) => (
    <label className="choice-card" key={c.value}>
      <input
        type="radio"
        name={field.name}
        value={c.value}
        defaultChecked={field.initialValue === c.value}
        required
        aria-labelledby={`${field.id}-${c.value}-title`}
        aria-describedby={`${field.id}-${c.value}-text`}
        aria-invalid={field.errors?.length ? true : undefined}
        autoFocus={autoFocus && i === 0}
      />
      <span className="choice-card__body">
        <span className="choice-card__tag" aria-hidden="true">
          {c.tag}
        </span>
        <strong id={`${field.id}-${c.value}-title`}>{c.title}</strong>
        <span id={`${field.id}-${c.value}-text`}>{c.description}</span>
      </span>
    </label>
  ));
}

export const DELIVERY_CHOICES: Choice[] = [
  { value: "delivery", tag: "Deliver", title: "Delivery", description: "We bring your order to your address" },
  { value: "pickup", tag: "Pick up", title: "Pickup", description: "You collect your order from our store" },
];

export const HISTORY_CHOICES: Choice[] = [
  { value: "new", tag: "New", title: "I'm a new customer", description: "This is my first time ordering from Cangoods" },
  {
    value: "returning",
    tag: "Return",
    title: "I'm a returning customer",
    description: "I've ordered from Cangoods before and want to link my previous order history to this account",
  },
];
