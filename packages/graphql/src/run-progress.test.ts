/**
 * The runProgress subscription over SSE through `yoga.fetch`: a snapshot,
 * one event per step with the metrics so far, then FINISHED with the final
 * record; for calibrations one event per epoch; for ended runs one FINISHED
 * event; for runs of another process, the store's progress.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createRuntime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { createServerKit } from '@populace/server-kit';
import { allEvents, readSse, sseRequest } from './sse.fixture.js';
import { referenceMetrics, removeTempDirs, SIR_INPUT, testServer } from './yoga.fixture.js';

const server = testServer({ concurrency: 1 });
afterAll(async () => {
  await server.kit.close();
  removeTempDirs();
});

const FOLLOW = `subscription($id: ID!) { runProgress(id: $id) { type runId kind status step progress { done total unit }
  latest { name value } metrics { name values } epoch { epoch loss params { name value } } run { id status stepsRecorded calibration { epochs } } } }`;
const subscribe = (id: string) => server.yoga.fetch('http://localhost/graphql', sseRequest(FOLLOW, { id }));
const start = async (query: string, input: Record<string, unknown>) => {
  const { data, errors } = await server.gql(query, { input });
  expect(errors).toBeUndefined();
  return Object.values(data!)[0].id as string;
};
const START = 'mutation($input: StartRunInput!) { startRun(input: $input) { id } }';

describe('runProgress', () => {
  it('follows a run step by step with the metrics so far, to its FINISHED event and the end of the stream', async () => {
    const steps = 25;
    // a queued run first: the one slot is busy with a longer run
    const blocker = await start(START, { ...SIR_INPUT, steps: 300 });
    const id = await start(START, { ...SIR_INPUT, steps });
    const response = await subscribe(id);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = await allEvents(response);
    expect(events.at(-1)).toEqual({ event: 'complete', data: null });
    const payloads = events.slice(0, -1).map((e) => {
      expect(e.event).toBe('next');
      expect(e.data.errors).toBeUndefined();
      return e.data.data.runProgress;
    });
    const reference = await referenceMetrics(steps);
    // the run as it was: queued behind the blocker
    expect(payloads[0]).toMatchObject({ type: 'QUEUED', runId: id, kind: 'RUN', status: 'QUEUED', step: null, progress: { done: 0, total: steps, unit: 'STEPS' }, run: null });
    expect(payloads[0].metrics).toEqual(['S', 'I', 'R', 'newInfections'].map((name) => ({ name, values: [] })));
    expect(payloads[1]).toMatchObject({ type: 'STARTED', status: 'RUNNING' });
    const progress = payloads.filter((p) => p.type === 'PROGRESS');
    expect(progress.map((p) => p.step)).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
    for (const p of progress) {
      expect(p.progress).toEqual({ done: p.step, total: steps, unit: 'STEPS' });
      expect(p.latest).toEqual(['S', 'I', 'R', 'newInfections'].map((name) => ({ name, value: reference[name]![p.step - 1] })));
      // the metrics so far are exactly the first `step` values of the series
      expect(p.metrics).toEqual(['S', 'I', 'R', 'newInfections'].map((name) => ({ name, values: reference[name]!.slice(0, p.step) })));
      expect(p.status).toBe('RUNNING');
    }
    const last = payloads.at(-1);
    expect(last).toMatchObject({ type: 'FINISHED', status: 'DONE', step: steps, run: { id, status: 'DONE', stepsRecorded: steps, calibration: null } });
    expect(last.latest).toEqual(['S', 'I', 'R', 'newInfections'].map((name) => ({ name, value: reference[name]![steps - 1] })));
    expect(last.metrics).toEqual(['S', 'I', 'R', 'newInfections'].map((name) => ({ name, values: reference[name] })));
    expect(payloads).toHaveLength(2 + steps + 1);
    await server.kit.executor.wait(blocker);
  });

  it('a run that has ended gives one FINISHED event', async () => {
    const id = await start(START, { ...SIR_INPUT, steps: 4 });
    await server.kit.executor.wait(id);
    const events = await allEvents(await subscribe(id));
    expect(events).toHaveLength(2);
    expect(events[0]!.data.data.runProgress).toMatchObject({ type: 'FINISHED', status: 'DONE', step: 4, progress: { done: 4, total: 4 }, run: { id, stepsRecorded: 4 } });
    const reference = await referenceMetrics(4);
    expect(events[0]!.data.data.runProgress.latest).toEqual(['S', 'I', 'R', 'newInfections'].map((name) => ({ name, value: reference[name]![3] })));
    expect(events[0]!.data.data.runProgress.metrics[1]).toEqual({ name: 'I', values: reference.I });
  });

  it('a calibration reports each epoch with its loss and parameters', async () => {
    const observed = (await referenceMetrics(8)).newInfections;
    // queued behind a blocker, so that every epoch happens after the subscription starts
    const blocker = await start(START, { ...SIR_INPUT, steps: 300 });
    const id = await start('mutation($input: CalibrateInput!) { calibrate(input: $input) { id } }', { ...SIR_INPUT, params: [{ name: 'beta', value: 0.04 }, { name: 'seedFraction', value: 0.01 }], observed: [{ metric: 'newInfections', values: observed }], fit: ['beta'], epochs: 4 });
    const payloads = (await allEvents(await subscribe(id))).slice(0, -1).map((e) => e.data.data.runProgress);
    expect(payloads[0]).toMatchObject({ type: 'QUEUED', kind: 'CALIBRATE', epoch: null, progress: { done: 0, total: 4, unit: 'EPOCHS' } });
    expect(payloads[1]).toMatchObject({ type: 'STARTED', status: 'RUNNING' });
    const epochs = payloads.filter((p) => p.type === 'PROGRESS');
    expect(payloads).toHaveLength(2 + 4 + 1);
    expect((await server.kit.executor.wait(blocker)).status).toBe('done');
    expect(epochs.map((p) => p.epoch.epoch)).toEqual([1, 2, 3, 4]);
    expect(epochs.map((p) => p.progress)).toEqual([1, 2, 3, 4].map((done) => ({ done, total: 4, unit: 'EPOCHS' })));
    for (const p of epochs) {
      expect(p.epoch.params.map((q: { name: string }) => q.name)).toEqual(['beta']);
      expect(p.step).toBeNull();
    }
    // the epochs' losses are the calibration's recorded history; beta moves from its start
    const result = await server.gql('query($id: ID!) { run(id: $id) { calibration { history } } }', { id });
    expect(epochs.map((p) => p.epoch.loss)).toEqual(result.data!.run.calibration.history);
    expect(epochs[0].epoch.loss).toBeGreaterThan(0);
    expect(epochs[3].epoch.params[0].value).not.toBe(0.04);
    const last = payloads.at(-1);
    expect(last).toMatchObject({ type: 'FINISHED', status: 'DONE', run: { calibration: { epochs: 4 } } });
    // the metrics of a calibration are its fitted trajectory, as stored
    const stored = await server.gql('query($id: ID!) { run(id: $id) { metrics { series { name values } } } }', { id });
    expect(last.metrics).toEqual(stored.data!.run.metrics.series);
  });

  it('a late subscriber first gets the run so far; a cancel ends it with a CANCELLED FINISHED event', async () => {
    const id = await start(START, { ...SIR_INPUT, steps: 5000 });
    while (server.kit.store.require(id).stepsRecorded < 3) await new Promise((r) => setTimeout(r, 10));
    const events = readSse(await subscribe(id));
    // the subscription starts when its stream is read
    const snapshot = (await events.next()).value!.data.data.runProgress;
    await server.gql('mutation($id: ID!) { cancelRun(id: $id) { outcome } }', { id });
    const payloads = [snapshot];
    for await (const e of events) if (e.event === 'next') payloads.push(e.data.data.runProgress);
    expect(snapshot).toMatchObject({ type: 'PROGRESS', status: 'RUNNING' });
    expect(snapshot.step).toBeGreaterThanOrEqual(3);
    const reference = await referenceMetrics(snapshot.step);
    expect(snapshot.metrics).toEqual(['S', 'I', 'R', 'newInfections'].map((name) => ({ name, values: reference[name] })));
    expect(snapshot.latest).toEqual(['S', 'I', 'R', 'newInfections'].map((name) => ({ name, value: reference[name]!.at(-1) })));
    const last = payloads.at(-1);
    expect(last).toMatchObject({ type: 'FINISHED', status: 'CANCELLED', run: { id, status: 'CANCELLED' } });
    expect(last.metrics[0].values.length).toBe(last.run.stepsRecorded);
  });

  it('an unknown run id is an UNKNOWN_ID error event', async () => {
    const events = await allEvents(await subscribe('run-nope'));
    expect(events).toHaveLength(2);
    expect(events[0]!.data.errors).toEqual([expect.objectContaining({ path: ['runProgress'], extensions: expect.objectContaining({ code: 'UNKNOWN_ID' }) })]);
  });

  it('a run of another process sharing the store is followed through the store to its end', async () => {
    const other = createServerKit({ runtime: createRuntime({ plugins: [examplePlugin], backend: 'cpu' }), db: server.kit.store.path, concurrency: 1 });
    try {
      const record = other.executor.submit({ kind: 'run', ...SIR_INPUT, params: { beta: 0.08, seedFraction: 0.01 }, steps: 300 });
      expect(server.kit.store.owns(record.id)).toBe(false);
      const payloads = (await allEvents(await subscribe(record.id))).slice(0, -1).map((e) => e.data.data.runProgress);
      const last = payloads.at(-1);
      expect(last).toMatchObject({ type: 'FINISHED', status: 'DONE', runId: record.id, run: { stepsRecorded: 300 } });
      expect(last.metrics[0].values).toHaveLength(300);
      const done = payloads.slice(0, -1).map((p) => p.progress.done);
      expect(done).toEqual([...done].sort((a, b) => a - b));
    } finally {
      await other.close();
    }
  });
});
