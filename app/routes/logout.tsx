import { redirect, type ActionFunctionArgs } from "@remix-run/cloudflare";
import { destroySession, getSession } from "~/auth/session.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await getSession(request, context.app);
  return redirect("/", { headers: { "Set-Cookie": await destroySession(session, context.app) } });
}
