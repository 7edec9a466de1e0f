// drift reads the refresh's events from the engine's event log (JSON lines) while the refresh runs:
// every event once, in order, a character split across two reads joined, a broken line an error.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { followEventLog } from "../../../gitops/drift";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "event-log-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const event = (sequence: number, name: string): string => JSON.stringify({ sequence, diagnosticEvent: { message: name } }) + "\n";

test("events written while the command runs and after it are each read once, in order", async () => {
  const file = path.join(dir, "live.jsonl");
  const seen: number[] = [];
  const command = (async () => {
    for (let i = 0; i < 5; i++) {
      fs.appendFileSync(file, event(i, "x"));
      await new Promise((r) => setTimeout(r, 60));
    }
    fs.appendFileSync(file, event(5, "last"));
    return "done";
  })();
  await expect(followEventLog(file, command, (e) => seen.push(e.sequence))).resolves.toBe("done");
  expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
});

test("a character split across two reads of 64 KiB is read whole", async () => {
  const file = path.join(dir, "split.jsonl");
  const head = event(0, "a".repeat(1000));
  // The second event's "ü" (two bytes) straddles byte 65,536, the first read's end.
  const prefix = JSON.stringify({ sequence: 1, diagnosticEvent: { message: "" } }).indexOf('message":"') + 'message":"'.length;
  const fill = 65_535 - Buffer.byteLength(head) - prefix - "Z".length;
  const name = "b".repeat(fill) + "Zürich";
  fs.writeFileSync(file, head + event(1, name));
  const messages: string[] = [];
  await followEventLog(file, Promise.resolve(), (e: EngineEvent) => messages.push(e.diagnosticEvent!.message));
  expect(messages[1]).toBe(name);
});

test("a line that is not an event fails the read rather than leave an event out", async () => {
  const file = path.join(dir, "broken.jsonl");
  fs.writeFileSync(file, event(0, "ok") + "{not json\n" + event(2, "ok"));
  await expect(followEventLog(file, Promise.resolve(), () => undefined)).rejects.toThrow(/^reading the refresh's event log: /);
});
