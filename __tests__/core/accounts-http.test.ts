// HTTP sign-in of the client core, with fetch stubbed: what it sends, and the
// one error class (ChatError: the server's code, the HTTP status) it throws.
import { currentUser, login, logout, register } from "../../common/accounts-http";
import { ChatError } from "../../common/chat-error";

const URL_ = "http://chat.test:3000";
const USER = { id: "u1", username: "alice" };
const credentials = { username: "alice", password: "correct horse battery" };

type Sent = { url: string; init: RequestInit };
let sent: Sent[];
let answer: () => Promise<Response>;

beforeEach(() => {
  sent = [];
  jest.spyOn(globalThis, "fetch").mockImplementation((input, init) => {
    sent.push({ url: String(input), init: init ?? {} });
    return answer();
  });
});
afterEach(() => jest.restoreAllMocks());

const json = (status: number, body: unknown) => async () =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

test("register and login post the credentials as JSON and answer {token, user}", async () => {
  answer = json(201, { token: "t0k3n", user: { ...USER, extra: "ignored" } });
  await expect(register(URL_, credentials)).resolves.toEqual({ token: "t0k3n", user: USER });
  answer = json(200, { token: "t0k3n", user: USER });
  await login(`${URL_}/some/page`, credentials);
  expect(sent.map((s) => [s.init.method, s.url])).toEqual([
    ["POST", `${URL_}/api/register`],
    ["POST", `${URL_}/api/login`],
  ]);
  expect(JSON.parse(String(sent[0]!.init.body))).toEqual(credentials);
  expect(sent[0]!.init.headers).toMatchObject({ "content-type": "application/json" });
  expect(sent[0]!.init.headers).not.toHaveProperty("authorization");
});

test("a refusal is a ChatError with the server's code and message and the HTTP status", async () => {
  answer = json(409, { error: { code: "CONFLICT", message: "That username is taken" } });
  const err = await register(URL_, credentials).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ChatError);
  expect(err).toMatchObject({ code: "CONFLICT", message: "That username is taken", status: 409 });
});

test("an answer without an error body is INTERNAL with its status; no answer at all is NETWORK with status 0", async () => {
  answer = async () => new Response("<html>bad gateway</html>", { status: 502 });
  await expect(login(URL_, credentials)).rejects.toMatchObject({ code: "INTERNAL", message: "HTTP 502", status: 502 });
  answer = () => Promise.reject(new TypeError("fetch failed"));
  await expect(login(URL_, credentials)).rejects.toMatchObject({ code: "NETWORK", status: 0 });
});

test("logout and currentUser send the token as a Bearer header when there is one (the page has none: its cookie)", async () => {
  answer = async () => new Response(null, { status: 204 });
  await logout(URL_, "t0k3n");
  await logout(URL_);
  expect(sent.map((s) => (s.init.headers as Record<string, string>).authorization)).toEqual(["Bearer t0k3n", undefined]);
  expect(sent.every((s) => s.init.credentials === "same-origin" && s.init.cache === "no-store")).toBe(true);
});

test("logout of a session that had already ended is done; another failure throws", async () => {
  answer = json(401, { error: { code: "UNAUTHORIZED", message: "ended" } });
  await expect(logout(URL_, "old")).resolves.toBeUndefined();
  answer = json(500, { error: { code: "INTERNAL", message: "down" } });
  await expect(logout(URL_, "t")).rejects.toMatchObject({ code: "INTERNAL", status: 500 });
});

test("currentUser: the user, null without a valid session, a ChatError when the server fails", async () => {
  answer = json(200, { user: USER });
  await expect(currentUser(URL_, "t")).resolves.toEqual(USER);
  expect(sent[0]).toMatchObject({ url: `${URL_}/api/me`, init: { method: "GET" } });
  answer = json(401, { error: { code: "UNAUTHORIZED", message: "no" } });
  await expect(currentUser(URL_)).resolves.toBeNull();
  answer = json(503, {});
  await expect(currentUser(URL_)).rejects.toMatchObject({ code: "INTERNAL", status: 503 });
});
