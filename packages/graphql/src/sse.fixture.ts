/**
 * Test fixture: reads a server-sent event stream (Yoga's subscription
 * transport) from a fetch Response as it arrives, one parsed event at a time.
 */

/** One event: its name (`next`, `complete`) and its data parsed as JSON (null when empty). */
export interface SseEvent {
  readonly event: string;
  readonly data: any;
}

/** The events of `response`'s body, in order, until the stream ends. Comment lines (keep-alives) are skipped. */
export async function* readSse(response: Response): AsyncGenerator<SseEvent> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message';
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
        }
        if (event === 'message' && data.length === 0) continue;
        const text = data.join('\n');
        yield { event, data: text === '' ? null : JSON.parse(text) };
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** Every event until the stream ends. */
export async function allEvents(response: Response): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const e of readSse(response)) events.push(e);
  return events;
}

/** The request that subscribes over SSE. */
export function sseRequest(query: string, variables: Record<string, unknown>): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify({ query, variables }) };
}
