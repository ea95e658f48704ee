// Lists shown as tables, and the pager under them: one shape for every list in the portal and the console.
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

export type Column = { header: ReactNode; /** Hidden on small screens. */ hideSmall?: boolean; /** Read by screen readers only (an actions column). */ srOnly?: boolean };

type Props = {
  columns: Column[];
  children: ReactNode;
  caption?: ReactNode;
  /** "start": the caption reads as a muted line above the table; "sr-only": for screen readers only. */
  captionStyle?: "muted" | "start" | "sr-only";
  busy?: boolean;
  testId?: string;
  /** A table whose cells may hold no link (so nothing to tab to when it scrolls sideways): the scrolling area
   * becomes a focusable region with this name, so a keyboard can scroll it. */
  scrollRegion?: string;
};

const CAPTION_CLASS = { muted: "muted", start: "muted caption-start", "sr-only": "sr-only" } as const;

/** A table that scrolls sideways on a phone, with column headers and rows given as `<tr>` children. */
export function DataTable({ columns, children, caption, captionStyle = "muted", busy, testId, scrollRegion }: Props) {
  const region = scrollRegion ? ({ role: "region", "aria-label": scrollRegion, tabIndex: 0 } as const) : {};
  return (
    <div className="table-wrap" aria-busy={busy} {...region}>
      <table data-testid={testId}>
        {caption ? <caption className={CAPTION_CLASS[captionStyle]}>{caption}</caption> : null}
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col" className={c.hideSmall ? "hide-sm" : undefined}>
                {c.srOnly ? <span className="sr-only">{c.header}</span> : c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

type PageLink = { to: string; label: string } | null | undefined;

/** Previous/next links under a list; an absent side keeps its place so the other stays put. */
export function Pager({ previous, next }: { previous?: PageLink; next?: PageLink }) {
  return (
    <nav className="pagination" aria-label="Pages">
      {previous ? <Link to={previous.to}>{previous.label}</Link> : <span />}
      {next ? <Link to={next.to}>{next.label}</Link> : <span />}
    </nav>
  );
}
