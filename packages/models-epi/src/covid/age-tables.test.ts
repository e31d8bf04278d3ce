/**
 * The tables of age-tables.ts and the sourced defaults of parameters.ts and
 * presets.ts are the numbers of data/covid-parameters.json.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AGE_BANDS, ageBand, P_DEATH_GIVEN_SEVERE, P_DEATH_PER_INFECTION, P_SEVERE_GIVEN_SYMPTOMATIC, P_SEVERE_PER_INFECTION, P_SYMPTOMATIC, RELATIVE_SUSCEPTIBILITY } from './age-tables.js';
import { COVID_PARAMETERS } from './parameters.js';
import { TEST_PRESETS } from './presets.js';

const data = JSON.parse(readFileSync(new URL('../../data/covid-parameters.json', import.meta.url), 'utf8'));
const sourceIds = new Set<string>(data.sources.map((s: { id: string }) => s.id));

describe('COVID-19 parameters against data/covid-parameters.json', () => {
  it('age tables are Covasim\'s, band by band', () => {
    const nh = data.natural_history;
    expect(nh.symptomaticFractionByAge.covasim.ageBandsYears).toEqual([...AGE_BANDS]);
    expect(P_SYMPTOMATIC).toEqual(nh.symptomaticFractionByAge.covasim.probabilitySymptomatic);
    expect(RELATIVE_SUSCEPTIBILITY).toEqual(nh.relativeSusceptibilityByAge.covasimSusceptibilityOR.values);
    expect(P_SEVERE_PER_INFECTION).toEqual(nh.severityByAge.covasimAbsolutePerInfection.severe_hospitalisation);
    expect(P_DEATH_PER_INFECTION).toEqual(nh.severityByAge.covasimAbsolutePerInfection.death_IFR);
  });

  it('the conditional probabilities are probabilities whose product is the IFR', () => {
    AGE_BANDS.forEach((_, k) => {
      for (const p of [P_SEVERE_GIVEN_SYMPTOMATIC[k]!, P_DEATH_GIVEN_SEVERE[k]!]) {
        expect(p).toBeGreaterThan(0);
        expect(p).toBeLessThanOrEqual(1);
      }
      expect(P_SYMPTOMATIC[k]! * P_SEVERE_GIVEN_SYMPTOMATIC[k]! * P_DEATH_GIVEN_SEVERE[k]!).toBeCloseTo(P_DEATH_PER_INFECTION[k]!, 12);
    });
    expect([0, 9, 10, 45, 89, 90, 104].map(ageBand)).toEqual([0, 0, 1, 4, 8, 9, 9]);
  });

  it('sourced defaults match the file', () => {
    const nh = data.natural_history;
    const d = (name: string) => COVID_PARAMETERS[name]!.default;
    expect(d('latentDays')).toBe(nh.latentPeriodDays.covasimDefault.mean);
    expect(d('infectiousDays')).toBe(nh.infectiousAndClinicalDurationsDays.covasimMildToRecovery.mean);
    expect(d('hospitalRecoveryDays')).toBe(nh.infectiousAndClinicalDurationsDays.covasimSevereToRecovery.mean);
    expect(d('hospitalDeathDays')).toBeCloseTo(nh.infectiousAndClinicalDurationsDays.covasimSevereToCritical.mean + nh.infectiousAndClinicalDurationsDays.covasimCriticalToDeath.mean, 10);
    expect(d('asymptomaticInfectiousness')).toBe(nh.asymptomaticRelativeInfectiousness.openabmAsymptomaticFactor.value);
    const layers = data.transmission.covasimHybridPopulation.layers;
    for (const l of ['household', 'school', 'work', 'community']) expect(d(`${l}Weight`)).toBe(layers[l].betaLayerMultiplier);
    expect(d('contactsWeight')).toBe(data.transmission.covasimHybridPopulation.randomPopulationSingleLayer.betaLayerMultiplier);
    expect(d('householdIsolationFactor')).toBe(layers.household.isolationFactor);
    expect(d('otherIsolationFactor')).toBe(layers.work.isolationFactor);
    const openabm = data.testing.pcr.modelDefaults.openabm;
    expect(d('testSensitivity')).toBe(openabm.sensitivityDuringSensitiveWindow);
    expect(d('testFalsePositiveRate')).toBeCloseTo(1 - openabm.specificity, 12);
    expect(d('testTurnaround')).toBe(openabm.orderWaitDays + openabm.resultWaitDays);
    const vaccine = data.vaccination;
    expect(d('vaccineEfficacy')).toBe(vaccine.bnt162b2_PfizerBioNTech.efficacyVsSymptomaticCovid_2doses.value);
    expect(d('costPerDose')).toBe(vaccine.costPerDoseUSD.usGovernmentFirstPfizerContract2020.value);
    expect(d('dosesPerCourse')).toBe(vaccine.covasimVaccineModel.dosesPerCourse.pfizer);
    const antigen = data.testing.rapidAntigen.brummer2021;
    expect(TEST_PRESETS.rapidAntigen.testSensitivity).toBe(antigen.pooledSensitivity);
    expect(TEST_PRESETS.rapidAntigen.testFalsePositiveRate).toBeCloseTo(1 - antigen.pooledSpecificity, 12);
    expect(TEST_PRESETS.pcr.testTurnaround).toBe(Math.round(data.testing.pcr.turnaroundDays.usSurveyAverageSept2020.value));
    const seed = data.testing.seedScenarioOptions;
    expect(TEST_PRESETS.seedSlowerMoreSpecific).toMatchObject({ testFalsePositiveRate: seed.optionA.falsePositiveRate, testTurnaround: seed.optionA.resultDelayDays });
    expect(TEST_PRESETS.seedFasterLessSpecific).toMatchObject({ testFalsePositiveRate: seed.optionB.falsePositiveRate, testTurnaround: seed.optionB.resultDelayDays });
  });

  it('every source id cited in a parameter description exists in the file', () => {
    const cited = Object.values(COVID_PARAMETERS).flatMap((p) => (p.description ?? '').match(/\b[a-z_]+\d{4}[a-z_]*\b|\b(covasim|openabm)_[a-z_]+\b/g) ?? []);
    expect(cited.length).toBeGreaterThan(10);
    for (const id of cited) expect(sourceIds.has(id), id).toBe(true);
  });
});
