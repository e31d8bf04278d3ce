/**
 * `supplychain/eggs`: the US table-egg market, one step per day. Farms hold
 * laying hens; culls (the `layersLost` input: observed depopulation by
 * default, or `epi/h5n1`'s `birdsCulled` in a composed run) empty them, and
 * they restock after a delay with pullets that lay after a pre-lay period.
 * Their eggs pass through the market stage (an inventory held for the
 * farm-to-store days); the wholesale price clears the derived demand of the
 * eggs released (constant retail elasticity, demand seasonality) and retail
 * follows wholesale with a lag. Differentiable in every learnable parameter.
 */
import { defineModel, defineSubstep, tf, type InitContext, type MetricSpec } from '@populace/core';
import { seasonalDemand } from './calendar.js';
import { dailyLayersLost } from './depopulation.js';
import { EGGS_PARAMETERS } from './parameters.js';

const P = Object.freeze({
  weight: 'agents/farms/weight',
  laying: 'agents/farms/laying',
  empty: 'agents/farms/empty',
  pullets: 'agents/farms/pullets',
  inventory: 'env/inventoryRatio',
  wholesale: 'env/wholesalePrice',
  retailGap: 'env/retailGap',
} as const);

/** Farms with 100,000+ hens in the 2017 Census (uep_census): the default number of farm agents. */
export const DEFAULT_FARMS = 320;

/** Each farm's share of the national flock: its flock size over the total (equal shares without the attribute). */
function initWeight(ctx: InitContext): Float32Array {
  const sizes = ctx.attributes.flockSize;
  const w = Float32Array.from({ length: ctx.count }, (_, i) => (sizes ? Number(sizes[i]) : 1));
  const total = w.reduce((a, b) => a + b, 0);
  return total > 0 ? w.map((v) => v / total) : w.fill(1 / ctx.count);
}

/** Hens laying nationally (a scalar tensor). */
const layingHens = (get: (p: typeof P.weight | typeof P.laying) => tf.Tensor, param: (n: string) => tf.Tensor): tf.Tensor => tf.mul(param('nationalLayers'), tf.sum(tf.mul(get(P.weight), get(P.laying))));

const flocks = defineSubstep({
  name: 'flocks',
  description: 'culls empty farms in proportion to their laying hens; empty places are restocked with pullets after restockDelay days on average, which lay after preLayDays on average',
  reads: [P.weight, P.laying, P.empty, P.pullets],
  writes: [P.laying, P.empty, P.pullets],
  transition: (ctx) => {
    const laying = ctx.get(P.laying);
    const empty = ctx.get(P.empty);
    const pullets = ctx.get(P.pullets);
    const share = tf.minimum(tf.div(ctx.input('layersLost'), tf.maximum(layingHens(ctx.get, ctx.param), 1)), 1);
    const lost = tf.mul(laying, share);
    const placed = tf.div(empty, ctx.param('restockDelay'));
    const matured = tf.div(pullets, ctx.param('preLayDays'));
    return {
      [P.laying]: tf.add(tf.sub(laying, lost), matured),
      [P.empty]: tf.sub(tf.add(empty, lost), placed),
      [P.pullets]: tf.sub(tf.add(pullets, placed), matured),
    };
  },
});

/** Long-run retail price at the base wholesale price. */
const baseRetail = (param: (n: string) => tf.Tensor): tf.Tensor => tf.add(param('retailMargin'), tf.mul(param('passThrough'), param('baseWholesale')));

const market = defineSubstep({
  name: 'market',
  description: 'eggs enter the market-stage inventory and leave it after inventoryDays on average; the wholesale price clears the derived demand of the eggs released; retail closes retailAdjustment of its gap to margin + passThrough x wholesale each day',
  reads: [P.weight, P.laying, P.inventory, P.retailGap],
  writes: [P.inventory, P.wholesale, P.retailGap],
  transition: (ctx) => {
    const param = ctx.param;
    const produced = tf.sum(tf.mul(ctx.get(P.weight), ctx.get(P.laying)));
    const stock = ctx.get(P.inventory);
    const inventory = tf.add(stock, tf.div(tf.sub(produced, stock), param('inventoryDays')));
    const day = ctx.step + (param('startDay').dataSync()[0] ?? 0);
    const demand = tf.add(1, tf.mul(param('seasonalDemand'), seasonalDemand(day, 1) - 1));
    const supply = tf.div(tf.mul(inventory, tf.div(param('nationalLayers'), param('demandLayers'))), demand);
    // derived (wholesale) elasticity of a retail demand with constant elasticity and a margin
    const wholesaleElasticity = tf.div(tf.mul(tf.mul(param('elasticity'), param('passThrough')), param('baseWholesale')), baseRetail(param));
    const wholesale = tf.mul(param('baseWholesale'), tf.exp(tf.div(tf.log(tf.maximum(supply, 1e-6)), wholesaleElasticity)));
    const gap = ctx.get(P.retailGap);
    const target = tf.mul(param('passThrough'), tf.sub(wholesale, param('baseWholesale')));
    return {
      [P.inventory]: inventory,
      [P.wholesale]: wholesale,
      [P.retailGap]: tf.add(gap, tf.mul(param('retailAdjustment'), tf.sub(target, gap))),
    };
  },
});

const metric = (description: string, unit: string, reads: readonly (typeof P)[keyof typeof P][], compute: MetricSpec['compute']): MetricSpec => ({ description, unit, reads, compute });

/**
 * The `supplychain/eggs` model. Runs on `epi/us-layer-farms` (farm flock sizes) or, without a
 * population, on 320 farms of equal size; its `layersLost` input defaults to the observed 2022-2025
 * depopulation (`dailyLayersLost`), so runs are at most 1461 steps unless another series is given.
 *
 * @example
 * ```ts
 * const sim = runtime.createSimulation({ model: 'supplychain/eggs', seed: 1 });
 * const { metrics } = await sim.run({ steps: 365 });
 * metrics.retailPrice; // USD per dozen, day by day through 2022
 * ```
 */
export const eggs = defineModel({
  id: 'eggs',
  description: 'US table-egg market (one step = one day): layer farms culled by the layersLost input and restocked after a delay, a market-stage inventory, a wholesale price clearing demand of constant elasticity with seasonality, and retail following wholesale with a lag',
  state: {
    agents: {
      farms: {
        description: 'commercial table-egg layer farms',
        weight: { dtype: 'float32', init: initWeight, description: "the farm's share of the national flock (its flock size over the total)" },
        laying: { dtype: 'float32', init: 1, description: "share of the farm's full flock laying" },
        empty: { dtype: 'float32', init: 0, description: "share of the farm's full flock culled and not yet restocked" },
        pullets: { dtype: 'float32', init: 0, description: "share of the farm's full flock placed as pullets, not yet laying" },
      },
    },
    environment: {
      inventoryRatio: { dtype: 'float32', init: 1, description: 'eggs in the market stage over their level at full production' },
      wholesalePrice: { dtype: 'float32', init: (ctx) => Number(ctx.params.baseWholesale), description: 'wholesale price today, USD per dozen' },
      retailGap: { dtype: 'float32', init: 0, description: 'retail price less its level at the base wholesale price, USD per dozen' },
    },
  },
  needs: { attributes: { farms: { flockSize: { description: 'hens in the flock', fallback: 'every farm holds the same share of the national flock' } } } },
  inputs: {
    layersLost: {
      description: 'table-egg layers culled each day (default: observed 2022-2025 depopulation from 1 January 2022, data/h5n1-egg-supply.json; see CULL_PERIODS)',
      unit: 'birds/day',
      default: Object.freeze(dailyLayersLost()),
    },
  },
  parameters: EGGS_PARAMETERS,
  substeps: [flocks, market],
  metrics: {
    layers: metric('table-egg layers laying at the end of the day', 'hens', [P.weight, P.laying], (ctx) => layingHens(ctx.get, ctx.param)),
    tableEggs: metric('table eggs laid that day', 'eggs/day', [P.weight, P.laying], (ctx) => tf.mul(ctx.param('layRate'), layingHens(ctx.get, ctx.param))),
    inventory: metric('eggs in the market stage (farm to store)', 'eggs', [P.inventory], (ctx) => tf.mul(tf.mul(ctx.get(P.inventory), tf.mul(ctx.param('layRate'), ctx.param('nationalLayers'))), ctx.param('inventoryDays'))),
    wholesalePrice: metric('wholesale price, USD per dozen', 'USD/dozen', [P.wholesale], (ctx) => tf.sum(ctx.get(P.wholesale))),
    retailPrice: metric('retail price, USD per dozen', 'USD/dozen', [P.retailGap], (ctx) => tf.add(baseRetail(ctx.param), tf.sum(ctx.get(P.retailGap)))),
    layersLost: metric('layers culled that day (the input)', 'birds/day', [], (ctx) => ctx.input('layersLost')),
    emptyPlaces: metric('places of culled hens not yet restocked', 'hens', [P.weight, P.empty], (ctx) => tf.mul(ctx.param('nationalLayers'), tf.sum(tf.mul(ctx.get(P.weight), ctx.get(P.empty))))),
    pullets: metric('pullets placed, not yet laying', 'hens', [P.weight, P.pullets], (ctx) => tf.mul(ctx.param('nationalLayers'), tf.sum(tf.mul(ctx.get(P.weight), ctx.get(P.pullets))))),
  },
  defaultAgents: DEFAULT_FARMS,
});
