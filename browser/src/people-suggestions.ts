// Whom to suggest while a username is typed (a dm, an invitation, a contact,
// an @mention). At once: the people the page already knows whose name
// begins with what is typed, contacts first, then the room's members, then
// anyone else met. After a short pause: the server's people:suggest (only
// contacts and people who share a room with the user; its own budget of 50
// asks per 10 s, so one ask per pause, and answers are kept for the page's
// life), merged in behind. Only the latest ask of each Suggester is shown.
import type { ChatClient } from "../../common/client";
import type { User } from "../../common/protocol";
import { FIELD_LIMITS } from "../../common/rules";
import type { Store } from "./store";

const PAUSE_MS = 150;
const SHOWN = FIELD_LIMITS.suggestDefault;
const QUERY = /^[A-Za-z0-9_.-]{0,32}$/;

export type Suggestion = User & { hint: string | null };

export class PeopleSuggestions {
  private readonly answers = new Map<string, Promise<User[]>>();

  constructor(
    private readonly client: ChatClient,
    private readonly store: Store,
  ) {}

  /** A suggester for one box: `show` gets each list to show, the local one first. */
  suggester(show: (people: Suggestion[]) => void): Suggester {
    return new Suggester(this, show);
  }

  /** People met whose names begin with `query`, ranked; never the user themselves. */
  local(query: string, roomId: string | null): Suggestion[] {
    const { people, me } = this.store;
    const q = query.toLowerCase();
    const members = new Set((people.members(roomId)?.list ?? []).map((m) => m.id));
    const rank = (u: User) => (people.isContact(u.username) ? 0 : members.has(u.id) ? 1 : 2);
    return people
      .everyoneMet()
      .filter((u) => u.id !== me.id && u.username.toLowerCase().startsWith(q))
      .sort((a, b) => rank(a) - rank(b) || a.username.localeCompare(b.username, undefined, { sensitivity: "base" }))
      .slice(0, SHOWN)
      .map((u) => this.withHint(u, members));
  }

  /** The server's suggestions (kept per query and room), merged behind `local`. */
  async remote(query: string, roomId: string | null, local: Suggestion[]): Promise<Suggestion[]> {
    const key = `${roomId ?? ""}\n${query.toLowerCase()}`;
    let answer = this.answers.get(key);
    if (!answer) {
      answer = this.client.call("people:suggest", { query, ...(roomId ? { roomId } : {}), limit: SHOWN });
      this.answers.set(key, answer);
      // A refusal (too many asks) is not kept: the next pause asks again.
      answer.catch(() => this.answers.delete(key));
    }
    const found = await answer;
    this.store.people.meet(found);
    const members = new Set((this.store.people.members(roomId)?.list ?? []).map((m) => m.id));
    const seen = new Set(local.map((u) => u.id));
    const more = found.filter((u) => u.id !== this.store.me.id && !seen.has(u.id)).map((u) => this.withHint(u, members));
    return [...local, ...more].slice(0, SHOWN);
  }

  private withHint(u: User, members: Set<string>): Suggestion {
    const hint = this.store.people.isContact(u.username) ? "contact" : members.has(u.id) ? "in this room" : null;
    return { id: u.id, username: u.username, hint };
  }
}

/** One box's asks: the local list at once, the server's after a pause; a newer ask drops an older one. */
export class Suggester {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private asked = 0;

  constructor(
    private readonly source: PeopleSuggestions,
    private readonly show: (people: Suggestion[]) => void,
  ) {}

  ask(query: string, roomId: string | null): void {
    clearTimeout(this.timer);
    const ask = ++this.asked;
    if (!QUERY.test(query)) {
      this.show([]);
      return;
    }
    const local = this.source.local(query, roomId);
    this.show(local);
    this.timer = setTimeout(() => {
      this.source.remote(query, roomId, local).then(
        (people) => {
          if (ask === this.asked) this.show(people);
        },
        () => {
          // Offline or too many asks: the local list stays.
        },
      );
    }, PAUSE_MS);
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.asked++;
  }
}
