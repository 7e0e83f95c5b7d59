// One signed-in session: the ChatClient (socket.io-client reconnects and
// acks; ChatClient orders, dedupes and catches up), the store, and the
// actions the views call. Ends when the user logs out or the server ends
// the session (a disconnect that will not be retried).
//
// Read markers: while a room is open and the page visible and focused, the
// newest message shown is reported with `read` (one call in flight at most;
// later wishes wait and are merged). Unread counts are the server's
// `lastSeq - lastReadSeq`, kept live from messages and `read` events (which
// also come from the user's other tabs).
import { ChatClient, ChatError } from "../../common/client";
import type { Message, Room, SystemEvent, User } from "../../common/protocol";
import { FIELD_LIMITS, roomNameKey } from "../../common/rules";
import { forgetSession, logout } from "./api";
import { AppView } from "./app-view";
import { Announcer, ConnectionBanner } from "./banner";
import { ContactsPanel } from "./contacts-panel";
import { Notifier } from "./notifications";
import { RoomView } from "./room-view";
import { SearchView } from "./search-view";
import { Sidebar } from "./sidebar";
import { mentions, Store } from "./state";

/** Per call; a send that gets no ack in this time is shown as failed with a Retry button. */
const ACK_TIMEOUT_MS = 8000;
const HISTORY_PAGE = FIELD_LIMITS.historyDefault;
/** A found message is shown with this many messages around it. */
const WINDOW_PAGE = 50;
const SEARCH_LIMIT = 30;
/** Only messages this fresh notify (not a long catch-up after a reconnect). */
const NOTIFY_MAX_AGE_MS = 60_000;

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
  let listAgain: Promise<void> | null = null;
  /** Asks for the room list; resolves once a list asked for after this call has arrived. */
  function refreshRooms(): Promise<void> {
    if (listing) {
      // One more list after the one in flight (which may predate what prompted this call).
      listAgain ??= listing.then(() => {
        listAgain = null;
        return refreshRooms();
      });
      return listAgain;
    }
    const askedAt = store.roomsVersion();
    listing = client
      .call("room:list", {})
      .then((rooms) => {
        for (const room of rooms) serverRead.set(room.id, room.lastReadSeq);
        store.setRooms(rooms, askedAt);
        openFromHash();
        syncRead();
      })
      .catch((err: unknown) => console.warn("room:list failed", err))
      .finally(() => {
        listing = null;
      });
    return listing;
  }

  function openFromHash(): void {
    if (openedFromHash) return;
    openedFromHash = true;
    const id = decodeURIComponent(location.hash.slice(1));
    if (id && store.rooms.get(id)?.joined) openRoom(id, false);
  }

  // ------------------------------------------------------------ read markers

  /** What the server is known to hold (room:list, acks, read events). */
  const serverRead = new Map<string, number>();
  /** The highest seq reported per room this connection, so a failing call is not repeated on every change. */
  const readSent = new Map<string, number>();
  const readWanted = new Map<string, number>();
  let readInFlight = false;

  /** The user has seen `roomId` up to `seq`: shown at once, told to the server soon. */
  function wantRead(roomId: string, seq: number): void {
    const room = store.rooms.get(roomId);
    if (!room?.joined || seq <= 0) return;
    store.markRead(roomId, seq);
    const known = Math.max(serverRead.get(roomId) ?? 0, readSent.get(roomId) ?? 0, readWanted.get(roomId) ?? 0);
    if (seq <= known) return;
    readWanted.set(roomId, seq);
    flushReads();
  }

  function flushReads(): void {
    if (readInFlight || ended || !client.socket.connected) return;
    const next = readWanted.entries().next();
    if (next.done) return;
    const [roomId, seq] = next.value;
    readWanted.delete(roomId);
    readSent.set(roomId, Math.max(readSent.get(roomId) ?? 0, seq));
    readInFlight = true;
    client
      .call("read", { roomId, seq })
      .then(
        () => serverRead.set(roomId, Math.max(serverRead.get(roomId) ?? 0, seq)),
        (err: unknown) => console.warn("read failed", err),
      )
      .finally(() => {
        readInFlight = false;
        flushReads();
      });
  }

  /** Whether the user can be reading the open room now. */
  function reading(): boolean {
    return document.visibilityState === "visible" && document.hasFocus();
  }

  /** Reports the open room read up to its newest shown message, when the user can see it. */
  function syncRead(): void {
    const roomId = store.currentRoomId;
    if (roomId === null || ended || !reading()) return;
    const log = store.log(roomId);
    if (!log.newestLoaded) return;
    const newest = store.newestSeq(roomId);
    if (newest !== undefined) wantRead(roomId, newest);
  }

  const onVisibility = () => syncRead();
  document.addEventListener("visibilitychange", onVisibility);
  window.addEventListener("focus", onVisibility);

  // ------------------------------------------------------------ opening rooms and history

  function openRoom(roomId: string, focus = true): void {
    const log = store.log(roomId);
    // Opened from the list, a room shows its newest messages, not an older stretch seen before.
    if (!log.following) store.resetLog(roomId);
    else if (log.highlightSeq !== null) {
      log.highlightSeq = null;
      store.touch(roomId);
    }
    store.setCurrent(roomId);
    history.replaceState(null, "", `#${encodeURIComponent(roomId)}`);
    const now = store.log(roomId);
    if (!now.newestLoaded && !now.loadingNewest) loadNewest(roomId);
    loadMembers(roomId);
    if (focus) view.roomChosen();
  }

  /** Opens a room at a message (a search result): the stretch around it, the message marked. */
  function openAt(message: Message): void {
    const roomId = message.roomId;
    if (!store.rooms.get(roomId)?.joined) return;
    const log = store.log(roomId);
    const loaded = log.newestLoaded && log.messages.some((m) => m.seq === message.seq);
    if (store.currentRoomId !== roomId) {
      store.setCurrent(roomId);
      history.replaceState(null, "", `#${encodeURIComponent(roomId)}`);
      loadMembers(roomId);
    }
    if (loaded) {
      log.highlightSeq = message.seq;
      log.scrollToSeq = message.seq;
      store.touch(roomId);
    } else {
      loadWindow(roomId, message.seq);
    }
    view.searchDone();
  }

  function loadWindow(roomId: string, seq: number): void {
    store.resetLog(roomId);
    const log = store.log(roomId);
    log.following = false;
    log.highlightSeq = seq;
    log.scrollToSeq = seq;
    log.loadingNewest = true;
    store.touch(roomId, "reset");
    client.call("history", { roomId, before: seq + Math.floor(WINDOW_PAGE / 2), limit: WINDOW_PAGE }).then(
      (page) => {
        if (store.log(roomId) !== log) return;
        log.loadingNewest = false;
        log.newestLoaded = true;
        store.addMessages(roomId, page, "window");
        const newest = store.newestSeq(roomId) ?? 0;
        if (newest >= (store.rooms.get(roomId)?.lastSeq ?? 0)) log.following = true;
        store.touch(roomId, "window");
      },
      (err: unknown) => {
        if (store.log(roomId) !== log) return;
        log.loadingNewest = false;
        log.loadError = { what: "window", message: `Couldn’t load that message (${sendError(err)}).` };
        store.touch(roomId);
      },
    );
  }

  /** Leaves an older stretch for the newest page. */
  function jumpToLatest(roomId: string): void {
    store.resetLog(roomId);
    loadNewest(roomId);
  }

  function loadNewest(roomId: string): void {
    const log = store.log(roomId);
    log.loadingNewest = true;
    log.loadError = null;
    store.touch(roomId);
    client.call("history", { roomId, limit: HISTORY_PAGE }).then(
      (page) => {
        if (store.log(roomId) !== log) return;
        log.loadingNewest = false;
        log.newestLoaded = true;
        store.addMessages(roomId, page, "newest");
        store.touch(roomId, "newest");
      },
      (err: unknown) => {
        if (store.log(roomId) !== log) return;
        log.loadingNewest = false;
        log.loadError = { what: "newest", message: `Couldn’t load messages (${sendError(err)}).` };
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
        if (store.log(roomId) !== log) return;
        log.loadingOlder = false;
        store.addMessages(roomId, page, "older");
        store.touch(roomId, "older");
      },
      (err: unknown) => {
        if (store.log(roomId) !== log) return;
        log.loadingOlder = false;
        log.loadError = { what: "older", message: `Couldn’t load older messages (${sendError(err)}).` };
        store.touch(roomId, "older");
      },
    );
  }

  /** Showing an older stretch: the next page after it; at the newest, live messages follow again. */
  function loadNewer(roomId: string): void {
    const log = store.log(roomId);
    const after = store.newestSeq(roomId);
    if (log.following || log.loadingNewer || after === undefined) return;
    log.loadingNewer = true;
    log.loadError = null;
    store.touch(roomId, "newer");
    client.call("history", { roomId, after, limit: HISTORY_PAGE }).then(
      (page) => {
        if (store.log(roomId) !== log) return;
        log.loadingNewer = false;
        store.addMessages(roomId, page, "newer");
        // A live message skipped meanwhile has raised lastSeq: then there is one more page to fetch.
        if (page.length < HISTORY_PAGE && (store.newestSeq(roomId) ?? after) >= (store.rooms.get(roomId)?.lastSeq ?? 0)) {
          log.following = true;
        }
        store.touch(roomId, "newer");
      },
      (err: unknown) => {
        if (store.log(roomId) !== log) return;
        log.loadingNewer = false;
        log.loadError = { what: "newer", message: `Couldn’t load newer messages (${sendError(err)}).` };
        store.touch(roomId, "newer");
      },
    );
  }

  // ------------------------------------------------------------ members and contacts

  const membersAsked = new Map<string, number>();
  function loadMembers(roomId: string): void {
    const ask = (membersAsked.get(roomId) ?? 0) + 1;
    membersAsked.set(roomId, ask);
    const known = store.members.get(roomId);
    store.setMembers(roomId, { list: known?.list ?? null, loading: true, error: null });
    client.call("room:members", { roomId }).then(
      (list) => {
        // Online flags are told to members only; a public room's visitor sees none.
        const members = list.map((m) => ({ ...m, online: m.online ?? false }));
        if (membersAsked.get(roomId) === ask) store.setMembers(roomId, { list: members, loading: false, error: null });
      },
      (err: unknown) => {
        if (membersAsked.get(roomId) !== ask) return;
        store.setMembers(roomId, { list: known?.list ?? null, loading: false, error: `Couldn’t load members (${sendError(err)}).` });
      },
    );
  }

  let contactsAsked = 0;
  function loadContacts(): Promise<void> {
    const ask = ++contactsAsked;
    return client.call("contacts:list", {}).then(
      (list) => {
        if (ask === contactsAsked) store.setContacts({ list, error: null });
      },
      (err: unknown) => {
        if (ask === contactsAsked) store.setContacts({ list: store.contacts.list, error: `Couldn’t load contacts (${sendError(err)}).` });
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

  async function openDm(username: string): Promise<void> {
    let room: Room;
    try {
      room = await client.call("dm:open", { username });
    } catch (err) {
      throw failure(err, {
        NOT_FOUND: `There is no user named “${username}”.`,
        BAD_REQUEST: `You can’t open a conversation with “${username}”.`,
      });
    }
    serverRead.set(room.id, room.lastReadSeq);
    store.upsertRoom(room);
    openRoom(room.id);
  }

  const contacts = new ContactsPanel(store, {
    async add(username) {
      try {
        await client.call("contacts:add", { username });
      } catch (err) {
        throw failure(err, {
          NOT_FOUND: `There is no user named “${username}”.`,
          BAD_REQUEST: `You can’t add “${username}” as a contact.`,
        });
      }
      await loadContacts();
    },
    async remove(username) {
      try {
        await client.call("contacts:remove", { username });
      } catch (err) {
        throw failure(err, { NOT_FOUND: `There is no user named “${username}”.` });
      }
      const list = store.contacts.list;
      if (list) {
        store.setContacts({ list: list.filter((c) => c.username.toLowerCase() !== username.toLowerCase()), error: null });
      }
    },
    message: openDm,
  });
  const notifier = new Notifier();

  const sidebar = new Sidebar(store, {
    open: (roomId) => openRoom(roomId),
    async join(roomId) {
      try {
        const room = await client.call("room:join", { roomId });
        serverRead.set(room.id, room.lastReadSeq);
        store.upsertRoom(room);
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
          BAD_REQUEST: `Room names are 1–${FIELD_LIMITS.roomName} characters and not only spaces.`,
        });
      }
      store.upsertRoom(room);
      openRoom(room.id);
    },
    openDm,
  }, [contacts.el, notifier.el]);

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
      typing(roomId, typing) {
        if (client.socket.connected) client.socket.emit("typing", { roomId, typing });
      },
      loadMembers,
      loadNewest,
      loadOlder,
      loadNewer,
      loadWindow,
      jumpToLatest,
      async editMessage(messageId, text) {
        try {
          store.updateMessage(await client.call("message:edit", { messageId, text }));
        } catch (err) {
          throw failure(err, {
            CONFLICT: "This message was deleted meanwhile.",
            FORBIDDEN: "You can only edit your own messages.",
            NOT_FOUND: "This message no longer exists.",
            BAD_REQUEST: `Messages are 1–${FIELD_LIMITS.messageText} characters and not only spaces.`,
          });
        }
      },
      async deleteMessage(messageId) {
        try {
          await client.call("message:delete", { messageId });
        } catch (err) {
          throw failure(err, {
            FORBIDDEN: "You can only delete your own messages.",
            NOT_FOUND: "This message no longer exists.",
          });
        }
        const known = store.message(messageId);
        if (known && !known.deleted) store.updateMessage({ ...known, deleted: true, text: "", editedAt: Date.now() });
      },
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

  const roomLabel = (roomId: string) => {
    const room = store.rooms.get(roomId);
    return room ? (room.kind === "dm" ? room.name : `#${room.name}`) : "a conversation";
  };

  const search = new SearchView({
    async search(query) {
      try {
        return await client.call("search", { query, limit: SEARCH_LIMIT });
      } catch (err) {
        throw failure(err, { BAD_REQUEST: "That search is too long." });
      }
    },
    open: openAt,
    roomLabel,
  });

  const view = new AppView(user, banner, sidebar, roomView, search, () => void signOut());
  root.replaceChildren(view.el);

  // ------------------------------------------------------------ title

  const unsubscribeTitle = store.subscribe((change) => {
    // The open room's newest message may have changed (a page, a live message, another room opened).
    if (change.current || (store.currentRoomId !== null && change.logs.has(store.currentRoomId))) syncRead();
    const unread = store.totalUnread();
    const room = store.room(store.currentRoomId);
    document.title = `${unread > 0 ? `(${unread}) ` : ""}${room ? `${room.kind === "dm" ? "" : "#"}${room.name} · ` : ""}Chat`;
  });

  // ------------------------------------------------------------ server events

  const announceLabel = (roomId: string) => {
    const room = store.rooms.get(roomId);
    return room ? (room.kind === "dm" ? "a direct message" : `#${room.name}`) : "a new conversation";
  };

  client.onMessage((message: Message) => {
    const roomId = message.roomId;
    const known = store.rooms.get(roomId);
    const log = store.log(roomId);
    // Showing an older stretch, a live message is not added to the log, but it is new all the same.
    const skipped = !log.following && message.seq > (store.newestSeq(roomId) ?? 0);
    const added = store.addMessages(roomId, [message], "live");
    // An invitation or a dm opened by someone else: the room list does not know it yet.
    const listed = known ? null : refreshRooms();
    const mine = message.sender.id === user.id;
    store.setTyping(roomId, message.sender, false);
    if (mine) {
      // What the user wrote (here or elsewhere) does not make a read room unread.
      if (known && known.lastReadSeq >= message.seq - 1) wantRead(roomId, message.seq);
      return;
    }
    if (added.length === 0 && !skipped) return;
    const mentioned = mentions(message, user.username);
    if (mentioned && known && message.seq > known.lastReadSeq) store.addMentions(roomId, 1);
    if (roomId === store.currentRoomId) {
      announcer.say(`${message.sender.username}: ${message.text}`);
    } else {
      announcer.say(`New message from ${message.sender.username} in ${announceLabel(roomId)}`);
    }
    // A room heard of first through this message is notified once the list says what it is (a dm?).
    if (known) notify(message, known, mentioned);
    else
      void listed?.then(() => {
        const room = store.rooms.get(roomId);
        if (room) notify(message, room, mentioned);
      });
  });

  /** A desktop notification (if enabled, and the tab is hidden) for a direct message or a mention. */
  function notify(message: Message, room: Room, mentioned: boolean): void {
    if (!(mentioned || room.kind === "dm") || Date.now() - message.createdAt > NOTIFY_MAX_AGE_MS) return;
    notifier.notify(
      room.kind === "dm" ? message.sender.username : `${message.sender.username} in #${room.name}`,
      message.text.length > 200 ? `${message.text.slice(0, 200)}…` : message.text,
      `message:${message.id}`,
      () => openRoom(room.id),
    );
  }

  client.on("message:updated", (message: Message) => {
    const before = store.message(message.id);
    const room = store.rooms.get(message.roomId);
    store.updateMessage(message);
    search.update(message);
    // A mention after the read marker added or taken away by an edit or delete.
    if (!room || message.sender.id === user.id || message.seq <= room.lastReadSeq) return;
    const now = mentions(message, user.username);
    if (before) {
      const was = mentions(before, user.username);
      if (was !== now) store.addMentions(message.roomId, now ? 1 : -1);
    } else if (now || room.unreadMentions > 0) {
      void refreshRooms();
    }
  });

  client.on("read", (event) => {
    if (event.user.id !== user.id) return;
    // The user's marker moved (this tab or another): their unread count follows.
    serverRead.set(event.roomId, Math.max(serverRead.get(event.roomId) ?? 0, event.seq));
    const room = store.rooms.get(event.roomId);
    store.markRead(event.roomId, event.seq);
    // Read only part of the way: which mentions remain is the server's to count.
    if (room && event.seq < room.lastSeq && room.unreadMentions > 0) void refreshRooms();
  });

  client.on("typing", (event) => {
    if (event.user.id !== user.id) store.setTyping(event.roomId, event.user, event.typing);
  });

  client.on("presence", (event) => store.setOnline(event.user, event.online));

  client.on("system", (event: SystemEvent) => {
    store.addSystem(event);
    if (event.user.id === user.id) {
      if (event.type === "member-left") {
        store.resetLog(event.roomId);
        store.forgetMembers(event.roomId);
        if (store.currentRoomId === event.roomId) store.setCurrent(null);
      }
      void refreshRooms();
    } else if (event.roomId === store.currentRoomId) {
      announcer.say(
        `${event.user.username} ${event.type === "member-joined" ? "joined" : event.type === "member-left" ? "left" : "was invited"}`,
      );
    }
    // Who is in the room changed: the open room's list is asked again, others' when next opened.
    if (event.roomId === store.currentRoomId && store.rooms.get(event.roomId)?.joined) loadMembers(event.roomId);
    else store.forgetMembers(event.roomId);
  });

  client.onConnectionChange((change) => {
    if (change.state === "disconnected") {
      // Typing states end with the connection; the server will tell again who types after it.
      store.clearTyping();
      if (change.willReconnect) banner.set("offline");
      else if (!ended) end("Your session has ended. Sign in again.");
      return;
    }
    banner.set(change.state === "connected" ? "online" : "reconnected");
    // A read that failed while away is tried again once the room list says where the marker is.
    readSent.clear();
    void refreshRooms();
    void loadContacts();
    flushReads();
    const current = store.currentRoomId;
    if (current !== null) {
      const log = store.log(current);
      if (!log.newestLoaded && !log.loadingNewest) loadNewest(current);
      loadMembers(current);
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
    search.dispose();
    view.dispose();
    store.clearTyping();
    document.removeEventListener("visibilitychange", onVisibility);
    window.removeEventListener("focus", onVisibility);
    unsubscribeTitle();
    history.replaceState(null, "", location.pathname);
  };
}
