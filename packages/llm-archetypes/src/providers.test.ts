/**
 * Provider selection: config validation, the environment, and the error for a provider whose
 * optional LangChain package is not installed (none is, here). Nothing touches the network.
 */
import { PopulaceError } from '@populace/core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chatModelConfigFromEnv, chatModelFromConfig, chatModelFromEnv, validateChatModelConfig, type ChatModelConfig } from './providers.js';

const gguf = join(mkdtempSync(join(tmpdir(), 'populace-llm-')), 'model.gguf');
writeFileSync(gguf, 'not really a model');
afterAll(() => rmSync(dirname(gguf), { recursive: true, force: true }));

async function failure(config: unknown): Promise<PopulaceError> {
  const e = await chatModelFromConfig(config as ChatModelConfig).then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!PopulaceError.isInstance(e)) throw new Error(`expected a PopulaceError, got ${String(e)}`);
  return e;
}

describe('chat model providers', () => {
  it('nothing set means no model (the prior)', async () => {
    expect(chatModelConfigFromEnv({})).toBeUndefined();
    expect(chatModelConfigFromEnv({ OPENAI_API_KEY: 'sk-test' })).toBeUndefined();
    expect(await chatModelFromEnv({})).toBeUndefined();
    expect(await chatModelFromConfig({ provider: 'prior' })).toBeUndefined();
  });

  it('reads the environment per provider, with default models', () => {
    expect(chatModelConfigFromEnv({ POPULACE_LLM_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-1', ANTHROPIC_API_KEY: 'x' })).toEqual({ provider: 'openai', apiKey: 'sk-1', model: 'gpt-4o-mini' });
    expect(chatModelConfigFromEnv({ POPULACE_LLM_PROVIDER: 'anthropic', ANTHROPIC_API_KEY: 'a-1', POPULACE_LLM_MODEL: 'claude-x' })).toEqual({ provider: 'anthropic', apiKey: 'a-1', model: 'claude-x' });
    expect(chatModelConfigFromEnv({ POPULACE_LLM_PROVIDER: 'ollama', OLLAMA_BASE_URL: 'http://127.0.0.1:11434' })).toEqual({ provider: 'ollama', baseUrl: 'http://127.0.0.1:11434', model: 'llama3.2' });
    expect(chatModelConfigFromEnv({ POPULACE_LLM_PROVIDER: 'llama-cpp', POPULACE_LLAMA_MODEL_PATH: gguf })).toEqual({ provider: 'llama-cpp', modelPath: gguf });
  });

  it.each([
    ['an unknown provider, listing the valid ones', { provider: 'gemini' }, /provider: expected one of openai, anthropic, ollama, llama-cpp, prior, received "gemini"/],
    ['a missing OpenAI key, naming the env var', { provider: 'openai' }, /apiKey: .*Set OPENAI_API_KEY/],
    ['a missing Anthropic key, naming the env var', { provider: 'anthropic' }, /Set ANTHROPIC_API_KEY/],
    ['a missing GGUF path', { provider: 'llama-cpp' }, /modelPath: .*POPULACE_LLAMA_MODEL_PATH/],
    ['a GGUF path that does not exist', { provider: 'llama-cpp', modelPath: '/nope/model.gguf' }, /expected an existing GGUF file/],
    ['an unknown key', { provider: 'ollama', url: 'x' }, /expected only the keys/],
    ['a bad temperature', { provider: 'ollama', temperature: 5 }, /temperature: expected a number in \[0, 2\]/],
    ['a bad base URL', { provider: 'ollama', baseUrl: 'localhost:11434' }, /baseUrl: expected an http\(s\) URL/],
    ['not an object', 'openai', /config: expected an object/],
  ])('rejects %s', async (_what, config, message) => {
    const e = await failure(config);
    expect(e.code).toBe('invalid-argument');
    expect(e.message).toMatch(message);
    expect(() => validateChatModelConfig(config)).toThrow(message);
  });

  it('rejects a bad environment the same way', () => {
    expect(() => chatModelConfigFromEnv({ POPULACE_LLM_PROVIDER: 'openai' })).toThrow(/Set OPENAI_API_KEY/);
    expect(() => chatModelConfigFromEnv({ POPULACE_LLM_PROVIDER: 'gpt' })).toThrow(/expected one of openai/);
  });

  it.each([
    ['openai', { provider: 'openai', apiKey: 'sk-test' }, /needs the package @langchain\/openai, which is not installed\. Install it: npm install @langchain\/openai@1\.5\.8\. On Node 20 use @langchain\/openai@1\.5\.8 or older \(1\.5\.9 and later need Node 22\)/],
    ['anthropic', { provider: 'anthropic', apiKey: 'a-test' }, /needs the package @langchain\/anthropic.*npm install @langchain\/anthropic/],
    ['ollama', { provider: 'ollama' }, /needs the package @langchain\/ollama.*npm install @langchain\/ollama/],
    ['llama-cpp', { provider: 'llama-cpp', modelPath: gguf }, /needs the package node-llama-cpp.*npm install node-llama-cpp/],
  ])('says which package to install for %s (the optional peers are not installed here)', async (_p, config, message) => {
    const e = await failure(config);
    expect(e.code).toBe('llm-failed');
    expect(e.message).toMatch(message);
    expect(e.message).toMatch(/offline prior|not installed/);
  });
});
