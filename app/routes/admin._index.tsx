import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { requireAdmin } from "~/auth/guards.server";

export const meta: MetaFunction = () => [{ title: "Admin · Cangoods" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await requireAdmin(request, context.app);
  return { email: admin.email };
}

export default function AdminHome() {
  const { email } = useLoaderData<typeof loader>();
  return (
    <section className="card" aria-labelledby="admin-title">
      <h1 id="admin-title">Admin</h1>
      <p>{`Signed in as ${email}.`}</p>
    </section>
  );
}
