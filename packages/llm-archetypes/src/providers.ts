/**
 * Chat models from configuration or the environment: OpenAI, Anthropic,
 * Ollama and llama.cpp (a local GGUF file through node-llama-cpp). Each
 * provider's LangChain package is an optional peer dependency, imported only
 * when asked for; nothing here touches the network.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { existsSync } from 'node:fs';
import { describeValue, isPlainObject, PopulaceError } from '@populace/core';

/** The providers `chatModelFromConfig` knows; 'prior' means no model (the archetype's offline prior). */
export const LLM_PROVIDERS = ['openai', 'anthropic', 'ollama', 'llama-cpp', 'prior'] as const;
export type LlmProvider = (typeof LLM_PROVIDERS)[number];

/** Which chat model to make. */
export interface ChatModelConfig {
  readonly provider: LlmProvider;
  /** Model name (defaults: openai gpt-4o-mini, anthropic claude-3-5-haiku-latest, ollama llama3.2). */
  readonly model?: string;
  /** openai / anthropic: the API key (required). */
  readonly apiKey?: string;
  /** openai / anthropic / ollama: the server's base URL (ollama default http://localhost:11434). */
  readonly baseUrl?: string;
  /** llama-cpp: path of a local GGUF model file (required). */
  readonly modelPath?: string;
  /** Sampling temperature in [0, 2] (the provider's default when unset). */
  readonly temperature?: number;
}

/** Per provider: its package, the export to use, the default model and the env var of its key. */
const PROVIDERS = {
  openai: { pkg: '@langchain/openai', install: '@langchain/openai@1.5.8', exportName: 'ChatOpenAI', defaultModel: 'gpt-4o-mini', keyVar: 'OPENAI_API_KEY' },
  anthropic: { pkg: '@langchain/anthropic', install: '@langchain/anthropic', exportName: 'ChatAnthropic', defaultModel: 'claude-3-5-haiku-latest', keyVar: 'ANTHROPIC_API_KEY' },
  ollama: { pkg: '@langchain/ollama', install: '@langchain/ollama', exportName: 'ChatOllama', defaultModel: 'llama3.2', keyVar: undefined },
  'llama-cpp': { pkg: '@langchain/community/chat_models/llama_cpp', install: '@langchain/community node-llama-cpp', exportName: 'ChatLlamaCpp', defaultModel: undefined, keyVar: undefined },
} as const;

const NODE_NOTE = 'On Node 20 use @langchain/openai@1.5.8 or older (1.5.9 and later need Node 22).';

function fail(field: string, expected: string, received: unknown, fix: string): never {
  throw new PopulaceError('invalid-argument', `chatModelFromConfig: ${field}: expected ${expected}, received ${describeValue(received)}. ${fix}`, { details: { field } });
}

/** Validates a config; returns it with defaults filled in. */
export function validateChatModelConfig(config: unknown): ChatModelConfig {
  if (!isPlainObject(config)) fail('config', `an object { provider: ${LLM_PROVIDERS.join(' | ')}, model?, apiKey?, baseUrl?, modelPath?, temperature? }`, config, "Or call chatModelFromEnv() to read POPULACE_LLM_PROVIDER and the keys from the environment.");
  const provider = config.provider;
  if (typeof provider !== 'string' || !(LLM_PROVIDERS as readonly string[]).includes(provider)) {
    fail('provider', `one of ${LLM_PROVIDERS.join(', ')}`, provider, 'Set POPULACE_LLM_PROVIDER (or config.provider) to one of them.');
  }
  const known = ['provider', 'model', 'apiKey', 'baseUrl', 'modelPath', 'temperature'];
  const extra = Object.keys(config).filter((k) => !known.includes(k));
  if (extra.length) fail(extra[0]!, `only the keys [${known.join(', ')}]`, extra[0], 'Remove it.');
  for (const key of ['model', 'apiKey', 'baseUrl', 'modelPath'] as const) {
    const v = config[key];
    if (v !== undefined && (typeof v !== 'string' || v.length === 0)) fail(key, 'a non-empty string', key === 'apiKey' ? '(not shown)' : v, `Fix or remove ${key}.`);
  }
  const t = config.temperature;
  if (t !== undefined && !(typeof t === 'number' && t >= 0 && t <= 2)) fail('temperature', 'a number in [0, 2]', t, 'Fix or remove temperature.');
  if (provider === 'prior') return { provider };
  const p = PROVIDERS[provider as Exclude<LlmProvider, 'prior'>];
  if (p.keyVar && config.apiKey === undefined) fail('apiKey', `an API key for ${provider}`, undefined, `Set ${p.keyVar} (chatModelFromEnv) or pass apiKey.`);
  if (provider === 'llama-cpp') {
    const path = config.modelPath;
    if (path === undefined) fail('modelPath', 'the path of a local GGUF model file', undefined, 'Set POPULACE_LLAMA_MODEL_PATH (chatModelFromEnv) or pass modelPath.');
    if (!existsSync(path as string)) fail('modelPath', 'an existing GGUF file', path, 'Check the path (POPULACE_LLAMA_MODEL_PATH).');
  }
  if (config.baseUrl !== undefined && !/^https?:\/\//.test(config.baseUrl as string)) fail('baseUrl', 'an http(s) URL', config.baseUrl, 'E.g. http://localhost:11434 for Ollama.');
  return { ...(config as unknown as ChatModelConfig), ...(p.defaultModel && config.model === undefined ? { model: p.defaultModel } : {}) };
}

/** Imports an optional peer package; a missing one is PopulaceError('llm-failed') saying what to install. */
async function importPeer(pkg: string, install: string, provider: string): Promise<Record<string, unknown>> {
  const specifier: string = pkg; // a variable: TypeScript does not need the optional packages' types
  try {
    return (await import(specifier)) as Record<string, unknown>;
  } catch (cause) {
    const code = (cause as { code?: string })?.code;
    const text = (cause as Error)?.message ?? '';
    const root = pkg.startsWith('@') ? pkg.split('/').slice(0, 2).join('/') : pkg.split('/')[0]!;
    // Node says ERR_MODULE_NOT_FOUND; bundlers and test runners (vite) say "Could not resolve"
    const notFound = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Cannot find (package|module)|Could not resolve|Failed to (load|resolve)/i.test(text);
    const missing = notFound && text.includes(root);
    throw new PopulaceError(
      'llm-failed',
      missing
        ? `provider '${provider}' needs the package ${pkg}, which is not installed. Install it: npm install ${install}.${provider === 'openai' ? ` ${NODE_NOTE}` : ''} Or leave POPULACE_LLM_PROVIDER unset to use the archetypes' offline prior.`
        : `provider '${provider}': importing ${pkg} failed: ${(cause as Error)?.message ?? String(cause)}.${provider === 'openai' ? ` ${NODE_NOTE}` : ''}`,
      { cause, details: { provider, package: pkg } },
    );
  }
}

/**
 * Makes a LangChain chat model from a config (undefined for provider 'prior'). Validates the config,
 * then imports the provider's package on demand. Constructing a model does not call the network.
 *
 * @example
 * ```ts
 * const model = await chatModelFromConfig({ provider: 'ollama', model: 'llama3.2' });
 * sim.useBehavior('isolation', covidIsolation.behavior(sim, { model }));
 * ```
 */
export async function chatModelFromConfig(config: ChatModelConfig): Promise<BaseChatModel | undefined> {
  const c = validateChatModelConfig(config);
  if (c.provider === 'prior') return undefined;
  const p = PROVIDERS[c.provider];
  const temperature = c.temperature === undefined ? {} : { temperature: c.temperature };
  if (c.provider === 'llama-cpp') await importPeer('node-llama-cpp', 'node-llama-cpp', c.provider);
  const mod = await importPeer(p.pkg, p.install, c.provider);
  const Ctor = mod[p.exportName] as (new (fields: Record<string, unknown>) => BaseChatModel) & { initialize?: (fields: Record<string, unknown>) => Promise<BaseChatModel> };
  if (typeof Ctor !== 'function') throw new PopulaceError('llm-failed', `provider '${c.provider}': ${p.pkg} has no export ${p.exportName}; install a 1.x version (npm install ${p.install}).`);
  try {
    switch (c.provider) {
      case 'openai':
        return new Ctor({ model: c.model, apiKey: c.apiKey, ...temperature, ...(c.baseUrl ? { configuration: { baseURL: c.baseUrl } } : {}) });
      case 'anthropic':
        return new Ctor({ model: c.model, apiKey: c.apiKey, ...temperature, ...(c.baseUrl ? { anthropicApiUrl: c.baseUrl } : {}) });
      case 'ollama':
        return new Ctor({ model: c.model, baseUrl: c.baseUrl ?? 'http://localhost:11434', ...temperature });
      case 'llama-cpp':
        return typeof Ctor.initialize === 'function' ? await Ctor.initialize({ modelPath: c.modelPath, ...temperature }) : new Ctor({ modelPath: c.modelPath, ...temperature });
    }
  } catch (cause) {
    throw new PopulaceError('llm-failed', `provider '${c.provider}': creating ${p.exportName} failed: ${(cause as Error)?.message ?? String(cause)}.`, { cause });
  }
}

/**
 * The config the environment asks for, or undefined when POPULACE_LLM_PROVIDER is unset (then the
 * archetypes use their offline prior). Reads POPULACE_LLM_PROVIDER, POPULACE_LLM_MODEL,
 * OPENAI_API_KEY, ANTHROPIC_API_KEY, OLLAMA_BASE_URL and POPULACE_LLAMA_MODEL_PATH.
 */
export function chatModelConfigFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): ChatModelConfig | undefined {
  const provider = env.POPULACE_LLM_PROVIDER?.trim();
  if (!provider) return undefined;
  const set = (key: string, value: string | undefined) => (value ? { [key]: value } : {});
  const apiKey = provider === 'openai' ? env.OPENAI_API_KEY : provider === 'anthropic' ? env.ANTHROPIC_API_KEY : undefined;
  return validateChatModelConfig({
    provider,
    ...set('model', env.POPULACE_LLM_MODEL),
    ...set('apiKey', apiKey),
    ...set('baseUrl', provider === 'ollama' ? env.OLLAMA_BASE_URL : undefined),
    ...set('modelPath', provider === 'llama-cpp' ? env.POPULACE_LLAMA_MODEL_PATH : undefined),
  });
}

/**
 * The chat model the environment asks for (see `chatModelConfigFromEnv`), or undefined: nothing set
 * means the offline prior.
 *
 * @example
 * ```ts
 * const model = await chatModelFromEnv();   // undefined unless POPULACE_LLM_PROVIDER is set
 * const behavior = covidIsolation.behavior(sim, { model });
 * behavior.usage().source;                  // 'prior (not an LLM)' without a model
 * ```
 */
export async function chatModelFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): Promise<BaseChatModel | undefined> {
  const config = chatModelConfigFromEnv(env);
  return config ? chatModelFromConfig(config) : undefined;
}
