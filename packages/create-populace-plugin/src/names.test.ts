import { describe, expect, it } from 'vitest';
import { checkPackageName, checkPluginName, packageNameFromDir, pluginNameFromPackage, ScaffoldError } from './names.js';

describe('plugin and package names', () => {
  it('derives the plugin name (the id namespace) from the package name', () => {
    expect(pluginNameFromPackage('populace-plugin-flu')).toBe('flu');
    expect(pluginNameFromPackage('@acme/populace-flu')).toBe('flu');
    expect(pluginNameFromPackage('flu-populace-plugin')).toBe('flu');
    expect(pluginNameFromPackage('my-plugin')).toBe('my');
    expect(pluginNameFromPackage('supply.chain')).toBe('supply-chain');
    expect(pluginNameFromPackage('populace-plugin')).toBe('plugin');
    expect(pluginNameFromPackage('42-models')).toBe('models');
  });

  it('derives a package name from a directory name', () => {
    expect(packageNameFromDir('My Plugin')).toBe('my-plugin');
    expect(packageNameFromDir('___')).toBe('populace-plugin');
  });

  it('refuses names npm or definePlugin would refuse, saying what is expected', () => {
    expect(checkPackageName('@acme/flu')).toBe('@acme/flu');
    expect(() => checkPackageName('Flu')).toThrow(ScaffoldError);
    expect(() => checkPackageName('a'.repeat(215))).toThrow(/at most 214 characters/);
    expect(() => checkPluginName('Flu')).toThrow(/--plugin-name: expected a lowercase name of letters, digits and - that starts with a letter .* received "Flu"/);
    expect(() => checkPluginName('flu/sir')).toThrow(ScaffoldError);
  });
});
