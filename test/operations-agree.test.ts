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
import { createPopulaceYoga, enumValueName, GRAPHQL_OPERATIONS, graphqlFieldName, graphqlInputName, graphqlInputShape, INPUT_RENDERINGS, isJobOperation, populaceTypeDefs, RUN_FIELD_SPLITS } from '@populace/graphql';
import { createPopulaceMcpServer } from '@populace/mcp-server';
import { createServerKit, OPERATIONS, runRecordSchema, unwrapField, wireInput, type Operation } from '@populace/server-kit';
import { buildSchema, getNamedType, GraphQLInputObjectType, GraphQLObjectType, isNonNullType, isEnumType, printType, type GraphQLInputType, type GraphQLOutputType } from 'graphql';
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

  it('GraphQL\'s Run serves the run record MCP returns for the same job: every record field, with the record\'s value', async () => {
    const kit = createServerKit({ runtime: createRuntime({ plugins: [examplePlugin], backend: 'cpu' }), db: path.join(tempDir(), 'record.db') });
    const server = createPopulaceMcpServer({ kit, log: () => undefined });
    const [a, b] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: 'record', version: '1' });
    await Promise.all([server.connect(b), client.connect(a)]);
    try {
      const out = (await client.callTool({ name: 'run_simulation', arguments: { model: 'network-sir', population: 'random-graph', agents: 300, steps: 3, seed: 7, label: 'agree', params: { beta: 0.2 }, waitSeconds: 60 } })) as CallToolResult;
      expect(out.isError, JSON.stringify(out.content)).toBeFalsy();
      const record = (out.structuredContent as { run: Record<string, unknown> }).run;
      expect(record.status).toBe('done');
      const schema = buildSchema(populaceTypeDefs());
      const run = schema.getType('Run') as GraphQLObjectType;
      const fields = run.getFields();
      const recordFields = Object.keys(runRecordSchema.shape).flatMap((f) => (RUN_FIELD_SPLITS as Record<string, Record<string, unknown>>)[f] ? Object.keys(RUN_FIELD_SPLITS[f as 'result']!) : [f]);
      // every subfield of an object type, to any depth, but runs within (a sweep's)
      const selection = (type: GraphQLOutputType): string => {
        const t = getNamedType(type);
        const sub = t instanceof GraphQLObjectType ? Object.values(t.getFields()).filter((f) => getNamedType(f.type).name !== 'Run' && !f.args.some((x) => isNonNullType(x.type))) : [];
        return sub.length ? ` { ${sub.map((f) => `${f.name}${selection(f.type)}`).join(' ')} }` : '';
      };
      for (const f of recordFields) expect(fields[f], `Run.${f}`).toBeDefined();
      const query = `query($id: ID!) { run(id: $id) { ${recordFields.map((f) => `${f}${selection(fields[f]!.type)}`).join(' ')} } }`;
      const yoga = createPopulaceYoga({ kit, logging: false });
      const response = await yoga.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables: { id: record.id } }) });
      const body = (await response.json()) as { data?: { run: Record<string, unknown> }; errors?: unknown };
      expect(body.errors).toBeUndefined();
      const served = body.data!.run;
      /** The GraphQL rendering of a record value of `type`: enums by their GraphQL names, parameters as Param lists; fields GraphQL adds (Progress.fraction) are not compared. */
      const rendered = (value: unknown, type: GraphQLOutputType, at: string): unknown => {
        const t = getNamedType(type);
        if (value === null) return null;
        if (Array.isArray(value)) return value.map((v, i) => rendered(v, type, `${at}[${i}]`));
        if (isEnumType(t)) return enumValueName(String(value));
        if (t.name === 'Param') return Object.entries(value as Record<string, number | number[]>).map(([name, v]) => ({ name, value: typeof v === 'number' ? v : null, values: typeof v === 'number' ? [v] : v }));
        if (t instanceof GraphQLObjectType) return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, rendered(v, t.getFields()[k]!.type, `${at}.${k}`)]));
        return value;
      };
      for (const f of Object.keys(runRecordSchema.shape)) {
        const split = (RUN_FIELD_SPLITS as Record<string, Record<string, unknown>>)[f];
        if (split) {
          // a plain run has no result: every field it splits into is null
          expect(record[f], f).toBeNull();
          for (const s of Object.keys(split)) expect(served[s], `Run.${s}`).toBeNull();
          continue;
        }
        const want = rendered(record[f], fields[f]!.type, f);
        if (want !== null && typeof want === 'object' && !Array.isArray(want)) expect(served[f], `Run.${f}`).toMatchObject(want);
        else expect(served[f], `Run.${f}`).toEqual(want);
      }
      expect(served).toMatchObject({ kind: 'RUN', status: 'DONE', label: 'agree', seed: 7, progress: { done: 3, total: 3, unit: 'STEPS', fraction: 1 } });
    } finally {
      await client.close();
      await server.close();
      await kit.close();
    }
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
