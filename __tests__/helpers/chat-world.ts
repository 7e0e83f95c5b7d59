// createChat over an in-memory SQLite database and RecordingEffects: chat
// logic driven through its public functions, with a fixed clock and ids.
import type { User } from "../../common/protocol";
import { createChat, type Chat } from "../../server/chat/chat";
import { openSqlite } from "../../server/storage/sqlite";
import type { Storage } from "../../server/storage/storage";
import { RecordingEffects } from "./recording-effects";

export type ChatWorld = {
  chat: Chat;
  storage: Storage;
  effects: RecordingEffects;
  /** A registered user (no password: accounts are not what these tests are about). */
  user(username: string): Promise<User>;
  /** Moves the fixed clock on. */
  tick(ms: number): void;
};

export function chatWorld(overrides: Partial<Chat> = {}): ChatWorld {
  const storage = openSqlite({ path: ":memory:" });
  const effects = new RecordingEffects();
  let clock = 1_700_000_000_000;
  let ids = 0;
  const chat = createChat(storage, effects, { now: () => clock, newId: () => `id-${++ids}`, ...overrides });
  return {
    chat,
    storage,
    effects,
    async user(username) {
      const user = { id: `user-${username}`, username };
      if (!(await storage.createUser({ ...user, passwordHash: "unused" }, clock))) throw new Error(`${username} is taken`);
      return user;
    },
    tick(ms) {
      clock += ms;
    },
  };
}

/** A world per test, its storage closed after it. Use at the top of a file: `const world = useChatWorld();`. */
export function useChatWorld(): () => ChatWorld {
  let current: ChatWorld | null = null;
  beforeEach(() => {
    current = chatWorld();
  });
  afterEach(async () => {
    current?.chat.typing.close();
    await current?.storage.close();
    current = null;
  });
  return () => {
    if (!current) throw new Error("useChatWorld(): only inside a test");
    return current;
  };
}
