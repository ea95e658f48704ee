// What this page's loader and action answer, as the sections read them (useLoaderData<DetailLoader>()).
// The sections import these types instead of the route module, so no import runs back to route.tsx.
import type { SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, data, LoaderFunctionArgs, redirect } from "@remix-run/cloudflare";
import type { customerDetail } from "~/admin/customer-detail.server";
import type { ZohoCandidate } from "~/sync/vocabulary";

export type ContactSearch = { q: string; results: ZohoCandidate[]; more: boolean; error: string | null };

export type DetailData = NonNullable<Awaited<ReturnType<typeof customerDetail>>> & { search: ContactSearch | null };

export type DetailLoader = (args: LoaderFunctionArgs) => Promise<DetailData>;

/** A form error (400/409/422), or a redirect with a toast. */
export type DetailAction = (args: ActionFunctionArgs) => Promise<ReturnType<typeof data<SubmissionResult<string[]>>> | ReturnType<typeof redirect> | undefined>;
