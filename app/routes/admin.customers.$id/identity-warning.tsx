import type { IdentityComparison } from "~/admin/identity-compare";

/** The visible (and announced) warning where the account and the Zoho contact differ. */
export function IdentityWarning({ comparison, id }: { comparison: IdentityComparison; id?: string }) {
  if (comparison.warnings.length === 0) return null;
  return (
    <div className="identity-warning" id={id} data-testid="identity-warning">
      <strong>Check before linking:</strong>
      <ul>
        {comparison.warnings.map((w) => (
          <li key={w}>{w}</li>
        ))}
      </ul>
    </div>
  );
}

/** A value with a "differs" marker that does not rely on colour alone. */
export function Compared({ value, differs }: { value: string | null; differs: boolean | null }) {
  if (!value) return <span className="muted">not known</span>;
  return differs ? (
    <span className="differs">
      {value} <span className="differs__tag">differs</span>
    </span>
  ) : (
    <span>{value}</span>
  );
}
