import { Room, RoomEvent, dispose } from '@livekit/rtc-node';
import { token } from './lib/rtc.mjs';
const url = process.argv[2];
for (const id of ['warm', 'a', 'b']) {
  const r = new Room();
  const t0 = Date.now();
  console.error(`DBG ${new Date().toISOString().slice(11, 23)} connect ${id}`);
  await r.connect(url, await token(id, 'jt'), {});
  console.error(`DBG ${new Date().toISOString().slice(11, 23)} connected ${id} ${Date.now() - t0} ms`);
}
await dispose(); process.exit(0);
