import { createClient } from "redis";
const c = createClient({ url: "redis://127.0.0.1:6399", disableOfflineQueue: true, socket: { connectTimeout: 1000, reconnectStrategy: (n: number) => (n > 3 ? new Error("give up") : 100) } });
c.on("error", (e) => console.log("error event", e.message));
const t = Date.now();
try { await c.connect(); console.log("connected"); } catch (e) { console.log("connect rejected", (e as Error).message, Date.now() - t); }
const ok = createClient({ url: "redis://127.0.0.1:6379", disableOfflineQueue: true });
await ok.connect();
console.log(await ok.ping(), ok.isReady);
await ok.quit();
