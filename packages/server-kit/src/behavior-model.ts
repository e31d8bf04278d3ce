/**
 * The chat model LLM archetypes ask, from the environment: POPULACE_LLM_PROVIDER
 * (openai, anthropic, ollama, llama-cpp) and its settings, read by
 * @populace/llm-archetypes' `chatModelFromEnv`. With no provider set there is
 * no model, and archetypes use their offline, deterministic priors.
 */
import { PopulaceError } from '@populace/core';

const LLM_PACKAGE = '@populace/llm-archetypes';

/** The chat model POPULACE_LLM_PROVIDER names, or undefined when it is not set. */
export async function behaviorModelFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): Promise<unknown> {
  if (!env.POPULACE_LLM_PROVIDER) return undefined;
  let mod: { chatModelFromEnv?: (e: Readonly<Record<string, string | undefined>>) => unknown };
  try {
    mod = (await import(LLM_PACKAGE)) as typeof mod;
  } catch (cause) {
    throw new PopulaceError('llm-failed', `POPULACE_LLM_PROVIDER is set to '${env.POPULACE_LLM_PROVIDER}', but ${LLM_PACKAGE} is not installed. Install it (npm install ${LLM_PACKAGE}) or unset POPULACE_LLM_PROVIDER to use the archetypes' offline priors.`, { cause });
  }
  return (await mod.chatModelFromEnv?.(env)) ?? undefined;
}
