import type { IdentityComparison } from "~/admin/identity-compare";
import { DataTable } from "~/components/tables";

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

type Side = { name: string; email: string | null; company?: string | null };

/** The account beside one Zoho contact, row by row, with differences marked and then spelled out. */
export function ComparisonTable(props: { account: Side; contact: Side; comparison: IdentityComparison; caption: string; contactHeading: string }) {
  const { account, contact, comparison } = props;
  return (
    <>
      <DataTable
        caption={props.caption} captionStyle="sr-only"
        columns={[
          { header: "Field", srOnly: true },
          { header: "Portal account" },
          { header: props.contactHeading },
        ]}
      >
        <tr>
          <th scope="row">Name</th>
          <td>{account.name}</td>
          <td>
            <Compared value={contact.name} differs={comparison.nameDiffers} />
          </td>
        </tr>
        <tr>
          <th scope="row">Email</th>
          <td>{account.email}</td>
          <td>
            <Compared value={contact.email} differs={comparison.emailDiffers} />
          </td>
        </tr>
        {contact.company ? (
          <tr>
            <th scope="row">Company</th>
            <td />
            <td>{contact.company}</td>
          </tr>
        ) : null}
      
      </DataTable>
      <IdentityWarning comparison={comparison} />
    </>
  );
}
