import { Document } from '@langchain/core/documents';
import { Embeddings } from '@langchain/core/embeddings';
import type { ServerKit } from '@populace/server-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { SMALL_SIR, useTestKit } from './analyzer.fixture.js';
import { CosineVectorStore, cosineSimilarity } from './documents/cosine-vector-store.js';
import { createDocumentIndex } from './documents/document-index.js';
import { HashingEmbeddings } from './documents/hashing-embeddings.js';
import { stem, terms } from './documents/tokens.js';
import { runScenario } from './run-scenario.js';
import { searchDocuments } from './search-documents.js';

const testKitOf = useTestKit();
let kit: ServerKit;
beforeAll(() => {
  kit = testKitOf();
});

const top = async (query: string, kinds?: ('model' | 'population' | 'run' | 'document')[]) => (await searchDocuments(kit, { query, k: 3, ...(kinds ? { kinds } : {}) })).results;

describe('searchDocuments', () => {
  it('finds the covid card for "vaccination and testing in New York"', async () => {
    const results = await top('vaccination and testing in New York');
    expect(results[0]!.id).toBe('model:epi/covid');
    expect(results[0]!.kind).toBe('model');
    expect(results[0]!.text).toContain('deaths');
    expect(results[0]!.text.length).toBeLessThanOrEqual(6000);
    expect(results[0]!.score).toBeGreaterThan(results[1]!.score);
  });

  it('finds the right card for paraphrased questions', async () => {
    expect((await top('bird flu outbreaks on poultry farms'))[0]!.id).toBe('model:epi/h5n1');
    expect((await top('culling infected hens'))[0]!.id).toBe('model:epi/h5n1');
    expect((await top('people mixing at random without contact layers'))[0]!.id).toBe('population:populations/well-mixed');
    expect((await top('Brooklyn residents'))[0]!.id).toBe('population:populations/nyc:brooklyn');
    expect((await top('latent exposed period before becoming infectious', ['model'])).map((r) => r.id)).toContain('model:epi/seir');
  });

  it('notes recorded runs (refreshed at each search) and filters by kind', async () => {
    const r = await runScenario(kit, { ...SMALL_SIR, params: { beta: 0.45 }, label: 'fast-spread' });
    const hits = await top('run of epi/sir with beta 0.45 labelled fast spread', ['run']);
    expect(hits[0]!.id).toBe(`run:${r.runId}`);
    expect(hits[0]!.text).toContain('beta = 0.45');
    expect(hits[0]!.text).toMatch(/newInfections total \d+/);
    expect(hits.every((h) => h.kind === 'run')).toBe(true);
  });

  it('retrieves user documents, with the offline embeddings or any LangChain embeddings', async () => {
    class CountingEmbeddings extends Embeddings {
      readonly inner = new HashingEmbeddings({ dimensions: 1024 });
      embedded = 0;
      constructor() {
        super({});
      }
      override async embedDocuments(texts: string[]): Promise<number[][]> {
        this.embedded += texts.length;
        return texts.map((t) => this.inner.embed(t));
      }
      override async embedQuery(text: string): Promise<number[]> {
        return this.inner.embed(text);
      }
    }
    const memo = { id: 'memo', title: 'School closures memo', text: 'Closing schools for two weeks reduced contacts among children; reopening was staggered by grade.' };
    for (const embeddings of [undefined, new CountingEmbeddings()]) {
      const index = createDocumentIndex({ runtime: kit.runtime, store: kit.store, documents: [memo, new Document({ pageContent: 'Vaccine hesitancy survey of adults in Queens.', metadata: { id: 'survey', title: 'Survey' } })], embeddings });
      const [hit] = await index.search('memo about shutting down schools for kids', { k: 1 });
      expect(hit!.id).toBe('document:memo');
      expect(hit!.title).toBe('School closures memo');
      expect((await index.search('how hesitant are people to get vaccinated', { k: 1, kinds: ['document'] }))[0]!.id).toBe('document:survey');
      if (embeddings) {
        // a provider's embeddings: each document is embedded once, new ones incrementally
        const before = embeddings.embedded;
        await index.search('anything');
        expect(embeddings.embedded).toBe(before);
        index.addDocuments([{ id: 'extra', text: 'Mask mandates on the subway.' }]);
        expect((await index.search('masks in the metro', { k: 1 }))[0]!.id).toBe('document:extra');
        expect(embeddings.embedded).toBe(before + 1);
      }
    }
    expect(() => createDocumentIndex({ runtime: kit.runtime, documents: [{ text: '' }] })).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
  });

  it('rejects bad queries', async () => {
    await expect(searchDocuments(kit, { query: '' })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('query') });
    await expect(searchDocuments(kit, { query: 'x', kinds: ['paper' as never] })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('kinds[0]') });
  });
});

describe('HashingEmbeddings and CosineVectorStore', () => {
  it('stems, embeds deterministically into unit vectors and weights rare terms higher', () => {
    expect(['vaccination', 'vaccinated', 'vaccines', 'vaccine'].map(stem)).toEqual(['vaccin', 'vaccin', 'vaccin', 'vaccin']);
    expect(terms('isolationDays in New York')).toEqual(['isol', 'day', 'new', 'york', 'isol day', 'day new', 'new york']);
    const e = new HashingEmbeddings({ dimensions: 256 });
    const v = e.embed('testing and isolation');
    expect(v).toEqual(e.embed('testing and isolation'));
    expect(Math.hypot(...v)).toBeCloseTo(1, 12);
    expect(cosineSimilarity(v, e.embed('isolation and testing'))).toBeGreaterThan(0.6);
    e.fit(['the model model', 'the other model', 'a rare word']);
    // 'rare' occurs in one text, 'model' in two: after fitting, a query for both leans to 'rare'
    const q = e.embed('rare model');
    expect(cosineSimilarity(q, e.embed('rare'))).toBeGreaterThan(cosineSimilarity(q, e.embed('model')));
    expect(() => new HashingEmbeddings({ dimensions: 100 })).toThrow(RangeError);
  });

  it('searches by cosine similarity with filters and deletes', async () => {
    const store = await CosineVectorStore.fromTexts(['alpha beta', 'beta gamma', 'gamma delta'], [{ n: 1 }, { n: 2 }, { n: 3 }], new HashingEmbeddings({ dimensions: 512 }));
    expect(store.size).toBe(3);
    const [[best, score]] = (await store.similaritySearchWithScore('gamma delta', 1)) as [[Document, number]];
    expect(best.metadata.n).toBe(3);
    expect(score).toBeCloseTo(1, 12);
    const filtered = await store.similaritySearch('gamma delta', 3, (d) => d.metadata.n !== 3);
    expect(filtered.map((d) => d.metadata.n)).toEqual([2, 1]);
    await store.delete({ ids: [best.id!] });
    expect(store.size).toBe(2);
  });
});
