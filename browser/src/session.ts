// One signed-in session: the ChatClient (socket.io-client reconnects and
// acks; ChatClient orders, dedupes and catches up), the store, and the
// actions the views call. Ends when the user logs out or the server ends
// the session (a disconnect that will not be retried).
import { ChatClient, ChatError } from "../../common/client";
import type { Message, Room, SystemEvent, User } from "../../common/protocol";
import { LIMITS, roomNameKey } from "../../common/rules";
import { forgetSession, logout } from "./api";
import { AppView } from "./app-view";
import { Announcer, ConnectionBanner } from "./banner";
import { RoomView } from "./room-view";
import { Sidebar } from "./sidebar";
import { Store } from "./state";

/** Per call; a send that gets no ack in this time is shown as failed with a Retry button. */
const ACK_TIMEOUT_MS = 8000;
const HISTORY_PAGE = LIMITS.historyDefault;

function codeOf(err: unknown): string {
  return err instanceof ChatError ? err.code : "NETWORK";
}

function sendError(err: unknown): string {
  switch (codeOf(err)) {
    case "TIMEOUT":
    case "NETWORK":
      return "no answer from the server";
    case "RATE_LIMITED":
      return "you are sending too fast";
    case "FORBIDDEN":
      return "you are not a member of this room";
    case "BAD_REQUEST":
      return "the server refused this text";
    default:
      return "the server had a problem";
  }
}

function generic(err: unknown): string {
  switch (codeOf(err)) {
    case "TIMEOUT":
    case "NETWORK":
      return "No answer from the server. Check your connection and try again.";
    case "RATE_LIMITED":
      return "Too many requests. Wait a moment and try again.";
    default:
      return (err as Error).message || "Something went wrong. Try again.";
  }
}

/** A user-facing Error for a failed call, by the call's own vocabulary. */
function failure(err: unknown, messages: Partial<Record<string, string>>): Error {
  return new Error(messages[codeOf(err)] ?? generic(err));
}

export type SessionEnd = (notice: string | null) => void;

/** Starts the signed-in page in `root`; returns a function that tears it down. */
export function startSession(user: User, root: HTMLElement, onEnd: SessionEnd): () => void {
  const store = new Store(user);
  const banner = new ConnectionBanner();
  const announcer = new Announcer();
  // The server authenticates the handshake with the session cookie: no token here. It accepts the
  // cookie only with the page's Origin header, which browsers send on the WebSocket handshake but
  // not on a same-origin polling GET: so WebSocket first (polling stays as a fallback).
  const client = new ChatClient({
    url: location.origin,
    ackTimeoutMs: ACK_TIMEOUT_MS,
    socket: { transports: ["websocket", "polling"], tryAllTransports: true },
  });
  let ended = false;
  let openedFromHash = false;

  // ------------------------------------------------------------ room list

  let listing: Promise<void> | null = null;
  let listAgain = false;
  function refreshRooms(): void {
    if (listing) {
      listAgain = true;
      return;
    }
    const askedAt = store.roomsVersion();
    listing = client
      .call("room:list", {})
      .then((rooms) => {
        store.setRooms(rooms, askedAt);
        openFromHash();
      })
      .catch((err: unknown) => console.warn("room:list failed", err))
      .finally(() => {
        listing = null;
        if (listAgain) {
          listAgain = false;
          refreshRooms();
        }
      });
  }

  function openFromHash(): void {
    if (openedFromHash) return;
    openedFromHash = true;
    const id = decodeURIComponent(location.hash.slice(1));
    if (id && store.rooms.get(id)?.joined) openRoom(id, false);
  }

  // ------------------------------------------------------------ opening rooms and history

  function openRoom(roomId: string, focus = true): void {
    store.setCurrent(roomId);
    history.replaceState(null, "", `#${encodeURIComponent(roomId)}`);
    const log = store.log(roomId);
    if (!log.newestLoaded && !log.loadingNewest) loadNewest(roomId);
    if (focus) view.roomChosen();
  }

  function loadNewest(roomId: string): void {
    const log = store.log(roomId);
    log.loadingNewest = true;
    log.loadError = null;
    store.touch(roomId);
    client.call("history", { roomId, limit: HISTORY_PAGE }).then(
      (page) => {
        const now = store.log(roomId);
        now.loadingNewest = false;
        now.newestLoaded = true;
        store.addMessages(roomId, page, "newest");
        store.touch(roomId, "newest");
      },
      (err: unknown) => {
        const now = store.log(roomId);
        now.loadingNewest = false;
        now.loadError = { what: "newest", message: `Couldn’t load messages (${sendError(err)}).` };
        store.touch(roomId);
      },
    );
  }

  function loadOlder(roomId: string): void {
    const log = store.log(roomId);
    const before = store.oldestSeq(roomId);
    if (before === undefined || before <= 1 || log.loadingOlder) return;
    log.loadingOlder = true;
    log.loadError = null;
    store.touch(roomId, "older");
    client.call("history", { roomId, before, limit: HISTORY_PAGE }).then(
      (page) => {
        store.log(roomId).loadingOlder = false;
        store.addMessages(roomId, page, "older");
        store.touch(roomId, "older");
      },
      (err: unknown) => {
        const now = store.log(roomId);
        now.loadingOlder = false;
        now.loadError = { what: "older", message: `Couldn’t load older messages (${sendError(err)}).` };
        store.touch(roomId, "older");
      },
    );
  }

  // ------------------------------------------------------------ sending

  /**
   * One try per click: the page shows "failed" and a Retry button after the
   * ack timeout. A retry reuses the clientId, so the server stores it once.
   */
  function attempt(roomId: string, clientId: string, text: string): void {
    // send()'s options type clientId after crypto.randomUUID's template type; any string up to 64 is valid.
    client.send(roomId, text, { clientId, tries: 1 }).then(
      (message) => store.addMessages(roomId, [message], "live"),
      (err: unknown) => store.setPendingStatus(roomId, clientId, "failed", sendError(err)),
    );
  }

  // ------------------------------------------------------------ views

  const sidebar = new Sidebar(store, {
    open: (roomId) => openRoom(roomId),
    async join(roomId) {
      try {
        store.upsertRoom(await client.call("room:join", { roomId }));
      } catch (err) {
        throw failure(err, {
          FORBIDDEN: "That room is private: you need an invitation.",
          NOT_FOUND: "That room no longer exists.",
        });
      }
      openRoom(roomId);
    },
    async create(name, isPrivate) {
      let room: Room;
      try {
        room = await client.call("room:create", { name, private: isPrivate });
      } catch (err) {
        const existing = Array.from(store.rooms.values()).find(
          (r) => r.kind === "public" && roomNameKey(r.name) === roomNameKey(name),
        );
        throw failure(err, {
          CONFLICT:
            existing && !existing.joined
              ? `A public room called “${existing.name}” already exists: join it under Public rooms.`
              : "A public room with that name already exists.",
          BAD_REQUEST: `Room names are 1–${LIMITS.roomName} characters and not only spaces.`,
        });
      }
      store.upsertRoom(room);
      openRoom(room.id);
    },
    async openDm(username) {
      let room: Room;
      try {
        room = await client.call("dm:open", { username });
      } catch (err) {
        throw failure(err, {
          NOT_FOUND: `There is no user named “${username}”.`,
          BAD_REQUEST: `You can’t open a conversation with “${username}”.`,
        });
      }
      store.upsertRoom(room);
      openRoom(room.id);
    },
  });

  const roomView = new RoomView(
    store,
    {
      send(roomId, text) {
        const pending = store.addPending(roomId, text);
        attempt(roomId, pending.clientId, text);
      },
      retry(roomId, clientId) {
        const pending = store.pending(roomId, clientId);
        if (!pending || pending.status === "sending") return;
        store.setPendingStatus(roomId, clientId, "sending");
        attempt(roomId, clientId, pending.text);
      },
      loadNewest,
      loadOlder,
      async invite(roomId, username) {
        try {
          await client.call("room:invite", { roomId, username });
        } catch (err) {
          throw failure(err, {
            NOT_FOUND: `There is no user named “${username}”.`,
            FORBIDDEN: "Only members of this room can invite people.",
            BAD_REQUEST: "Only private rooms take invitations.",
          });
        }
        return `Invited ${username}.`;
      },
      async leave(roomId) {
        const room = store.rooms.get(roomId);
        try {
          await client.call("room:leave", { roomId });
        } catch (err) {
          throw failure(err, {});
        }
        // What is said while away is not delivered: forget what was loaded.
        store.resetLog(roomId);
        if (room?.kind === "public") store.upsertRoom({ ...room, joined: false });
        else store.removeRoom(roomId);
        history.replaceState(null, "", location.pathname);
      },
    },
    announcer.el,
  );

  const view = new AppView(user, banner, sidebar, roomView, () => void signOut());
  root.replaceChildren(view.el);

  // ------------------------------------------------------------ title

  const unsubscribeTitle = store.subscribe(() => {
    const unread = store.totalUnread();
    const room = store.room(store.currentRoomId);
    document.title = `${unread > 0 ? `(${unread}) ` : ""}${room ? `${room.kind === "dm" ? "" : "#"}${room.name} · ` : ""}Chat`;
  });

  // ------------------------------------------------------------ server events

  const roomLabel = (roomId: string) => {
    const room = store.rooms.get(roomId);
    return room ? (room.kind === "dm" ? "a direct message" : `#${room.name}`) : "a new conversation";
  };

  client.onMessage((message: Message) => {
    const known = store.rooms.has(message.roomId);
    const added = store.addMessages(message.roomId, [message], "live");
    // An invitation or a dm opened by someone else: the room list does not know it yet.
    if (!known) refreshRooms();
    if (added.length === 0 || message.sender.id === user.id) return;
    if (message.roomId === store.currentRoomId) {
      announcer.say(`${message.sender.username}: ${message.text}`);
    } else {
      store.log(message.roomId).unread += 1;
      store.touch(message.roomId);
      announcer.say(`New message from ${message.sender.username} in ${roomLabel(message.roomId)}`);
    }
  });

  client.on("message:updated", (message: Message) => store.updateMessage(message));

  client.on("system", (event: SystemEvent) => {
    store.addSystem(event);
    if (event.user.id === user.id) {
      if (event.type === "member-left") {
        store.resetLog(event.roomId);
        if (store.currentRoomId === event.roomId) store.setCurrent(null);
      }
      refreshRooms();
    } else if (event.roomId === store.currentRoomId) {
      announcer.say(
        `${event.user.username} ${event.type === "member-joined" ? "joined" : event.type === "member-left" ? "left" : "was invited"}`,
      );
    }
  });

  client.onConnectionChange((change) => {
    if (change.state === "disconnected") {
      if (change.willReconnect) banner.set("offline");
      else if (!ended) end("Your session has ended. Sign in again.");
      return;
    }
    banner.set(change.state === "connected" ? "online" : "reconnected");
    refreshRooms();
    const current = store.currentRoomId;
    if (current !== null) {
      const log = store.log(current);
      if (!log.newestLoaded && !log.loadingNewest) loadNewest(current);
    }
  });

  client.onError((err) => console.warn("catch-up failed", err));

  client.ready().catch((err: unknown) => {
    if (codeOf(err) === "UNAUTHORIZED") end("Your session has ended. Sign in again.");
    // Otherwise socket.io-client keeps trying; the banner says "Connecting…".
  });

  // ------------------------------------------------------------ ending

  function end(notice: string | null): void {
    if (ended) return;
    ended = true;
    forgetSession();
    client.close();
    onEnd(notice);
  }

  async function signOut(): Promise<void> {
    if (ended) return;
    ended = true;
    try {
      await logout();
    } catch (err) {
      console.warn("logout failed", err);
    }
    client.close();
    onEnd(null);
  }

  return () => {
    ended = true;
    client.close();
    banner.dispose();
    announcer.dispose();
    unsubscribeTitle();
    history.replaceState(null, "", location.pathname);
  };
}
