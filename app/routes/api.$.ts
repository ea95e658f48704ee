// Any /api/* URL that is not an endpoint: a JSON 404 (API clients should never get an HTML page).
const notFound = () => Response.json({ error: "No such API endpoint." }, { status: 404 });
export const loader = notFound;
export const action = notFound;
