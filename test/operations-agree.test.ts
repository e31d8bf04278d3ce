/**
 * Every operation of server-kit's OPERATIONS is exposed identically by each
 * surface: the MCP tool's input schema (in memory), the GraphQL schema (the
 * SDL the server serves) and the CLI's options and help. Field names, types,
 * required-ness and defaults are compared with the zod declaration, field by
 * field; what a surface deliberately takes differently is listed here with
 * the reason, so a new field that a surface misses fails this test.
 * Needs the builds: npx turbo run build
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createRuntime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { enumValueName, GRAPHQL_OPERATIONS, graphqlFieldName, graphqlInputName, graphqlInputShape, INPUT_RENDERINGS, isJobOperation, populaceTypeDefs } from '@populace/graphql';
import { createPopulaceMcpServer } from '@populace/mcp-server';
import { createServerKit, OPERATIONS, runRecordSchema, unwrapField, wireInput, type Operation } from '@populace/server-kit';
import { buildSchema, getNamedType, GraphQLInputObjectType, GraphQLObjectType, isNonNullType, isEnumType, printType, type GraphQLInputType } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { calibrateCommand } from '../packages/cli/src/commands/calibrate.js';
import { runCommand } from '../packages/cli/src/commands/run.js';
import { sensitivityCommand } from '../packages/cli/src/commands/sensitivity.js';
import { sweepCommand } from '../packages/cli/src/commands/sweep.js';
import type { Command } from '../packages/cli/src/command.js';
import { removeTempDirs, tempDir } from './fixtures/mcp/servers.js';
import path from 'node:path';

afterAll(removeTempDirs);

const unwrap = unwrapField;

const jsonType = (s: z.ZodType): string | undefined =>
  s instanceof z.ZodNumber ? (s.isInt ? 'integer' : 'number') : s instanceof z.ZodString || s instanceof z.ZodEnum ? 'string' : s instanceof z.ZodBoolean ? 'boolean' : s instanceof z.ZodArray ? 'array' : s instanceof z.ZodRecord || s instanceof z.ZodObject ? 'object' : undefined;

/** The composition fields (run, calibrate, sensitivity) as the CLI's simulation options take them. */
const COMPOSITION = { inputs: '--input name=file.csv|json|number, repeatable', links: '--link <model>.<metric>=<model>.<input>, repeatable', populations: '--population <model>=<id>', memberAgents: '--agents <model>=N' };
/** The CLI command of an operation, how its fields map to options, and what it takes otherwise (with the reason). */
const CLI: Record<string, { command: Command; rename?: Record<string, string>; elsewhere: Record<string, string> }> = {
  run_simulation: { command: runCommand, rename: { params: 'param' }, elsewhere: { model: 'the <model> argument', schedules: '--param name=value@step,...', behaviors: '--behavior slot=archetype', label: 'no label: the CLI records nothing unless asked', waitSeconds: 'the CLI runs in process and waits', ...COMPOSITION } },
  calibrate: { command: calibrateCommand, rename: { params: 'param', learningRate: 'learning-rate' }, elsewhere: { model: 'the <model> argument', observed: '--observed file.csv', label: 'no label', waitSeconds: 'the CLI waits', ...COMPOSITION } },
  sensitivity: { command: sensitivityCommand, rename: { params: 'param' }, elsewhere: { model: 'the <model> argument', label: 'no label', waitSeconds: 'the CLI waits', ...COMPOSITION } },
  sweep: { command: sweepCommand, rename: { params: 'param' }, elsewhere: { model: 'the <model> argument', schedules: '--param name=value@step,...' } },
};
/** Operations with no CLI command of their own, and why. */
const NO_CLI: Record<string, string> = { list_backends: 'populace backends (no input; the same rows)', list_models: 'populace models', describe_model: 'populace models <id>', list_populations: 'populace populations', run_scenarios: 'populace sweep --vary' };

describe('every operation on every surface', () => {
  it('MCP tool schemas are the operations\' inputs: the same names, types, required fields and defaults', async () => {
    const kit = createServerKit({ runtime: createRuntime({ plugins: [examplePlugin], backend: 'cpu' }), db: path.join(tempDir(), 'agree.db') });
    const server = createPopulaceMcpServer({ kit, log: () => undefined });
    const [a, b] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: 'agree', version: '1' });
    await Promise.all([server.connect(b), client.connect(a)]);
    try {
      const { tools } = await client.listTools();
      for (const op of OPERATIONS as readonly Operation[]) {
        const tool = tools.find((t) => t.name === op.name)!;
        expect(tool, op.name).toBeDefined();
        const shape = wireInput(op).shape as Record<string, z.ZodType>;
        const props = (tool.inputSchema.properties ?? {}) as Record<string, { type?: string; default?: unknown }>;
        expect(Object.keys(props), op.name).toEqual(Object.keys(shape));
        expect(tool.inputSchema.additionalProperties, op.name).toBe(false);
        for (const [field, schema] of Object.entries(shape)) {
          const { inner, required, fallback } = unwrap(schema);
          const at = `${op.name}.${field}`;
          if (jsonType(inner)) expect(props[field]!.type, at).toBe(jsonType(inner));
          expect(props[field]!.default, at).toEqual(fallback);
          expect((tool.inputSchema.required ?? []).includes(field), at).toBe(required && fallback === undefined);
        }
      }
      // the deprecated names still work over MCP, mapped onto learnable; both at once and unknown keys are refused
      const SENS = { model: 'network-sir', population: 'random-graph', agents: 300, steps: 4, seed: 1, output: 'newInfections:sum' };
      const viaWrt = (await client.callTool({ name: 'sensitivity', arguments: { ...SENS, wrt: ['beta'] } })) as CallToolResult;
      expect(viaWrt.isError, JSON.stringify(viaWrt.content)).toBeFalsy();
      const result = (viaWrt.structuredContent as { result: { entries: { param: string }[] } }).result;
      expect(result.entries.map((e) => e.param)).toEqual(['beta']);
      const both = (await client.callTool({ name: 'sensitivity', arguments: { ...SENS, wrt: ['beta'], learnable: ['beta'] } })) as CallToolResult;
      expect((both.content[0] as { text: string }).text).toContain("'wrt' is the deprecated name of 'learnable'; give only 'learnable'");
      const dropped = (await client.callTool({ name: 'run_scenarios', arguments: { model: 'network-sir', scenarios: [{ label: 'x', params: {} }] } })) as CallToolResult;
      expect(dropped.isError).toBe(true);
      expect((dropped.content[0] as { text: string }).text).toContain("unknown key 'label'; valid keys: name, params");
    } finally {
      await client.close();
      await server.close();
      await kit.close();
    }
  });

  it('GraphQL input types are the operations\' inputs (less a job\'s wait, which is waitMs), deprecated aliases marked', () => {
    const schema = buildSchema(populaceTypeDefs());
    const fields = { ...schema.getQueryType()!.getFields(), ...schema.getMutationType()!.getFields() };
    const derived = GRAPHQL_OPERATIONS.map((o) => o.name);
    for (const op of OPERATIONS as readonly Operation[]) {
      if (!derived.includes(op.name)) {
        expect(['list_models', 'describe_model', 'list_populations'], `${op.name} is derived or a hand-written catalog field`).toContain(op.name);
        continue;
      }
      const field = fields[graphqlFieldName(op)]!;
      expect(field, op.name).toBeDefined();
      expect(field.description, op.name).toContain(op.description);
      if (isJobOperation(op)) expect(field.args.map((a) => a.name)).toEqual(['input', 'waitMs']);
      const shape = graphqlInputShape(op);
      if (Object.keys(shape).length === 0) {
        // no input: no input type and no input argument
        expect(schema.getType(graphqlInputName(op)), op.name).toBeUndefined();
        expect(field.args.map((a) => a.name), op.name).toEqual(isJobOperation(op) ? ['waitMs'] : []);
        continue;
      }
      const input = schema.getType(graphqlInputName(op)) as GraphQLInputObjectType;
      const gqlFields = input.getFields();
      expect(Object.keys(gqlFields), printType(input)).toEqual(Object.keys(shape));
      for (const [name, zod] of Object.entries(shape)) {
        const { inner, required, fallback } = unwrap(zod);
        const f = gqlFields[name]!;
        const at = `${graphqlInputName(op)}.${name}`;
        expect(isNonNullType(f.type), at).toBe(required);
        const rendering = [...INPUT_RENDERINGS].find(([k]) => k.def === inner.def)?.[1];
        const named = getNamedType(f.type as GraphQLInputType).name;
        if (rendering) expect(String(f.type).replace(/!$/, ''), at).toBe(rendering.type);
        else if (inner instanceof z.ZodNumber) expect(['Int', 'Float'], at).toContain(named);
        else if (inner instanceof z.ZodString || inner instanceof z.ZodEnum) expect(named, at).toBe('String');
        else if (inner instanceof z.ZodRecord) expect(named, at).toBe('JSON');
        const expected = fallback === undefined || typeof fallback === 'object' ? undefined : isEnumType(getNamedType(f.type as GraphQLInputType)) ? enumValueName(String(fallback)) : fallback;
        expect(f.defaultValue, at).toEqual(expected);
        expect(f.deprecationReason ?? undefined, at).toBe(op.aliases?.[name] ? `Use '${op.aliases[name]}'.` : undefined);
      }
    }
  });

  it('GraphQL\'s Run type has every field of the run record the operations return (MCP\'s structured output), nullable where the record\'s is', () => {
    const run = buildSchema(populaceTypeDefs()).getType('Run') as GraphQLObjectType;
    const fields = run.getFields();
    // GraphQL splits the kind-specific result into typed fields; it adds parent, metrics(...) and files
    const RENDERED: Record<string, string[]> = { result: ['calibration', 'sensitivity', 'scenarios', 'snapshot'] };
    for (const [name, schema] of Object.entries(runRecordSchema.shape as Record<string, z.ZodType>)) {
      for (const field of RENDERED[name] ?? [name]) {
        expect(fields[field], `Run.${field} (run record '${name}')`).toBeDefined();
        if (!RENDERED[name]) expect(isNonNullType(fields[field]!.type), `Run.${field} is non-null exactly where the record's '${name}' is`).toBe(!schema.safeParse(null).success);
      }
    }
    const known = new Set([...Object.keys(runRecordSchema.shape), ...Object.values(RENDERED).flat(), 'parent', 'metrics', 'files']);
    expect(Object.keys(fields).filter((f) => !known.has(f)), 'Run fields not in the run record').toEqual([]);
  });

  it('CLI commands take each operation field as an option of the same name (kebab-case) with the same default in their help', () => {
    for (const op of OPERATIONS as readonly Operation[]) {
      const cli = CLI[op.name];
      if (!cli) {
        expect(NO_CLI[op.name], `${op.name} needs a CLI command or a reason in NO_CLI`).toBeDefined();
        continue;
      }
      for (const [field, schema] of Object.entries(op.input.shape as Record<string, z.ZodType>)) {
        if (cli.elsewhere[field]) continue;
        const option = cli.rename?.[field] ?? field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
        const spec = cli.command.options[option];
        expect(spec, `${op.name}.${field}: --${option} of populace ${cli.command.name}`).toBeDefined();
        const { fallback } = unwrap(schema);
        if (fallback !== undefined && typeof fallback !== 'object') expect(spec!.description, `${op.name}.${field}`).toContain(`default ${String(fallback)}`);
      }
    }
    // the deprecated CLI name of learnable stays for one release
    expect(calibrateCommand.options.params!.description).toMatch(/deprecated.*--learnable/);
  });
});
