import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ScriptedChatModel } from './scripted-chat-model.js';

const add = tool(({ a, b }: { a: number; b: number }) => String(a + b), { name: 'add', description: 'adds', schema: z.object({ a: z.number(), b: z.number() }) });

describe('ScriptedChatModel', () => {
  it('plays tool calls and answers computed from the conversation', async () => {
    const model = new ScriptedChatModel({
      turns: [
        { toolCalls: [{ name: 'add', args: { a: 2, b: 3 } }], usage: { input_tokens: 5, output_tokens: 1, total_tokens: 6 } },
        { toolCalls: ({ lastToolResults }) => [{ name: 'add', args: { a: lastToolResults[0]!.json as number, b: 10 }, id: 'second' }] },
        { text: ({ toolResults, question }) => `${question} ${toolResults.map((r) => `${r.name}(${JSON.stringify(r.args)}) = ${r.content}`).join(', ')}` },
      ],
    });
    const bound = model.bindTools([add]);
    expect(bound).toBe(model);
    expect(model.boundTools).toEqual(['add']);
    const messages: BaseMessage[] = [new HumanMessage('sum?')];
    for (;;) {
      const reply = (await bound.invoke(messages)) as AIMessage;
      messages.push(reply);
      if (!reply.tool_calls?.length) break;
      for (const call of reply.tool_calls) messages.push(new ToolMessage({ content: String(await add.invoke(call.args as { a: number; b: number })), tool_call_id: call.id!, name: call.name }));
    }
    expect((messages[1] as AIMessage).tool_calls![0]).toMatchObject({ name: 'add', args: { a: 2, b: 3 }, id: 'call-1-1' });
    expect((messages[1] as AIMessage).usage_metadata).toEqual({ input_tokens: 5, output_tokens: 1, total_tokens: 6 });
    expect((messages[3] as AIMessage).tool_calls![0]).toMatchObject({ args: { a: 5, b: 10 }, id: 'second' });
    expect(messages[messages.length - 1]!.content).toBe('sum? add({"a":2,"b":3}) = 5, add({"a":5,"b":10}) = 15');
    expect(model.calls).toBe(3);
    expect(model.inputs[2]).toHaveLength(5);
  });

  it('sees error tool messages and fails clearly when the script runs out', async () => {
    const model = new ScriptedChatModel({ turns: [{ text: ({ lastToolResults }) => `ok=${lastToolResults.map((r) => r.ok).join(',')}` }] });
    const history = [new HumanMessage('q'), new AIMessage({ content: '', tool_calls: [{ name: 'x', args: {}, id: 't1', type: 'tool_call' }] }), new ToolMessage({ content: 'Error: bad', tool_call_id: 't1', status: 'error' })];
    expect((await model.invoke(history)).content).toBe('ok=false');
    await expect(model.invoke([new HumanMessage('again')])).rejects.toThrow(/1 turn\(s\) and this is call 2/);
    const repeating = new ScriptedChatModel({ turns: [{ text: 'same' }], whenDone: 'repeat-last' });
    await repeating.invoke('a');
    expect((await repeating.invoke('b')).content).toBe('same');
    expect(() => new ScriptedChatModel({ turns: [] })).toThrow(TypeError);
  });
});
