/**
 * A real client of a project with `auth`: registers a user, signs in, and returns the headers every
 * benchmarked request carries. Nothing is bypassed: each request's token is verified by the API.
 */
export async function authenticate(url) {
  const credentials = { email: `bench-${Date.now()}@example.com`, password: 'bench password of decent length' };
  const post = (path, body) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const registered = await post('/v1/auth/register', credentials);
  if (registered.status !== 201) throw new Error(`register failed: ${registered.status} ${await registered.text()}`);
  const signedIn = await post('/v1/auth/login', credentials);
  if (signedIn.status !== 200) throw new Error(`login failed: ${signedIn.status} ${await signedIn.text()}`);
  const { accessToken } = await signedIn.json();
  return { authorization: `Bearer ${accessToken}` };
}
