/**
 * An archetype's prompt templates: `{name}` placeholders filled with a group's
 * attribute labels and the simulation context, and the default system message.
 */
import type { GroupLabels } from './archetype-group-by.js';
import type { BehaviorContext } from './behavior.js';
import { assertDefinition } from './validate.js';

/** A placeholder: `{name}` with name an identifier. Other braces (JSON examples) are left alone. */
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The placeholder names of a template, in order of first use. */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** Checks that every placeholder of `template` is a groupBy attribute or a declared context key. */
export function validateTemplate(template: unknown, field: string, groupBy: readonly string[], contextKeys: readonly string[], where: string): string {
  assertDefinition(typeof template === 'string' && template.trim().length > 0, `${where}.${field}`, 'a non-empty template string with {placeholders}', template);
  for (const name of placeholders(template)) {
    assertDefinition(
      groupBy.includes(name) || contextKeys.includes(name),
      `${where}.${field}`,
      `placeholders that are groupBy attributes [${groupBy.join(', ')}] or context keys [${contextKeys.join(', ')}]`,
      `{${name}}`,
      `Add '${name}' to groupBy or declare it in context: { ${name}: 'what it means' }, or remove the placeholder.`,
    );
  }
  return template;
}

/** Fills a template: group attributes render as their labels, context values as given. */
export function renderTemplate(template: string, group: GroupLabels, context: BehaviorContext): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    if (Object.hasOwn(group, name)) return group[name]!;
    if (Object.hasOwn(context, name)) return String(context[name]);
    return whole;
  });
}

/**
 * The default system message: the model answers as the archetype (one typical member of a group of
 * agents in a simulated population) and replies with one JSON object matching `jsonSchema`.
 */
export function defaultSystemMessage(agentType: string, description: string | undefined, jsonSchema: string): string {
  return [
    `You answer as an archetype: one typical member of a group of ${agentType} in a simulated population, described by the user's message.`,
    ...(description ? [`The question: ${description}.`] : []),
    'Answer as that person would, realistically, not as you think they should.',
    `Reply with one JSON object and nothing else, matching this JSON schema: ${jsonSchema}`,
  ].join('\n');
}
