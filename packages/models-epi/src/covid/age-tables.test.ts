/**
 * The tables of age-tables.ts and the sourced defaults of parameters.ts and
 * presets.ts are the numbers of data/covid-parameters.json.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AGE_BANDS, ageBand, communityActivity, deathGivenSevere, ifrTable, LEVIN_IFR_PER_INFECTION, POLYMOD_CONTACTS, P_DEATH_GIVEN_SEVERE, P_DEATH_PER_INFECTION, P_SEVERE_GIVEN_SYMPTOMATIC, P_SEVERE_PER_INFECTION, P_SYMPTOMATIC, RELATIVE_SUSCEPTIBILITY } from './age-tables.js';
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
    expect(d('latentDays')).toBe(nh.latentPeriodDays.derivedFromIncubationAndPresymptomatic.modelDefault);
    expect(nh.latentPeriodDays.derivedFromIncubationAndPresymptomatic.mean).toBeCloseTo(nh.incubationPeriodDays.lauer2020.median - nh.presymptomaticPeriodDays.he2020.infectiousnessStartsBeforeOnsetDays, 10);
    expect(d('latentSd')).toBe(nh.latentPeriodDays.covasimDefault.sd);
    expect(d('infectiousDays')).toBe(nh.infectiousAndClinicalDurationsDays.covasimMildToRecovery.mean);
    expect(d('infectiousSd')).toBe(nh.infectiousAndClinicalDurationsDays.covasimMildToRecovery.sd);
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

  it('severity presets and community activity follow the file (levin2020 equation, mossong2008 contacts)', () => {
    const levin = data.natural_history.severityByAge.levin2020;
    for (let k = 0; k < 9; k++) {
      const mid = 10 ** (levin.intercept + levin.slopePerYear * (10 * k + 5)) / 100;
      // the band average of an exponential is a little above its midpoint value
      expect(LEVIN_IFR_PER_INFECTION[k]! / mid).toBeGreaterThan(1);
      expect(LEVIN_IFR_PER_INFECTION[k]! / mid).toBeLessThan(1.1);
    }
    expect(LEVIN_IFR_PER_INFECTION[9]).toBe(P_SEVERE_PER_INFECTION[9]);
    expect(ifrTable(0)).toBe(P_DEATH_PER_INFECTION);
    deathGivenSevere(1).forEach((p) => expect(p).toBeLessThanOrEqual(1));
    const polymod = data.contacts.polymodMeanContactsByAge;
    expect(POLYMOD_CONTACTS).toEqual(polymod.meanContactsPerDay);
    expect(communityActivity(75, 1)).toBeCloseTo(6.89 / ((13.57 + 14.14 + 13.83 + 12.3) / 4), 10);
    expect(communityActivity(75, 0)).toBe(1);
    expect(communityActivity(35, 1)).toBeCloseTo(14.14 / ((13.57 + 14.14 + 13.83 + 12.3) / 4), 10);
  });

  it('every source id cited in a parameter description exists in the file', () => {
    const cited = Object.values(COVID_PARAMETERS).flatMap((p) => (p.description ?? '').match(/\b[a-z_]+\d{4}[a-z_]*\b|\b(covasim|openabm)_[a-z_]+\b/g) ?? []);
    expect(cited.length).toBeGreaterThan(10);
    for (const id of cited) expect(sourceIds.has(id), id).toBe(true);
  });
});
