// What the views ask for, carried out with the client, the store and the
// client core's room directory, each refusal turned into the words the view
// shows next to what was tried.
import type { ChatClient } from "../../common/client";
import type { Message, RoomPage } from "../../common/protocol";
import type { ReadMarkers } from "../../common/read-markers";
import { FIELD_LIMITS } from "../../common/rules";
import { roomLabel } from "../../common/wording";
import type { ContactActions } from "./contacts-panel";
import { explained, noUserNamed } from "./error-texts";
import type { HistoryPager } from "./history-pager";
import type { Navigation } from "./navigation";
import type { PeopleLoader } from "./people-loader";
import type { RoomActions } from "./room-view";
import type { SearchActions } from "./search-view";
import type { Store } from "./store";
import { GENERAL } from "./welcome-view";

const SEARCH_LIMIT = 30;
const BROWSE_PAGE = 30;

/** What the side panel, the welcome view, the dialogs and the room switcher do with rooms. */
export type RoomsActions = {
  open(roomId: string): void;
  /** Each rejects with a message to show. */
  join(roomId: string): Promise<void>;
  create(name: string, isPrivate: boolean): Promise<void>;
  /** Joins #general, or creates it when there is none. */
  general(): Promise<void>;
  openDm(username: string): Promise<void>;
  browse(query: string, cursor: string | null): Promise<RoomPage>;
};

export type ActionDeps = {
  client: ChatClient;
  store: Store;
  reads: ReadMarkers;
  pager: HistoryPager;
  people: PeopleLoader;
  navigation: Navigation;
};

export function createActions({ client, store, reads, pager, people, navigation }: ActionDeps) {
  const { directory } = store;

  async function openDm(username: string): Promise<void> {
    const room = await explained(client.call("dm:open", { username }), {
      NOT_FOUND: noUserNamed(username),
      BAD_REQUEST: `You can’t open a conversation with “${username}”.`,
    });
    directory.upsert(room);
    navigation.open(room.id);
  }

  async function create(name: string, isPrivate: boolean): Promise<void> {
    const existing = directory.publicRoomNamed(name);
    const room = await explained(client.call("room:create", { name, private: isPrivate }), {
      CONFLICT:
        existing && !existing.joined
          ? `A public room called “${existing.name}” already exists: join it under Public rooms.`
          : "A public room with that name already exists.",
      BAD_REQUEST: `Room names are 1–${FIELD_LIMITS.roomName} characters and not only spaces.`,
    });
    directory.upsert(room);
    navigation.open(room.id);
  }

  const rooms: RoomsActions = {
    open: (roomId) => navigation.open(roomId),
    async join(roomId) {
      const room = await explained(client.call("room:join", { roomId }), {
        FORBIDDEN: "That room is private: you need an invitation.",
        NOT_FOUND: "That room no longer exists.",
      });
      directory.upsert(room);
      navigation.open(roomId);
    },
    create,
    async general() {
      let known = directory.publicRoomNamed(GENERAL);
      if (!known) {
        try {
          return await create(GENERAL, false);
        } catch (err) {
          // Someone made it meanwhile (or it is beyond the list's busiest): find it and join it.
          const found = await client.call("room:browse", { query: GENERAL, limit: 10 }).catch(() => null);
          known = found?.rooms.find((r) => r.name.toLowerCase() === GENERAL);
          if (!known) throw err;
        }
      }
      if (known.joined) return navigation.open(known.id);
      return rooms.join(known.id);
    },
    openDm,
    browse: (query, cursor) =>
      explained(client.call("room:browse", { ...(query ? { query } : {}), ...(cursor ? { cursor } : {}), limit: BROWSE_PAGE }), {
        BAD_REQUEST: "That search is too long.",
      }),
  };

  const contacts: ContactActions = {
    async add(username) {
      await explained(client.call("contacts:add", { username }), {
        NOT_FOUND: noUserNamed(username),
        BAD_REQUEST: `You can’t add “${username}” as a contact.`,
      });
      await people.contacts();
    },
    async remove(username) {
      await explained(client.call("contacts:remove", { username }), { NOT_FOUND: noUserNamed(username) });
      const list = store.people.contacts.list;
      if (list) store.people.setContacts({ list: list.filter((c) => c.username.toLowerCase() !== username.toLowerCase()), error: null });
    },
    message: openDm,
  };

  const room: RoomActions = {
    // The outbox sends it, and tries again by itself (the same clientId) until it is stored or refused.
    send: (roomId, text) => void store.addPending(roomId, text),
    retry(roomId, clientId) {
      if (store.pending(roomId, clientId)?.status === "failed") store.retryPending(clientId);
    },
    typing(roomId, typing) {
      if (client.socket.connected) client.socket.emit("typing", { roomId, typing });
    },
    loadMembers: (roomId) => people.members(roomId),
    loadNewest: (roomId) => pager.newest(roomId),
    loadOlder: (roomId) => pager.older(roomId),
    loadNewer: (roomId) => pager.newer(roomId),
    loadWindow: (roomId, seq) => pager.around(roomId, seq),
    jumpToLatest: (roomId) => pager.latest(roomId),
    async editMessage(messageId, text) {
      const edited = await explained(client.call("message:edit", { messageId, text }), {
        CONFLICT: "This message was deleted meanwhile.",
        FORBIDDEN: "You can only edit your own messages.",
        NOT_FOUND: "This message no longer exists.",
        BAD_REQUEST: `Messages are 1–${FIELD_LIMITS.messageText} characters and not only spaces.`,
      });
      store.updateMessage(edited);
    },
    async deleteMessage(messageId) {
      await explained(client.call("message:delete", { messageId }), {
        FORBIDDEN: "You can only delete your own messages.",
        NOT_FOUND: "This message no longer exists.",
      });
      const known = store.message(messageId);
      if (known && !known.deleted) store.updateMessage({ ...known, deleted: true, text: "", editedAt: Date.now() });
    },
    async invite(roomId, username) {
      await explained(client.call("room:invite", { roomId, username }), {
        NOT_FOUND: noUserNamed(username),
        FORBIDDEN: "Only members of this room can invite people.",
        BAD_REQUEST: "Only private rooms take invitations.",
      });
      return `Invited ${username}.`;
    },
    async leave(roomId) {
      await explained(client.call("room:leave", { roomId }), {});
      // What is said while away is not delivered: forget what was loaded.
      store.resetLog(roomId);
      store.outbox.forget(roomId);
      reads.forget(roomId);
      directory.left(roomId);
      navigation.forget(true);
    },
  };

  const search: SearchActions = {
    search: (query) => explained(client.call("search", { query, limit: SEARCH_LIMIT }), { BAD_REQUEST: "That search is too long." }),
    open: (message: Message) => navigation.openAt(message),
    roomLabel: (roomId) => {
      const known = store.room(roomId);
      return known ? roomLabel(known) : "a conversation";
    },
  };

  return { rooms, contacts, room, search };
}
